package serializers_test

import (
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// Serializer-level benchmarks (no HTTP): go test -run '^$' -bench . -benchmem ./serializers/

func BenchmarkTokenObtainPair(b *testing.B) {
	env, _ := newEnv(b, tokens.Settings{}, true)
	data := dataOf("username", "alice", "password", "pw-alice")
	s := &serializers.TokenObtainPair{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Validate(ctx, env, nil, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokenVerify(b *testing.B) {
	env, _ := newEnv(b, tokens.Settings{}, true)
	tok, _ := env.Tokens.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	data := dataOf("token", raw)
	s := &serializers.TokenVerify{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Validate(ctx, env, nil, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokenRefresh(b *testing.B) {
	env, _ := newEnv(b, tokens.Settings{}, true)
	tok, _ := env.Tokens.ForUser(ctx, tokens.RefreshToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	data := dataOf("refresh", raw)
	s := &serializers.TokenRefresh{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Validate(ctx, env, nil, data); err != nil {
			b.Fatal(err)
		}
	}
}

package tokens_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

func BenchmarkParseAccessHS256(b *testing.B) {
	m := newManager(b, nil)
	tok, _ := m.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Parse(ctx, tokens.AccessToken, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForUserEncodeHS256(b *testing.B) {
	m := newManager(b, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		tok, _ := m.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
		if _, err := tok.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseManyDots is CVE-2025-30204's shape (a token of many dots): 1,000,000 dots are refused by
// the length cap before any split, in O(1) allocations.
func BenchmarkParseManyDots(b *testing.B) {
	m := newManager(b, nil)
	raw := strings.Repeat(".", 1_000_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Parse(ctx, tokens.AccessToken, raw); err == nil {
			b.Fatal("accepted")
		}
	}
}

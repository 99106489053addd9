package tokens_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// TestJWKURL: with JWK_URL the verifying key comes from the JWKS by kid (PyJWKClient parity); an
// unknown kid is a 401 and refetches at most once per minute; a token's own jku is never followed.
func TestJWKURL(t *testing.T) {
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	var hits, attackerHits atomic.Int64
	jwks := map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
		"n": enc.EncodeToString(priv.N.Bytes()), "e": enc.EncodeToString(big.NewInt(int64(priv.E)).Bytes()),
	}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_ = json.NewEncoder(w).Encode(jwks)
	}))
	defer srv.Close()
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { attackerHits.Add(1) }))
	defer attacker.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signer := newManager(t, func(s *tokens.Settings) { s.Algorithm = "RS256"; s.SigningKey = pemOf(t, priv); s.SigningKeyID = "k1" })
	s := tokens.DefaultSettings()
	s.Algorithm, s.JWKURL = "RS256", srv.URL
	verifier, err := tokens.NewManager(ctx, s, tokens.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := signer.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	if _, err := verifier.Parse(ctx, tokens.AccessToken, raw); err != nil {
		t.Fatalf("JWKS verification: %v", err)
	}
	before := hits.Load()
	other := newManager(t, func(s *tokens.Settings) {
		s.Algorithm = "RS256"
		s.SigningKey = pemOf(t, priv)
		s.SigningKeyID = "unknown"
	})
	for i := 0; i < 20; i++ {
		ot, _ := other.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
		oraw, _ := ot.Encode()
		if _, err := verifier.Parse(ctx, tokens.AccessToken, oraw); !errors.Is(err, tokens.ErrTokenInvalid) {
			t.Fatalf("unknown kid: %v", err)
		}
	}
	if n := hits.Load() - before; n > 1 {
		t.Errorf("20 unknown kids caused %d JWKS fetches; want at most 1", n)
	}
	// B8: jku/x5u in the header are never fetched.
	forged := forge(t, "HS256", testKey, `{"alg":"RS256","kid":"k1","jku":"`+attacker.URL+`","x5u":"`+attacker.URL+`"}`, payload(""))
	if _, err := verifier.Parse(ctx, tokens.AccessToken, forged); !errors.Is(err, tokens.ErrTokenInvalid) {
		t.Errorf("forged: %v", err)
	}
	if attackerHits.Load() != 0 {
		t.Errorf("the token's jku/x5u was fetched %d times", attackerHits.Load())
	}
}

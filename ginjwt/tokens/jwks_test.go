package tokens_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

// lockedBuffer is a bytes.Buffer safe for the JWKS client's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestJWKSLogsThroughTheLogger: the JWKS client's failures (the first fetch, and the refetch an
// unknown kid causes) go to Options.Logger, not to slog.Default() or the log package. It
// replaces slog's default, so it does not run in parallel.
func TestJWKSLogsThroughTheLogger(t *testing.T) {
	var fetches atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		http.Error(w, "upstream down", http.StatusInternalServerError)
	}))
	defer srv.Close()
	var global, mine lockedBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&global, nil)))
	defer slog.SetDefault(old)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := tokens.DefaultSettings()
	s.Algorithm, s.JWKURL = "RS256", strings.Replace(srv.URL, "http://", "http://reader:hunter2@", 1)
	m, err := tokens.NewManager(ctx, s, tokens.Options{Now: func() time.Time { return fixedNow }, Logger: slog.New(slog.NewTextHandler(&mine, nil))})
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	signer := newManager(t, func(s *tokens.Settings) { s.Algorithm = "RS256"; s.SigningKey = pemOf(t, priv); s.SigningKeyID = "k1" })
	tok, _ := signer.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	if _, err := m.Parse(ctx, tokens.AccessToken, raw); !errors.Is(err, tokens.ErrTokenInvalid) {
		t.Fatalf("token verified without a JWKS: %v", err)
	}
	logs := mine.String()
	if n := strings.Count(logs, "level=ERROR"); n != 2 || fetches.Load() != 2 {
		t.Errorf("%d fetches, %d errors logged, want 2 and 2:\n%s", fetches.Load(), n, logs)
	}
	if !strings.Contains(logs, "JWK_URL") || !strings.Contains(logs, "500") || !strings.Contains(logs, "reader:xxxxx@") || strings.Contains(logs, "hunter2") {
		t.Errorf("want the status and the URL without its password:\n%s", logs)
	}
	if global.String() != "" {
		t.Errorf("slog.Default() received:\n%s", global.String())
	}
}

// TestJWKSKeyRotation: a token signed with a key the JWKS published after the client's last
// fetch is verified by one refetch. Before, the refetch ran under the 1 ms rate-limit wait
// and timed out unless the JWKS answered within a millisecond.
func TestJWKSKeyRotation(t *testing.T) {
	t.Parallel()
	old, _ := rsa.GenerateKey(rand.Reader, 2048)
	current, _ := rsa.GenerateKey(rand.Reader, 2048)
	jwk := func(kid string, k *rsa.PrivateKey) map[string]string {
		return map[string]string{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
			"n": enc.EncodeToString(k.N.Bytes()), "e": enc.EncodeToString(big.NewInt(int64(k.E)).Bytes())}
	}
	var rotated atomic.Bool
	var fetches atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		keys := []map[string]string{jwk("k1", old)}
		if rotated.Load() {
			time.Sleep(20 * time.Millisecond) // a JWKS farther away than loopback
			keys = append(keys, jwk("k2", current))
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := tokens.DefaultSettings()
	s.Algorithm, s.JWKURL = "RS256", srv.URL
	var logs lockedBuffer
	verifier, err := tokens.NewManager(ctx, s, tokens.Options{Now: func() time.Time { return fixedNow }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rotated.Store(true)
	signer := newManager(t, func(s *tokens.Settings) {
		s.Algorithm = "RS256"
		s.SigningKey = pemOf(t, current)
		s.SigningKeyID = "k2"
	})
	tok, _ := signer.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	if _, err := verifier.Parse(ctx, tokens.AccessToken, raw); err != nil {
		t.Fatalf("token of the new key: %v (%d fetches)\n%s", err, fetches.Load(), logs.String())
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2", n)
	}
}

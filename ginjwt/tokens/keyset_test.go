package tokens_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// genKey returns a fresh private key for alg (nil for HS*).
func genKey(t testing.TB, alg string) crypto.Signer {
	t.Helper()
	var k crypto.Signer
	var err error
	switch {
	case strings.HasPrefix(alg, "RS"), strings.HasPrefix(alg, "PS"):
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	case alg == "ES256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case alg == "ES384":
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case alg == "ES512":
		k, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case alg == "EdDSA":
		_, k, err = ed25519.GenerateKey(rand.Reader)
	default:
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rfc7638 computes a JWK's thumbprint independently of the package: the required members of
// its kty, re-marshalled by encoding/json (which sorts map keys), hashed with SHA-256.
func rfc7638(t *testing.T, k map[string]any) string {
	t.Helper()
	required := map[string][]string{"RSA": {"e", "kty", "n"}, "EC": {"crv", "kty", "x", "y"}, "OKP": {"crv", "kty", "x"}}[k["kty"].(string)]
	m := map[string]any{}
	for _, name := range required {
		m[name] = k[name]
	}
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(b)
	return enc.EncodeToString(sum[:])
}

// TestPublicKeySet: for every asymmetric algorithm the set holds the primary key and each
// VERIFYING_KEYS entry, public members only, use "sig", the algorithm, and a kid that is
// SIGNING_KEY_ID or the RFC 7638 thumbprint, which issued tokens then carry; each published key
// verifies the tokens of its private half. HMAC publishes an empty set and warns.
func TestPublicKeySet(t *testing.T) {
	ctx := context.Background()
	wantMembers := map[string][]string{
		"RSA": {"alg", "e", "kid", "kty", "n", "use"},
		"EC":  {"alg", "crv", "kid", "kty", "use", "x", "y"},
		"OKP": {"alg", "crv", "kid", "kty", "use", "x"},
	}
	for _, tt := range []struct {
		alg, kty, signingKeyID string
	}{
		{"RS256", "RSA", ""}, {"RS384", "RSA", "main"}, {"RS512", "RSA", ""},
		{"PS256", "RSA", ""}, {"PS384", "RSA", "main"}, {"PS512", "RSA", ""},
		{"ES256", "EC", ""}, {"ES384", "EC", "main"}, {"ES512", "EC", ""},
		{"EdDSA", "OKP", ""}, {"EdDSA", "OKP", "main"},
	} {
		t.Run(tt.alg+"/"+tt.signingKeyID, func(t *testing.T) {
			cur, old := genKey(t, tt.alg), genKey(t, tt.alg)
			var logs bytes.Buffer
			s := tokens.DefaultSettings()
			s.Algorithm, s.SigningKey, s.SigningKeyID, s.PublishJWKS = tt.alg, pemOf(t, cur), tt.signingKeyID, true
			s.VerifyingKeys = map[string]string{"old": pubPEM(t, old.Public())}
			m, err := tokens.NewManager(ctx, s, tokens.Options{Now: time.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			if logs.Len() != 0 {
				t.Errorf("unexpected log: %s", logs.String())
			}
			set, err := m.PublicKeySet()
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(set)
			var doc struct{ Keys []map[string]any }
			if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Keys) != 2 {
				t.Fatalf("set %s: %v, want 2 keys", raw, err)
			}
			for i, k := range doc.Keys {
				var names []string
				for name := range k {
					names = append(names, name)
				}
				if got, want := strings.Join(slices.Sorted(slices.Values(names)), ","), strings.Join(wantMembers[tt.kty], ","); got != want {
					t.Errorf("key %d members %s, want %s (nothing private)", i, got, want)
				}
				if k["kty"] != tt.kty || k["alg"] != tt.alg || k["use"] != "sig" {
					t.Errorf("key %d = %v", i, k)
				}
			}
			wantKID := tt.signingKeyID
			if wantKID == "" {
				wantKID = rfc7638(t, doc.Keys[0])
			}
			if doc.Keys[0]["kid"] != wantKID || doc.Keys[1]["kid"] != "old" {
				t.Errorf("kids %v, %v; want %s, old", doc.Keys[0]["kid"], doc.Keys[1]["kid"], wantKID)
			}

			// The issued token names the published key, which verifies it.
			tok, _ := m.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
			signed, err := tok.Encode()
			if err != nil {
				t.Fatal(err)
			}
			keyOf := func(i int) any {
				j, err := jwkset.NewJWKFromMarshal(set.Keys[i], jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
				if err != nil {
					t.Fatal(err)
				}
				return j.Key()
			}
			parsed, err := jwt.Parse(signed, func(tk *jwt.Token) (any, error) { return keyOf(0), nil }, jwt.WithValidMethods([]string{tt.alg}))
			if err != nil {
				t.Fatalf("published key does not verify the issued token: %v", err)
			}
			if parsed.Header["kid"] != wantKID {
				t.Errorf("token kid %v, want %s", parsed.Header["kid"], wantKID)
			}
			// The old key's entry verifies what the old key signed.
			oldTok, _ := jwt.NewWithClaims(jwt.GetSigningMethod(tt.alg), jwt.MapClaims{"x": 1}).SignedString(old)
			if _, err := jwt.Parse(oldTok, func(*jwt.Token) (any, error) { return keyOf(1), nil }, jwt.WithValidMethods([]string{tt.alg})); err != nil {
				t.Errorf("old entry does not verify: %v", err)
			}
			// A thumbprint kid is accepted by the manager itself.
			if _, err := m.Parse(ctx, tokens.AccessToken, signed); err != nil {
				t.Errorf("Parse: %v", err)
			}
		})
	}

	t.Run("HMAC publishes nothing and warns", func(t *testing.T) {
		var logs bytes.Buffer
		s := tokens.DefaultSettings()
		s.SigningKey, s.PublishJWKS = testKey, true
		m, err := tokens.NewManager(ctx, s, tokens.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		set, err := m.PublicKeySet()
		raw, _ := json.Marshal(set)
		if err != nil || string(raw) != `{"keys":[]}` {
			t.Errorf("set %s, %v; want {\"keys\":[]}", raw, err)
		}
		if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "PUBLISH_JWKS") {
			t.Errorf("no warning: %q", logs.String())
		}
		if strings.Contains(logs.String(), testKey) || strings.Contains(string(raw), enc.EncodeToString([]byte(testKey))) {
			t.Error("the secret leaked")
		}
		tok, _ := m.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
		signed, _ := tok.Encode()
		if hdr, _ := enc.DecodeString(strings.Split(signed, ".")[0]); string(hdr) != `{"alg":"HS256","typ":"JWT"}` {
			t.Errorf("HMAC header %s, want no kid", hdr)
		}
	})

	t.Run("off changes nothing", func(t *testing.T) {
		key := genKey(t, "RS256")
		m := newManager(t, func(s *tokens.Settings) { s.Algorithm, s.SigningKey = "RS256", pemOf(t, key) })
		tok, _ := m.ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: "1"})
		signed, _ := tok.Encode()
		if hdr, _ := enc.DecodeString(strings.Split(signed, ".")[0]); string(hdr) != `{"alg":"RS256","typ":"JWT"}` {
			t.Errorf("header %s, want no kid with PublishJWKS off", hdr)
		}
	})
}

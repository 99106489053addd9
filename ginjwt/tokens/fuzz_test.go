package tokens_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// closedSet is every Detail a client can see from Parse: simplejwt's messages, nothing else.
var closedSet = map[string]bool{
	"Token is invalid": true, "Token is expired": true, "Token has no id": true, "Token has no type": true,
	"Token has wrong type": true, "Token has no 'exp' claim": true,
}

// FuzzParse: any input is either a valid token or a *tokens.TokenError; never a panic, never
// another error type, and what parses re-encodes to a token that parses to the same claims.
func FuzzParse(f *testing.F) {
	m := newManager(f, nil)
	good := forge(f, "HS256", testKey, hs256, payload(`"name":"Zoë","n":[1,2.5,{"a":null}]`))
	for _, s := range []string{good, good + "\n", good + "=", "a.b.c", "a.b.c.d", "", "....", "undefined",
		forge(f, "HS256", testKey, `{"alg":"none"}`, payload("")), forge(f, "HS256", testKey, hs256, `{"exp":"1"}`),
		forge(f, "HS256", testKey, `{"alg":"HS256","crit":["x"]}`, payload("")), strings.Repeat(".", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := m.Parse(context.Background(), tokens.AccessToken, raw)
		if err != nil {
			var te *tokens.TokenError
			if !errors.As(err, &te) || !closedSet[te.Detail] {
				t.Fatalf("error outside the closed set of client-facing messages: %T %q", err, err)
			}
			return
		}
		again, err := tok.Encode()
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		back, err := m.Parse(context.Background(), tokens.AccessToken, again)
		if err != nil {
			t.Fatalf("re-encoded token does not parse: %v", err)
		}
		a, _ := tok.AppendJSON(nil)
		b, _ := back.AppendJSON(nil)
		if string(a) != string(b) {
			t.Fatalf("claims changed: %s vs %s", a, b)
		}
	})
}

// FuzzDecodeClaims: the strict payload decoder never panics and what it accepts re-encodes to
// JSON that decodes to the same keys.
func FuzzDecodeClaims(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":"\u00e9","b":[1,{"c":true}],"d":1.5e3}`, `{"a":1,"a":2}`, `[`, `{"a":-0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := tokens.DecodeClaims(in)
		if err != nil {
			if !errors.Is(err, tokens.ErrMalformedPayload) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		out, err := c.AppendJSON(nil)
		if err != nil {
			return // e.g. a float that overflows: refused at encode, never a panic
		}
		c2, err := tokens.DecodeClaims(out)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", out, err)
		}
		if strings.Join(c.Keys(), "\x00") != strings.Join(c2.Keys(), "\x00") {
			t.Fatalf("keys changed")
		}
	})
}

// FuzzKeyMaterial: any key, as the HMAC secret and as an RS256 key, gets either no error or
// *SettingErrors matching ErrInvalidSettings; never a panic, the same report twice, and no
// report that shows a key of 32 bytes or more.
func FuzzKeyMaterial(f *testing.F) {
	for _, s := range []string{testKey, "", "   ", strings.Repeat("ab", 20), "/run/secrets/simplejwt-signing-key",
		"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGd3b3JsZA== a@b", `{"kty":"oct","k":"AAAA"}`, "\x30\x82\x01\x22"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		for _, alg := range []string{"HS256", "RS256"} {
			s := tokens.DefaultSettings()
			s.Algorithm, s.SigningKey, s.VerifyingKeys = alg, key, map[string]string{"k": key}
			err := s.Validate()
			if err == nil {
				continue
			}
			if !errors.Is(err, tokens.ErrInvalidSettings) || !errors.As(err, new(*tokens.SettingError)) {
				t.Fatalf("%s: %T %v", alg, err, err)
			}
			if again := s.Validate(); again.Error() != err.Error() {
				t.Fatalf("%s: two reports", alg)
			}
			if len(key) >= 32 && strings.Contains(err.Error(), key) {
				t.Fatalf("%s: the report shows the key: %v", alg, err)
			}
		}
	})
}

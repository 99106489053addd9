package tokens_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

const testKey = "test-signing-key-0123456789abcdef-0123456789"

var fixedNow = time.Unix(1795477898, 123456000).UTC()

func newManager(t testing.TB, mutate func(*tokens.Settings)) *tokens.Manager {
	t.Helper()
	s := tokens.DefaultSettings()
	s.SigningKey = testKey
	if mutate != nil {
		mutate(&s)
	}
	m, err := tokens.NewManager(context.Background(), s, tokens.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatalf("NewManager: %v", err)
	}
	return m
}

var enc = base64.RawURLEncoding

// forge signs an arbitrary header and payload with HS256 under key.
func forge(t testing.TB, alg, key, header, payload string) string {
	t.Helper()
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	m := jwt.GetSigningMethod(alg)
	sig, err := m.Sign(signing, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

const hs256 = `{"alg":"HS256","typ":"JWT"}`

func payload(extra string) string {
	p := fmt.Sprintf(`{"token_type":"access","exp":%d,"iat":%d,"jti":"eae98488e7984412b7ea16ef95a7d415","user_id":"1"`,
		fixedNow.Unix()+300, fixedNow.Unix())
	if extra != "" {
		p += "," + extra
	}
	return p + "}"
}

func TestNewTokenPayloadOrderAndFormats(t *testing.T) {
	m := newManager(t, nil)
	cases := []struct {
		name  string
		class tokens.Class
		want  string
	}{
		{"access", tokens.AccessToken, `{"token_type":"access","exp":1795478198,"iat":1795477898,"jti":"J","user_id":"1"}`},
		{"refresh", tokens.RefreshToken, `{"token_type":"refresh","exp":1795564298,"iat":1795477898,"jti":"J","user_id":"1"}`},
		{"sliding", tokens.SlidingToken, `{"token_type":"sliding","exp":1795478198,"iat":1795477898,"jti":"J","refresh_exp":1795564298,"user_id":"1"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := m.ForUser(context.Background(), tc.class, tokens.Subject{ID: "1"})
			if err != nil {
				t.Fatal(err)
			}
			jti, _ := tok.JTI()
			if len(jti) != 32 || strings.ToLower(jti) != jti || strings.Trim(jti, "0123456789abcdef") != "" || jti[12] != '4' {
				t.Errorf("jti %q is not uuid4().hex", jti)
			}
			tok.Set("jti", "J")
			got, _ := tok.AppendJSON(nil)
			if string(got) != tc.want {
				t.Errorf("payload\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestEncodeHeaderAndRoundTrip(t *testing.T) {
	m := newManager(t, func(s *tokens.Settings) { s.Audience = []string{"api"}; s.Issuer = "https://issuer.example" })
	tok, _ := m.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	tok.Set("name", "Zoë ☃ 😀 \"q\" </script>")
	tok.Set("jti", "J")
	raw, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(raw, ".")
	h, _ := enc.DecodeString(parts[0])
	p, _ := enc.DecodeString(parts[1])
	if string(h) != hs256 {
		t.Errorf("header %s", h)
	}
	want := `{"token_type":"access","exp":1795478198,"iat":1795477898,"jti":"J","user_id":"1",` +
		`"name":"Zo\u00eb \u2603 \ud83d\ude00 \"q\" </script>","aud":"api","iss":"https://issuer.example"}`
	if string(p) != want {
		t.Errorf("payload\n got %s\nwant %s", p, want)
	}
	back, err := m.Parse(context.Background(), tokens.AccessToken, raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if s, _ := back.GetString("name"); s != "Zoë ☃ 😀 \"q\" </script>" {
		t.Errorf("name %q", s)
	}
	// Re-encoding a decoded token gives the same bytes (rotation keeps Python's form).
	again, _ := back.Encode()
	if again != raw {
		t.Errorf("re-encode differs:\n%s\n%s", again, raw)
	}
}

func TestPythonFloatAndValueEncoding(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{1.0, "1.0"}, {0.5, "0.5"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {0.0001, "0.0001"},
		{0.00001, "1e-05"}, {-2.5, "-2.5"}, {123456789.125, "123456789.125"}, {1.5e300, "1.5e+300"},
		{int64(-7), "-7"}, {true, "true"}, {nil, "null"}, {[]string{"a", "b"}, `["a","b"]`},
		{map[string]any{"b": 1, "a": []any{1.5, "x"}}, `{"a":[1.5,"x"],"b":1}`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`}, // PyJWT: json.dumps escapes DEL under ensure_ascii
	}
	for _, tc := range cases {
		var c tokens.Claims
		c.Set("v", tc.v)
		got, err := c.AppendJSON(nil)
		if err != nil {
			t.Fatalf("%v: %v", tc.v, err)
		}
		if want := `{"v":` + tc.want + `}`; string(got) != want {
			t.Errorf("%#v: got %s want %s", tc.v, got, want)
		}
	}
	var c tokens.Claims
	c.Set("nan", 0.0)
	c.Set("nan", func() float64 { z := 0.0; return z / z }())
	if _, err := c.AppendJSON(nil); err == nil {
		t.Error("NaN encoded")
	}
}

func TestDecodeClaimsRejects(t *testing.T) {
	for _, in := range []string{``, `null`, `[]`, `123`, `"x"`, `{"a":1,"a":2}`, `{"a":1`, "{\"a\":\"\xff\"}", `{} {}`} {
		if _, err := tokens.DecodeClaims([]byte(in)); !errors.Is(err, tokens.ErrMalformedPayload) {
			t.Errorf("%q: err %v", in, err)
		}
	}
	c, err := tokens.DecodeClaims([]byte(` { "b" : [1, {"x" : "y"}] , "a\u00e9" : 1.50, "c":-0 } `))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.AppendJSON(nil)
	if want := `{"b":[1,{"x":"y"}],"a\u00e9":1.5,"c":0}`; string(got) != want {
		t.Errorf("got %s want %s", got, want)
	}
}

// kindOf returns the TokenError detail of err, or its text.
func detailOf(err error) string {
	var te *tokens.TokenError
	if errors.As(err, &te) {
		return te.Detail
	}
	if err == nil {
		return "<nil>"
	}
	return "non-token error: " + err.Error()
}

func TestParseAttacksAndClaims(t *testing.T) {
	m := newManager(t, nil)
	now := fixedNow.Unix()
	good := forge(t, "HS256", testKey, hs256, payload(""))
	parts := strings.Split(good, ".")
	const inv, exp = "Token is invalid", "Token is expired"
	noneTok := enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	cases := []struct {
		name, raw, want string
	}{
		{"valid", good, "<nil>"},
		{"A1 one segment", "abc", inv},
		{"A1 two segments", "a.b", inv},
		{"A1 four segments", good + ".x", inv},
		{"A1 five segments (JWE)", "a.b.c.d.e", inv},
		{"A2 empty header", "." + parts[1] + "." + parts[2], inv},
		{"A2 empty payload", parts[0] + ".." + parts[2], inv},
		{"A2 empty signature", parts[0] + "." + parts[1] + ".", inv},
		{"A3 padding", good + "=", inv},
		{"A4 std alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(good) + "+/", inv},
		{"A5 tweaked last char", parts[0] + "." + parts[1] + "." + tweak(parts[2]), inv},
		{"A6 trailing newline", good + "\n", inv},
		{"A6 inner newline", good[:10] + "\n" + good[10:], inv},
		{"A6 leading space", " " + good, inv},
		{"A9 many dots", strings.Repeat(".", 1_000_000), inv},
		{"A10 header not JSON", enc.EncodeToString([]byte(`hello`)) + "." + parts[1] + "." + parts[2], inv},
		{"A10 header array", forge(t, "HS256", testKey, `[]`, payload("")), inv},
		{"A10 header null", forge(t, "HS256", testKey, `null`, payload("")), inv},
		{"A10 header invalid utf8", forge(t, "HS256", testKey, "{\"alg\":\"HS256\",\"x\":\"\xff\"}", payload("")), inv},
		{"A11 payload null", forge(t, "HS256", testKey, hs256, `null`), inv},
		{"A11 payload array", forge(t, "HS256", testKey, hs256, `[]`), inv},
		{"A11 payload empty object", forge(t, "HS256", testKey, hs256, `{}`), "Token has no 'exp' claim"},
		{"A12 deep nesting", forge(t, "HS256", testKey, hs256, strings.Repeat("[", 100000)), inv},
		{"A13 JWS JSON", `{"payload":"x","signatures":[]}`, inv},
		{"A14 undefined", "undefined", inv},
		{"A14 empty", "", inv},
		{"B1 none", noneTok, inv},
		{"B1 None", enc.EncodeToString([]byte(`{"alg":"None"}`)) + "." + parts[1] + ".", inv},
		{"B2 none with real signature", enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2], inv},
		{"B4 RS256 header", forge(t, "HS256", testKey, `{"alg":"RS256","typ":"JWT"}`, payload("")), inv},
		{"B5 HS512 same secret", forge(t, "HS512", testKey, `{"alg":"HS512","typ":"JWT"}`, payload("")), inv},
		{"B5 HS384 same secret", forge(t, "HS384", testKey, `{"alg":"HS384","typ":"JWT"}`, payload("")), inv},
		{"B6 alg missing", forge(t, "HS256", testKey, `{"typ":"JWT"}`, payload("")), inv},
		{"B6 alg empty", forge(t, "HS256", testKey, `{"alg":""}`, payload("")), inv},
		{"B6 alg number", forge(t, "HS256", testKey, `{"alg":123}`, payload("")), inv},
		{"B6 alg list", forge(t, "HS256", testKey, `{"alg":["HS256"]}`, payload("")), inv},
		{"B6 alg null", forge(t, "HS256", testKey, `{"alg":null}`, payload("")), inv},
		{"B7 odd kid, static key: ignored", forge(t, "HS256", testKey, `{"alg":"HS256","kid":"../../../../dev/null"}`, payload("")), "<nil>"},
		{"B7 SQL kid, static key: ignored", forge(t, "HS256", testKey, `{"alg":"HS256","kid":"' OR '1'='1"}`, payload("")), "<nil>"},
		{"B7 kid not a string", forge(t, "HS256", testKey, `{"alg":"HS256","kid":1}`, payload("")), inv},
		{"B8 jku/jwk never followed, attacker key", forge(t, "HS256", "attacker-key-0123456789abcdef0123456789", `{"alg":"HS256","jku":"https://attacker.example/jwks.json","jwk":{"kty":"oct","k":"YQ"}}`, payload("")), inv},
		{"B9 crit exp", forge(t, "HS256", testKey, `{"alg":"HS256","crit":["exp"]}`, payload("")), inv},
		{"B9 crit empty", forge(t, "HS256", testKey, `{"alg":"HS256","crit":[]}`, payload("")), inv},
		{"B9 crit string", forge(t, "HS256", testKey, `{"alg":"HS256","crit":"foo","foo":1}`, payload("")), inv},
		{"B10 b64 false", forge(t, "HS256", testKey, `{"alg":"HS256","b64":false,"crit":["b64"]}`, payload("")), inv},
		{"B11 duplicate alg", forge(t, "HS256", testKey, `{"alg":"HS256","alg":"none"}`, payload("")), inv},
		{"B11 duplicate alg reversed", forge(t, "HS256", testKey, `{"alg":"none","alg":"HS256"}`, payload("")), inv},
		{"B12 typ ignored", forge(t, "HS256", testKey, `{"alg":"HS256","typ":"at+jwt"}`, payload("")), "<nil>"},
		{"bad signature", parts[0] + "." + parts[1] + "." + enc.EncodeToString(make([]byte, 32)), inv},
		{"expired and badly signed is invalid, not expired", forge(t, "HS256", "other-key-0123456789abcdef0123456789", hs256,
			fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j","user_id":"1"}`, now-10)), inv},
		{"C1 exp missing", forge(t, "HS256", testKey, hs256, `{"token_type":"access","jti":"j","user_id":"1"}`), "Token has no 'exp' claim"},
		{"C2 exp past", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j"}`, now-1)), exp},
		{"C2 exp now", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j"}`, now)), exp},
		{"C4 exp string", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":"9999999999","jti":"j"}`), inv},
		{"C4 exp true", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":true,"jti":"j"}`), inv},
		{"C4 exp null", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":null,"jti":"j"}`), inv},
		{"C4 exp object", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":{},"jti":"j"}`), inv},
		{"C5 exp 1e309", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":1e309,"jti":"j"}`), inv},
		{"C5 exp -1", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":-1,"jti":"j"}`), inv},
		{"C5 exp 0", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":0,"jti":"j"}`), exp},
		{"C5 exp 1e300", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":1e300,"jti":"j"}`), inv},
		{"C5 exp 2^63", forge(t, "HS256", testKey, hs256, `{"token_type":"access","exp":9223372036854775808,"jti":"j"}`), inv},
		{"C6 exp float", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d.5,"jti":"j"}`, now+60)), "<nil>"},
		{"C7 nbf future", forge(t, "HS256", testKey, hs256, payload(fmt.Sprintf(`"nbf":%d`, now+3600))), inv},
		{"C8 nbf 1e19", forge(t, "HS256", testKey, hs256, payload(`"nbf":1e19`)), inv},
		{"C8 nbf 1e300", forge(t, "HS256", testKey, hs256, payload(`"nbf":1e300`)), inv},
		{"C9 iat future", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"iat":%d,"jti":"j"}`, now+300, now+3600)), inv},
		{"C10 iat missing ok", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j"}`, now+300)), "<nil>"},
		{"C10 iat string", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"iat":"1","jti":"j"}`, now+300)), inv},
		{"C11 duplicate exp", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"exp":%d,"jti":"j"}`, now-10, now+300)), inv},
		{"C12 case variant type cannot flip", forge(t, "HS256", testKey, hs256, payload(`"TOKEN_TYPE":"refresh"`)), "<nil>"},
		{"C12 case variant type cannot stand in", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"TOKEN_TYPE":"access","exp":%d,"jti":"j"}`, now+300)), "Token has no type"},
		{"C13 type missing", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"exp":%d,"jti":"j"}`, now+300)), "Token has no type"},
		{"C13 type refresh", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"refresh","exp":%d,"jti":"j"}`, now+300)), "Token has wrong type"},
		{"C13 type upper", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"ACCESS","exp":%d,"jti":"j"}`, now+300)), "Token has wrong type"},
		{"C13 type list", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":["access"],"exp":%d,"jti":"j"}`, now+300)), "Token has wrong type"},
		{"C16 jti missing", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d}`, now+300)), "Token has no id"},
		{"C16 jti empty", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":""}`, now+300)), "Token has no id"},
		{"C16 jti number", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":5}`, now+300)), "Token has no id"},
		{"C16 jti 10KB", forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"%s"}`, now+300, strings.Repeat("a", 5000))), "Token has no id"},
		{"C19 aud present, not configured", forge(t, "HS256", testKey, hs256, payload(`"aud":"x"`)), "<nil>"},
		{"over the length cap", forge(t, "HS256", testKey, hs256, payload(`"pad":"`+strings.Repeat("x", 9000)+`"`)), inv},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Parse(context.Background(), tokens.AccessToken, tc.raw)
			if got := detailOf(err); got != tc.want {
				t.Errorf("got %q, want %q (err %v)", got, tc.want, err)
			}
			if got := detailOf(err); err != nil && !closedSet[got] {
				t.Errorf("detail %q is outside the closed set of messages", got)
			}
			if err != nil && !errors.Is(err, tokens.ErrTokenInvalid) && !errors.Is(err, tokens.ErrTokenExpired) &&
				!errors.Is(err, tokens.ErrNoType) && !errors.Is(err, tokens.ErrWrongType) && !errors.Is(err, tokens.ErrNoID) &&
				!errors.Is(err, tokens.ErrClaimMissing) {
				t.Errorf("error %v matches no token sentinel", err)
			}
		})
	}
}

func tweak(s string) string {
	last := s[len(s)-1]
	// flip a bit that base64 decoding of the final quantum ignores when not strict
	repl := map[byte]byte{'A': 'B', 'Q': 'R', 'g': 'h', 'w': 'x'}
	if r, ok := repl[last]; ok {
		return s[:len(s)-1] + string(r)
	}
	return s[:len(s)-1] + string(last^1)
}

func TestLeeway(t *testing.T) {
	now := fixedNow.Unix()
	cases := []struct {
		leeway time.Duration
		claims string
		want   string
	}{
		{0, fmt.Sprintf(`"exp":%d`, now-1), "Token is expired"},
		{10 * time.Second, fmt.Sprintf(`"exp":%d`, now-5), "<nil>"},
		{10 * time.Second, fmt.Sprintf(`"exp":%d`, now-11), "Token is expired"},
		{10 * time.Second, fmt.Sprintf(`"exp":%d,"nbf":%d`, now+300, now+5), "<nil>"},
		{0, fmt.Sprintf(`"exp":%d,"iat":%d`, now+300, now+30), "Token is invalid"},
		{60 * time.Second, fmt.Sprintf(`"exp":%d,"iat":%d`, now+300, now+30), "<nil>"},
	}
	for i, tc := range cases {
		m := newManager(t, func(s *tokens.Settings) { s.Leeway = tc.leeway })
		raw := forge(t, "HS256", testKey, hs256, `{"token_type":"access",`+tc.claims+`,"jti":"j"}`)
		_, err := m.Parse(context.Background(), tokens.AccessToken, raw)
		if got := detailOf(err); got != tc.want {
			t.Errorf("case %d: got %q want %q", i, got, tc.want)
		}
	}
}

func TestAudienceAndIssuer(t *testing.T) {
	m := newManager(t, func(s *tokens.Settings) { s.Audience = []string{"api"}; s.Issuer = "https://iss" })
	base := fmt.Sprintf(`"token_type":"access","exp":%d,"jti":"j"`, fixedNow.Unix()+300)
	cases := []struct{ extra, want string }{
		{`"iss":"https://iss"`, "Token is invalid"},
		{`"aud":"api"`, "Token is invalid"},
		{`"aud":"api","iss":"https://iss"`, "<nil>"},
		{`"aud":"other","iss":"https://iss"`, "Token is invalid"},
		{`"aud":[],"iss":"https://iss"`, "Token is invalid"},
		{`"aud":"","iss":"https://iss"`, "Token is invalid"},
		{`"aud":["other","api"],"iss":"https://iss"`, "<nil>"},
		{`"aud":123,"iss":"https://iss"`, "Token is invalid"},
		{`"aud":["api",1],"iss":"https://iss"`, "Token is invalid"},
		{`"aud":"api","iss":"https://ISS"`, "Token is invalid"},
		{`"aud":"api","iss":"https://iss/"`, "Token is invalid"},
	}
	for _, tc := range cases {
		raw := forge(t, "HS256", testKey, hs256, "{"+base+","+tc.extra+"}")
		_, err := m.Parse(context.Background(), tokens.AccessToken, raw)
		if got := detailOf(err); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.extra, got, tc.want)
		}
	}
}

func TestSettingsValidation(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	small := pemOf(t, rsaKey)
	cases := []struct {
		name   string
		mutate func(*tokens.Settings)
		want   string
	}{
		{"unknown algorithm", func(s *tokens.Settings) { s.Algorithm = "HS1" }, "Unrecognized algorithm type 'HS1'"},
		{"ES256K unsupported", func(s *tokens.Settings) { s.Algorithm = "ES256K" }, "Unrecognized algorithm type"},
		{"short HS256 key", func(s *tokens.Settings) { s.SigningKey = "short" }, "needs at least 32"},
		{"HS512 needs 64", func(s *tokens.Settings) { s.Algorithm = "HS512" }, "needs at least 64"},
		{"no key", func(s *tokens.Settings) { s.SigningKey = "" }, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): is required for HS256"},
		{"RS256 without key", func(s *tokens.Settings) { s.Algorithm = "RS256"; s.SigningKey = "" }, "needs SIGNING_KEY"},
		{"RS256 with an HMAC secret", func(s *tokens.Settings) { s.Algorithm = "RS256" }, "SIGNING_KEY"},
		{"RS256 1024-bit", func(s *tokens.Settings) { s.Algorithm = "RS256"; s.SigningKey = small }, "at least 2048"},
		{"negative leeway", func(s *tokens.Settings) { s.Leeway = -time.Second }, "LEEWAY"},
		{"bad header type", func(s *tokens.Settings) { s.AuthHeaderTypes = []string{"Bear er"} }, "AUTH_HEADER_TYPES"},
		{"JWK with HS", func(s *tokens.Settings) { s.JWKURL = "http://127.0.0.1:1/jwks" }, "JWK_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tokens.DefaultSettings()
			s.SigningKey = testKey
			tc.mutate(&s)
			_, err := tokens.NewManager(context.Background(), s, tokens.Options{})
			if !errors.Is(err, tokens.ErrInvalidSettings) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func pemOf(t testing.TB, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func pubPEM(t testing.TB, key any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestAsymmetricAlgorithmsAndConfusion(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		alg  string
		priv any
		pub  any
	}{
		{"RS256", rsaKey, &rsaKey.PublicKey}, {"RS512", rsaKey, &rsaKey.PublicKey}, {"PS256", rsaKey, &rsaKey.PublicKey},
		{"ES256", ecKey, &ecKey.PublicKey}, {"ES384", ec384, &ec384.PublicKey}, {"EdDSA", edKey, edKey.Public()},
	}
	for _, tc := range cases {
		t.Run(tc.alg, func(t *testing.T) {
			signer := newManager(t, func(s *tokens.Settings) { s.Algorithm = tc.alg; s.SigningKey = pemOf(t, tc.priv) })
			verifier := newManager(t, func(s *tokens.Settings) { s.Algorithm = tc.alg; s.SigningKey = ""; s.VerifyingKey = pubPEM(t, tc.pub) })
			tok, _ := signer.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "7"})
			raw, err := tok.Encode()
			if err != nil {
				t.Fatal(err)
			}
			got, err := verifier.Parse(context.Background(), tokens.AccessToken, raw)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if id, _ := got.UserID(); id != "7" {
				t.Errorf("user %q", id)
			}
			if _, err := verifier.New(tokens.AccessToken); err != nil {
				t.Fatal(err)
			}
			if nt, _ := verifier.New(tokens.AccessToken); nt != nil {
				if _, err := nt.Encode(); !errors.Is(err, tokens.ErrNoSigningKey) {
					t.Errorf("verify-only backend signed: %v", err)
				}
			}
			// B3: an HS256 token keyed with the public key in several encodings is refused.
			pubPem := pubPEM(t, tc.pub)
			der, _ := x509.MarshalPKIXPublicKey(tc.pub)
			for _, k := range []string{pubPem, strings.ReplaceAll(pubPem, "\n", "\r\n"), string(der)} {
				forged := forge(t, "HS256", k, hs256, payload(""))
				if _, err := verifier.Parse(context.Background(), tokens.AccessToken, forged); !errors.Is(err, tokens.ErrTokenInvalid) {
					t.Errorf("algorithm confusion accepted: %v", err)
				}
			}
			// B17: PS256 vs RS256 swap.
			if tc.alg == "RS256" {
				ps := jwt.NewWithClaims(jwt.SigningMethodPS256, jwt.MapClaims{"token_type": "access", "exp": fixedNow.Unix() + 60, "jti": "j"})
				s, _ := ps.SignedString(rsaKey)
				if _, err := verifier.Parse(context.Background(), tokens.AccessToken, s); !errors.Is(err, tokens.ErrTokenInvalid) {
					t.Errorf("PS256 accepted by RS256: %v", err)
				}
			}
		})
	}
}

func TestES256SignatureShapes(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	m := newManager(t, func(s *tokens.Settings) { s.Algorithm = "ES256"; s.SigningKey = pemOf(t, ecKey) })
	tok, _ := m.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	parts := strings.Split(raw, ".")
	for name, sig := range map[string][]byte{"zeros (psychic signature)": make([]byte, 64), "DER-ish": append([]byte{0x30, 0x44}, make([]byte, 66)...)} {
		bad := parts[0] + "." + parts[1] + "." + enc.EncodeToString(sig)
		if _, err := m.Parse(context.Background(), tokens.AccessToken, bad); !errors.Is(err, tokens.ErrTokenInvalid) {
			t.Errorf("%s accepted: %v", name, err)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	const oldKey = "old-signing-key-0123456789abcdef-0123456789"
	const newKey = "new-signing-key-0123456789abcdef-0123456789"
	old := newManager(t, func(s *tokens.Settings) { s.SigningKey = oldKey })
	oldTok, _ := old.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	oldRaw, _ := oldTok.Encode()
	oldKID := newManager(t, func(s *tokens.Settings) { s.SigningKey = oldKey; s.SigningKeyID = "k0" })
	kidTok, _ := oldKID.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	kidRaw, _ := kidTok.Encode()

	during := newManager(t, func(s *tokens.Settings) {
		s.SigningKey, s.SigningKeyID = newKey, "k1"
		s.VerifyingKeys = map[string]string{"k0": oldKey, "": oldKey}
	})
	after := newManager(t, func(s *tokens.Settings) { s.SigningKey, s.SigningKeyID = newKey, "k1" })
	newTok, _ := during.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	newRaw, _ := newTok.Encode()
	for _, tc := range []struct {
		m    *tokens.Manager
		raw  string
		want string
	}{
		{during, oldRaw, "<nil>"}, {during, kidRaw, "<nil>"}, {during, newRaw, "<nil>"},
		{after, oldRaw, "Token is invalid"}, {after, kidRaw, "Token is invalid"}, {after, newRaw, "<nil>"},
	} {
		_, err := tc.m.Parse(context.Background(), tokens.AccessToken, tc.raw)
		if got := detailOf(err); got != tc.want {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
}

func TestRefreshAccessTokenCopiesClaims(t *testing.T) {
	m := newManager(t, func(s *tokens.Settings) { s.CheckRevokeToken = true })
	r, _ := m.ForUser(context.Background(), tokens.RefreshToken, tokens.Subject{ID: "1", PasswordHash: "pbkdf2_sha256$1$s$h"})
	r.Set("name", "x")
	a, err := r.AccessToken()
	if err != nil {
		t.Fatal(err)
	}
	a.Set("jti", "J")
	got, _ := a.AppendJSON(nil)
	want := fmt.Sprintf(`{"token_type":"access","exp":1795478198,"iat":1795477898,"jti":"J","user_id":"1","hash_password":"%s","name":"x"}`,
		m.RevokeHash("pbkdf2_sha256$1$s$h"))
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	if h := m.RevokeHash("x"); len(h) != 64 || strings.ToUpper(h) != h || h == m.RevokeHash("y") {
		t.Errorf("revoke hash %q", h)
	}
}

func TestUserIDForms(t *testing.T) {
	m := newManager(t, nil)
	for in, want := range map[string]string{`"1"`: "1", `1`: "1", `1.0`: "1", `"abc"`: "abc", `1.5`: "", `""`: "", `null`: "", `1e400`: "", `true`: "", `-1`: "-1",
		`9007199254740992`: "9007199254740992", `9007199254740993`: "", `12345678901234567890`: "", `["1"]`: ""} {
		raw := forge(t, "HS256", testKey, hs256, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j","user_id":%s}`, fixedNow.Unix()+60, in))
		tok, err := m.Parse(context.Background(), tokens.AccessToken, raw)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, ok := tok.UserID()
		if got != want || ok != (want != "") {
			t.Errorf("%s: got %q,%v want %q", in, got, ok, want)
		}
		v, _ := tok.Get("user_id")
		if text, err := tokens.UserIDText(v); text != got || (err == nil) != ok {
			t.Errorf("%s: Token.UserID and UserIDText disagree: %q,%v vs %q,%v", in, got, ok, text, err)
		}
	}
}

func TestSlidingRefreshExp(t *testing.T) {
	m := newManager(t, nil)
	s, _ := m.ForUser(context.Background(), tokens.SlidingToken, tokens.Subject{ID: "1"})
	if err := s.CheckExp("refresh_exp"); err != nil {
		t.Fatal(err)
	}
	raw, _ := s.Encode()
	st := tokens.DefaultSettings()
	st.SigningKey = testKey
	later, err := tokens.NewManager(context.Background(), st, tokens.Options{Now: func() time.Time { return fixedNow.Add(25 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	old, err := later.ParseUnverified(context.Background(), tokens.SlidingToken, raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.CheckExp("refresh_exp"); detailOf(err) != "Token 'refresh_exp' claim has expired" || !errors.Is(err, tokens.ErrClaimExpired) {
		t.Errorf("got %v", err)
	}
	s.Delete("refresh_exp")
	if err := s.CheckExp("refresh_exp"); detailOf(err) != "Token has no 'refresh_exp' claim" {
		t.Errorf("got %v", err)
	}
}

// TestSlideAndRenew: Slide moves exp and iat to the token's current time and keeps jti and
// refresh_exp; Renew also draws a new jti.
func TestSlideAndRenew(t *testing.T) {
	m := newManager(t, nil)
	issued, _ := m.ForUser(context.Background(), tokens.SlidingToken, tokens.Subject{ID: "1"})
	raw, _ := issued.Encode()
	st := tokens.DefaultSettings()
	st.SigningKey = testKey
	later, _ := tokens.NewManager(context.Background(), st, tokens.Options{Now: func() time.Time { return fixedNow.Add(time.Minute) }})
	for _, renew := range []bool{false, true} {
		tok, err := later.Parse(context.Background(), tokens.SlidingToken, raw)
		if err != nil {
			t.Fatal(err)
		}
		if renew {
			tok.Renew()
		} else {
			tok.Slide()
		}
		exp, _, _ := tok.NumericDate("exp")
		iat, _, _ := tok.NumericDate("iat")
		refreshExp, _, _ := tok.NumericDate("refresh_exp")
		jti, _ := tok.JTI()
		oldJTI, _ := issued.JTI()
		wantRefreshExp := float64(fixedNow.Add(24 * time.Hour).Unix())
		if exp != float64(fixedNow.Add(6*time.Minute).Unix()) || iat != float64(fixedNow.Add(time.Minute).Unix()) ||
			refreshExp != wantRefreshExp || (jti == oldJTI) != !renew || !tokens.ValidJTI(jti) {
			t.Errorf("renew=%v: exp %v iat %v refresh_exp %v jti %q (was %q)", renew, exp, iat, refreshExp, jti, oldJTI)
		}
		if got := strings.Join(tok.Keys(), ","); got != "token_type,exp,iat,jti,refresh_exp,user_id" {
			t.Errorf("renew=%v: claim order %s", renew, got)
		}
	}
}

func TestDisabledClaims(t *testing.T) {
	m := newManager(t, func(s *tokens.Settings) { s.NoTokenTypeClaim = true; s.NoJTIClaim = true })
	tok, _ := m.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	got, _ := tok.AppendJSON(nil)
	if want := `{"exp":1795478198,"iat":1795477898,"user_id":"1"}`; string(got) != want {
		t.Errorf("got %s", got)
	}
	raw, _ := tok.Encode()
	if _, err := m.Parse(context.Background(), tokens.RefreshToken, raw); err != nil {
		t.Errorf("type check not skipped: %v", err)
	}
}

func TestTokenStringRedacts(t *testing.T) {
	m := newManager(t, nil)
	tok, _ := m.ForUser(context.Background(), tokens.RefreshToken, tokens.Subject{ID: "1"})
	raw, _ := tok.Encode()
	if s := fmt.Sprint(tok); strings.Contains(s, raw) || !strings.HasPrefix(s, "RefreshToken(jti=") {
		t.Errorf("String leaks or is wrong: %s", s)
	}
}

func TestPasswordChanged(t *testing.T) {
	const hash = "pbkdf2_sha256$1$s$h"
	on := newManager(t, func(s *tokens.Settings) { s.CheckRevokeToken = true })
	off := newManager(t, nil)
	issued, _ := on.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1", PasswordHash: hash})
	withoutClaim, _ := off.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1", PasswordHash: hash})
	wrongType, _ := on.ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"})
	wrongType.Set("hash_password", 5)
	tests := []struct {
		name    string
		m       *tokens.Manager
		tok     *tokens.Token
		current string
		want    bool
	}{
		{"same password", on, issued, hash, false},
		{"password changed", on, issued, "pbkdf2_sha256$1$s$other", true},
		{"password cleared", on, issued, "", true},
		{"token without the claim", on, withoutClaim, hash, true},
		{"claim not a string", on, wrongType, hash, true},
		{"CHECK_REVOKE_TOKEN off", off, withoutClaim, "pbkdf2_sha256$1$s$other", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.PasswordChanged(tc.tok, tc.current); got != tc.want {
				t.Errorf("PasswordChanged = %v, want %v", got, tc.want)
			}
		})
	}
}

package tokens

import (
	"context"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
)

type algorithm struct {
	hmac   bool
	minKey int            // HMAC: minimum secret length in bytes
	curve  elliptic.Curve // ECDSA: the curve the key must be on
	rsa    bool
	eddsa  bool
}

// algorithms is simplejwt's ALLOWED_ALGORITHMS less the two golang-jwt does not implement
// (ES256K, ES521): an unknown algorithm fails at start-up, never at request time.
var algorithms = map[string]algorithm{
	"HS256": {hmac: true, minKey: 32}, "HS384": {hmac: true, minKey: 48}, "HS512": {hmac: true, minKey: 64},
	"RS256": {rsa: true}, "RS384": {rsa: true}, "RS512": {rsa: true},
	"PS256": {rsa: true}, "PS384": {rsa: true}, "PS512": {rsa: true},
	"ES256": {curve: elliptic.P256()}, "ES384": {curve: elliptic.P384()}, "ES512": {curve: elliptic.P521()},
	"EdDSA": {eddsa: true},
}

var b64 = base64.RawURLEncoding.Strict()

// Backend is simplejwt's TokenBackend: it signs payloads and decodes tokens with one algorithm,
// pinned by the settings. golang-jwt supplies the signing methods; the framing, the header and
// the claims are checked here, more strictly than golang-jwt's defaults (see Decode).
type Backend struct {
	alg       string
	method    jwt.SigningMethod
	signKey   any
	verifyKey any
	extraKeys map[string]any
	signKID   string
	audience  []string
	issuer    string
	leeway    time.Duration
	jwks      keyfunc.Keyfunc
	now       func() time.Time
	maxLen    int
	// header is the encoded header of the tokens this backend issues; a token whose header
	// segment is exactly this needs no header parsing.
	header string
	// macs pools HMAC states keyed with the primary secret (HS* only): verifying then costs no
	// key schedule and no allocation. Signing and the other keys go through golang-jwt.
	macs *sync.Pool
}

type pooledMAC struct {
	h   hash.Hash
	sum [64]byte
}

// NewBackend validates s (after WithDefaults), parses its keys and, with a JWK URL, starts the
// JWKS client, which lives as long as ctx and logs its failures to slog.Default() (a Manager's
// backend logs to the Manager's logger). now is the clock (time.Now when nil).
func NewBackend(ctx context.Context, s Settings, now func() time.Time) (*Backend, error) {
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return newBackend(ctx, s, now, nil)
}

// newBackend builds the backend of valid settings; logger receives the JWKS client's failures
// (slog.Default() when nil).
func newBackend(ctx context.Context, s Settings, now func() time.Time, logger *slog.Logger) (*Backend, error) {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	b := &Backend{
		alg: s.Algorithm, method: jwt.GetSigningMethod(s.Algorithm), signKID: s.SigningKeyID,
		audience: s.Audience, issuer: s.Issuer, leeway: s.Leeway, now: now, maxLen: s.MaxTokenLength,
	}
	if b.method == nil {
		return nil, &SettingError{Key: "ALGORITHM", Field: "Algorithm", Err: fmt.Errorf("%s is not available", s.Algorithm)}
	}
	alg := algorithms[s.Algorithm]
	var err error
	if alg.hmac {
		b.signKey, b.verifyKey = []byte(s.SigningKey), []byte(s.SigningKey)
		hashNew := map[string]func() hash.Hash{"HS256": sha256.New, "HS384": sha512.New384, "HS512": sha512.New}[s.Algorithm]
		key := []byte(s.SigningKey)
		b.macs = &sync.Pool{New: func() any { return &pooledMAC{h: hmac.New(hashNew, key)} }}
	} else {
		if s.SigningKey != "" {
			if b.signKey, b.verifyKey, err = parsePrivateKey(alg, s.SigningKey); err != nil {
				return nil, &SettingError{Key: "SIGNING_KEY", Field: "SigningKey", Err: err}
			}
		}
		if s.VerifyingKey != "" {
			if b.verifyKey, err = parsePublicKey(alg, s.VerifyingKey); err != nil {
				return nil, &SettingError{Key: "VERIFYING_KEY", Field: "VerifyingKey", Err: err}
			}
		}
	}
	if len(s.VerifyingKeys) > 0 {
		b.extraKeys = make(map[string]any, len(s.VerifyingKeys))
		for _, kid := range slices.Sorted(maps.Keys(s.VerifyingKeys)) {
			k := s.VerifyingKeys[kid]
			if alg.hmac {
				b.extraKeys[kid] = []byte(k)
			} else if b.extraKeys[kid], err = parsePublicKey(alg, k); err != nil {
				return nil, &SettingError{Key: "VERIFYING_KEYS", Field: fmt.Sprintf("VerifyingKeys[%q]", kid), Err: err}
			}
		}
	}
	if s.PublishJWKS && b.signKID == "" {
		// The published key's thumbprint becomes the tokens' kid, so that a JWKS client finds it.
		if b.signKID, err = publishedKID(s.Algorithm, b.verifyKey); err != nil {
			return nil, &SettingError{Key: "PUBLISH_JWKS", Field: "PublishJWKS", Err: err}
		}
	}
	if s.JWKURL != "" {
		if b.jwks, err = newJWKS(ctx, s.JWKURL, logger); err != nil {
			return nil, &SettingError{Key: "JWK_URL", Field: "JWKURL", Err: err}
		}
	}
	hdr := `{"alg":"` + s.Algorithm + `",`
	if b.signKID != "" {
		hdr += `"kid":` + string(pyjson.AppendString(nil, b.signKID, true)) + ","
	}
	b.header = b64.EncodeToString([]byte(hdr + `"typ":"JWT"}`))
	return b, nil
}

// Algorithm returns the pinned algorithm.
func (b *Backend) Algorithm() string { return b.alg }

// Leeway returns the allowed clock skew.
func (b *Backend) Leeway() time.Duration { return b.leeway }

func parsePrivateKey(alg algorithm, pem string) (priv, pub any, err error) {
	data := []byte(pem)
	switch {
	case alg.rsa:
		k, err := jwt.ParseRSAPrivateKeyFromPEM(data)
		if err != nil {
			return nil, nil, err
		}
		if k.N.BitLen() < 2048 {
			return nil, nil, fmt.Errorf("RSA key is %d bits; at least 2048 are required (RFC 7518 §3.3)", k.N.BitLen())
		}
		return k, &k.PublicKey, nil
	case alg.eddsa:
		k, err := jwt.ParseEdPrivateKeyFromPEM(data)
		if err != nil {
			return nil, nil, err
		}
		return k, k.(ed25519.PrivateKey).Public(), nil
	default:
		k, err := jwt.ParseECPrivateKeyFromPEM(data)
		if err != nil {
			return nil, nil, err
		}
		if k.Curve != alg.curve {
			return nil, nil, fmt.Errorf("EC key is on %s; this algorithm needs %s", k.Curve.Params().Name, alg.curve.Params().Name)
		}
		return k, &k.PublicKey, nil
	}
}

func parsePublicKey(alg algorithm, pem string) (any, error) {
	data := []byte(pem)
	switch {
	case alg.rsa:
		k, err := jwt.ParseRSAPublicKeyFromPEM(data)
		if err != nil {
			return nil, err
		}
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("RSA key is %d bits; at least 2048 are required (RFC 7518 §3.3)", k.N.BitLen())
		}
		return k, nil
	case alg.eddsa:
		return jwt.ParseEdPublicKeyFromPEM(data)
	default:
		k, err := jwt.ParseECPublicKeyFromPEM(data)
		if err != nil {
			return nil, err
		}
		if k.Curve != alg.curve {
			return nil, fmt.Errorf("EC key is on %s; this algorithm needs %s", k.Curve.Params().Name, alg.curve.Params().Name)
		}
		return k, nil
	}
}

// limitedBody caps what the JWKS client reads: 1 MiB, no redirects, 5 s.
type limitedBody struct{ rt http.RoundTripper }

func (l limitedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.rt.RoundTrip(r)
	if err == nil {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.LimitReader(resp.Body, 1<<20), resp.Body}
	}
	return resp, err
}

// newJWKS starts the JWKS client of jwksURL. Its fetch failures (keyfunc and jwkset log them to
// slog.Default() otherwise) go to logger.
func newJWKS(ctx context.Context, jwksURL string, logger *slog.Logger) (keyfunc.Keyfunc, error) {
	noErr := true
	client := &http.Client{
		Timeout:       5 * time.Second,
		Transport:     limitedBody{http.DefaultTransport},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return keyfunc.NewDefaultOverrideCtx(ctx, []string{jwksURL}, keyfunc.Override{
		Client:                    client,
		HTTPTimeout:               5 * time.Second,
		NoErrorReturnFirstHTTPReq: &noErr,
		RefreshInterval:           time.Hour,
		// An unknown kid refetches at most once a minute: a flood of random kids cannot
		// amplify into outbound requests.
		RefreshUnknownKID: rate.NewLimiter(rate.Every(time.Minute), 1),
		// …and a request waits for the limiter only when the allowance comes within this bound
		// (rate.Limiter.Wait fails at once otherwise; jwkset's default would block up to a
		// minute). jwkset runs the refetch under the same deadline, so it is the HTTP timeout,
		// not less: with 1 ms the refetch timed out before the JWKS could answer.
		RateLimitWaitMax: 5 * time.Second,
		RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
			return func(ctx context.Context, err error) {
				logger.ErrorContext(ctx, "tokens: JWK_URL: fetching the JWKS failed", slog.String("url", redactURL(u)), slog.Any("error", err))
			}
		},
	})
}

// redactURL hides a password in u, for logs.
func redactURL(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "(unparsable URL)"
}

// Encode signs payload as PyJWT would: header {"alg":…,"typ":"JWT"} (sorted keys, a "kid" only
// when SigningKeyID is set), the claims in order with aud and iss appended when configured.
func (b *Backend) Encode(payload *Claims) (string, error) {
	if b.signKey == nil {
		return "", ErrNoSigningKey
	}
	if len(b.audience) > 0 || b.issuer != "" {
		payload = payload.Clone()
		if len(b.audience) == 1 {
			payload.Set("aud", b.audience[0])
		} else if len(b.audience) > 1 {
			payload.Set("aud", b.audience)
		}
		if b.issuer != "" {
			payload.Set("iss", b.issuer)
		}
	}
	body, err := payload.AppendJSON(make([]byte, 0, 256))
	if err != nil {
		return "", err
	}
	buf := make([]byte, 0, len(b.header)+1+b64.EncodedLen(len(body))+1+b64.EncodedLen(512))
	buf = append(buf, b.header...)
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, body)
	sig, err := b.method.Sign(string(buf), b.signKey)
	if err != nil {
		return "", fmt.Errorf("tokens: signing: %w", err)
	}
	buf = append(buf, '.')
	buf = b64.AppendEncode(buf, sig)
	return string(buf), nil
}

// Decode checks token and returns its claims, like simplejwt's TokenBackend.decode. With
// verify false only the framing and the JSON are checked (PyJWT's verify_signature=False).
//
// Beyond PyJWT and golang-jwt's defaults: the token length is capped before anything else;
// segments must be strict unpadded base64url (no CR/LF, which Go's decoder would skip); the
// header must be a JSON object whose alg is exactly the configured one and that has no crit;
// jku, x5u, jwk and x5c are ignored; payloads with duplicate keys are refused; exp, nbf and
// iat must be JSON numbers in range; a future iat is refused (as PyJWT does).
//
// Errors are *TokenError of kind ErrTokenExpired or ErrTokenInvalid.
func (b *Backend) Decode(ctx context.Context, token string, verify bool) (*Claims, error) {
	c := &Claims{}
	if err := b.decodeInto(ctx, token, verify, c); err != nil {
		return nil, err
	}
	return c, nil
}

var (
	errFraming   = errors.New("not a compact JWS of three base64url segments")
	errHeader    = errors.New("header is not acceptable")
	errSignature = errors.New("signature does not verify")
	errClaims    = errors.New("registered claims do not validate")
)

func invalid(cause error) error { return tokenErr(ErrTokenInvalid, cause) }

func (b *Backend) decodeInto(ctx context.Context, token string, verify bool, dst *Claims) error {
	if len(token) > b.maxLen {
		return invalid(errFraming)
	}
	h, rest, ok1 := strings.Cut(token, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || h == "" || p == "" || s == "" || !isB64URL(h) || !isB64URL(p) || !isB64URL(s) {
		return invalid(errFraming)
	}
	key, kidless := b.verifyKey, b.signKID == ""
	if h != b.header {
		var err error
		if key, kidless, err = b.headerKey(ctx, h); err != nil {
			return invalid(err)
		}
	}
	if verify && !b.verifySignature(token[:len(h)+1+len(p)], s, key, kidless) {
		return invalid(errSignature)
	}
	payload, err := b64.DecodeString(p)
	if err != nil {
		return invalid(errFraming)
	}
	if err := dst.decode(payload); err != nil {
		return invalid(err)
	}
	if verify {
		return b.validate(dst)
	}
	return nil
}

// verifySignature checks the signature segment sig over signed with key and, for a token
// without kid, falls back to VerifyingKeys[""] (tokens signed before a key rotation).
func (b *Backend) verifySignature(signed, sig string, key any, kidless bool) bool {
	if key != nil && b.checkSignature(signed, sig, key) {
		return true
	}
	old, ok := b.extraKeys[""]
	return ok && kidless && b.checkSignature(signed, sig, old)
}

// checkSignature verifies with one key: the pooled HMAC state for the primary secret,
// golang-jwt's signing method for every other key.
func (b *Backend) checkSignature(signed, sig string, key any) bool {
	if b.macs != nil && sameKey(key, b.verifyKey) {
		return b.verifyHMAC(signed, sig)
	}
	raw, err := b64.DecodeString(sig)
	return err == nil && b.method.Verify(signed, raw, key) == nil
}

// sameKey reports whether k is the primary HMAC key (the very slice, not an equal one).
func sameKey(k, primary any) bool {
	a, ok1 := k.([]byte)
	b, ok2 := primary.([]byte)
	return ok1 && ok2 && len(a) > 0 && len(a) == len(b) && &a[0] == &b[0]
}

// verifyHMAC checks an HS* signature with a pooled HMAC state, in constant time.
func (b *Backend) verifyHMAC(signed, sig string) bool {
	var buf [64]byte
	if len(sig) > b64.EncodedLen(len(buf)) {
		return false
	}
	n, err := b64.Decode(buf[:], unsafe.Slice(unsafe.StringData(sig), len(sig)))
	if err != nil {
		return false
	}
	m := b.macs.Get().(*pooledMAC)
	m.h.Reset()
	m.h.Write(unsafe.Slice(unsafe.StringData(signed), len(signed)))
	ok := hmac.Equal(buf[:n], m.h.Sum(m.sum[:0]))
	b.macs.Put(m)
	return ok
}

// isB64URL reports whether s uses only the unpadded base64url alphabet.
func isB64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// headerKey parses a header that is not the one this backend issues and picks the key by kid:
// VerifyingKeys first, then the JWKS, then the primary key. kidless reports a header without kid.
func (b *Backend) headerKey(ctx context.Context, seg string) (key any, kidless bool, err error) {
	raw, err := b64.DecodeString(seg)
	if err != nil {
		return nil, false, errFraming
	}
	var hdr Claims
	if err := hdr.decode(raw); err != nil {
		return nil, false, errHeader
	}
	if alg, ok := hdr.GetString("alg"); !ok || alg != b.alg {
		return nil, false, fmt.Errorf("%w: alg is not %s", errHeader, b.alg)
	}
	if hdr.Has("crit") {
		return nil, false, fmt.Errorf("%w: crit is not supported", errHeader)
	}
	kid, hasKID := hdr.GetString("kid")
	if hdr.Has("kid") && (!hasKID || kid == "") {
		return nil, false, fmt.Errorf("%w: kid is not a non-empty string", errHeader)
	}
	if hasKID {
		if k, ok := b.extraKeys[kid]; ok {
			return k, false, nil
		}
	}
	if b.jwks != nil {
		if !hasKID {
			return nil, true, fmt.Errorf("%w: no kid for the JWKS", errHeader)
		}
		k, err := b.jwks.KeyfuncCtx(ctx)(&jwt.Token{Header: map[string]any{"kid": kid, "alg": b.alg}, Method: b.method})
		if err != nil {
			return nil, false, errors.Join(errHeader, err)
		}
		if _, isSet := k.(jwt.VerificationKeySet); isSet {
			return nil, false, fmt.Errorf("%w: kid not found", errHeader)
		}
		return k, false, nil
	}
	if hasKID && kid != b.signKID && (b.signKID != "" || len(b.extraKeys) > 0) {
		// With key rotation configured, a kid we do not hold is refused (a removed key stays
		// removed); with one static key, kid is ignored, as simplejwt ignores it.
		return nil, false, fmt.Errorf("%w: unknown kid", errHeader)
	}
	return b.verifyKey, !hasKID || b.signKID == "", nil
}

// validate checks the registered claims in PyJWT's order: iat, nbf, exp, iss, aud.
func (b *Backend) validate(c *Claims) error {
	now := float64(b.now().UnixNano()) / 1e9
	leeway := b.leeway.Seconds()
	if iat, ok, err := c.NumericDate("iat"); err != nil || (ok && iat > now+leeway) {
		return invalid(fmt.Errorf("%w: iat", errClaims))
	}
	if nbf, ok, err := c.NumericDate("nbf"); err != nil || (ok && nbf > now+leeway) {
		return invalid(fmt.Errorf("%w: nbf", errClaims))
	}
	exp, ok, err := c.NumericDate("exp")
	if err != nil {
		return invalid(fmt.Errorf("%w: exp", errClaims))
	}
	if ok && exp <= now-leeway {
		return tokenErr(ErrTokenExpired, nil)
	}
	if b.issuer != "" {
		if iss, ok := c.GetString("iss"); !ok || iss != b.issuer {
			return invalid(fmt.Errorf("%w: iss", errClaims))
		}
	}
	if len(b.audience) > 0 && !b.audienceMatches(c) {
		return invalid(fmt.Errorf("%w: aud", errClaims))
	}
	return nil
}

func (b *Backend) audienceMatches(c *Claims) bool {
	v, ok := c.Get("aud")
	if !ok {
		return false
	}
	var auds []any
	switch x := v.(type) {
	case string:
		auds = []any{x}
	case []any:
		auds = x
	default:
		return false
	}
	for _, a := range auds {
		if _, isStr := a.(string); !isStr {
			return false
		}
	}
	for _, want := range b.audience {
		for _, a := range auds {
			if a == want {
				return true
			}
		}
	}
	return false
}

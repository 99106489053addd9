package csrf_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// Golden values, computed with Django's own _mask_cipher_secret (mask fixed) and checked by
// _unmask_cipher_token: secret and two masked tokens of it, and a token of another secret.
const (
	secret      = "Secr3tSecr3tSecr3tSecr3tSecr3t0K"
	token1      = "zyxwvutsrqponmlkjihgfedcbaZYX987hCzNoNbwtHiH5qnBcBZkhv6vTe1fQsYH"
	token2      = "0123456789ABCDEFGHIJKLMNOPQRSTUVI54kXoObaqtUkHGWz0qNM2F6wTS8LcKv"
	otherToken  = "0123456789ABCDEFGHIJKLMNOPQRSTUVEk97lJpecqeUJHVjZOM0o4TR5t9YWaLN"
	otherSecret = "OtherOtherOtherOtherOtherOther12"
)

// request describes one test request; build makes it.
type request struct {
	method  string   // default POST
	target  string   // default http://example.com/api/; an https:// target is a TLS request
	headers []string // "Name: value"
	cookie  string   // Cookie header, "" for none
	ctype   string
	body    string
}

func (q request) build() *http.Request {
	method, target := q.method, q.target
	if method == "" {
		method = http.MethodPost
	}
	if target == "" {
		target = "http://example.com/api/"
	}
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	r := httptest.NewRequest(method, target, body)
	if q.cookie != "" {
		r.Header.Set("Cookie", q.cookie)
	}
	if q.ctype != "" {
		r.Header.Set("Content-Type", q.ctype)
	}
	for _, h := range q.headers {
		name, value, _ := strings.Cut(h, ": ")
		if name == "Host" {
			r.Host = value // net/http moves the Host header to r.Host
			continue
		}
		r.Header.Add(name, value)
	}
	return r
}

func newProtection(t testing.TB, cfg csrf.Config) *csrf.Protection {
	t.Helper()
	p, err := csrf.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

const (
	okCookie = "csrftoken=" + secret
	okHeader = "X-CSRFToken: " + token1
)

// assertReason checks err against the kind and Django's exact reason ("" and nil: accepted).
func assertReason(t *testing.T, err error, kind error, reason string) {
	t.Helper()
	if kind == nil {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var e *csrf.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *csrf.Error %q", err, reason)
	}
	if !errors.Is(err, kind) {
		t.Errorf("kind: got %v, want %v", e.Kind, kind)
	}
	if e.Reason != reason {
		t.Errorf("reason:\n got %q\nwant %q", e.Reason, reason)
	}
	if d, ok := csrf.Detail(err); !ok || d != "CSRF Failed: "+reason || e.Detail() != d {
		t.Errorf("detail: got %q, %v", d, ok)
	}
}

// trustedCfg has exact, http, wildcard and wildcard-with-port trusted origins.
var trustedCfg = csrf.Config{TrustedOrigins: []string{
	"https://app.example.org", "http://localhost:3000", "https://*.trusted.example", "http://*.dev.example:8080",
}}

// checkCase is one request through Check, with the kind and Django's exact reason expected
// ("" and nil: accepted). The interop test sends each one through Django's own
// CsrfViewMiddleware too, except where notDjango says why it cannot.
type checkCase struct {
	name      string
	cfg       csrf.Config
	req       request
	kind      error
	reason    string
	notDjango string // why Django is not asked (a documented difference)
	django32  string // why Django 3.x answers otherwise (it is not asked)
}

// checkCases: every way Django's check fails (and the ways it passes), with the newest
// Django's reason texts byte for byte.
var checkCases = []checkCase{
	// Safe methods are never checked.
	{name: "GET passes bare", req: request{method: "GET"}},
	{name: "HEAD passes bare", req: request{method: "HEAD"}},
	{name: "OPTIONS passes bare", req: request{method: "OPTIONS"}},
	{name: "TRACE passes bare", req: request{method: "TRACE"}},

	// Origin.
	{name: "own origin", req: request{headers: []string{"Origin: http://example.com", okHeader}, cookie: okCookie}},
	{name: "own origin over https", req: request{target: "https://example.com/api/", headers: []string{"Origin: https://example.com", okHeader}, cookie: okCookie}},
	{name: "own origin with port", req: request{target: "http://example.com:8000/api/", headers: []string{"Origin: http://example.com:8000", okHeader}, cookie: okCookie}},
	{name: "origin from another site", req: request{headers: []string{"Origin: https://evil.example", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://evil.example does not match any trusted origins."},
	{name: "origin https on an http request", req: request{headers: []string{"Origin: https://example.com", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://example.com does not match any trusted origins."},
	{name: "origin http on an https request", req: request{target: "https://example.com/", headers: []string{"Origin: http://example.com", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://example.com does not match any trusted origins."},
	{name: "origin another port", req: request{target: "http://example.com:8000/", headers: []string{"Origin: http://example.com:8001"}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://example.com:8001 does not match any trusted origins."},
	{name: "origin null", req: request{headers: []string{"Origin: null", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - null does not match any trusted origins."},
	{name: "empty origin is checked", req: request{headers: []string{"Origin: ", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed -  does not match any trusted origins."},
	{name: "origin checked before the cookie", req: request{headers: []string{"Origin: https://evil.example"}},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://evil.example does not match any trusted origins."},
	{name: "trusted exact origin", cfg: trustedCfg, req: request{headers: []string{"Origin: https://app.example.org", okHeader}, cookie: okCookie}},
	{name: "trusted http origin with port", cfg: trustedCfg, req: request{headers: []string{"Origin: http://localhost:3000", okHeader}, cookie: okCookie}},
	{name: "trusted exact is exact (port)", cfg: trustedCfg, req: request{headers: []string{"Origin: http://localhost:3001", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://localhost:3001 does not match any trusted origins."},
	{name: "trusted exact is exact (scheme)", cfg: trustedCfg, req: request{headers: []string{"Origin: http://app.example.org", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://app.example.org does not match any trusted origins."},
	{name: "trusted exact is not a wildcard", cfg: trustedCfg, req: request{headers: []string{"Origin: https://x.app.example.org", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://x.app.example.org does not match any trusted origins."},
	{name: "wildcard subdomain", cfg: trustedCfg, req: request{headers: []string{"Origin: https://a.trusted.example", okHeader}, cookie: okCookie}},
	{name: "wildcard deep subdomain", cfg: trustedCfg, req: request{headers: []string{"Origin: https://a.b.trusted.example", okHeader}, cookie: okCookie}},
	{name: "wildcard apex", cfg: trustedCfg, req: request{headers: []string{"Origin: https://trusted.example", okHeader}, cookie: okCookie}},
	{name: "wildcard scheme is kept", cfg: trustedCfg, req: request{headers: []string{"Origin: http://a.trusted.example", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://a.trusted.example does not match any trusted origins."},
	{name: "wildcard suffix is a label", cfg: trustedCfg, req: request{headers: []string{"Origin: https://eviltrusted.example", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://eviltrusted.example does not match any trusted origins."},
	{name: "wildcard with port", cfg: trustedCfg, req: request{headers: []string{"Origin: http://a.dev.example:8080", okHeader}, cookie: okCookie}},
	{name: "wildcard with port, other port", cfg: trustedCfg, req: request{headers: []string{"Origin: http://a.dev.example:8081", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://a.dev.example:8081 does not match any trusted origins."},
	{name: "wildcard scheme case (urlsplit lowers it)", cfg: trustedCfg, req: request{headers: []string{"Origin: HTTPS://a.trusted.example", okHeader}, cookie: okCookie}},
	{name: "wildcard origin that does not split", cfg: trustedCfg, req: request{headers: []string{"Origin: https://[a.trusted.example", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://[a.trusted.example does not match any trusted origins."},
	{name: "origin passes, the referer is not checked", req: request{target: "https://example.com/", headers: []string{"Origin: https://example.com", "Referer: http://evil.example/", okHeader}, cookie: okCookie}},

	// Referer, on HTTPS without Origin.
	{name: "https without referer", req: request{target: "https://example.com/api/", headers: []string{okHeader}, cookie: okCookie},
		kind: csrf.ErrNoReferer, reason: "Referer checking failed - no Referer."},
	{name: "http needs no referer", req: request{headers: []string{okHeader}, cookie: okCookie}},
	{name: "http ignores a bad referer", req: request{headers: []string{"Referer: http://evil.example/", okHeader}, cookie: okCookie}},
	{name: "referer checked before the cookie", req: request{target: "https://example.com/api/"},
		kind: csrf.ErrNoReferer, reason: "Referer checking failed - no Referer."},
	{name: "empty referer", req: request{target: "https://example.com/", headers: []string{"Referer: ", okHeader}, cookie: okCookie},
		kind: csrf.ErrMalformedReferer, reason: "Referer checking failed - Referer is malformed."},
	{name: "referer without scheme", req: request{target: "https://example.com/", headers: []string{"Referer: example.com/page", okHeader}, cookie: okCookie},
		kind: csrf.ErrMalformedReferer, reason: "Referer checking failed - Referer is malformed."},
	{name: "referer without host", req: request{target: "https://example.com/", headers: []string{"Referer: https:///page", okHeader}, cookie: okCookie},
		kind: csrf.ErrMalformedReferer, reason: "Referer checking failed - Referer is malformed."},
	{name: "referer with a broken bracket", req: request{target: "https://example.com/", headers: []string{"Referer: https://[::1/page", okHeader}, cookie: okCookie},
		kind: csrf.ErrMalformedReferer, reason: "Referer checking failed - Referer is malformed."},
	{name: "referer with an IPv4 in brackets", req: request{target: "https://example.com/", headers: []string{"Referer: https://[1.2.3.4]/", okHeader}, cookie: okCookie},
		kind: csrf.ErrMalformedReferer, reason: "Referer checking failed - Referer is malformed."},
	{name: "referer over http", req: request{target: "https://example.com/", headers: []string{"Referer: http://example.com/page", okHeader}, cookie: okCookie},
		kind: csrf.ErrInsecureReferer, reason: "Referer checking failed - Referer is insecure while host is secure."},
	{name: "referer from another site", req: request{target: "https://example.com/", headers: []string{"Referer: https://evil.example/page?x=1#top", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://evil.example/page?x=1#top does not match any trusted origins."},
	{name: "referer quoted as urlsplit rebuilds it", req: request{target: "https://example.com/", headers: []string{"Referer: HTTPS://Evil.example?#", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://Evil.example does not match any trusted origins."},
	{name: "referer from a subdomain", req: request{target: "https://example.com/", headers: []string{"Referer: https://sub.example.com/", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://sub.example.com/ does not match any trusted origins."},
	{name: "referer on another port", req: request{target: "https://example.com:8443/", headers: []string{"Referer: https://example.com/", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://example.com/ does not match any trusted origins."},
	{name: "own referer", req: request{target: "https://example.com/api/", headers: []string{"Referer: https://example.com/page", okHeader}, cookie: okCookie}},
	{name: "own referer with port", req: request{target: "https://example.com:8443/", headers: []string{"Referer: https://example.com:8443/p", okHeader}, cookie: okCookie}},
	{name: "trusted referer", cfg: trustedCfg, req: request{target: "https://example.com/", headers: []string{"Referer: https://app.example.org/p", okHeader}, cookie: okCookie}},
	{name: "trusted http origin's host is a trusted referer", cfg: trustedCfg, req: request{target: "https://example.com/", headers: []string{"Referer: https://localhost:3000/", okHeader}, cookie: okCookie}},
	{name: "wildcard referer", cfg: trustedCfg, req: request{target: "https://example.com/", headers: []string{"Referer: https://a.b.trusted.example/p", okHeader}, cookie: okCookie}},
	{name: "cookie domain referer", cfg: csrf.Config{CookieDomain: ".example.com"},
		req: request{target: "https://api.example.com/", headers: []string{"Referer: https://www.example.com/", okHeader}, cookie: okCookie}},
	{name: "cookie domain replaces the host", cfg: csrf.Config{CookieDomain: ".example.com"},
		req:  request{target: "https://api.example.net/", headers: []string{"Referer: https://api.example.net/", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://api.example.net/ does not match any trusted origins."},
	{name: "cookie domain at the request's port", cfg: csrf.Config{CookieDomain: ".example.com"},
		req: request{target: "https://api.example.com:8443/", headers: []string{"Referer: https://www.example.com:8443/", okHeader}, cookie: okCookie}},
	{name: "cookie domain at another port", cfg: csrf.Config{CookieDomain: ".example.com"},
		req:  request{target: "https://api.example.com:8443/", headers: []string{"Referer: https://www.example.com/", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://www.example.com/ does not match any trusted origins."},
	{name: "invalid host: no own origin", req: request{headers: []string{"Host: exa_mple.com", "Origin: http://exa_mple.com", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://exa_mple.com does not match any trusted origins."},
	{name: "bad port: no own origin", req: request{headers: []string{"Host: example.com:99999", "Origin: http://example.com:99999", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://example.com:99999 does not match any trusted origins."},
	{name: "IPv6 host", req: request{headers: []string{"Host: [::1]:8000", "Origin: http://[::1]:8000", okHeader}, cookie: okCookie}},
	{name: "host case is kept", req: request{headers: []string{"Host: Example.com", "Origin: http://example.com", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://example.com does not match any trusted origins."},
	{name: "invalid host: no own referer", req: request{target: "https://example.com/", headers: []string{"Host: exa_mple.com", "Referer: https://exa_mple.com/", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadReferer, reason: "Referer checking failed - https://exa_mple.com/ does not match any trusted origins."},

	// The cookie.
	{name: "no cookie", req: request{headers: []string{okHeader}},
		kind: csrf.ErrNoCookie, reason: "CSRF cookie not set."},
	{name: "another cookie only", req: request{headers: []string{okHeader}, cookie: "sessionid=abc; csrftoken2=" + secret},
		kind: csrf.ErrNoCookie, reason: "CSRF cookie not set."},
	{name: "empty cookie", req: request{headers: []string{okHeader}, cookie: "csrftoken="},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has incorrect length."},
	{name: "short cookie", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret[1:]},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has incorrect length."},
	{name: "cookie of 33", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret + "x"},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has incorrect length."},
	{name: "cookie with a dash", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret[1:] + "-"},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has invalid characters."},
	{name: "cookie with a space inside", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret[:10] + " " + secret[11:]},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has invalid characters."},
	{name: "cookie, UTF-8 counts as characters", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret[:30] + "é"},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has incorrect length."},
	{name: "cookie, 32 characters one of them é", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret[:31] + "é"},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has invalid characters."},
	{name: "cookie, the last of two wins", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + otherSecret + "; csrftoken=" + secret}},
	{name: "cookie, the last of two wins (bad)", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret + "; csrftoken=x"},
		kind: csrf.ErrBadCookie, reason: "CSRF cookie has incorrect length."},
	{name: "cookie, spaces around", req: request{headers: []string{okHeader}, cookie: "a=b ;  csrftoken =  " + secret + "  "}},
	{name: "cookie, quoted", req: request{headers: []string{okHeader}, cookie: `csrftoken="` + secret + `"`}},
	{name: "cookie, quoted with an octal escape", req: request{headers: []string{okHeader}, cookie: `csrftoken="\123` + secret[1:] + `"`}},
	{name: "cookie, legacy masked value", req: request{headers: []string{okHeader}, cookie: "csrftoken=" + token2}},
	{name: "cookie, legacy masked value, wrong token", req: request{headers: []string{"X-CSRFToken: " + otherToken}, cookie: "csrftoken=" + token2},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
	{name: "custom cookie name", cfg: csrf.Config{CookieName: "XSRF-TOKEN"}, req: request{headers: []string{okHeader}, cookie: "csrftoken=" + secret},
		kind: csrf.ErrNoCookie, reason: "CSRF cookie not set."},
	{name: "custom cookie name set", cfg: csrf.Config{CookieName: "XSRF-TOKEN"}, req: request{headers: []string{okHeader}, cookie: "XSRF-TOKEN=" + secret}},

	// The token.
	{name: "no token", req: request{cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "masked token", req: request{headers: []string{okHeader}, cookie: okCookie}},
	{name: "another masked token of the secret", req: request{headers: []string{"X-CSRFToken: " + token2}, cookie: okCookie}},
	{name: "the secret itself as token", req: request{headers: []string{"X-CSRFToken: " + secret}, cookie: okCookie}},
	{name: "empty header", req: request{headers: []string{"X-CSRFToken: "}, cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."},
	{name: "short header", req: request{headers: []string{"X-CSRFToken: " + token1[:63]}, cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."},
	{name: "header with invalid characters", req: request{headers: []string{"X-CSRFToken: " + token1[:63] + "!"}, cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."},
	{name: "header, latin-1: é is two characters", req: request{headers: []string{"X-CSRFToken: " + secret[:30] + "é"}, cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."},
	{name: "header of another secret", req: request{headers: []string{"X-CSRFToken: " + otherToken}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
	{name: "header, another secret bare", req: request{headers: []string{"X-CSRFToken: " + otherSecret}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
	{name: "header, mask changed", req: request{headers: []string{"X-CSRFToken: a" + token1[1:]}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
	{name: "header twice is joined", req: request{headers: []string{okHeader, okHeader}, cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."},
	{name: "custom header, META form", cfg: csrf.Config{HeaderName: "HTTP_X_XSRF_TOKEN"}, req: request{headers: []string{"X-XSRF-Token: " + otherToken}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Xsrf-Token' HTTP header incorrect."},
	{name: "custom header, header form", cfg: csrf.Config{HeaderName: "X-XSRF-Token"}, req: request{headers: []string{"X-Xsrf-Token: " + otherToken}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Xsrf-Token' HTTP header incorrect."},
	{name: "custom header ignores X-CSRFToken", cfg: csrf.Config{HeaderName: "HTTP_X_XSRF_TOKEN"}, req: request{headers: []string{okHeader}, cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},

	// The form field.
	{name: "form field", req: request{ctype: "application/x-www-form-urlencoded", body: "a=1&csrfmiddlewaretoken=" + token1, cookie: okCookie}},
	{name: "form field, charset", django32: "3.2 compares the media type case-sensitively", req: request{ctype: "Application/X-WWW-Form-Urlencoded; charset=utf-8", body: "csrfmiddlewaretoken=" + token1, cookie: okCookie}},
	{name: "form field wins over the header", req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + otherToken, headers: []string{okHeader}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from POST incorrect."},
	{name: "form field, last value wins", req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + token1 + "&csrfmiddlewaretoken=" + otherToken, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from POST incorrect."},
	{name: "form field of wrong length", req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=abc", cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from POST has incorrect length."},
	{name: "form field with invalid characters", req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + secret[:31] + "+", cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from POST has invalid characters."},
	{name: "form field, %C3%A9 is one character", req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + secret[:31] + "%C3%A9", cookie: okCookie},
		kind: csrf.ErrBadToken, reason: "CSRF token from POST has invalid characters."},
	{name: "form field, escaped name", req: request{ctype: "application/x-www-form-urlencoded", body: "csrf%6Diddlewaretoken=" + otherToken, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from POST incorrect."},
	{name: "empty form field falls back to the header", req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=", headers: []string{okHeader}, cookie: okCookie}},
	{name: "form without the field falls back to the header", req: request{ctype: "application/x-www-form-urlencoded", body: "a=1", headers: []string{"X-CSRFToken: " + otherToken}, cookie: okCookie},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from the 'X-Csrftoken' HTTP header incorrect."},
	{name: "form field and no header", req: request{ctype: "application/x-www-form-urlencoded", body: "a=1", cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "JSON body is not a form", req: request{ctype: "application/json", body: `{"csrfmiddlewaretoken":"` + token1 + `"}`, cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "PUT form is not read", req: request{method: "PUT", ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + token1, cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "DELETE with header", req: request{method: "DELETE", headers: []string{okHeader}, cookie: okCookie}},
	{name: "PATCH without token", req: request{method: "PATCH", cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "multipart field", req: request{ctype: "multipart/form-data; boundary=XyZ", cookie: okCookie,
		body: "--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n" + token1 + "\r\n--XyZ--\r\n"}},
	{name: "multipart field incorrect", req: request{ctype: "multipart/form-data; boundary=XyZ", cookie: okCookie,
		body: "--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n" + otherToken + "\r\n--XyZ--\r\n"},
		kind: csrf.ErrTokenMismatch, reason: "CSRF token from POST incorrect."},
	{name: "multipart file is not the field", req: request{ctype: "multipart/form-data; boundary=XyZ", cookie: okCookie,
		body: "--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"; filename=\"t.txt\"\r\n\r\n" + token1 + "\r\n--XyZ--\r\n"},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "form body over the limit is not read", cfg: csrf.Config{MaxFormBytes: 100}, notDjango: "Django answers 400 (RequestDataTooBig)",
		req:  request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + token1 + "&pad=" + strings.Repeat("x", 100), cookie: okCookie},
		kind: csrf.ErrTokenMissing, reason: "CSRF token missing."},
	{name: "form body at the limit is read", cfg: csrf.Config{MaxFormBytes: 84},
		req: request{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + token1, cookie: okCookie}},

	// The request's own origin behind a proxy.
	{name: "X-Forwarded-Host ignored by default", req: request{headers: []string{"Origin: https://public.example", "X-Forwarded-Host: public.example", "X-Forwarded-Proto: https", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - https://public.example does not match any trusted origins."},
	{name: "behind a proxy", cfg: csrf.Config{UseXForwardedHost: true, SecureProxySSLHeader: [2]string{"HTTP_X_FORWARDED_PROTO", "https"}},
		req: request{headers: []string{"Origin: https://public.example", "X-Forwarded-Host: public.example", "X-Forwarded-Proto: https", okHeader}, cookie: okCookie}},
	{name: "behind a proxy, first proto value", django32: "3.2 compares the whole header, not its first value", cfg: csrf.Config{UseXForwardedHost: true, SecureProxySSLHeader: [2]string{"X-Forwarded-Proto", "https"}},
		req: request{headers: []string{"Origin: https://public.example", "X-Forwarded-Host: public.example", "X-Forwarded-Proto: https , http", okHeader}, cookie: okCookie}},
	{name: "proxy says http on a TLS connection", cfg: csrf.Config{SecureProxySSLHeader: [2]string{"HTTP_X_FORWARDED_PROTO", "https"}},
		req: request{target: "https://example.com/", headers: []string{"Origin: http://example.com", "X-Forwarded-Proto: http", okHeader}, cookie: okCookie}},
	{name: "proxy says https: the referer is checked", cfg: csrf.Config{SecureProxySSLHeader: [2]string{"HTTP_X_FORWARDED_PROTO", "https"}},
		req:  request{headers: []string{"X-Forwarded-Proto: https", okHeader}, cookie: okCookie},
		kind: csrf.ErrNoReferer, reason: "Referer checking failed - no Referer."},
	{name: "forwarded port", cfg: csrf.Config{UseXForwardedHost: true, UseXForwardedPort: true},
		req: request{headers: []string{"Origin: http://public.example:8443", "X-Forwarded-Host: public.example", "X-Forwarded-Port: 8443", okHeader}, cookie: okCookie}},
	{name: "forwarded port with a port in X-Forwarded-Host", cfg: csrf.Config{UseXForwardedHost: true, UseXForwardedPort: true},
		req:  request{headers: []string{"Origin: http://public.example:8443", "X-Forwarded-Host: public.example:8443", "X-Forwarded-Port: 8443", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://public.example:8443 does not match any trusted origins."},
	{name: "forwarded host that is not a host", cfg: csrf.Config{UseXForwardedHost: true},
		req:  request{headers: []string{"Origin: http://a.example, b.example", "X-Forwarded-Host: a.example, b.example", okHeader}, cookie: okCookie},
		kind: csrf.ErrBadOrigin, reason: "Origin checking failed - http://a.example, b.example does not match any trusted origins."},
}

// TestCheckReasons runs checkCases.
func TestCheckReasons(t *testing.T) {
	for _, tc := range checkCases {
		t.Run(tc.name, func(t *testing.T) {
			p := newProtection(t, tc.cfg)
			assertReason(t, p.Check(tc.req.build()), tc.kind, tc.reason)
		})
	}
}

// TestCheckKeepsTheBody: reading the form field leaves the body whole for the handler, under
// the limit and over it.
func TestCheckKeepsTheBody(t *testing.T) {
	for _, size := range []int{0, 10, 1000, 5000} {
		body := "csrfmiddlewaretoken=" + token1 + "&pad=" + strings.Repeat("x", size)
		p := newProtection(t, csrf.Config{MaxFormBytes: 1024})
		r := request{ctype: "application/x-www-form-urlencoded", body: body, cookie: okCookie, headers: []string{okHeader}}.build()
		if err := p.Check(r); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		got, err := io.ReadAll(r.Body)
		if err != nil || string(got) != body {
			t.Fatalf("size %d: body after Check: %d bytes, %v; want %d bytes", size, len(got), err, len(body))
		}
		if err := r.Body.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSafeMethod is Django's list: GET, HEAD, OPTIONS, TRACE.
func TestSafeMethod(t *testing.T) {
	for m, want := range map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "TRACE": true,
		"POST": false, "PUT": false, "PATCH": false, "DELETE": false, "CONNECT": false, "get": false, "PROPFIND": false} {
		if got := csrf.SafeMethod(m); got != want {
			t.Errorf("SafeMethod(%q) = %v, want %v", m, got, want)
		}
	}
}

// TestDetailOfOtherErrors: Detail answers only for CSRF errors.
func TestDetailOfOtherErrors(t *testing.T) {
	if d, ok := csrf.Detail(errors.New("boom")); ok || d != "" {
		t.Fatalf("Detail(other) = %q, %v", d, ok)
	}
	if d, ok := csrf.Detail(nil); ok || d != "" {
		t.Fatalf("Detail(nil) = %q, %v", d, ok)
	}
	p := newProtection(t, csrf.Config{})
	err := p.Check(request{}.build())
	wrapped := errors.Join(errors.New("transport"), err)
	if d, ok := csrf.Detail(wrapped); !ok || d != "CSRF Failed: CSRF cookie not set." {
		t.Fatalf("Detail(wrapped) = %q, %v", d, ok)
	}
	if err.Error() != "csrf: CSRF cookie not set." {
		t.Fatalf("Error() = %q", err.Error())
	}
}

package csrf_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// reasonRE is the closed set of reasons Check gives: Django's texts, with the Origin or the
// Referer (attacker-chosen, so anything) where Django formats them.
var reasonRE = regexp.MustCompile(`^(?s:` +
	`Origin checking failed - .* does not match any trusted origins\.` +
	`|Referer checking failed - (no Referer\.|Referer is malformed\.|Referer is insecure while host is secure\.|https://.* does not match any trusted origins\.)` +
	`|CSRF cookie not set\.|CSRF token missing\.` +
	`|CSRF cookie has (incorrect length|invalid characters)\.` +
	`|CSRF token from (POST|the 'X-Csrftoken' HTTP header) (has incorrect length|has invalid characters|incorrect)\.` +
	`)$`)

// FuzzCheck feeds any Cookie header, token header, form body, Content-Type, Origin and Referer
// to Check and Token. Check never panics, answers nil or an *Error of one kind with a reason
// from Django's set, leaves the body whole, and gives the same answer twice; Token always
// mints a 64-character token that passes Check with the cookie it set, keeping the secret of a
// cookie that Check accepts as well formed.
func FuzzCheck(f *testing.F) {
	seeds := []struct{ cookie, header, body, ctype, origin, referer string }{
		{"csrftoken=" + secret, token1, "", "application/json", "", ""},
		{"csrftoken=" + token2, secret, "", "", "http://example.com", ""},
		{"csrftoken=" + secret, "", "csrfmiddlewaretoken=" + token1, "application/x-www-form-urlencoded", "", "https://example.com/"},
		{"a=b; csrftoken=\"\\123" + secret[1:] + "\"", token1, "", "", "", ""},
		{"csrftoken=" + secret[:30] + "é", token1[:63] + "\xff", "csrfmiddlewaretoken=%C3%A9%zz+", "application/x-www-form-urlencoded", "null", "https://[::1"},
		{"csrftoken=" + secret, "", "--B\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n" + token1 + "\r\n--B--\r\n",
			"multipart/form-data; boundary=B", "https://a.trusted.example", "http://x/"},
		{"", "", "", "", "HTTPS://a.trusted.example", "ht\ttps://example.com"},
		{"csrftoken=;csrftoken", "\x00", "&&=&csrfmiddlewaretoken", "application/x-www-form-urlencoded; charset", "https://", "https://example.com:99999/"},
	}
	for _, s := range seeds {
		for _, https := range []bool{false, true} {
			f.Add(s.cookie, s.header, s.body, s.ctype, s.origin, s.referer, https)
		}
	}
	p := newProtection(f, csrf.Config{TrustedOrigins: []string{"https://*.trusted.example", "http://localhost:3000"}, MaxFormBytes: 1 << 12})
	kinds := []error{csrf.ErrBadOrigin, csrf.ErrNoReferer, csrf.ErrMalformedReferer, csrf.ErrInsecureReferer,
		csrf.ErrBadReferer, csrf.ErrNoCookie, csrf.ErrBadCookie, csrf.ErrTokenMissing, csrf.ErrBadToken, csrf.ErrTokenMismatch}

	f.Fuzz(func(t *testing.T, cookie, header, body, ctype, origin, referer string, https bool) {
		build := func() *http.Request {
			target := "http://example.com/api/"
			if https {
				target = "https://example.com/api/"
			}
			r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
			set := func(name, value string) {
				if value != "" {
					r.Header[name] = []string{value} // as sent: no canonicalization of the value
				}
			}
			set("Cookie", cookie)
			set("X-Csrftoken", header)
			set("Content-Type", ctype)
			set("Origin", origin)
			set("Referer", referer)
			return r
		}
		r := build()
		err := p.Check(r)
		if err != nil {
			var e *csrf.Error
			if !errors.As(err, &e) {
				t.Fatalf("not a *csrf.Error: %#v", err)
			}
			n := 0
			for _, k := range kinds {
				if errors.Is(err, k) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d kinds for %v", n, err)
			}
			if !reasonRE.MatchString(e.Reason) {
				t.Fatalf("reason outside Django's set: %q", e.Reason)
			}
		}
		got, rerr := io.ReadAll(r.Body)
		if rerr != nil || string(got) != body {
			t.Fatalf("body after Check: %q (%v), want %q", got, rerr, body)
		}
		if err2 := p.Check(build()); (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("two answers: %v / %v", err, err2)
		}

		// Token from the fuzzed cookie, then a same-origin request with what it set.
		w := httptest.NewRecorder()
		tr := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
		if cookie != "" {
			tr.Header["Cookie"] = []string{cookie}
		}
		tok := p.Token(w, tr)
		set, perr := http.ParseSetCookie(w.Header().Get("Set-Cookie"))
		if perr != nil || len(tok) != csrf.TokenLength || len(set.Value) != csrf.SecretLength {
			t.Fatalf("Token: %q, Set-Cookie %q (%v)", tok, w.Header().Get("Set-Cookie"), perr)
		}
		ok := httptest.NewRequest(http.MethodPost, "http://example.com/api/", nil)
		ok.Header.Set("Origin", "http://example.com")
		ok.Header.Set("Cookie", "csrftoken="+set.Value)
		ok.Header.Set("X-CSRFToken", tok)
		if err := p.Check(ok); err != nil {
			t.Fatalf("minted token refused: %v", err)
		}
		// A cookie that Check found well formed (it got past the cookie) keeps its secret:
		// the minted token passes with the original Cookie header too.
		if err == nil || errors.Is(err, csrf.ErrTokenMissing) || errors.Is(err, csrf.ErrBadToken) || errors.Is(err, csrf.ErrTokenMismatch) {
			again := httptest.NewRequest(http.MethodPost, "http://example.com/api/", nil)
			again.Header.Set("Origin", "http://example.com")
			again.Header["Cookie"] = []string{cookie}
			again.Header.Set("X-CSRFToken", tok)
			if err := p.Check(again); err != nil {
				t.Fatalf("token minted from cookie %q refused with it: %v", cookie, err)
			}
		}
	})
}

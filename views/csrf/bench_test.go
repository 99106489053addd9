package csrf_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// Benchmarks of Check on its success paths, the cost a cookie-authenticated unsafe request
// pays. Run: go test -run '^$' -bench . -benchmem ./views/csrf/

// BenchmarkCheck: a browser's fetch with Origin, the cookie and the X-CSRFToken header (a
// single-page app's request), over HTTP and over HTTPS with a trusted wildcard origin.
func BenchmarkCheck(b *testing.B) {
	cases := []struct {
		name   string
		cfg    csrf.Config
		target string
		origin string
	}{
		{name: "http-own-origin", target: "http://api.example.com/api/token/refresh/", origin: "http://api.example.com"},
		{name: "https-trusted-wildcard", cfg: csrf.Config{TrustedOrigins: []string{"https://*.example.com"}},
			target: "https://api.example.com/api/token/refresh/", origin: "https://app.example.com"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			p := newProtection(b, tc.cfg)
			r := httptest.NewRequest(http.MethodPost, tc.target, nil)
			r.Header.Set("Origin", tc.origin)
			r.Header.Set("Cookie", "sessionid=abc; csrftoken="+secret+"; theme=dark")
			r.Header.Set("X-CSRFToken", token1)
			r.Header.Set("Content-Type", "application/json")
			if err := p.Check(r); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Check(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckForm: a form POST over HTTPS (Referer check) with the token in the
// csrfmiddlewaretoken field, the body read and put back each time.
func BenchmarkCheckForm(b *testing.B) {
	p := newProtection(b, csrf.Config{})
	body := "username=alice&password=alice-password-1&csrfmiddlewaretoken=" + token1
	r := httptest.NewRequest(http.MethodPost, "https://example.com/login/", nil)
	r.Header.Set("Referer", "https://example.com/login/")
	r.Header.Set("Cookie", "csrftoken="+secret)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	br := strings.NewReader(body)
	b.ReportAllocs()
	for b.Loop() {
		br.Reset(body)
		r.Body = io.NopCloser(br)
		if err := p.Check(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToken: minting a token for a request that has the cookie (the secret is kept).
func BenchmarkToken(b *testing.B) {
	p := newProtection(b, csrf.Config{})
	r := httptest.NewRequest(http.MethodGet, "http://example.com/api/token/csrf/", nil)
	r.Header.Set("Cookie", "csrftoken="+secret)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		clear(w.Header())
		if tok := p.Token(w, r); len(tok) != csrf.TokenLength {
			b.Fatal(tok)
		}
	}
}

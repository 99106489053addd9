package csrf_test

import (
	"errors"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// TestCheckCrossOrigin: the token-free layer on Sec-Fetch-Site and Origin, with trusted
// origins (wildcards too) and the request's own origin behind a proxy.
func TestCheckCrossOrigin(t *testing.T) {
	trusted := csrf.Config{TrustedOrigins: []string{"https://app.example.org", "https://*.trusted.example"}}
	proxied := csrf.Config{UseXForwardedHost: true, SecureProxySSLHeader: [2]string{"HTTP_X_FORWARDED_PROTO", "https"}}
	cases := []struct {
		name   string
		cfg    csrf.Config
		req    request
		reason string // "" for allowed
	}{
		{name: "no browser headers", req: request{}},
		{name: "same-origin", req: request{headers: []string{"Sec-Fetch-Site: same-origin", "Origin: http://example.com"}}},
		{name: "user navigation", req: request{headers: []string{"Sec-Fetch-Site: none"}}},
		{name: "GET cross-site", req: request{method: "GET", headers: []string{"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"}}},
		{name: "TRACE cross-site (Django's safe list)", req: request{method: "TRACE", headers: []string{"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"}}},
		{name: "cross-site", req: request{headers: []string{"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"}},
			reason: "Origin checking failed - https://evil.example does not match any trusted origins."},
		{name: "same-site: another port of the site", req: request{target: "http://127.0.0.1:8000/", headers: []string{"Sec-Fetch-Site: same-site", "Origin: http://127.0.0.1:9000"}},
			reason: "Origin checking failed - http://127.0.0.1:9000 does not match any trusted origins."},
		{name: "cross-site without Origin", req: request{method: "DELETE", headers: []string{"Sec-Fetch-Site: cross-site"}},
			reason: "Cross-origin request detected from Sec-Fetch-Site header."},
		{name: "old browser, foreign Origin", req: request{headers: []string{"Origin: https://evil.example"}},
			reason: "Origin checking failed - https://evil.example does not match any trusted origins."},
		{name: "old browser, own Origin", req: request{headers: []string{"Origin: http://example.com"}}},
		{name: "trusted exact", cfg: trusted, req: request{headers: []string{"Sec-Fetch-Site: cross-site", "Origin: https://app.example.org"}}},
		{name: "trusted wildcard", cfg: trusted, req: request{headers: []string{"Sec-Fetch-Site: same-site", "Origin: https://a.trusted.example"}}},
		{name: "trusted wildcard, old browser", cfg: trusted, req: request{headers: []string{"Origin: https://trusted.example"}}},
		{name: "trusted wildcard, other scheme", cfg: trusted, req: request{headers: []string{"Sec-Fetch-Site: cross-site", "Origin: http://a.trusted.example"}},
			reason: "Origin checking failed - http://a.trusted.example does not match any trusted origins."},
		{name: "behind a proxy, own public origin", cfg: proxied,
			req: request{target: "http://10.0.0.2:8000/", headers: []string{"Origin: https://api.example.com", "X-Forwarded-Host: api.example.com", "X-Forwarded-Proto: https"}}},
		{name: "behind a proxy, another origin", cfg: proxied,
			req:    request{target: "http://10.0.0.2:8000/", headers: []string{"Origin: https://evil.example", "X-Forwarded-Host: api.example.com", "X-Forwarded-Proto: https"}},
			reason: "Origin checking failed - https://evil.example does not match any trusted origins."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newProtection(t, tc.cfg)
			err := p.CheckCrossOrigin(tc.req.build())
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *csrf.Error
			if !errors.As(err, &e) || !errors.Is(err, csrf.ErrCrossOrigin) {
				t.Fatalf("got %v, want ErrCrossOrigin", err)
			}
			if e.Reason != tc.reason {
				t.Fatalf("reason:\n got %q\nwant %q", e.Reason, tc.reason)
			}
			if e.Cause == nil {
				t.Fatal("no net/http cause")
			}
		})
	}
}

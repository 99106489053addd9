package csrf_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// TestDefaultConfig: Django's defaults, and Config{} behaves as DefaultConfig().
func TestDefaultConfig(t *testing.T) {
	d := csrf.DefaultConfig()
	if d.CookieName != "csrftoken" || d.HeaderName != "HTTP_X_CSRFTOKEN" || d.CookiePath != "/" ||
		d.CookieSameSite != "Lax" || d.CookieAge != 31449600*time.Second || d.CookieSecure || d.CookieHTTPOnly ||
		d.CookieDomain != "" || len(d.TrustedOrigins) != 0 || d.UseXForwardedHost || d.UseXForwardedPort ||
		d.SecureProxySSLHeader != [2]string{} || d.MaxFormBytes != 2621440 {
		t.Fatalf("DefaultConfig() = %+v", d)
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	got := newProtection(t, csrf.Config{}).Config()
	got.Now = nil
	if got.CookieName != d.CookieName || got.HeaderName != d.HeaderName || got.CookieAge != d.CookieAge ||
		got.CookieSameSite != d.CookieSameSite || got.CookiePath != d.CookiePath || got.MaxFormBytes != d.MaxFormBytes {
		t.Fatalf("New(Config{}).Config() = %+v", got)
	}
}

// TestValidate: every rejected setting, with Django's own text where Django has one.
func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  csrf.Config
		want string // a substring of the error; "" for valid
	}{
		{name: "trusted origins", cfg: csrf.Config{TrustedOrigins: []string{
			"https://app.example.com", "http://localhost:3000", "https://*.example.com", "http://[::1]:8000",
			"https://*.example.com:8443", "chrome-extension://abcdef"}}},
		{name: "no scheme (Django's 4_0.E001)", cfg: csrf.Config{TrustedOrigins: []string{"app.example.com"}},
			want: "(4_0.E001) As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS setting must start with a scheme " +
				"(usually http:// or https://) but found app.example.com. See the release notes for details."},
		{name: "Django 3.2 wildcard", cfg: csrf.Config{TrustedOrigins: []string{".example.com"}},
			want: "but found .example.com."},
		{name: "trailing slash", cfg: csrf.Config{TrustedOrigins: []string{"https://app.example.com/"}},
			want: `"https://app.example.com/" has a path, query or fragment`},
		{name: "path", cfg: csrf.Config{TrustedOrigins: []string{"https://app.example.com/api"}}, want: "has a path"},
		{name: "query", cfg: csrf.Config{TrustedOrigins: []string{"https://app.example.com?x"}}, want: "has a path"},
		{name: "no host", cfg: csrf.Config{TrustedOrigins: []string{"https://"}}, want: "has no scheme or no host"},
		{name: "bad scheme", cfg: csrf.Config{TrustedOrigins: []string{"1https://a.example"}}, want: "has no scheme or no host"},
		{name: "user", cfg: csrf.Config{TrustedOrigins: []string{"https://u@a.example"}}, want: "has a user name"},
		{name: "upper case", cfg: csrf.Config{TrustedOrigins: []string{"https://App.example.com"}}, want: "is not in lower case"},
		{name: "space", cfg: csrf.Config{TrustedOrigins: []string{"https://a.example.com "}}, want: "characters that an Origin header never has"},
		{name: "broken bracket", cfg: csrf.Config{TrustedOrigins: []string{"https://[::1"}}, want: "invalid IPv6 URL"},
		{name: "bare wildcard", cfg: csrf.Config{TrustedOrigins: []string{"https://*"}}, want: `"*" that is not a leading "*."`},
		{name: "wildcard without dot", cfg: csrf.Config{TrustedOrigins: []string{"https://*example.com"}}, want: `"*" that is not`},
		{name: "inner wildcard", cfg: csrf.Config{TrustedOrigins: []string{"https://a.*.example.com"}}, want: `"*" that is not`},
		{name: "two wildcards", cfg: csrf.Config{TrustedOrigins: []string{"https://*.*.example.com"}}, want: `"*" that is not`},
		{name: "samesite", cfg: csrf.Config{CookieSameSite: "sometimes"},
			want: `CSRF_COOKIE_SAMESITE "sometimes": samesite must be "lax", "none", or "strict".`},
		{name: "samesite none without secure", cfg: csrf.Config{CookieSameSite: "None"}, want: "needs CSRF_COOKIE_SECURE"},
		{name: "samesite none with secure", cfg: csrf.Config{CookieSameSite: "None", CookieSecure: true}},
		{name: "samesite False", cfg: csrf.Config{CookieSameSite: "False"}},
		{name: "cookie name", cfg: csrf.Config{CookieName: "csrf token"}, want: "CSRF_COOKIE_NAME"},
		{name: "cookie domain", cfg: csrf.Config{CookieDomain: "example.com/"}, want: "CSRF_COOKIE_DOMAIN"},
		{name: "cookie domain dots", cfg: csrf.Config{CookieDomain: "..example.com"}, want: "CSRF_COOKIE_DOMAIN"},
		{name: "cookie path", cfg: csrf.Config{CookiePath: "api"}, want: "CSRF_COOKIE_PATH"},
		{name: "header META form", cfg: csrf.Config{HeaderName: "HTTP_X_XSRF_TOKEN"}},
		{name: "header name", cfg: csrf.Config{HeaderName: "X-XSRF-TOKEN"}},
		{name: "header META key without HTTP_", cfg: csrf.Config{HeaderName: "X_CSRFTOKEN"}, want: "neither a request.META key"},
		{name: "header with a colon", cfg: csrf.Config{HeaderName: "X-CSRF:"}, want: "not a valid header name"},
		{name: "empty META header", cfg: csrf.Config{HeaderName: "HTTP_"}, want: "not a valid header name"},
		{name: "proxy header", cfg: csrf.Config{SecureProxySSLHeader: [2]string{"HTTP_X_FORWARDED_PROTO", "https"}}},
		{name: "proxy header without value", cfg: csrf.Config{SecureProxySSLHeader: [2]string{"HTTP_X_FORWARDED_PROTO", ""}}, want: "has no value"},
		{name: "proxy header without name", cfg: csrf.Config{SecureProxySSLHeader: [2]string{"", "https"}}, want: "SECURE_PROXY_SSL_HEADER"},
		{name: "negative form limit", cfg: csrf.Config{MaxFormBytes: -1}, want: "MaxFormBytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			_, newErr := csrf.New(tc.cfg)
			if tc.want == "" {
				if err != nil || newErr != nil {
					t.Fatalf("Validate: %v; New: %v", err, newErr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate: %v\nwant it to contain %q", err, tc.want)
			}
			if !errors.Is(err, csrf.ErrConfig) || !errors.Is(newErr, csrf.ErrConfig) {
				t.Fatalf("not ErrConfig: %v / %v", err, newErr)
			}
		})
	}
}

// TestValidateReportsAll: one error per bad entry, all at once.
func TestValidateReportsAll(t *testing.T) {
	err := csrf.Config{TrustedOrigins: []string{"a.example", "https://ok.example", "https://b.example/"},
		CookieSameSite: "x"}.Validate()
	if err == nil {
		t.Fatal("valid")
	}
	for _, want := range []string{"found a.example.", `"https://b.example/"`, `CSRF_COOKIE_SAMESITE "x"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "ok.example") {
		t.Errorf("a valid entry reported:\n%v", err)
	}
}

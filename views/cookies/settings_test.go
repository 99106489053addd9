package cookies_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/views/cookies"
	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

func TestSettingsDefaults(t *testing.T) {
	var s cookies.Settings
	if s.Enabled() || s.CSRFInUse() || !s.HTTPOnly() {
		t.Errorf("zero value: enabled %v, CSRF %v, HttpOnly %v", s.Enabled(), s.CSRFInUse(), s.HTTPOnly())
	}
	d := s.WithDefaults()
	if d.RefreshCookiePath != "/" || d.SameSite != "Lax" || !d.HTTPOnly() || d.Secure || d.Domain != "" {
		t.Errorf("dj-rest-auth's defaults: %+v", d)
	}
	tr, err := cookies.New(s, cookies.Lifetimes{}, nil)
	if tr != nil || err != nil {
		t.Errorf("no cookie name: no transport, got %v %v", tr, err)
	}
	if (cookies.Settings{UseCSRF: true}).CSRFInUse() {
		t.Error("USE_CSRF without a cookie name is not in use")
	}
}

func TestSettingsValidate(t *testing.T) {
	cases := []struct {
		name string
		s    cookies.Settings
		want string // "" for valid
	}{
		{"names", cookies.Settings{Cookie: "access", RefreshCookie: "refresh"}, ""},
		{"bad name", cookies.Settings{Cookie: "acc ess"}, `JWT_AUTH_COOKIE "acc ess" is not a valid cookie name`},
		{"bad refresh name", cookies.Settings{RefreshCookie: "a;b"}, `JWT_AUTH_REFRESH_COOKIE "a;b" is not a valid cookie name`},
		{"same names", cookies.Settings{Cookie: "t", RefreshCookie: "t"}, "are both"},
		{"path", cookies.Settings{Cookie: "a", RefreshCookiePath: "api"}, "JWT_AUTH_REFRESH_COOKIE_PATH"},
		{"domain", cookies.Settings{Cookie: "a", Domain: "a;b"}, "JWT_AUTH_COOKIE_DOMAIN"},
		{"samesite", cookies.Settings{Cookie: "a", SameSite: "sometimes"}, `samesite must be "lax", "none", or "strict".`},
		{"None without Secure", cookies.Settings{Cookie: "a", SameSite: "None"}, "needs JWT_AUTH_SECURE"},
		{"None with Secure", cookies.Settings{Cookie: "a", SameSite: "None", Secure: true}, ""},
		{"False", cookies.Settings{Cookie: "a", SameSite: "False"}, ""},
		{"CSRF settings checked", cookies.Settings{Cookie: "a", CSRF: csrf.Config{TrustedOrigins: []string{"app.example.com"}}}, "4_0.E001"},
	}
	for _, tc := range cases {
		err := tc.s.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		case tc.want != "" && !errors.Is(err, cookies.ErrSettings) && !errors.Is(err, csrf.ErrConfig):
			t.Errorf("%s: %v wraps neither ErrSettings nor csrf.ErrConfig", tc.name, err)
		}
		if _, nerr := cookies.New(tc.s, cookies.Lifetimes{Access: time.Minute}, nil); (nerr == nil) != (tc.want == "") {
			t.Errorf("%s: New: %v", tc.name, nerr)
		}
	}
}

func TestSettingsFromEnv(t *testing.T) {
	env := map[string]string{
		"REST_AUTH_JWT_AUTH_COOKIE":                                 "access",
		"REST_AUTH_JWT_AUTH_REFRESH_COOKIE":                         "refresh",
		"REST_AUTH_JWT_AUTH_REFRESH_COOKIE_PATH":                    "/api/token/",
		"REST_AUTH_JWT_AUTH_SECURE":                                 "true",
		"REST_AUTH_JWT_AUTH_HTTPONLY":                               "False",
		"REST_AUTH_JWT_AUTH_SAMESITE":                               "Strict",
		"REST_AUTH_JWT_AUTH_COOKIE_DOMAIN":                          "None",
		"REST_AUTH_JWT_AUTH_RETURN_EXPIRATION":                      "1",
		"REST_AUTH_JWT_AUTH_COOKIE_USE_CSRF":                        "true",
		"REST_AUTH_JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED": "false",
		"CSRF_COOKIE_NAME":                                          "xsrf",
		"CSRF_HEADER_NAME":                                          "HTTP_X_XSRF_TOKEN",
		"CSRF_TRUSTED_ORIGINS":                                      "https://a.example, https://*.b.example",
		"CSRF_COOKIE_SECURE":                                        "true",
		"CSRF_COOKIE_HTTPONLY":                                      "false",
		"CSRF_COOKIE_SAMESITE":                                      "Strict",
		"CSRF_COOKIE_DOMAIN":                                        "example.com",
		"CSRF_COOKIE_PATH":                                          "/api/",
	}
	if len(env) != len(cookies.EnvNames()) {
		t.Fatalf("the test sets %d variables, the table has %d", len(env), len(cookies.EnvNames()))
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	s, err := cookies.SettingsFromEnv(cookies.Settings{}, lookup)
	if err != nil {
		t.Fatal(err)
	}
	want := cookies.Settings{
		Cookie: "access", RefreshCookie: "refresh", RefreshCookiePath: "/api/token/", Secure: true, NotHTTPOnly: true,
		SameSite: "Strict", ReturnExpiration: true, UseCSRF: true,
		CSRF: csrf.Config{
			CookieName: "xsrf", HeaderName: "HTTP_X_XSRF_TOKEN", TrustedOrigins: []string{"https://a.example", "https://*.b.example"},
			CookieSecure: true, CookieSameSite: "Strict", CookieDomain: "example.com", CookiePath: "/api/",
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}

	bad := map[string]string{"REST_AUTH_JWT_AUTH_SECURE": "yes please", "REST_AUTH_JWT_AUTH_COOKIE_USE_CSRF": "maybe"}
	_, err = cookies.SettingsFromEnv(cookies.Settings{}, func(k string) (string, bool) { v, ok := bad[k]; return v, ok })
	if err == nil || !strings.Contains(err.Error(), "REST_AUTH_JWT_AUTH_SECURE") || !strings.Contains(err.Error(), "REST_AUTH_JWT_AUTH_COOKIE_USE_CSRF") {
		t.Errorf("every bad variable named: %v", err)
	}
	none, err := cookies.SettingsFromEnv(cookies.Settings{}, func(string) (string, bool) { return "", false })
	if err != nil || none.Enabled() {
		t.Errorf("no variables: %+v %v", none, err)
	}
}

package cookies

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// This file is the one place of the cookie transport's settings: dj-rest-auth's REST_AUTH
// keys (app_settings.py), Django's CSRF_* keys that apply, their defaults, their checks and
// their environment variables.

// dj-rest-auth's defaults (dj_rest_auth/app_settings.py).
const (
	// DefaultRefreshCookiePath is JWT_AUTH_REFRESH_COOKIE_PATH.
	DefaultRefreshCookiePath = "/"
	// DefaultSameSite is JWT_AUTH_SAMESITE.
	DefaultSameSite = "Lax"
)

// Settings is dj-rest-auth's REST_AUTH cookie keys, same names, defaults and meaning, and
// Django's CSRF settings. The zero value is dj-rest-auth's defaults: no cookie name, so no
// cookie at all and nothing changes on the wire.
type Settings struct {
	// Cookie is JWT_AUTH_COOKIE (default None): the access token's cookie ("access"). Auth
	// reads it when the request has no Authorization header.
	Cookie string
	// RefreshCookie is JWT_AUTH_REFRESH_COOKIE (default None): the refresh token's cookie
	// ("refresh"), read by the refresh and blacklist (logout) endpoints.
	RefreshCookie string
	// RefreshCookiePath is JWT_AUTH_REFRESH_COOKIE_PATH (default "/"): e.g. "/api/token/" so
	// that the refresh token is sent to the token endpoints only.
	RefreshCookiePath string
	// Secure is JWT_AUTH_SECURE (default False): the Secure attribute of both cookies.
	Secure bool
	// NotHTTPOnly is JWT_AUTH_HTTPONLY = False (default True, so the zero value is HttpOnly):
	// HttpOnly (see HTTPOnly) is the attribute of both cookies, and then the body's refresh
	// token is blanked ("") when it travels in a cookie.
	NotHTTPOnly bool
	// SameSite is JWT_AUTH_SAMESITE (default "Lax"): "Lax", "Strict", "None" (needs Secure),
	// or "False" to omit the attribute.
	SameSite string
	// Domain is JWT_AUTH_COOKIE_DOMAIN (default None): the Domain attribute of both cookies.
	Domain string
	// ReturnExpiration is JWT_AUTH_RETURN_EXPIRATION (default False): the obtain body adds
	// access_expiration and refresh_expiration.
	ReturnExpiration bool
	// UseCSRF is JWT_AUTH_COOKIE_USE_CSRF (default False): a request authenticated by a cookie
	// (Auth, refresh, logout) with an unsafe method needs Django's CSRF check.
	UseCSRF bool
	// EnforceCSRFOnUnauthenticated is JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED (default
	// False): every unsafe request without an Authorization header needs the CSRF check,
	// login included.
	EnforceCSRFOnUnauthenticated bool
	// CSRF is Django's CSRF_* settings (CSRF_COOKIE_NAME, CSRF_HEADER_NAME,
	// CSRF_TRUSTED_ORIGINS, CSRF_COOKIE_SECURE, CSRF_COOKIE_SAMESITE, CSRF_COOKIE_DOMAIN,
	// CSRF_COOKIE_PATH, …); the zero value is Django's defaults. CSRF_TRUSTED_ORIGINS also
	// feeds the token-free cross-origin layer.
	CSRF csrf.Config
}

// Enabled reports whether a cookie name is set: without one the transport does nothing.
func (s Settings) Enabled() bool { return s.Cookie != "" || s.RefreshCookie != "" }

// CSRFInUse reports whether Django's CSRF check applies somewhere (USE_CSRF or
// ENFORCE_CSRF_ON_UNAUTHENTICATED, with a cookie name set): then the obtain response sets the
// CSRF cookie and the CSRF route exists.
func (s Settings) CSRFInUse() bool {
	return s.Enabled() && (s.UseCSRF || s.EnforceCSRFOnUnauthenticated)
}

// HTTPOnly is JWT_AUTH_HTTPONLY: true unless NotHTTPOnly.
func (s Settings) HTTPOnly() bool { return !s.NotHTTPOnly }

// WithDefaults fills the zero fields with dj-rest-auth's defaults.
func (s Settings) WithDefaults() Settings {
	if s.RefreshCookiePath == "" {
		s.RefreshCookiePath = DefaultRefreshCookiePath
	}
	if s.SameSite == "" {
		s.SameSite = DefaultSameSite
	}
	return s
}

// ErrSettings is wrapped by every error of Validate.
var ErrSettings = errors.New("cookies: invalid settings")

// Validate reports every problem of s, joined, each naming its setting; the CSRF settings are
// checked by csrf.Config.Validate when the transport is enabled.
func (s Settings) Validate() error {
	_, err := s.compile()
	return err
}

// compile checks s (defaults filled) and returns its SameSite mode.
func (s Settings) compile() (http.SameSite, error) {
	s = s.WithDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrSettings}, args...)...))
	}
	for _, c := range []struct{ key, name string }{{"JWT_AUTH_COOKIE", s.Cookie}, {"JWT_AUTH_REFRESH_COOKIE", s.RefreshCookie}} {
		if c.name != "" && !validName(c.name) {
			bad("%s %q is not a valid cookie name", c.key, c.name)
		}
	}
	if s.Cookie != "" && s.Cookie == s.RefreshCookie {
		bad("JWT_AUTH_COOKIE and JWT_AUTH_REFRESH_COOKIE are both %q: the refresh token would replace the access token", s.Cookie)
	}
	if !strings.HasPrefix(s.RefreshCookiePath, "/") || strings.ContainsAny(s.RefreshCookiePath, ";,\x00\r\n ") {
		bad("JWT_AUTH_REFRESH_COOKIE_PATH %q must start with / and contain no ; , or space", s.RefreshCookiePath)
	}
	if s.Domain != "" && (strings.ContainsAny(s.Domain, ";,/\x00\r\n :") || strings.Trim(s.Domain, ".") == "") {
		bad("JWT_AUTH_COOKIE_DOMAIN %q is not a domain name", s.Domain)
	}
	var mode http.SameSite
	switch strings.ToLower(s.SameSite) {
	case "lax":
		mode = http.SameSiteLaxMode
	case "strict":
		mode = http.SameSiteStrictMode
	case "none":
		mode = http.SameSiteNoneMode
		if !s.Secure {
			bad(`JWT_AUTH_SAMESITE "None" needs JWT_AUTH_SECURE: browsers refuse a SameSite=None cookie without Secure`)
		}
	case "false":
		mode = 0
	default:
		bad(`JWT_AUTH_SAMESITE %q: samesite must be "lax", "none", or "strict".`, s.SameSite)
	}
	if s.Enabled() {
		if err := s.CSRF.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return mode, errors.Join(errs...)
}

// validName is an RFC 6265 cookie name (an HTTP token).
func validName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return name != ""
}

// The environment: each setting by its Python name, dj-rest-auth's with the REST_AUTH_ prefix
// of its settings dict (REST_AUTH_JWT_AUTH_COOKIE=access), Django's as they are
// (CSRF_TRUSTED_ORIGINS=https://a.example,https://b.example).

// envRow is one variable: its name and how its value is stored in Settings.
type envRow struct {
	name string
	set  func(s *Settings, v string) error
}

var envTable = []envRow{
	{"REST_AUTH_JWT_AUTH_COOKIE", setNullable(func(s *Settings) *string { return &s.Cookie })},
	{"REST_AUTH_JWT_AUTH_REFRESH_COOKIE", setNullable(func(s *Settings) *string { return &s.RefreshCookie })},
	{"REST_AUTH_JWT_AUTH_REFRESH_COOKIE_PATH", setString(func(s *Settings) *string { return &s.RefreshCookiePath })},
	{"REST_AUTH_JWT_AUTH_SECURE", setBool(func(s *Settings) *bool { return &s.Secure })},
	{"REST_AUTH_JWT_AUTH_HTTPONLY", func(s *Settings, v string) error {
		b, err := parseBool(v)
		s.NotHTTPOnly = !b
		return err
	}},
	{"REST_AUTH_JWT_AUTH_SAMESITE", setString(func(s *Settings) *string { return &s.SameSite })},
	{"REST_AUTH_JWT_AUTH_COOKIE_DOMAIN", setNullable(func(s *Settings) *string { return &s.Domain })},
	{"REST_AUTH_JWT_AUTH_RETURN_EXPIRATION", setBool(func(s *Settings) *bool { return &s.ReturnExpiration })},
	{"REST_AUTH_JWT_AUTH_COOKIE_USE_CSRF", setBool(func(s *Settings) *bool { return &s.UseCSRF })},
	{"REST_AUTH_JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED", setBool(func(s *Settings) *bool { return &s.EnforceCSRFOnUnauthenticated })},
	{"CSRF_COOKIE_NAME", setString(func(s *Settings) *string { return &s.CSRF.CookieName })},
	{"CSRF_HEADER_NAME", setString(func(s *Settings) *string { return &s.CSRF.HeaderName })},
	{"CSRF_TRUSTED_ORIGINS", func(s *Settings, v string) error {
		s.CSRF.TrustedOrigins = nil
		for o := range strings.SplitSeq(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				s.CSRF.TrustedOrigins = append(s.CSRF.TrustedOrigins, o)
			}
		}
		return nil
	}},
	{"CSRF_COOKIE_SECURE", setBool(func(s *Settings) *bool { return &s.CSRF.CookieSecure })},
	{"CSRF_COOKIE_HTTPONLY", setBool(func(s *Settings) *bool { return &s.CSRF.CookieHTTPOnly })},
	{"CSRF_COOKIE_SAMESITE", setString(func(s *Settings) *string { return &s.CSRF.CookieSameSite })},
	{"CSRF_COOKIE_DOMAIN", setNullable(func(s *Settings) *string { return &s.CSRF.CookieDomain })},
	{"CSRF_COOKIE_PATH", setString(func(s *Settings) *string { return &s.CSRF.CookiePath })},
}

// EnvNames lists the variables SettingsFromEnv reads, in its order.
func EnvNames() []string {
	names := make([]string, len(envTable))
	for i, r := range envTable {
		names[i] = r.name
	}
	return names
}

// SettingsFromEnv reads the cookie and CSRF settings from the environment on top of base:
// booleans as true/false (1/0), lists comma-separated, None (or empty) for the nullable
// names (the cookie names and domains). lookup is os.LookupEnv when nil. Every problem is
// reported, joined, naming its variable; the values are then checked by Validate.
func SettingsFromEnv(base Settings, lookup func(string) (string, bool)) (Settings, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	s := base
	var errs []error
	for _, r := range envTable {
		v, ok := lookup(r.name)
		if !ok {
			continue
		}
		if err := r.set(&s, strings.TrimSpace(v)); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", r.name, v, err))
		}
	}
	if len(errs) > 0 {
		return s, errors.Join(errs...)
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

func setString(field func(*Settings) *string) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		*field(s) = v
		return nil
	}
}

func setNullable(field func(*Settings) *string) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		if v == "None" {
			v = ""
		}
		*field(s) = v
		return nil
	}
}

func setBool(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		b, err := parseBool(v)
		*field(s) = b
		return err
	}
}

// parseBool is strconv.ParseBool, also taking Python's True and False.
func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errors.New("want true or false")
	}
	return b, nil
}

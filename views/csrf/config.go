package csrf

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Django's defaults (django/conf/global_settings.py).
const (
	// DefaultCookieName is CSRF_COOKIE_NAME.
	DefaultCookieName = "csrftoken"
	// DefaultHeaderName is CSRF_HEADER_NAME, in Django's request.META form: the X-CSRFToken
	// header.
	DefaultHeaderName = "HTTP_X_CSRFTOKEN"
	// DefaultCookiePath is CSRF_COOKIE_PATH.
	DefaultCookiePath = "/"
	// DefaultCookieSameSite is CSRF_COOKIE_SAMESITE.
	DefaultCookieSameSite = "Lax"
	// DefaultCookieAge is CSRF_COOKIE_AGE, 60 * 60 * 24 * 7 * 52 seconds (52 weeks).
	DefaultCookieAge = 52 * 7 * 24 * time.Hour
	// DefaultMaxFormBytes is DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB): the most of a form body
	// that Check reads to find the csrfmiddlewaretoken field.
	DefaultMaxFormBytes = 2621440
	// SameSiteFalse as CookieSameSite omits the SameSite attribute (Django's
	// CSRF_COOKIE_SAMESITE = False).
	SameSiteFalse = "False"
)

// Config is Django's CSRF settings, one field per setting, named after it. The zero value of
// each field is Django's default (DefaultConfig spells them out), so Config{} behaves as a
// Django project that sets none of them.
type Config struct {
	// CookieName is CSRF_COOKIE_NAME (default "csrftoken"): the cookie that holds the secret.
	CookieName string
	// HeaderName is CSRF_HEADER_NAME (default "HTTP_X_CSRFTOKEN"): the header that carries
	// the token, either in Django's request.META form ("HTTP_X_XSRF_TOKEN") or as a header
	// name ("X-XSRF-Token"). Reasons name it as Django does: 'X-Csrftoken'.
	HeaderName string
	// TrustedOrigins is CSRF_TRUSTED_ORIGINS (default none): origins, besides the request's
	// own, that may send unsafe requests, each with its scheme: "https://app.example.com",
	// "http://localhost:3000", or "https://*.example.com" for a domain and all its subdomains.
	// Their hosts are also trusted Referers on HTTPS.
	TrustedOrigins []string
	// CookieSecure is CSRF_COOKIE_SECURE (default false): the Secure attribute.
	CookieSecure bool
	// CookieSameSite is CSRF_COOKIE_SAMESITE (default "Lax"): "Lax", "Strict", "None" (which
	// needs CookieSecure: browsers drop the cookie otherwise), or SameSiteFalse to omit the
	// attribute.
	CookieSameSite string
	// CookieDomain is CSRF_COOKIE_DOMAIN (default None, ""): the Domain attribute, e.g.
	// ".example.com" to share the cookie with subdomains. When set, an HTTPS Referer from this
	// domain (at the request's port) is accepted.
	CookieDomain string
	// CookiePath is CSRF_COOKIE_PATH (default "/").
	CookiePath string
	// CookieHTTPOnly is CSRF_COOKIE_HTTPONLY (default false). Leave it off for a single-page
	// app that reads the cookie to fill the X-CSRFToken header.
	CookieHTTPOnly bool
	// CookieAge is CSRF_COOKIE_AGE (default 52 weeks), sent as Max-Age and Expires. A negative
	// age makes a session cookie (Django's None).
	CookieAge time.Duration

	// UseXForwardedHost is USE_X_FORWARDED_HOST (default false): take the request's host from
	// X-Forwarded-Host. Only behind a proxy that sets it.
	UseXForwardedHost bool
	// UseXForwardedPort is USE_X_FORWARDED_PORT (default false): take the request's port from
	// X-Forwarded-Port. Only behind a proxy that sets it.
	UseXForwardedPort bool
	// SecureProxySSLHeader is SECURE_PROXY_SSL_HEADER (default None): a header name (META form
	// "HTTP_X_FORWARDED_PROTO" or "X-Forwarded-Proto") and the value that means HTTPS, as
	// [2]string{"HTTP_X_FORWARDED_PROTO", "https"}. When the header is present it alone decides
	// whether the request is secure; without it, a TLS connection is. Only behind a proxy
	// that always sets or strips it.
	SecureProxySSLHeader [2]string

	// MaxFormBytes bounds how much of a form POST body Check reads to find the
	// csrfmiddlewaretoken field (default DefaultMaxFormBytes). A larger body is not searched
	// (the header must carry the token) and is left whole for the handler.
	MaxFormBytes int64
	// Now is the clock for the cookie's Expires (default time.Now).
	Now func() time.Time
}

// DefaultConfig returns Django's defaults, every field spelled out.
func DefaultConfig() Config {
	return Config{
		CookieName:     DefaultCookieName,
		HeaderName:     DefaultHeaderName,
		CookieSameSite: DefaultCookieSameSite,
		CookiePath:     DefaultCookiePath,
		CookieAge:      DefaultCookieAge,
		MaxFormBytes:   DefaultMaxFormBytes,
	}
}

// withDefaults fills the zero fields with Django's defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.CookieName == "" {
		c.CookieName = d.CookieName
	}
	if c.HeaderName == "" {
		c.HeaderName = d.HeaderName
	}
	if c.CookieSameSite == "" {
		c.CookieSameSite = d.CookieSameSite
	}
	if c.CookiePath == "" {
		c.CookiePath = d.CookiePath
	}
	if c.CookieAge == 0 {
		c.CookieAge = d.CookieAge
	}
	if c.MaxFormBytes == 0 {
		c.MaxFormBytes = d.MaxFormBytes
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// ErrConfig is wrapped by every error of Config.Validate and New.
var ErrConfig = errors.New("csrf: invalid configuration")

// Validate reports every problem of c (zero fields taking their defaults), joined, each
// wrapping ErrConfig. A CSRF_TRUSTED_ORIGINS entry without a scheme gets Django's own system
// check error (4_0.E001); the other entry errors are this package's: Django accepts those
// entries and then never matches them.
func (c Config) Validate() error {
	_, err := compile(c.withDefaults())
	return err
}

// compiled is what New derives from a Config once.
type compiled struct {
	headerKey  string // canonical header name of CSRF_HEADER_NAME
	headerName string // Django's name of it in reasons: X-Csrftoken
	sslHeader  string // canonical header name of SECURE_PROXY_SSL_HEADER, "" when unset
	sslValue   string
	sameSite   http.SameSite
	trusted    trustedOrigins
}

func compile(c Config) (compiled, error) {
	var out compiled
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if !isToken(c.CookieName) {
		bad("CSRF_COOKIE_NAME %q is not a valid cookie name", c.CookieName)
	}
	key, err := headerKey(c.HeaderName)
	if err != nil {
		bad("CSRF_HEADER_NAME: %v", err)
	}
	out.headerKey, out.headerName = key, djangoHeaderName(key)
	switch strings.ToLower(c.CookieSameSite) {
	case "lax":
		out.sameSite = http.SameSiteLaxMode
	case "strict":
		out.sameSite = http.SameSiteStrictMode
	case "none":
		out.sameSite = http.SameSiteNoneMode
		if !c.CookieSecure {
			bad(`CSRF_COOKIE_SAMESITE "None" needs CSRF_COOKIE_SECURE: browsers refuse a SameSite=None cookie without Secure`)
		}
	case "false":
		out.sameSite = 0
	default:
		// Django's HttpResponse.set_cookie error.
		bad(`CSRF_COOKIE_SAMESITE %q: samesite must be "lax", "none", or "strict".`, c.CookieSameSite)
	}
	if c.CookieDomain != "" && !validCookieDomain(c.CookieDomain) {
		bad("CSRF_COOKIE_DOMAIN %q is not a domain name", c.CookieDomain)
	}
	if !strings.HasPrefix(c.CookiePath, "/") || strings.ContainsAny(c.CookiePath, ";\x00\r\n") {
		bad("CSRF_COOKIE_PATH %q must start with / and contain no ;", c.CookiePath)
	}
	if c.MaxFormBytes < 0 {
		bad("MaxFormBytes %d is negative", c.MaxFormBytes)
	}
	if name, value := c.SecureProxySSLHeader[0], c.SecureProxySSLHeader[1]; name != "" || value != "" {
		key, err := headerKey(name)
		switch {
		case err != nil:
			bad("SECURE_PROXY_SSL_HEADER: %v", err)
		case value == "":
			bad("SECURE_PROXY_SSL_HEADER %q has no value (want e.g. {\"HTTP_X_FORWARDED_PROTO\", \"https\"})", name)
		}
		out.sslHeader, out.sslValue = key, value
	}
	trusted, terrs := parseTrustedOrigins(c.TrustedOrigins)
	errs = append(errs, terrs...)
	out.trusted = trusted
	return out, errors.Join(errs...)
}

// headerKey turns a header setting, in Django's META form ("HTTP_X_CSRFTOKEN") or as a
// header name ("X-CSRFToken"), into Go's canonical header key ("X-Csrftoken").
func headerKey(name string) (string, error) {
	h := name
	if rest, ok := strings.CutPrefix(name, "HTTP_"); ok {
		h = strings.ReplaceAll(rest, "_", "-")
	} else if strings.Contains(name, "_") {
		// Django's servers drop headers with underscores, and a META key without HTTP_ is
		// not a request header.
		return "", fmt.Errorf("%q is neither a request.META key (HTTP_…) nor a header name", name)
	}
	if !isToken(h) {
		return "", fmt.Errorf("%q is not a valid header name", name)
	}
	return http.CanonicalHeaderKey(h), nil
}

// djangoHeaderName is HttpHeaders.parse_header_name of the META key for header key: the name
// with Python's str.title() casing ("X-Csrftoken", "X-Xsrf-Token", "X-Csrf2Token").
func djangoHeaderName(key string) string {
	b := []byte(key)
	prevCased := false
	for i, c := range b {
		isLetter := isASCIIAlpha(c)
		switch {
		case isLetter && prevCased:
			b[i] = c | 0x20
		case isLetter:
			b[i] = c &^ 0x20
		}
		prevCased = isLetter
	}
	return string(b)
}

// isToken reports whether s is a non-empty RFC 9110 token (a header or cookie name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validCookieDomain accepts an ASCII domain name with an optional leading dot.
func validCookieDomain(d string) bool {
	d = strings.TrimPrefix(d, ".")
	if d == "" || d[0] == '.' || d[len(d)-1] == '.' {
		return false
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !isASCIIAlpha(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

package csrf

import (
	"errors"
	"strings"
)

// Django's reason texts (django/middleware/csrf.py, Django 4.1 to 6.x), byte for byte. A
// rejected request's *Error carries one of them, with the origin, Referer or header name filled
// in where Django formats one.
const (
	// ReasonBadOrigin is REASON_BAD_ORIGIN; %s is the Origin header as sent.
	ReasonBadOrigin = "Origin checking failed - %s does not match any trusted origins."
	// ReasonNoReferer is REASON_NO_REFERER (HTTPS request without Origin and without Referer).
	ReasonNoReferer = "Referer checking failed - no Referer."
	// ReasonBadReferer is REASON_BAD_REFERER; %s is the Referer as Python's urlsplit().geturl()
	// rebuilds it.
	ReasonBadReferer = "Referer checking failed - %s does not match any trusted origins."
	// ReasonNoCSRFCookie is REASON_NO_CSRF_COOKIE.
	ReasonNoCSRFCookie = "CSRF cookie not set."
	// ReasonCSRFTokenMissing is REASON_CSRF_TOKEN_MISSING: neither the form field nor the header.
	ReasonCSRFTokenMissing = "CSRF token missing."
	// ReasonMalformedReferer is REASON_MALFORMED_REFERER.
	ReasonMalformedReferer = "Referer checking failed - Referer is malformed."
	// ReasonInsecureReferer is REASON_INSECURE_REFERER (an http:// Referer on an HTTPS request).
	ReasonInsecureReferer = "Referer checking failed - Referer is insecure while host is secure."

	// reasonIncorrectLength and reasonInvalidCharacters are Django's InvalidTokenFormat phrases,
	// completed as "CSRF cookie has incorrect length." or "CSRF token from the 'X-Csrftoken'
	// HTTP header has invalid characters.".
	reasonIncorrectLength   = "has incorrect length"
	reasonInvalidCharacters = "has invalid characters"
	// reasonIncorrect completes "CSRF token from POST incorrect." (Django's _bad_token_message).
	reasonIncorrect = "incorrect"
)

// ReasonCrossSite is this package's own reason (Django has no such check): the token-free
// layer refused a request that the browser marked Sec-Fetch-Site: cross-site or same-site and
// that carried no Origin header to name.
const ReasonCrossSite = "Cross-origin request detected from Sec-Fetch-Site header."

// The kinds of CSRF failure. Every error that Check and CheckCrossOrigin return is an *Error
// that wraps exactly one of them: match with errors.Is, never compare reason strings.
var (
	// ErrBadOrigin: the Origin header is neither the request's own origin nor trusted.
	ErrBadOrigin = errors.New("csrf: origin not trusted")
	// ErrNoReferer: an HTTPS request without Origin has no Referer.
	ErrNoReferer = errors.New("csrf: no referer")
	// ErrMalformedReferer: the Referer has no scheme or host, or does not parse.
	ErrMalformedReferer = errors.New("csrf: malformed referer")
	// ErrInsecureReferer: an HTTPS request's Referer is not https.
	ErrInsecureReferer = errors.New("csrf: insecure referer")
	// ErrBadReferer: the Referer's host is neither the request's own host, the cookie domain,
	// nor a trusted origin's host.
	ErrBadReferer = errors.New("csrf: referer not trusted")
	// ErrNoCookie: the CSRF cookie is absent.
	ErrNoCookie = errors.New("csrf: no cookie")
	// ErrBadCookie: the CSRF cookie has the wrong length or characters other than [a-zA-Z0-9].
	ErrBadCookie = errors.New("csrf: malformed cookie")
	// ErrTokenMissing: neither the form field nor the header carries a token.
	ErrTokenMissing = errors.New("csrf: token missing")
	// ErrBadToken: the token has the wrong length or characters other than [a-zA-Z0-9].
	ErrBadToken = errors.New("csrf: malformed token")
	// ErrTokenMismatch: the token is well formed but is not the cookie's secret.
	ErrTokenMismatch = errors.New("csrf: token incorrect")
	// ErrCrossOrigin: the token-free layer (CheckCrossOrigin) refused a cross-origin request.
	ErrCrossOrigin = errors.New("csrf: cross-origin request")
)

// Error is a refused request: Django's reason text, the kind to match, and for the token-free
// layer the cause reported by net/http. Reason names no secret (no cookie or token value), only
// the Origin, the Referer or a header name, so it is safe to log and to send.
type Error struct {
	// Reason is Django's text, e.g. "CSRF cookie not set.".
	Reason string
	// Kind is one of the Err* sentinels above.
	Kind error
	// Cause is net/http.CrossOriginProtection's error for ErrCrossOrigin, else nil.
	Cause error
}

func (e *Error) Error() string { return "csrf: " + e.Reason }

// Unwrap exposes Kind (and Cause) to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Kind, e.Cause}
	}
	return []error{e.Kind}
}

// Detail is the text of DRF's 403 for this failure, "CSRF Failed: " + Reason: render it as
// {"detail": Detail()} (SessionAuthentication.enforce_csrf and dj-rest-auth's
// JWTCookieAuthentication.enforce_csrf raise PermissionDenied with it).
func (e *Error) Detail() string { return DetailPrefix + e.Reason }

// DetailPrefix starts DRF's detail text of every CSRF failure.
const DetailPrefix = "CSRF Failed: "

// Detail returns DRF's 403 detail text for err ("CSRF Failed: CSRF cookie not set.") and true
// when err is, or wraps, an *Error; "" and false otherwise.
func Detail(err error) (string, bool) {
	var e *Error
	if !errors.As(err, &e) {
		return "", false
	}
	return e.Detail(), true
}

func reject(kind error, reason string) *Error { return &Error{Reason: reason, Kind: kind} }

// withArg fills the %s of one of Django's reason templates.
func withArg(template, arg string) string {
	before, after, _ := strings.Cut(template, "%s")
	return before + arg + after
}

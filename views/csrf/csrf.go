package csrf

import (
	"net/http"
)

// Protection is Django's CSRF protection for one configuration: Check is
// CsrfViewMiddleware.process_view as DRF's CSRFCheck runs it, Token is get_token with the
// response half of ensure_csrf_cookie, Rotate is rotate_token, and CheckCrossOrigin is a
// token-free second layer. Build it with New; it is safe for concurrent use.
type Protection struct {
	cfg Config
	compiled
	cross *http.CrossOriginProtection
}

// New validates cfg (zero fields take Django's defaults) and returns its Protection.
func New(cfg Config) (*Protection, error) {
	cfg = cfg.withDefaults()
	c, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	p := &Protection{cfg: cfg, compiled: c, cross: http.NewCrossOriginProtection()}
	for _, origin := range c.trusted.exactList {
		if err := p.cross.AddTrustedOrigin(origin); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Config returns the configuration in force, defaults filled in.
func (p *Protection) Config() Config { return p.cfg }

// SafeMethod reports whether Django leaves method unchecked: GET, HEAD, OPTIONS and TRACE
// ("safe" by RFC 9110). Every other method is unsafe and needs Check.
func SafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// Check is Django's CSRF check (CsrfViewMiddleware.process_view, as DRF's
// SessionAuthentication.enforce_csrf and dj-rest-auth's JWTCookieAuthentication.enforce_csrf
// run it): nil for a safe method; otherwise, in Django's order,
//
//  1. an Origin header must be the request's own origin or a trusted one;
//  2. without Origin, an HTTPS request needs a Referer from the request's host, the cookie
//     domain or a trusted origin's host (and itself https);
//  3. the CSRF cookie must be present and well formed;
//  4. the token, from the csrfmiddlewaretoken field of a form POST or else from the header,
//     must be present, well formed, and the cookie's secret (masked or not), compared in
//     constant time.
//
// A failure is an *Error with Django's reason; render it as DRF's 403
// {"detail": err.Detail()}. The caller decides when the check applies (dj-rest-auth: when the
// credentials came from a cookie). Reading the form field leaves the body whole for the handler.
func (p *Protection) Check(r *http.Request) error {
	if SafeMethod(r.Method) {
		return nil
	}
	secure := p.secure(r)
	if origin, ok := headerValue(r.Header, "Origin"); ok {
		if !p.originVerified(r, origin, secure) {
			return reject(ErrBadOrigin, withArg(ReasonBadOrigin, origin))
		}
	} else if secure {
		if err := p.checkReferer(r); err != nil {
			return err
		}
	}
	return p.checkToken(r)
}

// checkReferer is CsrfViewMiddleware._check_referer.
func (p *Protection) checkReferer(r *http.Request) error {
	referer, ok := headerValue(r.Header, "Referer")
	if !ok {
		return reject(ErrNoReferer, ReasonNoReferer)
	}
	u, err := urlsplit(referer)
	if err != nil || u.scheme == "" || u.netloc == "" {
		return reject(ErrMalformedReferer, ReasonMalformedReferer)
	}
	if u.scheme != "https" {
		return reject(ErrInsecureReferer, ReasonInsecureReferer)
	}
	for _, host := range p.trusted.hosts {
		if isSameDomain(u.netloc, host) {
			return nil
		}
	}
	// The cookie domain (at the request's port unless 443 or 80), else the request's host.
	host, port, ok := p.hostPort(r, true)
	good := host
	if p.cfg.CookieDomain != "" {
		good = p.cfg.CookieDomain
		if port != "443" && port != "80" {
			good += ":" + port
		}
	}
	if !ok || !isSameDomain(u.netloc, good) {
		return reject(ErrBadReferer, withArg(ReasonBadReferer, u.geturl()))
	}
	return nil
}

// checkToken is CsrfViewMiddleware._check_token.
func (p *Protection) checkToken(r *http.Request) error {
	cookie, ok := cookieValue(r.Header, p.cfg.CookieName)
	if !ok {
		return reject(ErrNoCookie, ReasonNoCSRFCookie)
	}
	if problem := checkFormat(cookie); problem != "" {
		return reject(ErrBadCookie, "CSRF cookie "+problem+".")
	}
	secret := toSecret(cookie)

	source := "POST"
	token := p.formToken(r)
	if token == "" {
		source = "the '" + p.headerName + "' HTTP header"
		if token, ok = headerValue(r.Header, p.headerKey); !ok {
			return reject(ErrTokenMissing, ReasonCSRFTokenMissing)
		}
	}
	if problem := checkFormat(token); problem != "" {
		return reject(ErrBadToken, "CSRF token from "+source+" "+problem+".")
	}
	if !tokenMatches(token, &secret) {
		return reject(ErrTokenMismatch, "CSRF token from "+source+" "+reasonIncorrect+".")
	}
	return nil
}

// Token is Django's get_token with the response half of ensure_csrf_cookie: it returns a
// fresh masked token (64 characters) for the page to send back in the X-CSRFToken header or
// the csrfmiddlewaretoken field, and sets the CSRF cookie on w (renewing its expiry, with
// Vary: Cookie). The secret of a well-formed cookie on r is kept (a legacy masked cookie is
// replaced by its secret), or of a cookie already set on w by an earlier Token or Rotate; else
// a new secret is made.
func (p *Protection) Token(w http.ResponseWriter, r *http.Request) string {
	secret, ok := p.pendingSecret(w.Header())
	if !ok {
		if cookie, found := cookieValue(r.Header, p.cfg.CookieName); found && checkFormat(cookie) == "" {
			s := toSecret(cookie)
			secret, ok = string(s[:]), true
		}
	}
	if !ok {
		s := newSecret()
		secret = string(s[:])
	}
	p.setCookie(w, secret)
	return maskSecret([]byte(secret))
}

// Rotate is Django's rotate_token (called by django.contrib.auth.login): a new secret in the
// cookie set on w, replacing the old one; it returns the new masked token.
func (p *Protection) Rotate(w http.ResponseWriter) string {
	s := newSecret()
	p.setCookie(w, string(s[:]))
	return maskSecret(s[:])
}

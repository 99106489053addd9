package csrf

import (
	"net/http"
)

// CheckCrossOrigin is the token-free layer: Go's net/http.CrossOriginProtection (Sec-Fetch-Site,
// with Origin against Host for browsers that do not send it) extended with this
// configuration's CSRF_TRUSTED_ORIGINS, wildcards included, and its view of the request's own
// origin (X-Forwarded-Host, SECURE_PROXY_SSL_HEADER). It refuses an unsafe request that the
// browser marks Sec-Fetch-Site: cross-site or same-site (another port or subdomain of the same
// site, which SameSite cookies do not separate), or whose Origin is neither the request's own
// nor trusted; requests without either header (not from a browser) pass, and so do safe
// methods (SafeMethod).
//
// It needs no cookie and no token, so it can run before authentication, on every route, and
// chain with Check. A failure is an *Error wrapping ErrCrossOrigin and net/http's error; its
// Reason is Django's "Origin checking failed - … does not match any trusted origins." when the
// request has an Origin, else ReasonCrossSite.
func (p *Protection) CheckCrossOrigin(r *http.Request) error {
	if SafeMethod(r.Method) {
		return nil
	}
	err := p.cross.Check(r)
	if err == nil {
		return nil
	}
	origin, ok := headerValue(r.Header, "Origin")
	if !ok {
		return &Error{Reason: ReasonCrossSite, Kind: ErrCrossOrigin, Cause: err}
	}
	// Exact trusted origins are already in p.cross; add the wildcards, and the request's own
	// origin as Django computes it (the Host that net/http compares may be a proxy's).
	if p.originVerified(r, origin, p.secure(r)) {
		return nil
	}
	return &Error{Reason: withArg(ReasonBadOrigin, origin), Kind: ErrCrossOrigin, Cause: err}
}

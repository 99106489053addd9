package csrf

import (
	"fmt"
	"net/http"
	"strings"
)

// trustedOrigins is CSRF_TRUSTED_ORIGINS as CsrfViewMiddleware reads it: the exact origins,
// the wildcard ones by scheme, and every entry's host for the Referer check.
type trustedOrigins struct {
	// exact is allowed_origins_exact: the entries without "*", compared with Origin as strings.
	exact map[string]struct{}
	// exactList keeps exact in configuration order (for net/http's CrossOriginProtection).
	exactList []string
	// subdomains is allowed_origin_subdomains: scheme → netloc.lstrip("*"), ".example.com"
	// for "https://*.example.com".
	subdomains map[string][]string
	// hosts is csrf_trusted_origins_hosts: every entry's netloc.lstrip("*").
	hosts []string
}

// parseTrustedOrigins validates and indexes CSRF_TRUSTED_ORIGINS.
func parseTrustedOrigins(entries []string) (trustedOrigins, []error) {
	t := trustedOrigins{exact: map[string]struct{}{}, subdomains: map[string][]string{}}
	var errs []error
	for _, origin := range entries {
		if err := checkTrustedOrigin(origin); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
			continue
		}
		u, _ := urlsplit(origin) // checkTrustedOrigin has split it
		host := strings.TrimLeft(u.netloc, "*")
		t.hosts = append(t.hosts, host)
		if strings.Contains(origin, "*") {
			t.subdomains[u.scheme] = append(t.subdomains[u.scheme], host)
			continue
		}
		if _, dup := t.exact[origin]; !dup {
			t.exact[origin] = struct{}{}
			t.exactList = append(t.exactList, origin)
		}
	}
	return t, errs
}

// checkTrustedOrigin is Django's system check 4_0.E001 (a scheme is required), then this
// package's own rules for entries that Django would accept but never match: an Origin header
// is scheme://host[:port] in lower case, with nothing after it.
func checkTrustedOrigin(origin string) error {
	if !strings.Contains(origin, "://") {
		return &systemCheckError{id: "4_0.E001", msg: "As of Django 4.0, the values in the CSRF_TRUSTED_ORIGINS " +
			"setting must start with a scheme (usually http:// or https://) but found " + origin +
			". See the release notes for details."}
	}
	u, err := urlsplit(origin)
	if err != nil {
		return fmt.Errorf("CSRF_TRUSTED_ORIGINS entry %q: %v (Django's urlsplit raises ValueError)", origin, err)
	}
	fail := func(why string) error {
		return fmt.Errorf("CSRF_TRUSTED_ORIGINS entry %q %s: an origin is scheme://host[:port], "+
			"e.g. https://app.example.com or https://*.example.com", origin, why)
	}
	switch {
	case u.scheme == "" || u.netloc == "" || !strings.HasPrefix(origin, u.scheme+"://"):
		return fail("has no scheme or no host")
	case u.path != "" || u.query != "" || u.fragment != "" || strings.ContainsAny(origin, "?#"):
		return fail("has a path, query or fragment (a trailing / never matches an Origin header)")
	case strings.Contains(u.netloc, "@"):
		return fail("has a user name")
	case !isASCII(origin) || strings.ContainsAny(origin, " \t\"<>\\^`{|}"):
		return fail("has characters that an Origin header never has")
	case strings.ToLower(origin) != origin:
		return fail("is not in lower case (browsers send origins in lower case)")
	}
	if i := strings.IndexByte(u.netloc, '*'); i >= 0 {
		rest := u.netloc[i+1:]
		if i != 0 || !strings.HasPrefix(rest, ".") || len(rest) < 2 || strings.Contains(rest, "*") {
			return fail(`has a "*" that is not a leading "*." wildcard`)
		}
	}
	return nil
}

// systemCheckError is an error of Django's system checks, worded and printed as Django prints
// it: "(4_0.E001) As of Django 4.0, …".
type systemCheckError struct{ id, msg string }

func (e *systemCheckError) Error() string { return "(" + e.id + ") " + e.msg }

// originVerified is CsrfViewMiddleware._origin_verified: the Origin header is the request's
// own origin (scheme://get_host()), an exact trusted origin, or matches a wildcard trusted
// origin of its scheme.
func (p *Protection) originVerified(r *http.Request, origin string, secure bool) bool {
	if host, _, ok := p.hostPort(r, secure); ok && isOwnOrigin(origin, host, secure) {
		return true
	}
	return p.trusted.trusts(origin)
}

// trusts is the CSRF_TRUSTED_ORIGINS half of _origin_verified.
func (t *trustedOrigins) trusts(origin string) bool {
	if _, ok := t.exact[origin]; ok {
		return true
	}
	if len(t.subdomains) == 0 {
		return false
	}
	u, err := urlsplit(origin)
	if err != nil {
		return false
	}
	for _, host := range t.subdomains[u.scheme] {
		if isSameDomain(u.netloc, host) {
			return true
		}
	}
	return false
}

// isOwnOrigin reports whether origin == "https://"+host (or "http://"), without building it.
func isOwnOrigin(origin, host string, secure bool) bool {
	scheme := "http://"
	if secure {
		scheme = "https://"
	}
	return len(origin) == len(scheme)+len(host) &&
		strings.HasPrefix(origin, scheme) && origin[len(scheme):] == host
}

package csrf

import (
	"net/http"
	"strings"
)

// What Django's HttpRequest knows about the request's own origin: is_secure() (the scheme),
// get_host() and get_port() (django/http/request.py), with this package's Config in place of
// SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST and USE_X_FORWARDED_PORT. ALLOWED_HOSTS has no
// counterpart: every syntactically valid host is allowed, as with ALLOWED_HOSTS = ["*"] (a
// browser cannot choose the Host of a forged request, so the CSRF checks do not depend on it).

// secure is HttpRequest.is_secure(): the proxy header when configured and present (its first
// comma-separated value, trimmed, against the configured value), else whether the connection
// is TLS.
func (p *Protection) secure(r *http.Request) bool {
	if p.sslHeader != "" {
		if v, ok := headerValue(r.Header, p.sslHeader); ok {
			first, _, _ := strings.Cut(v, ",")
			return strings.TrimSpace(first) == p.sslValue
		}
	}
	return r.TLS != nil
}

// hostPort is HttpRequest._get_parsed_host_header: host is get_host() (the Host header, or
// X-Forwarded-Host with UseXForwardedHost, and X-Forwarded-Port with UseXForwardedPort, as the
// client wrote it), port is get_port() (the explicit port, else 443 or 80). ok is false where
// Django raises DisallowedHost: the host is not a valid domain or IP literal, or the port is not
// in 1..65535.
func (p *Protection) hostPort(r *http.Request, secure bool) (host, port string, ok bool) {
	raw, fromXFH := r.Host, false
	if p.cfg.UseXForwardedHost {
		if v, found := headerValue(r.Header, "X-Forwarded-Host"); found {
			raw, fromXFH = v, true
		}
	}
	if raw == "" {
		return "", "", false // Django cannot parse an empty Host either
	}
	h, port := splitHostHeader(raw)
	if p.cfg.UseXForwardedPort {
		if v, found := headerValue(r.Header, "X-Forwarded-Port"); found {
			if fromXFH && port != "" {
				return "", "", false // "HTTP_X_FORWARDED_HOST contains a port number and USE_X_FORWARDED_PORT is set to True"
			}
			port = v
		}
	}
	host = h
	if port != "" {
		host = h + ":" + port
	}
	if !validHost(host) {
		return "", "", false
	}
	if port == "" {
		port = "80"
		if secure {
			port = "443"
		}
	}
	if !validPort(port) {
		return "", "", false
	}
	return host, port, true
}

// splitHostHeader is django.http.request._parse_host_header: ("[::1]", "") for a bracketed
// literal without port, else the split at the last colon.
func splitHostHeader(h string) (host, port string) {
	if h[len(h)-1] == ']' {
		return h, ""
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		return h[:i], h[i+1:]
	}
	return h, ""
}

// validHost is split_domain_port's host_validation_re on the lower-cased host:
// ^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9\.:]+\])(?::([0-9]+))?$.
func validHost(host string) bool {
	h := host
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		port := h[i+1:]
		if port == "" || !allDigits(port) {
			// "[::1]:" or "a:b": maybe still a bare IPv6 literal with no port; else invalid.
			if h[0] != '[' {
				return false
			}
		} else {
			h = h[:i]
		}
	}
	if h == "" {
		return false
	}
	if h[0] == '[' {
		if len(h) < 3 || h[len(h)-1] != ']' {
			return false
		}
		inner := h[1 : len(h)-1]
		colon := strings.IndexByte(inner, ':')
		if colon < 0 || colon == len(inner)-1 {
			return false
		}
		for i := 0; i < len(inner); i++ {
			c := inner[i] | 0x20
			isHexDigit := (inner[i] >= '0' && inner[i] <= '9') || (c >= 'a' && c <= 'f')
			if !isHexDigit && inner[i] != ':' && !(inner[i] == '.' && i > colon) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9') && !isASCIIAlpha(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// validPort is django.http.request.validate_port: digits, 1 to 65535.
func validPort(port string) bool {
	if port == "" || !allDigits(port) {
		return false
	}
	n := 0
	for i := 0; i < len(port); i++ {
		n = n*10 + int(port[i]-'0')
		if n > 65535 {
			return false
		}
	}
	return n >= 1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// headerValue is request.META.get("HTTP_…"): found when the header is present (even empty);
// repeated headers are joined with "," as a WSGI server does.
func headerValue(h http.Header, canonicalKey string) (string, bool) {
	vs, ok := h[canonicalKey]
	switch {
	case !ok:
		return "", false
	case len(vs) == 1:
		return vs[0], true
	}
	return strings.Join(vs, ","), true
}

package csrf

import (
	"errors"
	"net/netip"
	"strings"
)

// Django parses Origin, Referer and CSRF_TRUSTED_ORIGINS with Python's urllib.parse.urlsplit,
// which is far more lenient than net/url (no escaping rules, any netloc) and raises ValueError
// only for broken brackets. The reason Django gives (malformed Referer or untrusted Referer,
// and the URL it quotes) follows from that split, so this is urlsplit, on latin-1 text (one
// byte per character, as PEP 3333 hands headers to Django).

// splitURL is urlsplit's SplitResult.
type splitURL struct {
	scheme, netloc, path, query, fragment string
}

// errInvalidIPv6 is urlsplit's ValueError("Invalid IPv6 URL").
var errInvalidIPv6 = errors.New("invalid IPv6 URL")

// urlsplit is Python's urllib.parse.urlsplit(s), as in Python 3.12 and later (brackets checked
// by _check_bracketed_netloc; 3.11 let "a[::1]" and "[::1]x" through).
func urlsplit(s string) (splitURL, error) {
	var u splitURL
	// lstrip WHATWG C0 control or space, then drop every tab, CR and LF.
	i := 0
	for i < len(s) && s[i] <= ' ' {
		i++
	}
	s = s[i:]
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	}
	if i := strings.IndexByte(s, ':'); i > 0 && isASCIIAlpha(s[0]) && isSchemeChars(s[:i]) {
		u.scheme, s = strings.ToLower(s[:i]), s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		end := len(s)
		if j := strings.IndexAny(s[2:], "/?#"); j >= 0 {
			end = 2 + j
		}
		u.netloc, s = s[2:end], s[end:]
		open, closed := strings.Contains(u.netloc, "["), strings.Contains(u.netloc, "]")
		if open != closed {
			return splitURL{}, errInvalidIPv6
		}
		if open {
			if err := checkBracketedNetloc(u.netloc); err != nil {
				return splitURL{}, err
			}
		}
	}
	if before, after, ok := strings.Cut(s, "#"); ok {
		s, u.fragment = before, after
	}
	if before, after, ok := strings.Cut(s, "?"); ok {
		s, u.query = before, after
	}
	u.path = s
	// _checknetloc (the NFKC check) cannot fail here: no latin-1 character normalizes to one
	// of "/?#@:".
	return u, nil
}

// geturl is SplitResult.geturl() (urlunsplit) for a result with a scheme and a netloc, the
// only ones Django quotes.
func (u splitURL) geturl() string {
	var b strings.Builder
	b.Grow(len(u.scheme) + 3 + len(u.netloc) + len(u.path) + len(u.query) + len(u.fragment) + 3)
	b.WriteString(u.scheme)
	b.WriteString("://")
	b.WriteString(u.netloc)
	if u.path != "" && u.path[0] != '/' {
		b.WriteByte('/')
	}
	b.WriteString(u.path)
	if u.query != "" {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	if u.fragment != "" {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

// checkBracketedNetloc is urllib.parse._check_bracketed_netloc.
func checkBracketedNetloc(netloc string) error {
	hostPort := netloc[strings.LastIndexByte(netloc, '@')+1:]
	var host string
	if before, bracketed, ok := strings.Cut(hostPort, "["); ok {
		if before != "" {
			return errInvalidIPv6
		}
		h, port, _ := strings.Cut(bracketed, "]")
		if port != "" && port[0] != ':' {
			return errInvalidIPv6
		}
		host = h
	} else {
		host, _, _ = strings.Cut(hostPort, ":")
	}
	return checkBracketedHost(host)
}

// checkBracketedHost is urllib.parse._check_bracketed_host: an IPvFuture literal
// ("v1.anything", "V1.anything") or an IPv6 address (ipaddress.ip_address accepts a %zone).
func checkBracketedHost(host string) error {
	if host != "" && host[0]|0x20 == 'v' {
		hex, rest, ok := strings.Cut(host[1:], ".")
		if !ok || hex == "" || rest == "" || strings.ContainsAny(rest, "\n") || !isHex(hex) {
			return errors.New("invalid IPvFuture address")
		}
		return nil
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	if addr.Is4() {
		return errors.New("an IPv4 address cannot be in brackets")
	}
	return nil
}

// isSameDomain is django.utils.http.is_same_domain: pattern (lower-cased) matches host exactly,
// or, when it starts with ".", host is that domain or any subdomain of it. host is compared as
// it is (not lower-cased), as Django does.
func isSameDomain(host, pattern string) bool {
	if pattern == "" {
		return false
	}
	pattern = asciiLower(pattern)
	if pattern[0] == '.' && (strings.HasSuffix(host, pattern) || host == pattern[1:]) {
		return true
	}
	return pattern == host
}

func isASCIIAlpha(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// isSchemeChars reports whether s is made of urllib.parse.scheme_chars.
func isSchemeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIIAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(c|0x20 >= 'a' && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}

// asciiLower lower-cases ASCII letters only (Python's str.lower() on the ASCII patterns that
// Config.Validate admits), without a copy when there is nothing to change.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

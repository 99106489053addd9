package csrf

import (
	"net/http"
	"strings"
)

// The CSRF cookie, read as Django reads request.COOKIES and written as
// CsrfViewMiddleware._set_csrf_cookie writes it.

// cookieValue is request.COOKIES.get(CSRF_COOKIE_NAME), projected (one byte per Python
// character, see pychars.go). Django's parse_cookie splits the header on ";", takes name=value
// (a chunk without "=" is a value with an empty name), strips both, keeps the last of repeated
// names and unquotes a "quoted" value. Go's own cookie parser would drop values Django keeps
// (a space, a quote, a comma) and keep the first of two, so the reason could differ.
func cookieValue(h http.Header, name string) (string, bool) {
	var value string
	found := false
	for _, line := range h["Cookie"] {
		line = projectUTF8(line)
		for line != "" {
			var chunk string
			chunk, line, _ = strings.Cut(line, ";")
			key, val, ok := strings.Cut(chunk, "=")
			if !ok {
				key, val = "", chunk
			}
			if pyStrip(key) == name {
				value, found = pyUnquote(pyStrip(val)), true
			}
		}
	}
	return value, found
}

// pyUnquote is http.cookies._unquote: a value in double quotes loses them, and inside, \ooo
// (octal 000-377) becomes that character and \c becomes c (c not a newline).
func pyUnquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b = append(b, c)
			continue
		}
		if i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b = append(b, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
			continue
		}
		if s[i+1] == '\n' {
			b = append(b, c)
			continue
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// setCookie is _set_csrf_cookie: the secret, with CSRF_COOKIE_* attributes (Max-Age and, as
// Django's set_cookie adds it, Expires), and Vary: Cookie. A Set-Cookie for the same name
// already on w is replaced, as Django's response.cookies holds one morsel per name.
func (p *Protection) setCookie(w http.ResponseWriter, secret string) {
	c := &http.Cookie{
		Name:     p.cfg.CookieName,
		Value:    secret,
		Path:     p.cfg.CookiePath,
		Domain:   p.cfg.CookieDomain,
		Secure:   p.cfg.CookieSecure,
		HttpOnly: p.cfg.CookieHTTPOnly,
		SameSite: p.sameSite,
	}
	if age := p.cfg.CookieAge; age >= 0 {
		c.MaxAge = int(age.Seconds())
		if c.MaxAge == 0 {
			c.MaxAge = -1 // Max-Age=0: Django's CSRF_COOKIE_AGE = 0 expires the cookie at once
		}
		c.Expires = p.cfg.Now().Add(age).UTC()
	}
	h := w.Header()
	if i := p.setCookieIndex(h); i >= 0 {
		lines := h["Set-Cookie"]
		h["Set-Cookie"] = append(lines[:i:i], lines[i+1:]...)
	}
	h.Add("Set-Cookie", c.String())
	patchVary(h, "Cookie")
}

// setCookieIndex is the index of w's Set-Cookie line for the CSRF cookie, or -1.
func (p *Protection) setCookieIndex(h http.Header) int {
	for i, line := range h["Set-Cookie"] {
		if name, _, ok := strings.Cut(line, "="); ok && name == p.cfg.CookieName {
			return i
		}
	}
	return -1
}

// pendingSecret is the secret of a CSRF cookie already set on w (by an earlier Token or Rotate
// for this response): Django keeps it in request.META["CSRF_COOKIE"] for the request's life.
func (p *Protection) pendingSecret(h http.Header) (string, bool) {
	i := p.setCookieIndex(h)
	if i < 0 {
		return "", false
	}
	c, err := http.ParseSetCookie(h["Set-Cookie"][i])
	if err != nil || len(c.Value) != SecretLength || !allAllowed(c.Value) {
		return "", false
	}
	return c.Value, true
}

// patchVary is django.utils.cache.patch_vary_headers for one header: add it to Vary unless
// Vary already names it (case-insensitively) or is "*".
func patchVary(h http.Header, name string) {
	for _, line := range h.Values("Vary") {
		for v := range strings.SplitSeq(line, ",") {
			v = strings.TrimSpace(v)
			if v == "*" || strings.EqualFold(v, name) {
				return
			}
		}
	}
	h.Add("Vary", name)
}

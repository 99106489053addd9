package locale

import "strings"

// cookieValue is request.COOKIES.get(name) in Django: the Cookie header read by Django's
// parse_cookie, which is more lenient than net/http's (a value is kept whatever its characters,
// a quoted value is unquoted with Python's http.cookies rules, and the last cookie of a name
// wins). Several Cookie header lines are read as one, joined with "; ".
func cookieValue(headers []string, name string) (string, bool) {
	var value string
	found := false
	for _, header := range headers {
		for chunk := range strings.SplitSeq(header, ";") {
			key, val, ok := strings.Cut(chunk, "=")
			if !ok {
				key, val = "", chunk
			}
			if pyStrip(key) == name && (name != "" || pyStrip(val) != "") {
				value, found = pyUnquote(pyStrip(val)), true
			}
		}
	}
	return value, found
}

// pyStrip is Python's str.strip() on a Latin-1 string.
func pyStrip(s string) string { return pyStripRight(pyStripLeft(s)) }

func pyStripLeft(s string) string {
	i := 0
	for i < len(s) && isPySpace(s[i]) {
		i++
	}
	return s[i:]
}

func pyStripRight(s string) string {
	j := len(s)
	for j > 0 && isPySpace(s[j-1]) {
		j--
	}
	return s[:j]
}

// pyUnquote is Python's http.cookies._unquote: a value in double quotes loses them, and inside
// them \ooo (octal, first digit 0-3) and \c (any character but a newline) are unescaped.
func pyUnquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			// chr(int(ooo, 8)) is a Latin-1 character; a header byte stands for one.
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		if s[i+1] == '\n' {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

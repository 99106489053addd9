package pyjson

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The few pieces of Python's str semantics that DRF's fields rely on and that Go's standard
// library spells differently: str.isspace and str.strip, str.capitalize, len, and lone
// surrogates, which a Python str may hold and which Loads keeps in WTF-8.

// isStrSpace is Python's str.isspace for one character: Unicode's White_Space characters (Go's
// unicode.IsSpace) plus the four ASCII separators U+001C..U+001F, which Python also strips.
func isStrSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// Strip is Python's str.strip() with no argument: it removes leading and trailing whitespace as
// str.isspace defines it (Unicode's White_Space characters and U+001C..U+001F). s may hold lone
// surrogates in WTF-8 (see Loads); they are not whitespace and stop the stripping like any other
// character.
func Strip(s string) string {
	start := 0
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if r == utf8.RuneError || !isStrSpace(r) {
			break
		}
		start += n
	}
	end := len(s)
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if r == utf8.RuneError || !isStrSpace(r) {
			break
		}
		end -= n
	}
	return s[start:end]
}

// Capitalize is Python's str.capitalize: the first character in title case, the rest in lower
// case.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToTitle(r)) + strings.ToLower(s[n:])
}

// Len is Python's len() of a str: the number of code points. A lone surrogate in WTF-8 counts
// as one (Go would see three invalid bytes); any other invalid byte counts as one.
func Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if _, ok := surrogateAt(s, i); ok {
			i += 3
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		n++
	}
	return n
}

// surrogateAt reports whether s[i:] starts with the WTF-8 encoding of a lone surrogate
// (U+D800..U+DFFF as the three bytes ED A0..BF 80..BF) and returns its code point.
func surrogateAt(s string, i int) (rune, bool) {
	if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
		return 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), true
	}
	return 0, false
}

// FirstSurrogate returns the first lone surrogate (U+D800..U+DFFF) that s holds in WTF-8, as
// DRF's ProhibitSurrogateCharactersValidator looks for it.
func FirstSurrogate(s string) (rune, bool) {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xED {
			if cp, ok := surrogateAt(s, i); ok {
				return cp, true
			}
		}
	}
	return 0, false
}

// appendWTF8 appends r to dst in UTF-8, encoding a lone surrogate (U+D800..U+DFFF, which UTF-8
// cannot carry) as WTF-8 does: the three bytes UTF-8's formula gives. Loads uses it for JSON
// escapes such as "\ud800", which Python accepts.
func appendWTF8(dst []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(dst, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(dst, r)
}

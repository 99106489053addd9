package serializers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the few pieces of Python's semantics that DRF's fields rely on and that Go's
// standard library spells differently: str.isspace/str.strip, str.capitalize, str(float) and the
// representation of lone surrogates.

// pyIsSpace is Python's str.isspace for one character: Unicode's White_Space characters (Go's
// unicode.IsSpace) plus the four ASCII separators U+001C..U+001F, which Python also strips.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pyStrip is Python's str.strip() with no argument. s may hold lone surrogates in WTF-8 (see
// Serializer.Validate); they are not whitespace and stop the stripping like any other character.
func pyStrip(s string) string {
	start := 0
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if r == utf8.RuneError || !pyIsSpace(r) {
			break
		}
		start += n
	}
	end := len(s)
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if r == utf8.RuneError || !pyIsSpace(r) {
			break
		}
		end -= n
	}
	return s[start:end]
}

// pyCapitalize is Python's str.capitalize: the first character in title case, the rest in lower
// case. DRF labels a field with field_name.replace('_', ' ').capitalize().
func pyCapitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToTitle(r)) + strings.ToLower(s[n:])
}

// fieldLabel is DRF's default label for a field name.
func fieldLabel(name string) string { return pyCapitalize(strings.ReplaceAll(name, "_", " ")) }

// pyLen is Python's len() of a str: the number of code points. Each byte of a lone surrogate's
// WTF-8 encoding is invalid UTF-8 for Go, so those are counted per surrogate, not per byte.
func pyLen(s string) int {
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

// firstSurrogate returns the first lone surrogate in s, for DRF's
// ProhibitSurrogateCharactersValidator.
func firstSurrogate(s string) (rune, bool) {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xED {
			if cp, ok := surrogateAt(s, i); ok {
				return cp, true
			}
		}
	}
	return 0, false
}

// AppendWTF8 appends r to dst in UTF-8, encoding a lone surrogate (U+D800..U+DFFF, which UTF-8
// cannot carry) as WTF-8 does: the three bytes UTF-8's formula gives. Parsers use it for JSON
// escapes such as "\ud800", which Python accepts and DRF's CharField then refuses with
// "Surrogate characters are not allowed: U+D800.".
func AppendWTF8(dst []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(dst, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(dst, r)
}

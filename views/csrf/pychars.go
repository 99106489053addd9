package csrf

import (
	"unicode"
	"unicode/utf8"
)

// Django sees text, Go sees bytes. Which reason a malformed value gets ("has incorrect length"
// or "has invalid characters") depends on its length in Python characters, so the parsers here
// work on a projection with one byte per Python character:
//
//   - Header values (Origin, Referer, the token header) are PEP 3333 latin-1 strings in Django:
//     one byte is one character already, so they are used as they are.
//   - The Cookie header (WSGIRequest.COOKIES) and form fields are UTF-8, decoded with
//     errors="replace": projectUTF8 maps each decoded character to one byte, an ASCII
//     character to itself, a non-ASCII one to ' ' when Python's str.isspace says so (strip()
//     removes it) and to 0x80 otherwise (never one of [a-zA-Z0-9]).
//
// An all-ASCII value (every valid token) is its own projection: no copy is made.

// pySpace reports whether the latin-1 character b is whitespace for Python's str.strip():
// \t \n \v \f \r, the separators 0x1c-0x1f, space, NEL (0x85) and NBSP (0xa0).
func pySpace(b byte) bool {
	switch {
	case b >= '\t' && b <= '\r', b >= 0x1c && b <= ' ', b == 0x85, b == 0xa0:
		return true
	}
	return false
}

// pyStrip is Python's str.strip() on a projected or latin-1 string.
func pyStrip(s string) string {
	i, j := 0, len(s)
	for i < j && pySpace(s[i]) {
		i++
	}
	for j > i && pySpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isASCII reports whether s has no byte above 0x7f.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// projectUTF8 decodes s as CPython's bytes.decode("utf-8", "replace") does and returns one byte
// per decoded character (see above). s itself when it is ASCII.
func projectUTF8(s string) string {
	if isASCII(s) {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			out = append(out, s[i])
			i++
			continue
		}
		r, n := decodePyUTF8(s[i:])
		switch {
		case r != utf8.RuneError && unicode.IsSpace(r):
			out = append(out, ' ')
		default:
			out = append(out, 0x80)
		}
		i += n
	}
	return string(out)
}

// decodePyUTF8 decodes the first character of s (s[0] >= 0x80) with CPython's "replace"
// rule: a valid sequence is one character; an invalid one is replaced by one U+FFFD per
// maximal subpart (the longest prefix that could start a valid sequence), at least one byte.
func decodePyUTF8(s string) (rune, int) {
	if r, n := utf8.DecodeRuneInString(s); r != utf8.RuneError || n > 1 {
		return r, n
	}
	// The second byte's range depends on the lead byte (no overlongs, no surrogates, nothing
	// above U+10FFFF); later bytes are 0x80-0xbf.
	lo, hi, need := byte(0x80), byte(0xbf), 0
	switch b := s[0]; {
	case b >= 0xc2 && b <= 0xdf:
		need = 1
	case b == 0xe0:
		lo, need = 0xa0, 2
	case b == 0xed:
		hi, need = 0x9f, 2
	case b >= 0xe1 && b <= 0xef:
		need = 2
	case b == 0xf0:
		lo, need = 0x90, 3
	case b >= 0xf1 && b <= 0xf3:
		need = 3
	case b == 0xf4:
		hi, need = 0x8f, 3
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lo || s[n] > hi {
			break
		}
		lo, hi = 0x80, 0xbf
	}
	return utf8.RuneError, n
}

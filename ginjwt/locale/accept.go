package locale

import (
	"cmp"
	"slices"
	"strconv"
)

// LanguageRange is one entry of an Accept-Language header: the tag, lower-cased, and its
// quality.
type LanguageRange struct {
	Tag string
	Q   float64
}

// ParseAcceptLanguage is Django's parse_accept_lang_header: the ranges of an Accept-Language
// value, lower-cased, sorted by quality (a stable sort: equal qualities keep their order).
//
// Django splits the value with
//
//	([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)(?:\s*;\s*q=(0(?:\.[0-9]{,3})?|1(?:\.0{,3})?))?(?:\s*,\s*|$)
//
// and any text the pattern does not cover makes the whole value invalid: the result is then
// empty (as it is for an empty value). A value longer than 500 bytes is cut at its last comma
// before byte 500 (and is invalid without one). The value is read as Latin-1, as a WSGI server
// hands it to Django, so \s is Python's whitespace among Latin-1 characters (with \x1c-\x1f,
// \x85 and \xa0).
func ParseAcceptLanguage(header string) []LanguageRange {
	if len(header) > languageCodeMaxLength {
		i := lastIndexByteBefore(header, ',', languageCodeMaxLength)
		if i <= 0 {
			return nil
		}
		header = header[:i]
	}
	var out []LanguageRange
	for pos := 0; pos < len(header); {
		r, next, ok := matchRange(header, pos)
		if !ok {
			return nil
		}
		out = append(out, r)
		pos = next
	}
	slices.SortStableFunc(out, func(a, b LanguageRange) int { return cmp.Compare(b.Q, a.Q) })
	return out
}

func lastIndexByteBefore(s string, c byte, end int) int {
	for i := end - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// matchRange matches Django's accept_language_re at s[pos:], as Python's re does: greedy, and
// since no backtracking into the tag or the quality can ever let the rest match, the first
// greedy attempt decides. ok is false when the pattern does not match at pos: the value is
// then invalid, since the match re.split finds further on would leave text before it.
func matchRange(s string, pos int) (r LanguageRange, next int, ok bool) {
	i := pos
	// The tag: "*" or [A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*.
	if i < len(s) && s[i] == '*' {
		i++
	} else {
		n := span(s, i, 8, isASCIILetter)
		if n == 0 {
			return r, 0, false
		}
		i += n
		for i < len(s) && s[i] == '-' {
			n := span(s, i+1, 8, isASCIIAlnum)
			if n == 0 {
				break
			}
			i += 1 + n
		}
	}
	r.Tag, r.Q = asciiLower(s[pos:i]), 1
	// The optional quality: \s*;\s*q=(0(?:\.[0-9]{,3})?|1(?:\.0{,3})?).
	if j := skipSpace(s, i); j < len(s) && s[j] == ';' {
		j = skipSpace(s, j+1)
		if j+1 < len(s) && (s[j] == 'q' || s[j] == 'Q') && s[j+1] == '=' {
			j += 2
			if q, n := matchQ(s, j); n > 0 {
				r.Q = q
				i = j + n
			}
		}
	}
	// The end of the range: \s*,\s* or the end of the value.
	j := skipSpace(s, i)
	switch {
	case j < len(s) && s[j] == ',':
		return r, skipSpace(s, j+1), true
	case i == len(s):
		return r, i, true
	}
	return r, 0, false
}

// matchQ matches 0(?:\.[0-9]{,3})? or 1(?:\.0{,3})? at s[i:] and returns the value and length.
func matchQ(s string, i int) (float64, int) {
	if i >= len(s) || (s[i] != '0' && s[i] != '1') {
		return 0, 0
	}
	n := 1
	if i+1 < len(s) && s[i+1] == '.' {
		digit := func(c byte) bool { return c >= '0' && c <= '9' }
		if s[i] == '1' {
			digit = func(c byte) bool { return c == '0' }
		}
		n = 2 + span(s, i+2, 3, digit)
	}
	q, err := strconv.ParseFloat(s[i:i+n], 64)
	if err != nil { // "0." and "1." parse in Go as in Python; nothing else can reach here
		return 0, 0
	}
	return q, n
}

func span(s string, i, max int, ok func(byte) bool) int {
	n := 0
	for n < max && i+n < len(s) && ok(s[i+n]) {
		n++
	}
	return n
}

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }

func skipSpace(s string, i int) int {
	for i < len(s) && isPySpace(s[i]) {
		i++
	}
	return i
}

// isPySpace is Python's str.isspace() (what re's \s matches) for a Latin-1 character.
func isPySpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0:
		return true
	}
	return false
}

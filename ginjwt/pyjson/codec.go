package pyjson

import (
	"fmt"
	"strings"
)

// Codec is a character encoding as Python's codecs module decodes it: the encodings a charset
// parameter may name for a request body that Django and DRF read, with Python's handling of
// invalid input and its error messages.
type Codec int

// The codecs implemented: the zero Codec is UTF-8, Python's and Django's default; ascii and
// Latin1 are what LookupCodec returns for their names and aliases.
const (
	utf8Codec Codec = iota
	asciiCodec
	// Latin1 is "latin-1" (ISO-8859-1), which decodes any bytes: Django's fallback for form
	// data that its charset cannot decode.
	Latin1
)

func (c Codec) name() string {
	switch c {
	case asciiCodec:
		return "ascii"
	case Latin1:
		return "latin-1"
	}
	return "utf-8"
}

// LookupCodec returns the codec a charset parameter names: ASCII, Latin-1 or UTF-8, matching
// names as Python's codecs.lookup does (case, '-', '_' and spaces do not matter; aliases such
// as "us-ascii", "iso-8859-1" and "l1" count). Anything else, the empty string included, is
// UTF-8: Django ignores charsets Python does not know, and those Python knows but this package
// does not implement (utf-16, cp1252, …) are read as UTF-8 too.
func LookupCodec(charset string) Codec {
	var b strings.Builder
	prevPunct := false
	for _, r := range strings.ToLower(strings.TrimSpace(charset)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' {
			b.WriteRune(r)
			prevPunct = false
		} else if !prevPunct && b.Len() > 0 {
			b.WriteByte('_')
			prevPunct = true
		}
	}
	switch strings.TrimSuffix(b.String(), "_") {
	case "ascii", "us_ascii", "646", "us", "ansi_x3.4_1968", "ansi_x3_4_1968", "ansi_x3.4_1986",
		"cp367", "csascii", "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6":
		return asciiCodec
	case "latin_1", "latin1", "latin", "l1", "iso_8859_1", "iso8859_1", "8859", "cp819",
		"iso_ir_100", "csisolatin1", "ibm819", "iso_8859_1_1987":
		return Latin1
	}
	return utf8Codec
}

// decodeError is a UnicodeDecodeError.
type decodeError struct {
	codec      Codec
	b          byte
	start, end int // byte range, end exclusive
	reason     string
}

func (e *decodeError) Error() string {
	if e.end-e.start == 1 {
		return fmt.Sprintf("'%s' codec can't decode byte 0x%02x in position %d: %s", e.codec.name(), e.b, e.start, e.reason)
	}
	return fmt.Sprintf("'%s' codec can't decode bytes in position %d-%d: %s", e.codec.name(), e.start, e.end-1, e.reason)
}

func isCont(b byte) bool { return b >= 0x80 && b <= 0xBF }

// utf8Step decodes the character at b[i] as CPython's UTF-8 decoder does. It returns the
// character and its size, or a failure: kind 0 for an incomplete sequence at the end of b,
// 1 for an invalid start byte, and 2..4 for an invalid continuation byte, the bad range being
// b[i:i+kind-1] (CPython's InvalidContinuation1..3).
func utf8Step(b []byte, i int) (r rune, size int, kind int) {
	ch := b[i]
	rest := len(b) - i
	switch {
	case ch < 0x80:
		return rune(ch), 1, -1
	case ch < 0xC2:
		return 0, 0, 1
	case ch < 0xE0:
		if rest < 2 {
			return 0, 0, 0
		}
		if !isCont(b[i+1]) {
			return 0, 0, 2
		}
		return rune(ch&0x1F)<<6 | rune(b[i+1]&0x3F), 2, -1
	case ch < 0xF0:
		if rest < 3 {
			if rest < 2 {
				return 0, 0, 0
			}
			ch2 := b[i+1]
			if !isCont(ch2) || (ch2 < 0xA0 && ch == 0xE0) || (ch2 >= 0xA0 && ch == 0xED) {
				return 0, 0, 2
			}
			return 0, 0, 0
		}
		ch2, ch3 := b[i+1], b[i+2]
		if !isCont(ch2) || (ch == 0xE0 && ch2 < 0xA0) || (ch == 0xED && ch2 >= 0xA0) {
			return 0, 0, 2
		}
		if !isCont(ch3) {
			return 0, 0, 3
		}
		return rune(ch&0x0F)<<12 | rune(ch2&0x3F)<<6 | rune(ch3&0x3F), 3, -1
	case ch < 0xF5:
		if rest < 4 {
			if rest < 2 {
				return 0, 0, 0
			}
			ch2 := b[i+1]
			if !isCont(ch2) || (ch2 < 0x90 && ch == 0xF0) || (ch2 >= 0x90 && ch == 0xF4) {
				return 0, 0, 2
			}
			if rest < 3 {
				return 0, 0, 0
			}
			if !isCont(b[i+2]) {
				return 0, 0, 3
			}
			return 0, 0, 0
		}
		ch2, ch3, ch4 := b[i+1], b[i+2], b[i+3]
		if !isCont(ch2) || (ch == 0xF0 && ch2 < 0x90) || (ch == 0xF4 && ch2 >= 0x90) {
			return 0, 0, 2
		}
		if !isCont(ch3) {
			return 0, 0, 3
		}
		if !isCont(ch4) {
			return 0, 0, 4
		}
		return rune(ch&0x07)<<18 | rune(ch2&0x3F)<<12 | rune(ch3&0x3F)<<6 | rune(ch4&0x3F), 4, -1
	}
	return 0, 0, 1
}

// decodeStream decodes a whole body as DRF's JSONParser reads it: codecs.getreader(encoding)
// (stream).read(), which decodes with final=False, so that an incomplete UTF-8 sequence at the
// very end is silently dropped while any other invalid byte is an error.
func (c Codec) decodeStream(b []byte) ([]rune, error) {
	out := make([]rune, 0, len(b))
	switch c {
	case Latin1:
		for _, x := range b {
			out = append(out, rune(x))
		}
		return out, nil
	case asciiCodec:
		for i, x := range b {
			if x >= 0x80 {
				return nil, &decodeError{codec: c, b: x, start: i, end: i + 1, reason: reasonNotASCII}
			}
			out = append(out, rune(x))
		}
		return out, nil
	}
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			out = append(out, rune(b[i]))
			i++
			continue
		}
		r, size, kind := utf8Step(b, i)
		switch {
		case kind < 0:
			out = append(out, r)
			i += size
			continue
		case kind == 0:
			return out, nil // incomplete at the end: kept for a next read that never comes
		case kind == 2 && b[i] == 0xED && len(b)-i == 2 && b[i+1] >= 0xA0 && b[i+1] <= 0xBF:
			return out, nil // CPython: a truncated surrogate at the end is incomplete data
		case kind == 1:
			return nil, &decodeError{codec: c, b: b[i], start: i, end: i + 1, reason: reasonInvalidStart}
		default:
			return nil, &decodeError{codec: c, b: b[i], start: i, end: i + kind - 1, reason: reasonInvalidContinuation}
		}
	}
	return out, nil
}

// DecodeReplace is Python's b.decode(codec, 'replace'): each invalid sequence becomes one
// U+FFFD, as Python's replace error handler cuts them.
func (c Codec) DecodeReplace(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		x := b[i]
		switch {
		case x < 0x80:
			sb.WriteByte(x)
			i++
			continue
		case c == Latin1:
			sb.WriteRune(rune(x))
			i++
			continue
		case c == asciiCodec:
			sb.WriteRune('\uFFFD')
			i++
			continue
		}
		r, size, kind := utf8Step(b, i)
		switch {
		case kind < 0:
			sb.WriteRune(r)
			i += size
		case kind == 0:
			sb.WriteRune('\uFFFD')
			i = len(b)
		case kind == 1:
			sb.WriteRune('\uFFFD')
			i++
		default:
			sb.WriteRune('\uFFFD')
			i += kind - 1
		}
	}
	return sb.String()
}

// Decode is Python's b.decode(codec): the text, and false when b is not valid in the codec.
func (c Codec) Decode(b []byte) (string, bool) {
	switch c {
	case Latin1:
		return c.DecodeReplace(b), true
	case asciiCodec:
		for _, x := range b {
			if x >= 0x80 {
				return "", false
			}
		}
		return string(b), true
	}
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		_, size, kind := utf8Step(b, i)
		if kind >= 0 {
			return "", false
		}
		i += size
	}
	return string(b), true
}

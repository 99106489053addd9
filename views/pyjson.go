package views

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// This file is DRF's JSONParser: Python's codecs reader followed by json.load with DRF's
// strict_constant, reproduced so that a malformed body gets Python's own message,
// "JSON parse error - Expecting value: line 1 column 1 (char 0)", and never Go's.
//
// The scanner is a transcription of CPython 3.11's Modules/_json.c (scan_once_unicode,
// _parse_object_unicode, _parse_array_unicode, scanstring_unicode, _match_number_unicode) and
// works, like it, on code points, so that positions ("char 21") count characters. The codec
// errors follow Objects/stringlib/codecs.h. views/testdata/pyjson.json holds Python's answers
// for a corpus of inputs, checked by TestPyJSONGolden.

// maxJSONDepth stands for Python's recursion limit: deeper nesting is refused with Python's
// RecursionError text (which DRF, not catching it, answers with a 500).
const maxJSONDepth = 500

// maxIntDigits is Python's sys.get_int_max_str_digits() default (CVE-2020-10735).
const maxIntDigits = 4300

// pyJSONError is a json.JSONDecodeError: msg at a position, rendered as Python does.
type pyJSONError struct {
	msg string
	pos int
	doc []rune
}

func (e *pyJSONError) Error() string {
	line := 1
	lastNL := -1
	for i := 0; i < e.pos && i < len(e.doc); i++ {
		if e.doc[i] == '\n' {
			line++
			lastNL = i
		}
	}
	return fmt.Sprintf("%s: line %d column %d (char %d)", e.msg, line, e.pos-lastNL, e.pos)
}

// pyValueError is a ValueError without a position (a codec error, NaN, the digit limit).
type pyValueError string

func (e pyValueError) Error() string { return string(e) }

type pyScanner struct {
	s     []rune
	depth int
}

func (p *pyScanner) fail(msg string, pos int) error {
	return &pyJSONError{msg: msg, pos: pos, doc: p.s}
}

// pyJSONLoads is json.loads(s) with parse_constant=strict_constant. Objects come back as
// *pyjson.Object, arrays as []any, numbers as pyjson.Number.
func pyJSONLoads(s []rune) (any, error) {
	p := &pyScanner{s: s}
	if len(s) > 0 && s[0] == '\ufeff' {
		return nil, p.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0)
	}
	v, end, err := p.scanOnce(p.skipWS(0))
	if err != nil {
		return nil, err
	}
	if end = p.skipWS(end); end != len(s) {
		return nil, p.fail("Extra data", end)
	}
	return v, nil
}

func isJSONSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func (p *pyScanner) skipWS(i int) int {
	for i < len(p.s) && isJSONSpace(p.s[i]) {
		i++
	}
	return i
}

// has reports whether s[i:] starts with lit.
func (p *pyScanner) has(i int, lit string) bool {
	for _, r := range lit {
		if i >= len(p.s) || p.s[i] != r {
			return false
		}
		i++
	}
	return true
}

// scanOnce is scan_once_unicode; a StopIteration(idx) is "Expecting value" at idx.
func (p *pyScanner) scanOnce(idx int) (any, int, error) {
	n := len(p.s)
	if idx < 0 || idx >= n {
		return nil, 0, p.fail("Expecting value", idx)
	}
	switch p.s[idx] {
	case '"':
		s, next, err := p.scanString(idx + 1)
		return s, next, err
	case '{':
		if p.depth >= maxJSONDepth {
			return nil, 0, pyValueError("maximum recursion depth exceeded while decoding a JSON object from a unicode string")
		}
		p.depth++
		v, next, err := p.parseObject(idx + 1)
		p.depth--
		return v, next, err
	case '[':
		if p.depth >= maxJSONDepth {
			return nil, 0, pyValueError("maximum recursion depth exceeded while decoding a JSON array from a unicode string")
		}
		p.depth++
		v, next, err := p.parseArray(idx + 1)
		p.depth--
		return v, next, err
	case 'n':
		if idx+3 < n && p.has(idx+1, "ull") {
			return nil, idx + 4, nil
		}
	case 't':
		if idx+3 < n && p.has(idx+1, "rue") {
			return true, idx + 4, nil
		}
	case 'f':
		if idx+4 < n && p.has(idx+1, "alse") {
			return false, idx + 5, nil
		}
	case 'N':
		if idx+2 < n && p.has(idx+1, "aN") {
			return nil, 0, strictConstant("NaN")
		}
	case 'I':
		if idx+7 < n && p.has(idx+1, "nfinity") {
			return nil, 0, strictConstant("Infinity")
		}
	case '-':
		if idx+8 < n && p.has(idx+1, "Infinity") {
			return nil, 0, strictConstant("-Infinity")
		}
	}
	return p.matchNumber(idx)
}

// strictConstant is DRF's rest_framework.utils.json.strict_constant.
func strictConstant(c string) error {
	return pyValueError("Out of range float values are not JSON compliant: '" + c + "'")
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// matchNumber is _match_number_unicode.
func (p *pyScanner) matchNumber(start int) (any, int, error) {
	s, endIdx := p.s, len(p.s)-1
	idx := start
	if s[idx] == '-' {
		idx++
		if idx > endIdx {
			return nil, 0, p.fail("Expecting value", start)
		}
	}
	switch {
	case s[idx] >= '1' && s[idx] <= '9':
		idx++
		for idx <= endIdx && isDigit(s[idx]) {
			idx++
		}
	case s[idx] == '0':
		idx++
	default:
		return nil, 0, p.fail("Expecting value", start)
	}
	isFloat := false
	if idx < endIdx && s[idx] == '.' && isDigit(s[idx+1]) {
		isFloat = true
		idx += 2
		for idx <= endIdx && isDigit(s[idx]) {
			idx++
		}
	}
	if idx < endIdx && (s[idx] == 'e' || s[idx] == 'E') {
		eStart := idx
		idx++
		if idx < endIdx && (s[idx] == '-' || s[idx] == '+') {
			idx++
		}
		for idx <= endIdx && isDigit(s[idx]) {
			idx++
		}
		if isDigit(s[idx-1]) {
			isFloat = true
		} else {
			idx = eStart
		}
	}
	lit := string(s[start:idx])
	if !isFloat {
		digits := len(lit)
		if lit[0] == '-' {
			digits--
		}
		if digits > maxIntDigits {
			return nil, 0, pyValueError(fmt.Sprintf("Exceeds the limit (%d digits) for integer string "+
				"conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit",
				maxIntDigits, digits))
		}
	}
	return pyjson.Number(lit), idx, nil
}

func hexValue(r rune) (rune, bool) {
	switch {
	case r >= '0' && r <= '9':
		return r - '0', true
	case r >= 'a' && r <= 'f':
		return r - 'a' + 10, true
	case r >= 'A' && r <= 'F':
		return r - 'A' + 10, true
	}
	return 0, false
}

// scanString is scanstring_unicode with strict=True; end is the index after the opening quote.
func (p *pyScanner) scanString(end int) (string, int, error) {
	s, n := p.s, len(p.s)
	begin := end - 1
	var b []byte
	for {
		next := end
		var c rune
		for ; next < n; next++ {
			c = s[next]
			if c == '"' || c == '\\' {
				break
			}
			if c <= 0x1f {
				return "", 0, p.fail("Invalid control character at", next)
			}
		}
		if next >= n {
			return "", 0, p.fail("Unterminated string starting at", begin)
		}
		if b == nil {
			b = make([]byte, 0, next-end+8)
		}
		for _, r := range s[end:next] {
			if r < utf8.RuneSelf {
				b = append(b, byte(r))
			} else {
				b = utf8.AppendRune(b, r)
			}
		}
		next++
		if c == '"' {
			return string(b), next, nil
		}
		if next == n {
			return "", 0, p.fail("Unterminated string starting at", begin)
		}
		c = s[next]
		if c != 'u' {
			end = next + 1
			switch c {
			case '"', '\\', '/':
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			default:
				return "", 0, p.fail("Invalid \\escape", end-2)
			}
			b = append(b, byte(c))
			continue
		}
		next++
		end = next + 4
		if end >= n {
			return "", 0, p.fail("Invalid \\uXXXX escape", next-1)
		}
		c = 0
		for ; next < end; next++ {
			d, ok := hexValue(s[next])
			if !ok {
				return "", 0, p.fail("Invalid \\uXXXX escape", end-5)
			}
			c = c<<4 | d
		}
		if c >= 0xD800 && c <= 0xDBFF && end+6 < n && s[next] == '\\' && s[next+1] == 'u' {
			next += 2
			end += 6
			var c2 rune
			for ; next < end; next++ {
				d, ok := hexValue(s[next])
				if !ok {
					return "", 0, p.fail("Invalid \\uXXXX escape", end-5)
				}
				c2 = c2<<4 | d
			}
			if c2 >= 0xDC00 && c2 <= 0xDFFF {
				c = 0x10000 + (c-0xD800)<<10 + (c2 - 0xDC00)
			} else {
				end -= 6
			}
		}
		b = serializers.AppendWTF8(b, c)
	}
}

// parseObject is _parse_object_unicode; idx is the index after '{'.
func (p *pyScanner) parseObject(idx int) (any, int, error) {
	s, endIdx := p.s, len(p.s)-1
	obj := pyjson.NewObject()
	idx = p.skipWS(idx)
	if idx > endIdx || s[idx] != '}' {
		for {
			if idx > endIdx || s[idx] != '"' {
				return nil, 0, p.fail("Expecting property name enclosed in double quotes", idx)
			}
			key, next, err := p.scanString(idx + 1)
			if err != nil {
				return nil, 0, err
			}
			idx = p.skipWS(next)
			if idx > endIdx || s[idx] != ':' {
				return nil, 0, p.fail("Expecting ':' delimiter", idx)
			}
			idx = p.skipWS(idx + 1)
			val, next, err := p.scanOnce(idx)
			if err != nil {
				return nil, 0, err
			}
			obj.Set(key, val)
			idx = p.skipWS(next)
			if idx <= endIdx && s[idx] == '}' {
				break
			}
			if idx > endIdx || s[idx] != ',' {
				return nil, 0, p.fail("Expecting ',' delimiter", idx)
			}
			idx = p.skipWS(idx + 1)
		}
	}
	return obj, idx + 1, nil
}

// parseArray is _parse_array_unicode; idx is the index after '['.
func (p *pyScanner) parseArray(idx int) (any, int, error) {
	s, endIdx := p.s, len(p.s)-1
	list := []any{}
	idx = p.skipWS(idx)
	if idx > endIdx || s[idx] != ']' {
		for {
			val, next, err := p.scanOnce(idx)
			if err != nil {
				return nil, 0, err
			}
			list = append(list, val)
			idx = p.skipWS(next)
			if idx <= endIdx && s[idx] == ']' {
				break
			}
			if idx > endIdx || s[idx] != ',' {
				return nil, 0, p.fail("Expecting ',' delimiter", idx)
			}
			idx = p.skipWS(idx + 1)
		}
	}
	return list, idx + 1, nil
}

// ---------------------------------------------------------------------------------------------
// Codecs: bytes to code points as Python's codecs do.

// codec is a character encoding Django may be told to use by a charset parameter.
type codec int

const (
	codecUTF8 codec = iota
	codecASCII
	codecLatin1
)

func (c codec) name() string {
	switch c {
	case codecASCII:
		return "ascii"
	case codecLatin1:
		return "latin-1"
	}
	return "utf-8"
}

// codecFor maps a charset parameter to a codec the way Python's codecs.lookup names them
// (case, '-', '_' and spaces do not matter). Django ignores charsets Python does not know;
// charsets Python knows but this port does not implement (utf-16, cp1252, …) are read as
// UTF-8 too.
func codecFor(charset string) codec {
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
		return codecASCII
	case "latin_1", "latin1", "latin", "l1", "iso_8859_1", "iso8859_1", "8859", "cp819",
		"iso_ir_100", "csisolatin1", "ibm819", "iso_8859_1_1987":
		return codecLatin1
	}
	return codecUTF8
}

// decodeError is a UnicodeDecodeError.
type decodeError struct {
	codec      codec
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
func decodeStream(b []byte, c codec) ([]rune, error) {
	out := make([]rune, 0, len(b))
	switch c {
	case codecLatin1:
		for _, x := range b {
			out = append(out, rune(x))
		}
		return out, nil
	case codecASCII:
		for i, x := range b {
			if x >= 0x80 {
				return nil, &decodeError{codec: c, b: x, start: i, end: i + 1, reason: "ordinal not in range(128)"}
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
			return nil, &decodeError{codec: c, b: b[i], start: i, end: i + 1, reason: "invalid start byte"}
		default:
			return nil, &decodeError{codec: c, b: b[i], start: i, end: i + kind - 1, reason: "invalid continuation byte"}
		}
	}
	return out, nil
}

// decodeReplace decodes b with errors='replace' (final): each invalid sequence becomes one
// U+FFFD, as Python's replace error handler does.
func decodeReplace(b []byte, c codec) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		x := b[i]
		switch {
		case x < 0x80:
			sb.WriteByte(x)
			i++
			continue
		case c == codecLatin1:
			sb.WriteRune(rune(x))
			i++
			continue
		case c == codecASCII:
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

// decodeStrict decodes b entirely (final=True) and reports whether it was valid.
func decodeStrict(b []byte, c codec) (string, bool) {
	switch c {
	case codecLatin1:
		return decodeReplace(b, c), true
	case codecASCII:
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

package pyjson

import (
	"fmt"
	"unicode/utf8"
)

// Loads is json.loads as DRF's JSONParser calls it: b is decoded as codecs.getreader(c) reads a
// stream (an incomplete UTF-8 sequence at the very end is dropped, any other invalid byte is a
// UnicodeDecodeError), then parsed with parse_constant refusing NaN, Infinity and -Infinity
// (DRF's strict_constant). Objects come back as *Object, arrays as []any, strings as string,
// numbers as Number, true and false as bool, null as nil. A repeated key keeps its first
// position and its last value.
//
// Strings may hold lone surrogates, from escapes such as "\ud800" that Python accepts; they
// are kept in WTF-8 (the three bytes UTF-8's formula gives), which Go's UTF-8 functions treat
// as invalid and FirstSurrogate finds.
//
// The error's text is CPython's str() of the exception, e.g. "Expecting value: line 1 column 1
// (char 0)" or "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte":
// positions count code points, as Python's do. Nesting deeper than 500 levels is an error with
// the text of Python's RecursionError.
func Loads(b []byte, c Codec) (any, error) {
	text, err := c.decodeStream(b)
	if err != nil {
		return nil, err
	}
	return loads(text)
}

// The scanner is a transcription of CPython 3.11's Modules/_json.c (scan_once_unicode,
// _parse_object_unicode, _parse_array_unicode, scanstring_unicode, _match_number_unicode) and
// works, like it, on code points.

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

// loads is json.loads(s) with parse_constant=strict_constant.
func loads(s []rune) (any, error) {
	p := &pyScanner{s: s}
	if len(s) > 0 && s[0] == '\ufeff' {
		return nil, p.fail(msgBOM, 0)
	}
	v, end, err := p.scanOnce(p.skipWS(0))
	if err != nil {
		return nil, err
	}
	if end = p.skipWS(end); end != len(s) {
		return nil, p.fail(msgExtraData, end)
	}
	return v, nil
}

func (p *pyScanner) skipWS(i int) int {
	for i < len(p.s) && isSpace(p.s[i]) {
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

// scanOnce is scan_once_unicode; a StopIteration(idx) is msgExpectingValue at idx.
func (p *pyScanner) scanOnce(idx int) (any, int, error) {
	n := len(p.s)
	if idx < 0 || idx >= n {
		return nil, 0, p.fail(msgExpectingValue, idx)
	}
	switch p.s[idx] {
	case '"':
		s, next, err := p.scanString(idx + 1)
		return s, next, err
	case '{':
		if p.depth >= maxJSONDepth {
			return nil, 0, pyValueError(msgRecursionObject)
		}
		p.depth++
		v, next, err := p.parseObject(idx + 1)
		p.depth--
		return v, next, err
	case '[':
		if p.depth >= maxJSONDepth {
			return nil, 0, pyValueError(msgRecursionArray)
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
	return pyValueError(msgOutOfRange + "'" + c + "'")
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// matchNumber is _match_number_unicode.
func (p *pyScanner) matchNumber(start int) (any, int, error) {
	s, endIdx := p.s, len(p.s)-1
	idx := start
	if s[idx] == '-' {
		idx++
		if idx > endIdx {
			return nil, 0, p.fail(msgExpectingValue, start)
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
		return nil, 0, p.fail(msgExpectingValue, start)
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
			return nil, 0, pyValueError(fmt.Sprintf(msgIntDigits, maxIntDigits, digits))
		}
	}
	return Number(lit), idx, nil
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
				return "", 0, p.fail(msgControlCharacter, next)
			}
		}
		if next >= n {
			return "", 0, p.fail(msgUnterminated, begin)
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
			return "", 0, p.fail(msgUnterminated, begin)
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
				return "", 0, p.fail(msgInvalidEscape, end-2)
			}
			b = append(b, byte(c))
			continue
		}
		next++
		end = next + 4
		if end >= n {
			return "", 0, p.fail(msgInvalidUEscape, next-1)
		}
		c = 0
		for ; next < end; next++ {
			d, ok := hexValue(s[next])
			if !ok {
				return "", 0, p.fail(msgInvalidUEscape, end-5)
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
					return "", 0, p.fail(msgInvalidUEscape, end-5)
				}
				c2 = c2<<4 | d
			}
			if c2 >= 0xDC00 && c2 <= 0xDFFF {
				c = 0x10000 + (c-0xD800)<<10 + (c2 - 0xDC00)
			} else {
				end -= 6
			}
		}
		b = appendWTF8(b, c)
	}
}

// parseObject is _parse_object_unicode; idx is the index after '{'.
func (p *pyScanner) parseObject(idx int) (any, int, error) {
	s, endIdx := p.s, len(p.s)-1
	obj := NewObject()
	idx = p.skipWS(idx)
	if idx > endIdx || s[idx] != '}' {
		for {
			if idx > endIdx || s[idx] != '"' {
				return nil, 0, p.fail(msgExpectingProperty, idx)
			}
			key, next, err := p.scanString(idx + 1)
			if err != nil {
				return nil, 0, err
			}
			idx = p.skipWS(next)
			if idx > endIdx || s[idx] != ':' {
				return nil, 0, p.fail(msgExpectingColon, idx)
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
				return nil, 0, p.fail(msgExpectingComma, idx)
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
				return nil, 0, p.fail(msgExpectingComma, idx)
			}
			idx = p.skipWS(idx + 1)
		}
	}
	return list, idx + 1, nil
}

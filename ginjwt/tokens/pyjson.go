package tokens

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Python's json.dumps, the parts both wire formats need: PyJWT encodes payloads with
// ensure_ascii=True, DRF's JSONRenderer renders bodies with ensure_ascii=False (and escapes
// U+2028/U+2029 itself). The serializers package renders its bodies with these too, so the two
// cannot drift apart.

const hexDigits = "0123456789abcdef"

// AppendPyString appends s as a JSON string the way Python writes it: with ensureASCII, every
// non-ASCII character as \uXXXX (surrogate pairs above the BMP), as PyJWT does; without, raw
// UTF-8 with U+2028 and U+2029 escaped, as DRF's JSONRenderer does. Control characters are
// \n \r \t \b \f or \u00XX; invalid UTF-8 becomes U+FFFD.
func AppendPyString(dst []byte, s string, ensureASCII bool) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				dst = append(dst, '\\', '"')
			case c == '\\':
				dst = append(dst, '\\', '\\')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c == '\b':
				dst = append(dst, '\\', 'b')
			case c == '\f':
				dst = append(dst, '\\', 'f')
			case c < 0x20:
				dst = appendU(dst, rune(c))
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case !ensureASCII && (r == '\u2028' || r == '\u2029'):
			dst = appendU(dst, r)
		case !ensureASCII:
			dst = utf8.AppendRune(dst, r) // RuneError for invalid input: U+FFFD
		case r >= 0x10000:
			r -= 0x10000
			dst = appendU(dst, 0xd800+(r>>10))
			dst = appendU(dst, 0xdc00+(r&0x3ff))
		default:
			dst = appendU(dst, r)
		}
	}
	return append(dst, '"')
}

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// PyFloatRepr is Python's repr(float): the shortest digits that round-trip, positional for
// decimal exponents in [-4, 16), scientific ("1e+16", "1e-05") outside, ".0" when integral, and
// "inf", "-inf", "nan".
func PyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // "-1.2345e+06"
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant, expPart, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expPart)
	decpt := exp + 1 // digits × 10^(decpt - len(digits))
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if decpt > 16 || decpt < -3 {
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
		return b.String()
	}
	switch {
	case decpt <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -decpt))
		b.WriteString(digits)
	case decpt >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", decpt-len(digits)))
		b.WriteString(".0")
	default:
		b.WriteString(digits[:decpt])
		b.WriteByte('.')
		b.WriteString(digits[decpt:])
	}
	return b.String()
}

// ErrNonFinite: NaN and ±Inf have no JSON form (Python would write NaN/Infinity; we refuse).
//
//lint:ignore ST1005 Python's own message, which DRF renders.
var ErrNonFinite = errors.New("Out of range float values are not JSON compliant")

// AppendPyFloat appends repr(f), refusing NaN and ±Inf.
func AppendPyFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, ErrNonFinite
	}
	return append(dst, PyFloatRepr(f)...), nil
}

// AppendPyRaw re-emits the JSON text raw as Python re-encodes what json.loads made of it:
// compact, object keys in their order, strings through AppendPyString, integers as written
// ("-0" as "0"), numbers with a fraction or exponent through repr(float). raw must be valid JSON.
func AppendPyRaw(dst []byte, raw []byte, ensureASCII bool) ([]byte, error) {
	if !json.Valid(raw) {
		return nil, ErrMalformedPayload
	}
	return appendPyRaw(dst, bytes.TrimSpace(raw), ensureASCII)
}

// appendPyRaw walks JSON that json.Valid accepted.
func appendPyRaw(dst []byte, raw []byte, ascii bool) ([]byte, error) {
	switch raw[0] {
	case '"':
		s, ok := rawString(raw)
		if !ok {
			return nil, ErrMalformedPayload
		}
		return AppendPyString(dst, s, ascii), nil
	case '{', '[':
		closer := byte('}')
		if raw[0] == '[' {
			closer = ']'
		}
		dst = append(dst, raw[0])
		i := skipWS(raw, 1)
		first := true
		for i < len(raw) && raw[i] != closer {
			if !first {
				dst = append(dst, ',')
				i = skipWS(raw, i+1)
			}
			first = false
			var err error
			if closer == '}' {
				end := skipString(raw, i)
				if dst, err = appendPyRaw(dst, raw[i:end], ascii); err != nil {
					return nil, err
				}
				dst = append(dst, ':')
				i = skipWS(raw, skipWS(raw, end)+1)
			}
			end := skipValue(raw, i)
			if dst, err = appendPyRaw(dst, raw[i:end], ascii); err != nil {
				return nil, err
			}
			i = skipWS(raw, end)
		}
		return append(dst, closer), nil
	case 't', 'f', 'n':
		return append(dst, raw...), nil
	}
	if bytes.ContainsAny(raw, ".eE") {
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, ErrNonFinite // 1e400: Python's float() gives inf
		}
		return AppendPyFloat(dst, f)
	}
	if string(raw) == "-0" {
		return append(dst, '0'), nil
	}
	return append(dst, raw...), nil
}

// JSONAppender is a value that writes its own Python-compatible JSON (*Claims, and the
// serializers' ordered bodies).
type JSONAppender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// AppendPyValue encodes a Go value the way Python's json would encode its Python counterpart:
// strings through AppendPyString, floats through repr, ints as they are, []any and []string
// as lists, JSONAppenders as themselves; anything else (maps, structs) through encoding/json
// (maps get sorted keys) and then AppendPyRaw.
func AppendPyValue(dst []byte, v any, ensureASCII bool) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return AppendPyString(dst, x, ensureASCII), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), nil
	case float32:
		return AppendPyFloat(dst, float64(x))
	case float64:
		return AppendPyFloat(dst, x)
	case json.Number:
		return AppendPyRaw(dst, []byte(x), ensureASCII)
	case json.RawMessage:
		return AppendPyRaw(dst, x, ensureASCII)
	case JSONAppender:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return append(dst, "null"...), nil
		}
		return x.AppendJSON(dst)
	case []string:
		dst = append(dst, '[')
		for i, s := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendPyString(dst, s, ensureASCII)
		}
		return append(dst, ']'), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = AppendPyValue(dst, e, ensureASCII); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	}
	// Anything else (maps, structs, named types): encoding/json first (maps get sorted keys),
	// then re-emitted in Python's form.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return AppendPyRaw(dst, b, ensureASCII)
}

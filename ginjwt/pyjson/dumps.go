package pyjson

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNonFinite is returned when a NaN or an infinity is to be encoded. JSON has no form for
// them (Python writes NaN and Infinity unless allow_nan=False); DRF refuses them with this text.
//
//lint:ignore ST1005 Python's own message, which DRF renders.
var ErrNonFinite = errors.New("Out of range float values are not JSON compliant")

// errInvalidJSON is returned by AppendRaw for text that is not JSON.
var errInvalidJSON = errors.New("pyjson: invalid JSON text")

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string the way Python's json.dumps writes it. With
// ensureASCII (PyJWT's encoding), every character outside printable ASCII is written as
// \uXXXX (DEL as \u007f, a surrogate pair above the BMP); without (DRF's JSONRenderer),
// non-ASCII characters are raw UTF-8 except U+2028 and U+2029, which DRF escapes for
// JavaScript. Control characters are \n \r \t \b \f or \u00XX; there is no HTML escaping;
// invalid UTF-8 becomes U+FFFD.
func AppendString(dst []byte, s string, ensureASCII bool) []byte {
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
			case c < 0x20, c == 0x7f && ensureASCII:
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

// floatRepr is Python's repr(float), which str(float) and json.dumps also use: the shortest
// digits that round-trip, positional for decimal exponents in [-4, 16), scientific ("1e+16",
// "1e-05") outside, ".0" when integral, and "inf", "-inf", "nan".
func floatRepr(f float64) string {
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

// appendFloat appends repr(f), refusing NaN and ±Inf.
func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, ErrNonFinite
	}
	return append(dst, floatRepr(f)...), nil
}

// AppendRaw appends the JSON text raw as Python re-encodes what json.loads made of it:
// compact, object keys in their order, strings through AppendString, integers as written ("-0"
// as "0"), numbers with a fraction or an exponent through repr(float) (an overflow to infinity
// is ErrNonFinite). raw must be valid JSON.
func AppendRaw(dst []byte, raw []byte, ensureASCII bool) ([]byte, error) {
	if !json.Valid(raw) {
		return nil, errInvalidJSON
	}
	return appendRaw(dst, raw[skipWS(raw, 0):skipWSBack(raw)], ensureASCII)
}

// appendRaw walks one JSON value that json.Valid accepted, without surrounding whitespace.
func appendRaw(dst []byte, raw []byte, ascii bool) ([]byte, error) {
	switch raw[0] {
	case '"':
		s, ok := Unquote(raw)
		if !ok {
			return nil, errInvalidJSON
		}
		return AppendString(dst, s, ascii), nil
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
				if dst, err = appendRaw(dst, raw[i:end], ascii); err != nil {
					return nil, err
				}
				dst = append(dst, ':')
				i = skipWS(raw, skipWS(raw, end)+1)
			}
			end := skipValue(raw, i)
			if dst, err = appendRaw(dst, raw[i:end], ascii); err != nil {
				return nil, err
			}
			i = skipWS(raw, end)
		}
		return append(dst, closer), nil
	case 't', 'f', 'n':
		return append(dst, raw...), nil
	}
	return appendNumber(dst, raw)
}

// appendNumber appends a JSON number literal as Python re-encodes the value it parses to:
// an integer as written ("-0" as "0"), anything with a fraction or an exponent through
// float() and repr().
func appendNumber[T string | []byte](dst []byte, lit T) ([]byte, error) {
	if strings.ContainsAny(string(lit), ".eE") {
		f, err := strconv.ParseFloat(string(lit), 64)
		if err != nil {
			return nil, ErrNonFinite // 1e400: Python's float() gives inf
		}
		return appendFloat(dst, f)
	}
	if string(lit) == "-0" {
		return append(dst, '0'), nil
	}
	return append(dst, lit...), nil
}

// appender is a value that writes its own Python-compatible JSON, such as a JWT payload.
type appender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// AppendValue appends v the way Python's json.dumps encodes its Python counterpart: nil as
// null, strings through AppendString, integers as they are, floats through repr (NaN and ±Inf
// refused with ErrNonFinite), Number as Python re-encodes the number it stands for, *Object as
// a dict in its order (nil as null), []any and []string as lists, json.Number and json.RawMessage through AppendRaw, values with an
// AppendJSON(dst []byte) ([]byte, error) method as themselves; anything else (maps, structs)
// through encoding/json (maps get sorted keys, as there is no order to keep) and then AppendRaw.
func AppendValue(dst []byte, v any, ensureASCII bool) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return AppendString(dst, x, ensureASCII), nil
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
		return appendFloat(dst, float64(x))
	case float64:
		return appendFloat(dst, x)
	case Number:
		return x.append(dst)
	case *Object:
		return x.AppendJSON(dst, ensureASCII)
	case json.Number:
		return AppendRaw(dst, []byte(x), ensureASCII)
	case json.RawMessage:
		return AppendRaw(dst, x, ensureASCII)
	case appender:
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
			dst = AppendString(dst, s, ensureASCII)
		}
		return append(dst, ']'), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = AppendValue(dst, e, ensureASCII); err != nil {
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
	return AppendRaw(dst, b, ensureASCII)
}

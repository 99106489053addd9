package serializers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Body is a response body: an ordered JSON object, the validated_data a serializer returns.
// Key order is part of the wire contract (obtain: refresh, access; refresh: access, refresh),
// so Body keeps insertion order; Set on an existing key keeps its position, as a Python dict.
//
// It encodes as DRF's JSONRenderer with its default settings does: compact separators, non-ASCII
// characters as raw UTF-8 (UNICODE_JSON), Python's json escaping for the rest (no HTML escaping
// of <, > and &; control characters as \u00XX; U+2028 and U+2029 escaped, as DRF does for
// JavaScript), Python's float repr, and NaN or infinities refused (STRICT_JSON).
//
// Values may be: nil, bool, string, any integer or float type, Number, json.Number,
// json.RawMessage, *Body, []any, []string, map[string]any (keys sorted, for lack of an order),
// or anything encoding/json can marshal (re-emitted with its key order). The zero Body is an
// empty object.
type Body struct {
	keys []string
	vals []any
}

// NewBody returns an empty Body.
func NewBody() *Body { return &Body{} }

func (b *Body) index(key string) int { return slices.Index(b.keys, key) }

// Set sets key to v and returns b.
func (b *Body) Set(key string, v any) *Body {
	if i := b.index(key); i >= 0 {
		b.vals[i] = v
		return b
	}
	b.keys = append(b.keys, key)
	b.vals = append(b.vals, v)
	return b
}

// Get returns the value of key.
func (b *Body) Get(key string) (any, bool) {
	if i := b.index(key); i >= 0 {
		return b.vals[i], true
	}
	return nil, false
}

// Delete removes key; deleting an absent key does nothing.
func (b *Body) Delete(key string) {
	if i := b.index(key); i >= 0 {
		b.keys = slices.Delete(b.keys, i, i+1)
		b.vals = slices.Delete(b.vals, i, i+1)
	}
}

// Keys returns the keys in order.
func (b *Body) Keys() []string { return slices.Clone(b.keys) }

// Len returns the number of keys.
func (b *Body) Len() int { return len(b.keys) }

// AppendJSON appends the body as DRF's JSONRenderer renders it.
func (b *Body) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, '{')
	for i, k := range b.keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendPyString(dst, k)
		dst = append(dst, ':')
		var err error
		if dst, err = appendValue(dst, b.vals[i], 0); err != nil {
			return nil, fmt.Errorf("serializers: body key %q: %w", k, err)
		}
	}
	return append(dst, '}'), nil
}

// MarshalJSON implements json.Marshaler with DRF's encoding.
func (b *Body) MarshalJSON() ([]byte, error) { return b.AppendJSON(nil) }

const hexDigits = "0123456789abcdef"

// appendPyString writes s as Python's json.dumps(ensure_ascii=False) does, then applies DRF's
// U+2028/U+2029 escaping. Invalid UTF-8 (including WTF-8 surrogates) becomes U+FFFD: Python
// would fail to encode a lone surrogate, we refuse to emit invalid UTF-8.
func appendPyString(dst []byte, s string) []byte {
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
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\u2028':
			dst = append(dst, `\u2028`...)
		case '\u2029':
			dst = append(dst, `\u2029`...)
		default:
			dst = utf8.AppendRune(dst, r) // RuneError for invalid input: U+FFFD
		}
		i += n
	}
	return append(dst, '"')
}

// maxDepth bounds nested values, as Python's recursion limit would.
const maxDepth = 100

var errNonFinite = errors.New("Out of range float values are not JSON compliant")

func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNonFinite
	}
	return append(dst, pyFloatRepr(f)...), nil
}

func appendValue(dst []byte, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, errors.New("nesting too deep")
	}
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return appendPyString(dst, x), nil
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
		return appendNumber(dst, string(x))
	case json.Number:
		return appendNumber(dst, string(x))
	case json.RawMessage:
		return appendRaw(dst, x)
	case *Body:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return x.AppendJSON(dst)
	case []string:
		dst = append(dst, '[')
		for i, s := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendPyString(dst, s)
		}
		return append(dst, ']'), nil
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, e, depth+1); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendPyString(dst, k)
			dst = append(dst, ':')
			var err error
			if dst, err = appendValue(dst, x[k], depth+1); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return append(dst, "null"...), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return appendRaw(dst, raw)
}

// appendNumber writes a JSON number literal as Python would re-encode the value it parses to:
// integers as written, floats through float() and repr().
func appendNumber(dst []byte, lit string) ([]byte, error) {
	if !json.Valid([]byte(lit)) || lit == "" || (lit[0] != '-' && (lit[0] < '0' || lit[0] > '9')) {
		return nil, fmt.Errorf("invalid number literal %q", lit)
	}
	if bytes.ContainsAny([]byte(lit), ".eE") {
		f, _ := strconv.ParseFloat(lit, 64)
		return appendFloat(dst, f)
	}
	if lit == "-0" {
		return append(dst, '0'), nil
	}
	return append(dst, lit...), nil
}

// appendRaw re-emits JSON text in DRF's form, keeping object key order.
func appendRaw(dst []byte, raw []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	type frame struct {
		object bool
		n      int // values written so far
		key    bool
	}
	var stack []frame
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = errors.New("incomplete JSON value")
			}
			return nil, err
		}
		if len(stack) > maxDepth {
			return nil, errors.New("nesting too deep")
		}
		// Separators before a new element.
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if delim, ok := tok.(json.Delim); !ok || (delim != '}' && delim != ']') {
				if top.object {
					if top.key {
						dst = append(dst, ':')
					} else if top.n > 0 {
						dst = append(dst, ',')
					}
				} else if top.n > 0 {
					dst = append(dst, ',')
				}
			}
		}
		switch x := tok.(type) {
		case json.Delim:
			switch x {
			case '{', '[':
				dst = append(dst, byte(x))
				stack = append(stack, frame{object: x == '{'})
				continue // the container counts as a value when it closes
			case '}', ']':
				dst = append(dst, byte(x))
				stack = stack[:len(stack)-1]
			}
		case string:
			dst = appendPyString(dst, x)
		case json.Number:
			if dst, err = appendNumber(dst, string(x)); err != nil {
				return nil, err
			}
		case bool:
			dst, _ = appendValue(dst, x, 0)
		case nil:
			dst = append(dst, "null"...)
		}
		if len(stack) == 0 {
			if d.More() {
				return nil, errors.New("trailing data after JSON value")
			}
			return dst, nil
		}
		top := &stack[len(stack)-1]
		if top.object {
			if top.key {
				top.key = false
				top.n++
			} else {
				top.key = true
			}
		} else {
			top.n++
		}
	}
}

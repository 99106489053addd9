package serializers

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
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

// appendPyString writes s as DRF's JSONRenderer does (ensure_ascii=False, U+2028/U+2029
// escaped); the encoding itself is shared with the token payloads in ginjwt/tokens.
func appendPyString(dst []byte, s string) []byte { return tokens.AppendPyString(dst, s, false) }

// maxDepth bounds nested values, as Python's recursion limit would.
const maxDepth = 100

func appendFloat(dst []byte, f float64) ([]byte, error) { return tokens.AppendPyFloat(dst, f) }

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
	if lit == "" || (lit[0] != '-' && (lit[0] < '0' || lit[0] > '9')) {
		return nil, fmt.Errorf("invalid number literal %q", lit)
	}
	return tokens.AppendPyRaw(dst, []byte(lit), false)
}

// appendRaw re-emits JSON text in DRF's form, keeping object key order.
func appendRaw(dst []byte, raw []byte) ([]byte, error) { return tokens.AppendPyRaw(dst, raw, false) }

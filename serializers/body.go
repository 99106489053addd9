package serializers

import (
	"fmt"
	"slices"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
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
// Values may be: nil, bool, string, any integer or float type, pyjson.Number, json.Number,
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
		if dst, err = appendValue(dst, b.vals[i]); err != nil {
			return nil, fmt.Errorf("serializers: body key %q: %w", k, err)
		}
	}
	return append(dst, '}'), nil
}

// MarshalJSON implements json.Marshaler with DRF's encoding.
func (b *Body) MarshalJSON() ([]byte, error) { return b.AppendJSON(nil) }

// appendPyString writes s as DRF's JSONRenderer does (ensure_ascii=False, U+2028/U+2029
// escaped).
func appendPyString(dst []byte, s string) []byte { return pyjson.AppendString(dst, s, false) }

// appendValue writes a body value as DRF's JSONRenderer does (ensure_ascii off).
func appendValue(dst []byte, v any) ([]byte, error) { return pyjson.AppendValue(dst, v, false) }

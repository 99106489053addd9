package pyjson

import (
	"fmt"
	"iter"
)

// Object is a JSON object as Python holds it: a dict whose keys keep their insertion order.
// Setting a key again replaces its value and keeps its first position, which is also what
// json.loads does with a repeated key (the last value wins). Keys are exact (case-sensitive)
// strings.
//
// It is what Loads makes of every JSON object, and what a response body is built as: the order
// of keys is part of the wire format ({"refresh":…,"access":…}). Values are those Loads
// produces (string, Number, bool, nil, []any, *Object) or anything AppendValue encodes.
//
// The zero Object is empty and ready to use; a nil *Object reads as empty. Lookups are linear
// for small objects and indexed for large ones, so an object built from a hostile request body
// with thousands of keys costs linear time. An Object is safe for concurrent reads; it must
// not be changed while another goroutine uses it.
type Object struct {
	members []member
	index   map[string]int // key → position in members, kept once len(members) > linearMax
}

type member struct {
	key string
	val any
}

// linearMax is the size up to which a linear search beats a map.
const linearMax = 8

// NewObject returns an empty Object, for building one with chained Set calls.
func NewObject() *Object { return &Object{} }

func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].key == key {
			return i
		}
	}
	return -1
}

// reindex rebuilds the index, or drops it when the object is small enough to search.
func (o *Object) reindex() {
	if len(o.members) <= linearMax {
		o.index = nil
		return
	}
	o.index = make(map[string]int, len(o.members))
	for i := range o.members {
		o.index[o.members[i].key] = i
	}
}

// Set sets key to v, in place if key is present and at the end otherwise, and returns o.
func (o *Object) Set(key string, v any) *Object {
	if i := o.find(key); i >= 0 {
		o.members[i].val = v
		return o
	}
	o.members = append(o.members, member{key: key, val: v})
	switch n := len(o.members); {
	case n == linearMax+1:
		o.reindex()
	case n > linearMax+1:
		o.index[key] = n - 1
	}
	return o
}

// Get returns the value of key, and whether key is present.
func (o *Object) Get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.members[i].val, true
	}
	return nil, false
}

// Has reports whether key is present (Python's `key in d`).
func (o *Object) Has(key string) bool { return o.find(key) >= 0 }

// Delete removes key (Python's `del d[key]`); deleting an absent key does nothing.
func (o *Object) Delete(key string) {
	i := o.find(key)
	if i < 0 {
		return
	}
	o.members = append(o.members[:i], o.members[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
}

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

// Keys returns the keys in order.
func (o *Object) Keys() []string {
	keys := make([]string, o.Len())
	for i := range keys {
		keys[i] = o.members[i].key
	}
	return keys
}

// All returns an iterator over the keys and values in order.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for i := range o.Len() {
			if !yield(o.members[i].key, o.members[i].val) {
				return
			}
		}
	}
}

// AppendJSON appends the object as json.dumps writes it with compact separators: with
// ensureASCII as PyJWT encodes a payload, without as DRF's JSONRenderer renders a body (see
// AppendString). Nested values are encoded by AppendValue with the same ensureASCII. A nil
// *Object is null.
func (o *Object) AppendJSON(dst []byte, ensureASCII bool) ([]byte, error) {
	if o == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '{')
	for i := range o.members {
		m := &o.members[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, m.key, ensureASCII)
		dst = append(dst, ':')
		var err error
		if dst, err = AppendValue(dst, m.val, ensureASCII); err != nil {
			return nil, fmt.Errorf("pyjson: key %q: %w", m.key, err)
		}
	}
	return append(dst, '}'), nil
}

// MarshalJSON implements json.Marshaler with DRF's rendering: AppendJSON without ensureASCII.
func (o *Object) MarshalJSON() ([]byte, error) { return o.AppendJSON(nil, false) }

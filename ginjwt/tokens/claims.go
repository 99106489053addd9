package tokens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
)

// Claims is a JWT payload with Python's dict semantics: keys keep their insertion order, so a
// payload encodes to the very bytes simplejwt (PyJWT's json.dumps with compact separators and
// ensure_ascii) would produce for the same claims.
//
// A decoded payload keeps each value as its raw JSON and decodes it only when asked, so the
// authentication hot path reads the few claims it needs without building a map. Keys are
// compared exactly (case-sensitively): a "TOKEN_TYPE" claim is just another claim and can never
// stand in for "token_type".
//
// Claims is not a pyjson.Object (whose encoder and scanner it shares) because of that lazy
// decoding and because a payload with a repeated key is refused (see DecodeClaims).
type Claims struct {
	entries []claim
	inline  [8]claim
}

type claim struct {
	key string
	raw []byte // the value as compact JSON; nil when val holds a Go value not yet encoded
	val any
}

// Len returns the number of claims.
func (c *Claims) Len() int { return len(c.entries) }

// Keys returns the claim names in order.
func (c *Claims) Keys() []string {
	keys := make([]string, len(c.entries))
	for i := range c.entries {
		keys[i] = c.entries[i].key
	}
	return keys
}

func (c *Claims) index(key string) int {
	for i := range c.entries {
		if c.entries[i].key == key {
			return i
		}
	}
	return -1
}

// Has reports whether key is present (Python's `key in token`).
func (c *Claims) Has(key string) bool { return c.index(key) >= 0 }

// Get returns the claim's value decoded into Go's JSON types (string, float64 or json.Number
// for numbers — integers come back as int64 — bool, nil, []any, map[string]any), or the Go
// value given to Set.
func (c *Claims) Get(key string) (any, bool) {
	i := c.index(key)
	if i < 0 {
		return nil, false
	}
	e := &c.entries[i]
	if e.raw == nil {
		return e.val, true
	}
	return decodeRaw(e.raw), true
}

// Set sets key to v, keeping the key's position if it exists and appending it otherwise.
func (c *Claims) Set(key string, v any) {
	if c.entries == nil {
		c.entries = c.inline[:0]
	}
	if i := c.index(key); i >= 0 {
		c.entries[i] = claim{key: key, val: v}
		return
	}
	c.entries = append(c.entries, claim{key: key, val: v})
}

// Delete removes key (Python's `del token[key]`); deleting an absent key does nothing.
func (c *Claims) Delete(key string) {
	if i := c.index(key); i >= 0 {
		c.entries = append(c.entries[:i], c.entries[i+1:]...)
	}
}

// Clone returns a deep-enough copy: raw values are immutable and shared.
func (c *Claims) Clone() *Claims {
	n := &Claims{}
	n.entries = append(n.inline[:0], c.entries...)
	return n
}

// GetString returns the claim as a string when it is a JSON string.
func (c *Claims) GetString(key string) (string, bool) {
	i := c.index(key)
	if i < 0 {
		return "", false
	}
	e := &c.entries[i]
	if e.raw == nil {
		s, ok := e.val.(string)
		return s, ok
	}
	return pyjson.Unquote(e.raw)
}

// raw returns the JSON text of a claim set from a decoded payload, or nil.
func (c *Claims) rawValue(key string) ([]byte, bool) {
	i := c.index(key)
	if i < 0 {
		return nil, false
	}
	e := &c.entries[i]
	if e.raw != nil {
		return e.raw, true
	}
	b, err := pyjson.AppendValue(nil, e.val, true)
	if err != nil {
		return nil, true
	}
	return b, true
}

// maxNumericDate is 9999-12-31T23:59:59Z: NumericDates outside [0, maxNumericDate] are refused,
// so 1e19 or 1e300 can never overflow into "already valid".
const maxNumericDate = 253402300799

// errNumericDate marks a claim that is present but not a JSON number in range.
var errNumericDate = errors.New("tokens: claim is not a NumericDate")

// NumericDate returns a time claim in seconds. It must be a JSON number (never a string or a
// bool, which PyJWT and golang-jwt would coerce) within [0, 253402300799]. present reports
// whether the claim exists at all.
func (c *Claims) NumericDate(key string) (secs float64, present bool, err error) {
	raw, ok := c.rawValue(key)
	if !ok {
		return 0, false, nil
	}
	f, ok := rawNumber(raw)
	if !ok || f < 0 || f > maxNumericDate {
		return 0, true, errNumericDate
	}
	return f, true, nil
}

// rawNumber parses a JSON number without allocating for the common case of a short integer.
func rawNumber(raw []byte) (float64, bool) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	if len(raw) <= 15 {
		var n int64
		digits := true
		for _, ch := range raw {
			if ch < '0' || ch > '9' {
				digits = false
				break
			}
			n = n*10 + int64(ch-'0')
		}
		if digits {
			return float64(n), true
		}
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func decodeRaw(raw []byte) any {
	if s, ok := pyjson.Unquote(raw); ok {
		return s
	}
	if len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(raw), 64)
		return f
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	_ = d.Decode(&v)
	return v
}

// ErrMalformedPayload is returned by DecodeClaims for anything that is not a JSON object of
// unique keys in valid UTF-8.
var ErrMalformedPayload = errors.New("tokens: payload is not a JSON object with unique keys")

// DecodeClaims parses a JSON object into ordered Claims. The input must be valid UTF-8 JSON whose
// top level is an object with no duplicate keys (RFC 7519 §4 allows rejecting duplicates; we do,
// so no two parsers can disagree about which one counts). The returned Claims reference buf,
// which the caller must not modify afterwards.
func DecodeClaims(buf []byte) (*Claims, error) {
	c := &Claims{}
	if err := c.decode(buf); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Claims) decode(buf []byte) error {
	c.entries = c.inline[:0]
	err := pyjson.ScanObject(buf, func(key string, raw []byte) error {
		if c.index(key) >= 0 {
			return ErrMalformedPayload
		}
		c.entries = append(c.entries, claim{key: key, raw: raw})
		return nil
	})
	if err != nil {
		return ErrMalformedPayload
	}
	return nil
}

// AppendJSON appends the claims as PyJWT encodes a payload: compact separators, keys in
// insertion order, ensure_ascii escaping (non-ASCII as \uXXXX), Python's float repr.
func (c *Claims) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, '{')
	for i := range c.entries {
		e := &c.entries[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = pyjson.AppendString(dst, e.key, true)
		dst = append(dst, ':')
		var err error
		if e.raw != nil {
			dst, err = pyjson.AppendRaw(dst, e.raw, true)
		} else {
			dst, err = pyjson.AppendValue(dst, e.val, true)
		}
		if err != nil {
			return nil, fmt.Errorf("tokens: claim %q: %w", e.key, err)
		}
	}
	return append(dst, '}'), nil
}

// MarshalJSON implements json.Marshaler with the PyJWT encoding.
func (c *Claims) MarshalJSON() ([]byte, error) { return c.AppendJSON(nil) }

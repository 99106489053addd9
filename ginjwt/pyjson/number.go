package pyjson

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Number is a JSON number exactly as written, e.g. "12", "-0", "1.5e3". Python's json keeps
// integers exact, of any size, and reads the rest as floats; Number keeps the text so that
// nothing is lost before a field decides what the number means.
type Number string

// isFloat reports whether Python reads the literal as a float: it has a fraction or an exponent.
func (n Number) isFloat() bool { return strings.ContainsAny(string(n), ".eE") }

// String returns Python's str() of the value: str(int(n)) for an integer literal and
// str(float(n)) otherwise, so "-0" → "0", "1e3" → "1000.0", "1e400" → "inf". DRF's CharField
// turns a number into this text.
func (n Number) String() string {
	if n.isFloat() {
		f, _ := strconv.ParseFloat(string(n), 64) // ±Inf on overflow, as Python's float()
		return floatRepr(f)
	}
	if n == "-0" {
		return "0"
	}
	return string(n)
}

// append writes the number as Python re-encodes the value json.loads made of it.
func (n Number) append(dst []byte) ([]byte, error) {
	if n == "" || (n[0] != '-' && (n[0] < '0' || n[0] > '9')) || !json.Valid([]byte(n)) {
		return nil, fmt.Errorf("pyjson: invalid number literal %q", string(n))
	}
	return appendNumber(dst, string(n))
}

// TypeName returns Python's type(v).__name__ for a value Loads produces: "dict", "list",
// "str", "int", "float", "bool" or "NoneType".
func TypeName(v any) string {
	switch x := v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case bool:
		return "bool"
	case Number:
		if x.isFloat() {
			return "float"
		}
		return "int"
	case *Object, map[string]any:
		return "dict"
	}
	return "NoneType"
}

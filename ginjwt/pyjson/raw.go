package pyjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
	"unsafe"
)

// errNotObject is returned by ScanObject for text that is not a JSON object in valid UTF-8.
var errNotObject = errors.New("pyjson: not a JSON object in valid UTF-8")

// ScanObject calls member for each member of the JSON object text, in order, with the key
// decoded (as Unquote decodes it) and the value as its raw JSON text, a sub-slice of text.
// Nothing else is decoded or allocated, so a caller can read a few members of a large object
// cheaply. text must be one JSON object in valid UTF-8 (whitespace around it allowed); for
// anything else ScanObject returns an error before calling member, and an error from member
// ends the scan and is returned. Keys may repeat: member sees each occurrence.
func ScanObject(text []byte, member func(key string, value []byte) error) error {
	if !utf8.Valid(text) || !json.Valid(text) {
		return errNotObject
	}
	i := skipWS(text, 0)
	if text[i] != '{' {
		return errNotObject
	}
	i = skipWS(text, i+1)
	if text[i] == '}' {
		return nil
	}
	for {
		kstart := i
		i = skipString(text, i)
		key, _ := Unquote(text[kstart:i])
		i = skipWS(text, i)
		i = skipWS(text, i+1) // ':'
		vstart := i
		i = skipValue(text, i)
		if err := member(key, text[vstart:i]); err != nil {
			return err
		}
		i = skipWS(text, i)
		if text[i] == '}' {
			return nil
		}
		i = skipWS(text, i+1) // ','
	}
}

// Unquote returns the value of a JSON string literal (quotes included) taken from text that
// ScanObject or json.Valid accepted, such as a value ScanObject passes, and false for any other
// JSON value. Escapes are decoded as encoding/json decodes them (lone surrogates become U+FFFD).
// A literal without escapes is returned without copying: the string shares raw's memory, so
// raw must not be modified afterwards. Unquote does not validate raw beyond its quotes: other
// input gives an unspecified string, never a panic.
func Unquote(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		return unsafe.String(unsafe.SliceData(body), len(body)), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// The scanners below walk JSON that json.Valid has accepted, so they need not re-validate.

func skipWS(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipWSBack returns the end of b without its trailing JSON whitespace.
func skipWSBack(b []byte) int {
	end := len(b)
	for end > 0 && isSpace(b[end-1]) {
		end--
	}
	return end
}

func isSpace[T byte | rune](c T) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default:
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
}

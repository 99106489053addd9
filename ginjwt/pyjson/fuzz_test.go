package pyjson

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoads: Loads never panics; it fails only with one of CPython's messages; and what it
// accepts round-trips: encoded again (either way), the text loads to a value that encodes to
// the same bytes, as json.dumps(json.loads(x)) does in Python. Values with lone surrogates are
// left out of the round trip (Python writes \udXXXX; AppendString writes U+FFFD).
func FuzzLoads(f *testing.F) {
	for _, s := range []string{``, ` `, `{}`, `[]`, `null`, `1`, `-0`, `1.5e3`, `1e400`, `"x"`, `{"a":1,"a":2}`,
		`{"username":"alice","password":"p"}`, `[1,[2,{"b":[null,true,false]}]]`, `"\ud83d\ude00\u2028"`,
		`"\ud800"`, `{"a":NaN}`, `[-Infinity]`, "\ufeff{}", "{\"a\":\"\xff\"}", `[[[[[[`, `{"a" 1}`,
		`12345678901234567890123`, "\"\x7f\x00\"", `"\u0000\u001f\/"`, "[\"\xe2\x80\xa8\"]"} {
		for _, cs := range []string{"utf-8", "latin-1", "ascii"} {
			f.Add([]byte(s), cs)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, charset string) {
		v, err := Loads(in, LookupCodec(charset))
		if err != nil {
			if !isCPythonMessage(err.Error()) {
				t.Fatalf("Loads(%q): %q is none of CPython's messages", in, err)
			}
			return
		}
		if holdsSurrogate(v) {
			return
		}
		for _, ascii := range []bool{true, false} {
			out, err := AppendValue(nil, v, ascii)
			if err != nil {
				if !errors.Is(err, ErrNonFinite) {
					t.Fatalf("AppendValue(%#v, %v): %v", v, ascii, err)
				}
				continue
			}
			again, err := Loads(out, utf8Codec)
			if err != nil {
				t.Fatalf("dumps gave %s, which does not load: %v", out, err)
			}
			out2, err := AppendValue(nil, again, ascii)
			if err != nil || string(out2) != string(out) {
				t.Fatalf("round trip (ascii=%v):\n%s\n%s (%v)", ascii, out, out2, err)
			}
			if ascii && !isPrintableASCII(out) {
				t.Fatalf("ensure_ascii output %q is not printable ASCII", out)
			}
		}
	})
}

// isCPythonMessage reports whether msg is one of the texts of messages.go, or a codec error.
func isCPythonMessage(msg string) bool {
	for _, m := range messages {
		if strings.HasPrefix(msg, m) {
			return true
		}
	}
	return strings.HasPrefix(msg, "'utf-8' codec can't decode ") || strings.HasPrefix(msg, "'ascii' codec can't decode ")
}

func isPrintableASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// FuzzAppendString: whatever the bytes, AppendString writes one JSON string that decodes to s
// with each invalid byte as U+FFFD; with ensureASCII, in printable ASCII only.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a", "é😀", "\x00\x1f\x7f\"\\/", "\u2028\u2029", "\xff\xed\xa0\x80", "<>&'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := string([]rune(s)) // each invalid byte as U+FFFD
		for _, ascii := range []bool{true, false} {
			out := AppendString(nil, s, ascii)
			var got string
			if err := json.Unmarshal(out, &got); err != nil || got != want {
				t.Fatalf("AppendString(%q, %v) = %s: decodes to %q (%v)", s, ascii, out, got, err)
			}
			if ascii && !isPrintableASCII(out) {
				t.Fatalf("AppendString(%q, true) = %q: not printable ASCII", s, out)
			}
			if !ascii && !utf8.Valid(out) {
				t.Fatalf("AppendString(%q, false) = %q: invalid UTF-8", s, out)
			}
		}
	})
}

// FuzzScanObject: ScanObject never panics; it accepts exactly the JSON objects in valid UTF-8,
// and hands over each member, whose value re-encodes through AppendRaw (or is a float out of
// range), and whose string values Unquote as encoding/json decodes them.
func FuzzScanObject(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, ` {"a" : [1, {"b":"}"}] , "c\u00e9":"x\\y"} `, `{"a":1,"a":2}`, `[]`,
		`{"a":1e400}`, "{\"a\":\"\xff\"}", `{"a":`, `{} {}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var members int
		err := ScanObject(in, func(key string, raw []byte) error {
			members++
			if !json.Valid(raw) {
				t.Fatalf("member %q: invalid raw value %q", key, raw)
			}
			if _, err := AppendRaw(nil, raw, true); err != nil && !errors.Is(err, ErrNonFinite) {
				t.Fatalf("member %q: AppendRaw(%s): %v", key, raw, err)
			}
			var want string
			if json.Unmarshal(raw, &want) == nil {
				if got, ok := Unquote(raw); !ok || got != want {
					t.Fatalf("Unquote(%s) = %q, %v; want %q", raw, got, ok, want)
				}
			}
			return nil
		})
		var obj map[string]json.RawMessage
		isObject := utf8.Valid(in) && json.Unmarshal(in, &obj) == nil && obj != nil
		if (err == nil) != isObject {
			t.Fatalf("ScanObject(%q): %v, but encoding/json says object=%v", in, err, isObject)
		}
		if err == nil && members < len(obj) {
			t.Fatalf("ScanObject(%q): %d members, encoding/json found %d keys", in, members, len(obj))
		}
	})
}

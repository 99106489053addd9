package pyjson

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// goldenCase is one body of testdata/loads.json with CPython's answers (see gen_loads.py).
type goldenCase struct {
	Hex         string  `json:"hex"`
	Charset     string  `json:"charset"`
	Error       string  `json:"error"`
	Recursion   bool    `json:"recursion"`
	RecursionEr string  `json:"recursion_error"`
	Type        string  `json:"type"`
	Value       string  `json:"value"`
	Dumps       *string `json:"dumps"`
	DumpsError  string  `json:"dumps_error"`
	Render      *string `json:"render"`
	RenderError string  `json:"render_error"`
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/loads.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) < 700 {
		t.Fatalf("only %d golden cases", len(golden.Cases))
	}
	return golden.Cases
}

func (gc goldenCase) load(t *testing.T) ([]byte, any, error) {
	t.Helper()
	body, err := hex.DecodeString(gc.Hex)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Loads(body, LookupCodec(gc.Charset))
	return body, v, err
}

// TestLoadsGolden replays testdata/loads.json: for each body, CPython 3.11's json with DRF's
// parse path either fails with the message we must render, or yields the value we must
// produce.
func TestLoadsGolden(t *testing.T) {
	for i, gc := range goldenCases(t) {
		body, v, err := gc.load(t)
		name := fmt.Sprintf("case %d %q (%s)", i, truncate(body), gc.Charset)
		switch {
		case gc.Recursion:
			if err == nil || err.Error() != gc.RecursionEr {
				t.Errorf("%s: got %v, want %q", name, err, gc.RecursionEr)
			}
		case gc.Error != "":
			if err == nil {
				t.Errorf("%s: parsed, want %q", name, gc.Error)
			} else if got := "JSON parse error - " + err.Error(); got != gc.Error {
				t.Errorf("%s:\n got %q\nwant %q", name, got, gc.Error)
			}
		default:
			if err != nil {
				t.Errorf("%s: %v, want %s", name, err, gc.Value)
				continue
			}
			if got := TypeName(v); got != gc.Type {
				t.Errorf("%s: type %s, want %s", name, got, gc.Type)
			}
			if got := canonical(v); got != gc.Value {
				t.Errorf("%s:\n got %s\nwant %s", name, got, gc.Value)
			}
		}
	}
}

// TestDumpsGolden encodes every value Loads made of the corpus again and compares the bytes
// with CPython's: AppendValue with ensureASCII against json.dumps(ensure_ascii=True,
// allow_nan=False, compact), without against DRF's JSONRenderer. Values holding a lone
// surrogate are left out: Python writes one as \udXXXX (ensure_ascii) or cannot encode it
// (DRF), while AppendString writes U+FFFD for each invalid byte.
func TestDumpsGolden(t *testing.T) {
	checked, skipped := 0, 0
	for i, gc := range goldenCases(t) {
		if gc.Type == "" {
			continue
		}
		body, v, err := gc.load(t)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if holdsSurrogate(v) {
			skipped++
			continue
		}
		checked++
		name := fmt.Sprintf("case %d %q", i, truncate(body))
		modes := []struct {
			what    string
			ascii   bool
			want    *string
			wantErr string
		}{{"dumps", true, gc.Dumps, gc.DumpsError}, {"render", false, gc.Render, gc.RenderError}}
		if v == nil {
			modes = modes[:1] // DRF renders None as an empty body
		}
		for _, m := range modes {
			got, err := AppendValue(nil, v, m.ascii)
			switch {
			case m.wantErr != "":
				if !errors.Is(err, ErrNonFinite) || ErrNonFinite.Error() != m.wantErr {
					t.Errorf("%s: %s %s, %v; want the error %q", name, m.what, got, err, m.wantErr)
				}
			case err != nil || m.want == nil || string(got) != *m.want:
				t.Errorf("%s: %s\n got %s (%v)\nwant %s", name, m.what, got, err, deref(m.want))
			}
		}
	}
	if checked < 100 || skipped > 30 {
		t.Errorf("checked %d values, skipped %d with surrogates", checked, skipped)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// holdsSurrogate reports whether a value Loads made holds a lone surrogate in a key or a string.
func holdsSurrogate(v any) bool {
	switch x := v.(type) {
	case string:
		_, ok := FirstSurrogate(x)
		return ok
	case []any:
		return slices.ContainsFunc(x, holdsSurrogate)
	case *Object:
		for k, e := range x.All() {
			if holdsSurrogate(k) || holdsSurrogate(e) {
				return true
			}
		}
	}
	return false
}

// TestMessagesFromCPython: every message of the table in messages.go is one CPython gave for
// some body of the corpus, so none is a guess.
func TestMessagesFromCPython(t *testing.T) {
	var seen strings.Builder
	for _, gc := range goldenCases(t) {
		seen.WriteString(gc.Error)
		seen.WriteString(gc.DumpsError)
		seen.WriteString(gc.RecursionEr)
		seen.WriteByte('\n')
	}
	for _, m := range messages {
		if !strings.Contains(seen.String(), m) {
			t.Errorf("%q: no CPython answer in testdata/loads.json carries it", m)
		}
	}
	if !strings.Contains(seen.String(), ErrNonFinite.Error()) {
		t.Errorf("ErrNonFinite %q is not CPython's text", ErrNonFinite)
	}
}

func truncate(b []byte) []byte {
	if len(b) > 60 {
		return b[:60]
	}
	return b
}

// canonical is Python's json.dumps(v, sort_keys=True, ensure_ascii=True, separators=(",", ":")).
func canonical(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case Number:
		s := x.String()
		switch s {
		case "inf":
			s = "Infinity"
		case "-inf":
			s = "-Infinity"
		}
		b.WriteString(s)
	case string:
		writeASCIIString(b, x)
	case []any:
		writeItems(b, '[', ']', len(x), func(i int) { writeCanonical(b, x[i]) })
	case *Object:
		// Python sorts str keys by code point; for WTF-8 strings byte order agrees except
		// around surrogates, which the corpus does not use as keys.
		keys := x.Keys()
		slices.Sort(keys)
		writeItems(b, '{', '}', len(keys), func(i int) {
			writeASCIIString(b, keys[i])
			b.WriteByte(':')
			e, _ := x.Get(keys[i])
			writeCanonical(b, e)
		})
	default:
		fmt.Fprintf(b, "<%T>", v)
	}
}

// writeItems writes n comma-separated items between open and close.
func writeItems(b *strings.Builder, open, close byte, n int, item func(i int)) {
	b.WriteByte(open)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		item(i)
	}
	b.WriteByte(close)
}

// writeASCIIString is json.dumps's ensure_ascii string encoding, reading WTF-8 surrogates.
func writeASCIIString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		size := 1
		if c == 0xED && i+2 < len(s) && s[i+1] >= 0xA0 {
			r = 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			size = 3
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r > 0x7e && r < 0x10000):
			fmt.Fprintf(b, `\u%04x`, r)
		case r >= 0x10000:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

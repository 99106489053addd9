package pyjson

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLoadsGolden replays testdata/loads.json: for each body, CPython 3.11's json with DRF's
// parse path either fails with the message we must render, or yields the value we must
// produce.
func TestLoadsGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/loads.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			Hex       string `json:"hex"`
			Charset   string `json:"charset"`
			Error     string `json:"error"`
			Recursion bool   `json:"recursion"`
			Type      string `json:"type"`
			Value     string `json:"value"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) < 500 {
		t.Fatalf("only %d golden cases", len(golden.Cases))
	}
	for i, gc := range golden.Cases {
		body, err := hex.DecodeString(gc.Hex)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Loads(body, LookupCodec(gc.Charset))
		name := fmt.Sprintf("case %d %q (%s)", i, truncate(body), gc.Charset)
		switch {
		case gc.Recursion:
			if err == nil || !strings.Contains(err.Error(), "maximum recursion depth") {
				t.Errorf("%s: got %v, want a recursion error", name, err)
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
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case *Object:
		m := map[string]any{}
		for k, v := range x.All() {
			m[k] = v
		}
		writeCanonical(b, m)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// Python sorts str keys by code point; for WTF-8 strings byte order agrees except
		// around surrogates, which the corpus does not use as keys.
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeASCIIString(b, k)
			b.WriteByte(':')
			writeCanonical(b, x[k])
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "<%T>", v)
	}
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

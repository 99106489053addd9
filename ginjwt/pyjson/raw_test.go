package pyjson

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestScanObject(t *testing.T) {
	cases := []struct {
		name, in, want string // want: key=raw pairs joined by ";", or "error"
	}{
		{"empty", `{}`, ""},
		{"spaces", " \t\n{ \"a\" :\r1 , \"b\":[1, {\"c\":\"}\"}] }\n", `a=1;b=[1, {"c":"}"}]`},
		{"escaped_key", `{"a\u00e9\"":"x\\y"}`, `aé"="x\\y"`},
		{"repeated_key", `{"a":1,"a":2}`, "a=1;a=2"},
		{"nested_strings", `{"k":{"x":"]","y":"\\\""}}`, `k={"x":"]","y":"\\\""}`},
		{"array", `[1]`, "error"},
		{"string", `"x"`, "error"},
		{"invalid_json", `{"a":1,}`, "error"},
		{"invalid_utf8", "{\"a\":\"\xff\"}", "error"},
		{"two_values", `{} {}`, "error"},
		{"empty_input", ``, "error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			err := ScanObject([]byte(c.in), func(k string, v []byte) error {
				got = append(got, k+"="+string(v))
				return nil
			})
			if c.want == "error" {
				if err == nil || len(got) > 0 {
					t.Fatalf("got %q, %v; want an error before any member", got, err)
				}
				return
			}
			if err != nil || strings.Join(got, ";") != c.want {
				t.Fatalf("got %q, %v; want %q", strings.Join(got, ";"), err, c.want)
			}
		})
	}
	stop := errors.New("stop")
	calls := 0
	err := ScanObject([]byte(`{"a":1,"b":2}`), func(string, []byte) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("member error: %v after %d calls", err, calls)
	}
}

func TestUnquote(t *testing.T) {
	for _, lit := range []string{`""`, `"abc"`, `"é"`, `"a\"b"`, `"\\"`, `"\u00e9\n\t\/"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00x"`} {
		var want string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			t.Fatal(err)
		}
		if got, ok := Unquote([]byte(lit)); !ok || got != want {
			t.Errorf("Unquote(%s) = %q, %v; want %q", lit, got, ok, want)
		}
	}
	for _, raw := range []string{``, `"`, `1`, `null`, `"abc`, `abc"`, `"\"`, `{"a":1}`} {
		if got, ok := Unquote([]byte(raw)); ok {
			t.Errorf("Unquote(%s) = %q, true; want false", raw, got)
		}
	}
}

func TestAppendRaw(t *testing.T) {
	cases := []struct{ in, ascii, unicode string }{
		{` { "z" : [1, 2.0, {"y":null}], "a":"é\u00e9" } `, `{"z":[1,2.0,{"y":null}],"a":"\u00e9\u00e9"}`, `{"z":[1,2.0,{"y":null}],"a":"éé"}`},
		{`-0`, `0`, `0`},
		{`1E2`, `100.0`, `100.0`},
		{`12345678901234567890123`, `12345678901234567890123`, `12345678901234567890123`},
		{`"\u2028😀"`, `"\u2028\ud83d\ude00"`, `"\u2028😀"`},
		{`[true,false,null]`, `[true,false,null]`, `[true,false,null]`},
	}
	for _, c := range cases {
		for _, mode := range []struct {
			ascii bool
			want  string
		}{{true, c.ascii}, {false, c.unicode}} {
			got, err := AppendRaw(nil, []byte(c.in), mode.ascii)
			if err != nil || string(got) != mode.want {
				t.Errorf("AppendRaw(%s, ascii=%v) = %s, %v; want %s", c.in, mode.ascii, got, err, mode.want)
			}
		}
	}
	for _, in := range []string{``, `{`, `1e400`, `[1,-1e999]`, `nul`} {
		if got, err := AppendRaw(nil, []byte(in), true); err == nil {
			t.Errorf("AppendRaw(%s) = %s, want an error", in, got)
		}
	}
	if _, err := AppendRaw(nil, []byte(`1e400`), true); !errors.Is(err, ErrNonFinite) {
		t.Errorf("1e400: %v, want ErrNonFinite", err)
	}
}

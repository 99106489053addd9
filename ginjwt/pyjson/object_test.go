package pyjson

import (
	"encoding/json"
	"math"
	"testing"
)

func TestObjectEncoding(t *testing.T) {
	type point struct {
		Z int `json:"z"`
		A int `json:"a"`
	}
	cases := []struct {
		name string
		body *Object
		want string
	}{
		{"empty", NewObject(), `{}`},
		{"order", NewObject().Set("refresh", "r").Set("access", "a"), `{"refresh":"r","access":"a"}`},
		{"set_keeps_position", NewObject().Set("a", 1).Set("b", 2).Set("a", 3), `{"a":3,"b":2}`},
		{"unicode_raw", NewObject().Set("k", "héllo ☃ 😀"), `{"k":"héllo ☃ 😀"}`},
		{"no_html_escaping", NewObject().Set("k", "<a href='x'>&</a>"), `{"k":"<a href='x'>&</a>"}`},
		{"controls", NewObject().Set("k", "\"\\\n\r\t\b\f\x00\x1f\x7f"), `{"k":"\"\\\n\r\t\b\f\u0000\u001f` + "\x7f" + `"}`},
		{"js_separators", NewObject().Set("k", "a\u2028b\u2029c"), `{"k":"a\u2028b\u2029c"}`},
		{"invalid_utf8", NewObject().Set("k", "a\xffb"), `{"k":"a` + "\ufffd" + `b"}`},
		{"scalars", NewObject().Set("t", true).Set("f", false).Set("n", nil).Set("i", -7).Set("u", uint8(7)),
			`{"t":true,"f":false,"n":null,"i":-7,"u":7}`},
		{"floats", NewObject().Set("a", 1.0).Set("b", 1e16).Set("c", 0.00001).Set("d", float32(0.5)),
			`{"a":1.0,"b":1e+16,"c":1e-05,"d":0.5}`},
		{"numbers", NewObject().Set("a", Number("-0")).Set("b", json.Number("1e2")), `{"a":0,"b":100.0}`},
		{"nested", NewObject().Set("user", NewObject().Set("id", 1).Set("name", "alice")).
			Set("list", []any{1, "x", []string{"y"}}), `{"user":{"id":1,"name":"alice"},"list":[1,"x",["y"]]}`},
		{"map_sorted", NewObject().Set("m", map[string]any{"b": 1, "a": 2}), `{"m":{"a":2,"b":1}}`},
		{"raw_keeps_order", NewObject().Set("r", json.RawMessage(`{ "z" : [1, 2.0, {"y":null}], "a":"é\u00e9" }`)),
			`{"r":{"z":[1,2.0,{"y":null}],"a":"éé"}}`},
		{"struct", NewObject().Set("p", point{Z: 1, A: 2}), `{"p":{"z":1,"a":2}}`},
		{"nil_pointer", NewObject().Set("p", (*point)(nil)).Set("b", (*Object)(nil)), `{"p":null,"b":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.body.MarshalJSON()
			if err != nil || string(got) != c.want {
				t.Errorf("got %s (%v)\nwant %s", got, err, c.want)
			}
		})
	}
}

func TestObjectErrorsAndAccessors(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), Number("1e400"), Number("x"), make(chan int)} {
		if _, err := NewObject().Set("k", v).MarshalJSON(); err == nil {
			t.Errorf("%v: no error", v)
		}
	}
	b := NewObject().Set("a", 1).Set("b", 2).Set("c", 3)
	b.Delete("b")
	b.Delete("missing")
	if v, ok := b.Get("c"); !ok || v != 3 || b.Len() != 2 {
		t.Errorf("Get/Len: %v %v %d", v, ok, b.Len())
	}
	if keys := b.Keys(); len(keys) != 2 || keys[0] != "a" || keys[1] != "c" {
		t.Errorf("Keys %v", keys)
	}
}

func TestObjectOrder(t *testing.T) {
	var d Object
	d.Set("b", 1)
	d.Set("a", 2)
	d.Set("b", 3)
	if keys := d.Keys(); len(keys) != 2 || keys[0] != "b" || d.Len() != 2 {
		t.Errorf("keys %v", keys)
	}
	if v, _ := d.Get("b"); v != 3 || !d.Has("a") || d.Has("c") {
		t.Error("Get/Has")
	}
}

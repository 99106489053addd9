package serializers_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

func TestBodyEncoding(t *testing.T) {
	type point struct {
		Z int `json:"z"`
		A int `json:"a"`
	}
	cases := []struct {
		name string
		body *serializers.Body
		want string
	}{
		{"empty", serializers.NewBody(), `{}`},
		{"order", serializers.NewBody().Set("refresh", "r").Set("access", "a"), `{"refresh":"r","access":"a"}`},
		{"set_keeps_position", serializers.NewBody().Set("a", 1).Set("b", 2).Set("a", 3), `{"a":3,"b":2}`},
		{"unicode_raw", serializers.NewBody().Set("k", "héllo ☃ 😀"), `{"k":"héllo ☃ 😀"}`},
		{"no_html_escaping", serializers.NewBody().Set("k", "<a href='x'>&</a>"), `{"k":"<a href='x'>&</a>"}`},
		{"controls", serializers.NewBody().Set("k", "\"\\\n\r\t\b\f\x00\x1f\x7f"), `{"k":"\"\\\n\r\t\b\f\u0000\u001f` + "\x7f" + `"}`},
		{"js_separators", serializers.NewBody().Set("k", "a\u2028b\u2029c"), `{"k":"a\u2028b\u2029c"}`},
		{"invalid_utf8", serializers.NewBody().Set("k", "a\xffb"), `{"k":"a` + "\ufffd" + `b"}`},
		{"scalars", serializers.NewBody().Set("t", true).Set("f", false).Set("n", nil).Set("i", -7).Set("u", uint8(7)),
			`{"t":true,"f":false,"n":null,"i":-7,"u":7}`},
		{"floats", serializers.NewBody().Set("a", 1.0).Set("b", 1e16).Set("c", 0.00001).Set("d", float32(0.5)),
			`{"a":1.0,"b":1e+16,"c":1e-05,"d":0.5}`},
		{"numbers", serializers.NewBody().Set("a", pyjson.Number("-0")).Set("b", json.Number("1e2")), `{"a":0,"b":100.0}`},
		{"nested", serializers.NewBody().Set("user", serializers.NewBody().Set("id", 1).Set("name", "alice")).
			Set("list", []any{1, "x", []string{"y"}}), `{"user":{"id":1,"name":"alice"},"list":[1,"x",["y"]]}`},
		{"map_sorted", serializers.NewBody().Set("m", map[string]any{"b": 1, "a": 2}), `{"m":{"a":2,"b":1}}`},
		{"raw_keeps_order", serializers.NewBody().Set("r", json.RawMessage(`{ "z" : [1, 2.0, {"y":null}], "a":"é\u00e9" }`)),
			`{"r":{"z":[1,2.0,{"y":null}],"a":"éé"}}`},
		{"struct", serializers.NewBody().Set("p", point{Z: 1, A: 2}), `{"p":{"z":1,"a":2}}`},
		{"nil_pointer", serializers.NewBody().Set("p", (*point)(nil)).Set("b", (*serializers.Body)(nil)), `{"p":null,"b":null}`},
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

func TestBodyErrorsAndAccessors(t *testing.T) {
	for _, v := range []any{math.NaN(), math.Inf(1), pyjson.Number("1e400"), pyjson.Number("x"), make(chan int)} {
		if _, err := serializers.NewBody().Set("k", v).MarshalJSON(); err == nil {
			t.Errorf("%v: no error", v)
		}
	}
	b := serializers.NewBody().Set("a", 1).Set("b", 2).Set("c", 3)
	b.Delete("b")
	b.Delete("missing")
	if v, ok := b.Get("c"); !ok || v != 3 || b.Len() != 2 {
		t.Errorf("Get/Len: %v %v %d", v, ok, b.Len())
	}
	if keys := b.Keys(); len(keys) != 2 || keys[0] != "a" || keys[1] != "c" {
		t.Errorf("Keys %v", keys)
	}
}

func TestValidationError(t *testing.T) {
	var e serializers.ValidationError
	if e.Err() != nil || !e.Empty() {
		t.Fatal("zero value not empty")
	}
	e.Add("username", "This field is required.").Add("password", "A.").Add("username", "B.")
	var err error = &e
	if got, _ := e.MarshalJSON(); string(got) != `{"username":["This field is required.","B."],"password":["A."]}` {
		t.Errorf("JSON %s", got)
	}
	var ve *serializers.ValidationError
	if !errors.As(errors.Join(errors.New("x"), err), &ve) || ve.Messages("password")[0] != "A." {
		t.Error("errors.As")
	}
	if f := e.Fields(); len(f) != 2 || f[0] != "username" {
		t.Errorf("Fields %v", f)
	}
	if e.Error() != "username: This field is required. B.; password: A." {
		t.Errorf("Error %q", e.Error())
	}
	nf := serializers.NewValidationError(serializers.NonFieldErrors, "Token is blacklisted")
	if got, _ := nf.MarshalJSON(); string(got) != `{"non_field_errors":["Token is blacklisted"]}` {
		t.Errorf("non-field %s", got)
	}
}

func TestCharField(t *testing.T) {
	d := serializers.NewData(8)
	set := map[string]any{
		"s": "  alice\t", "n": pyjson.Number("12"), "f": pyjson.Number("1e16"), "null": nil, "blank": " \u3000 ",
		"b": true, "l": []any{"x"}, "m": map[string]any{}, "file": serializers.UploadedFile{Filename: "x"},
		"nul": "a\x00b", "sur": "a" + string(serializers.AppendWTF8(nil, 0xDC00)), "both": "\x00" + string(serializers.AppendWTF8(nil, 0xD800)),
		"long": "abcdef",
	}
	for k, v := range set {
		d.Set(k, v)
	}
	cases := []struct {
		field Field
		max   int
		want  string
		ok    bool
		errs  string
	}{
		{Field{Name: "s", Required: true}, 0, "alice", true, `{}`},
		{Field{Name: "n", Required: true}, 0, "12", true, `{}`},
		{Field{Name: "f", Required: true}, 0, "1e+16", true, `{}`},
		{Field{Name: "missing", Required: true}, 0, "", false, `{"missing":["This field is required."]}`},
		{Field{Name: "missing"}, 0, "", false, `{}`},
		{Field{Name: "s", ReadOnly: true}, 0, "", false, `{}`},
		{Field{Name: "null", Required: true}, 0, "", false, `{"null":["This field may not be null."]}`},
		{Field{Name: "blank", Required: true}, 0, "", false, `{"blank":["This field may not be blank."]}`},
		{Field{Name: "b", Required: true}, 0, "", false, `{"b":["Not a valid string."]}`},
		{Field{Name: "l", Required: true}, 0, "", false, `{"l":["Not a valid string."]}`},
		{Field{Name: "m", Required: true}, 0, "", false, `{"m":["Not a valid string."]}`},
		{Field{Name: "file", Required: true}, 0, "", false, `{"file":["Not a valid string."]}`},
		{Field{Name: "nul", Required: true}, 0, "a\x00b", false, `{"nul":["Null characters are not allowed."]}`},
		{Field{Name: "sur", Required: true}, 0, "a\xed\xb0\x80", false, `{"sur":["Surrogate characters are not allowed: U+DC00."]}`},
		{Field{Name: "both", Required: true}, 0, "\x00\xed\xa0\x80", false, `{"both":["Null characters are not allowed.","Surrogate characters are not allowed: U+D800."]}`},
		{Field{Name: "long", Required: true}, 5, "abcdef", false, `{"long":["Ensure this field has no more than 5 characters."]}`},
		{Field{Name: "long", Required: true}, 6, "abcdef", true, `{}`},
	}
	for _, c := range cases {
		var errs serializers.ValidationError
		got, ok := d.CharMaxLength(c.field, c.max, &errs)
		js, _ := errs.MarshalJSON()
		if got != c.want || ok != c.ok || string(js) != c.errs {
			t.Errorf("%s: got %q %v %s, want %q %v %s", c.field.Name, got, ok, js, c.want, c.ok, c.errs)
		}
	}
}

type Field = serializers.Field

func TestDataOrder(t *testing.T) {
	var d serializers.Data
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

package serializers_test

import (
	"errors"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

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
	d := pyjson.NewObject()
	set := map[string]any{
		"s": "  alice\t", "n": pyjson.Number("12"), "f": pyjson.Number("1e16"), "null": nil, "blank": " \u3000 ",
		"b": true, "l": []any{"x"}, "m": map[string]any{}, "file": serializers.UploadedFile{Filename: "x"},
		"nul": "a\x00b", "sur": "a" + "\xed\xb0\x80", "both": "\x00" + "\xed\xa0\x80",
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
		got, ok := c.field.CharMaxLength(d, c.max, &errs)
		js, _ := errs.MarshalJSON()
		if got != c.want || ok != c.ok || string(js) != c.errs {
			t.Errorf("%s: got %q %v %s, want %q %v %s", c.field.Name, got, ok, js, c.want, c.ok, c.errs)
		}
	}
}

type Field = serializers.Field

func TestFieldLabel(t *testing.T) {
	for _, c := range [][2]string{
		{"username", "Username"}, {"email_address", "Email address"}, {"USER_NAME", "User name"},
		{"userName", "Username"}, {"élan", "Élan"}, {"", ""},
	} {
		if got := (Field{Name: c[0]}).DisplayLabel(); got != c[1] {
			t.Errorf("label(%q) = %q, want %q", c[0], got, c[1])
		}
	}
	if got := (Field{Name: "x", Label: "Given"}).DisplayLabel(); got != "Given" {
		t.Errorf("explicit label: %q", got)
	}
}

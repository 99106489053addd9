package pyjson

import (
	"testing"
)

// Expected values are CPython 3.11's str.strip(), str.capitalize() and len().

func TestPyStrip(t *testing.T) {
	for _, c := range [][2]string{
		{" a ", "a"}, {"\x1c\x1fa\x1e", "a"}, {"\u00a0\u2003x\u3000", "x"}, {"\u200bx", "\u200bx"},
		{"\t\n\v\fy\r", "y"}, {"\u0085z\u2028\u2029", "z"}, {"\u180e q", "\u180e q"}, {"", ""}, {"   ", ""},
		{" \xed\xa0\x80 ", "\xed\xa0\x80"}, {" \xff ", "\xff"},
	} {
		if got := Strip(c[0]); got != c[1] {
			t.Errorf("strip(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestCapitalize(t *testing.T) {
	for _, c := range [][2]string{
		{"username", "Username"}, {"email address", "Email address"}, {"USER NAME", "User name"},
		{"userName", "Username"}, {"élan", "Élan"}, {"", ""}, {"ǆemal", "ǅemal"},
	} {
		if got := Capitalize(c[0]); got != c[1] {
			t.Errorf("capitalize(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestSurrogates(t *testing.T) {
	s := string(appendWTF8([]byte("a"), 0xD800)) + "b" + string(appendWTF8(nil, 0xDFFF))
	if cp, ok := FirstSurrogate(s); !ok || cp != 0xD800 {
		t.Errorf("firstSurrogate = %X %v", cp, ok)
	}
	if n := Len(s); n != 4 {
		t.Errorf("len = %d, want 4", n)
	}
	if _, ok := FirstSurrogate("é€😀"); ok {
		t.Error("surrogate found in valid UTF-8")
	}
	if n := Len("é€😀"); n != 3 {
		t.Errorf("len = %d, want 3", n)
	}
	if got := string(appendWTF8(nil, 'é')); got != "é" {
		t.Errorf("AppendWTF8 = %q", got)
	}
}

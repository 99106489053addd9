package serializers

import (
	"math"
	"strconv"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// Expected values are CPython 3.11's str(float(x)), str.strip() and
// str.replace('_', ' ').capitalize().

func TestPyFloatRepr(t *testing.T) {
	for _, c := range [][2]string{
		{"0", "0.0"}, {"-0.0", "-0.0"}, {"1.0", "1.0"}, {"1e16", "1e+16"}, {"1e15", "1000000000000000.0"},
		{"123456789012345678", "1.2345678901234568e+17"}, {"0.0001", "0.0001"}, {"0.00001", "1e-05"},
		{"1.5e-7", "1.5e-07"}, {"2.5", "2.5"}, {"1e22", "1e+22"}, {"1e-320", "1e-320"}, {"5e-324", "5e-324"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"}, {"1e400", "inf"}, {"-1e400", "-inf"},
		{"0.1", "0.1"}, {"100.0", "100.0"}, {"1234567890123456.7", "1234567890123456.8"},
		{"12345678901234567.0", "1.2345678901234568e+16"}, {"3.14159", "3.14159"}, {"-2.5e+30", "-2.5e+30"},
		{"9.999999999999999e15", "1e+16"}, {"1e-4", "0.0001"}, {"0.000123", "0.000123"},
	} {
		f, _ := strconv.ParseFloat(c[0], 64)
		if got := tokens.PyFloatRepr(f); got != c[1] {
			t.Errorf("str(float(%s)) = %q, want %q", c[0], got, c[1])
		}
	}
	if got := tokens.PyFloatRepr(math.NaN()); got != "nan" {
		t.Errorf("nan: %q", got)
	}
}

func TestNumberString(t *testing.T) {
	for _, c := range [][2]string{
		{"12", "12"}, {"-0", "0"}, {"-12", "-12"}, {"1.0", "1.0"}, {"1e3", "1000.0"}, {"1E+2", "100.0"},
		{"-0.0", "-0.0"}, {"1e400", "inf"}, {"123456789012345678901234567890", "123456789012345678901234567890"},
	} {
		if got := Number(c[0]).String(); got != c[1] {
			t.Errorf("Number(%s) = %q, want %q", c[0], got, c[1])
		}
	}
	if Number("1").PyType() != "int" || Number("1.0").PyType() != "float" || Number("1e2").PyType() != "float" {
		t.Error("PyType")
	}
}

func TestPyStrip(t *testing.T) {
	for _, c := range [][2]string{
		{" a ", "a"}, {"\x1c\x1fa\x1e", "a"}, {"\u00a0\u2003x\u3000", "x"}, {"\u200bx", "\u200bx"},
		{"\t\n\v\fy\r", "y"}, {"\u0085z\u2028\u2029", "z"}, {"\u180e q", "\u180e q"}, {"", ""}, {"   ", ""},
		{" \xed\xa0\x80 ", "\xed\xa0\x80"}, {" \xff ", "\xff"},
	} {
		if got := pyStrip(c[0]); got != c[1] {
			t.Errorf("strip(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestFieldLabel(t *testing.T) {
	for _, c := range [][2]string{
		{"username", "Username"}, {"email_address", "Email address"}, {"USER_NAME", "User name"},
		{"userName", "Username"}, {"élan", "Élan"}, {"", ""},
	} {
		if got := fieldLabel(c[0]); got != c[1] {
			t.Errorf("label(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestSurrogates(t *testing.T) {
	s := string(AppendWTF8([]byte("a"), 0xD800)) + "b" + string(AppendWTF8(nil, 0xDFFF))
	if cp, ok := firstSurrogate(s); !ok || cp != 0xD800 {
		t.Errorf("firstSurrogate = %X %v", cp, ok)
	}
	if n := pyLen(s); n != 4 {
		t.Errorf("len = %d, want 4", n)
	}
	if _, ok := firstSurrogate("é€😀"); ok {
		t.Error("surrogate found in valid UTF-8")
	}
	if n := pyLen("é€😀"); n != 3 {
		t.Errorf("len = %d, want 3", n)
	}
	if got := string(AppendWTF8(nil, 'é')); got != "é" {
		t.Errorf("AppendWTF8 = %q", got)
	}
}

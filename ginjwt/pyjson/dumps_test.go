package pyjson

import (
	"math"
	"strconv"
	"testing"
)

// Expected values are CPython 3.11's str(float(x)) and str(int(x)).

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
		if got := floatRepr(f); got != c[1] {
			t.Errorf("str(float(%s)) = %q, want %q", c[0], got, c[1])
		}
	}
	if got := floatRepr(math.NaN()); got != "nan" {
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
	if TypeName(Number("1")) != "int" || TypeName(Number("1.0")) != "float" || TypeName(Number("1e2")) != "float" {
		t.Error("TypeName")
	}
}

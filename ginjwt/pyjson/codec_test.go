package pyjson

import "testing"

// TestLookupCodec: the names CPython 3.11's codecs.lookup resolves to utf-8, ascii and
// iso8859-1 pick those codecs; what it resolves to another codec, or does not know, is read
// as UTF-8 (see LookupCodec).
func TestLookupCodec(t *testing.T) {
	cases := map[string]Codec{
		"utf-8": utf8Codec, "UTF8": utf8Codec, "utf_8": utf8Codec, " Utf-8 ": utf8Codec,
		"ascii": asciiCodec, "US-ASCII": asciiCodec, "us_ascii": asciiCodec, "646": asciiCodec,
		"ANSI_X3.4-1968": asciiCodec, "cp367": asciiCodec, "iso646-us": asciiCodec,
		"latin-1": Latin1, "Latin1": Latin1, "ISO-8859-1": Latin1, "iso8859_1": Latin1, "l1": Latin1,
		"cp819": Latin1, "8859": Latin1,
		"utf-16": utf8Codec, "cp1252": utf8Codec, "koi8-r": utf8Codec, "nonsense": utf8Codec, "": utf8Codec,
	}
	for name, want := range cases {
		if got := LookupCodec(name); got != want {
			t.Errorf("LookupCodec(%q) = %s, want %s", name, got.name(), want.name())
		}
	}
}

// TestDecode: Python's bytes.decode(codec) and bytes.decode(codec, 'replace').
func TestDecode(t *testing.T) {
	cases := []struct {
		c       Codec
		in      string
		strict  string // "" with ok false when Python raises
		ok      bool
		replace string
	}{
		{utf8Codec, "caf\xc3\xa9", "café", true, "café"},
		{utf8Codec, "a\xffb", "", false, "a\ufffdb"},
		{utf8Codec, "a\xe2\x82", "", false, "a\ufffd"},               // truncated at the end: one U+FFFD
		{utf8Codec, "\xe2\x28\xa1", "", false, "\ufffd(\ufffd"},      // invalid continuation
		{utf8Codec, "\xed\xa0\x80", "", false, "\ufffd\ufffd\ufffd"}, // a surrogate is not UTF-8
		{asciiCodec, "abc", "abc", true, "abc"},
		{asciiCodec, "a\xe9", "", false, "a\ufffd"},
		{Latin1, "caf\xe9\xff", "café\u00ff", true, "café\u00ff"},
	}
	for _, c := range cases {
		got, ok := c.c.Decode([]byte(c.in))
		if got != c.strict || ok != c.ok {
			t.Errorf("%q.decode(%s) = %q, %v; want %q, %v", c.in, c.c.name(), got, ok, c.strict, c.ok)
		}
		if got := c.c.DecodeReplace([]byte(c.in)); got != c.replace {
			t.Errorf("%q.decode(%s, 'replace') = %q, want %q", c.in, c.c.name(), got, c.replace)
		}
	}
}

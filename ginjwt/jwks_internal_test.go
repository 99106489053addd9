package ginjwt

import (
	"strings"
	"testing"
)

// TestETagMatches: RFC 9110's If-None-Match list with the weak comparison.
func TestETagMatches(t *testing.T) {
	const etag = `"abc"`
	for _, tt := range []struct {
		header string
		want   bool
	}{
		{`"abc"`, true}, {`W/"abc"`, true}, {`*`, true}, {` * `, true},
		{`"x", "abc"`, true}, {`"x",W/"abc"`, true}, {`,,"abc"`, true}, {"\t\"abc\"\t", true},
		{``, false}, {`abc`, false}, {`"abc`, false}, {`"ab"`, false}, {`"abcd"`, false},
		{`"x" "abc"`, false}, {`W/`, false}, {`w/"abc"`, false}, {`"x", *`, false}, {`""`, false},
	} {
		if got := etagMatches(tt.header, etag); got != tt.want {
			t.Errorf("etagMatches(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

// FuzzETagMatches: no panic; a header matches only if it is * or holds the tag as a quoted
// member; the tag alone, weak or in a list always matches.
func FuzzETagMatches(f *testing.F) {
	for _, s := range []string{`"abc"`, `W/"abc", "x"`, `*`, `"`, `W/`, `,,`, `"a" "b"`, "\"\xff\""} {
		f.Add(s, `"abc"`)
	}
	f.Fuzz(func(t *testing.T, header, tag string) {
		if len(tag) < 2 || tag[0] != '"' || tag[len(tag)-1] != '"' || strings.Contains(tag[1:len(tag)-1], `"`) {
			tag = `"` + strings.ReplaceAll(tag, `"`, "") + `"`
		}
		if etagMatches(header, tag) && strings.TrimSpace(header) != "*" && !strings.Contains(header, tag) {
			t.Fatalf("%q matched %q without holding it", header, tag)
		}
		for _, h := range []string{tag, "W/" + tag, `"other", ` + tag, tag + `, "other"`} {
			if !etagMatches(h, tag) {
				t.Fatalf("%q does not match %q", h, tag)
			}
		}
	})
}

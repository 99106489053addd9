package cookies

import (
	"net/http"
	"strings"
	"testing"
)

func TestCookie(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		value string
		found bool
	}{
		{nil, "", false},
		{[]string{"access=a.b.c"}, "a.b.c", true},
		{[]string{"x=1; access=a.b.c; y=2"}, "a.b.c", true},
		{[]string{" access = a.b.c ;"}, "a.b.c", true},
		{[]string{`access="a.b.c"`}, "a.b.c", true},
		{[]string{"access=first; access=last"}, "last", true}, // Django keeps the last
		{[]string{"access=first", "access=second-line"}, "second-line", true},
		{[]string{"my_access=a; accessx=b"}, "", false},
		{[]string{"access"}, "", false}, // no "=": a value with an empty name
		{[]string{"access="}, "", true},
	} {
		h := http.Header{"Cookie": tc.lines}
		v, ok := cookie(h, "access")
		if v != tc.value || ok != tc.found {
			t.Errorf("%q: %q %v, want %q %v", tc.lines, v, ok, tc.value, tc.found)
		}
	}
}

// FuzzCookie: the access cookie lookup never panics, finds only values that the header holds
// between a "name=" and the next ";", and agrees with a plain split of the header.
func FuzzCookie(f *testing.F) {
	for _, s := range []string{"access=a.b.c", "x=1; access=a; access=b", `access="q"`, "access", ";;=;", " access = v "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		v, ok := cookie(http.Header{"Cookie": {line}}, "access")
		var want string
		found := false
		for _, chunk := range strings.Split(line, ";") {
			k, val, has := strings.Cut(chunk, "=")
			if has && strings.TrimSpace(k) == "access" {
				want, found = strings.Trim(strings.TrimSpace(val), `"`), true
			}
		}
		if v != want || ok != found {
			t.Fatalf("%q: %q %v, want %q %v", line, v, ok, want, found)
		}
		if strings.Contains(v, ";") {
			t.Fatalf("%q: value %q spans a ;", line, v)
		}
	})
}

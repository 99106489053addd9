package csrf

import (
	"testing"
)

// urlsplitCases are Python 3.12+'s urlsplit answers ("!" for ValueError), with geturl() as
// the last field; the interop test runs them through the real Python too.
var urlsplitCases = []struct {
	in                                        string
	scheme, netloc, path, query, frag, geturl string
	py311                                     bool // Python 3.11 answers otherwise
}{
	{in: "https://example.com/page?x=1#top", scheme: "https", netloc: "example.com", path: "/page", query: "x=1", frag: "top", geturl: "https://example.com/page?x=1#top"},
	{in: "HTTPS://Example.COM", scheme: "https", netloc: "Example.COM", geturl: "https://Example.COM"},
	{in: "https://example.com?#", scheme: "https", netloc: "example.com", geturl: "https://example.com"},
	{in: "  \x01https://a.example/", scheme: "https", netloc: "a.example", path: "/", geturl: "https://a.example/"},
	{in: "ht\ttps://a.ex\nample/p\r", scheme: "https", netloc: "a.example", path: "/p", geturl: "https://a.example/p"},
	{in: "https://a.example ", scheme: "https", netloc: "a.example ", geturl: "https://a.example "},
	{in: "example.com/page", path: "example.com/page"},
	{in: "//example.com/x", netloc: "example.com", path: "/x"},
	{in: "https:///page", scheme: "https", path: "/page"},
	{in: "https:page", scheme: "https", path: "page"},
	{in: "1http://a.example", path: "1http://a.example"},
	{in: "a_b://x", path: "a_b://x"},
	{in: "git+ssh://host/repo", scheme: "git+ssh", netloc: "host", path: "/repo", geturl: "git+ssh://host/repo"},
	{in: "https://u:p@host:8443/", scheme: "https", netloc: "u:p@host:8443", path: "/", geturl: "https://u:p@host:8443/"},
	{in: "https://[::1]:8000/", scheme: "https", netloc: "[::1]:8000", path: "/", geturl: "https://[::1]:8000/"},
	{in: "https://[fe80::1%25eth0]/", scheme: "https", netloc: "[fe80::1%25eth0]", path: "/", geturl: "https://[fe80::1%25eth0]/"},
	{in: "https://[v1.fe]/", scheme: "https", netloc: "[v1.fe]", path: "/", geturl: "https://[v1.fe]/"},
	{in: "https://[::1/", scheme: "!"},
	{in: "https://::1]/", scheme: "!"},
	{in: "https://[1.2.3.4]/", scheme: "!"},
	{in: "https://[example.com]/", scheme: "!"},
	{in: "https://a[::1]/", scheme: "!", py311: true},
	{in: "https://[::1]x/", scheme: "!", py311: true},
	{in: "https://[vx.a]/", scheme: "!"},
	{in: "https://[V1.fe]/", scheme: "https", netloc: "[V1.fe]", path: "/", geturl: "https://[V1.fe]/", py311: true},
	{in: "https://é.example/", scheme: "https", netloc: "é.example", path: "/", geturl: "https://é.example/"},
	{in: "", path: ""},
	{in: "null", path: "null"},
	{in: "https://a.example#x?y", scheme: "https", netloc: "a.example", frag: "x?y", geturl: "https://a.example#x?y"},
}

func TestURLSplit(t *testing.T) {
	for _, tc := range urlsplitCases {
		u, err := urlsplit(tc.in)
		if tc.scheme == "!" {
			if err == nil {
				t.Errorf("urlsplit(%q) = %+v, want ValueError", tc.in, u)
			}
			continue
		}
		if err != nil {
			t.Errorf("urlsplit(%q): %v", tc.in, err)
			continue
		}
		want := splitURL{tc.scheme, tc.netloc, tc.path, tc.query, tc.frag}
		if u != want {
			t.Errorf("urlsplit(%q) = %+v, want %+v", tc.in, u, want)
		}
		if tc.geturl != "" && u.geturl() != tc.geturl {
			t.Errorf("geturl(%q) = %q, want %q", tc.in, u.geturl(), tc.geturl)
		}
	}
}

// TestIsSameDomain is django.utils.http.is_same_domain (Django's own test cases, and the
// case rules: the pattern is lower-cased, the host is not).
func TestIsSameDomain(t *testing.T) {
	cases := []struct {
		host, pattern string
		want          bool
	}{
		{"example.com", "example.com", true},
		{"example.com", ".example.com", true},
		{"foo.example.com", ".example.com", true},
		{"example.com:8888", "example.com:8888", true},
		{"foo.example.com:8888", ".example.com:8888", true},
		{"example.com", "EXAMPLE.COM", true},
		{"EXAMPLE.COM", "example.com", false},
		{"example.com", "", false},
		{"example.com", "example.net", false},
		{"foo.example.com", "example.com", false},
		{"example.com:8888", "example.com", false},
		{"example.com:8888", ".example.com", false},
		{"badexample.com", ".example.com", false},
		{"example.com.evil", ".example.com", false},
	}
	for _, tc := range cases {
		if got := isSameDomain(tc.host, tc.pattern); got != tc.want {
			t.Errorf("isSameDomain(%q, %q) = %v", tc.host, tc.pattern, got)
		}
	}
}

// TestValidHost is Django's host_validation_re (and validate_port for the port).
func TestValidHost(t *testing.T) {
	for host, want := range map[string]bool{
		"example.com": true, "EXAMPLE.com": true, "example.com:8000": true, "127.0.0.1:80": true,
		"[::1]": true, "[::1]:8000": true, "[::ffff:1.2.3.4]": true, "[2001:DB8::1]": true,
		"a_b.example": false, "example.com:": false, "example.com:x": false, "[::1]:": false,
		"[::1": false, "[]": false, "[1.2.3.4]": false, "[::g]": false, "ex ample": false,
		"é.example": false, "example.com:8000:1": false, "": false, "[a.b:1]": false,
	} {
		if got := validHost(host); got != want {
			t.Errorf("validHost(%q) = %v, want %v", host, got, want)
		}
	}
	for port, want := range map[string]bool{"1": true, "80": true, "65535": true, "00080": true,
		"0": false, "65536": false, "99999999999999999999": false, "": false, "8a": false} {
		if got := validPort(port); got != want {
			t.Errorf("validPort(%q) = %v, want %v", port, got, want)
		}
	}
}

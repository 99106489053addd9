package clientip

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

type ipCase struct {
	name    string
	proxies []string
	remote  string
	headers [][2]string // added in order, so a header may repeat
	want    string      // "" when no address is known
	notGin  bool        // gin answers differently (canonical form, or no address): see wantGin
	wantGin string
}

var ipCases = []ipCase{
	{name: "no proxies: the peer", remote: "203.0.113.7:4711", want: "203.0.113.7"},
	{name: "no proxies: spoofed X-Forwarded-For ignored", remote: "203.0.113.7:4711",
		headers: [][2]string{{"X-Forwarded-For", "1.2.3.4"}}, want: "203.0.113.7"},
	{name: "no proxies: spoofed X-Real-IP ignored", remote: "203.0.113.7:4711",
		headers: [][2]string{{"X-Real-IP", "1.2.3.4"}}, want: "203.0.113.7"},
	{name: "untrusted peer with proxies configured", proxies: []string{"10.0.0.0/8"}, remote: "203.0.113.7:4711",
		headers: [][2]string{{"X-Forwarded-For", "1.2.3.4"}}, want: "203.0.113.7"},
	{name: "trusted peer: the forwarded client", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "1.2.3.4"}}, want: "1.2.3.4"},
	{name: "trusted peer: client spoofs a leftmost entry", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "6.6.6.6, 1.2.3.4"}}, want: "1.2.3.4"},
	{name: "trusted chain skipped", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "6.6.6.6, 1.2.3.4, 10.9.9.9"}}, want: "1.2.3.4"},
	{name: "all trusted: the leftmost", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "10.0.0.1, 10.0.0.2"}}, want: "10.0.0.1"},
	{name: "header on two lines", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "6.6.6.6"}, {"X-Forwarded-For", "1.2.3.4, 10.0.0.9"}}, want: "1.2.3.4"},
	{name: "garbage header: X-Real-IP next", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "1.2.3.4, nonsense"}, {"X-Real-IP", "5.6.7.8"}}, want: "5.6.7.8"},
	{name: "garbage headers: the peer", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "nonsense"}}, want: "10.1.2.3"},
	{name: "empty entry makes the header unusable", proxies: []string{"10.0.0.0/8"}, remote: "10.1.2.3:4711",
		headers: [][2]string{{"X-Forwarded-For", "1.2.3.4,"}}, want: "10.1.2.3"},
	{name: "single trusted address", proxies: []string{"192.0.2.10"}, remote: "192.0.2.10:1",
		headers: [][2]string{{"X-Forwarded-For", "1.2.3.4"}}, want: "1.2.3.4"},
	{name: "IPv6 proxy", proxies: []string{"fd00::/8"}, remote: "[fd00::1]:443",
		headers: [][2]string{{"X-Forwarded-For", "2001:db8::7"}}, want: "2001:db8::7"},
	{name: "IPv6 peer", remote: "[2001:db8::1]:443", want: "2001:db8::1"},
	{name: "IPv4-mapped peer is the IPv4 address", remote: "[::ffff:203.0.113.7]:1", want: "203.0.113.7",
		notGin: true, wantGin: "203.0.113.7"},
	{name: "IPv4-mapped forwarded address is the IPv4 address", proxies: []string{"10.0.0.0/8"}, remote: "10.0.0.1:1",
		headers: [][2]string{{"X-Forwarded-For", "::ffff:1.2.3.4"}}, want: "1.2.3.4", notGin: true, wantGin: "::ffff:1.2.3.4"},
	{name: "IPv6 spelled two ways is one address", proxies: []string{"10.0.0.0/8"}, remote: "10.0.0.1:1",
		headers: [][2]string{{"X-Forwarded-For", "2001:DB8:0:0::7"}}, want: "2001:db8::7", notGin: true, wantGin: "2001:DB8:0:0::7"},
	{name: "zone in a forwarded address", proxies: []string{"10.0.0.0/8"}, remote: "10.0.0.1:1",
		headers: [][2]string{{"X-Forwarded-For", "fe80::1%eth0"}}, want: "10.0.0.1"},
	{name: "no port in RemoteAddr", remote: "203.0.113.7", want: "", notGin: true, wantGin: ""},
}

func (tc ipCase) request() *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.RemoteAddr = tc.remote
	for _, h := range tc.headers {
		r.Header.Add(h[0], h[1])
	}
	return r
}

// TestClientIP checks each case, and that gin's own ClientIP (with SetTrustedProxies the
// same) agrees wherever this package does not canonicalise.
func TestClientIP(t *testing.T) {
	for _, tc := range ipCases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := New(tc.proxies, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if a, ok := res.ClientIP(tc.request()); ok {
				got = a.String()
			}
			if got != tc.want {
				t.Errorf("clientIP = %q; want %q", got, tc.want)
			}
			wantGin := tc.want
			if tc.notGin {
				wantGin = tc.wantGin
			}
			if g := ginClientIP(t, tc.proxies, tc.request()); g != wantGin {
				t.Errorf("gin's ClientIP = %q; want %q", g, wantGin)
			}
		})
	}
}

func ginClientIP(t *testing.T, proxies []string, r *http.Request) string {
	t.Helper()
	e := gin.New()
	if err := e.SetTrustedProxies(proxies); err != nil {
		t.Fatal(err)
	}
	var ip string
	e.GET("/x", func(c *gin.Context) { ip = c.ClientIP() })
	e.ServeHTTP(httptest.NewRecorder(), r)
	return ip
}

// TestClientIPUnixSocket: behind a unix-socket listener the peer is trusted, as in gin.
func TestClientIPUnixSocket(t *testing.T) {
	res, _ := New(nil, nil)
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.RemoteAddr = "@"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	ctx := context.WithValue(r.Context(), http.LocalAddrContextKey, &net.UnixAddr{Name: "/run/app.sock", Net: "unix"})
	if a, ok := res.ClientIP(r.WithContext(ctx)); !ok || a.String() != "1.2.3.4" {
		t.Errorf("clientIP = %v, %v; want 1.2.3.4", a, ok)
	}
	if _, ok := res.ClientIP(r); ok {
		t.Error("RemoteAddr @ on TCP gives an address")
	}
}

func FuzzClientIP(f *testing.F) {
	for _, tc := range ipCases {
		xff := ""
		if len(tc.headers) > 0 {
			xff = tc.headers[0][1]
		}
		f.Add(tc.remote, xff)
	}
	res, _ := New([]string{"10.0.0.0/8", "fd00::/8"}, nil)
	untrusted, _ := New(nil, nil)
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		if a, ok := res.ClientIP(r); ok && (!a.IsValid() || a.Is4In6() || a.Zone() != "") {
			t.Fatalf("clientIP(%q, %q) = %v: not canonical", remote, xff, a)
		}
		// Without trusted proxies the header never matters.
		a1, ok1 := untrusted.ClientIP(r)
		r.Header.Del("X-Forwarded-For")
		a2, ok2 := untrusted.ClientIP(r)
		if a1 != a2 || ok1 != ok2 {
			t.Fatalf("X-Forwarded-For %q changed the address of an untrusted peer: %v → %v", xff, a2, a1)
		}
	})
}

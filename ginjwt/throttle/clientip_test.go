package throttle

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestIPv6Prefix: with IPv6PrefixBits 64, a /64 is one client; IPv4 is untouched.
func TestIPv6Prefix(t *testing.T) {
	res, err := newIPResolver(nil, nil, 64)
	if err != nil {
		t.Fatal(err)
	}
	for remote, want := range map[string]string{
		"[2001:db8:1:2:aaaa::1]:1": "2001:db8:1:2::",
		"[2001:db8:1:2:bbbb::9]:1": "2001:db8:1:2::",
		"203.0.113.7:1":            "203.0.113.7",
	} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.RemoteAddr = remote
		if a, ok := res.clientIP(r); !ok || a.String() != want {
			t.Errorf("%s: %v; want %s", remote, a, want)
		}
	}
}

// TestSpoofedForwardedForKeepsBucket: through the middleware, a client sending a new
// X-Forwarded-For on every request stays in its bucket, without and with trusted proxies;
// through a trusted proxy, two real clients get two buckets.
func TestSpoofedForwardedForKeepsBucket(t *testing.T) {
	for _, proxies := range [][]string{nil, {"10.0.0.0/8"}} {
		l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "3/min"}, TrustedProxies: proxies})
		h := engine(l.Middleware(Anon()))
		codes := make([]int, 0, 5)
		for i := range 5 {
			spoof := map[string]string{"X-Forwarded-For": netip.AddrFrom4([4]byte{1, 2, 3, byte(i)}).String(), "X-Real-IP": "9.9.9." + string(rune('0'+i))}
			codes = append(codes, req{remote: "203.0.113.7:" + string(rune('1'+i)), headers: spoof}.send(h).Code)
		}
		if want := []int{200, 200, 200, 429, 429}; !equalInts(codes, want) {
			t.Errorf("proxies %v: spoofing client got %v; want %v", proxies, codes, want)
		}
	}
	l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "1/min"}, TrustedProxies: []string{"10.0.0.0/8"}})
	h := engine(l.Middleware(Anon()))
	a := req{remote: "10.0.0.1:1", headers: map[string]string{"X-Forwarded-For": "198.51.100.1"}}
	b := req{remote: "10.0.0.1:2", headers: map[string]string{"X-Forwarded-For": "198.51.100.2"}}
	if ca, cb, ca2 := a.send(h).Code, b.send(h).Code, a.send(h).Code; ca != 200 || cb != 200 || ca2 != 429 {
		t.Errorf("two clients behind a trusted proxy: %d %d %d; want 200 200 429", ca, cb, ca2)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

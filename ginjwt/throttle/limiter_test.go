package throttle

import (
	"net/netip"
	"strings"
	"testing"
)

// TestKeys: keys are stable for one secret, apart for every scope, kind and secret, never
// hold the identity in clear, and stay short for any input.
func TestKeys(t *testing.T) {
	a := mustNew(t, Config{Secret: testSecret})
	b := mustNew(t, Config{Secret: testSecret})
	other := mustNew(t, Config{Secret: []byte("another secret of enough length")})
	ip := netip.MustParseAddr("203.0.113.7")
	keys := map[string]string{
		"username alice":         a.key(ScopeLoginUsername, identUsername, "alice"),
		"username alice, scope":  a.key(ScopeLoginIP, identUsername, "alice"),
		"user id 1":              a.key(ScopeUser, identUser, "1"),
		"username 1":             a.key(ScopeUser, identUsername, "1"),
		"address":                a.addrKey(ScopeUser, ip, true),
		"address as a user id":   a.key(ScopeUser, identUser, "203.0.113.7"),
		"unknown address":        a.addrKey(ScopeUser, netip.Addr{}, false),
		"other secret":           other.key(ScopeLoginUsername, identUsername, "alice"),
		"empty user id":          a.key(ScopeUser, identUser, ""),
		"scope with a separator": a.key(ScopeUser+"\x00u", identUser, ""),
	}
	seen := map[string]string{}
	for name, k := range keys {
		if prev, dup := seen[k]; dup {
			t.Errorf("%s and %s share key %s", name, prev, k)
		}
		seen[k] = name
		if strings.Contains(k, "alice") || strings.Contains(k, "203.0.113.7") {
			t.Errorf("%s: identity in clear in %q", name, k)
		}
	}
	if a.key(ScopeLoginUsername, identUsername, "alice") != b.key(ScopeLoginUsername, identUsername, "alice") {
		t.Error("two limiters with one secret derive different keys")
	}
	if k := a.key(ScopeLoginUsername, identUsername, "alice"); !strings.HasPrefix(k, ScopeLoginUsername+":") || len(k) != len(ScopeLoginUsername)+1+22 {
		t.Errorf("key %q: want scope:22 base64url characters", k)
	}
	huge := strings.Repeat("x", 1<<20)
	if k := a.key(ScopeLoginUsername, identUsername, huge); len(k) != len(ScopeLoginUsername)+1+22 {
		t.Errorf("key of a 1 MiB username is %d bytes", len(k))
	}
	if a.key(ScopeLoginUsername, identUsername, "alice") != b.key(ScopeLoginUsername, identUsername, "alice") {
		t.Error("keys changed after a huge input went through the pool")
	}
}

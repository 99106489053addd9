package revocation_test

import (
	"fmt"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation"
)

// clock is an injected clock tests move by hand.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time               { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration)          { c.ns.Add(int64(d)) }
func (c *clock) At(d time.Duration) time.Time { return c.Now().Add(d) }

func TestRevoked(t *testing.T) {
	c := newClock()
	s := revocation.New(c.Now)
	nb := c.At(0).Add(500 * time.Millisecond)
	s.Add(
		revocation.Entry{Kind: revocation.Session, Key: "S", ExpiresAt: c.At(time.Hour)},
		revocation.Entry{Kind: revocation.User, Key: "7", NotBefore: nb, ExpiresAt: c.At(time.Hour)},
		revocation.Entry{Kind: revocation.Session, Key: "gone", ExpiresAt: c.At(-time.Second)},
		revocation.Entry{Kind: revocation.Session, Key: "", ExpiresAt: c.At(time.Hour)},
	)
	iat := nb.Unix()
	cases := []struct {
		name     string
		sid, uid string
		iat      int64
		hasIAT   bool
		want     bool
	}{
		{"revoked session", "S", "1", iat + 100, true, true},
		{"other session", "T", "1", iat - 100, true, false},
		{"no session, other user", "", "1", iat - 100, true, false},
		{"user, issued before", "", "7", iat - 1, true, true},
		{"user, issued in the revocation's second, without a session", "", "7", iat, true, true},
		{"user, issued in the revocation's second, in a session", "T", "7", iat, true, false},
		{"user, issued after", "T", "7", iat + 1, true, false},
		{"user, no iat", "", "7", 0, false, true},
		{"expired entry never added", "gone", "1", iat, true, false},
		{"empty user id", "", "", iat - 100, true, false},
	}
	for _, tc := range cases {
		if got := s.Revoked(tc.sid, tc.uid, tc.iat, tc.hasIAT); got != tc.want {
			t.Errorf("%s: Revoked = %v, want %v", tc.name, got, tc.want)
		}
	}
	if s.Len() != 2 {
		t.Errorf("Len = %d, want 2", s.Len())
	}
}

// TestSetEmptiesAfterExpiry: every entry is dropped once the last token it could refuse has
// expired; nothing grows.
func TestSetEmptiesAfterExpiry(t *testing.T) {
	c := newClock()
	s := revocation.New(c.Now)
	for i := range 1000 {
		s.Add(revocation.Entry{Kind: revocation.Session, Key: strconv.Itoa(i), ExpiresAt: c.At(time.Duration(i+1) * time.Second)},
			revocation.Entry{Kind: revocation.User, Key: strconv.Itoa(i), NotBefore: c.Now(), ExpiresAt: c.At(time.Duration(i+1) * time.Second)})
	}
	if n := s.Prune(); n != 2000 {
		t.Fatalf("Prune = %d, want 2000", n)
	}
	c.Add(500 * time.Second)
	if n := s.Prune(); n != 1000 {
		t.Fatalf("half-way Prune = %d, want 1000", n)
	}
	if !s.Revoked("999", "", 0, false) || s.Revoked("10", "", 0, false) {
		t.Fatal("the wrong half was dropped")
	}
	c.Add(500 * time.Second)
	if n := s.Prune(); n != 0 {
		t.Fatalf("Prune after expiry = %d, want 0", n)
	}
	if s.Revoked("999", "999", 0, false) {
		t.Fatal("expired entry still revokes")
	}
}

func TestRevokedAllocs(t *testing.T) {
	c := newClock()
	s := revocation.New(c.Now)
	fill(s, c, 10000)
	if n := testing.AllocsPerRun(1000, func() { s.Revoked("nope", "x", 1, true) }); n != 0 {
		t.Fatalf("Revoked allocates %v times", n)
	}
}

func fill(s *revocation.Set, c *clock, n int) {
	entries := make([]revocation.Entry, 0, n)
	for i := range n {
		k := fmt.Sprintf("%032x", i)
		kind := revocation.Session
		if i%2 == 1 {
			kind = revocation.User
		}
		entries = append(entries, revocation.Entry{Kind: kind, Key: k, NotBefore: c.Now(), ExpiresAt: c.At(time.Hour)})
	}
	s.Add(entries...)
}

// TestMemoryPerRevocation reports the heap a live revocation takes (go test -v -run
// TestMemoryPerRevocation ./ginjwt/revocation).
func TestMemoryPerRevocation(t *testing.T) {
	c := newClock()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := revocation.New(c.Now)
	fill(s, c, 10000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / 10000
	t.Logf("memory per live revocation: %.0f bytes (10,000 entries, 32-byte keys)", per)
	if per > 1024 {
		t.Errorf("%.0f bytes per revocation, want under 1 KiB", per)
	}
	runtime.KeepAlive(s)
}

func BenchmarkRevoked(b *testing.B) {
	for _, n := range []int{0, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c := newClock()
			s := revocation.New(c.Now)
			fill(s, c, n)
			b.ReportAllocs()
			for b.Loop() {
				s.Revoked("0123456789abcdef0123456789abcdef", "42", 1, true)
			}
		})
	}
}

// Package hasherstest provides a test double for package hashers, as net/http/httptest does for
// net/http: CountingHasher, which counts hasher runs. It imports nothing of this module but
// hashers, so that the tests of any package above it (package models' own included) can use it;
// the in-memory stores are in models/modelstest.
package hasherstest

import (
	"crypto/rand"
	"sync/atomic"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

type countingHasher struct {
	h hashers.Hasher
	n *atomic.Int64
}

// CountingHasher wraps h and counts its runs, Encode and Verify calls, so that a test can
// assert that every login path runs the hasher exactly once (resistance to user enumeration by
// timing). HardenRuntime and Salt are forwarded (not counted); the wrapper keeps h's algorithm,
// salts and update rules. A malformed hash of h's algorithm counts as the one Verify call that
// refused it, where the unwrapped list would hash a random password instead: one run either way.
func CountingHasher(h hashers.Hasher) (hashers.Hasher, *atomic.Int64) {
	n := new(atomic.Int64)
	return &countingHasher{h: h, n: n}, n
}

func (c *countingHasher) Algorithm() string { return c.h.Algorithm() }

func (c *countingHasher) Encode(password, salt string) (string, error) {
	c.n.Add(1)
	return c.h.Encode(password, salt)
}

func (c *countingHasher) Verify(password, encoded string) bool {
	c.n.Add(1)
	return c.h.Verify(password, encoded)
}

func (c *countingHasher) MustUpdate(encoded string) bool { return c.h.MustUpdate(encoded) }

func (c *countingHasher) Salt() string {
	if s, ok := c.h.(hashers.Salter); ok {
		return s.Salt()
	}
	return rand.Text() // 26 characters of [A-Z2-7]: more than Django's 128 bits
}

func (c *countingHasher) HardenRuntime(password, encoded string) {
	if hr, ok := c.h.(hashers.RuntimeHardener); ok {
		hr.HardenRuntime(password, encoded)
	}
}

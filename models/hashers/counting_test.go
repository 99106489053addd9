package hashers

import "sync/atomic"

type countingHasher struct {
	h Hasher
	n *atomic.Int64
}

// counting wraps h and counts its runs — Encode and Verify calls, and the internal checks
// CheckPassword makes of well-formed hashes only — for this package's tests of exactly which
// hasher ran. Unlike hasherstest.CountingHasher it implements the unexported checker, so that a
// malformed hash counts as the preferred hasher's run that replaces it, not as a Verify. The
// tests of other packages use hasherstest.CountingHasher. HardenRuntime is forwarded, not counted.
func counting(h Hasher) (Hasher, *atomic.Int64) {
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

func (c *countingHasher) Salt() string { return saltFor(c.h) }

func (c *countingHasher) HardenRuntime(password, encoded string) {
	if hr, ok := c.h.(RuntimeHardener); ok {
		hr.HardenRuntime(password, encoded)
	}
}

func (c *countingHasher) check(password, encoded string) (ok, wellFormed bool) {
	if ch, isChecker := c.h.(checker); isChecker {
		ok, wellFormed = ch.check(password, encoded)
		if wellFormed {
			c.n.Add(1)
		}
		return ok, wellFormed
	}
	c.n.Add(1)
	return c.h.Verify(password, encoded), true
}

//go:build race

package hashers

// raceEnabled: the race detector slows the hash loops tenfold, so the tests recompute hashes
// at Django's default costs only without it.
const raceEnabled = true

//go:build race

package ginjwt_test

// raceEnabled: the race detector instruments allocations, so allocation counts are not compared.
const raceEnabled = true

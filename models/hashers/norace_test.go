//go:build !race

package hashers

// raceEnabled: see race_test.go.
const raceEnabled = false

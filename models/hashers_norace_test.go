//go:build !race

package models

// raceEnabled: see hashers_race_test.go.
const raceEnabled = false

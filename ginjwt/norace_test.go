//go:build !race

package ginjwt_test

const raceEnabled = false

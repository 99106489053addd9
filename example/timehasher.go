package main

import (
	"context"
	"fmt"
	"time"
)

// timeHasher is the timehasher command: it makes a hash of a password with the preferred
// password hasher (PASSWORD_HASHERS' first, at PBKDF2_ITERATIONS), then checks the password
// against it, one check after another for --seconds, and prints the time of a check by the
// clock and by the process's CPU (here at PBKDF2_ITERATIONS=260000, in a compare.sh run):
//
//	timehasher pbkdf2_sha256: 46.90 ms per check, 46.66 ms CPU (64 checks in 3.00s)
//
// A check is what a login's password costs (hashers.List.CheckPassword, as POST /api/token/
// runs it), so the figure is the floor of an obtain's cost on one core, measured with this
// binary's own code. It is the number to tune PBKDF2_ITERATIONS by (Django's advice: as high
// as the server tolerates), and the reference .ci/compare.sh divides an obtain's cost by.
// It touches no database.
func (a *app) timeHasher(ctx context.Context, args []string) error {
	fs := flags("timehasher")
	seconds := fs.Float64("seconds", 3, "how long to check, in seconds")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *seconds <= 0 {
		return usageErrorf("timehasher: --seconds must be positive, got %v", *seconds)
	}
	hs, err := a.passwordHashers()
	if err != nil {
		return err
	}
	const password = "timehasher-password-1"
	encoded, err := hs.MakePassword(password)
	if err != nil {
		return fmt.Errorf("timehasher: %w", err)
	}
	d := time.Duration(*seconds * float64(time.Second))
	n := 0
	cpu0 := processCPU()
	start := time.Now()
	for n == 0 || time.Since(start) < d {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ok, _, err := hs.CheckPassword(password, encoded); err != nil || !ok {
			return fmt.Errorf("timehasher: the password did not check against its own hash (%v)", err)
		}
		n++
	}
	elapsed := time.Since(start)
	cpu := "CPU unknown"
	if c := processCPU() - cpu0; c > 0 {
		cpu = fmt.Sprintf("%.2f ms CPU", ms(c)/float64(n))
	}
	fmt.Fprintf(a.stdout, "timehasher %s: %.2f ms per check, %s (%d checks in %.2fs)\n",
		hs.Preferred().Algorithm(), ms(elapsed)/float64(n), cpu, n, elapsed.Seconds())
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

package ginjwt_test

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU reports the process's CPU time (user + system, every thread: the database driver's
// too) per iteration as "cpu-ns/op": on a machine shared with other work, wall-clock ns/op
// measures the neighbours as much as the code. Call it right before the loop and the function
// it returns right after (defer reportCPU(b)()).
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

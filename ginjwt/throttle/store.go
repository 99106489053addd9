package throttle

import (
	"context"
	"time"
)

// Store keeps the request history of each key: DRF's cache of throttle histories. The
// limiter passes the time, so that every instance sharing a store counts on the clock it was
// configured with (Config.Now) and tests can move time without sleeping.
//
// A Store's methods are safe for concurrent use, and Take is atomic per key: two instances
// taking the last slot of a window at once get one yes and one no. Errors are reported as
// they are; the limiter wraps them in ErrUnavailable and applies Config.FailOpen.
type Store interface {
	// Take first drops from key's history the requests at or before now-rate.Period (as
	// DRF's allow_request does), then records a request at now, unless the history already
	// holds rate.Num requests or more. It reports what it found either way.
	Take(ctx context.Context, key string, rate Rate, now time.Time) (Usage, error)
	// Release removes the one request that Take recorded with ticket from key's history
	// (a login attempt that turned out not to be a failure). Releasing an unknown ticket
	// does nothing.
	Release(ctx context.Context, key string, ticket uint64) error
	// Reset forgets key's history.
	Reset(ctx context.Context, key string) error
}

// Usage is what Take found in a key's window.
type Usage struct {
	// Allowed reports whether the request was recorded.
	Allowed bool
	// Ticket names the recorded request for Release; unique within the Store value.
	Ticket uint64
	// Count is the number of requests in the window before this one.
	Count int
	// Oldest is the time of the oldest request in the window; zero when Count is 0.
	Oldest time.Time
}

// wait is DRF's SimpleRateThrottle.wait() for a refused request: the time left until the
// oldest request leaves the window, shared among the requests still available
// (rate.Num - Count + 1, which is 1 when the window is exactly full). It returns 0 (DRF's
// None) when the window holds more requests than the rate allows.
func wait(u Usage, rate Rate, now time.Time) time.Duration {
	remaining := rate.Period
	if u.Count > 0 {
		remaining = rate.Period - now.Sub(u.Oldest)
	}
	available := rate.Num - u.Count + 1
	if available <= 0 {
		return 0
	}
	return remaining / time.Duration(available)
}

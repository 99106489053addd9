package throttle

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// ErrUnavailable wraps every error of a Store: the counters could not be read or written
// (Redis down, stalled past its timeout, or the memory store full). Depending on
// Config.FailOpen the request then goes on uncounted, or is refused with a *Throttled whose
// Unwrap chain holds this error. Match it with errors.Is.
var ErrUnavailable = errors.New("throttle: counter store unavailable")

// Throttled is DRF's exceptions.Throttled: the request was refused by a throttle. It renders
// as 429 {"detail":"Request was throttled. Expected available in 59 seconds."} with
// Retry-After: 59 (see WriteThrottled).
type Throttled struct {
	// Wait is DRF's throttle.wait() before rounding: for the sliding window, the time until
	// the oldest request of the window leaves it. 0 is DRF's None (the detail then says
	// only "Request was throttled." and there is no Retry-After): the request was refused
	// because the store failed and the limiter fails closed, or the window holds more
	// requests than the rate allows (the rate was lowered).
	Wait time.Duration
	// Err is the store error that made a fail-closed limiter refuse the request; it wraps
	// ErrUnavailable. Nil for a request refused by the count.
	Err error
}

// throttledDetail is DRF's Throttled.default_detail; the extra_detail forms, singular and
// plural, are written by Detail.
const throttledDetail = "Request was throttled."

// Seconds is the wait as DRF sends it: math.ceil(wait), 0 when the wait is unknown.
func (e *Throttled) Seconds() int {
	if e.Wait <= 0 {
		return 0
	}
	return int((e.Wait + time.Second - 1) / time.Second)
}

// Detail is the client-facing text: "Request was throttled. Expected available in 1 second."
// (singular for exactly one second, as DRF's ngettext), "… in 59 seconds.", or
// "Request was throttled." alone when the wait is unknown.
func (e *Throttled) Detail() string {
	if e.Wait <= 0 {
		return throttledDetail
	}
	n := e.Seconds()
	if n == 1 {
		return throttledDetail + " Expected available in 1 second."
	}
	return throttledDetail + " Expected available in " + strconv.Itoa(n) + " seconds."
}

// RetryAfter is the Retry-After header DRF's exception handler sends ('%d' % wait), "" when
// the wait is unknown (DRF then sends none).
func (e *Throttled) RetryAfter() string {
	if n := e.Seconds(); n > 0 {
		return strconv.Itoa(n)
	}
	return ""
}

// Error returns the detail, and the store's error when there is one (for logs only: the
// store's error is never sent to the client).
func (e *Throttled) Error() string {
	if e.Err != nil {
		return e.Detail() + " (" + e.Err.Error() + ")"
	}
	return e.Detail()
}

// Unwrap returns the store error, if any.
func (e *Throttled) Unwrap() error { return e.Err }

// AppendJSON appends the 429 body, {"detail":"…"}, as DRF's JSONRenderer writes it. The
// detail is plain ASCII without quotes or backslashes, so it needs no escaping.
func (e *Throttled) AppendJSON(b []byte) []byte {
	b = append(b, `{"detail":"`...)
	b = append(b, e.Detail()...)
	return append(b, `"}`...)
}

// WriteThrottled is the default Config.ErrorHandler: it answers DRF's 429 with
// Content-Type application/json, Vary: Accept, Retry-After when the wait is known, and the
// body of AppendJSON, then aborts the chain. A response already started is left alone.
func WriteThrottled(c *gin.Context, err *Throttled) {
	c.Abort()
	if c.Writer.Written() {
		return
	}
	body := err.AppendJSON(make([]byte, 0, 80))
	h := c.Writer.Header()
	h.Set("Content-Type", "application/json")
	h.Add("Vary", "Accept")
	if ra := err.RetryAfter(); ra != "" {
		h.Set("Retry-After", ra)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusTooManyRequests)
	c.Writer.WriteHeaderNow()
	if c.Request.Method != http.MethodHead {
		_, _ = c.Writer.Write(body)
	}
}

package throttle

import (
	"fmt"
	"net/netip"

	"github.com/gin-gonic/gin"
)

// Throttle is one of DRF's throttle classes, named for Limiter.Middleware: Anon, User or
// Scoped.
type Throttle struct {
	scope string
	kind  throttleKind
}

type throttleKind uint8

const (
	kindAnon throttleKind = iota + 1
	kindUser
	kindScoped
)

// Anon is DRF's AnonRateThrottle: anonymous requests are counted by client IP under the
// "anon" rate; authenticated requests (Config.UserID) are not throttled by it.
func Anon() Throttle { return Throttle{scope: ScopeAnon, kind: kindAnon} }

// User is DRF's UserRateThrottle: requests are counted by user id under the "user" rate,
// anonymous ones by client IP.
func User() Throttle { return Throttle{scope: ScopeUser, kind: kindUser} }

// Scoped is DRF's ScopedRateThrottle for a view whose throttle_scope is scope: requests are
// counted by user id, or client IP when anonymous, under the rate of scope. The token obtain
// endpoints use Scoped(ScopeTokenObtain).
func Scoped(scope string) Throttle { return Throttle{scope: scope, kind: kindScoped} }

// Scope returns the throttle's scope, the key of its rate in Config.Rates.
func (t Throttle) Scope() string { return t.scope }

type boundThrottle struct {
	Throttle
	rate Rate
}

// Middleware returns a gin middleware that applies throttles as DRF's APIView.check_throttles:
// every throttle counts the request (those that refuse it do not record it), and when any
// refuses, the request is answered by Config.ErrorHandler with the longest known wait: 429
// {"detail":"Request was throttled. Expected available in 59 seconds."} and Retry-After: 59.
//
// Put it after the authentication middleware, so that Config.UserID sees the user. A
// throttle whose scope is switched off ("None") is skipped. A throttle whose scope has no
// rate in Config.Rates is a configuration error, and Middleware panics when building the
// routes (DRF raises ImproperlyConfigured); Limiter.Rate tells beforehand.
func (l *Limiter) Middleware(throttles ...Throttle) gin.HandlerFunc {
	bound := make([]boundThrottle, 0, len(throttles))
	for _, t := range throttles {
		if t.kind == 0 || t.scope == "" {
			panic("throttle: Middleware: use Anon(), User() or Scoped(scope)")
		}
		r, ok := l.rates[t.scope]
		if !ok {
			panic(fmt.Sprintf("throttle: Middleware: no rate for scope %q in Config.Rates", t.scope))
		}
		if !r.IsZero() {
			bound = append(bound, boundThrottle{Throttle: t, rate: r})
		}
	}
	return func(c *gin.Context) {
		if err := l.check(c, bound); err != nil {
			l.errorHandler(c, err)
			c.Abort()
			return
		}
		c.Next()
	}
}

// check runs the throttles for one request.
func (l *Limiter) check(c *gin.Context, throttles []boundThrottle) *Throttled {
	if len(throttles) == 0 {
		return nil
	}
	ctx := c.Request.Context()
	now := l.now()
	var uid string
	var authenticated bool
	if l.userID != nil {
		uid, authenticated = l.userID(c)
	}
	var ip netip.Addr
	var ipOK, ipKnown bool
	var refused *Throttled
	for _, t := range throttles {
		var key string
		switch {
		case authenticated && t.kind == kindAnon:
			continue
		case authenticated:
			key = l.key(t.scope, identUser, uid)
		default:
			if !ipKnown {
				ip, ipOK = l.ips.clientIP(c.Request)
				ipKnown = true
			}
			key = l.addrKey(t.scope, ip, ipOK)
		}
		_, denied := l.take(ctx, t.scope, t.rate, key, now)
		refused = merge(refused, denied)
	}
	return refused
}

// Check applies throttles to the request as Middleware does, and returns the refusal (a
// *Throttled) instead of answering it: for a handler that renders its own errors, as the
// token obtain views do with Scoped(ScopeTokenObtain). A throttle whose scope has no rate in
// Config.Rates, or is switched off, is skipped. It returns nil when the request may go on.
func (l *Limiter) Check(c *gin.Context, throttles ...Throttle) error {
	var buf [4]boundThrottle
	bound := buf[:0]
	for _, t := range throttles {
		if r, ok := l.rates[t.scope]; ok && t.kind != 0 && !r.IsZero() {
			bound = append(bound, boundThrottle{Throttle: t, rate: r})
		}
	}
	if err := l.check(c, bound); err != nil {
		return err
	}
	return nil
}

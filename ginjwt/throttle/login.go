package throttle

import (
	"context"
	"net/http"
	"sync/atomic"
)

// Outcome is how a login attempt ended, for LoginAttempt.Finish.
type Outcome uint8

const (
	// LoginFailed: the credentials were refused (unknown user, wrong password, inactive
	// account): the attempt stays counted against the username and the address.
	LoginFailed Outcome = iota + 1
	// LoginSucceeded: the username's failures are forgotten (the owner proved the
	// password); the address keeps its failures, for this and every other username, and only
	// this attempt is taken back from it.
	LoginSucceeded
	// LoginAbandoned: the credentials were never judged (a malformed body, the database
	// unavailable): the attempt is taken back from both counts.
	LoginAbandoned
)

// LoginAttempt is one login being judged, from BeginLogin to Finish. Until it is finished it
// counts as a failure, so that concurrent guesses cannot all pass the check before any is
// recorded: a caller that never calls Finish leaves a failure behind.
type LoginAttempt struct {
	l            *Limiter
	userKey      string
	ipKey        string
	userTicket   uint64 // 0 when not recorded (scope off, or store failed open)
	ipTicket     uint64
	userRecorded bool
	ipRecorded   bool
	done         atomic.Bool
}

// BeginLogin is the brute-force check of the token obtain view, called with the submitted
// username before the user is looked up or any password hashed. It counts the attempt in two
// sliding windows, failed logins per username (ScopeLoginUsername) and per client address
// (ScopeLoginIP), so that a botnet cannot spray one account and one address cannot spray
// many. When either window is full it returns a *Throttled (429, DRF's body and Retry-After,
// the longer wait of the two) and records nothing: the answer and its timing depend only on
// the counts, never on whether the username exists, so the caller must not look the user up
// before it.
//
// The username is normalised with Config.NormalizeUsername and only its keyed hash reaches
// the store. The address is the client IP of Config.TrustedProxies' rules. A store failure is
// logged and follows Config.FailOpen.
//
// Call Finish on the returned attempt once the credentials are judged.
func (l *Limiter) BeginLogin(r *http.Request, username string) (*LoginAttempt, error) {
	ctx := r.Context()
	now := l.now()
	a := &LoginAttempt{l: l}
	var refused *Throttled
	if rate := l.rates[ScopeLoginUsername]; !rate.IsZero() {
		a.userKey = l.key(ScopeLoginUsername, identUsername, l.normalize(username))
		u, denied := l.take(ctx, ScopeLoginUsername, rate, a.userKey, now)
		a.userTicket, a.userRecorded = u.Ticket, u.Allowed
		refused = merge(refused, denied)
	}
	if rate := l.rates[ScopeLoginIP]; !rate.IsZero() {
		ip, ok := l.ips.clientIP(r)
		a.ipKey = l.addrKey(ScopeLoginIP, ip, ok)
		u, denied := l.take(ctx, ScopeLoginIP, rate, a.ipKey, now)
		a.ipTicket, a.ipRecorded = u.Ticket, u.Allowed
		refused = merge(refused, denied)
	}
	if refused != nil {
		a.release(ctx, true, true)
		a.done.Store(true)
		return nil, refused
	}
	return a, nil
}

// Finish records how the attempt ended (see Outcome). Only the first call counts; store
// failures are logged, never returned, since the login's answer no longer depends on them.
func (a *LoginAttempt) Finish(ctx context.Context, o Outcome) {
	if a == nil || !a.done.CompareAndSwap(false, true) {
		return
	}
	switch o {
	case LoginSucceeded:
		if a.userKey != "" {
			if err := a.l.store.Reset(ctx, a.userKey); err != nil {
				a.l.logStoreError(ctx, "reset", ScopeLoginUsername, err)
			}
		}
		a.release(ctx, false, true)
	case LoginAbandoned:
		a.release(ctx, true, true)
	}
}

// release takes the attempt back from the username and/or the address window.
func (a *LoginAttempt) release(ctx context.Context, user, ip bool) {
	if user && a.userRecorded {
		if err := a.l.store.Release(ctx, a.userKey, a.userTicket); err != nil {
			a.l.logStoreError(ctx, "release", ScopeLoginUsername, err)
		}
	}
	if ip && a.ipRecorded {
		if err := a.l.store.Release(ctx, a.ipKey, a.ipTicket); err != nil {
			a.l.logStoreError(ctx, "release", ScopeLoginIP, err)
		}
	}
}

// Package revocation keeps the live revocations of the sessions feature in memory, so that
// Auth() and AuthStateless() refuse the access tokens of an ended session, or of a user logged
// out everywhere, without a database query per request.
//
// A revocation refuses either every token of one session (its sid claim) or every token of one
// user issued before a "not before" time (its iat). Each one is kept until the last token it
// could refuse has expired (its ExpiresAt), then dropped: the set never grows beyond the
// revocations of the last token lifetime. Lookups read an immutable snapshot through one atomic
// load, take no lock and allocate nothing; changes copy the snapshot (they are rare: a logout,
// a password change).
//
// A Set learns of revocations made by other processes from the database: see Follower.
package revocation

import (
	"sync"
	"sync/atomic"
	"time"
)

// Kind says what a revocation refuses.
type Kind uint8

const (
	// Session refuses every token whose sid claim is Key.
	Session Kind = iota + 1
	// User refuses every token whose user id claim is Key and whose iat is before NotBefore.
	User
)

// Entry is one revocation.
type Entry struct {
	Kind      Kind
	Key       string
	NotBefore time.Time // User only
	ExpiresAt time.Time
}

// Set is the in-memory set of live revocations. Its zero value is not usable; see New.
type Set struct {
	now  func() time.Time
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[snapshot]
}

type snapshot struct {
	sessions map[string]int64 // sid → expires (Unix ns)
	users    map[string]user
}

type user struct {
	notBefore int64 // Unix seconds: tokens with iat < notBefore are refused (<= without a sid)
	expires   int64 // Unix ns
}

// New returns an empty set on the clock now (time.Now when nil).
func New(now func() time.Time) *Set {
	if now == nil {
		now = time.Now
	}
	s := &Set{now: now}
	s.snap.Store(&snapshot{})
	return s
}

// Add adds entries (an entry already present keeps the later expiry and, for a user, the later
// not-before) and drops the expired ones. Expired entries are not added.
func (s *Set) Add(entries ...Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UnixNano()
	old := s.snap.Load()
	next := old.prunedCopy(now, len(entries))
	for _, e := range entries {
		exp := e.ExpiresAt.UnixNano()
		if exp <= now || e.Key == "" {
			continue
		}
		switch e.Kind {
		case Session:
			if exp > next.sessions[e.Key] {
				next.sessions[e.Key] = exp
			}
		case User:
			u := next.users[e.Key]
			u.notBefore = max(u.notBefore, notBeforeSecs(e.NotBefore))
			u.expires = max(u.expires, exp)
			next.users[e.Key] = u
		}
	}
	s.snap.Store(next)
}

// notBeforeSecs is the second (whole seconds, as simplejwt writes iat) of a user revocation:
// tokens of a session issued in that second are accepted, so that a login right after "log out
// everywhere" works (the sessions ended at that moment are refused by their own session
// revocations, whatever their iat); tokens without a session issued in it are refused (see
// Revoked).
func notBeforeSecs(t time.Time) int64 { return t.Unix() }

// Prune drops the entries whose tokens have all expired and reports how many remain.
func (s *Set) Prune() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UnixNano()
	old := s.snap.Load()
	if !old.hasExpired(now) {
		return old.len()
	}
	next := old.prunedCopy(now, 0)
	s.snap.Store(next)
	return next.len()
}

// Len returns the number of entries, expired ones not yet pruned included.
func (s *Set) Len() int { return s.snap.Load().len() }

// Revoked reports whether a token with session id sid ("" for none), user id claim userID and
// iat issuedAt (Unix seconds; hasIAT false when the token has none) is revoked. It takes no
// lock and allocates nothing.
func (s *Set) Revoked(sid, userID string, issuedAt int64, hasIAT bool) bool {
	p := s.snap.Load()
	if len(p.sessions) == 0 && len(p.users) == 0 {
		return false
	}
	if sid != "" {
		if _, ok := p.sessions[sid]; ok {
			return true
		}
	}
	if u, ok := p.users[userID]; ok && userID != "" {
		// A token without iat cannot prove it was issued after the revocation. iat counts whole
		// seconds, so a token of the revocation's own second may come from before it: with a
		// session it is judged by its session's entry (every session live at the revocation has
		// one, and a login after it has a new sid), so a login right after "log out everywhere"
		// works; without one (a Django peer's token, a sliding token) it is refused, as the
		// safe side of a second nobody can split.
		if sid == "" {
			return !hasIAT || issuedAt <= u.notBefore
		}
		return !hasIAT || issuedAt < u.notBefore
	}
	return false
}

func (p *snapshot) len() int { return len(p.sessions) + len(p.users) }

func (p *snapshot) hasExpired(now int64) bool {
	for _, exp := range p.sessions {
		if exp <= now {
			return true
		}
	}
	for _, u := range p.users {
		if u.expires <= now {
			return true
		}
	}
	return false
}

// prunedCopy copies the live entries, with room for extra more.
func (p *snapshot) prunedCopy(now int64, extra int) *snapshot {
	n := &snapshot{sessions: make(map[string]int64, len(p.sessions)+extra), users: make(map[string]user, len(p.users))}
	for k, exp := range p.sessions {
		if exp > now {
			n.sessions[k] = exp
		}
	}
	for k, u := range p.users {
		if u.expires > now {
			n.users[k] = u
		}
	}
	return n
}

package modelstest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
)

// Tokens is a models.TokenStore in memory with GormTokenStore's semantics: Outstand is
// get-or-create on jti, Blacklist creates the outstanding record when missing and reports
// created == true for exactly one of any number of concurrent calls, and so does Rotate. Users
// are kept as the user_id claim text (there is no user table to resolve them against). It fails
// on demand (FailWith) and is safe for concurrent use.
type Tokens struct {
	fail        failSwitch
	mu          sync.RWMutex
	outstanding map[string]*Token
	now         func() time.Time
}

// Token is a Tokens record: an OutstandingToken with its blacklist time.
type Token struct {
	JTI           string
	UserID        string // the user_id claim; "" for none
	Token         string
	CreatedAt     time.Time // zero: NULL
	ExpiresAt     time.Time
	BlacklistedAt time.Time // zero: not blacklisted
}

// NewTokens returns an empty store whose blacklist times come from now (time.Now when nil).
func NewTokens(now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	return &Tokens{outstanding: map[string]*Token{}, now: now}
}

// FailWith makes the methods named in ops (all of them when none is named) return err until
// FailWith(nil) is called: "Outstand", "Blacklist", "Rotate", "IsBlacklisted",
// "BlacklistAllForUser", "FlushExpired".
func (s *Tokens) FailWith(err error, ops ...string) { s.fail.set(err, ops) }

func recordToken(t models.TokenRecord) *Token {
	return &Token{
		JTI: t.JTI, UserID: t.UserID, Token: t.Token,
		CreatedAt: t.CreatedAt.UTC().Truncate(time.Microsecond),
		ExpiresAt: t.ExpiresAt.UTC().Truncate(time.Microsecond),
	}
}

func (s *Tokens) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Outstand records t unless its jti is known.
func (s *Tokens) Outstand(_ context.Context, t models.TokenRecord) error {
	if err := s.fail.check("Outstand"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outstanding[t.JTI] == nil {
		s.outstanding[t.JTI] = recordToken(t)
	}
	return nil
}

// Blacklist blacklists t.JTI, recording t first when it is unknown.
func (s *Tokens) Blacklist(_ context.Context, t models.TokenRecord) (bool, error) {
	if err := s.fail.check("Blacklist"); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.outstanding[t.JTI]
	if rec == nil {
		rec = recordToken(t)
		s.outstanding[t.JTI] = rec
	}
	if !rec.BlacklistedAt.IsZero() {
		return false, nil
	}
	rec.BlacklistedAt = s.stamp()
	return true, nil
}

// Rotate blacklists old (recording it first when it is unknown) and records next, under one
// lock: rotated is false, and nothing changes, when old is already blacklisted.
func (s *Tokens) Rotate(_ context.Context, old, next models.TokenRecord) (bool, error) {
	if err := s.fail.check("Rotate"); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.outstanding[old.JTI]
	if rec != nil && !rec.BlacklistedAt.IsZero() {
		return false, nil
	}
	if rec == nil {
		rec = recordToken(old)
		s.outstanding[old.JTI] = rec
	}
	rec.BlacklistedAt = s.stamp()
	if s.outstanding[next.JTI] == nil {
		s.outstanding[next.JTI] = recordToken(next)
	}
	return true, nil
}

// IsBlacklisted reports whether jti is blacklisted.
func (s *Tokens) IsBlacklisted(_ context.Context, jti string) (bool, error) {
	if err := s.fail.check("IsBlacklisted"); err != nil {
		return false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec := s.outstanding[jti]
	return rec != nil && !rec.BlacklistedAt.IsZero(), nil
}

// Get returns a copy of the record of jti.
func (s *Tokens) Get(jti string) (Token, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec := s.outstanding[jti]
	if rec == nil {
		return Token{}, false
	}
	return *rec, true
}

// Counts returns the number of outstanding records and how many of them are blacklisted.
func (s *Tokens) Counts() (outstanding, blacklisted int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, rec := range s.outstanding {
		if !rec.BlacklistedAt.IsZero() {
			blacklisted++
		}
	}
	return len(s.outstanding), blacklisted
}

// BlacklistAllForUser blacklists every record whose UserID is userID and returns how many it
// newly blacklisted.
func (s *Tokens) BlacklistAllForUser(_ context.Context, userID string) (int64, error) {
	if err := s.fail.check("BlacklistAllForUser"); err != nil {
		return 0, err
	}
	if userID == "" {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.stamp()
	var n int64
	for _, rec := range s.outstanding {
		if rec.UserID == userID && rec.BlacklistedAt.IsZero() {
			rec.BlacklistedAt = now
			n++
		}
	}
	return n, nil
}

// FlushExpired removes the records with ExpiresAt <= now - leeway (see
// models.FlushExpiredTokens) and returns how many.
func (s *Tokens) FlushExpired(_ context.Context, now time.Time, leeway time.Duration) (int64, error) {
	if err := s.fail.check("FlushExpired"); err != nil {
		return 0, err
	}
	if leeway < 0 {
		return 0, fmt.Errorf("%w: %s", models.ErrNegativeLeeway, leeway)
	}
	cutoff := now.Add(-leeway)
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for jti, rec := range s.outstanding {
		if !rec.ExpiresAt.After(cutoff) {
			delete(s.outstanding, jti)
			n++
		}
	}
	return n, nil
}

var (
	_ models.TokenStore          = (*Tokens)(nil)
	_ models.ExpiredTokenFlusher = (*Tokens)(nil)
)

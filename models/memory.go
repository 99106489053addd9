package models

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// MemoryUserStoreOptions configures NewMemoryUserStore.
type MemoryUserStoreOptions struct {
	// Hashers is Django's PASSWORD_HASHERS. Default hashers.Default().
	Hashers *hashers.List
	// AllowInactive is Django's AllowAllUsersModelBackend (see UserStoreOptions).
	AllowInactive bool
	// MaxUsernameLength is the longest username, in characters, looked up at all. Default 150.
	MaxUsernameLength int
}

// MemoryUserStore is a UserStore of *User values kept in memory: for tests, examples and
// services whose users live elsewhere. It follows GormUserStore's rules exactly (canonical
// integer ids, exact username match, one hasher run on every failure, re-hash on login,
// inactive users refused after the password check). It is safe for concurrent use; it stores
// and returns copies, so a caller's changes to a returned user do not leak into the store.
type MemoryUserStore struct {
	hashers       *hashers.List
	allowInactive bool
	maxUsername   int

	mu         sync.RWMutex
	byID       map[int64]*User
	byUsername map[string]int64
	nextID     int64
}

// NewMemoryUserStore returns an empty store.
func NewMemoryUserStore(opts MemoryUserStoreOptions) *MemoryUserStore {
	s := &MemoryUserStore{
		hashers:       opts.Hashers,
		allowInactive: opts.AllowInactive,
		maxUsername:   opts.MaxUsernameLength,
		byID:          map[int64]*User{},
		byUsername:    map[string]int64{},
	}
	if s.hashers == nil {
		s.hashers = defaultHashers()
	}
	if s.maxUsername <= 0 {
		s.maxUsername = 150
	}
	return s
}

// Hashers returns the store's hashers.
func (s *MemoryUserStore) Hashers() *hashers.List { return s.hashers }

// Create adds a copy of u. A zero ID is assigned the next free one (and written back to u); a
// taken username or ID is ErrUserExists. A zero DateJoined becomes now, an empty password an
// unusable one, as GORM's BeforeCreate hook does for the database stores.
func (s *MemoryUserStore) Create(_ context.Context, u *User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byUsername[u.Username]; taken {
		return ErrUserExists
	}
	if u.ID == 0 {
		s.nextID++
		for s.byID[s.nextID] != nil {
			s.nextID++
		}
		u.ID = s.nextID
	} else if s.byID[u.ID] != nil {
		return ErrUserExists
	}
	_ = u.BeforeCreate(nil)
	c := copyUser(u)
	s.byID[c.ID] = c
	s.byUsername[c.Username] = c.ID
	return nil
}

// Delete removes the user with the given id; it reports whether there was one.
func (s *MemoryUserStore) Delete(_ context.Context, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byID[id]
	if u == nil {
		return false
	}
	delete(s.byID, id)
	delete(s.byUsername, u.Username)
	return true
}

// Save replaces the stored user with u's ID by a copy of u (username changes included); an
// unknown ID is ErrUserNotFound, a username taken by another user ErrUserExists.
func (s *MemoryUserStore) Save(_ context.Context, u *User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.byID[u.ID]
	if old == nil {
		return ErrUserNotFound
	}
	if id, taken := s.byUsername[u.Username]; taken && id != u.ID {
		return ErrUserExists
	}
	delete(s.byUsername, old.Username)
	c := copyUser(u)
	s.byID[c.ID] = c
	s.byUsername[c.Username] = c.ID
	return nil
}

func copyUser(u *User) *User {
	c := *u
	if u.LastLogin != nil {
		t := *u.LastLogin
		c.LastLogin = &t
	}
	return &c
}

// GetByID returns a copy of the user whose ID is the canonical decimal text id.
func (s *MemoryUserStore) GetByID(_ context.Context, id string) (AuthUser, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != id {
		return nil, ErrUserNotFound
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.byID[n]
	if u == nil {
		return nil, ErrUserNotFound
	}
	return copyUser(u), nil
}

// Authenticate is GormUserStore.Authenticate on the map.
func (s *MemoryUserStore) Authenticate(_ context.Context, username, password string) (AuthUser, error) {
	var u *User
	if validText(username, s.maxUsername) {
		s.mu.RLock()
		if id, ok := s.byUsername[username]; ok {
			u = copyUser(s.byID[id])
		}
		s.mu.RUnlock()
	}
	if u == nil {
		_, _, _ = s.hashers.CheckPassword(password, "")
		return nil, ErrInvalidCredentials
	}
	ok, mustUpdate, err := s.hashers.CheckPassword(password, u.Password)
	if err != nil || !ok {
		if err != nil {
			return nil, errorsJoinInvalid(err)
		}
		return nil, ErrInvalidCredentials
	}
	if mustUpdate {
		if err := s.rehash(u, password); err != nil {
			return nil, err
		}
	}
	if !u.IsActive && !s.allowInactive {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// rehash is GormUserStore's re-hash on the map: the new hash is stored only if the record still
// holds the one that was checked (u's); otherwise the password is checked against the stored
// hash, which u takes when it verifies (a concurrent login's re-hash of the same password).
func (s *MemoryUserStore) rehash(u *User, password string) error {
	encoded, err := s.hashers.MakePassword(password)
	if err != nil {
		return errorsJoinInvalid(err)
	}
	s.mu.Lock()
	cur := s.byID[u.ID]
	won := cur != nil && cur.Password == u.Password
	stored := ""
	if won {
		cur.Password = encoded
	} else if cur != nil {
		stored = cur.Password
	}
	s.mu.Unlock()
	switch {
	case won:
		u.Password = encoded
		return nil
	case cur == nil:
		return ErrInvalidCredentials
	}
	if ok, _, err := s.hashers.CheckPassword(password, stored); err != nil || !ok {
		return ErrInvalidCredentials
	}
	u.Password = stored
	return nil
}

// GetByUsername returns a copy of the user whose username is exactly username.
func (s *MemoryUserStore) GetByUsername(_ context.Context, username string) (AuthUser, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byUsername[username]
	if !ok {
		return nil, ErrUserNotFound
	}
	return copyUser(s.byID[id]), nil
}

// SetPassword hashes raw with the preferred hasher and stores it as u's password (and u's).
func (s *MemoryUserStore) SetPassword(_ context.Context, u *User, raw string) error {
	encoded, err := s.hashers.MakePassword(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[u.ID]
	if cur == nil {
		return ErrUserNotFound
	}
	cur.Password = encoded
	u.Password = encoded
	return nil
}

// UserID returns the decimal ID of a *User, or a TokenUser's ID.
func (s *MemoryUserStore) UserID(u AuthUser) string {
	switch x := u.(type) {
	case *User:
		if x == nil {
			return ""
		}
		return x.pkText()
	case TokenUser:
		return x.ID
	case *TokenUser:
		if x == nil {
			return ""
		}
		return x.ID
	}
	return ""
}

// UpdateLastLogin sets the stored user's LastLogin to at, only forward in time, and u's too.
func (s *MemoryUserStore) UpdateLastLogin(_ context.Context, u AuthUser, at time.Time) error {
	x, ok := u.(*User)
	if !ok || x == nil {
		return ErrUserNotFound
	}
	when := NewDjangoTime(at)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[x.ID]
	if cur == nil {
		return ErrUserNotFound
	}
	if cur.LastLogin == nil || cur.LastLogin.Before(when.Time) {
		t := when
		cur.LastLogin = &t
		t2 := when
		x.LastLogin = &t2
	}
	return nil
}

// ResolveUserPK returns the int64 ID for a MemoryTokenStore or a GormTokenStore.
func (s *MemoryUserStore) ResolveUserPK(_ context.Context, userID string) (any, bool, error) {
	n, err := strconv.ParseInt(userID, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != userID {
		return nil, false, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.byID[n] == nil {
		return nil, false, nil
	}
	return n, true, nil
}

func errorsJoinInvalid(err error) error {
	return fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
}

// ----------------------------------------------------------------------------------------------

// MemoryTokenStore is a TokenStore in memory with GormTokenStore's semantics: Outstand is
// get-or-create on jti, Blacklist creates the outstanding record when missing and reports
// created == true for exactly one of any number of concurrent calls, and so does Rotate. Users are kept as the
// user_id claim text (there is no user table to resolve them against). Safe for concurrent use.
type MemoryTokenStore struct {
	mu          sync.RWMutex
	outstanding map[string]*MemoryToken
	now         func() time.Time
}

// MemoryToken is a MemoryTokenStore record: an OutstandingToken with its blacklist time.
type MemoryToken struct {
	JTI           string
	UserID        string // the user_id claim; "" for none
	Token         string
	CreatedAt     time.Time // zero: NULL
	ExpiresAt     time.Time
	BlacklistedAt time.Time // zero: not blacklisted
}

// NewMemoryTokenStore returns an empty store.
func NewMemoryTokenStore() *MemoryTokenStore {
	return &MemoryTokenStore{outstanding: map[string]*MemoryToken{}, now: time.Now}
}

func recordToken(t TokenRecord) *MemoryToken {
	return &MemoryToken{
		JTI: t.JTI, UserID: t.UserID, Token: t.Token,
		CreatedAt: t.CreatedAt.UTC().Truncate(time.Microsecond),
		ExpiresAt: t.ExpiresAt.UTC().Truncate(time.Microsecond),
	}
}

// Outstand records t unless its jti is known.
func (s *MemoryTokenStore) Outstand(_ context.Context, t TokenRecord) error {
	if !validJTI(t.JTI) {
		return ErrInvalidJTI
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outstanding[t.JTI] == nil {
		s.outstanding[t.JTI] = recordToken(t)
	}
	return nil
}

// Blacklist blacklists t.JTI, recording t first when it is unknown.
func (s *MemoryTokenStore) Blacklist(_ context.Context, t TokenRecord) (bool, error) {
	if !validJTI(t.JTI) {
		return false, ErrInvalidJTI
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
	rec.BlacklistedAt = s.now().UTC().Truncate(time.Microsecond)
	return true, nil
}

// Rotate blacklists old (recording it first when it is unknown) and records next, under one
// lock: rotated is false, and nothing changes, when old is already blacklisted.
func (s *MemoryTokenStore) Rotate(_ context.Context, old, next TokenRecord) (bool, error) {
	if !validJTI(old.JTI) || !validJTI(next.JTI) {
		return false, ErrInvalidJTI
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
	rec.BlacklistedAt = s.now().UTC().Truncate(time.Microsecond)
	if s.outstanding[next.JTI] == nil {
		s.outstanding[next.JTI] = recordToken(next)
	}
	return true, nil
}

// IsBlacklisted reports whether jti is blacklisted.
func (s *MemoryTokenStore) IsBlacklisted(_ context.Context, jti string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec := s.outstanding[jti]
	return rec != nil && !rec.BlacklistedAt.IsZero(), nil
}

// Get returns a copy of the record of jti.
func (s *MemoryTokenStore) Get(jti string) (MemoryToken, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec := s.outstanding[jti]
	if rec == nil {
		return MemoryToken{}, false
	}
	return *rec, true
}

// Len returns the number of outstanding records.
func (s *MemoryTokenStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.outstanding)
}

// BlacklistAllForUser blacklists every record whose UserID is userID and returns how many it
// newly blacklisted.
func (s *MemoryTokenStore) BlacklistAllForUser(_ context.Context, userID string) (int64, error) {
	if userID == "" {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Truncate(time.Microsecond)
	var n int64
	for _, rec := range s.outstanding {
		if rec.UserID == userID && rec.BlacklistedAt.IsZero() {
			rec.BlacklistedAt = now
			n++
		}
	}
	return n, nil
}

// FlushExpired removes the records with ExpiresAt <= now - leeway (see FlushExpiredTokens) and
// returns how many.
func (s *MemoryTokenStore) FlushExpired(_ context.Context, now time.Time, leeway time.Duration) (int64, error) {
	if leeway < 0 {
		return 0, fmt.Errorf("%w: %s", ErrNegativeLeeway, leeway)
	}
	cutoff := flushCutoff(now, leeway)
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
	_ UserStore           = (*MemoryUserStore)(nil)
	_ UserPKResolver      = (*MemoryUserStore)(nil)
	_ TokenStore          = (*MemoryTokenStore)(nil)
	_ ExpiredTokenFlusher = (*MemoryTokenStore)(nil)
)

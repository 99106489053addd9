package modelstest

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// UsersOptions configures NewUsers.
type UsersOptions struct {
	// Hashers is Django's PASSWORD_HASHERS. Default: PBKDF2-SHA256 at 1,000 iterations, cheap
	// enough for tests.
	Hashers *hashers.List
	// AllowInactive is Django's AllowAllUsersModelBackend (see models.UserStoreOptions).
	AllowInactive bool
	// MaxUsernameLength is the longest username, in characters, looked up at all. Default 150.
	MaxUsernameLength int
}

// Users is a models.UserStore of *models.User values kept in memory. It follows GormUserStore's
// rules exactly (canonical integer ids, exact username match, models.ModelBackend for logins),
// counts its lookups and last-login writes, and fails on demand (FailWith). It is safe for
// concurrent use; it stores and returns copies, so a caller's changes to a returned user do not
// leak into the store.
type Users struct {
	hashers *hashers.List
	backend models.ModelBackend
	fail    failSwitch

	lookups    atomic.Int64
	lastLogins atomic.Int64

	mu         sync.RWMutex
	byID       map[int64]*models.User
	byUsername map[string]int64
	nextID     int64
	lastLogin  time.Time // the at of the latest UpdateLastLogin
}

// NewUsers returns an empty store.
func NewUsers(opts UsersOptions) *Users {
	s := &Users{hashers: opts.Hashers, byID: map[int64]*models.User{}, byUsername: map[string]int64{}}
	if s.hashers == nil {
		s.hashers = hashers.New(hashers.PBKDF2SHA256(1000))
	}
	s.backend = models.ModelBackend{Store: s, Hashers: s.hashers,
		AllowInactive: opts.AllowInactive, MaxUsernameLength: opts.MaxUsernameLength}
	return s
}

// FailWith makes the methods named in ops (all of them when none is named) return err until
// FailWith(nil) is called. The names are the method names: "GetByID", "Authenticate",
// "UpdateLastLogin", "ResolveUserPK", "GetByUsername", "SetPassword", "Create", "Save", and
// models.PasswordStore's "FindByUsername" and "SwapPassword" (which Authenticate calls).
func (s *Users) FailWith(err error, ops ...string) { s.fail.set(err, ops) }

// Lookups returns how many GetByID and Authenticate calls the store received.
func (s *Users) Lookups() int64 { return s.lookups.Load() }

// LastLogins returns how many UpdateLastLogin calls succeeded, and the time the last one wrote.
func (s *Users) LastLogins() (n int64, at time.Time) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastLogins.Load(), s.lastLogin
}

// Hashers returns the store's hashers.
func (s *Users) Hashers() *hashers.List { return s.hashers }

// Add creates an active or inactive user with the given id (0: the next free one) and a hash
// of password by the store's hashers ("": an unusable password). It fails t on any error.
func (s *Users) Add(t testing.TB, id int64, username, password string, active bool) *models.User {
	t.Helper()
	u := models.NewUser(username)
	u.ID, u.IsActive = id, active
	if password != "" {
		if err := u.SetPasswordWith(s.hashers, password); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Create(context.Background(), u); err != nil {
		t.Fatalf("modelstest: Add %q: %v", username, err)
	}
	return u
}

// SetHash stores encoded verbatim as the password of username ("" included: Django's None),
// which SetPassword and Create cannot, for tests of malformed and legacy hashes. It fails t
// when there is no such user.
func (s *Users) SetHash(t testing.TB, username, encoded string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byUsername[username]
	if !ok {
		t.Fatalf("modelstest: SetHash: no user %q", username)
	}
	s.byID[id].Password = encoded
}

// Create adds a copy of u. A zero ID is assigned the next free one (and written back to u); a
// taken username or ID is models.ErrUserExists. A zero DateJoined becomes now, an empty password
// an unusable one, as GORM's BeforeCreate hook does for the database stores.
func (s *Users) Create(_ context.Context, u *models.User) error {
	if err := s.fail.check("Create"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byUsername[u.Username]; taken {
		return models.ErrUserExists
	}
	if u.ID == 0 {
		s.nextID++
		for s.byID[s.nextID] != nil {
			s.nextID++
		}
		u.ID = s.nextID
	} else if s.byID[u.ID] != nil {
		return models.ErrUserExists
	}
	_ = u.BeforeCreate(nil)
	c := copyUser(u)
	s.byID[c.ID] = c
	s.byUsername[c.Username] = c.ID
	return nil
}

// Delete removes the user with the given id; it reports whether there was one.
func (s *Users) Delete(_ context.Context, id int64) bool {
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
// unknown ID is models.ErrUserNotFound, a username taken by another user models.ErrUserExists.
func (s *Users) Save(_ context.Context, u *models.User) error {
	if err := s.fail.check("Save"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.byID[u.ID]
	if old == nil {
		return models.ErrUserNotFound
	}
	if id, taken := s.byUsername[u.Username]; taken && id != u.ID {
		return models.ErrUserExists
	}
	delete(s.byUsername, old.Username)
	c := copyUser(u)
	s.byID[c.ID] = c
	s.byUsername[c.Username] = c.ID
	return nil
}

func copyUser(u *models.User) *models.User {
	c := *u
	if u.LastLogin != nil {
		t := *u.LastLogin
		c.LastLogin = &t
	}
	return &c
}

// parseID is GormUserStore's default ParseID for an integer key: canonical decimal text only.
func parseID(id string) (int64, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && strconv.FormatInt(n, 10) == id
}

// GetByID returns a copy of the user whose ID is the canonical decimal text id.
func (s *Users) GetByID(_ context.Context, id string) (models.AuthUser, error) {
	s.lookups.Add(1)
	if err := s.fail.check("GetByID"); err != nil {
		return nil, err
	}
	n, ok := parseID(id)
	if !ok {
		return nil, models.ErrUserNotFound
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.byID[n]
	if u == nil {
		return nil, models.ErrUserNotFound
	}
	return copyUser(u), nil
}

// Authenticate is models.ModelBackend's Authenticate on the map (the store is its own
// models.PasswordStore).
func (s *Users) Authenticate(ctx context.Context, username, password string) (models.AuthUser, error) {
	s.lookups.Add(1)
	if err := s.fail.check("Authenticate"); err != nil {
		return nil, err
	}
	return s.backend.Authenticate(ctx, username, password)
}

// FindByUsername is models.PasswordStore's lookup: a copy of the user whose username is
// exactly username.
func (s *Users) FindByUsername(_ context.Context, username string) (models.UserModel, bool, error) {
	if err := s.fail.check("FindByUsername"); err != nil {
		return nil, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byUsername[username]
	if !ok {
		return nil, false, nil
	}
	return copyUser(s.byID[id]), true, nil
}

// SwapPassword is models.PasswordStore's compare-and-swap of the stored hash.
func (s *Users) SwapPassword(_ context.Context, u models.UserModel, old, next string) (string, bool, error) {
	if err := s.fail.check("SwapPassword"); err != nil {
		return "", false, err
	}
	x, ok := u.(*models.User)
	if !ok {
		return "", false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[x.ID]
	if cur == nil {
		return "", false, nil
	}
	if cur.Password == old {
		cur.Password = next
	}
	return cur.Password, true, nil
}

// GetByUsername returns a copy of the user whose username is exactly username.
func (s *Users) GetByUsername(_ context.Context, username string) (models.AuthUser, error) {
	if err := s.fail.check("GetByUsername"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byUsername[username]
	if !ok {
		return nil, models.ErrUserNotFound
	}
	return copyUser(s.byID[id]), nil
}

// SetPassword hashes raw with the preferred hasher and stores it as u's password (and u's).
func (s *Users) SetPassword(_ context.Context, u *models.User, raw string) error {
	if err := s.fail.check("SetPassword"); err != nil {
		return err
	}
	encoded, err := s.hashers.MakePassword(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[u.ID]
	if cur == nil {
		return models.ErrUserNotFound
	}
	cur.Password = encoded
	u.Password = encoded
	return nil
}

// UserID returns the decimal ID of a *models.User, or a TokenUser's ID.
func (s *Users) UserID(u models.AuthUser) string {
	switch x := u.(type) {
	case *models.User:
		if x == nil {
			return ""
		}
		return strconv.FormatInt(x.ID, 10)
	case models.TokenUser:
		return x.ID
	case *models.TokenUser:
		if x == nil {
			return ""
		}
		return x.ID
	}
	return ""
}

// UpdateLastLogin sets the stored user's LastLogin to at, only forward in time, and u's too.
func (s *Users) UpdateLastLogin(_ context.Context, u models.AuthUser, at time.Time) error {
	if err := s.fail.check("UpdateLastLogin"); err != nil {
		return err
	}
	x, ok := u.(*models.User)
	if !ok || x == nil {
		return models.ErrUserNotFound
	}
	when := models.NewDjangoTime(at)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[x.ID]
	if cur == nil {
		return models.ErrUserNotFound
	}
	s.lastLogins.Add(1)
	s.lastLogin = at
	if cur.LastLogin == nil || cur.LastLogin.Before(when.Time) {
		t := when
		cur.LastLogin = &t
		t2 := when
		x.LastLogin = &t2
	}
	return nil
}

// ResolveUserPK returns the int64 ID of the user, for a GormTokenStore on this store's users.
func (s *Users) ResolveUserPK(_ context.Context, userID string) (any, bool, error) {
	if err := s.fail.check("ResolveUserPK"); err != nil {
		return nil, false, err
	}
	n, ok := parseID(userID)
	if !ok {
		return nil, false, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.byID[n] == nil {
		return nil, false, nil
	}
	return n, true, nil
}

var (
	_ models.UserStore      = (*Users)(nil)
	_ models.UserPKResolver = (*Users)(nil)
	_ models.PasswordStore  = (*Users)(nil)
)

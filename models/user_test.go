package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/hashers/hasherstest"
)

// countedHashers returns fast hashers for tests, and the counter of their runs.
func countedHashers() (*hashers.List, *atomic.Int64) {
	h, n := hasherstest.CountingHasher(hashers.PBKDF2SHA256(10))
	return hashers.New(h, hashers.PBKDF2SHA1(10)), n
}

func TestUserPasswordMethods(t *testing.T) {
	h, runs := countedHashers()
	u := NewUser("alice")
	if !u.IsActive || u.DateJoined.IsZero() || u.IsPasswordUsable() || u.String() != "alice" || u.GetUsername() != "alice" {
		t.Fatalf("NewUser = %+v", u)
	}
	if err := u.SetPasswordWith(h, "s3cret"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u.GetPassword(), "pbkdf2_sha256$10$") || !u.IsPasswordUsable() {
		t.Fatalf("password = %q", u.Password)
	}
	for pw, want := range map[string]bool{"s3cret": true, "S3cret": false, "": false, " s3cret": false} {
		runs.Store(0)
		if ok, err := u.CheckPasswordWith(h, pw); ok != want || err != nil || runs.Load() != 1 {
			t.Errorf("CheckPasswordWith(%q) = %v, %v after %d runs; want %v after 1", pw, ok, err, runs.Load(), want)
		}
	}
	if err := u.SetPasswordWith(h, strings.Repeat("x", hashers.MaxPasswordLength+1)); !errors.Is(err, ErrPasswordTooLong) {
		t.Fatalf("over-long password: %v", err)
	}
	u.SetUnusablePassword()
	if u.IsPasswordUsable() || !strings.HasPrefix(u.Password, "!") || len(u.Password) != 41 {
		t.Fatalf("unusable password = %q", u.Password)
	}
	runs.Store(0)
	if ok, _ := u.CheckPasswordWith(h, u.Password); ok || runs.Load() != 1 {
		t.Fatal("an unusable password must never match, and must cost one hash")
	}
}

func TestUserDefaultHashers(t *testing.T) {
	if testing.Short() {
		t.Skip("Django's default PBKDF2 iterations are slow")
	}
	var u User
	if err := u.SetPassword("pw"); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("pbkdf2_sha256$%d$", hashers.DefaultPBKDF2Iterations); !strings.HasPrefix(u.Password, want) {
		t.Fatalf("SetPassword used %q, want the default hashers (%s...)", u.Password, want)
	}
	if ok, err := u.CheckPassword("pw"); !ok || err != nil {
		t.Fatalf("CheckPassword = %v, %v", ok, err)
	}
}

func TestUserBeforeCreateDefaults(t *testing.T) {
	tdb := newTestDB(t, "sqlite", true)
	u := &User{Username: "zero"}
	if err := tdb.DB.Create(u).Error; err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.DateJoined.IsZero() || u.IsPasswordUsable() {
		t.Fatalf("created %+v: want an id, date_joined now and an unusable password", u)
	}
}

// ----------------------------------------------------------------------------------------------
// GormUserStore

type userFixture struct {
	*testDB
	store   *GormUserStore
	hashers *hashers.List
	runs    *atomic.Int64
	queries *atomic.Int64
	users   map[string]*User
}

const alicePassword = "correct horse battery staple"

func newUserFixture(t *testing.T, tdb *testDB, opts UserStoreOptions) *userFixture {
	t.Helper()
	ctx := context.Background()
	h, runs := countedHashers()
	if opts.Hashers == nil {
		opts.Hashers = h
	}
	store, err := NewUserStore(tdb.DB, opts)
	if err != nil {
		t.Fatal(err)
	}
	f := &userFixture{testDB: tdb, store: store, hashers: h, runs: runs, queries: new(atomic.Int64), users: map[string]*User{}}
	add := func(name, password string, active bool) {
		u := NewUser(name)
		u.IsActive = active
		u.FirstName = "First " + name
		if password != "" {
			if err := u.SetPasswordWith(h, password); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.users[name] = u
	}
	add("admin", "admin password", true)
	add("alice", alicePassword, true)
	add("ivan", alicePassword, false)
	add("nopass", "", true)
	add("emptyhash", "", true)
	add("garbage", "", true)
	add("legacy", "", true)
	set := func(name, hash string) {
		if err := tdb.DB.Exec("UPDATE auth_user SET password = ? WHERE username = ?", hash, name).Error; err != nil {
			t.Fatal(err)
		}
	}
	set("emptyhash", "")
	set("garbage", "pbkdf2_sha256$notanumber$salt$hash")
	set("legacy", "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3") // "lètmein" with Django's MD5PasswordHasher
	_ = tdb.DB.Callback().Query().Before("gorm:query").Register("test:count", func(*gorm.DB) { f.queries.Add(1) })
	_ = tdb.DB.Callback().Raw().Before("gorm:raw").Register("test:count", func(*gorm.DB) { f.queries.Add(1) })
	_ = tdb.DB.Callback().Row().Before("gorm:row").Register("test:count", func(*gorm.DB) { f.queries.Add(1) })
	_ = tdb.DB.Callback().Update().Before("gorm:update").Register("test:count", func(*gorm.DB) { f.queries.Add(1) })
	runs.Store(0)
	return f
}

// TestGetByIDZeroValuePitfalls is (g) and SECURITY 0.3/D14: no id text returns another user, and
// text that cannot be an id never reaches the database.
func TestGetByIDZeroValuePitfalls(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newUserFixture(t, tdb, UserStoreOptions{})
		ctx := context.Background()
		adminID, aliceID := f.store.UserID(f.users["admin"]), f.store.UserID(f.users["alice"])
		if adminID != "1" {
			t.Fatalf("admin has id %s, want 1 (the first row, which a dropped WHERE would return)", adminID)
		}
		tests := []struct {
			id        string
			wantUser  string // "" = ErrUserNotFound
			wantQuery bool
		}{
			{"1", "admin", true},
			{aliceID, "alice", true},
			{"", "", false},
			{"0", "", true}, // a valid integer: looked up (as Django would), finds nothing
			{"-1", "", true},
			{"999999", "", true},
			{"1 OR 1=1", "", false},
			{"1; DROP TABLE auth_user", "", false},
			{"9999999999999999999999", "", false}, // out of int64
			{"2147483647", "", true},
			{"2147483648", "", false}, // beyond auth_user.id's 32 bits
			{"9223372036854775807", "", false},
			{" 1", "", false},
			{"1 ", "", false},
			{"01", "", false},
			{"+1", "", false},
			{"1.0", "", false}, // the token layer turns the JSON number 1.0 into "1"
			{"1e0", "", false},
			{"0x1", "", false},
			{"１", "", false}, // fullwidth digit
			{"1\x00", "", false},
			{"\xff", "", false},
			{"null", "", false},
			{"admin", "", false},
		}
		for _, tc := range tests {
			f.queries.Store(0)
			u, err := f.store.GetByID(ctx, tc.id)
			queried := f.queries.Load() > 0
			if tc.wantUser == "" {
				if !errors.Is(err, ErrUserNotFound) || u != nil {
					t.Errorf("GetByID(%q) = %v, %v; want ErrUserNotFound", tc.id, u, err)
				}
			} else if err != nil || u.(*User).Username != tc.wantUser {
				t.Errorf("GetByID(%q) = %v, %v; want %s", tc.id, u, err, tc.wantUser)
			}
			if queried != tc.wantQuery {
				t.Errorf("GetByID(%q) queried=%v, want %v", tc.id, queried, tc.wantQuery)
			}
		}
	})
}

// TestAuthenticate checks Django's ModelBackend rules and that every path runs the hasher
// exactly once (SECURITY 0.5, E1-E7; deterministic, by counting).
func TestAuthenticate(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newUserFixture(t, tdb, UserStoreOptions{})
		allowAll, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: f.hashers, AllowInactive: true})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		tests := []struct {
			name, username, password string
			store                    *GormUserStore
			wantUser                 string // "" = ErrInvalidCredentials
			wantQuery                bool
			wantErr                  error
		}{
			{"correct", "alice", alicePassword, nil, "alice", true, nil},
			{"wrong password", "alice", "wrong", nil, "", true, nil},
			{"empty password", "alice", "", nil, "", true, nil},
			{"password with surrounding space (trimmed by the serializer, not here)", "alice", " " + alicePassword, nil, "", true, nil},
			{"unknown user", "mallory", alicePassword, nil, "", true, nil},
			{"inactive, correct password", "ivan", alicePassword, nil, "", true, nil},
			{"inactive, AllowInactive", "ivan", alicePassword, allowAll, "ivan", true, nil},
			{"inactive, wrong password, AllowInactive", "ivan", "nope", allowAll, "", true, nil},
			{"unusable hash", "nopass", "", nil, "", true, nil},
			{"unusable hash, its own text as password", "nopass", f.users["nopass"].Password, nil, "", true, nil},
			{"empty hash, empty password", "emptyhash", "", nil, "", true, nil},
			{"garbage hash", "garbage", "anything", nil, "", true, nil},
			{"hash of a hasher not configured (MD5), right password", "legacy", "lètmein", nil, "", true, nil},
			{"case variant", "ALICE", alicePassword, nil, "", true, nil},
			{"trailing space (MySQL PAD SPACE)", "alice ", alicePassword, nil, "", true, nil},
			{"fullwidth", "ａｌｉｃｅ", alicePassword, nil, "", true, nil},
			{"zero-width space", "alice\u200b", alicePassword, nil, "", true, nil},
			{"SQL comment", "admin' --", "x", nil, "", true, nil},
			{"SQL tautology", "' OR '1'='1", "x", nil, "", true, nil},
			{"LIKE wildcard %", "%", "x", nil, "", true, nil},
			{"LIKE wildcard _", "_lice", alicePassword, nil, "", true, nil},
			{"blank username", "", alicePassword, nil, "", false, nil},
			{"151 characters", strings.Repeat("a", 151), "x", nil, "", false, nil},
			{"150 characters", strings.Repeat("a", 150), "x", nil, "", true, nil},
			{"NUL", "alice\x00", alicePassword, nil, "", false, nil},
			{"invalid UTF-8", "alice\xff", alicePassword, nil, "", false, nil},
			{"password too long", "alice", strings.Repeat("p", hashers.MaxPasswordLength+1), nil, "", true, ErrPasswordTooLong},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				store := tc.store
				if store == nil {
					store = f.store
				}
				f.runs.Store(0)
				f.queries.Store(0)
				u, err := store.Authenticate(ctx, tc.username, tc.password)
				if tc.wantUser != "" {
					if err != nil || u == nil || u.(*User).Username != tc.wantUser {
						t.Fatalf("Authenticate = %v, %v; want %s", u, err, tc.wantUser)
					}
				} else if !errors.Is(err, ErrInvalidCredentials) || u != nil {
					t.Fatalf("Authenticate = %v, %v; want ErrInvalidCredentials", u, err)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v does not match %v", err, tc.wantErr)
				}
				if n := f.runs.Load(); n != 1 {
					t.Errorf("the hasher ran %d times, want exactly 1", n)
				}
				if queried := f.queries.Load() > 0; queried != tc.wantQuery {
					t.Errorf("queried=%v, want %v", queried, tc.wantQuery)
				}
			})
		}
		var n int64
		tdb.DB.Raw("SELECT COUNT(*) FROM auth_user").Scan(&n)
		if n != int64(len(f.users)) {
			t.Fatalf("auth_user has %d rows, want %d", n, len(f.users))
		}
	})
}

// TestAuthenticateRehash: a correct password against a hash the preferred hasher would update
// (other iterations, another algorithm) is re-hashed, and only the password column is written.
func TestAuthenticateRehash(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newUserFixture(t, tdb, UserStoreOptions{})
		ctx := context.Background()
		var updates []string
		var mu sync.Mutex
		_ = tdb.DB.Callback().Update().After("gorm:update").Register("test:sql", func(db *gorm.DB) {
			mu.Lock()
			updates = append(updates, db.Statement.SQL.String())
			mu.Unlock()
		})
		old := map[string]hashers.Hasher{"iterations": hashers.PBKDF2SHA256(5), "algorithm": hashers.PBKDF2SHA1(10)}
		for name, hasher := range old {
			t.Run(name, func(t *testing.T) {
				encoded, err := hashers.New(hasher).MakePassword("pw")
				if err != nil {
					t.Fatal(err)
				}
				u := NewUser("rehash-" + name)
				u.Password = encoded
				u.FirstName = "Keep"
				if err := f.store.Create(ctx, u); err != nil {
					t.Fatal(err)
				}
				updates = nil
				got, err := f.store.Authenticate(ctx, u.Username, "pw")
				if err != nil {
					t.Fatal(err)
				}
				if p := got.GetPassword(); !strings.HasPrefix(p, "pbkdf2_sha256$10$") {
					t.Fatalf("returned user's hash %q was not updated", p)
				}
				stored, _ := f.store.GetByID(ctx, f.store.UserID(u))
				su := stored.(*User)
				if su.Password != got.GetPassword() || su.FirstName != "Keep" || su.LastLogin != nil || !su.DateJoined.Equal(u.DateJoined.Time) {
					t.Fatalf("stored %+v", su)
				}
				if len(updates) != 1 || !strings.Contains(updates[0], "SET ") || strings.Count(updates[0], "=") != 3 ||
					strings.Count(updates[0], "password") != 2 {
					t.Fatalf("updates = %q; want one UPDATE of the password column only, conditional on the checked hash", updates)
				}
				// Now up to date: no second re-hash, one hasher run.
				updates = nil
				f.runs.Store(0)
				if _, err := f.store.Authenticate(ctx, u.Username, "pw"); err != nil || len(updates) != 0 || f.runs.Load() != 1 {
					t.Fatalf("second login: err=%v updates=%q runs=%d", err, updates, f.runs.Load())
				}
			})
		}
	})
}

// hookHasher runs hook once, inside the first Verify after the check: a write by someone else
// between Authenticate's password check and its re-hash.
type hookHasher struct {
	hashers.Hasher
	once sync.Once
	hook func()
}

func (h *hookHasher) Verify(password, encoded string) bool {
	ok := h.Hasher.Verify(password, encoded)
	h.once.Do(h.hook)
	return ok
}

// TestAuthenticateRehashRace: the re-hash is written only while the row holds the hash that was
// checked. When another writer got there first, the login goes on with the hash the database
// holds if the password verifies against it (a concurrent login's re-hash: the returned user
// carries that hash, which a CHECK_REVOKE_TOKEN claim is signed against) and fails otherwise (a
// password change or a deletion in between).
func TestAuthenticateRehashRace(t *testing.T) {
	// store is the part of both user stores these cases use.
	type store interface {
		UserStore
		GetByUsername(ctx context.Context, username string) (AuthUser, error)
	}
	type env struct {
		store    store
		create   func(u *User) error
		setHash  func(t *testing.T, u *User, hash string) // the row's password column, written directly
		deleteIt func(t *testing.T, u *User)
	}
	cases := []struct {
		name     string
		meantime func(t *testing.T, e env, u *User, h *hashers.List) (stored string) // "" when the user is gone
		wantErr  error
	}{
		{"a concurrent login re-hashed the same password", func(t *testing.T, e env, u *User, h *hashers.List) string {
			enc, _ := h.MakePassword(alicePassword)
			e.setHash(t, u, enc)
			return enc
		}, nil},
		{"the password was changed", func(t *testing.T, e env, u *User, h *hashers.List) string {
			enc, _ := h.MakePassword("another password")
			e.setHash(t, u, enc)
			return enc
		}, ErrInvalidCredentials},
		{"the user was deleted", func(t *testing.T, e env, u *User, _ *hashers.List) string { e.deleteIt(t, u); return "" }, ErrInvalidCredentials},
	}
	run := func(t *testing.T, newEnv func(t *testing.T, h *hashers.List) env) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				weak, _ := hashers.New(hashers.PBKDF2SHA256(5)).MakePassword(alicePassword)
				hh := &hookHasher{Hasher: hashers.PBKDF2SHA256(10)}
				h := hashers.New(hh)
				e := newEnv(t, h)
				alice := NewUser("alice")
				alice.Password = weak
				if err := e.create(alice); err != nil {
					t.Fatal(err)
				}
				var stored string
				hh.hook = func() { stored = tc.meantime(t, e, alice, hashers.New(hashers.PBKDF2SHA256(10))) }
				u, err := e.store.Authenticate(ctx, "alice", alicePassword)
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Authenticate = %v, %v; want %v", u, err, tc.wantErr)
				}
				if stored == "" {
					return
				}
				now, err := e.store.GetByUsername(ctx, "alice")
				if err != nil || now.GetPassword() != stored {
					t.Fatalf("the row holds %v (%v); want the hash written meanwhile, not overwritten", now, err)
				}
				if tc.wantErr == nil && u.GetPassword() != stored {
					t.Fatalf("the returned user carries %q; want the stored %q", u.GetPassword(), stored)
				}
			})
		}
	}
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		run(t, func(t *testing.T, h *hashers.List) env {
			tdb.DB.Exec("DELETE FROM auth_user")
			s, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: h})
			if err != nil {
				t.Fatal(err)
			}
			return env{store: s,
				create: func(u *User) error { return s.Create(context.Background(), u) },
				setHash: func(t *testing.T, u *User, hash string) {
					if err := tdb.DB.Model(u).UpdateColumn("password", hash).Error; err != nil {
						t.Fatal(err)
					}
				},
				deleteIt: func(t *testing.T, u *User) {
					if ok, err := s.Delete(context.Background(), s.UserID(u)); !ok || err != nil {
						t.Fatal(ok, err)
					}
				}}
		})
	})
}

func TestUpdateLastLogin(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newUserFixture(t, tdb, UserStoreOptions{})
		ctx := context.Background()
		alice := f.users["alice"]
		t1 := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
		if err := f.store.UpdateLastLogin(ctx, alice, t1); err != nil {
			t.Fatal(err)
		}
		if alice.LastLogin == nil || !alice.LastLogin.Equal(t1) {
			t.Fatalf("in-memory last_login = %v", alice.LastLogin)
		}
		// Backwards is ignored (concurrent logins, SECURITY D18).
		if err := f.store.UpdateLastLogin(ctx, alice, t1.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := f.store.GetByID(ctx, f.store.UserID(alice))
		ga := got.(*User)
		if ga.LastLogin == nil || !ga.LastLogin.Equal(t1) || ga.FirstName != "First alice" || ga.Password != alice.Password {
			t.Fatalf("stored %+v", ga)
		}
		// Other users untouched.
		other, _ := f.store.GetByID(ctx, f.store.UserID(f.users["admin"]))
		if other.(*User).LastLogin != nil {
			t.Fatal("another user's last_login changed")
		}
		// Concurrent logins: the latest wins.
		var wg sync.WaitGroup
		latest := t1.Add(50 * time.Second)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				u := *alice
				if err := f.store.UpdateLastLogin(ctx, &u, t1.Add(time.Duration(i+1)*time.Second)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, _ = f.store.GetByID(ctx, f.store.UserID(alice))
		if !got.(*User).LastLogin.Equal(latest) {
			t.Fatalf("after concurrent logins last_login = %v, want %v", got.(*User).LastLogin, latest)
		}
		if err := f.store.UpdateLastLogin(ctx, TokenUser{ID: "1"}, t1); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("UpdateLastLogin(TokenUser) = %v", err)
		}
		noLL, _ := NewUserStore(tdb.DB, UserStoreOptions{LastLoginField: "-", Hashers: f.hashers})
		if err := noLL.UpdateLastLogin(ctx, alice, latest.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCreateDuplicate(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newUserFixture(t, tdb, UserStoreOptions{})
		if err := f.store.Create(context.Background(), NewUser("alice")); !errors.Is(err, ErrUserExists) {
			t.Fatalf("Create(duplicate) = %v", err)
		}
	})
}

func TestNewUserStoreValidation(t *testing.T) {
	db := newTestDB(t, "sqlite", true).DB
	tests := map[string]UserStoreOptions{
		"table injection":       {Table: `auth_user" WHERE 1=1 --`},
		"three-part table":      {Table: "a.b.c"},
		"id column injection":   {IDField: "id) OR (1=1"},
		"unknown id column":     {IDField: "uuid"},
		"unknown username":      {UsernameField: "login"},
		"non-string username":   {UsernameField: "is_staff"},
		"unknown last_login":    {LastLoginField: "seen_at"},
		"bool id needs ParseID": {IDField: "is_active"},
	}
	for name, opts := range tests {
		if _, err := NewUserStore(db, opts); err == nil {
			t.Errorf("%s: NewUserStore accepted %+v", name, opts)
		}
	}
	if _, err := NewUserStore(nil, UserStoreOptions{}); err == nil {
		t.Error("nil db accepted")
	}
	if _, err := NewUserStore(db, UserStoreOptions{Table: "public.auth_user"}); err != nil {
		t.Errorf("schema-qualified table refused: %v", err)
	}
	if _, err := NewUserStore(db, UserStoreOptions{IDField: "username"}); err != nil {
		t.Errorf("USER_ID_FIELD=username refused: %v", err)
	}
}

func TestParseIDResultMustBeOneValue(t *testing.T) {
	tdb := newTestDB(t, "sqlite", true)
	f := newUserFixture(t, tdb, UserStoreOptions{})
	for name, v := range map[string]any{
		"slice":      []int64{1, 2},
		"any slice":  []any{1, 2},
		"expression": gorm.Expr("1 OR 1=1"),
		"nil":        nil,
		"map":        map[string]any{"id": 1},
	} {
		store, _ := NewUserStore(tdb.DB, UserStoreOptions{Hashers: f.hashers, ParseID: func(string) (any, error) { return v, nil }})
		if u, err := store.GetByID(context.Background(), "1"); !errors.Is(err, ErrUserNotFound) {
			t.Errorf("ParseID returning %s: GetByID = %v, %v", name, u, err)
		}
	}
}

func TestUserIDForms(t *testing.T) {
	tdb := newTestDB(t, "sqlite", true)
	store, _ := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
	tests := []struct {
		u    AuthUser
		want string
	}{
		{&User{ID: 42}, "42"},
		{TokenUser{ID: "7"}, "7"},
		{&TokenUser{ID: "8"}, "8"},
		{nil, ""},
		{(*User)(nil), ""},
		{otherModel{ID: 3}, ""}, // not a pointer: unreadable
		{&otherModel{ID: 3}, "3"},
	}
	for _, tc := range tests {
		if got := store.UserID(tc.u); got != tc.want {
			t.Errorf("UserID(%#v) = %q, want %q", tc.u, got, tc.want)
		}
	}
	byName, _ := NewUserStore(tdb.DB, UserStoreOptions{IDField: "username", Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
	if got := byName.UserID(&User{ID: 1, Username: "alice"}); got != "alice" {
		t.Errorf("USER_ID_FIELD=username: UserID = %q", got)
	}
}

type otherModel struct {
	ID       int64
	Password string
}

func (o otherModel) GetIsActive() bool   { return true }
func (o otherModel) GetPassword() string { return o.Password }

func TestGetByUsernameAndSetPassword(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newUserFixture(t, tdb, UserStoreOptions{})
		ctx := context.Background()
		for _, name := range []string{"", "ALICE", "alice ", "alice\x00", "%"} {
			if u, err := f.store.GetByUsername(ctx, name); !errors.Is(err, ErrUserNotFound) {
				t.Errorf("GetByUsername(%q) = %v, %v", name, u, err)
			}
		}
		u, err := f.store.GetByUsername(ctx, "alice")
		if err != nil || f.runs.Load() != 0 {
			t.Fatalf("GetByUsername(alice) = %v, %v after %d hasher runs", u, err, f.runs.Load())
		}
		if err := f.store.SetPassword(ctx, u.(*User), "new password"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.Authenticate(ctx, "alice", alicePassword); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("old password still works: %v", err)
		}
		if _, err := f.store.Authenticate(ctx, "alice", "new password"); err != nil {
			t.Fatalf("new password: %v", err)
		}
		if err := f.store.SetPassword(ctx, &User{ID: 424242}, "x"); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("SetPassword(missing) = %v", err)
		}
		if err := f.store.SetPassword(ctx, u.(*User), strings.Repeat("x", hashers.MaxPasswordLength+1)); !errors.Is(err, ErrPasswordTooLong) {
			t.Fatalf("SetPassword(too long) = %v", err)
		}
	})
}

// FuzzDefaultParseID: the integer parser accepts exactly the canonical decimal texts of the
// column's range, so no text other than "n" itself can name user n.
func FuzzDefaultParseID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "01", "+1", "1.0", " 1", "2147483648", "١"} {
		f.Add(s)
	}
	sch, _ := NewUserStore(newTestDB(f, "sqlite", true).DB, UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
	f.Fuzz(func(t *testing.T, s string) {
		v, err := sch.parseID(s)
		if err != nil {
			return
		}
		n, ok := v.(int64)
		if !ok || fmt.Sprint(n) != s || n < -1<<31 || n > 1<<31-1 {
			t.Fatalf("parseID(%q) = %#v", s, v)
		}
	})
}

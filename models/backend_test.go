package models_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/hashers/hasherstest"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

const pw = "correct horse"

// meantime is a PasswordStore built on the shared fake that runs a hook between the lookup and
// the re-hash's swap: another writer at work while a login checks the password.
type meantime struct {
	*modelstest.Users
	hook func()
}

func (m meantime) FindByUsername(ctx context.Context, username string) (models.UserModel, bool, error) {
	u, found, err := m.Users.FindByUsername(ctx, username)
	if m.hook != nil {
		m.hook()
	}
	return u, found, err
}

// TestModelBackend: Django's authenticate() rules, each case after exactly the hasher runs it
// must cost. The preferred hasher is PBKDF2-SHA256 at 10 iterations; PBKDF2-SHA1 verifies too.
func TestModelBackend(t *testing.T) {
	ctx := context.Background()
	down := fmt.Errorf("%w: connection refused", models.ErrUnavailable)
	old10 := mustHash(t, hashers.New(hashers.PBKDF2SHA256(5)), pw)   // fewer iterations than preferred
	sha1 := mustHash(t, hashers.New(hashers.PBKDF2SHA1(10)), pw)     // another configured algorithm
	other := mustHash(t, hashers.New(hashers.PBKDF2SHA256(10)), "x") // a hash of another password
	cases := []struct {
		name, username, password string
		allowInactive            bool
		setup                    func(t *testing.T, u *modelstest.Users) // after alice, ivan (inactive)
		hook                     func(t *testing.T, u *modelstest.Users) // between lookup and swap
		want                     error                                   // nil: alice (or ivan) logs in
		runs                     int64
		wantPrefix               string // the stored and returned hash after a successful login
	}{
		{name: "correct", username: "alice", password: pw, runs: 1, wantPrefix: "pbkdf2_sha256$10$"},
		{name: "wrong password", username: "alice", password: "wrong", want: models.ErrInvalidCredentials, runs: 1},
		{name: "unknown user", username: "mallory", password: pw, want: models.ErrInvalidCredentials, runs: 1},
		{name: "inactive, after the password check", username: "ivan", password: pw, want: models.ErrInvalidCredentials, runs: 1},
		{name: "inactive, wrong password", username: "ivan", password: "wrong", want: models.ErrInvalidCredentials, runs: 1},
		{name: "inactive allowed", username: "ivan", password: pw, allowInactive: true, runs: 1, wantPrefix: "pbkdf2_sha256$10$"},
		{name: "case differs", username: "ALICE", password: pw, want: models.ErrInvalidCredentials, runs: 1},
		{name: "unusable hash", username: "alice", password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", hashers.MakeUnusablePassword()) }},
		{name: "empty hash", username: "alice", password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", "") }},
		{name: "unknown algorithm", username: "alice", password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", "md5$salt$0123") }},
		{name: "password too long", username: "alice", password: strings.Repeat("p", hashers.MaxPasswordLength+1), want: models.ErrPasswordTooLong, runs: 1},
		// Text that cannot be a username is not looked up: the lookup would fail the test.
		{name: "empty username", username: "", password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(_ *testing.T, u *modelstest.Users) { u.FailWith(down, "FindByUsername") }},
		{name: "NUL in username", username: "alice\x00", password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(_ *testing.T, u *modelstest.Users) { u.FailWith(down, "FindByUsername") }},
		{name: "invalid UTF-8", username: "al\xffce", password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(_ *testing.T, u *modelstest.Users) { u.FailWith(down, "FindByUsername") }},
		{name: "151 characters", username: strings.Repeat("ж", 151), password: pw, want: models.ErrInvalidCredentials, runs: 1,
			setup: func(_ *testing.T, u *modelstest.Users) { u.FailWith(down, "FindByUsername") }},
		{name: "lookup outage", username: "alice", password: pw, want: models.ErrUnavailable, runs: 0,
			setup: func(_ *testing.T, u *modelstest.Users) { u.FailWith(down, "FindByUsername") }},
		// Re-hash on login (Django's must_update): check + make.
		{name: "rehash: fewer iterations", username: "alice", password: pw, runs: 2, wantPrefix: "pbkdf2_sha256$10$",
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", old10) }},
		// Only the preferred hasher is counted: the SHA-1 check is not, the re-hash is.
		{name: "rehash: another algorithm", username: "alice", password: pw, runs: 1, wantPrefix: "pbkdf2_sha256$10$",
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", sha1) }},
		{name: "rehash of an inactive user, then refused", username: "ivan", password: pw, want: models.ErrInvalidCredentials, runs: 2,
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "ivan", old10) }},
		{name: "rehash: the write fails closed", username: "alice", password: pw, want: models.ErrUnavailable, runs: 2,
			setup: func(t *testing.T, u *modelstest.Users) {
				u.SetHash(t, "alice", old10)
				u.FailWith(down, "SwapPassword")
			}},
		// Another writer between the check and the swap.
		{name: "rehash: a concurrent login re-hashed first", username: "alice", password: pw, runs: 3, wantPrefix: "pbkdf2_sha256$10$",
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", old10) },
			hook: func(t *testing.T, u *modelstest.Users) {
				u.SetHash(t, "alice", mustHash(t, hashers.New(hashers.PBKDF2SHA256(10)), pw))
			}},
		{name: "rehash: the password changed meantime", username: "alice", password: pw, want: models.ErrInvalidCredentials, runs: 3,
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", old10) },
			hook:  func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", other) }},
		{name: "rehash: the user was deleted meantime", username: "alice", password: pw, want: models.ErrInvalidCredentials, runs: 2,
			setup: func(t *testing.T, u *modelstest.Users) { u.SetHash(t, "alice", old10) },
			hook:  func(_ *testing.T, u *modelstest.Users) { u.Delete(context.Background(), 1) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			counted, runs := hasherstest.CountingHasher(hashers.PBKDF2SHA256(10))
			h := hashers.New(counted, hashers.PBKDF2SHA1(10))
			users := modelstest.NewUsers(modelstest.UsersOptions{Hashers: h})
			users.Add(t, 1, "alice", pw, true)
			users.Add(t, 2, "ivan", pw, false)
			if tc.setup != nil {
				tc.setup(t, users)
			}
			var hook func()
			if tc.hook != nil {
				hook = func() { tc.hook(t, users) }
			}
			var s models.PasswordStore = meantime{users, hook}
			b := models.ModelBackend{Store: s, Hashers: h, AllowInactive: tc.allowInactive}
			runs.Store(0)
			u, err := b.Authenticate(ctx, tc.username, tc.password)
			if tc.want != nil {
				if !errors.Is(err, tc.want) || u != nil {
					t.Fatalf("Authenticate = %v, %v; want %v", u, err, tc.want)
				}
				if errors.Is(tc.want, models.ErrUnavailable) && errors.Is(err, models.ErrInvalidCredentials) {
					t.Fatalf("an outage reads as bad credentials: %v", err)
				}
			} else if err != nil || u == nil {
				t.Fatalf("Authenticate = %v, %v; want a user", u, err)
			}
			if got := runs.Load(); got != tc.runs {
				t.Errorf("the hasher ran %d times, want %d", got, tc.runs)
			}
			if tc.wantPrefix == "" {
				return
			}
			users.FailWith(nil)
			stored, err := users.GetByUsername(ctx, tc.username)
			if err != nil || !strings.HasPrefix(stored.GetPassword(), tc.wantPrefix) || u.GetPassword() != stored.GetPassword() {
				t.Fatalf("stored %v (%v), returned %q; want the same %s... hash", stored, err, u.GetPassword(), tc.wantPrefix)
			}
		})
	}
}

// TestModelBackendDefaults: the zero ModelBackend's hashers are Django's defaults and its
// longest username is Django's 150 characters.
func TestModelBackendDefaults(t *testing.T) {
	users := modelstest.NewUsers(modelstest.UsersOptions{})
	users.Add(t, 1, strings.Repeat("ж", 150), "x", true)
	users.SetHash(t, strings.Repeat("ж", 150), mustHash(t, hashers.Default(), pw))
	var lookups atomic.Int64
	b := models.ModelBackend{Store: counting{users, &lookups}}
	if _, err := b.Authenticate(context.Background(), strings.Repeat("ж", 150), pw); err != nil {
		t.Fatalf("150 characters and Django's default hashers: %v", err)
	}
	if _, err := b.Authenticate(context.Background(), strings.Repeat("ж", 151), pw); !errors.Is(err, models.ErrInvalidCredentials) || lookups.Load() != 1 {
		t.Fatalf("151 characters: %v after %d lookups; want refused without a lookup", err, lookups.Load())
	}
}

// counting counts the lookups of the shared fake's PasswordStore.
type counting struct {
	*modelstest.Users
	n *atomic.Int64
}

func (c counting) FindByUsername(ctx context.Context, username string) (models.UserModel, bool, error) {
	c.n.Add(1)
	return c.Users.FindByUsername(ctx, username)
}

func mustHash(t *testing.T, h *hashers.List, password string) string {
	t.Helper()
	enc, err := h.MakePassword(password)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

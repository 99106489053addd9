package modelstest_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/hashers/hasherstest"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

const alicePassword = "alice's password"

func countedHashers() (*hashers.List, *atomic.Int64) {
	h, n := hasherstest.CountingHasher(hashers.PBKDF2SHA256(10))
	return hashers.New(h, hashers.PBKDF2SHA1(10)), n
}

func newMemoryFixture(t *testing.T, allowInactive bool) (*modelstest.Users, *hashers.List, func() int64) {
	t.Helper()
	h, runs := countedHashers()
	s := modelstest.NewUsers(modelstest.UsersOptions{Hashers: h, AllowInactive: allowInactive})
	for _, u := range []struct {
		name, pw string
		active   bool
	}{{"admin", "admin pw", true}, {"alice", alicePassword, true}, {"ivan", alicePassword, false}, {"nopass", "", true}} {
		x := models.NewUser(u.name)
		x.IsActive = u.active
		if u.pw != "" {
			_ = x.SetPasswordWith(h, u.pw)
		}
		if err := s.Create(context.Background(), x); err != nil {
			t.Fatal(err)
		}
	}
	return s, h, func() int64 { return runs.Swap(0) }
}

func TestUsersAuthenticate(t *testing.T) {
	ctx := context.Background()
	s, _, runs := newMemoryFixture(t, false)
	all, _, allRuns := newMemoryFixture(t, true)
	tests := []struct {
		name, username, password string
		store                    *modelstest.Users
		want                     string
	}{
		{"correct", "alice", alicePassword, s, "alice"},
		{"wrong", "alice", "x", s, ""},
		{"unknown", "mallory", "x", s, ""},
		{"inactive", "ivan", alicePassword, s, ""},
		{"inactive allowed", "ivan", alicePassword, all, "ivan"},
		{"unusable", "nopass", "", s, ""},
		{"case", "ALICE", alicePassword, s, ""},
		{"blank", "", alicePassword, s, ""},
		{"too long", strings.Repeat("a", 151), "x", s, ""},
		{"NUL", "alice\x00", alicePassword, s, ""},
		{"password too long", "alice", strings.Repeat("p", hashers.MaxPasswordLength+1), s, ""},
	}
	for _, tc := range tests {
		runs()
		allRuns()
		u, err := tc.store.Authenticate(ctx, tc.username, tc.password)
		if tc.want != "" {
			if err != nil || u.(*models.User).Username != tc.want {
				t.Errorf("%s: %v, %v", tc.name, u, err)
			}
		} else if !errors.Is(err, models.ErrInvalidCredentials) || u != nil {
			t.Errorf("%s: %v, %v; want models.ErrInvalidCredentials", tc.name, u, err)
		}
		if n := runs() + allRuns(); n != 1 {
			t.Errorf("%s: hasher ran %d times, want 1", tc.name, n)
		}
	}
}

func TestUsersRules(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newMemoryFixture(t, false)
	for _, id := range []string{"", "0", "-1", "1 OR 1=1", "01", "+1", "1.0", "9999999999999999999999", "99"} {
		if u, err := s.GetByID(ctx, id); !errors.Is(err, models.ErrUserNotFound) {
			t.Errorf("GetByID(%q) = %v, %v", id, u, err)
		}
	}
	u, err := s.GetByID(ctx, "2")
	if err != nil || u.(*models.User).Username != "alice" || s.UserID(u) != "2" {
		t.Fatalf("GetByID(2) = %v, %v", u, err)
	}
	// Copies: changing what the store returned changes nothing inside it.
	u.(*models.User).IsActive = false
	again, _ := s.GetByID(ctx, "2")
	if !again.(*models.User).IsActive {
		t.Fatal("the store shares its users with callers")
	}
	if err := s.Create(ctx, models.NewUser("alice")); !errors.Is(err, models.ErrUserExists) {
		t.Fatalf("duplicate Create = %v", err)
	}
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateLastLogin(ctx, u, t1); err != nil {
		t.Fatal(err)
	}
	_ = s.UpdateLastLogin(ctx, u, t1.Add(-time.Hour))
	got, _ := s.GetByID(ctx, "2")
	if ll := got.(*models.User).LastLogin; ll == nil || !ll.Equal(t1) {
		t.Fatalf("last_login = %v", ll)
	}
	if err := s.UpdateLastLogin(ctx, models.TokenUser{ID: "2"}, t1); !errors.Is(err, models.ErrUserNotFound) {
		t.Fatalf("UpdateLastLogin(models.TokenUser) = %v", err)
	}
	if pk, ok, _ := s.ResolveUserPK(ctx, "2"); !ok || pk != int64(2) {
		t.Fatalf("ResolveUserPK = %v, %v", pk, ok)
	}
	if s.UserID(models.TokenUser{ID: "x"}) != "x" || s.UserID(nil) != "" {
		t.Fatal("UserID")
	}
	if !s.Delete(ctx, 2) || s.Delete(ctx, 2) {
		t.Fatal("Delete")
	}
	if _, err := s.Authenticate(ctx, "alice", alicePassword); !errors.Is(err, models.ErrInvalidCredentials) {
		t.Fatal("deleted user authenticated")
	}
}

func TestUsersRehash(t *testing.T) {
	ctx := context.Background()
	h, _ := countedHashers()
	s := modelstest.NewUsers(modelstest.UsersOptions{Hashers: h})
	u := models.NewUser("old")
	u.Password, _ = hashers.New(hashers.PBKDF2SHA1(3)).MakePassword("pw")
	_ = s.Create(ctx, u)
	got, err := s.Authenticate(ctx, "old", "pw")
	if err != nil || !strings.HasPrefix(got.GetPassword(), "pbkdf2_sha256$10$") {
		t.Fatalf("%v, %v", got, err)
	}
	stored, _ := s.GetByID(ctx, s.UserID(got))
	if stored.GetPassword() != got.GetPassword() {
		t.Fatal("re-hash not stored")
	}
}

func TestUsersSetPassword(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newMemoryFixture(t, false)
	u, err := s.GetByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetByUsername(ctx, "ALICE"); !errors.Is(err, models.ErrUserNotFound) {
		t.Fatal("GetByUsername is not exact")
	}
	if err := s.SetPassword(ctx, u.(*models.User), "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "alice", "new"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, &models.User{ID: 99}, "x"); !errors.Is(err, models.ErrUserNotFound) {
		t.Fatal(err)
	}
}

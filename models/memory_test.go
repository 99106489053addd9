package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

func newMemoryFixture(t *testing.T, allowInactive bool) (*MemoryUserStore, *hashers.List, func() int64) {
	t.Helper()
	h, runs := countedHashers()
	s := NewMemoryUserStore(MemoryUserStoreOptions{Hashers: h, AllowInactive: allowInactive})
	for _, u := range []struct {
		name, pw string
		active   bool
	}{{"admin", "admin pw", true}, {"alice", alicePassword, true}, {"ivan", alicePassword, false}, {"nopass", "", true}} {
		x := NewUser(u.name)
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

func TestMemoryUserStoreAuthenticate(t *testing.T) {
	ctx := context.Background()
	s, _, runs := newMemoryFixture(t, false)
	all, _, allRuns := newMemoryFixture(t, true)
	tests := []struct {
		name, username, password string
		store                    *MemoryUserStore
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
			if err != nil || u.(*User).Username != tc.want {
				t.Errorf("%s: %v, %v", tc.name, u, err)
			}
		} else if !errors.Is(err, ErrInvalidCredentials) || u != nil {
			t.Errorf("%s: %v, %v; want ErrInvalidCredentials", tc.name, u, err)
		}
		if n := runs() + allRuns(); n != 1 {
			t.Errorf("%s: hasher ran %d times, want 1", tc.name, n)
		}
	}
}

func TestMemoryUserStoreRules(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newMemoryFixture(t, false)
	for _, id := range []string{"", "0", "-1", "1 OR 1=1", "01", "+1", "1.0", "9999999999999999999999", "99"} {
		if u, err := s.GetByID(ctx, id); !errors.Is(err, ErrUserNotFound) {
			t.Errorf("GetByID(%q) = %v, %v", id, u, err)
		}
	}
	u, err := s.GetByID(ctx, "2")
	if err != nil || u.(*User).Username != "alice" || s.UserID(u) != "2" {
		t.Fatalf("GetByID(2) = %v, %v", u, err)
	}
	// Copies: changing what the store returned changes nothing inside it.
	u.(*User).IsActive = false
	again, _ := s.GetByID(ctx, "2")
	if !again.(*User).IsActive {
		t.Fatal("the store shares its users with callers")
	}
	if err := s.Create(ctx, NewUser("alice")); !errors.Is(err, ErrUserExists) {
		t.Fatalf("duplicate Create = %v", err)
	}
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateLastLogin(ctx, u, t1); err != nil {
		t.Fatal(err)
	}
	_ = s.UpdateLastLogin(ctx, u, t1.Add(-time.Hour))
	got, _ := s.GetByID(ctx, "2")
	if ll := got.(*User).LastLogin; ll == nil || !ll.Equal(t1) {
		t.Fatalf("last_login = %v", ll)
	}
	if err := s.UpdateLastLogin(ctx, TokenUser{ID: "2"}, t1); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("UpdateLastLogin(TokenUser) = %v", err)
	}
	if pk, ok, _ := s.ResolveUserPK(ctx, "2"); !ok || pk != int64(2) {
		t.Fatalf("ResolveUserPK = %v, %v", pk, ok)
	}
	if s.UserID(TokenUser{ID: "x"}) != "x" || s.UserID(nil) != "" {
		t.Fatal("UserID")
	}
	if !s.Delete(ctx, 2) || s.Delete(ctx, 2) {
		t.Fatal("Delete")
	}
	if _, err := s.Authenticate(ctx, "alice", alicePassword); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatal("deleted user authenticated")
	}
}

func TestMemoryUserStoreRehash(t *testing.T) {
	ctx := context.Background()
	h, _ := countedHashers()
	s := NewMemoryUserStore(MemoryUserStoreOptions{Hashers: h})
	u := NewUser("old")
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

func TestMemoryTokenStore(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryTokenStore()
	now := time.Now()
	if err := s.Outstand(ctx, rec("a", "1", now.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	_ = s.Outstand(ctx, TokenRecord{JTI: "a", UserID: "2", Token: "other", ExpiresAt: now})
	if got, _ := s.Get("a"); got.UserID != "1" || got.Token != "token-a" {
		t.Fatalf("Outstand overwrote: %+v", got)
	}
	created, notCreated, errs := raceBlacklist(s, rec("race", "1", now.Add(time.Hour)), 100)
	if created != 1 || notCreated != 99 || len(errs) != 0 {
		t.Fatalf("race: %d created, %d not, %v", created, notCreated, errs)
	}
	if got, ok := s.Get("race"); !ok || got.BlacklistedAt.IsZero() || got.CreatedAt.IsZero() {
		t.Fatalf("race record %+v", got)
	}
	if bl, _ := s.IsBlacklisted(ctx, "a"); bl {
		t.Fatal("a is not blacklisted")
	}
	_ = s.Outstand(ctx, rec("b", "1", now.Add(time.Hour)))
	_ = s.Outstand(ctx, rec("c", "2", now.Add(time.Hour)))
	if n, _ := s.BlacklistAllForUser(ctx, "1"); n != 2 { // a and b; race is already blacklisted
		t.Fatalf("BlacklistAllForUser = %d", n)
	}
	if bl, _ := s.IsBlacklisted(ctx, "c"); bl {
		t.Fatal("another user's token was blacklisted")
	}
	_ = s.Outstand(ctx, rec("old", "1", now.Add(-time.Second)))
	_ = s.Outstand(ctx, rec("edge", "1", now))
	if n, _ := s.FlushExpired(ctx, now, 0); n != 2 || s.Len() != 4 {
		t.Fatalf("FlushExpired = %d, %d left", n, s.Len())
	}
}

func TestMemoryUserStoreSetPassword(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newMemoryFixture(t, false)
	u, err := s.GetByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetByUsername(ctx, "ALICE"); !errors.Is(err, ErrUserNotFound) {
		t.Fatal("GetByUsername is not exact")
	}
	if err := s.SetPassword(ctx, u.(*User), "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "alice", "new"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, &User{ID: 99}, "x"); !errors.Is(err, ErrUserNotFound) {
		t.Fatal(err)
	}
}

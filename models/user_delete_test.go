package models

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// TestDeleteUserKeepsBlacklist is Django's SET_NULL: deleting a user keeps their tokens' rows
// (user_id NULL) and blacklist rows, so a blacklisted token stays refused.
func TestDeleteUserKeepsBlacklist(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		ctx := context.Background()
		aliceID := f.users.UserID(f.alice)
		exp := time.Now().Add(time.Hour)
		for _, jti := range []string{"t1", "t2"} {
			if err := f.tokens.Outstand(ctx, rec(jti, aliceID, exp)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.tokens.Blacklist(ctx, rec("t1", aliceID, exp)); err != nil {
			t.Fatal(err)
		}
		deleted, err := f.users.Delete(ctx, aliceID)
		if err != nil || !deleted {
			t.Fatalf("Delete = %v, %v", deleted, err)
		}
		if _, err := f.users.GetByID(ctx, aliceID); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("GetByID after delete = %v", err)
		}
		for _, jti := range []string{"t1", "t2"} {
			row, ok := f.outstanding(t, jti)
			if !ok || row.UserID != nil {
				t.Fatalf("%s after user delete: %+v, %v; want the row with user_id NULL", jti, row, ok)
			}
		}
		if bl, _ := f.tokens.IsBlacklisted(ctx, "t1"); !bl {
			t.Fatal("blacklist row lost with the user")
		}
		if deleted, err := f.users.Delete(ctx, aliceID); err != nil || deleted {
			t.Fatalf("second Delete = %v, %v", deleted, err)
		}
		if _, err := f.users.GetByID(ctx, f.users.UserID(f.bob)); err != nil {
			t.Fatalf("bob: %v", err)
		}
	})
}

// member is a custom user model whose USER_ID_FIELD is not its primary key.
type member struct {
	ID       int64  `gorm:"column:id;primaryKey;autoIncrement"`
	Handle   string `gorm:"column:handle;size:64;not null;uniqueIndex"`
	Username string `gorm:"column:username;size:150;not null;uniqueIndex"`
	Password string `gorm:"column:password;size:128;not null"`
	IsActive bool   `gorm:"column:is_active;not null"`
}

func (*member) TableName() string          { return "app_member" }
func (m *member) GetIsActive() bool        { return m.IsActive }
func (m *member) GetPassword() string      { return m.Password }
func (m *member) SetPasswordHash(p string) { m.Password = p }

// TestDeleteHonoursTableAndIDField: Delete finds the user by the store's IDField in the store's
// table, and leaves auth_user (and its row with the same primary key) alone.
func TestDeleteHonoursTableAndIDField(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		f := newTokenFixture(t, tdb) // alice is auth_user 1
		if err := tdb.DB.AutoMigrate(&member{}); err != nil {
			t.Fatal(err)
		}
		members, err := NewUserStore(tdb.DB, UserStoreOptions{
			New:            func() UserModel { return new(member) },
			IDField:        "handle",
			LastLoginField: "-",
			Hashers:        hashers.New(hashers.PBKDF2SHA256(1)),
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*member{{Handle: "h-1", Username: "m1", IsActive: true}, {Handle: "h-2", Username: "m2", IsActive: true}} {
			if err := members.Create(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			id      string
			deleted bool
		}{
			{"1", false}, // a primary key, not a handle
			{"h-1", true},
			{"h-1", false}, // already gone
			{"", false},
			{"h-3", false},
		}
		for _, s := range steps {
			if deleted, err := members.Delete(ctx, s.id); err != nil || deleted != s.deleted {
				t.Fatalf("Delete(%q) = %v, %v; want %v", s.id, deleted, err, s.deleted)
			}
		}
		if _, err := members.GetByID(ctx, "h-1"); !errors.Is(err, ErrUserNotFound) {
			t.Errorf("h-1 after Delete: %v, want ErrUserNotFound", err)
		}
		if _, err := members.GetByID(ctx, "h-2"); err != nil {
			t.Errorf("h-2 after deleting h-1: %v", err)
		}
		for _, u := range []*User{f.alice, f.bob} {
			if _, err := f.users.GetByID(ctx, f.users.UserID(u)); err != nil {
				t.Errorf("auth_user %s after deleting a member: %v", u.Username, err)
			}
		}
	})
}

// TestDeleteRefusesNonIDs: text that cannot be a value of the id column deletes nothing, without
// an error.
func TestDeleteRefusesNonIDs(t *testing.T) {
	tdb := newTestDB(t, "sqlite", true)
	f := newTokenFixture(t, tdb)
	for _, id := range []string{"", "abc", "01", "+1", "1.0", " 1", "4294967296", "1 OR 1=1"} {
		if deleted, err := f.users.Delete(context.Background(), id); err != nil || deleted {
			t.Errorf("Delete(%q) = %v, %v; want false, nil", id, deleted, err)
		}
	}
	if n := f.count(t, "auth_user"); n != 2 {
		t.Errorf("%d users left, want 2", n)
	}
}

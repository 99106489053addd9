package models

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// TestGetByIDForAuth: the narrow lookup returns exactly the fields Auth checks (the password
// only when asked), refuses what GetByID refuses, and sees a deactivation and a password change
// at once (nothing is cached), on every database.
func TestGetByIDForAuth(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		hs := hashers.New(hashers.PBKDF2SHA256(10))
		users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hs})
		if err != nil {
			t.Fatal(err)
		}
		if users.auth[0] == nil || users.auth[1] == nil {
			t.Fatalf("no narrow lookup on %s", tdb.Dialect)
		}
		alice := NewUser("alice")
		alice.Email, alice.FirstName = "alice@example.com", "Alice"
		_ = alice.SetPasswordWith(hs, "pw-1")
		if err := users.Create(ctx, alice); err != nil {
			t.Fatal(err)
		}
		id := users.UserID(alice)
		cases := []struct {
			name     string
			id       string
			password bool
			want     error
			wantPass string
		}{
			{"without password", id, false, nil, ""},
			{"with password", id, true, nil, alice.Password},
			{"unknown id", "999999", false, ErrUserNotFound, ""},
			{"not an id", "1 OR 1=1", true, ErrUserNotFound, ""},
			{"empty", "", false, ErrUserNotFound, ""},
		}
		for _, tc := range cases {
			got, err := users.GetByIDForAuth(ctx, tc.id, tc.password)
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
				continue
			}
			if err != nil {
				continue
			}
			u := got.(*User)
			if u.ID != alice.ID || u.Username != "alice" || !u.IsActive || u.Password != tc.wantPass {
				t.Errorf("%s: got %+v", tc.name, u)
			}
			if u.Email != "" || u.FirstName != "" || !u.DateJoined.IsZero() {
				t.Errorf("%s: loaded more than Auth's columns: %+v", tc.name, u)
			}
			if users.UserID(u) != id {
				t.Errorf("%s: UserID %q, want %q", tc.name, users.UserID(u), id)
			}
		}
		// No cache: a deactivation and a new password are seen by the next call.
		if err := tdb.DB.Table("auth_user").Where("id = ?", alice.ID).Update("is_active", false).Error; err != nil {
			t.Fatal(err)
		}
		if err := users.SetPassword(ctx, alice, "pw-2"); err != nil {
			t.Fatal(err)
		}
		got, err := users.GetByIDForAuth(ctx, id, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.GetIsActive() || got.GetPassword() != alice.Password {
			t.Errorf("after deactivation and a password change: active %v, password %q, want false, %q", got.GetIsActive(), got.GetPassword(), alice.Password)
		}
	})
}

// TestGetByIDForAuthCustomModel: a custom model (whose GetIsActive may read more than one
// column) keeps the full GetByID.
func TestGetByIDForAuthCustomModel(t *testing.T) {
	tdb := newTestDB(t, "sqlite", false)
	users, err := NewUserStore(tdb.DB, UserStoreOptions{New: func() UserModel { return new(bannableUser) }})
	if err != nil {
		t.Fatal(err)
	}
	if users.auth[0] != nil || users.auth[1] != nil {
		t.Fatal("a custom model got the narrow lookup")
	}
}

// bannableUser is a custom model whose GetIsActive reads two columns.
type bannableUser struct {
	User
	Banned bool `gorm:"column:banned;not null"`
}

func (u *bannableUser) GetIsActive() bool { return u.IsActive && !u.Banned }

// TestGetByIDForAuthPoolWait: the lookup's wait for a pooled connection keeps the call's
// deadline on every database (on SQLite the query itself runs without cancellation, see
// lazyStmt.queryRow, but the connection is taken under the deadline): with the only connection
// held elsewhere it fails as unavailable instead of waiting for it, and once the connection is
// back it answers.
func TestGetByIDForAuthPoolWait(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		hs := hashers.New(hashers.PBKDF2SHA256(10))
		users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hs, Timeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		alice := NewUser("alice")
		if err := users.Create(ctx, alice); err != nil {
			t.Fatal(err)
		}
		sqlDB, err := tdb.DB.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(1)
		held, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := users.GetByIDForAuth(ctx, users.UserID(alice), false)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("with the pool's only connection held: %v; want ErrUnavailable", err)
			}
		case <-time.After(time.Minute): // a hang, not a slow machine
			t.Fatal("the lookup waits for a connection past its deadline")
		}
		if err := held.Close(); err != nil {
			t.Fatal(err)
		}
		if u, err := users.GetByIDForAuth(ctx, users.UserID(alice), false); err != nil || !u.GetIsActive() {
			t.Errorf("with the connection back: %v, %v", u, err)
		}
	})
}

package models

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestMigrateUserNotify: on PostgreSQL the trigger announces every committed UPDATE and DELETE
// of a user row on UserChannel with the row's USER_ID_FIELD value, a TRUNCATE with an empty
// payload, and nothing for a rolled-back change or an INSERT; MigrateUserNotify and
// RemoveUserNotify are idempotent; elsewhere they answer ErrNotPostgres.
func TestMigrateUserNotify(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		if tdb.Dialect != "postgres" {
			for name, err := range map[string]error{
				"MigrateUserNotify": MigrateUserNotify(ctx, tdb.DB, UserStoreOptions{}),
				"RemoveUserNotify":  RemoveUserNotify(ctx, tdb.DB, UserStoreOptions{}),
			} {
				if !errors.Is(err, ErrNotPostgres) {
					t.Errorf("%s on %s: %v, want ErrNotPostgres", name, tdb.Dialect, err)
				}
			}
			return
		}
		users, err := NewUserStore(tdb.DB, UserStoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"alice", "bob", "carol"} {
			if err := users.Create(ctx, NewUser(name)); err != nil {
				t.Fatal(err)
			}
		}
		installed := func(opts UserStoreOptions) bool {
			t.Helper()
			ok, err := UserNotifyInstalled(ctx, tdb.DB, opts)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if installed(UserStoreOptions{}) {
			t.Fatal("installed before MigrateUserNotify")
		}
		for range 2 {
			if err := MigrateUserNotify(ctx, tdb.DB, UserStoreOptions{}); err != nil {
				t.Fatalf("MigrateUserNotify: %v (%v)", err, errors.Unwrap(err))
			}
		}
		if !installed(UserStoreOptions{}) || installed(UserStoreOptions{IDField: "username"}) {
			t.Fatal("UserNotifyInstalled: want the id column's trigger only")
		}
		conn, err := pgx.Connect(ctx, tdb.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "LISTEN "+UserChannel); err != nil {
			t.Fatal(err)
		}
		// next returns the next notification's payload, or "none" when none comes within wait.
		next := func(wait time.Duration) string {
			t.Helper()
			wctx, cancel := context.WithTimeout(ctx, wait)
			defer cancel()
			n, err := conn.WaitForNotification(wctx)
			if err != nil {
				if wctx.Err() != nil {
					return "none"
				}
				t.Fatal(err)
			}
			return n.Payload
		}
		exec := func(sql string) {
			t.Helper()
			if err := tdb.DB.Exec(sql).Error; err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		cases := []struct {
			name, sql string
			want      []string
		}{
			{"deactivation", "UPDATE auth_user SET is_active = false WHERE username = 'alice'", []string{"1"}},
			{"password change", "UPDATE auth_user SET password = 'x' WHERE id = 2", []string{"2"}},
			{"an update of two rows", "UPDATE auth_user SET last_name = 'L' WHERE id IN (1, 2)", []string{"1", "2"}},
			{"rolled back", "BEGIN; UPDATE auth_user SET is_active = false WHERE id = 3; ROLLBACK", nil},
			{"insert", "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) " +
				"VALUES ('!', false, 'dave', '', '', '', false, true, now())", nil},
			{"delete", "DELETE FROM auth_user WHERE id = 3", []string{"3"}},
		}
		for _, tc := range cases {
			exec(tc.sql)
			got := map[string]bool{}
			for range tc.want {
				got[next(5*time.Second)] = true
			}
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("%s: notifications %v, want %v", tc.name, got, tc.want)
				}
			}
			if extra := next(50 * time.Millisecond); extra != "none" {
				t.Errorf("%s: unexpected notification %q", tc.name, extra)
			}
		}
		// Another id column: the payload is that column's value.
		if err := MigrateUserNotify(ctx, tdb.DB, UserStoreOptions{IDField: "username"}); err != nil {
			t.Fatal(err)
		}
		if !installed(UserStoreOptions{IDField: "username"}) || installed(UserStoreOptions{}) {
			t.Fatal("UserNotifyInstalled after the id column changed")
		}
		exec("UPDATE auth_user SET is_active = true WHERE id = 1")
		if got := next(5 * time.Second); got != "alice" {
			t.Errorf("USER_ID_FIELD username: payload %q, want alice", got)
		}
		exec("TRUNCATE auth_user CASCADE")
		if got := next(5 * time.Second); got != "" {
			t.Errorf("TRUNCATE: payload %q, want empty", got)
		}
		for range 2 {
			if err := RemoveUserNotify(ctx, tdb.DB, UserStoreOptions{}); err != nil {
				t.Fatalf("RemoveUserNotify: %v (%v)", err, errors.Unwrap(err))
			}
		}
		if installed(UserStoreOptions{IDField: "username"}) {
			t.Fatal("installed after RemoveUserNotify")
		}
		if err := users.Create(ctx, NewUser("erin")); err != nil {
			t.Fatal(err)
		}
		exec("UPDATE auth_user SET is_active = false")
		if got := next(100 * time.Millisecond); got != "none" {
			t.Errorf("after RemoveUserNotify: notification %q", got)
		}
		var fns int64
		if err := tdb.DB.Raw("SELECT COUNT(*) FROM pg_proc WHERE proname = ?", userNotifyFunction).Row().Scan(&fns); err != nil || fns != 0 {
			t.Errorf("trigger function left: %d (%v)", fns, err)
		}
	})
}

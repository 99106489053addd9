package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"testing"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"gorm.io/gorm"
)

// TestAssign: scanCached's columns go into their destinations as Row.Scan puts them.
func TestAssign(t *testing.T) {
	var i int64
	var s string
	var b bool
	var ns sql.NullString
	cases := []struct {
		name  string
		dest  any
		v     driver.Value
		check func() bool
		fails bool
	}{
		{"int64", &i, int64(42), func() bool { return i == 42 }, false},
		{"text into string", &s, "alice", func() bool { return s == "alice" }, false},
		{"bytes into string", &s, []byte("bob"), func() bool { return s == "bob" }, false},
		{"int64 1 into bool", &b, int64(1), func() bool { return b }, false},
		{"int64 0 into bool", &b, int64(0), func() bool { return !b }, false},
		{"bool into bool", &b, true, func() bool { return b }, false},
		{"NULL into a Scanner", &ns, nil, func() bool { return !ns.Valid }, false},
		{"text into a Scanner", &ns, "x", func() bool { return ns.Valid && ns.String == "x" }, false},
		{"NULL into int64", &i, nil, nil, true},
		{"NULL into string", &s, nil, nil, true},
		{"NULL into bool", &b, nil, nil, true},
		{"text into int64", &i, "abc", nil, true},
		{"int64 2 into bool", &b, int64(2), nil, true},
		{"unsupported destination", new(float64), 1.5, nil, true},
	}
	for _, tc := range cases {
		err := assign(tc.dest, tc.v)
		if tc.fails != (err != nil) {
			t.Errorf("%s: err %v, want failure %v", tc.name, err, tc.fails)
			continue
		}
		if !tc.fails && !tc.check() {
			t.Errorf("%s: not stored", tc.name)
		}
	}
}

// TestGetByIDForAuthInMemory: on a SQLite connection that keeps no statements (an in-memory
// database's), the lookup prepares its query for each call and answers as on a file's.
func TestGetByIDForAuthInMemory(t *testing.T) {
	ctx := context.Background()
	db, err := OpenURL(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	hs := hashers.New(hashers.PBKDF2SHA256(10))
	users, err := NewUserStore(db, UserStoreOptions{Hashers: hs})
	if err != nil {
		t.Fatal(err)
	}
	if users.auth[0] == nil || !users.auth[0].sqlite {
		t.Fatal("no SQLite lookup")
	}
	sqlDB, _ := db.DB()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.Raw(func(dc any) error {
		if _, cached := dc.(cachedQueryer); cached {
			t.Error("an in-memory connection keeps statements: this test does not reach the other path")
		}
		return nil
	})
	_ = conn.Close()
	alice := NewUser("alice")
	_ = alice.SetPasswordWith(hs, "pw-1")
	if err := users.Create(ctx, alice); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := users.GetByIDForAuth(ctx, users.UserID(alice), true)
		if err != nil {
			t.Fatal(err)
		}
		if u := got.(*User); u.ID != alice.ID || u.Username != "alice" || !u.IsActive || u.Password != alice.Password {
			t.Errorf("got %+v", u)
		}
	}
	if _, err := users.GetByIDForAuth(ctx, "999", false); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

// TestWriteCommitsBeforeDeadline: a write commits only while its context lives: a context
// that ends while the transaction runs rolls it back (on SQLite the transaction runs without
// the context's cancellation and checks it before COMMIT; elsewhere database/sql does), and
// one that lives commits.
func TestWriteCommitsBeforeDeadline(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		insert := func(name string) func(tx *gorm.DB) error {
			return func(tx *gorm.DB) error {
				return tx.Exec("INSERT INTO auth_group (name) VALUES (?)", name).Error
			}
		}
		count := func(name string) int64 {
			var n int64
			if err := tdb.DB.Raw("SELECT COUNT(*) FROM auth_group WHERE name = ?", name).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		ctx, cancel := context.WithCancel(context.Background())
		err := write(ctx, tdb.DB, infoOf(tdb.DB), func(tx *gorm.DB) error {
			err := insert("ended")(tx)
			cancel() // the call's context ends after the statement, before COMMIT
			return err
		})
		if err == nil || count("ended") != 0 {
			t.Errorf("context ended inside the transaction: err %v, %d rows; want an error and none", err, count("ended"))
		}
		if err := write(context.Background(), tdb.DB, infoOf(tdb.DB), insert("lives")); err != nil || count("lives") != 1 {
			t.Errorf("live context: err %v, %d rows; want nil and 1", err, count("lives"))
		}
	})
}

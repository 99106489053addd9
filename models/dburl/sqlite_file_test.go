package dburl

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// TestSQLiteFileChanged: a SQLite file deleted or replaced under an open database makes every
// call fail with ErrDatabaseFileChanged (a 503 upstream), its cause naming the path and what
// happened; no new, empty database is created at the path, and the replacement is not written.
func TestSQLiteFileChanged(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, path string)
		want   string
	}{
		{"deleted", func(t *testing.T, path string) {
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					t.Fatal(err)
				}
			}
		}, "no longer exists"},
		{"deleted with its directory", func(t *testing.T, path string) {
			if err := os.RemoveAll(filepath.Dir(path)); err != nil {
				t.Fatal(err)
			}
		}, "no longer exists"},
		{"replaced", func(t *testing.T, path string) {
			other := filepath.Join(t.TempDir(), "other.sqlite3")
			db, err := Open(context.Background(), other)
			if err != nil {
				t.Fatal(err)
			}
			if err := models.Migrate(context.Background(), db); err != nil {
				t.Fatal(err)
			}
			closeDB(db)
			if err := os.Rename(other, path); err != nil {
				t.Fatal(err)
			}
		}, "is not the file that was opened"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "data", "db.sqlite3")
			if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer closeDB(db)
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			users, _ := models.NewUserStore(db, models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
			tokens := models.NewTokenStore(db, users)
			alice := models.NewUser("alice")
			if err := users.Create(ctx, alice); err != nil {
				t.Fatal(err)
			}
			// Fill the pool with connections to the first file.
			done := make(chan error)
			for range SQLiteMaxOpenConns {
				go func() { _, err := users.GetByID(ctx, "1"); done <- err }()
			}
			for range SQLiteMaxOpenConns {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}

			// Move what the WAL holds into the file, so that the replacement does not pick up
			// the first file's -wal (SQLite finds a -wal by its name).
			if err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
				t.Fatal(err)
			}
			c.change(t, path)

			calls := map[string]func() error{
				"GetByID": func() error { _, err := users.GetByID(ctx, "1"); return err },
				"Outstand": func() error {
					return tokens.Outstand(ctx, models.TokenRecord{JTI: "j", UserID: "1", Token: "t", ExpiresAt: time.Now().Add(time.Hour)})
				},
				"Create":        func() error { return users.Create(ctx, models.NewUser("bob")) },
				"IsBlacklisted": func() error { _, err := tokens.IsBlacklisted(ctx, "j"); return err },
			}
			for name, call := range calls {
				for range 2 * SQLiteMaxOpenConns { // every pooled connection, then new ones
					err := call()
					var dbErr *models.DBError
					if !errors.Is(err, ErrDatabaseFileChanged) || !errors.As(err, &dbErr) {
						t.Fatalf("%s after the file was %s = %v, want ErrDatabaseFileChanged in a *models.DBError", name, c.name, err)
					}
					if d := dbErr.Describe(); !strings.Contains(d, path) || !strings.Contains(d, c.want) {
						t.Fatalf("%s: cause %q, want the path and %q", name, d, c.want)
					}
				}
			}
			switch c.name {
			case "replaced":
				// The replacement was not written to.
				other, err := Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				defer closeDB(other)
				var n int64
				other.Raw("SELECT COUNT(*) FROM auth_user").Scan(&n)
				if n != 0 {
					t.Errorf("the replacement file has %d users, want 0", n)
				}
			default:
				if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a file was created at %s: %v", path, err)
				}
			}
		})
	}
}

// TestSQLiteFileURIForms: the connector opens later connections with mode=rw, whatever form the
// path was given in, and leaves a mode the caller chose.
func TestSQLiteFileURIForms(t *testing.T) {
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	cases := []struct {
		dsn, path, later string
	}{
		{"db.sqlite3?_busy_timeout=250", abs("db.sqlite3"), "file://" + filepath.ToSlash(abs("db.sqlite3")) + "?_busy_timeout=250&mode=rw"},
		{"/tmp/a b#%.db?x=1", "/tmp/a b#%.db", "file:///tmp/a%20b%23%25.db?mode=rw&x=1"},
		{"file:/tmp/x.db?mode=ro", "/tmp/x.db", "file:/tmp/x.db?mode=ro"},
		{"file:///tmp/y.db?cache=shared", "/tmp/y.db", "file:///tmp/y.db?cache=shared&mode=rw"},
	}
	for _, c := range cases {
		f, err := newSQLiteFile(c.dsn)
		if err != nil {
			t.Errorf("newSQLiteFile(%q): %v", c.dsn, err)
			continue
		}
		if f.path != c.path || f.laterDSN != c.later {
			t.Errorf("newSQLiteFile(%q): path %q, later %q; want %q, %q", c.dsn, f.path, f.laterDSN, c.path, c.later)
		}
	}
}

// BenchmarkSQLiteFileCheck is the file check before each reuse of a pooled connection: one
// stat of the path.
//
//	go test ./models/dburl -run '^$' -bench SQLiteFileCheck -benchmem
func BenchmarkSQLiteFileCheck(b *testing.B) {
	path := filepath.Join(b.TempDir(), "b.sqlite3")
	f, err := newSQLiteFile(path)
	if err != nil {
		b.Fatal(err)
	}
	c, err := f.Connect(context.Background()) // the first connection creates the file
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ReportAllocs()
	for b.Loop() {
		if err := f.check(); err != nil {
			b.Fatal(err)
		}
	}
}

package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// Environment variables that turn on the PostgreSQL and MySQL/MariaDB runs of the suites. Each
// test creates its own database on that server (and drops it afterwards), so runs of several
// packages against one server do not interfere.
const (
	envPostgres = "SIMPLEJWT_TEST_POSTGRES_DSN" // e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable
	envMySQL    = "SIMPLEJWT_TEST_MYSQL_DSN"    // e.g. mysql://root@127.0.0.1:3306/test
)

var testDialects = []string{"sqlite", "postgres", "mysql"}

// OpenURL is dburl.Open, set by TestMain (main_test.go). dburl imports this package, so the
// tests inside it reach dburl through the external test package: importing dburl here would be
// an import cycle.
var OpenURL func(ctx context.Context, url string) (*gorm.DB, error)

// testDB is one fresh, private database.
type testDB struct {
	Dialect string
	URL     string // for OpenURL
	DB      *gorm.DB
	dbName  string // the database's name on a server, or the SQLite file path
	server  *url.URL
}

// forEachDB runs f on a fresh SQLite file and, when their environment variables are set, on a
// fresh PostgreSQL and MySQL database, as three parallel subtests; migrate says whether Migrate
// runs first.
func forEachDB(t *testing.T, migrate bool, f func(t *testing.T, tdb *testDB)) {
	t.Helper()
	for _, d := range testDialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f(t, newTestDB(t, d, migrate))
		})
	}
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func newTestDB(t testing.TB, dialect string, migrate bool) *testDB {
	t.Helper()
	ctx := context.Background()
	tdb := &testDB{Dialect: dialect}
	switch dialect {
	case "sqlite":
		tdb.dbName = filepath.Join(t.TempDir(), "db.sqlite3")
		tdb.URL = tdb.dbName
	case "postgres", "mysql":
		env := envPostgres
		if dialect == "mysql" {
			env = envMySQL
		}
		base := os.Getenv(env)
		if base == "" {
			t.Skipf("%s not set: skipping the %s run (e.g. %s=%s)", env, dialect, env, map[string]string{
				"postgres": "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
				"mysql":    "mysql://root@127.0.0.1:3306/test",
			}[dialect])
		}
		admin, err := OpenURL(ctx, base)
		if err != nil {
			t.Fatalf("connect to %s: %v (%v)", env, err, errors.Unwrap(err))
		}
		tdb.dbName = randomName("sjmodels_")
		create := "CREATE DATABASE " + tdb.dbName
		if dialect == "mysql" {
			create += " CHARACTER SET utf8mb4"
		}
		if err := admin.Exec(create).Error; err != nil {
			t.Fatalf("%s: %v", create, err)
		}
		t.Cleanup(func() {
			drop := "DROP DATABASE IF EXISTS " + tdb.dbName
			if dialect == "postgres" {
				drop += " WITH (FORCE)"
			}
			if err := admin.Exec(drop).Error; err != nil {
				t.Errorf("%s: %v", drop, err)
			}
			closeDB(admin)
		})
		u, _ := url.Parse(base)
		tdb.server = u
		v := *u
		v.Path = "/" + tdb.dbName
		tdb.URL = v.String()
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	db, err := OpenURL(ctx, tdb.URL)
	if err != nil {
		t.Fatalf("OpenURL(%s): %v (%v)", tdb.URL, err, errors.Unwrap(err))
	}
	t.Cleanup(func() { closeDB(db) })
	tdb.DB = db
	if migrate {
		if err := Migrate(ctx, db); err != nil {
			t.Fatalf("Migrate: %v (%+v)", err, errors.Unwrap(err))
		}
	}
	return tdb
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// ----------------------------------------------------------------------------------------------
// Django through /usr/bin/python3

const djangoPython = "/usr/bin/python3"

var djangoProbe sync.Map // dialect → error (nil: usable)

// needDjango skips the test unless /usr/bin/python3 can import Django, simplejwt's
// token_blacklist and the dialect's database driver.
func needDjango(t *testing.T, dialect string) {
	t.Helper()
	v, ok := djangoProbe.Load(dialect)
	if !ok {
		mod := map[string]string{"sqlite": "sqlite3", "postgres": "psycopg2", "mysql": "MySQLdb"}[dialect]
		out, err := exec.Command(djangoPython, "-c",
			"import django, rest_framework_simplejwt.token_blacklist, "+mod).CombinedOutput()
		if err != nil {
			err = fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
		}
		v, _ = djangoProbe.LoadOrStore(dialect, err)
	}
	if err, _ := v.(error); err != nil {
		t.Skipf("Django is not usable through %s for %s (%v): skipping the Django interop check", djangoPython, dialect, err)
	}
}

// django runs testdata/django/djangoctl.py on tdb's database and decodes its JSON answer into out.
func (tdb *testDB) django(t *testing.T, out any, args ...string) {
	t.Helper()
	cmd := exec.Command(djangoPython, append([]string{filepath.Join("testdata", "django", "djangoctl.py")}, args...)...)
	env := append(os.Environ(), "SJ_DB_NAME="+tdb.dbName, "PYTHONDONTWRITEBYTECODE=1")
	switch tdb.Dialect {
	case "sqlite":
		env = append(env, "SJ_DB_ENGINE=sqlite3")
	case "postgres", "mysql":
		engine := map[string]string{"postgres": "postgresql", "mysql": "mysql"}[tdb.Dialect]
		env = append(env, "SJ_DB_ENGINE="+engine, "SJ_DB_HOST="+tdb.server.Hostname(), "SJ_DB_PORT="+tdb.server.Port())
		if u := tdb.server.User; u != nil {
			env = append(env, "SJ_DB_USER="+u.Username())
			if p, ok := u.Password(); ok {
				env = append(env, "SJ_DB_PASSWORD="+p)
			}
		}
	}
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("django %v: %v\n%s", args, err, stderr.String())
	}
	if out != nil {
		if err := json.Unmarshal(stdout, out); err != nil {
			t.Fatalf("django %v: bad JSON %q: %v", args, stdout, err)
		}
	}
}

// ----------------------------------------------------------------------------------------------
// DjangoTime

func TestDjangoTimeText(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 24, 0, 14, 0, 409586000, time.UTC), "2026-11-24 00:14:00.409586"},
		{time.Date(2026, 11, 24, 0, 14, 0, 0, time.UTC), "2026-11-24 00:14:00"}, // Python omits .000000
		{time.Date(2026, 11, 24, 0, 14, 0, 1000, time.UTC), "2026-11-24 00:14:00.000001"},
		{time.Date(2026, 11, 24, 0, 14, 0, 999, time.UTC), "2026-11-24 00:14:00"}, // truncated, not rounded
		{time.Date(2026, 11, 24, 2, 14, 0, 5000000, time.FixedZone("CEST", 2*3600)), "2026-11-24 00:14:00.005000"},
	}
	for _, tc := range tests {
		if got := NewDjangoTime(tc.in).String(); got != tc.want {
			t.Errorf("NewDjangoTime(%v) = %q, want %q", tc.in, got, tc.want)
		}
		var back DjangoTime
		if err := back.Scan(tc.want); err != nil {
			t.Fatalf("Scan(%q): %v", tc.want, err)
		}
		if !back.Equal(NewDjangoTime(tc.in).Time) {
			t.Errorf("Scan(%q) = %v, want %v", tc.want, back, tc.in)
		}
	}
	for _, in := range []any{"2026-11-24T00:14:00Z", "2026-11-24 00:14:00+00:00", []byte("2026-11-24 00:14:00.5"), time.Date(2026, 11, 24, 1, 14, 0, 0, time.FixedZone("", 3600))} {
		var d DjangoTime
		if err := d.Scan(in); err != nil || d.Format(time.DateTime) != "2026-11-24 00:14:00" || d.Location() != time.UTC {
			t.Errorf("Scan(%v) = %v, %v", in, d, err)
		}
	}
	var d DjangoTime
	for _, bad := range []any{"yesterday", 42, 1.5} {
		if err := d.Scan(bad); err == nil {
			t.Errorf("Scan(%v) succeeded", bad)
		}
	}
	if DjangoTimePtr(time.Time{}) != nil {
		t.Error("DjangoTimePtr(zero) != nil")
	}
}

// TestDjangoTimeStoredAsDjangoDoes is (d): on SQLite, datetimes are Django's text, which Django
// compares as text; on PostgreSQL and MySQL they round-trip to the microsecond.
func TestDjangoTimeStoredAsDjangoDoes(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		tokens := NewTokenStore(tdb.DB, nil)
		created := time.Date(2026, 11, 24, 0, 13, 23, 123456789, time.UTC)
		expires := time.Date(2026, 11, 25, 0, 13, 23, 0, time.UTC)
		if err := tokens.Outstand(ctx, TokenRecord{JTI: "j1", Token: "t", CreatedAt: created, ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
		u := NewUser("alice")
		u.DateJoined = NewDjangoTime(time.Date(2020, 1, 2, 3, 4, 5, 600000000, time.UTC))
		if err := tdb.DB.Create(u).Error; err != nil {
			t.Fatal(err)
		}
		if tdb.Dialect == "sqlite" {
			var texts []string
			tdb.DB.Raw("SELECT created_at || '|' || expires_at || '|' || typeof(expires_at) FROM token_blacklist_outstandingtoken").Scan(&texts)
			if want := "2026-11-24 00:13:23.123456|2026-11-25 00:13:23|text"; len(texts) != 1 || texts[0] != want {
				t.Fatalf("stored %q, want %q", texts, want)
			}
			var joined string
			tdb.DB.Raw("SELECT date_joined || '' FROM auth_user").Scan(&joined)
			if joined != "2020-01-02 03:04:05.600000" {
				t.Fatalf("date_joined stored as %q", joined)
			}
			// Django's flush compares text: a row expiring at 00:13:23 is expired at 00:13:23.000001.
			var n int64
			tdb.DB.Raw("SELECT COUNT(*) FROM token_blacklist_outstandingtoken WHERE expires_at <= ?", "2026-11-25 00:13:23.000001").Scan(&n)
			if n != 1 {
				t.Fatalf("text comparison found %d rows, want 1", n)
			}
		}
		var row OutstandingToken
		if err := tdb.DB.Where("jti = ?", "j1").First(&row).Error; err != nil {
			t.Fatal(err)
		}
		if row.CreatedAt == nil || !row.CreatedAt.Equal(created.Truncate(time.Microsecond)) || !row.ExpiresAt.Equal(expires) {
			t.Fatalf("read back created=%v expires=%v", row.CreatedAt, row.ExpiresAt)
		}
		if row.ExpiresAt.Location() != time.UTC {
			t.Fatalf("read back in %v, want UTC", row.ExpiresAt.Location())
		}
	})
}

// ----------------------------------------------------------------------------------------------
// Outage (f): every store method reports ErrUnavailable, without panicking, once the pool is closed.

func TestDatabaseOutage(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		hs := hashers.New(hashers.PBKDF2SHA256(10))
		users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hs})
		if err != nil {
			t.Fatal(err)
		}
		u := NewUser("alice")
		if err := users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		tokens := NewTokenStore(tdb.DB, users)
		rec := TokenRecord{JTI: "jti-1", UserID: "1", Token: "t", ExpiresAt: time.Now().Add(time.Hour)}
		// Without a user, so that Rotate reaches its transaction.
		old, next := TokenRecord{JTI: "jti-2", Token: "t", ExpiresAt: rec.ExpiresAt}, TokenRecord{JTI: "jti-3", Token: "t", ExpiresAt: rec.ExpiresAt}

		// GetByIDForAuth without the password has its statement prepared before the outage;
		// with it, the statement is prepared during the outage.
		if _, err := users.GetByIDForAuth(ctx, "1", false); err != nil {
			t.Fatal(err)
		}

		closeDB(tdb.DB)

		calls := map[string]func() error{
			"GetByID":                func() error { _, err := users.GetByID(ctx, "1"); return err },
			"GetByIDForAuth":         func() error { _, err := users.GetByIDForAuth(ctx, "1", false); return err },
			"GetByIDForAuthPassword": func() error { _, err := users.GetByIDForAuth(ctx, "1", true); return err },
			"Authenticate":           func() error { _, err := users.Authenticate(ctx, "alice", "pw"); return err },
			"UpdateLastLogin":        func() error { return users.UpdateLastLogin(ctx, u, time.Now()) },
			"ResolveUserPK":          func() error { _, _, err := users.ResolveUserPK(ctx, "1"); return err },
			"Create":                 func() error { return users.Create(ctx, NewUser("bob")) },
			"Outstand":               func() error { return tokens.Outstand(ctx, rec) },
			"Blacklist":              func() error { _, err := tokens.Blacklist(ctx, rec); return err },
			"IsBlacklisted":          func() error { _, err := tokens.IsBlacklisted(ctx, "jti-1"); return err },
			"BlacklistAll":           func() error { _, err := tokens.BlacklistAllForUser(ctx, "1"); return err },
			"Rotate":                 func() error { _, err := tokens.Rotate(ctx, old, next); return err },
			"FlushExpired":           func() error { _, err := tokens.FlushExpired(ctx, time.Now(), 0); return err },
			"Delete":                 func() error { _, err := users.Delete(ctx, "1"); return err },
			"Migrate":                func() error { return Migrate(ctx, tdb.DB) },
		}
		for name, call := range calls {
			err := call()
			if !errors.Is(err, ErrUnavailable) {
				t.Errorf("%s after close = %v, want ErrUnavailable", name, err)
				continue
			}
			if msg := err.Error(); strings.Contains(msg, "sql") || strings.Contains(msg, "SELECT") || strings.Contains(msg, "closed") {
				t.Errorf("%s error text %q shows driver details", name, msg)
			}
		}
	})
}

// TestQueryErrorsAreUnavailable injects a driver failure with a GORM callback: every store call
// answers ErrUnavailable wrapping the cause (a 503 at the views), never a refusal.
func TestQueryErrorsAreUnavailable(t *testing.T) {
	tdb := newTestDB(t, "sqlite", true)
	ctx := context.Background()
	users, _ := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(10))})
	boom := errors.New("injected: connection reset by peer")
	_ = tdb.DB.Callback().Query().Before("gorm:query").Register("test:fail", func(db *gorm.DB) {
		_ = db.AddError(boom)
	})
	_, err := users.GetByID(ctx, "1")
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, boom) {
		t.Fatalf("GetByID = %v, want ErrUnavailable wrapping the cause", err)
	}
	var dbErr *DBError
	if !errors.As(err, &dbErr) || dbErr.Op != "get user" || strings.Contains(err.Error(), "injected") {
		t.Fatalf("error %q (%#v): want a *DBError without the cause's text", err, dbErr)
	}
}

// sqliteMaster returns the schema of a SQLite database: "type name: sql" lines, sorted.
func sqliteMaster(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var rows []struct{ Type, Name, SQL string }
	if err := db.Raw("SELECT type, name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Type+" "+r.Name+": "+r.SQL)
	}
	return out
}

// FuzzDjangoTimeScan: any text either fails to parse or round-trips through Django's format.
func FuzzDjangoTimeScan(f *testing.F) {
	for _, s := range []string{"2026-11-24 00:14:00.409586", "2026-11-24 00:14:00", "2026-11-24T00:14:00Z", "2026-11-24", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d DjangoTime
		if err := d.Scan(s); err != nil {
			return
		}
		var back DjangoTime
		if err := back.Scan(d.String()); err != nil || !back.Equal(d.Truncate(time.Microsecond)) {
			t.Fatalf("%q → %q → %v, %v", s, d.String(), back, err)
		}
	})
}

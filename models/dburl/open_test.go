package dburl

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// closeDB closes db's pool.
func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

func TestOpenURLForms(t *testing.T) {
	tests := []struct {
		url, dialect string
		memory       bool
		wantErr      bool
	}{
		{url: "db.sqlite3", dialect: "sqlite"},
		{url: "/tmp/x/db.sqlite3", dialect: "sqlite"},
		{url: "sqlite:///rel.db", dialect: "sqlite"},
		{url: "sqlite:////abs/path.db", dialect: "sqlite"},
		{url: "sqlite:///:memory:", dialect: "sqlite", memory: true},
		{url: ":memory:", dialect: "sqlite", memory: true},
		{url: "file:x.db?mode=ro", dialect: "sqlite"},
		{url: "postgres://u:p@h:5432/d?sslmode=disable", dialect: "postgres"},
		{url: "postgresql://h/d", dialect: "postgres"},
		{url: "mysql://root@127.0.0.1:3306/test", dialect: "mysql"},
		{url: "mysql://root@[::1]/test", dialect: "mysql"},
		{url: "mongodb://h/d", wantErr: true},
		{url: "", wantErr: true},
		{url: "mysql://h/d?tls=nonsense-config", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			d, memory, _, err := dialectorFor(tc.url)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("dialectorFor(%q) = %s, want an error", tc.url, d.Name())
				}
				return
			}
			if err != nil {
				t.Fatalf("dialectorFor(%q): %v", tc.url, err)
			}
			if d.Name() != tc.dialect || memory != tc.memory {
				t.Fatalf("dialectorFor(%q) = %s memory=%v, want %s memory=%v", tc.url, d.Name(), memory, tc.dialect, tc.memory)
			}
		})
	}
}

func TestMySQLDSN(t *testing.T) {
	tests := []struct{ in, user, pass, addr, db, param string }{
		{"mysql://root@127.0.0.1:3306/test", "root", "", "127.0.0.1:3306", "test", ""},
		{"mysql://u:p%40ss@db/app", "u", "p@ss", "db:3306", "app", ""},
		{"mysql://u@h:3307/d?timeout=5s&charset=utf8mb4", "u", "", "h:3307", "d", "charset"},
		{"mysql://u@[::1]/d", "u", "", "[::1]:3306", "d", ""},
	}
	for _, tc := range tests {
		dsn, err := mysqlDSN(tc.in)
		if err != nil {
			t.Fatalf("mysqlDSN(%q): %v", tc.in, err)
		}
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			t.Fatalf("mysqlDSN(%q) = %q, which does not parse: %v", tc.in, dsn, err)
		}
		if cfg.User != tc.user || cfg.Passwd != tc.pass || cfg.Addr != tc.addr || cfg.Net != "tcp" || cfg.DBName != tc.db ||
			!cfg.ParseTime || cfg.Loc != time.UTC {
			t.Errorf("mysqlDSN(%q) = %q: %+v", tc.in, dsn, cfg)
		}
		if tc.param != "" && cfg.Params[tc.param] == "" {
			t.Errorf("mysqlDSN(%q) = %q lost parameter %s", tc.in, dsn, tc.param)
		}
	}
}

func TestSQLiteDSNKeepsCallerSettings(t *testing.T) {
	dsn, _ := sqliteDSN("x.db?_busy_timeout=50&cache=shared")
	for _, want := range []string{"_busy_timeout=50", "cache=shared", "_foreign_keys=on", "_txlock=immediate", "_journal_mode=WAL"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("sqliteDSN = %q, missing %q", dsn, want)
		}
	}
	if strings.Contains(dsn, "_busy_timeout=10000") {
		t.Errorf("sqliteDSN = %q overrode the caller's busy timeout", dsn)
	}
}

func TestOpenSQLiteSettings(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:///"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	var mode string
	var busy, fk int
	db.Raw("PRAGMA journal_mode").Scan(&mode)
	db.Raw("PRAGMA busy_timeout").Scan(&busy)
	db.Raw("PRAGMA foreign_keys").Scan(&fk)
	if mode != "wal" || busy != int(SQLiteBusyTimeout.Milliseconds()) || fk != 1 {
		t.Fatalf("journal_mode=%s busy_timeout=%d foreign_keys=%d; want wal, %d, 1", mode, busy, fk, SQLiteBusyTimeout.Milliseconds())
	}
	sqlDB, _ := db.DB()
	if got := sqlDB.Stats().MaxOpenConnections; got != SQLiteMaxOpenConns {
		t.Fatalf("MaxOpenConnections = %d, want %d", got, SQLiteMaxOpenConns)
	}
}

func TestOpenMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// One connection, kept: the tables are still there from another goroutine.
	var n int64
	done := make(chan error)
	go func() { done <- db.Raw("SELECT COUNT(*) FROM auth_user").Scan(&n).Error }()
	if err := <-done; err != nil {
		t.Fatalf("the in-memory database lost its tables: %v", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, u := range []string{
		"postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
		"mysql://root@127.0.0.1:1/none?timeout=2s",
		"/nonexistent-dir/for/sure/db.sqlite3",
	} {
		_, err := Open(ctx, u)
		if !errors.Is(err, models.ErrUnavailable) {
			t.Errorf("Open(%q) = %v, want models.ErrUnavailable", u, err)
		}
		if err != nil && strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("Open(%q) error text %q leaks driver details", u, err)
		}
	}
}

// TestSQLitePoolContention runs 50 goroutines × 20 write-heavy iterations (outstand a token,
// update last_login, check the blacklist, blacklist every other token) on a file database opened
// by Open, for several pool sizes, and requires 0 errors at the default. It logs the timings
// that chose SQLiteMaxOpenConns. A negative control with a deadline too short to wait for the
// write lock shows that the workload does contend, and so that the test has teeth.
func TestSQLitePoolContention(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	sizes := []int{1, 2, SQLiteMaxOpenConns, 8, 16}
	for _, size := range sizes {
		errs, elapsed := sqliteWorkload(t, fmt.Sprintf("%s?_busy_timeout=%d", filepath.Join(t.TempDir(), "c.db"), SQLiteBusyTimeout.Milliseconds()), size, 0)
		t.Logf("pool %2d: %v, %d errors", size, elapsed.Round(time.Millisecond), errs)
		if errs != 0 {
			t.Errorf("pool %d: %d errors reached the caller", size, errs)
		}
	}
	// Negative control: without busy_timeout, and with a deadline (5 ms) shorter than a wait for
	// the write lock but far above an uncontended call (under 1 ms), calls fail under contention.
	errs, _ := sqliteWorkload(t, filepath.Join(t.TempDir(), "c.db")+"?_busy_timeout=0&_txlock=deferred", 16, 5*time.Millisecond)
	t.Logf("negative control (no busy_timeout, deferred, pool 16, 5ms deadline): %d errors", errs)
	if errs == 0 {
		t.Log("negative control saw no error: the workload may be too light to show contention on this machine")
	}
}

func sqliteWorkload(t *testing.T, dsn string, pool int, timeout time.Duration) (errs int64, elapsed time.Duration) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(pool)
	sqlDB.SetMaxIdleConns(pool)
	users, _ := models.NewUserStore(db, models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
	tokens := models.NewTokenStoreWith(db, models.TokenStoreOptions{Users: users, Timeout: timeout})
	var all []*models.User
	for i := range 50 {
		u := models.NewUser(fmt.Sprintf("user%d", i))
		if err := users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		all = append(all, u)
	}
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	begin := time.Now()
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			u := all[g]
			for i := range 20 {
				jti := fmt.Sprintf("g%d-i%d", g, i)
				rec := models.TokenRecord{JTI: jti, UserID: users.UserID(u), Token: "t", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
				check := func(err error) {
					if err != nil {
						failed.Add(1)
					}
				}
				check(tokens.Outstand(ctx, rec))
				check(users.UpdateLastLogin(ctx, u, time.Now()))
				_, err := tokens.IsBlacklisted(ctx, jti)
				check(err)
				if i%2 == 0 {
					_, err := tokens.Blacklist(ctx, rec)
					check(err)
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	return failed.Load(), time.Since(begin)
}

// TestDBErrorLog: a database failure's log value names the operation, the database and the
// driver's error, and never the password of the database url, while Error stays generic.
func TestDBErrorLog(t *testing.T) {
	const password = "s3cret-Pw_42"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cases := []struct {
		url        string
		wantInLog  []string
		skipUnless string
	}{
		{url: "postgres://alice:" + password + "@127.0.0.1:1/nodb?sslmode=disable&connect_timeout=2",
			wantInLog: []string{"127.0.0.1:1", "connect", "open", "alice:xxxxx@"}},
		{url: "postgres://u@127.0.0.1:1/nodb?password=" + password + "&sslmode=disable&connect_timeout=2",
			wantInLog: []string{"127.0.0.1:1", "password=xxxxx"}},
		{url: "mysql://root:" + password + "@127.0.0.1:1/nodb?timeout=2s",
			wantInLog: []string{"127.0.0.1:1", "connection refused", "root:xxxxx@"}},
		{url: "/nonexistent-dir/for/sure/db.sqlite3",
			wantInLog: []string{"/nonexistent-dir/for/sure/db.sqlite3", "unable to open database file"}},
	}
	for _, c := range cases {
		_, err := Open(ctx, c.url)
		var dbErr *models.DBError
		if !errors.As(err, &dbErr) {
			t.Errorf("Open(%s) = %v, want a *models.DBError", strings.ReplaceAll(c.url, password, "xxxxx"), err)
			continue
		}
		line := dbErr.Describe() + " | " + fmt.Sprint(dbErr.LogValue())
		if strings.Contains(line, password) || strings.Contains(err.Error(), password) {
			t.Errorf("the log of %s shows the password: %s", dbErr.DB, line)
		}
		for _, want := range c.wantInLog {
			if !strings.Contains(line, want) {
				t.Errorf("the log of a failed Open names no %q: %s", want, line)
			}
		}
		if strings.Contains(err.Error(), "127.0.0.1") || strings.Contains(err.Error(), "unable") {
			t.Errorf("Error() %q shows the cause", err)
		}
	}
}

package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// holdWriteLock takes, on a session outside tdb's pool, the lock that stalls the stores'
// writes, and returns its release: SQLite's write lock (BEGIN IMMEDIATE), PostgreSQL's EXCLUSIVE
// table locks (reads go on, writes wait), MySQL's LOCK TABLES … READ (the same).
func holdWriteLock(t *testing.T, tdb *testDB) (release func()) {
	t.Helper()
	ctx := context.Background()
	other, err := OpenURL(ctx, tdb.URL)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := other.DB()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stmts []string
	switch tdb.Dialect {
	case "sqlite":
		stmts = []string{"BEGIN IMMEDIATE"}
	case "postgres":
		stmts = []string{"BEGIN"}
		for _, table := range []string{"auth_user", OutstandingTokenTable, BlacklistedTokenTable} {
			stmts = append(stmts, "LOCK TABLE "+table+" IN EXCLUSIVE MODE")
		}
	case "mysql":
		stmts = []string{"LOCK TABLES auth_user READ, " + OutstandingTokenTable + " READ, " + BlacklistedTokenTable + " READ"}
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	released := false
	release = func() {
		if released {
			return
		}
		released = true
		undo := "ROLLBACK"
		if tdb.Dialect == "mysql" {
			undo = "UNLOCK TABLES"
		}
		if _, err := conn.ExecContext(ctx, undo); err != nil {
			t.Errorf("%s: %v", undo, err)
		}
		_ = conn.Close()
		closeDB(other)
	}
	t.Cleanup(release)
	return release
}

// TestStoreCallsHaveDeadlines: with the database's write lock held by another session for far
// longer than the stores' Timeout, every writing store call gives up with ErrUnavailable within
// the timeout plus a generous margin, names the deadline in its cause, and, once the lock is
// gone, has written nothing: a call that failed committed nothing later.
func TestStoreCallsHaveDeadlines(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		const timeout = 500 * time.Millisecond
		const margin = 3 * time.Second // proves there is no wait for the lock, not a timing
		hashers := hashers.New(hashers.PBKDF2SHA256(10))
		users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hashers, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		alice := NewUser("alice")
		if err := alice.SetPasswordWith(hashers, "pw"); err != nil {
			t.Fatal(err)
		}
		if err := users.Create(ctx, alice); err != nil {
			t.Fatal(err)
		}
		tokens := NewTokenStoreWith(tdb.DB, TokenStoreOptions{Users: users, Timeout: timeout})
		exp := time.Now().Add(time.Hour)
		known := TokenRecord{JTI: "known", UserID: users.UserID(alice), Token: "t", ExpiresAt: exp}
		if err := tokens.Outstand(ctx, known); err != nil {
			t.Fatal(err)
		}

		release := holdWriteLock(t, tdb)
		calls := []struct {
			name string
			call func() error
		}{
			{"Outstand", func() error {
				return tokens.Outstand(ctx, TokenRecord{JTI: "new", UserID: "1", Token: "t", ExpiresAt: exp})
			}},
			{"Blacklist", func() error { _, err := tokens.Blacklist(ctx, known); return err }},
			{"BlacklistAllForUser", func() error { _, err := tokens.BlacklistAllForUser(ctx, users.UserID(alice)); return err }},
			{"UpdateLastLogin", func() error { return users.UpdateLastLogin(ctx, alice, time.Now()) }},
			{"SetPassword", func() error { return users.SetPassword(ctx, alice, "new password") }},
			{"Create", func() error { return users.Create(ctx, NewUser("bob")) }},
		}
		for _, c := range calls {
			start := time.Now()
			err := c.call()
			took := time.Since(start)
			var dbErr *DBError
			switch {
			case !errors.Is(err, ErrUnavailable) || !errors.As(err, &dbErr):
				t.Errorf("%s under a held lock = %v, want a *DBError (ErrUnavailable)", c.name, err)
			case took > timeout+margin:
				t.Errorf("%s gave up after %s, want ≤ %s", c.name, took.Round(time.Millisecond), timeout+margin)
			case dbErr.DB == "":
				t.Errorf("%s: the DBError names no database", c.name)
			default:
				t.Logf("%s: %s after %s", c.name, dbErr.Describe(), took.Round(time.Millisecond))
			}
		}
		// Reads of other rows go on beside the held lock (SQLite: WAL; servers: the lock lets
		// reads through).
		if _, err := users.GetByID(ctx, users.UserID(alice)); err != nil {
			t.Errorf("GetByID beside the held write lock: %v", err)
		}
		release()

		// Nothing the failed calls tried to write was committed afterwards.
		time.Sleep(timeout) // a write that went on waiting would land now
		var n int64
		tdb.DB.Raw("SELECT COUNT(*) FROM " + OutstandingTokenTable).Scan(&n)
		if n != 1 {
			t.Errorf("%d outstanding tokens after the stall, want 1 (the failed Outstand wrote one)", n)
		}
		tdb.DB.Raw("SELECT COUNT(*) FROM " + BlacklistedTokenTable).Scan(&n)
		if n != 0 {
			t.Errorf("%d blacklisted tokens after the stall, want 0 (a failed Blacklist consumed a token)", n)
		}
		tdb.DB.Raw("SELECT COUNT(*) FROM auth_user").Scan(&n)
		if n != 1 {
			t.Errorf("%d users after the stall, want 1 (the failed Create wrote one)", n)
		}
		got, err := users.GetByID(ctx, users.UserID(alice))
		if err != nil {
			t.Fatal(err)
		}
		if u := got.(*User); u.Password != alice.Password || u.LastLogin != nil {
			t.Errorf("after the stall: password changed %v, last_login %v; want neither written", u.Password != alice.Password, u.LastLogin)
		}
		// And the store works again at once.
		if _, err := tokens.Blacklist(ctx, known); err != nil {
			t.Errorf("Blacklist after the lock: %v", err)
		}
	})
}

// TestBudget: the calls made with a WithBudget context share its time: a call's deadline is the
// smaller of its Timeout and what is left, the time of a call is spent from the budget (once,
// however the calls nest), and a spent budget fails the next call at once.
func TestBudget(t *testing.T) {
	parent := context.Background()
	if WithBudget(parent, 0) != parent {
		t.Error("WithBudget(ctx, 0) must return ctx")
	}
	ctx := WithBudget(parent, time.Hour)
	b := ctx.Value(budgetKey{}).(*budgetCtx)

	cctx, c := startCall(ctx, time.Second, nil)
	if d, ok := cctx.Deadline(); !ok || time.Until(d) > time.Second {
		t.Errorf("a call under a 1h budget with a 1s timeout: deadline in %v", time.Until(d))
	}
	// A call inside the call: it does not spend the budget a second time.
	_, inner := startCall(cctx, time.Second, nil)
	b.left.Add(-int64(50 * time.Minute)) // as if the outer call had taken 50 minutes so far
	_ = inner.end(nil)
	_ = c.end(nil)
	left := time.Duration(b.left.Load())
	if left > 10*time.Minute || left < 9*time.Minute {
		t.Errorf("left after the calls = %v, want 10 minutes less the calls' own time", left)
	}

	b.left.Store(int64(20 * time.Millisecond))
	cctx, c = startCall(ctx, time.Second, nil)
	if d, _ := cctx.Deadline(); time.Until(d) > 20*time.Millisecond {
		t.Errorf("deadline in %v, want ≤ the 20ms left", time.Until(d))
	}
	_ = c.end(nil)

	b.left.Store(0)
	cctx, c = startCall(ctx, time.Second, nil)
	if cctx.Err() == nil {
		t.Error("a call with no budget left must start expired")
	}
	err := c.end(unavailable("get user", cctx.Err()))
	if !errors.Is(err, ErrUnavailable) || !strings.Contains((err.(*DBError)).Cause(), "deadline") {
		t.Errorf("end = %v, want a DBError naming the deadline", err)
	}
}

// poolSize is the size of db's connection pool.
func poolSize(t testing.TB, db *gorm.DB) int {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	return sqlDB.Stats().MaxOpenConnections
}

// TestReserveReaders: dburl.Open keeps a quarter of the pool (at least one connection) for the
// user lookups; ReserveReaders changes it; a pool of one is not capped.
func TestReserveReaders(t *testing.T) {
	cases := []struct {
		name    string
		url     string
		reserve int                // -1: dburl.Open's default
		want    func(pool int) int // writers' places; 0: no cap
	}{
		{"sqlite default", "", -1, func(pool int) int { return pool - max(1, pool/4) }},
		{"sqlite reserve 2", "", 2, func(pool int) int { return pool - 2 }},
		{"sqlite no reserve", "", 0, func(int) int { return 0 }},
		{"sqlite whole pool", "", -2, func(int) int { return 0 }},
		{"memory", ":memory:", -1, func(int) int { return 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := c.url
			if url == "" {
				url = t.TempDir() + "/r.sqlite3"
			}
			db, err := OpenURL(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer closeDB(db)
			pool := poolSize(t, db)
			reserve := c.reserve
			if reserve == -2 {
				reserve = pool
			}
			if reserve >= 0 {
				if err := ReserveReaders(db, reserve); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := cap(infoOf(db).writerGate()), c.want(pool); got != want {
				t.Errorf("writers' places = %d, want %d (pool %d)", got, want, pool)
			}
		})
	}
	// A handle not made by dburl.Open gets its info from ReserveReaders.
	db, err := OpenURL(context.Background(), t.TempDir()+"/o.sqlite3")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	sqlDB, _ := db.DB()
	own, err := gorm.Open(db.Dialector, &gorm.Config{ConnPool: sqlDB})
	if err != nil {
		t.Fatal(err)
	}
	if infoOf(own) != nil {
		t.Fatal("a handle of our own has no info before ReserveReaders")
	}
	if err := ReserveReaders(own, 1); err != nil || cap(infoOf(own).writerGate()) != poolSize(t, db)-1 {
		t.Errorf("ReserveReaders on an own handle: %v, %d places", err, cap(infoOf(own).writerGate()))
	}
}

// TestReservedReadersKeepAnswering: with every writer's place taken by writes stalled on a lock,
// the user lookups still get a connection at once.
func TestReservedReadersKeepAnswering(t *testing.T) {
	tdb := newTestDB(t, "sqlite", true)
	ctx := context.Background()
	users, _ := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1)), Timeout: 2 * time.Second})
	alice := NewUser("alice")
	if err := users.Create(ctx, alice); err != nil {
		t.Fatal(err)
	}
	tokens := NewTokenStoreWith(tdb.DB, TokenStoreOptions{Users: users, Timeout: 2 * time.Second})
	pool := poolSize(t, tdb.DB)
	release := holdWriteLock(t, tdb)
	defer release()
	done := make(chan error, 3*pool)
	for i := range 3 * pool { // more writers than the pool has connections
		go func() {
			done <- tokens.Outstand(ctx, TokenRecord{JTI: fmt.Sprint("w", i), UserID: "1", Token: "t", ExpiresAt: time.Now().Add(time.Hour)})
		}()
	}
	time.Sleep(200 * time.Millisecond) // let them take their places and wait for the lock
	start := time.Now()
	for range 10 {
		if _, err := users.GetByID(ctx, users.UserID(alice)); err != nil {
			t.Fatalf("GetByID while the writers wait for the lock: %v", err)
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("10 lookups took %s while the writers waited, want them served at once", took)
	}
	release()
	for range 3 * pool {
		<-done
	}
}

// TestDBErrorMasksSecrets: a driver error quoting the password of the database url is masked
// in the log and never in Error.
func TestDBErrorMasksSecrets(t *testing.T) {
	const password = "s3cret-Pw_42"
	// A driver error quoting the password is masked too.
	e := NewDBError("get user", errors.New("auth failed for "+password), DBInfo{Name: "x", Secrets: []string{password}})
	if strings.Contains(e.Describe(), password) {
		t.Errorf("Describe = %q", e.Describe())
	}
}

package main

// Stalls (issue: a database stalled by a lock must give the client a 503 JSON within the
// deadline, consume nothing, and never hold the read-only routes behind blocked writers):
//
//   - TestStallHeldLock: another session holds the token tables' locks (PostgreSQL: LOCK TABLE …
//     IN ACCESS EXCLUSIVE MODE on both token_blacklist tables; SQLite: BEGIN IMMEDIATE on a
//     connection outside the service's pool; MariaDB: LOCK TABLES … WRITE) for several times the
//     deadline while more refreshes (rotation + blacklist after rotation) than the pool has
//     connections arrive at once. Each must answer 503 {"detail":"Service temporarily
//     unavailable."} with Retry-After within the deadline plus a generous margin, GET /api/me/
//     must keep answering within that bound, and after the lock is released every refresh token
//     that did not get a 200 must still work: the count of tokens consumed without the client
//     receiving the answer must be 0.
//
// The service is the example's router in-process (relStartInProcess) with DATABASE_TIMEOUT as
// the example reads it: 1 s here (3 s, the default, with SIMPLEJWT_LOAD=1).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

const (
	// stallClients is how many refreshes arrive at once while the lock is held: more than either
	// pool has connections (dburl.ServerMaxOpenConns, dburl.SQLiteMaxOpenConns).
	stallClients = 16
	// stallMargin is the generous margin over the deadline within which every answer must come:
	// it proves there is no wait for the lock, not a tight timing.
	stallMargin = 3 * time.Second
)

// stallDeadline is the DATABASE_TIMEOUT of the run: 1 s, or the example's default with
// SIMPLEJWT_LOAD=1 (then the environment variable is left unset).
func stallDeadline() (time.Duration, []string) {
	if relLoadEnabled() {
		return 3 * time.Second, nil
	}
	return time.Second, []string{"DATABASE_TIMEOUT=1s"}
}

// stallLock holds the lock of a stall: hold takes it (and returns once it is held), release
// gives it back.
type stallLock struct {
	what    string
	hold    func(ctx context.Context) error
	release func() error
}

func TestStallHeldLock(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		pg := relOpenPostgres(t)
		_, dsn := pg.createDatabase(t, "stall")
		svc := stallService(t, dsn)
		// ACCESS EXCLUSIVE stops the refresh at its first statement, the blacklist check.
		relStall(t, svc, pgTableLock(t, dsn, "ACCESS EXCLUSIVE", models.OutstandingTokenTable, models.BlacklistedTokenTable),
			"deadline (locked, or too slow)")
	})
	t.Run("postgres-exclusive-blacklist", func(t *testing.T) {
		// EXCLUSIVE on the blacklist table lets reads through: the refresh gets as far as the
		// write that consumes the token, and must give up there without consuming it later.
		pg := relOpenPostgres(t)
		_, dsn := pg.createDatabase(t, "stallbl")
		svc := stallService(t, dsn)
		relStall(t, svc, pgTableLock(t, dsn, "EXCLUSIVE", models.BlacklistedTokenTable), "canceling statement due to lock timeout")
	})
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "stall.sqlite3")
		svc := stallService(t, "sqlite:///"+path)
		relStall(t, svc, sqliteWriteLock(t, path), "database is locked")
	})
	t.Run("mariadb", func(t *testing.T) {
		dsn := relCreateMySQLDatabase(t, "stall")
		svc := stallService(t, dsn)
		relStall(t, svc, mysqlTableLock(t, dsn), "deadline (locked, or too slow)")
	})
}

// stallService is the example in-process on dbURL with rotation, blacklist after rotation and
// the stall's DATABASE_TIMEOUT.
func stallService(t *testing.T, dbURL string) *relService {
	t.Helper()
	_, env := stallDeadline()
	return relStartInProcess(t, dbURL, append(relSettings(), env...), relCheapHashers, nil)
}

// pgTableLock is another session holding locks of mode on tables.
func pgTableLock(t *testing.T, dsn, mode string, tables ...string) stallLock {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var tx *sql.Tx
	return stallLock{
		what: "another session: LOCK TABLE " + strings.Join(tables, ", ") + " IN " + mode + " MODE",
		hold: func(ctx context.Context) error {
			var err error
			// BeginTx's context would roll the transaction back when it ends: the lock lives
			// until release.
			if tx, err = db.BeginTx(context.Background(), nil); err != nil {
				return err
			}
			for _, table := range tables {
				if _, err := tx.ExecContext(ctx, "LOCK TABLE "+table+" IN "+mode+" MODE"); err != nil {
					return err
				}
			}
			return nil
		},
		release: func() error { return tx.Rollback() },
	}
}

// sqliteWriteLock is a connection outside the service's pool holding BEGIN IMMEDIATE (SQLite's
// write lock) on the file.
func sqliteWriteLock(t *testing.T, path string) stallLock {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var conn *sql.Conn
	return stallLock{
		what: "a connection outside the pool: BEGIN IMMEDIATE",
		hold: func(ctx context.Context) error {
			var err error
			if conn, err = db.Conn(ctx); err != nil {
				return err
			}
			_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
			return err
		},
		release: func() error {
			_, err := conn.ExecContext(context.Background(), "ROLLBACK")
			return errors.Join(err, conn.Close())
		},
	}
}

// mysqlTableLock is another session holding LOCK TABLES … WRITE on both token tables.
func mysqlTableLock(t *testing.T, dsn string) stallLock {
	t.Helper()
	db, err := dburl.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relCloseGorm(db) })
	sqlDB, _ := db.DB()
	var conn *sql.Conn
	return stallLock{
		what: "another session: LOCK TABLES token_blacklist_outstandingtoken WRITE, token_blacklist_blacklistedtoken WRITE",
		hold: func(ctx context.Context) error {
			var err error
			if conn, err = sqlDB.Conn(ctx); err != nil {
				return err
			}
			_, err = conn.ExecContext(ctx, "LOCK TABLES "+models.OutstandingTokenTable+" WRITE, "+models.BlacklistedTokenTable+" WRITE")
			return err
		},
		release: func() error {
			_, err := conn.ExecContext(context.Background(), "UNLOCK TABLES")
			return errors.Join(err, conn.Close())
		},
	}
}

// stallReply is the outcome of one refresh during the stall.
type stallReply struct {
	token   string
	status  int // 0: no answer (transport error, or the client gave up)
	elapsed time.Duration
	bad     string
}

// relStall logs stallClients pairs in, takes the lock, sends one refresh per pair at once and
// polls GET /api/me/ while the lock is held for several deadlines, then releases it and
// re-submits every refresh token that did not get a 200. logCause is text the service's log
// must show as the cause of the 503s.
//
// The clients wait for their answers as long as it takes, so that the service's request context
// stays alive, as it does when the server's write timeout (not the client) ends the exchange. An
// answer later than the deadline plus the margin stands for one that the server's write timeout
// would have dropped: a late 200 is a token consumed without the client receiving the answer,
// and so is a 503 (or no answer) whose token no longer works once the lock is gone.
func relStall(t *testing.T, svc *relService, lock stallLock, logCause string) {
	deadline, _ := stallDeadline()
	bound := deadline + stallMargin
	holdFor := bound + 3*time.Second // the lock outlives every client's patience
	c := relNewClient(svc.Base, stallClients+8)
	defer c.Close()
	defer func() {
		if t.Failed() {
			t.Logf("service log (tail):\n%s", relLogTail(svc.Output(), 40))
		}
	}()
	users := svc.CreateUsers(t, "stall", 1)
	pairs := make([]relTokenPair, stallClients)
	for i := range pairs {
		pairs[i] = relObtain(t, c, users[0])
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	err := lock.hold(ctx)
	cancel()
	if err != nil {
		t.Fatalf("take the lock (%s): %v", lock.what, err)
	}
	lockedAt := time.Now()
	released := false
	release := func() {
		if !released {
			released = true
			if err := lock.release(); err != nil {
				t.Errorf("release the lock: %v", err)
			}
		}
	}
	defer release()
	t.Logf("stall: %s, held for %s; deadline %s", lock.what, holdFor, deadline)

	// The refreshes, all at once.
	replies := make([]stallReply, stallClients)
	var wg sync.WaitGroup
	for i, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx, rcancel := context.WithTimeout(context.Background(), holdFor+relMaxRequest)
			defer rcancel()
			r, err := c.post(rctx, "/api/token/refresh/", map[string]string{"refresh": p.Refresh})
			replies[i] = stallReply{token: p.Refresh, status: r.Status, elapsed: r.Elapsed}
			switch {
			case err != nil:
				replies[i].status = 0
				replies[i].bad = fmt.Sprintf("no answer: %v", err)
			case r.Elapsed > bound:
				replies[i].bad = fmt.Sprintf("%d after %s, want an answer within %s", r.Status, r.Elapsed.Round(time.Millisecond), bound)
			case r.Status != http.StatusServiceUnavailable:
				replies[i].bad = fmt.Sprintf("%d %.200s (want 503)", r.Status, r.Body)
			case string(r.Body) != `{"detail":"Service temporarily unavailable."}`:
				replies[i].bad = fmt.Sprintf("503 body %q", r.Body)
			case r.Header.Get("Retry-After") == "":
				replies[i].bad = "503 without Retry-After"
			}
		}()
	}

	// GET /api/me/ while the lock is held: it reads auth_user only, and must never wait for the
	// writers' lock (200), or at worst give up within the deadline (503). The prober runs beside
	// the lock's timer, so that a stuck probe cannot prolong the lock.
	var meStatuses = map[int]int{}
	var meWorst time.Duration
	var meBad []string
	meDone := make(chan struct{})
	go func() {
		defer close(meDone)
		for time.Since(lockedAt) < holdFor-time.Second {
			rctx, rcancel := context.WithTimeout(context.Background(), holdFor+relMaxRequest)
			r, err := c.get(rctx, "/api/me/", pairs[0].Access)
			rcancel()
			switch {
			case err != nil:
				meBad = append(meBad, fmt.Sprintf("no answer: %v", err))
			case r.Status != http.StatusOK && r.Status != http.StatusServiceUnavailable:
				meBad = append(meBad, fmt.Sprintf("%d %.200s", r.Status, r.Body))
			default:
				meStatuses[r.Status]++
			}
			meWorst = max(meWorst, r.Elapsed)
			time.Sleep(100 * time.Millisecond)
		}
	}()
	time.Sleep(holdFor - time.Since(lockedAt))
	release()
	wg.Wait()
	<-meDone
	// Give writes that the service might still have queued behind the lock the time to land
	// before the tokens are re-submitted (none should: that is what is counted).
	time.Sleep(time.Second)

	var times []time.Duration
	for i, r := range replies {
		if r.bad != "" {
			t.Errorf("refresh %d during the stall: %s", i, r.bad)
		}
		if r.status == http.StatusServiceUnavailable {
			times = append(times, r.elapsed)
		}
	}
	for i, b := range meBad {
		if i == 5 {
			t.Errorf("GET /api/me/: … %d more", len(meBad)-5)
			break
		}
		t.Errorf("GET /api/me/ during the stall: %s", b)
	}
	if meWorst > bound {
		t.Errorf("GET /api/me/ took %s during the stall, want ≤ %s", meWorst.Round(time.Millisecond), bound)
	}

	// Count the tokens consumed without the client receiving the answer: a 200 later than the
	// bound, or a token that no longer works after a 503 or no answer.
	consumed := 0
	for i, r := range replies {
		if r.status == http.StatusOK {
			if r.elapsed > bound {
				consumed++
			}
			continue
		}
		again, err := c.post(context.Background(), "/api/token/refresh/", map[string]string{"refresh": r.token})
		if err != nil || again.Status != http.StatusOK {
			consumed++
			t.Errorf("refresh %d again after the lock: %v %d %.200s (the token was consumed without its answer)", i, err, again.Status, again.Body)
			continue
		}
		var next relTokenPair
		if json.Unmarshal(again.Body, &next) != nil || next.Refresh == "" {
			t.Errorf("refresh %d again after the lock: body %.200s", i, again.Body)
		}
	}
	slices.Sort(times)
	first, last := time.Duration(-1), time.Duration(-1)
	if len(times) > 0 {
		first, last = times[0], times[len(times)-1]
	}
	t.Logf("stall: %d refreshes during the lock: time to 503 %s–%s (deadline %s); GET /api/me/ %v, slowest %s; tokens consumed without the answer: %d of %d",
		stallClients, relDur(first), relDur(last), deadline, meStatuses, meWorst.Round(time.Millisecond), consumed, stallClients)
	if consumed != 0 {
		t.Errorf("%d refresh tokens were consumed without the client receiving the answer, want 0", consumed)
	}
	logs := svc.Output()
	causes := relLogCauses(logs)
	for _, cause := range causes {
		t.Logf("stall: logged cause: %s", cause)
	}
	if !strings.Contains(logs, logCause) {
		t.Errorf("the service log does not name the cause of the 503s (%q)", logCause)
	}
}

// relLogCauses returns the distinct database causes (database.cause=…) of a service log.
func relLogCauses(logs string) []string {
	var causes []string
	for _, line := range strings.Split(logs, "\n") {
		_, cause, ok := strings.Cut(line, "database.cause=")
		if ok && !slices.Contains(causes, cause) {
			causes = append(causes, cause)
		}
	}
	return causes
}

// relCreateMySQLDatabase makes a throwaway database on SIMPLEJWT_TEST_MYSQL_DSN (skipping t when
// it is unset), dropped when t ends, and returns its URL.
func relCreateMySQLDatabase(t *testing.T, prefix string) string {
	t.Helper()
	base := relMySQLDSN()
	if base == "" {
		t.Skipf("MariaDB: %s is not set", relEnvMySQLDSN)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := dburl.Open(ctx, base)
	if err != nil {
		t.Fatalf("MariaDB %s: %v", relRedactDSN(base), err)
	}
	t.Cleanup(func() { relCloseGorm(admin) })
	name := "sjwt_" + prefix + "_" + interopRandomHex(6)
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4").Error; err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP DATABASE IF EXISTS " + name).Error; err != nil {
			t.Errorf("DROP DATABASE %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func relCloseGorm(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// DefaultTimeout is the deadline of one store call, and ginjwt's default database budget of
// one request, when none is set: a few seconds, far below a server's write timeout (the
// example's is 30 s).
//
// Every call of GormUserStore and GormTokenStore has a deadline: the store's Timeout
// (DefaultTimeout unless set), which bounds the wait for a pooled connection, for a writer's
// place (see ReserveReaders), for locks and for retries together. A context already carrying an
// earlier deadline keeps it. WithBudget bounds, on top of that, all the calls made for one
// request together, so that a request of several calls still answers within one timeout:
// ginjwt gives every token view and Auth a budget of Settings.DatabaseTimeout.
//
// A write runs in a transaction that commits only while its deadline holds, and the database
// server is told the call's remaining time as its own limit (PostgreSQL's lock_timeout and
// statement_timeout with SET LOCAL; MySQL's and MariaDB's innodb_lock_wait_timeout and
// lock_wait_timeout): a write whose caller has given up is rolled back, never committed late,
// so a client told "503, nothing consumed" can use its token again. SQLite's busy handler waits
// at most SQLiteBusyTimeout per statement and the stores retry a busy statement until the
// deadline, since SQLite does not interrupt a statement that waits for a lock.
//
// Migrate, FlushExpiredTokens and GormUserStore.Delete are administrative and run under the caller's
// context alone; a busy SQLite database is retried for up to 10 s there.
const DefaultTimeout = 3 * time.Second

// sqliteLockWait bounds the retries of a busy SQLite database when the context has no
// deadline (the administrative functions): what SQLite's own busy timeout was before the
// stores had deadlines.
const sqliteLockWait = 10 * time.Second

// serverShare is the part of a call's remaining time given to the database server as its own
// lock and statement timeouts: the server gives up first, so that the caller gets its clean
// error (and keeps the connection) rather than cancelling in the middle.
const serverShare = 0.9

// budgetCtx is the context WithBudget returns: its parent and the time left, in nanoseconds.
type budgetCtx struct {
	context.Context
	left  atomic.Int64
	depth atomic.Int32 // calls in progress: only the outermost spends the budget
}

type budgetKey struct{}

func (b *budgetCtx) Value(key any) any {
	if key == (budgetKey{}) {
		return b
	}
	return b.Context.Value(key)
}

// WithBudget returns a context whose store calls together spend at most d waiting for the
// database: each call's deadline is the smaller of its store's Timeout and what is left of d.
// Time spent outside the stores (hashing a password, say) is not counted. A d of zero or less
// returns ctx unchanged.
func WithBudget(ctx context.Context, d time.Duration) context.Context {
	if d <= 0 {
		return ctx
	}
	b := &budgetCtx{Context: ctx}
	b.left.Store(int64(d))
	return b
}

// call is one store call in progress: its deadline's cancel function and, under a budget, the
// budget and the time the call began.
type call struct {
	ctx     context.Context
	cancel  context.CancelFunc
	timeout time.Duration
	budget  *budgetCtx
	start   time.Time
	info    *dbInfo
}

// startCall gives ctx the deadline of one store call: timeout (DefaultTimeout when zero or
// less), or less when the budget in ctx has less left. End the call with end.
func startCall(ctx context.Context, timeout time.Duration, info *dbInfo) (context.Context, call) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	c := call{info: info, timeout: timeout}
	if b, ok := ctx.Value(budgetKey{}).(*budgetCtx); ok {
		if b.depth.Add(1) == 1 {
			c.budget, c.start = b, time.Now()
		} else {
			b.depth.Add(-1) // a call inside a call: the outer one counts the time
		}
		c.timeout = min(timeout, time.Duration(b.left.Load()))
	}
	c.ctx, c.cancel = context.WithTimeout(ctx, c.timeout)
	return c.ctx, c
}

// end releases the call's deadline, spends its time from the budget, and completes a *DBError
// it returns for the log: the database's name, and that the deadline passed.
func (c call) end(err error) error {
	if err != nil {
		var dbErr *DBError
		if errors.As(err, &dbErr) {
			// The deadline, not ctx.Err(): a driver's own timer (a dial's, say) may fire a moment
			// before the context's.
			var already *deadlineError
			if d, _ := c.ctx.Deadline(); !time.Now().Before(d) && dbErr.Err != nil && !errors.As(dbErr.Err, &already) {
				dbErr.Err = &deadlineError{timeout: c.timeout, err: dbErr.Err}
			}
			c.info.annotate(dbErr)
		}
	}
	c.cancel()
	if c.budget != nil {
		c.budget.left.Add(-int64(time.Since(c.start)))
		c.budget.depth.Add(-1)
	}
	return err
}

// deadlineError is the cause of a call that ran out of time: what the driver said, and the
// deadline, which the driver's "context deadline exceeded" or "canceling statement" leaves out.
type deadlineError struct {
	timeout time.Duration
	err     error
}

func (e *deadlineError) Error() string {
	return "no answer within the " + e.timeout.Round(time.Millisecond).String() + " deadline (locked, or too slow): " + e.err.Error()
}

func (e *deadlineError) Unwrap() error { return e.err }

// gated waits for one of the places of the calls that ReserveReaders caps (until ctx ends), and
// returns the function that gives it back.
func gated(ctx context.Context, info *dbInfo) (release func(), err error) {
	gate := info.writerGate()
	if gate == nil {
		return func() {}, nil
	}
	select {
	case gate <- struct{}{}:
		return func() { <-gate }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for one of the %d connections that writes and token checks may hold: %w", cap(gate), ctx.Err())
	}
}

// write runs f in one transaction on db as a writer: it takes a writer's place (see
// ReserveReaders), gives the server the call's remaining time as its lock and statement
// timeouts, and commits only if ctx's deadline has not passed (database/sql's Commit checks
// it, and a transaction whose context ends is rolled back). ctx must carry the call's deadline.
func write(ctx context.Context, db *gorm.DB, info *dbInfo, f func(tx *gorm.DB) error) error {
	release, err := gated(ctx, info)
	if err != nil {
		return err
	}
	defer release()
	if pool, ok := db.Statement.ConnPool.(*sql.DB); ok && db.Dialector.Name() == "sqlite" {
		return writeSQLite(ctx, db, pool, f)
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := serverTimeouts(ctx, tx); err != nil {
			return err
		}
		return f(tx)
	})
}

// writeSQLite is write on SQLite. The connection is taken from pool under ctx, whose deadline
// bounds the wait for one; the transaction on it (BEGIN IMMEDIATE, f's statements, COMMIT)
// runs without ctx's cancellation, so that neither database/sql nor go-sqlite3 starts a
// goroutine per statement to watch ctx (see lazyStmt.scanRow). What the cancellation would cut
// short is bounded without it: BEGIN's wait for the write lock ends after busy_timeout
// (dburl.SQLiteBusyTimeout), and retry tries again until the deadline; the statements after
// BEGIN wait for no other connection. The deadline is checked once f is done: past it, the
// transaction is rolled back, as database/sql rolls back a transaction whose context ended.
// BenchmarkRefreshRotationSQLite, 6 alternated runs: 254,606 ns on average (231,072 at best)
// against 270,833 (250,149) through database/sql's cancellable transaction.
func writeSQLite(ctx context.Context, db *gorm.DB, pool *sql.DB, f func(tx *gorm.DB) error) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	s := db.Session(&gorm.Session{Context: context.WithoutCancel(ctx)})
	s.Statement.ConnPool = conn
	return s.Transaction(func(tx *gorm.DB) error {
		if err := f(tx); err != nil {
			return err
		}
		return ctx.Err()
	})
}

// serverTimeouts tells the database server, inside the transaction tx, how long the call has
// left, so that it abandons a lock wait (and a long statement) itself.
func serverTimeouts(ctx context.Context, tx *gorm.DB) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	left := time.Duration(float64(time.Until(deadline)) * serverShare)
	if left <= 0 {
		return context.DeadlineExceeded
	}
	switch tx.Dialector.Name() {
	case "postgres":
		// SET LOCAL, for this transaction only; set_config takes both in one round trip. The
		// lock timeout comes a little earlier, so that a lock wait is reported as one.
		ms := func(d time.Duration) string { return strconv.FormatInt(max(d.Milliseconds(), 1), 10) + "ms" }
		return tx.Exec("SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)",
			ms(left*9/10), ms(left)).Error
	case "mysql":
		// Whole seconds, at least 1. These are session settings: every write sets them again;
		// a later statement on the same connection waits at most as long for a lock.
		s := strconv.FormatInt(max(int64(left/time.Second), 1), 10)
		// (MariaDB's max_statement_time would outlive the write on the connection and cut a
		// later long statement, a flush say: locks are what stall a write.)
		return tx.Exec("SET SESSION innodb_lock_wait_timeout = " + s + ", SESSION lock_wait_timeout = " + s).Error
	}
	return nil
}

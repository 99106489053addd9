package models

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// lazyStmt is a statement of a hot path (Auth's user lookup, the blacklist check), prepared on
// its first call on the handle's *sql.DB, which prepares it again on each pooled connection it
// runs on. It lives as long as the handle (closing the *sql.DB closes it). When the handle's
// pool is replaced (gorm.DB.ConnPool set to another *sql.DB), it is prepared again on the new
// one: a statement never runs on a pool the handle no longer uses.
type lazyStmt struct {
	query string
	// sqlite: queryRow runs the query on a connection of its own, unprepared (see queryRow).
	sqlite bool
	mu     sync.Mutex
	stmt   atomic.Pointer[stmtOn]
}

// stmtOn is a statement and the pool it was prepared on.
type stmtOn struct {
	db *sql.DB
	st *sql.Stmt
}

// prepared returns the statement for db, preparing it under ctx the first time.
func (q *lazyStmt) prepared(ctx context.Context, db *sql.DB) (*sql.Stmt, error) {
	if p := q.stmt.Load(); p != nil && p.db == db {
		return p.st, nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if p := q.stmt.Load(); p != nil && p.db == db {
		return p.st, nil
	}
	st, err := db.PrepareContext(ctx, q.query)
	if err != nil {
		return nil, err
	}
	// A statement of a replaced pool is left to that pool (closing it could cut a query in
	// flight on it); it is closed with its *sql.DB.
	q.stmt.Store(&stmtOn{db: db, st: st})
	return st, nil
}

// queryRow runs q's one-row query with args on db and returns the row and release, to call
// once the row is scanned (nil when err is not).
//
// On SQLite (q.sqlite) the connection is taken from the pool under ctx, whose deadline bounds
// the wait for one, and the query runs on it unprepared and without ctx's cancellation. A
// cancellable context makes database/sql and go-sqlite3 each start a goroutine per query to
// watch it, and database/sql cannot run a pool's prepared statement on a chosen connection:
// BenchmarkProtectedGETSQLite took 30,265–31,379 ns with the prepared statement under ctx,
// 24,102–25,606 ns this way (20,006–21,572 with the prepared statement and no cancellation,
// which would leave the wait for a connection unbounded). The cancellation skipped cannot cut
// a one-row read short of anything: under WAL (dburl's default) no writer blocks a reader,
// and a lock wait (another journal mode, a checkpoint) ends after SQLite's busy_timeout
// (dburl.SQLiteBusyTimeout, 250 ms), the bound that writes have already.
//
// Elsewhere q's prepared statement runs under ctx (PostgreSQL's driver cancels a statement
// on the server when ctx ends).
func (q *lazyStmt) queryRow(ctx context.Context, db *sql.DB, args ...any) (_ *sql.Row, release func(), _ error) {
	if q.sqlite {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		return conn.QueryRowContext(context.WithoutCancel(ctx), q.query, args...), func() { _ = conn.Close() }, nil
	}
	st, err := q.prepared(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	return st.QueryRowContext(ctx, args...), func() {}, nil
}

// preparable returns the *sql.DB under db when the dialect is one whose SQL the prepared
// statements are written for (SQLite, PostgreSQL, MySQL/MariaDB; their text goes through
// placeholders) and the handle is a plain *sql.DB; ok is false otherwise, and the callers keep
// GORM.
func preparable(db *gorm.DB) (sqlDB *sql.DB, ok bool) {
	switch db.Dialector.Name() {
	case "sqlite", "mysql", "postgres":
	default:
		return nil, false
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, false
	}
	return sqlDB, true
}

// placeholders rewrites the ? of a prepared statement's text as PostgreSQL's $1, $2, …; the other
// dialects keep ?. The package's SQL has no ? inside literals or identifiers.
func placeholders(dialect, text string) string {
	if dialect != "postgres" {
		return text
	}
	var b strings.Builder
	n := 0
	for _, r := range text {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// onPool reports whether db still runs its statements on sqlDB, the pool its prepared
// statements are prepared on. A ConnPool set on the handle afterwards (a GORM plugin such as a
// resolver, PrepareStmt, a test's switchable pool) is honoured: the callers then go through GORM.
func onPool(db *gorm.DB, sqlDB *sql.DB) bool {
	cp, ok := db.Statement.ConnPool.(*sql.DB)
	return ok && cp == sqlDB
}

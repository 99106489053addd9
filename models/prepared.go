package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
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
	// sqlite: scanRow runs the query on a connection of its own, without cancellation.
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

// scanRow runs q's one-row query with args on db and scans its row into dest; sql.ErrNoRows
// when there is none.
//
// Elsewhere than on SQLite, q's prepared statement runs under ctx (PostgreSQL's driver cancels
// a statement on the server when ctx ends). On SQLite (q.sqlite) the connection is taken from
// the pool under ctx, whose deadline bounds the wait for one, and the query runs on it without
// ctx's cancellation: a context that can end makes database/sql and go-sqlite3 each start a
// goroutine per query to watch it. On a connection of dburl.Open's, the statement is prepared
// once per connection (its QueryCached, see cachedQueryer); on any other (an in-memory
// database, a handle opened elsewhere) it is prepared for each call. BenchmarkProtectedGETSQLite
// on this machine kind: 30,265–31,379 ns with the pool's prepared statement under ctx,
// 24,102–25,606 prepared for each call without cancellation, 20,109–25,091 kept per
// connection.
//
// The cancellation skipped cannot cut a one-row read short of anything: under WAL (dburl's
// default) no writer blocks a reader, and a lock wait (another journal mode, a checkpoint)
// ends after SQLite's busy_timeout (dburl.SQLiteBusyTimeout, 250 ms), the bound writes have.
func (q *lazyStmt) scanRow(ctx context.Context, db *sql.DB, dest []any, args ...any) error {
	if !q.sqlite {
		st, err := q.prepared(ctx, db)
		if err != nil {
			return err
		}
		return st.QueryRowContext(ctx, args...).Scan(dest...)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	cached := false
	err = conn.Raw(func(dc any) error {
		cq, ok := dc.(cachedQueryer)
		if !ok {
			return nil
		}
		cached = true
		return scanCached(cq, q.query, dest, args)
	})
	if cached || err != nil {
		return err
	}
	return conn.QueryRowContext(context.WithoutCancel(ctx), q.query, args...).Scan(dest...)
}

// cachedQueryer is a driver connection that keeps its prepared statements: dburl's SQLite
// connection (an interface here, as dburl imports this package).
type cachedQueryer interface {
	QueryCached(query string, args []driver.NamedValue) (driver.Rows, error)
}

// scanCached is QueryRow(...).Scan(dest...) on cq: the arguments converted, and each column
// assigned, by database/sql's rules (driver.DefaultParameterConverter; the Scan of sql.Null*
// or of a sql.Scanner destination).
func scanCached(cq cachedQueryer, query string, dest, args []any) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	rows, err := cq.QueryCached(query, named)
	if err != nil {
		return err
	}
	defer rows.Close()
	// One value per destination: the query and dest are built together (authQuery), and
	// rows.Columns would copy every column's name from C for nothing.
	vals := make([]driver.Value, len(dest))
	if err := rows.Next(vals); err != nil {
		if errors.Is(err, io.EOF) {
			return sql.ErrNoRows
		}
		return err
	}
	for i, v := range vals {
		if err := assign(dest[i], v); err != nil {
			return fmt.Errorf("column %d: %w", i+1, err)
		}
	}
	return nil
}

// assign stores v in dest as Row.Scan does, for the destinations the package's one-row reads
// have: a sql.Scanner, *int64, *string, *bool (NULL into the last three is an error, as in
// Row.Scan).
func assign(dest any, v driver.Value) error {
	switch d := dest.(type) {
	case sql.Scanner:
		return d.Scan(v)
	case *int64:
		return assignNotNull(d, v)
	case *string:
		return assignNotNull(d, v)
	case *bool:
		return assignNotNull(d, v)
	}
	return fmt.Errorf("unsupported destination %T", dest)
}

// assignNotNull is sql.Null[T]'s conversion of v into *d, NULL refused.
func assignNotNull[T any](d *T, v driver.Value) error {
	var n sql.Null[T]
	if err := n.Scan(v); err != nil || !n.Valid {
		return errors.Join(fmt.Errorf("%T into %T", v, d), err)
	}
	*d = n.V
	return nil
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

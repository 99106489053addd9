package models

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// lazyStmt is a statement of a hot path (Auth's user lookup, the blacklist check), prepared on
// its first call on the handle's *sql.DB, which prepares it again on each pooled connection it
// runs on. It lives as long as the handle (closing the *sql.DB closes it).
type lazyStmt struct {
	query string
	mu    sync.Mutex
	stmt  atomic.Pointer[sql.Stmt]
}

// prepared returns the statement, preparing it under ctx the first time.
func (q *lazyStmt) prepared(ctx context.Context, db *sql.DB) (*sql.Stmt, error) {
	if st := q.stmt.Load(); st != nil {
		return st, nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if st := q.stmt.Load(); st != nil {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, q.query)
	if err != nil {
		return nil, err
	}
	q.stmt.Store(st)
	return st, nil
}

// preparable returns the *sql.DB under db and the placeholder of a query's one parameter, when
// the dialect is one whose SQL the prepared statements are written for (SQLite, PostgreSQL,
// MySQL/MariaDB) and the handle is a plain *sql.DB; ok is false otherwise, and the callers keep
// GORM.
func preparable(db *gorm.DB) (sqlDB *sql.DB, placeholder string, ok bool) {
	switch db.Dialector.Name() {
	case "sqlite", "mysql":
		placeholder = "?"
	case "postgres":
		placeholder = "$1"
	default:
		return nil, "", false
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, "", false
	}
	return sqlDB, placeholder, true
}

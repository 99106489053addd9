package models

import (
	"errors"
	"slices"
	"sync/atomic"

	"gorm.io/gorm"
)

// dbInfo is what this package keeps about a database handle: the cap on concurrent writers and
// how to name the database in logs. It rides on the *gorm.DB as a GORM plugin, so that every
// session of the handle (and every store built on it) shares one.
type dbInfo struct {
	writers atomic.Pointer[chan struct{}] // nil: no cap
	target  string                        // DBInfo.Name
	secrets []string                      // the DSN's passwords, masked in logged driver errors
}

const dbInfoName = "simplejwt:models"

// Name and Initialize make dbInfo a gorm.Plugin.
func (*dbInfo) Name() string              { return dbInfoName }
func (*dbInfo) Initialize(*gorm.DB) error { return nil }

// infoOf returns the dbInfo of db, nil when it has none (a handle on which neither SetDBInfo nor
// ReserveReaders was called).
func infoOf(db *gorm.DB) *dbInfo {
	if db == nil || db.Config == nil {
		return nil
	}
	i, _ := db.Config.Plugins[dbInfoName].(*dbInfo)
	return i
}

// ensureInfo returns db's dbInfo, installing an empty one first when it has none.
func ensureInfo(db *gorm.DB) (*dbInfo, error) {
	if i := infoOf(db); i != nil {
		return i, nil
	}
	i := &dbInfo{}
	if err := db.Use(i); err != nil {
		return nil, err
	}
	return i, nil
}

// writerGate returns the semaphore of writers, nil when they are not capped.
func (i *dbInfo) writerGate() chan struct{} {
	if i == nil {
		return nil
	}
	if p := i.writers.Load(); p != nil {
		return *p
	}
	return nil
}

// annotate names the database in e when it does not name one yet.
func (i *dbInfo) annotate(e *DBError) {
	if i != nil && e.DB == "" {
		e.DB, e.secrets = i.target, i.secrets
	}
}

// named completes a *DBError in err with the name of db's database, for the functions that take
// a *gorm.DB rather than being a store's call (Migrate, FlushExpiredTokens, GormUserStore.Delete).
func named(db *gorm.DB, err error) error {
	var dbErr *DBError
	if errors.As(err, &dbErr) {
		infoOf(db).annotate(dbErr)
	}
	return err
}

// DBInfo is what the code that opens a database tells this package about the handle, for logs:
// dburl.Open sets it. A handle without it works the same, its failures logged without a
// database name.
type DBInfo struct {
	// Name names the database in logs: the SQLite path, or the server's URL with its password
	// masked. It becomes DBError.DB.
	Name string
	// Secrets are the passwords of the database's URL: masked wherever a driver's error quotes
	// them (DBError.Cause, Describe, LogValue).
	Secrets []string
}

// SetDBInfo records info on db (and every session and store made from it). Call it before
// building the stores on db.
func SetDBInfo(db *gorm.DB, info DBInfo) error {
	i, err := ensureInfo(db)
	if err != nil {
		return err
	}
	i.target, i.secrets = info.Name, slices.Clone(info.Secrets)
	return nil
}

// NewDBError returns the *DBError of op failing with err on the database info describes: for
// the code that opens a database, whose failures come before there is a handle to name.
func NewDBError(op string, err error, info DBInfo) *DBError {
	return &DBError{Op: op, Err: err, DB: info.Name, secrets: slices.Clone(info.Secrets)}
}

// ReserveReaders keeps n of db's pooled connections for the user lookups (GetByID,
// Authenticate's read, ResolveUserPK): the stores' writes (Outstand, Blacklist,
// UpdateLastLogin, Create, …) and the token store's blacklist checks then hold at most
// MaxOpenConns − n connections at once, and wait for a place (within their deadline) beyond
// that. So calls stalled by a lock on the token tables (another session's LOCK TABLE, SQLite's
// write lock held by another process) cannot take every connection from the user lookups:
// GET /api/me/ keeps answering.
// dburl.Open reserves max(1, MaxOpenConns/4): 1 of SQLite's 4 connections, 2 of a server's 10.
//
// Call it before building the stores on db, and again after changing the pool size with
// db.DB(); n <= 0 removes the cap. A pool of one connection (SQLite in memory) or an unbounded
// pool gets no cap.
func ReserveReaders(db *gorm.DB, n int) error {
	i, err := ensureInfo(db)
	if err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	pool := sqlDB.Stats().MaxOpenConnections
	if n <= 0 || pool <= 1 || n >= pool {
		i.writers.Store(nil)
		return nil
	}
	gate := make(chan struct{}, pool-n)
	i.writers.Store(&gate)
	return nil
}

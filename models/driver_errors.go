package models

import (
	"encoding/json"
	"errors"
	"strconv"

	"gorm.io/gorm"
)

// The stores tell a few driver errors apart: a busy SQLite database (retried until the call's
// deadline), a deadlock or serialization failure (the transaction is retried), and unique and
// foreign-key violations (a row that exists, or vanished). This package imports no driver, so
// that a program links only the one it uses: the dialect comes from the *gorm.DB's dialector
// (Name), and the code from the error itself, read without the driver's types:
//
//   - SQLSTATE through a SQLState() string method (pgx's *pgconn.PgError, lib/pq's *Error);
//   - a Code() int method (modernc.org/sqlite's *Error: the extended result code);
//   - otherwise the exported fields of the driver's error struct, read through encoding/json,
//     as GORM's own dialectors translate errors: Code and ExtendedCode of go-sqlite3's Error,
//     Code of pgconn's PgError, Number of go-sql-driver's MySQLError.
//
// GORM's own gorm.ErrDuplicatedKey and gorm.ErrForeignKeyViolated (a handle opened with
// TranslateError) are recognised on every dialect.

// errorKind is what the stores need to know about a failed statement.
type errorKind int

const (
	errOther      errorKind = iota
	errBusy                 // SQLite BUSY or LOCKED: the database is locked
	errTransient            // a deadlock or serialization failure: run the transaction again
	errUnique               // a unique constraint refused the row
	errForeignKey           // a foreign key refused the row (or its deletion)
)

// SQLite's result codes, PostgreSQL's SQLSTATEs and MySQL's error numbers that the stores act on.
const (
	sqliteBusy             = 5
	sqliteLocked           = 6
	sqliteConstraintFK     = 787
	sqliteConstraintPK     = 1555
	sqliteConstraintUnique = 2067
)

var (
	postgresKinds = map[string]errorKind{
		"40P01": errTransient, // deadlock_detected
		"40001": errTransient, // serialization_failure
		"23505": errUnique,    // unique_violation
		"23503": errForeignKey,
	}
	mysqlKinds = map[int]errorKind{
		1213: errTransient, // ER_LOCK_DEADLOCK
		1205: errTransient, // ER_LOCK_WAIT_TIMEOUT
		1062: errUnique,    // ER_DUP_ENTRY
		1451: errForeignKey, 1452: errForeignKey,
	}
)

// classify returns the kind of err, an error of a statement run on db.
func classify(db *gorm.DB, err error) errorKind {
	if err == nil {
		return errOther
	}
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return errUnique
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return errForeignKey
	}
	dialect := ""
	if db != nil && db.Dialector != nil {
		dialect = db.Dialector.Name()
	}
	kind := errOther
	walkErrors(err, func(e error) bool {
		kind = classifyOne(dialect, e)
		return kind != errOther
	})
	return kind
}

// classifyOne reads one error of err's tree as an error of dialect's driver.
func classifyOne(dialect string, e error) errorKind {
	switch dialect {
	case "sqlite":
		var code int // the extended result code; its low byte is the primary one
		if c, ok := e.(interface{ Code() int }); ok {
			code = c.Code()
		} else if f, ok := driverFields(e); ok {
			code = f.ExtendedCode
			if primary, err := strconv.Atoi(string(f.Code)); err == nil && code&0xff != primary {
				code = primary
			}
		}
		switch {
		case code&0xff == sqliteBusy, code&0xff == sqliteLocked:
			return errBusy
		case code == sqliteConstraintUnique, code == sqliteConstraintPK:
			return errUnique
		case code == sqliteConstraintFK:
			return errForeignKey
		}
	case "postgres":
		if s, ok := e.(interface{ SQLState() string }); ok {
			return postgresKinds[s.SQLState()]
		}
		if f, ok := driverFields(e); ok {
			var state string
			if json.Unmarshal(f.Code, &state) == nil {
				return postgresKinds[state]
			}
		}
	case "mysql":
		if f, ok := driverFields(e); ok {
			return mysqlKinds[f.Number]
		}
	}
	return errOther
}

// fields are the exported fields of the drivers' error structs that classifyOne reads.
type fields struct {
	Code         json.RawMessage // go-sqlite3: the primary result code; pgconn: SQLSTATE
	ExtendedCode int             // go-sqlite3
	Number       int             // go-sql-driver/mysql
}

// driverFields reads e's exported fields through encoding/json; ok is false when e has none of
// them.
func driverFields(e error) (f fields, ok bool) {
	b, err := json.Marshal(e)
	if err != nil || len(b) == 0 || b[0] != '{' {
		return fields{}, false
	}
	if json.Unmarshal(b, &f) != nil {
		return fields{}, false
	}
	return f, len(f.Code) > 0 || f.ExtendedCode != 0 || f.Number != 0
}

// walkErrors calls visit on err and the errors it wraps, depth first, until visit returns true.
func walkErrors(err error, visit func(error) bool) bool {
	if err == nil {
		return false
	}
	if visit(err) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return walkErrors(u.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if walkErrors(e, visit) {
				return true
			}
		}
	}
	return false
}

// isBusy reports SQLite's "database is locked" (BUSY, LOCKED).
func isBusy(db *gorm.DB, err error) bool { return classify(db, err) == errBusy }

// isTransient reports an error that running the transaction again may cure: a deadlock, a
// serialization failure, a busy SQLite database, or errRetry.
func isTransient(db *gorm.DB, err error) bool {
	if errors.Is(err, errRetry) {
		return true
	}
	k := classify(db, err)
	return k == errTransient || k == errBusy
}

func isUniqueViolation(db *gorm.DB, err error) bool     { return classify(db, err) == errUnique }
func isForeignKeyViolation(db *gorm.DB, err error) bool { return classify(db, err) == errForeignKey }

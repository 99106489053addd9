package models

import (
	"errors"
	"log/slog"
	"strings"
)

// DBError is the error of a failed database call: it matches ErrUnavailable with errors.Is and
// carries the driver's error for logs. Its message names only the operation, never SQL or driver
// text, so it is safe to show. For the operator, log the DBError itself: it is a slog.LogValuer
// whose value names the operation, the database (DB) and the driver's error, with the
// database's passwords masked; Describe gives the same as one line.
type DBError struct {
	Op  string // what the store was doing, e.g. "get user"
	Err error  // the driver or GORM error
	// DB names the database for logs: the SQLite path, or the server's URL with its password
	// masked; "" when unknown (a handle without DBInfo, see SetDBInfo).
	DB      string
	secrets []string // the passwords of the database url, masked in logs
}

func (e *DBError) Error() string { return "models: " + e.Op + ": database unavailable" }

// Unwrap returns ErrUnavailable and the cause, so errors.Is matches both.
func (e *DBError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// Cause returns the driver's error text, passwords masked: what went wrong, for the operator.
func (e *DBError) Cause() string {
	if e.Err == nil {
		return "unknown"
	}
	return strings.ReplaceAll(redact(e.Err.Error(), e.secrets), "\n", "; ")
}

// Describe returns the operation, the database and the cause in one line, for logs and
// start-up errors: "get user on /srv/db.sqlite3: database is locked".
func (e *DBError) Describe() string {
	where := ""
	if e.DB != "" {
		where = " on " + e.DB
	}
	return e.Op + where + ": " + e.Cause()
}

// LogValue implements slog.LogValuer: op, db and cause.
func (e *DBError) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 3)
	attrs = append(attrs, slog.String("op", e.Op))
	if e.DB != "" {
		attrs = append(attrs, slog.String("db", e.DB))
	}
	return slog.GroupValue(append(attrs, slog.String("cause", e.Cause()))...)
}

func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	var dbErr *DBError
	if errors.As(err, &dbErr) {
		return err
	}
	return &DBError{Op: op, Err: err}
}

// redact masks every secret in s.
func redact(s string, secrets []string) string {
	for _, secret := range secrets {
		s = strings.ReplaceAll(s, secret, "xxxxx")
	}
	return s
}

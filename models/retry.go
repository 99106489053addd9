package models

import (
	"context"
	"errors"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// errRetry asks retry for another attempt (a row vanished between two statements).
var errRetry = errors.New("models: retry")

// retry runs f again while it fails with a transient error: a deadlock or serialization
// failure (MySQL/MariaDB 1213 and 1205, PostgreSQL 40P01 and 40001) or errRetry, up to 5 times
// in all; SQLite BUSY/LOCKED (returned after SQLiteBusyTimeout) until ctx's deadline, or for
// sqliteLockWait when ctx has none. InnoDB can pick concurrent inserts of one unique key as
// deadlock victims; the retry makes that invisible to callers.
func retry(ctx context.Context, op string, f func() error) error {
	_, hasDeadline := ctx.Deadline()
	var err error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if busy := isBusy(err); (!busy && attempt >= 5) ||
				(busy && !hasDeadline && time.Duration(attempt)*SQLiteBusyTimeout >= sqliteLockWait) {
				break
			}
			select {
			case <-ctx.Done():
				return unavailable(op, errors.Join(ctx.Err(), err))
			case <-time.After(time.Duration(min(attempt*attempt, 10)) * 5 * time.Millisecond):
			}
		}
		err = f()
		if err == nil || !isTransient(err) {
			return err
		}
	}
	if errors.Is(err, errRetry) {
		return unavailable(op, err)
	}
	return err
}

// isBusy reports SQLite's "database is locked" (BUSY, LOCKED).
func isBusy(err error) bool {
	var lite sqlite3.Error
	return errors.As(err, &lite) && (lite.Code == sqlite3.ErrBusy || lite.Code == sqlite3.ErrLocked)
}

func isTransient(err error) bool {
	if errors.Is(err, errRetry) {
		return true
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1213 || my.Number == 1205
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40P01" || pg.Code == "40001"
	}
	return isBusy(err)
}

func isUniqueViolation(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1062
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite sqlite3.Error
	if errors.As(err, &lite) {
		return lite.ExtendedCode == sqlite3.ErrConstraintUnique || lite.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	return false
}

func isForeignKeyViolation(err error) bool {
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return true
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1452 || my.Number == 1451
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var lite sqlite3.Error
	if errors.As(err, &lite) {
		return lite.ExtendedCode == sqlite3.ErrConstraintForeignKey
	}
	return false
}

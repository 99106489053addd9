package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// errRetry asks retry for another attempt (a row vanished between two statements).
var errRetry = errors.New("models: retry")

// retry runs f, a call on db, again while it fails with a transient error: a deadlock or
// serialization failure (MySQL/MariaDB 1213 and 1205, PostgreSQL 40P01 and 40001) or errRetry,
// up to 5 times in all; SQLite BUSY/LOCKED (returned after the connection's busy timeout) until
// ctx's deadline, or for sqliteLockWait when ctx has none. InnoDB can pick concurrent inserts
// of one unique key as deadlock victims; the retry makes that invisible to callers.
func retry(ctx context.Context, db *gorm.DB, op string, f func() error) error {
	_, hasDeadline := ctx.Deadline()
	start := time.Now()
	var err error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if busy := isBusy(db, err); (!busy && attempt >= 5) ||
				(busy && !hasDeadline && time.Since(start) >= sqliteLockWait) {
				break
			}
			select {
			case <-ctx.Done():
				return unavailable(op, errors.Join(ctx.Err(), err))
			case <-time.After(time.Duration(min(attempt*attempt, 10)) * 5 * time.Millisecond):
			}
		}
		err = f()
		if err == nil || !isTransient(db, err) {
			return err
		}
	}
	if errors.Is(err, errRetry) {
		return unavailable(op, err)
	}
	return err
}

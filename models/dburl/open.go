// Package dburl opens a database from a URL (dj-database-url's forms: a SQLite path,
// sqlite:///…, postgres://…, mysql://…) with the connection settings the stores of package
// models are tuned for, and links the three drivers that takes: mattn/go-sqlite3, pgx and
// go-sql-driver/mysql.
//
// It is separate from models so that a program that brings its own *gorm.DB links only the
// driver it uses: models itself imports no driver (it reads the dialect from the *gorm.DB's
// dialector and a driver's error codes without its types). Open also tells models how to
// name the database in logs (models.SetDBInfo), with its passwords masked.
package dburl

import (
	"context"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gin-simplejwt/simplejwt/models"
)

// SQLite connection settings used by Open. They are what keeps "database is locked" from reaching
// a client under concurrent writes:
//   - WAL lets readers run beside the one writer;
//   - busy_timeout makes a writer wait for the lock instead of failing at once; SQLite does not
//     interrupt that wait when the caller's context ends, so it is short (SQLiteBusyTimeout), and
//     the stores retry a busy statement until their deadline (see models.DefaultTimeout): a call
//     returns at most SQLiteBusyTimeout after its deadline;
//   - _txlock=immediate makes every transaction take the write lock at BEGIN, so a transaction
//     that reads and then writes never fails with SQLITE_BUSY_SNAPSHOT (which the busy handler
//     cannot retry);
//   - foreign keys are enforced, as Django's SQLite backend does.
//
// SQLiteMaxOpenConns bounds the pool. SQLite has one writer at a time whatever the pool size;
// a small pool keeps writers queueing in Go rather than in SQLite's busy handler (which sleeps
// up to 100 ms between tries), while letting a few readers run in parallel under WAL.
// Measured with TestSQLitePoolContention (50 goroutines × 20 iterations of outstand, update
// last_login, blacklist check and blacklist, 2 cores): pools of 1, 2, 4, 8 and 16 all finished
// in 290-580 ms with 0 errors (writes as transactions retried until their deadline); with no
// busy_timeout and a 5 ms deadline, too short to wait for the lock, 465 calls failed.
//
// ServerMaxOpenConns bounds the pool for PostgreSQL and MySQL (database/sql's default is
// unbounded, with only 2 idle connections kept: a burst of 100 concurrent blacklist calls then
// opens and closes ~100 server connections — 3.3 s on PostgreSQL here, against 25 ms with a
// pool of 10 kept open — and can exhaust PostgreSQL's max_connections of 100). Change it with
// db.DB() after Open (and then call models.ReserveReaders again).
const (
	SQLiteBusyTimeout  = 250 * time.Millisecond
	SQLiteMaxOpenConns = 4
	ServerMaxOpenConns = 10
)

// Open connects to the database named by url and returns a *gorm.DB ready for the stores and
// Migrate. Accepted forms:
//
//	/path/to/db.sqlite3, db.sqlite3       a SQLite file (created when missing)
//	sqlite:///relative.db                 dj-database-url / SQLAlchemy style: three slashes and a
//	sqlite:////absolute/path.db           relative path, four for an absolute one
//	sqlite:///:memory:, :memory:          a private in-memory database (one connection)
//	file:path.db?mode=ro                  a SQLite URI filename, passed through
//	postgres://user:pass@host:5432/db?sslmode=disable   (also postgresql://), passed to pgx
//	mysql://user:pass@host:3306/db?tls=true             converted to a go-sql-driver DSN with
//	                                                    parseTime=true and loc=UTC
//
// SQLite is opened with WAL, a busy timeout of SQLiteBusyTimeout, foreign keys on and
// _txlock=immediate (query parameters given in url win), and a pool of SQLiteMaxOpenConns; a
// SQLite file is created only by the first connection, and the database fails with
// ErrDatabaseFileChanged once the file is deleted or replaced (see sqliteFile). PostgreSQL and
// MySQL get a pool of ServerMaxOpenConns; PostgreSQL cancels a statement on the server when its
// context ends (pgx's cancel request), rather than leaving it waiting for a lock. A part of
// every pool is kept for reads (models.ReserveReaders).
//
// GORM's logger is silent. Open pings the database with ctx; a failure to connect is a
// models.ErrUnavailable (a *models.DBError naming the path or the host, never the password), a
// malformed url is a plain error.
func Open(ctx context.Context, url string) (*gorm.DB, error) {
	target, secrets := databaseName(url)
	info := models.DBInfo{Name: target, Secrets: secrets}
	fail := func(err error) error { return models.NewDBError("open", err, info) }
	dialector, sqliteMemory, isSQLite, err := dialectorFor(url)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
	})
	if err != nil {
		closeConnPool(dialector)
		return nil, fail(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fail(err)
	}
	pool := ServerMaxOpenConns
	switch {
	case sqliteMemory:
		// Each connection to ":memory:" is its own database: keep exactly one, forever.
		pool = 1
		sqlDB.SetConnMaxLifetime(0)
		sqlDB.SetConnMaxIdleTime(0)
	case isSQLite:
		pool = SQLiteMaxOpenConns
	default:
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	sqlDB.SetMaxOpenConns(pool)
	sqlDB.SetMaxIdleConns(pool)
	if err := models.SetDBInfo(db, info); err != nil {
		_ = sqlDB.Close()
		return nil, fail(err)
	}
	if err := models.ReserveReaders(db, defaultReservedReaders(pool)); err != nil {
		_ = sqlDB.Close()
		return nil, fail(err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fail(err)
	}
	return db, nil
}

// closeConnPool closes the pool a dialector was given, when gorm.Open failed with it.
func closeConnPool(d gorm.Dialector) {
	var pool gorm.ConnPool
	switch x := d.(type) {
	case *sqlite.Dialector:
		pool = x.Conn
	case *postgres.Dialector:
		pool = x.Conn
	}
	if c, ok := pool.(interface{ Close() error }); ok {
		_ = c.Close()
	}
}

// defaultReservedReaders is the reserve Open makes for a pool of size pool: a quarter, at least
// one connection.
func defaultReservedReaders(pool int) int { return max(1, pool/4) }

package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"
)

// SQLite connection settings used by Open. They are what keeps "database is locked" from reaching
// a client under concurrent writes (SECURITY.md §4.4):
//   - WAL lets readers run beside the one writer;
//   - busy_timeout makes a writer wait for the lock instead of failing at once; SQLite does not
//     interrupt that wait when the caller's context ends, so it is short (SQLiteBusyTimeout), and
//     the stores retry a busy statement until their deadline (see DefaultTimeout): a call
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
// db.DB() after Open (and then call ReserveReaders again).
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
// every pool is kept for reads (ReserveReaders).
//
// GORM's logger is silent. Open pings the database with ctx; a failure to connect is an
// ErrUnavailable (a *DBError naming the path or the host, never the password), a malformed url
// is a plain error.
func Open(ctx context.Context, url string) (*gorm.DB, error) {
	target, secrets := databaseName(url)
	fail := func(err error) error { return &DBError{Op: "open", Err: err, DB: target, secrets: secrets} }
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
	info := &dbInfo{target: target, secrets: secrets}
	if err := db.Use(info); err != nil {
		_ = sqlDB.Close()
		return nil, fail(err)
	}
	if err := ReserveReaders(db, defaultReservedReaders(pool)); err != nil {
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

// databaseName names the database of url for logs: a SQLite path as given, a server URL with
// its passwords masked (and those passwords, to mask them in driver errors too).
func databaseName(raw string) (string, []string) {
	scheme, rest, hasScheme := strings.Cut(raw, "://")
	if !hasScheme || strings.Contains(scheme, "/") {
		return raw, nil
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		return strings.TrimPrefix(rest, "/"), nil
	}
	return redactURL(raw)
}

func dialectorFor(raw string) (d gorm.Dialector, memory, isSQLite bool, err error) {
	scheme, rest, hasScheme := strings.Cut(raw, "://")
	if !hasScheme || strings.Contains(scheme, "/") {
		scheme, rest = "", raw
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		cfg, err := pgx.ParseConfig(raw)
		if err != nil {
			return nil, false, false, fmt.Errorf("models: Open: postgres url: %w", err)
		}
		// When a context ends, ask the server to cancel the statement (then drop the connection
		// if it does not answer within a second): pgx's default only drops the connection, and
		// the server would go on waiting for a lock and run the statement later.
		cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
			return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: time.Second}
		}
		return postgres.New(postgres.Config{Conn: stdlib.OpenDB(*cfg)}), false, false, nil
	case "mysql", "mariadb":
		dsn, err := mysqlDSN(raw)
		if err != nil {
			return nil, false, false, err
		}
		return gormmysql.Open(dsn), false, false, nil
	case "sqlite", "sqlite3":
		// sqlite:///x.db → "x.db"; sqlite:////abs/x.db → "/abs/x.db".
		rest = strings.TrimPrefix(rest, "/")
		if rest == "" {
			rest = ":memory:"
		}
		d, memory, err := sqliteDialector(rest)
		return d, memory, true, err
	case "":
		if raw == "" {
			return nil, false, false, errors.New("models: Open: empty database url")
		}
		d, memory, err := sqliteDialector(raw)
		return d, memory, true, err
	default:
		return nil, false, false, fmt.Errorf("models: Open: unsupported database scheme %q (want sqlite, postgres or mysql)", scheme)
	}
}

// sqliteDialector opens a SQLite path or URI filename: in memory as it is, a file through its
// sqliteFile connector.
func sqliteDialector(path string) (gorm.Dialector, bool, error) {
	dsn, memory := sqliteDSN(path)
	if memory {
		return sqlite.Open(dsn), true, nil
	}
	f, err := newSQLiteFile(dsn)
	if err != nil {
		return nil, false, err
	}
	return sqlite.New(sqlite.Config{Conn: sql.OpenDB(f)}), false, nil
}

// sqliteDSN adds Open's connection settings to a SQLite path or URI filename, keeping any
// setting the caller gave.
func sqliteDSN(path string) (dsn string, memory bool) {
	name, query, _ := strings.Cut(path, "?")
	memory = name == ":memory:" || name == "file::memory:" || strings.Contains(query, "mode=memory")
	params, err := url.ParseQuery(query)
	if err != nil {
		params = url.Values{}
	}
	defaults := [][2]string{
		{"_busy_timeout", strconv.FormatInt(SQLiteBusyTimeout.Milliseconds(), 10)},
		{"_foreign_keys", "on"},
		{"_txlock", "immediate"},
	}
	if !memory {
		defaults = append(defaults, [2]string{"_journal_mode", "WAL"})
	}
	for _, kv := range defaults {
		if _, set := params[kv[0]]; !set {
			params.Set(kv[0], kv[1])
		}
	}
	return name + "?" + params.Encode(), memory
}

// mysqlDSN turns mysql://user:pass@host:port/db?params into a go-sql-driver DSN with
// parseTime=true and loc=UTC (Django stores UTC in datetime(6) columns).
func mysqlDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("models: Open: malformed mysql url")
	}
	cfg, err := mysql.ParseDSN("/?" + u.RawQuery)
	if err != nil {
		return "", fmt.Errorf("models: Open: mysql url parameters: %w", err)
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	host := u.Host
	if host == "" {
		host = "127.0.0.1"
	}
	if u.Port() == "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), "3306")
	}
	cfg.Net, cfg.Addr = "tcp", host
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	return cfg.FormatDSN(), nil
}

// ----------------------------------------------------------------------------------------------
// Errors

// DBError is the error of a failed database call: it matches ErrUnavailable with errors.Is and
// carries the driver's error for logs. Its message names only the operation, never SQL or driver
// text, so it is safe to show. For the operator, log the DBError itself: it is a slog.LogValuer
// whose value names the operation, the database (DB) and the driver's error, with the
// database's passwords masked; Describe gives the same as one line.
type DBError struct {
	Op  string // what the store was doing, e.g. "get user"
	Err error  // the driver or GORM error
	// DB names the database for logs: the SQLite path, or the server's URL with its password
	// masked; "" when unknown (a handle not made by Open).
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

// ----------------------------------------------------------------------------------------------
// DjangoTime

// djangoTimeLayout is Python's str(datetime) for a naive UTC datetime: what Django's SQLite
// backend writes. The fraction is omitted when it is zero, exactly as Python does.
const (
	djangoTimeLayout     = "2006-01-02 15:04:05"
	djangoTimeLayoutFrac = "2006-01-02 15:04:05.000000"
)

// DjangoTime is a time stored the way Django stores a DateTimeField with USE_TZ=True: in UTC,
// to the microsecond. On SQLite that is the text "YYYY-MM-DD HH:MM:SS.ffffff" (a space, no zone,
// the fraction omitted when it is zero, as Python's str(datetime) does), and Django compares
// those texts as text (flushexpiredtokens runs `expires_at <= '2026-11-24 00:14:00.409586'`), so
// any other spelling would sort wrongly. On PostgreSQL (timestamptz) and MySQL (datetime(6)) it
// is bound as a time.Time in UTC.
//
// The zero DjangoTime is the zero time.Time. Use *DjangoTime for a nullable column.
type DjangoTime struct {
	time.Time
}

// NewDjangoTime returns t in UTC, truncated to the microsecond (Python's precision).
func NewDjangoTime(t time.Time) DjangoTime {
	return DjangoTime{Time: t.UTC().Truncate(time.Microsecond)}
}

// DjangoTimePtr is NewDjangoTime for a nullable column; the zero time gives nil.
func DjangoTimePtr(t time.Time) *DjangoTime {
	if t.IsZero() {
		return nil
	}
	d := NewDjangoTime(t)
	return &d
}

// String returns the Django text form.
func (t DjangoTime) String() string {
	u := t.Time.UTC().Truncate(time.Microsecond)
	if u.Nanosecond() == 0 {
		return u.Format(djangoTimeLayout)
	}
	return u.Format(djangoTimeLayoutFrac)
}

// Value returns the Django text form (right for SQLite, and read correctly by MySQL). Through
// GORM, GormValue is used instead and binds a time.Time on PostgreSQL and MySQL.
func (t DjangoTime) Value() (driver.Value, error) {
	return t.String(), nil
}

// GormValue binds the text form on SQLite and a UTC time.Time elsewhere.
func (t DjangoTime) GormValue(_ context.Context, db *gorm.DB) clause.Expr {
	if db != nil && db.Dialector != nil && db.Dialector.Name() != "sqlite" {
		return clause.Expr{SQL: "?", Vars: []any{t.Time.UTC().Truncate(time.Microsecond)}}
	}
	return clause.Expr{SQL: "?", Vars: []any{t.String()}}
}

// GormDBDataType gives Django's column type, for models that AutoMigrate a DjangoTime.
func (DjangoTime) GormDBDataType(db *gorm.DB, _ *schema.Field) string {
	switch db.Dialector.Name() {
	case "postgres":
		return "timestamp with time zone"
	case "mysql":
		return "datetime(6)"
	default:
		return "datetime"
	}
}

// Scan reads a time.Time (PostgreSQL, MySQL with parseTime, SQLite columns declared datetime)
// or Django's text (SQLite), in any of the spellings SQLite's own date functions accept.
func (t *DjangoTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case nil:
		t.Time = time.Time{}
		return nil
	default:
		return fmt.Errorf("models: cannot read %T as a datetime", src)
	}
}

var djangoTimeParseLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

func (t *DjangoTime) parse(s string) error {
	s = strings.TrimSpace(s)
	for _, layout := range djangoTimeParseLayouts {
		if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("models: cannot read %q as a datetime", s)
}

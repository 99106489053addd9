package dburl

import (
	"database/sql"
	"errors"
	"fmt"
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
)

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
			return nil, false, false, fmt.Errorf("dburl: Open: postgres url: %w", err)
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
			return nil, false, false, errors.New("dburl: Open: empty database url")
		}
		d, memory, err := sqliteDialector(raw)
		return d, memory, true, err
	default:
		return nil, false, false, fmt.Errorf("dburl: Open: unsupported database scheme %q (want sqlite, postgres or mysql)", scheme)
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
		return "", errors.New("dburl: Open: malformed mysql url")
	}
	cfg, err := mysql.ParseDSN("/?" + u.RawQuery)
	if err != nil {
		return "", fmt.Errorf("dburl: Open: mysql url parameters: %w", err)
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

// redactURL returns a database URL for logs: the password of its user and a password query
// parameter masked, and the secrets it held.
func redactURL(raw string) (shown string, secrets []string) {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable database url)", nil
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			secrets = append(secrets, p)
			if e := url.PathEscape(p); e != p {
				secrets = append(secrets, e)
			}
		}
	}
	if q := u.Query(); q.Has("password") {
		if p := q.Get("password"); p != "" {
			secrets = append(secrets, p)
		}
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted(), secrets
}

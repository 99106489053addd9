package dburl

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mattn/go-sqlite3"
)

// ErrDatabaseFileChanged: the SQLite file that Open opened was deleted, moved or replaced by
// another file while the database is open. Every call fails with it (a 503) until the service is
// restarted: a new, empty database is never created in its place, and requests are never split
// between the old file and a new one.
var ErrDatabaseFileChanged = errors.New("dburl: the SQLite database file changed while open")

// sqliteFile is the driver.Connector of a SQLite database file opened by Open. SQLite (through
// go-sqlite3) creates a missing file on every new connection, and connections already open keep
// working on a deleted file's inode: a file deleted or replaced under a running service would
// silently split it between the old file and a new, empty one. So:
//
//   - only the first connection may create the file; the file's identity (device and inode,
//     through os.SameFile) is recorded then;
//   - later connections open it with SQLite's mode=rw (never create), and only when it is still
//     the same file;
//   - a pooled connection is checked before each reuse (database/sql's ResetSession: one stat of
//     the path, 0.7–1.3 µs and 2 allocations here, BenchmarkSQLiteFileCheck) and discarded when the
//     file changed, so the next connection fails with ErrDatabaseFileChanged and its reason.
//
// The check is made before every reuse, not now and then, because a window matters here: the
// -wal file belongs to the path, not to the file, so a write made through an old connection
// after a replacement lands in the -wal that the new file will read as its own.
type sqliteFile struct {
	driver   *sqlite3.SQLiteDriver
	path     string // absolute
	firstDSN string // may create the file
	laterDSN string // mode=rw unless the caller chose a mode
	mu       sync.Mutex
	ident    atomic.Pointer[os.FileInfo] // nil until the first connection
}

// newSQLiteFile returns the connector of dsn, a SQLite path or file: URI with its parameters
// (sqliteDSN's result), or nil for an in-memory database.
func newSQLiteFile(dsn string) (*sqliteFile, error) {
	name, query, _ := strings.Cut(dsn, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("dburl: Open: SQLite parameters: %w", err)
	}
	f := &sqliteFile{driver: &sqlite3.SQLiteDriver{}}
	if strings.HasPrefix(name, "file:") {
		// A URI filename: its path, %-escapes decoded; the URI is kept as the caller wrote it.
		p := strings.TrimPrefix(name, "file:")
		if strings.HasPrefix(p, "///") {
			p = p[2:]
		}
		if p, err = url.PathUnescape(p); err != nil {
			return nil, fmt.Errorf("dburl: Open: SQLite URI %q: %w", name, err)
		}
		if f.path, err = filepath.Abs(p); err != nil {
			return nil, err
		}
		f.firstDSN = dsn
		if !params.Has("mode") {
			params.Set("mode", "rw")
		}
		f.laterDSN = name + "?" + params.Encode()
		return f, nil
	}
	if f.path, err = filepath.Abs(name); err != nil {
		return nil, err
	}
	f.firstDSN = f.path + "?" + params.Encode()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(f.path)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // file:///C:/… on Windows
	}
	params.Set("mode", "rw")
	u.RawQuery = params.Encode()
	f.laterDSN = u.String()
	return f, nil
}

// Connect implements driver.Connector.
func (f *sqliteFile) Connect(context.Context) (driver.Conn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ident.Load() == nil {
		c, err := f.driver.Open(f.firstDSN)
		if err != nil {
			return nil, err
		}
		fi, err := os.Stat(f.path)
		if err != nil {
			_ = c.Close()
			return nil, fmt.Errorf("dburl: SQLite file %s: %w", f.path, err)
		}
		f.ident.Store(&fi)
		return &sqliteConn{SQLiteConn: c.(*sqlite3.SQLiteConn), file: f}, nil
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	c, err := f.driver.Open(f.laterDSN)
	if err != nil {
		return nil, err
	}
	if err := f.check(); err != nil { // replaced between the check and the open
		_ = c.Close()
		return nil, err
	}
	return &sqliteConn{SQLiteConn: c.(*sqlite3.SQLiteConn), file: f}, nil
}

// Driver implements driver.Connector.
func (f *sqliteFile) Driver() driver.Driver { return f.driver }

// check reports how the file at the path differs from the one first opened, nil when it is the
// same (or before the first connection).
func (f *sqliteFile) check() error {
	first := f.ident.Load()
	if first == nil {
		return nil
	}
	now, err := os.Stat(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %s no longer exists (deleted or moved while the service runs); no new, empty database is created in its place", ErrDatabaseFileChanged, f.path)
	case err != nil:
		return fmt.Errorf("dburl: SQLite file %s: %w", f.path, err)
	case !os.SameFile(*first, now):
		return fmt.Errorf("%w: %s is not the file that was opened (replaced while the service runs); restart the service to use the new file", ErrDatabaseFileChanged, f.path)
	}
	return nil
}

// sqliteConn is a go-sqlite3 connection whose file is checked before each reuse.
type sqliteConn struct {
	*sqlite3.SQLiteConn
	file  *sqliteFile
	stmts map[string]driver.Stmt // QueryCached's, by query text
}

// ResetSession implements driver.SessionResetter: database/sql calls it before reusing a pooled
// connection, and discards the connection on driver.ErrBadConn.
func (c *sqliteConn) ResetSession(context.Context) error {
	if c.file.check() != nil {
		return driver.ErrBadConn
	}
	return nil
}

var (
	_ driver.Connector       = (*sqliteFile)(nil)
	_ driver.SessionResetter = (*sqliteConn)(nil)
	_ driver.ConnBeginTx     = (*sqliteConn)(nil)
	_ driver.ExecerContext   = (*sqliteConn)(nil)
	_ driver.QueryerContext  = (*sqliteConn)(nil)
)

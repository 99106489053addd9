package dburl

import (
	"context"
	"database/sql/driver"
)

// QueryCached runs query with args on the connection, preparing it on the first call and
// keeping the statement until the connection closes, and without a context: no goroutine
// watches one (go-sqlite3 starts one per statement for a context that can end). It is what
// package models' one-row reads on SQLite use (through sql.Conn.Raw, under their deadline for
// the wait for a connection; see models' lazyStmt.scanRow). database/sql hands a connection to
// one caller at a time, so the statements need no lock.
func (c *sqliteConn) QueryCached(query string, args []driver.NamedValue) (driver.Rows, error) {
	st, ok := c.stmts[query]
	if !ok {
		s, err := c.SQLiteConn.Prepare(query)
		if err != nil {
			return nil, err
		}
		if c.stmts == nil {
			c.stmts = map[string]driver.Stmt{}
		}
		c.stmts[query], st = s, s
	}
	return st.(driver.StmtQueryContext).QueryContext(context.Background(), args)
}

// Close closes the statements QueryCached kept, then the connection.
func (c *sqliteConn) Close() error {
	for q, st := range c.stmts {
		_ = st.Close()
		delete(c.stmts, q)
	}
	return c.SQLiteConn.Close()
}

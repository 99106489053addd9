package dburl

import (
	"context"
	"database/sql/driver"
	"io"
	"path/filepath"
	"testing"
)

// TestQueryCached: a statement is prepared once per connection and reused with new arguments,
// its rows read as go-sqlite3 gives them; closing the database closes the kept statements.
func TestQueryCached(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cached.sqlite3"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO t (id, name) VALUES (1, 'one'), (2, 'two')").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1) // one connection: every call below is on it
	const q = "SELECT name FROM t WHERE id = ?"
	var kept *sqliteConn
	for _, tc := range []struct {
		id   int64
		want string // "" for no row
	}{{1, "one"}, {2, "two"}, {3, ""}, {1, "one"}} {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = conn.Raw(func(dc any) error {
			c := dc.(*sqliteConn)
			kept = c
			rows, err := c.QueryCached(q, []driver.NamedValue{{Ordinal: 1, Value: tc.id}})
			if err != nil {
				return err
			}
			defer rows.Close()
			vals := make([]driver.Value, 1)
			switch err := rows.Next(vals); {
			case err == io.EOF:
				if tc.want != "" {
					t.Errorf("id %d: no row, want %q", tc.id, tc.want)
				}
			case err != nil:
				return err
			case vals[0] != tc.want:
				t.Errorf("id %d: %v, want %q", tc.id, vals[0], tc.want)
			}
			if len(c.stmts) != 1 {
				t.Errorf("%d statements kept, want 1", len(c.stmts))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.Close()
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
	if len(kept.stmts) != 0 {
		t.Errorf("%d statements left after Close", len(kept.stmts))
	}
}

package pglisten_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation/pglisten"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

// open opens url with dburl (the drivers of the stores) and returns its *sql.DB.
func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	g, err := dburl.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	db, err := g.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestListenNeedsPgx(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "x.sqlite3"))
	if err := pglisten.Listen(t.Context(), db, "c", func(string) {}); !errors.Is(err, pglisten.ErrNotPgx) {
		t.Fatalf("Listen on SQLite = %v, want ErrNotPgx", err)
	}
}

// TestListen: notify("") once listening, then each payload; nil when ctx ends.
func TestListen(t *testing.T) {
	dsn := os.Getenv("SIMPLEJWT_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("SIMPLEJWT_TEST_POSTGRES_DSN not set: skipping the PostgreSQL run")
	}
	db := open(t, dsn)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got := make(chan string, 10)
	done := make(chan error, 1)
	go func() { done <- pglisten.Listen(ctx, db, "pglisten_test", func(p string) { got <- p }) }()
	if p := <-got; p != "" {
		t.Fatalf("first notify(%q), want the empty catch-up call", p)
	}
	if _, err := db.ExecContext(ctx, "SELECT pg_notify('pglisten_test', '42')"); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		if p != "42" {
			t.Fatalf("payload %q", p)
		}
	case <-ctx.Done():
		t.Fatal("no notification")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Listen after ctx ended = %v", err)
	}
}

package ginjwt_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// TestDatabaseTimeoutSetting: zero is models.DefaultTimeout, a negative duration is refused, a
// value reaches the serializers' Env.
func TestDatabaseTimeoutSetting(t *testing.T) {
	cases := []struct {
		in      time.Duration
		want    time.Duration
		wantErr bool
	}{
		{in: 0, want: models.DefaultTimeout},
		{in: 2 * time.Second, want: 2 * time.Second},
		{in: -time.Second, wantErr: true},
	}
	db := freshDB(t, "sqlite")
	for _, c := range cases {
		s := ginjwt.DefaultSettings()
		s.SigningKey = key
		s.DatabaseTimeout = c.in
		j, err := ginjwt.New(db, s)
		if c.wantErr {
			if err == nil || !strings.Contains(err.Error(), "DatabaseTimeout") {
				t.Errorf("DatabaseTimeout %s: err %v, want one naming DatabaseTimeout", c.in, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := j.Settings().DatabaseTimeout; got != c.want {
			t.Errorf("DatabaseTimeout %s: Settings() has %s, want %s", c.in, got, c.want)
		}
		if got := j.Env().DatabaseTimeout; got != c.want {
			t.Errorf("DatabaseTimeout %s: Env has %s, want %s", c.in, got, c.want)
		}
	}
}

// TestRefreshUnderHeldLock is the stall at the library's level: with SQLite's write lock held
// by a connection outside the pool, refreshes with rotation and blacklist after rotation answer
// 503 within DatabaseTimeout (plus a generous margin), the user lookup of Auth keeps answering,
// the cause is logged, and after the lock is gone every one of those refresh tokens still works.
func TestRefreshUnderHeldLock(t *testing.T) {
	const timeout = 500 * time.Millisecond
	const margin = 3 * time.Second
	path := filepath.Join(t.TempDir(), "stall.sqlite3")
	ctx := context.Background()
	db, err := dburl.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}()
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	hashers := hashers.New(hashers.PBKDF2SHA256(1000))
	users, _ := models.NewUserStore(db, models.UserStoreOptions{Hashers: hashers})
	u := models.NewUser("alice")
	_ = u.SetPasswordWith(hashers, "alice-password-1")
	if err := users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var logMu sync.Mutex
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
	s.User = models.UserStoreOptions{Hashers: hashers}
	s.DatabaseTimeout = timeout
	s.Logger = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))
	j, err := ginjwt.New(db, s)
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	r.GET("/me", j.Auth(), j.IsAuthenticated(), func(c *gin.Context) { c.String(200, "ok") })
	call := func(method, path, bearer, body string) (int, string, time.Duration) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		w := httptest.NewRecorder()
		start := time.Now()
		r.ServeHTTP(w, req)
		return w.Code, w.Body.String(), time.Since(start)
	}
	field := func(body, name string) string {
		v := body[strings.Index(body, `"`+name+`":"`)+len(name)+4:]
		return v[:strings.IndexByte(v, '"')]
	}
	const n = 8 // more than the pool's connections
	var refresh []string
	var access string
	for range n {
		_, pair, _ := call(http.MethodPost, "/api/token/", "", `{"username":"alice","password":"alice-password-1"}`)
		refresh = append(refresh, field(pair, "refresh"))
		access = field(pair, "access")
	}

	outside, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer outside.Close()
	conn, err := outside.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body, took := call(http.MethodPost, "/api/token/refresh/", "", `{"refresh":"`+refresh[i]+`"}`)
			codes[i] = code
			if code != http.StatusServiceUnavailable || body != `{"detail":"Service temporarily unavailable."}` || took > timeout+margin {
				t.Errorf("refresh %d under the lock: %d %s after %s, want 503 within %s", i, code, body, took, timeout+margin)
			}
		}()
	}
	if code, _, took := call(http.MethodGet, "/me", access, ""); code != 200 || took > timeout+margin {
		t.Errorf("Auth's user lookup under the lock: %d after %s", code, took)
	}
	wg.Wait()
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	for i, tok := range refresh {
		if code, body, _ := call(http.MethodPost, "/api/token/refresh/", "", `{"refresh":"`+tok+`"}`); code != 200 {
			t.Errorf("refresh %d after the lock: %d %s (consumed without an answer)", i, code, body)
		}
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "database is locked") || !strings.Contains(logs.String(), path) {
		t.Errorf("the log does not name the cause and the database:\n%s", logs.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

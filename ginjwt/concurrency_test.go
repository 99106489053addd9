package ginjwt_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// freshDB returns a migrated, private database of the dialect: a SQLite file, or a database
// created on the server named by SIMPLEJWT_TEST_POSTGRES_DSN / SIMPLEJWT_TEST_MYSQL_DSN and
// dropped afterwards (the test is skipped when the variable is unset).
func freshDB(t testing.TB, dialect string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "race.sqlite3")
	if dialect != "sqlite" {
		env := map[string]string{"postgres": "SIMPLEJWT_TEST_POSTGRES_DSN", "mysql": "SIMPLEJWT_TEST_MYSQL_DSN"}[dialect]
		base := os.Getenv(env)
		if base == "" {
			t.Skipf("%s not set: skipping the %s run", env, dialect)
		}
		admin, err := dburl.Open(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		name := "sjginjwt_" + hex.EncodeToString(b)
		if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			drop := "DROP DATABASE IF EXISTS " + name
			if dialect == "postgres" {
				drop += " WITH (FORCE)"
			}
			_ = admin.Exec(drop).Error
			if sqlDB, err := admin.DB(); err == nil {
				_ = sqlDB.Close()
			}
		})
		u, _ := url.Parse(base)
		u.Path = "/" + name
		dsn = u.String()
	}
	db, err := dburl.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	if err := errors.Join(models.Migrate(ctx, db), models.MigrateSessions(ctx, db)); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestConcurrentRefreshRotation is SECURITY D9 / issue #985 of simplejwt on each database: 100
// goroutines released together refresh one token with ROTATE_REFRESH_TOKENS and
// BLACKLIST_AFTER_ROTATION. Exactly one gets a new pair; the 99 others get a clean 401 "Token is
// blacklisted"; nothing else (no 500, no "database is locked"), one blacklist row.
func TestConcurrentRefreshRotation(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(dialect, func(t *testing.T) {
			db := freshDB(t, dialect)
			ctx := context.Background()
			hs := hashers.New(hashers.PBKDF2SHA256(1000))
			users, err := models.NewUserStore(db, models.UserStoreOptions{Hashers: hs})
			if err != nil {
				t.Fatal(err)
			}
			u := models.NewUser("alice")
			_ = u.SetPasswordWith(hs, "alice-password-1")
			if err := users.Create(ctx, u); err != nil {
				t.Fatal(err)
			}
			s := ginjwt.DefaultSettings()
			s.SigningKey = key
			s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
			s.User = models.UserStoreOptions{Hashers: hs}
			j, err := ginjwt.New(db, s)
			if err != nil {
				t.Fatal(err)
			}
			r := gin.New()
			j.RegisterRoutes(r.Group("/api/token"))
			call := func(path, body string) (int, string) {
				req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				return w.Code, w.Body.String()
			}
			_, pair := call("/api/token/", `{"username":"alice","password":"alice-password-1"}`)
			refresh := pair[strings.Index(pair, `"refresh":"`)+11:]
			refresh = refresh[:strings.IndexByte(refresh, '"')]

			const n = 100
			start := make(chan struct{})
			var wg sync.WaitGroup
			var mu sync.Mutex
			outcomes := map[string]int{}
			for range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					code, body := call("/api/token/refresh/", `{"refresh":"`+refresh+`"}`)
					key := "other"
					switch {
					case code == 200 && strings.Contains(body, `"refresh":"`):
						key = "200"
					case code == 401 && body == `{"detail":"Token is blacklisted","code":"token_not_valid"}`:
						key = "401"
					default:
						t.Logf("unexpected %d %s", code, body)
					}
					mu.Lock()
					outcomes[key]++
					mu.Unlock()
				}()
			}
			close(start)
			wg.Wait()
			var rows int64
			db.Table(models.BlacklistedTokenTable).Count(&rows)
			t.Logf("%s: %d concurrent refreshes of one token: %v; blacklist rows %d", dialect, n, outcomes, rows)
			if outcomes["200"] != 1 || outcomes["401"] != n-1 || outcomes["other"] != 0 || rows != 1 {
				t.Errorf("want exactly 1×200 and %d×401 and one blacklist row, got %v and %d rows", n-1, outcomes, rows)
			}
		})
	}
}

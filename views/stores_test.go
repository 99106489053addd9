package views_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// The views against the real stores of package models: in memory, and GORM on a SQLite file
// (Django's tables), with rotation, BLACKLIST_AFTER_ROTATION, CHECK_REVOKE_TOKEN and
// UPDATE_LAST_LOGIN on.

type realStores struct {
	users  models.UserStore
	tokens tokens.TokenStore
	create func(t *testing.T, username, password string, active bool) *models.User
	delete func(t *testing.T, u *models.User)
}

func memoryStores(t *testing.T) realStores {
	users := modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	return realStores{
		users:  users,
		tokens: modelstest.NewTokens(nil),
		create: func(t *testing.T, username, password string, active bool) *models.User {
			u := models.NewUser(username)
			u.IsActive = active
			if err := u.SetPasswordWith(users.Hashers(), password); err != nil {
				t.Fatal(err)
			}
			if err := users.Create(context.Background(), u); err != nil {
				t.Fatal(err)
			}
			return u
		},
		delete: func(t *testing.T, u *models.User) { users.Delete(context.Background(), u.ID) },
	}
}

func sqliteStores(t *testing.T) realStores {
	ctx := context.Background()
	db, err := dburl.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite3"))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	users, err := models.NewUserStore(db, models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return realStores{
		users:  users,
		tokens: models.NewTokenStore(db, users),
		create: func(t *testing.T, username, password string, active bool) *models.User {
			u := models.NewUser(username)
			u.IsActive = active
			if err := u.SetPasswordWith(users.Hashers(), password); err != nil {
				t.Fatal(err)
			}
			if err := users.Create(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u
		},
		delete: func(t *testing.T, u *models.User) {
			if _, err := users.Delete(ctx, users.UserID(u)); err != nil {
				t.Fatal(err)
			}
		},
	}
}

func TestRealStores(t *testing.T) {
	for name, mk := range map[string]func(*testing.T) realStores{"memory": memoryStores, "sqlite": sqliteStores} {
		t.Run(name, func(t *testing.T) {
			st := mk(t)
			st.create(t, "alice", "alice-password-1", true)
			st.create(t, "bob", "bob-password-1", false)
			carol := st.create(t, "carol", "carol-password-1", true)
			m, err := tokens.NewManager(context.Background(), tokens.Settings{
				SigningKey: testKey, RotateRefreshTokens: true, BlacklistAfterRotation: true,
				CheckRevokeToken: true, UpdateLastLogin: true,
			}, tokens.Options{Store: st.tokens, Logger: quietLogger()})
			if err != nil {
				t.Fatal(err)
			}
			env := &serializers.Env{Tokens: m, Users: st.users, Logger: quietLogger()}
			gin.SetMode(gin.TestMode)
			e := gin.New()
			views.Register(e.Group("/api/token"), views.Routes(env, views.RouteOptions{})...)
			h := &harness{env: env, engine: e}

			pair := decode(t, h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`), 200)
			u, err := st.users.GetByID(context.Background(), "1")
			if err != nil || u.(*models.User).LastLogin == nil {
				t.Errorf("last_login not set: %v %v", u, err)
			}
			rotated := decode(t, h.postJSON("/api/token/refresh/", field("refresh", pair["refresh"])), 200)
			if rotated["refresh"] == "" || rotated["refresh"] == pair["refresh"] {
				t.Fatalf("not rotated: %v", rotated)
			}
			expect(t, h.postJSON("/api/token/refresh/", field("refresh", pair["refresh"])), 401, black)
			expect(t, h.postJSON("/api/token/verify/", field("token", pair["refresh"])), 400, `{"non_field_errors":["Token is blacklisted"]}`)
			expect(t, h.postJSON("/api/token/verify/", field("token", rotated["refresh"])), 200, `{}`)
			expect(t, h.postJSON("/api/token/blacklist/", field("refresh", rotated["refresh"])), 200, `{}`)
			expect(t, h.postJSON("/api/token/blacklist/", field("refresh", rotated["refresh"])), 401, black)
			expect(t, h.postJSON(obtain, `{"username":"bob","password":"bob-password-1"}`), 401, noAcct)
			expect(t, h.postJSON(obtain, `{"username":"nobody","password":"x"}`), 401, noAcct)
			expect(t, h.postJSON(obtain, `{"username":"alice","password":"x"}`), 401, noAcct)

			cp := decode(t, h.postJSON(obtain, `{"username":"carol","password":"carol-password-1"}`), 200)
			st.delete(t, carol)
			expect(t, h.postJSON("/api/token/refresh/", field("refresh", cp["refresh"])), 401, noAcctT)

			sliding := decode(t, h.postJSON("/api/token/sliding/", `{"username":"alice","password":"alice-password-1"}`), 200)
			decode(t, h.postJSON("/api/token/sliding/refresh/", field("token", sliding["token"])), 200)

			// D9 on the real store: one winner among 100.
			fresh := decode(t, h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`), 200)["refresh"]
			var wg sync.WaitGroup
			var mu sync.Mutex
			counts := map[int]int{}
			start := make(chan struct{})
			for range 100 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					w := h.postJSON("/api/token/refresh/", field("refresh", fresh))
					mu.Lock()
					counts[w.Code]++
					mu.Unlock()
				}()
			}
			close(start)
			wg.Wait()
			if counts[200] != 1 || counts[401] != 99 || len(counts) != 2 {
				t.Errorf("concurrent refresh: %v", counts)
			}
		})
	}
}

func decode(t *testing.T, w interface {
	Result() *http.Response
}, status int) map[string]string {
	t.Helper()
	r := w.Result()
	defer r.Body.Close()
	var m map[string]string
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || r.StatusCode != status {
		t.Fatalf("got %d (%v), want %d", r.StatusCode, err, status)
	}
	return m
}

func expect(t *testing.T, w interface {
	Result() *http.Response
}, status int, body string) {
	t.Helper()
	r := w.Result()
	defer r.Body.Close()
	var b [4096]byte
	n, _ := r.Body.Read(b[:])
	if r.StatusCode != status || string(b[:n]) != body {
		t.Errorf("got %d %s, want %d %s", r.StatusCode, b[:n], status, body)
	}
	if status != 200 {
		assertNoLeak(t, string(b[:n]))
	}
}

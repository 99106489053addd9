package ginjwt_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// dbDialects are the databases the DB-backed tests run on: a SQLite file always, PostgreSQL
// and MySQL/MariaDB when their DSN variables are set (see freshDB).
var dbDialects = []string{"sqlite", "postgres", "mysql"}

// newTestClock is an injected Settings.Now that a test moves by hand. It starts at the current
// second: the GORM stores stamp blacklisted_at with the real clock.
func newTestClock() *modelstest.Clock {
	return modelstest.NewClock(time.Now().UTC().Truncate(time.Second))
}

// dbService is an instance with the user alice (password alicePassword), the clock injected,
// and a router serving the token routes under /api/token/ and GET /api/me/ behind Auth and
// IsAuthenticated. Its stores are the GORM ones on a fresh database of one dialect, or, for the
// dialect "memory", modelstest.Users and modelstest.Tokens (db is then nil).
type dbService struct {
	db     *gorm.DB
	j      *ginjwt.JWT
	clock  *modelstest.Clock
	router *gin.Engine
	// handler, when set, serves call and sessionService.call instead of router (an OpenAPI
	// checker around it).
	handler http.Handler
}

// serve is router, or handler when set.
func (svc *dbService) serve(w http.ResponseWriter, r *http.Request) {
	if svc.handler != nil {
		svc.handler.ServeHTTP(w, r)
		return
	}
	svc.router.ServeHTTP(w, r)
}

const alicePassword = "alice-password-1"

// serviceOptions change a dbService before its instance is built.
type serviceOptions struct {
	// hashers are PASSWORD_HASHERS; nil means PBKDF2-SHA256 at 1,000 iterations.
	hashers *hashers.List
	// aliceHash is alice's stored hash; "" means alicePassword hashed by hashers.
	aliceHash string
	// settings changes the settings (after the clock, the key and the user model are set).
	settings func(*ginjwt.Settings)
}

func newDBService(t *testing.T, dialect string, mutate func(*ginjwt.Settings)) *dbService {
	t.Helper()
	return newServiceWith(t, dialect, serviceOptions{settings: mutate})
}

func newServiceWith(t *testing.T, dialect string, o serviceOptions) *dbService {
	t.Helper()
	ctx := context.Background()
	if o.hashers == nil {
		o.hashers = hashers.New(hashers.PBKDF2SHA256(1000))
	}
	alice := models.NewUser("alice")
	alice.Password = o.aliceHash
	if alice.Password == "" {
		_ = alice.SetPasswordWith(o.hashers, alicePassword)
	}
	svc := &dbService{clock: newTestClock()}
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.User = models.UserStoreOptions{Hashers: o.hashers}
	s.Now = svc.clock.Now
	if dialect == "memory" {
		users := modelstest.NewUsers(modelstest.UsersOptions{Hashers: o.hashers})
		if err := users.Create(ctx, alice); err != nil {
			t.Fatal(err)
		}
		s.UserStore, s.TokenStore = users, modelstest.NewTokens(svc.clock.Now)
	} else {
		svc.db = freshDB(t, dialect)
		users, err := models.NewUserStore(svc.db, s.User)
		if err != nil {
			t.Fatal(err)
		}
		if err := users.Create(ctx, alice); err != nil {
			t.Fatal(err)
		}
	}
	if o.settings != nil {
		o.settings(&s)
	}
	var err error
	if svc.j, err = ginjwt.New(svc.db, s); err != nil {
		t.Fatal(err)
	}
	svc.router = gin.New()
	svc.router.Use(svc.j.Auth())
	svc.j.RegisterRoutes(svc.router.Group("/api/token"))
	svc.router.GET("/api/me/", svc.j.IsAuthenticated(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return svc
}

// postRecorded sends a JSON body and returns the whole response.
func (svc *dbService) postRecorded(path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	svc.router.ServeHTTP(w, req)
	return w
}

// post sends a JSON body and returns the status, the body and, for a JSON object of strings,
// its fields.
func (svc *dbService) post(path, body string) (int, string, map[string]string) {
	w := svc.postRecorded(path, body)
	var fields map[string]string
	_ = json.Unmarshal(w.Body.Bytes(), &fields)
	return w.Code, w.Body.String(), fields
}

// login obtains a pair for alice, failing the test unless it is a 200.
func (svc *dbService) login(t *testing.T) map[string]string {
	t.Helper()
	code, body, pair := svc.post("/api/token/", `{"username":"alice","password":"`+alicePassword+`"}`)
	if code != http.StatusOK || pair["refresh"] == "" {
		t.Fatalf("login: %d %s", code, body)
	}
	return pair
}

// refresh posts a refresh token to /api/token/refresh/.
func (svc *dbService) refresh(token string) (int, string, map[string]string) {
	return svc.post("/api/token/refresh/", `{"refresh":"`+token+`"}`)
}

// me calls GET /api/me/ with the access token and returns the status.
func (svc *dbService) me(access string) (int, string) {
	req := httptest.NewRequest(http.MethodGet, "/api/me/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	w := httptest.NewRecorder()
	svc.router.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

// count returns the number of rows in table.
func (svc *dbService) count(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := svc.db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// quietLogger discards what the instance logs (the causes of the 503s a test provokes).
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

const blacklistedBody = `{"detail":"Token is blacklisted","code":"token_not_valid"}`

package ginjwt_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/views"
)

// loginUsers is the shared in-memory store (newUsers: alice, id 1, and the inactive bob, id 2)
// where both log in with the password "secret" without running a hasher. It counts
// Authenticate calls, so that tests can see that a throttled login never reaches the user
// store; FailWith makes its logins fail as its lookups do.
type loginUsers struct {
	*modelstest.Users
	authenticated atomic.Int64
}

func newLoginUsers() *loginUsers { return &loginUsers{Users: newUsers()} }

func (f *loginUsers) Authenticate(ctx context.Context, username, password string) (models.AuthUser, error) {
	f.authenticated.Add(1)
	id, ok := map[string]string{"alice": "1", "bob": "2"}[username]
	if !ok {
		return nil, models.ErrUserNotFound
	}
	u, err := f.GetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if password != "secret" {
		return nil, models.ErrInvalidCredentials
	}
	return u, nil
}

// opsJWT is an instance on loginUsers and a memory token store.
func opsJWT(t testing.TB, users *loginUsers, mutate func(*ginjwt.Settings)) *ginjwt.JWT {
	t.Helper()
	return newJWT(t, users, func(s *ginjwt.Settings) {
		s.TokenStore, s.NoTokenBlacklist = modelstest.NewTokens(nil), false
		if mutate != nil {
			mutate(s)
		}
	})
}

// opsEngine mounts the token routes under /api/token and /me behind Auth, as the README.
func opsEngine(j *ginjwt.JWT) *gin.Engine {
	r := gin.New()
	r.Use(j.Auth())
	j.RegisterRoutes(r.Group("/api/token"), views.AllEndpoints()...)
	r.GET("/me", j.IsAuthenticated(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return r
}

// postFrom sends a JSON body from remote (RemoteAddr; "203.0.113.7:4711" when empty) with extra
// headers as "Name: value".
func postFrom(h http.Handler, path, body, remote string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = remote
	if remote == "" {
		req.RemoteAddr = "203.0.113.7:4711"
	}
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ": ")
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// logBuffer collects slog output; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func tokenAccess() tokens.Class { return tokens.AccessToken }

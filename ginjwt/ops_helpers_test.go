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
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// loginUsers is fakeUsers that can log in: alice (id 1, password "secret") and the inactive
// bob (id 2, password "secret"). It counts Authenticate calls, so that tests can see that a
// throttled login never reaches the user store.
type loginUsers struct {
	*fakeUsers
	authenticated atomic.Int64
}

func newLoginUsers() *loginUsers { return &loginUsers{fakeUsers: newUsers()} }

func (f *loginUsers) Authenticate(_ context.Context, username, password string) (models.AuthUser, error) {
	f.authenticated.Add(1)
	id, ok := map[string]string{"alice": "1", "bob": "2"}[username]
	if !ok {
		return nil, models.ErrUserNotFound
	}
	if f.down {
		return nil, models.ErrUnavailable
	}
	if password != "secret" {
		return nil, models.ErrInvalidCredentials
	}
	return f.byID[id], nil
}

// opsJWT is an instance on loginUsers and a memory token store.
func opsJWT(t testing.TB, users *loginUsers, mutate func(*ginjwt.Settings)) *ginjwt.JWT {
	t.Helper()
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.UserStore, s.TokenStore = users, models.NewMemoryTokenStore()
	s.Now = func() time.Time { return now }
	if mutate != nil {
		mutate(&s)
	}
	j, err := ginjwt.New(nil, s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return j
}

// opsEngine mounts the token routes under /api/token and /me behind Auth, as the README.
func opsEngine(j *ginjwt.JWT) *gin.Engine {
	r := gin.New()
	r.Use(j.Auth())
	j.RegisterRoutes(r.Group("/api/token"))
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

// advance moves c by d.
func (c *testClock) advance(d time.Duration) { c.Set(c.Now().Add(d)) }

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

func tokenAccess() *tokens.Class { return tokens.AccessToken }

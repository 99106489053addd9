package throttle

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func init() { gin.SetMode(gin.TestMode) }

// clock is an injected clock that tests move by hand; safe for concurrent use.
type clock struct{ ns atomic.Int64 }

// newClock starts at the real time, so that Redis keys written by a test expire as usual.
func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Now().Truncate(time.Second).UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }
func (c *clock) Set(t time.Time)         { c.ns.Store(t.UnixNano()) }

// logBuffer collects slog output for assertions.
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

func (b *logBuffer) Logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// mustNew builds a limiter or fails the test.
func mustNew(t testing.TB, cfg Config) *Limiter {
	t.Helper()
	l, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return l
}

// req is one request sent through an engine.
type req struct {
	remote  string            // RemoteAddr; "203.0.113.7:4711" when empty
	headers map[string]string // request headers
	user    string            // authenticated user id, "" for anonymous
}

// userHeader carries the test's "authenticated" user id to Config.UserID.
const userHeader = "X-Test-User"

func testUserID(c *gin.Context) (string, bool) {
	id := c.GetHeader(userHeader)
	return id, id != ""
}

// engine returns a router with mw on GET /x answering 200 "ok".
func engine(mw ...gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	r.GET("/x", append(mw, func(c *gin.Context) { c.String(http.StatusOK, "ok") })...)
	return r
}

func (q req) send(h http.Handler) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.RemoteAddr = q.remote
	if r.RemoteAddr == "" {
		r.RemoteAddr = "203.0.113.7:4711"
	}
	for k, v := range q.headers {
		r.Header.Set(k, v)
	}
	if q.user != "" {
		r.Header.Set(userHeader, q.user)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// loginRequest is a request from remote for BeginLogin.
func loginRequest(remote string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/token/", nil)
	r.RemoteAddr = remote
	return r
}

// failingStore fails every call with err.
type failingStore struct{ err error }

func (s failingStore) Take(context.Context, string, Rate, time.Time) (Usage, error) {
	return Usage{}, s.err
}
func (s failingStore) Release(context.Context, string, uint64) error { return s.err }
func (s failingStore) Reset(context.Context, string) error           { return s.err }

var errBroken = errors.New("store broken")

var testSecret = []byte("0123456789abcdef0123456789abcdef")

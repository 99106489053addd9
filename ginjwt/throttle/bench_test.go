package throttle

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// The allow path: a request counted and let through. The clock moves 10 µs per request
// against "1000000/s", so the window stays at 100,000 requests and never refuses.

// benchCheck measures what the middleware does for each request (Limiter.check: the client
// address, the key's hash, the store's Take), without gin's routing.
func benchCheck(b *testing.B, store Store) {
	clk := newClock()
	l := mustNew(b, Config{Rates: map[string]string{ScopeAnon: "1000000/s"}, Store: store, Secret: testSecret, Now: clk.Now})
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.RemoteAddr = "203.0.113.7:4711"
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = r
	throttles := []boundThrottle{{Throttle: Anon(), rate: Rate{1_000_000, time.Second}}}
	b.ReportAllocs()
	for b.Loop() {
		clk.Advance(10 * time.Microsecond)
		if err := l.check(c, throttles); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMiddlewareMemory: the middleware's check on the memory store.
func BenchmarkMiddlewareMemory(b *testing.B) { benchCheck(b, NewMemoryStore(MemoryOptions{})) }

// BenchmarkMiddlewareRedis: the same on Redis (one round trip running the Lua script).
func BenchmarkMiddlewareRedis(b *testing.B) {
	client, prefix := redisTestClient(b)
	benchCheck(b, newRedisTestStore(b, client, prefix))
}

// BenchmarkMiddlewareHTTP: a whole gin request through the middleware on the memory store.
func BenchmarkMiddlewareHTTP(b *testing.B) {
	clk := newClock()
	l := mustNew(b, Config{Rates: map[string]string{ScopeAnon: "1000000/s"}, Now: clk.Now})
	h := engine(l.Middleware(Anon()))
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.RemoteAddr = "203.0.113.7:4711"
	b.ReportAllocs()
	for b.Loop() {
		clk.Advance(10 * time.Microsecond)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkBeginLoginMemory: the login guard's allow path (two windows) and a failure.
func BenchmarkBeginLoginMemory(b *testing.B) {
	clk := newClock()
	l := mustNew(b, Config{Rates: map[string]string{ScopeLoginUsername: "1000000/s", ScopeLoginIP: "1000000/s"}, Now: clk.Now})
	r := loginRequest("203.0.113.7:4711")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		clk.Advance(10 * time.Microsecond)
		a, err := l.BeginLogin(r, "alice")
		if err != nil {
			b.Fatal(err)
		}
		a.Finish(ctx, LoginFailed)
	}
}

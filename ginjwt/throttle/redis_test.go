package throttle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisTestClient connects to REDIS_URL (skipping when it is unset) and returns the client
// and a random key prefix whose keys are deleted when the test ends.
func redisTestClient(t testing.TB) (*redis.Client, string) {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: the Redis store tests need a Redis server " +
			"(REDIS_URL=redis://127.0.0.1:6379/0; .ci/run starts Debian's redis-server and sets it)")
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	opts.ContextTimeoutEnabled = true
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("REDIS_URL is set but Redis does not answer: %v", err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "simplejwt-test:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		keys, _ := client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
		client.Close()
	})
	return client, prefix
}

func newRedisTestStore(t testing.TB, client redis.UniversalClient, prefix string) *RedisStore {
	t.Helper()
	s, err := NewRedisStore(client, RedisOptions{Prefix: prefix, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRedisStoreContract(t *testing.T) {
	client, prefix := redisTestClient(t)
	n := 0
	storeContract(t, func(t *testing.T) Store {
		n++
		return newRedisTestStore(t, client, fmt.Sprint(prefix, n, ":"))
	})
}

// TestTwoInstancesShareRedis: two limiters (two clients, one Redis, one secret) with
// "5/min" on the token obtain scope let exactly 5 requests through in total per window,
// under concurrency and over a simulated two minutes of steady traffic.
func TestTwoInstancesShareRedis(t *testing.T) {
	clientA, prefix := redisTestClient(t)
	clientB, _ := redisTestClient(t)
	clk := newClock()
	start := clk.Now()
	var handlers [2]http.Handler
	for i, c := range []*redis.Client{clientA, clientB} {
		l := mustNew(t, Config{Rates: map[string]string{ScopeTokenObtain: "5/min"},
			Store: newRedisTestStore(t, c, prefix), Secret: testSecret, Now: clk.Now})
		handlers[i] = engine(l.Middleware(Scoped(ScopeTokenObtain)))
	}

	// 40 requests at once, half on each instance, all at one instant.
	var ok, throttled atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			switch rec := (req{}).send(handlers[i%2]); rec.Code {
			case 200:
				ok.Add(1)
			case 429:
				throttled.Add(1)
				if rec.Body.String() != `{"detail":"Request was throttled. Expected available in 60 seconds."}` {
					t.Errorf("429 body %s", rec.Body)
				}
			default:
				t.Errorf("status %d", rec.Code)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 5 || throttled.Load() != 35 {
		t.Fatalf("burst: %d allowed, %d throttled; want 5 and 35", ok.Load(), throttled.Load())
	}
	clk.Advance(30 * time.Second)
	if rec := (req{}).send(handlers[1]); rec.Code != 429 || rec.Header().Get("Retry-After") != "30" {
		t.Fatalf("30 s later: %d Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}

	// Then one request every second for two minutes, alternating instances.
	clk.Set(start.Add(time.Minute))
	var allowedAt []time.Duration
	for s := range 120 {
		if (req{}).send(handlers[s%2]).Code == 200 {
			allowedAt = append(allowedAt, time.Duration(s)*time.Second)
		}
		clk.Advance(time.Second)
	}
	// Every 60-second window holds at most 5 allowed requests, and each minute gets 5.
	for i := range allowedAt {
		n := 0
		for _, at := range allowedAt[i:] {
			if at-allowedAt[i] < time.Minute {
				n++
			}
		}
		if n > 5 {
			t.Fatalf("%d requests allowed within 60 s from %v: %v", n, allowedAt[i], allowedAt)
		}
	}
	if len(allowedAt) != 10 {
		t.Fatalf("%d allowed over 120 s at one request a second; want 10: %v", len(allowedAt), allowedAt)
	}
	t.Logf("two instances, 5/min: burst of 40 → %d allowed; 120 requests over 120 s → %d allowed at %v",
		ok.Load(), len(allowedAt), allowedAt)
}

// TestRedisKeysOpaque: no username or address reaches Redis, in keys or members.
func TestRedisKeysOpaque(t *testing.T) {
	client, prefix := redisTestClient(t)
	l := mustNew(t, Config{Store: newRedisTestStore(t, client, prefix), Secret: testSecret})
	a, err := l.BeginLogin(loginRequest("203.0.113.77:1"), "alice.secret@example.com")
	if err != nil {
		t.Fatal(err)
	}
	a.Finish(context.Background(), LoginFailed)
	ctx := context.Background()
	keys, err := client.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) != 2 {
		t.Fatalf("keys %v, %v; want 2", keys, err)
	}
	for _, k := range keys {
		members, _ := client.ZRange(ctx, k, 0, -1).Result()
		all := k + " " + strings.Join(members, " ")
		for _, secret := range []string{"alice", "example", "203.0.113.77", "203-0"} {
			if strings.Contains(all, secret) {
				t.Errorf("%q found in Redis: %s", secret, all)
			}
		}
	}
}

// TestRedisDown: Redis refusing connections, or accepting them and never answering, gives
// an answer within the store's timeout (plus a generous margin), 429 when failing closed,
// 200 when failing open, and a log line; never a 500.
func TestRedisDown(t *testing.T) {
	refused := closedPort(t)
	stalled := stallingServer(t)
	for _, tc := range []struct {
		name, addr string
	}{{"refused", refused}, {"stalled", stalled}} {
		for _, open := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/FailOpen=%v", tc.name, open), func(t *testing.T) {
				client := redis.NewClient(&redis.Options{Addr: tc.addr, ContextTimeoutEnabled: true, MaxRetries: -1})
				defer client.Close()
				s, err := NewRedisStore(client, RedisOptions{Timeout: 100 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				var logs logBuffer
				l := mustNew(t, Config{Rates: map[string]string{ScopeTokenObtain: "5/min"}, Store: s, Secret: testSecret,
					FailOpen: open, Logger: logs.Logger()})
				h := engine(l.Middleware(Scoped(ScopeTokenObtain)))
				began := time.Now()
				rec := req{}.send(h)
				took := time.Since(began)
				want := 429
				if open {
					want = 200
				}
				if rec.Code != want {
					t.Errorf("%d %s; want %d", rec.Code, rec.Body, want)
				}
				if !open && rec.Body.String() != `{"detail":"Request was throttled."}` {
					t.Errorf("body %s", rec.Body)
				}
				if took > 5*time.Second {
					t.Errorf("answered after %v; the store's timeout is 100ms", took)
				}
				if !strings.Contains(logs.String(), "throttle store failed") {
					t.Errorf("log %q", logs.String())
				}
				// The login guard too.
				_, err = l.BeginLogin(loginRequest("203.0.113.7:1"), "alice")
				if open != (err == nil) || (!open && !errors.Is(err, ErrUnavailable)) {
					t.Errorf("BeginLogin: %v", err)
				}
			})
		}
	}
}

// closedPort returns an address where nothing listens.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// stallingServer accepts connections and never answers, as a Redis stuck on a fork or a
// full disk does.
func stallingServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestNewRedisStoreChecks(t *testing.T) {
	if _, err := NewRedisStore(nil, RedisOptions{}); err == nil {
		t.Error("nil client accepted")
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	if _, err := NewRedisStore(c, RedisOptions{}); err == nil || !strings.Contains(err.Error(), "ContextTimeoutEnabled") {
		t.Errorf("client without ContextTimeoutEnabled: %v", err)
	}
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})
	defer cc.Close()
	if _, err := NewRedisStore(cc, RedisOptions{}); err == nil {
		t.Error("cluster client without ContextTimeoutEnabled accepted")
	}
	for _, bad := range []string{"http://:s3cret@localhost:6379/0", "redis://:s3cret@localhost:6379/notadb"} {
		if _, err := NewRedisStoreFromURL(bad, RedisOptions{}); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("NewRedisStoreFromURL(%q): %v", bad, err)
		}
	}
	s, err := NewRedisStoreFromURL("redis://:s3cret@127.0.0.1:1/0", RedisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

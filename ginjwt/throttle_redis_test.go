package ginjwt_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// sharedSecret is the Config.Secret of instances that share a store.
var sharedSecret = []byte("shared-throttle-secret-0123456789")

// redisInstances returns n instances, each with its own client of REDIS_URL, sharing a fresh
// key prefix and clock: n servers behind one load balancer. Skips without REDIS_URL.
func redisInstances(t *testing.T, n int, clock *modelstest.Clock, rates map[string]string) []http.Handler {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: skipping the Redis-shared throttle tests (e.g. REDIS_URL=redis://127.0.0.1:6379/0)")
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	prefix := "simplejwt:test:" + hex.EncodeToString(id[:]) + ":"
	var hs []http.Handler
	for range n {
		store, err := throttle.NewRedisStoreFromURL(url, throttle.RedisOptions{Prefix: prefix, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
		j := throttledJWT(t, newLoginUsers(), clock, rates, func(c *throttle.Config) { c.Store, c.Secret = store, sharedSecret })
		hs = append(hs, opsEngine(j))
	}
	return hs
}

// TestThrottleSharedRedis: two instances sharing Redis allow token_obtain=5/min in total, not
// per instance: 30 logins from one client over 60 s (one every 2 s, alternating instances) get
// exactly 5 answers 200; the 31st, at 60 s, finds the first one out of the window.
func TestThrottleSharedRedis(t *testing.T) {
	rates := map[string]string{"token_obtain": "5/min", "login_username": "None", "login_ip": "None"}
	clock := newTestClock()
	hs := redisInstances(t, 2, clock, rates)
	allowed := [2]int{}
	for i := range 30 {
		w := postFrom(hs[i%2], "/api/token/", good, "")
		switch w.Code {
		case http.StatusOK:
			allowed[i%2]++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("request %d: %d %s", i, w.Code, w.Body)
		}
		clock.Advance(2 * time.Second)
	}
	t.Logf("token_obtain=5/min, 30 requests over 60 s on 2 instances sharing Redis: allowed %d + %d = %d", allowed[0], allowed[1], allowed[0]+allowed[1])
	if total := allowed[0] + allowed[1]; total != 5 || allowed[0] == 0 || allowed[1] == 0 {
		t.Errorf("allowed %v; want 5 in total, from both instances", allowed)
	}
	if w := postFrom(hs[0], "/api/token/", good, ""); w.Code != http.StatusOK {
		t.Errorf("at 60 s: %d %s; want 200 (the first request left the window)", w.Code, w.Body)
	}

	// The control: the same traffic on two instances with their own memory stores is allowed
	// twice the rate, which is what sharing Redis prevents.
	clock = newTestClock()
	var mem [2]http.Handler
	for i := range mem {
		mem[i] = opsEngine(throttledJWT(t, newLoginUsers(), clock, rates, nil))
	}
	total := 0
	for i := range 30 {
		if postFrom(mem[i%2], "/api/token/", good, "").Code == http.StatusOK {
			total++
		}
		clock.Advance(2 * time.Second)
	}
	if total != 10 {
		t.Errorf("memory stores: allowed %d; want 10 (5 per instance)", total)
	}
}

// TestThrottleSharedRedisFailedLogins: failed logins for one account are counted across
// instances, and the 429 is the same on each.
func TestThrottleSharedRedisFailedLogins(t *testing.T) {
	clock := newTestClock()
	hs := redisInstances(t, 2, clock, map[string]string{"login_username": "3/hour", "login_ip": "None"})
	for i := range 3 {
		if w := postFrom(hs[i%2], "/api/token/", wrong, ""); w.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i, w.Code, w.Body)
		}
	}
	for i, h := range hs {
		w := postFrom(h, "/api/token/", good, "198.51.100.9:5000")
		if w.Code != http.StatusTooManyRequests || w.Body.String() != body("3600") || w.Header().Get("Retry-After") != "3600" {
			t.Errorf("instance %d: %d %s %q; want the 429 of the account", i, w.Code, w.Body, w.Header().Get("Retry-After"))
		}
	}
}

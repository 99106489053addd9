package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var updateMetricsGolden = flag.Bool("update-metrics-golden", false, "rewrite testdata/metrics.golden from the scrape")

// opsClock is the throttles' injected clock. It starts at the current second, so that the
// Redis keys a test writes expire as usual, and moves only by hand.
type opsClock struct{ ns atomic.Int64 }

func newOpsClock() *opsClock {
	c := &opsClock{}
	c.ns.Store(time.Now().Truncate(time.Second).UnixNano())
	return c
}
func (c *opsClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *opsClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// newOpsService is newServiceEnv with the throttles on clock.
func newOpsService(t *testing.T, env lookupFunc, clock *opsClock) *service {
	t.Helper()
	if code, out, errOut := runCmd(t, env, "createuser", "--username", "alice", "--password", "alice-password-1"); code != 0 || out != "1\n" {
		t.Fatalf("createuser alice: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	logs := &syncBuffer{}
	a := testApp(env, io.Discard, io.Discard, logs)
	a.now = clock.Now
	j, closeDB, err := a.newJWT(t.Context())
	if err != nil {
		t.Fatalf("newJWT: %v", err)
	}
	t.Cleanup(closeDB)
	return &service{t: t, router: newRouter(j, a.logger, true), logs: logs}
}

// from sends a request from remote (RemoteAddr) with headers "Name: value".
func (s *service) from(remote, method, path, body string, headers ...string) response {
	s.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(s.t.Context(), method, path, r)
	req.RemoteAddr = remote
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ": ")
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.String()}
}

const (
	aliceLogin = `{"username": "alice", "password": "alice-password-1"}`
	badLogin   = `{"username": "alice", "password": "wrong"}`
)

var (
	// bucketLine is a finite bucket of the duration histogram: its count depends on the
	// machine's speed.
	bucketLine = regexp.MustCompile(`^(simplejwt_token_request_duration_seconds_bucket\{.*le="[0-9.e+-]+"\}) \d+$`)
	sumLine    = regexp.MustCompile(`^(simplejwt_token_request_duration_seconds_sum\{.*\}) \S+$`)
)

// scrape returns the simplejwt_ lines of GET /metrics, with the timing-dependent values (the
// duration histogram's finite buckets and sums) replaced by placeholders.
func (s *service) scrape() string {
	s.t.Helper()
	res := s.do("GET", "/metrics", "", "")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
		s.t.Fatalf("GET /metrics: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var out strings.Builder
	for line := range strings.SplitSeq(res.body, "\n") {
		if !strings.HasPrefix(line, "simplejwt_") && !strings.HasPrefix(line, "# HELP simplejwt_") && !strings.HasPrefix(line, "# TYPE simplejwt_") {
			continue
		}
		line = bucketLine.ReplaceAllString(line, "$1 <count>")
		line = sumLine.ReplaceAllString(line, "$1 <seconds>")
		out.WriteString(line + "\n")
	}
	return out.String()
}

// TestMetricsScrapeGolden: a scripted sequence of requests, then the scrape, compared with
// testdata/metrics.golden (go test ./example -run TestMetricsScrapeGolden -update-metrics-golden
// rewrites it). Only the duration histogram's finite buckets and sums are normalised.
func TestMetricsScrapeGolden(t *testing.T) {
	clock := newOpsClock()
	env, _ := testEnv(t, "THROTTLE_RATES", "token_obtain=3/min,login_username=None,login_ip=None")
	s := newOpsService(t, env, clock)
	steps := []struct {
		method, path, authz, body string
		status                    int
	}{
		{"POST", "/api/token/", "", aliceLogin, 200},
		{"POST", "/api/token/", "", badLogin, 401},
		{"POST", "/api/token/", "", `{"username": "alice"}`, 400},
		{"POST", "/api/token/", "", aliceLogin, 429},
		{"POST", "/api/token/refresh/", "", `{"refresh": "x.y.z"}`, 401},
		{"POST", "/api/token/verify/", "", `{"token": "x.y.z"}`, 401},
		{"POST", "/api/token/blacklist/", "", `{}`, 400},
		{"GET", "/api/me/", "", "", 401},
		{"GET", "/api/me/", "Bearer x.y.z", "", 401},
		{"GET", "/api/me/", "Bearer", "", 401},
		{"GET", "/api/me/stateless/", "Bearer a b", "", 401},
	}
	var refresh, access string
	for i, st := range steps {
		res := s.do(st.method, st.path, st.authz, st.body)
		if res.status != st.status {
			t.Fatalf("step %d %s %s: %d %s; want %d", i, st.method, st.path, res.status, res.body, st.status)
		}
		if i == 0 {
			refresh, access = jsonField(t, res.body, "refresh"), jsonField(t, res.body, "access")
		}
	}
	for _, st := range []struct{ method, path, authz, body string }{
		{"POST", "/api/token/refresh/", "", `{"refresh": "` + refresh + `"}`},
		{"POST", "/api/token/verify/", "", `{"token": "` + access + `"}`},
		{"GET", "/api/me/", "Bearer " + access, ""},
		{"GET", "/api/me/stateless/", "Bearer " + access, ""},
		{"POST", "/api/token/blacklist/", "", `{"refresh": "` + refresh + `"}`},
		{"POST", "/api/token/refresh/", "", `{"refresh": "` + refresh + `"}`},
	} {
		s.do(st.method, st.path, st.authz, st.body)
	}
	got := s.scrape()
	for _, never := range []string{"alice", refresh, access, "192.0.2.1"} {
		if strings.Contains(got, never) {
			t.Errorf("the scrape carries %q", never)
		}
	}
	path := filepath.Join("testdata", "metrics.golden")
	if *updateMetricsGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-metrics-golden to create it)", err)
	}
	if got != string(want) {
		t.Errorf("scrape differs from %s (rerun with -update-metrics-golden after checking):\n%s", path, diffLines(string(want), got))
	}
}

func jsonField(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`"` + name + `": ?"([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %q in %s", name, body)
	}
	return m[1]
}

// diffLines lists the lines only in want (-) or only in got (+).
func diffLines(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for l := range strings.SplitSeq(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for l := range strings.SplitSeq(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for l := range strings.SplitSeq(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

func TestMetricsRouteMethods(t *testing.T) {
	s := newService(t)
	if res := s.do("HEAD", "/metrics", "", ""); res.status != 200 {
		t.Errorf("HEAD /metrics: %d", res.status)
	}
	res := s.do("POST", "/metrics", "", "")
	if res.status != 405 || res.header.Get("Allow") != allowMetrics || res.body != `{"detail":"Method \"POST\" not allowed."}` {
		t.Errorf("POST /metrics: %d %q %s", res.status, res.header.Get("Allow"), res.body)
	}
	// Go's and the process's collectors are there too.
	if body := s.do("GET", "/metrics", "", "").body; !strings.Contains(body, "go_goroutines") {
		t.Error("no go_goroutines in the scrape")
	}
}

const throttledBody = `{"detail":"Request was throttled. Expected available in 60 seconds."}`

// TestThrottleEnv: THROTTLE_RATES and TRUSTED_PROXIES through the example's router: the 429
// and its body, the client of a trusted proxy, a spoofed X-Forwarded-For.
func TestThrottleEnv(t *testing.T) {
	clock := newOpsClock()
	env, _ := testEnv(t, "THROTTLE_RATES", "token_obtain=2/min,anon=1000/day", "TRUSTED_PROXIES", "10.0.0.0/8")
	s := newOpsService(t, env, clock)
	const proxy, direct = "10.1.2.3:443", "203.0.113.5:5000"
	steps := []struct {
		remote string
		xff    string
		status int
	}{
		{proxy, "192.0.2.1", 200},
		{proxy, "192.0.2.1", 200},
		{proxy, "192.0.2.1", 429},
		{proxy, "192.0.2.2", 200}, // another client behind the proxy
		{direct, "", 200},
		{direct, "192.0.2.50", 200},
		{direct, "192.0.2.51", 429}, // a spoofed header from an untrusted peer is ignored
	}
	for i, st := range steps {
		var h []string
		if st.xff != "" {
			h = append(h, "X-Forwarded-For: "+st.xff)
		}
		res := s.from(st.remote, "POST", "/api/token/", aliceLogin, h...)
		if res.status != st.status {
			t.Fatalf("step %d: %d %s; want %d", i, res.status, res.body, st.status)
		}
		if st.status == 429 && (res.body != throttledBody || res.header.Get("Retry-After") != "60") {
			t.Errorf("step %d: %s Retry-After %q", i, res.body, res.header.Get("Retry-After"))
		}
	}
	if logs := s.logs.String(); !strings.Contains(logs, "remote=192.0.2.2") || strings.Contains(logs, "remote=192.0.2.51") {
		t.Errorf("request log: want the trusted proxy's client and never the spoofed one:\n%s", logs)
	}
	clock.advance(time.Minute)
	if res := s.from(proxy, "POST", "/api/token/", aliceLogin, "X-Forwarded-For: 192.0.2.1"); res.status != 200 {
		t.Errorf("a minute later: %d %s", res.status, res.body)
	}
}

// TestThrottleEnvFailedLogins: the default failed-login counts are on with THROTTLE_RATES.
func TestThrottleEnvFailedLogins(t *testing.T) {
	clock := newOpsClock()
	env, _ := testEnv(t, "THROTTLE_RATES", "login_username=2/hour")
	s := newOpsService(t, env, clock)
	for i, want := range []int{401, 401, 429} {
		if res := s.do("POST", "/api/token/", "", badLogin); res.status != want {
			t.Fatalf("attempt %d: %d %s; want %d", i, res.status, res.body, want)
		}
	}
	res := s.do("POST", "/api/token/", "", aliceLogin)
	if res.status != 429 || res.body != `{"detail":"Request was throttled. Expected available in 3600 seconds."}` {
		t.Errorf("the right password after 2 failures: %d %s", res.status, res.body)
	}
}

// TestThrottleEnvRedisDown: Redis unreachable is never a 500: 429 "Request was throttled." by
// default, the login goes through with THROTTLE_FAIL_OPEN=true; logged either way.
func TestThrottleEnvRedisDown(t *testing.T) {
	for _, c := range []struct {
		failOpen string
		status   int
		body     string
	}{
		{"", 429, `{"detail":"Request was throttled."}`},
		{"false", 429, `{"detail":"Request was throttled."}`},
		{"true", 200, ""},
	} {
		env, _ := testEnv(t, "THROTTLE_RATES", "token_obtain=5/min", "REDIS_URL", "redis://127.0.0.1:1/0", "THROTTLE_FAIL_OPEN", c.failOpen)
		s := newOpsService(t, env, newOpsClock())
		res := s.do("POST", "/api/token/", "", aliceLogin)
		if res.status != c.status || (c.body != "" && res.body != c.body) || res.header.Get("Retry-After") != "" {
			t.Errorf("THROTTLE_FAIL_OPEN=%q: %d %s; want %d %s", c.failOpen, res.status, res.body, c.status, c.body)
		}
		if !strings.Contains(s.logs.String(), "throttle store failed") {
			t.Errorf("THROTTLE_FAIL_OPEN=%q: not logged:\n%s", c.failOpen, s.logs.String())
		}
	}
}

func TestThrottleEnvInvalid(t *testing.T) {
	for _, c := range []struct{ name, value, want string }{
		{"THROTTLE_RATES", "token_obtain=5/fortnight", "THROTTLE_RATES"},
		{"THROTTLE_FAIL_OPEN", "maybe", "THROTTLE_FAIL_OPEN"},
		{"TRUSTED_PROXIES", "10.0.0.0/33", "trusted proxy"},
		{"REDIS_URL", "http://user:hunter2@redis/0", "REDIS_URL"},
	} {
		vars := []string{c.name, c.value}
		if c.name != "THROTTLE_RATES" {
			vars = append(vars, "THROTTLE_RATES", "token_obtain=5/min")
		}
		env, _ := testEnv(t, vars...)
		_, _, err := testApp(env, io.Discard, io.Discard, io.Discard).newJWT(t.Context())
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s=%s: %v; want an error naming %s (and no password)", c.name, c.value, err, c.want)
		}
	}
}

// TestThrottleTwoInstancesRedis: two example instances behind one load balancer, sharing
// REDIS_URL and the signing key, allow THROTTLE_RATES token_obtain=5/min in total: 30 logins
// from one client over 60 s (one every 2 s, alternating) get exactly 5 answers 200.
func TestThrottleTwoInstancesRedis(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set: skipping the two-instance Redis test (e.g. REDIS_URL=redis://127.0.0.1:6379/0)")
	}
	var key [32]byte
	_, _ = rand.Read(key[:]) // a fresh key: fresh buckets, whatever earlier runs left in Redis
	clock := newOpsClock()
	var instances [2]*service
	for i := range instances {
		env, _ := testEnv(t, "THROTTLE_RATES", "token_obtain=5/min,login_username=None,login_ip=None",
			"REDIS_URL", url, "SIMPLE_JWT_SIGNING_KEY", hex.EncodeToString(key[:]))
		instances[i] = newOpsService(t, env, clock)
	}
	var allowed [2]int
	for i := range 30 {
		res := instances[i%2].do("POST", "/api/token/", "", aliceLogin)
		switch res.status {
		case 200:
			allowed[i%2]++
		case 429:
		default:
			t.Fatalf("request %d: %d %s", i, res.status, res.body)
		}
		clock.advance(2 * time.Second)
	}
	t.Logf("THROTTLE_RATES=token_obtain=5/min, 2 instances on one Redis, 30 requests over 60 s: allowed %d + %d = %d", allowed[0], allowed[1], allowed[0]+allowed[1])
	if allowed[0]+allowed[1] != 5 || allowed[0] == 0 || allowed[1] == 0 {
		t.Errorf("allowed %v; want 5 in total, from both instances", allowed)
	}
}

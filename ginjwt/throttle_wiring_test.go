package ginjwt_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

const (
	good    = `{"username":"alice","password":"secret"}`
	wrong   = `{"username":"alice","password":"nope"}`
	unknown = `{"username":"mallory","password":"nope"}`
)

// throttledJWT is an instance whose obtain views are throttled with rates on clock.
func throttledJWT(t testing.TB, users *loginUsers, clock *modelstest.Clock, rates map[string]string, mutate func(*throttle.Config)) *ginjwt.JWT {
	t.Helper()
	cfg := throttle.Config{Rates: rates, Now: clock.Now, Logger: slog.New(slog.DiscardHandler)}
	if mutate != nil {
		mutate(&cfg)
	}
	return opsJWT(t, users, func(s *ginjwt.Settings) { s.Throttle = &cfg })
}

type step struct {
	path, body, remote string
	headers            []string
	advance            time.Duration // the clock moves first
	status             int
	detail             string // the 429's body, when status is 429
	retryAfter         string
}

func run(t *testing.T, h http.Handler, clock *modelstest.Clock, steps []step) {
	t.Helper()
	for i, s := range steps {
		clock.Advance(s.advance)
		path := s.path
		if path == "" {
			path = "/api/token/"
		}
		w := postFrom(h, path, s.body, s.remote, s.headers...)
		if w.Code != s.status {
			t.Fatalf("step %d (%s %s): status %d; want %d; body %s", i, path, s.body, w.Code, s.status, w.Body)
		}
		if s.status != http.StatusTooManyRequests {
			continue
		}
		if got := w.Body.String(); got != s.detail {
			t.Errorf("step %d: body %s; want %s", i, got, s.detail)
		}
		if got := w.Header().Get("Retry-After"); got != s.retryAfter {
			t.Errorf("step %d: Retry-After %q; want %q", i, got, s.retryAfter)
		}
		for k, want := range map[string]string{"Content-Type": "application/json", "Vary": "Accept", "Allow": "POST, OPTIONS"} {
			if got := w.Header().Get(k); got != want {
				t.Errorf("step %d: %s %q; want %q", i, k, got, want)
			}
		}
	}
}

func body(seconds string) string {
	if seconds == "1" {
		return `{"detail":"Request was throttled. Expected available in 1 second."}`
	}
	return `{"detail":"Request was throttled. Expected available in ` + seconds + ` seconds."}`
}

// TestThrottleObtain: the 429 cases of the obtain endpoints, through the real routes.
func TestThrottleObtain(t *testing.T) {
	off := map[string]string{throttle.ScopeLoginUsername: "None", throttle.ScopeLoginIP: "None"}
	with := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range off {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	const other = "198.51.100.9:5000"
	cases := []struct {
		name  string
		rates map[string]string
		cfg   func(*throttle.Config)
		steps []step
	}{
		{"token_obtain counts every request, DRF's wait", with(map[string]string{"token_obtain": "3/min"}), nil, []step{
			{body: good, status: 200},
			{body: wrong, status: 401},
			{body: `{`, status: 400},
			{body: good, status: 429, detail: body("60"), retryAfter: "60"},
			{body: good, advance: 30500 * time.Millisecond, status: 429, detail: body("30"), retryAfter: "30"},
			{body: good, advance: 29 * time.Second, status: 429, detail: body("1"), retryAfter: "1"},
			{body: good, advance: 500 * time.Millisecond, status: 200},
		}},
		{"token_obtain is per client address", with(map[string]string{"token_obtain": "1/min"}), nil, []step{
			{body: good, status: 200},
			{body: good, status: 429, detail: body("60"), retryAfter: "60"},
			{body: good, remote: other, status: 200},
		}},
		{"a spoofed X-Forwarded-For never changes the bucket", with(map[string]string{"token_obtain": "1/min"}), nil, []step{
			{body: good, status: 200},
			{body: good, headers: []string{"X-Forwarded-For: 192.0.2.1"}, status: 429, detail: body("60"), retryAfter: "60"},
			{body: good, headers: []string{"X-Real-IP: 192.0.2.2"}, status: 429, detail: body("60"), retryAfter: "60"},
		}},
		{"a trusted proxy's X-Forwarded-For names the client", with(map[string]string{"token_obtain": "1/min"}),
			func(c *throttle.Config) { c.TrustedProxies = []string{"10.0.0.0/8"} }, []step{
				{body: good, remote: "10.1.2.3:80", headers: []string{"X-Forwarded-For: 192.0.2.1"}, status: 200},
				{body: good, remote: "10.9.9.9:80", headers: []string{"X-Forwarded-For: 192.0.2.1"}, status: 429, detail: body("60"), retryAfter: "60"},
				{body: good, remote: "10.1.2.3:80", headers: []string{"X-Forwarded-For: 192.0.2.2"}, status: 200},
				// A client prepending its own entry cannot leave its bucket: the proxy appends the peer.
				{body: good, remote: "10.1.2.3:80", headers: []string{"X-Forwarded-For: 192.0.2.77, 192.0.2.1"}, status: 429, detail: body("60"), retryAfter: "60"},
			}},
		{"the sliding obtain view shares the scope", with(map[string]string{"token_obtain": "1/min"}), nil, []step{
			{path: "/api/token/sliding/", body: good, status: 200},
			{body: good, status: 429, detail: body("60"), retryAfter: "60"},
			{path: "/api/token/sliding/", body: good, status: 429, detail: body("60"), retryAfter: "60"},
		}},
		{"refresh and verify are not throttled as logins", with(map[string]string{"token_obtain": "1/min"}), nil, []step{
			{body: good, status: 200},
			{path: "/api/token/refresh/", body: `{"refresh":"x"}`, status: 401},
			{path: "/api/token/verify/", body: `{"token":"x"}`, status: 401},
			{path: "/api/token/verify/", body: `{"token":"x"}`, status: 401},
		}},
		{"failed logins per username, same answer for an unknown user", map[string]string{"login_username": "2/hour", "login_ip": "None"}, nil, []step{
			{body: wrong, status: 401},
			{body: unknown, status: 401},
			{body: wrong, status: 401},
			{body: unknown, status: 401},
			{body: good, advance: time.Second, status: 429, detail: body("3599"), retryAfter: "3599"},
			{body: unknown, status: 429, detail: body("3599"), retryAfter: "3599"},
			// Another address does not help: the count is the account's.
			{body: good, remote: other, status: 429, detail: body("3599"), retryAfter: "3599"},
			{body: good, advance: 3599 * time.Second, status: 200},
		}},
		{"the username as the serializer reads it", map[string]string{"login_username": "1/hour", "login_ip": "None"}, nil, []step{
			{body: wrong, status: 401},
			{body: `{"username":" alice ","password":"x"}`, status: 429, detail: body("3600"), retryAfter: "3600"},
			{body: `{"username":"ａｌｉｃｅ","password":"x"}`, status: 429, detail: body("3600"), retryAfter: "3600"},
		}},
		{"a success forgets the username's failures", map[string]string{"login_username": "2/hour", "login_ip": "None"}, nil, []step{
			{body: wrong, status: 401},
			{body: wrong, status: 401},
			{body: wrong, status: 429, detail: body("3600"), retryAfter: "3600"},
			{body: good, advance: time.Hour, status: 200},
			{body: wrong, status: 401},
			{body: wrong, status: 401},
			{body: wrong, status: 429, detail: body("3600"), retryAfter: "3600"},
		}},
		{"failed logins per address, across usernames", map[string]string{"login_username": "None", "login_ip": "3/hour"}, nil, []step{
			{body: `{"username":"u1","password":"x"}`, status: 401},
			{body: `{"username":"u2","password":"x"}`, status: 401},
			// alice's success is not counted, and does not reset the address's failures.
			{body: good, status: 200},
			{body: `{"username":"u3","password":"x"}`, status: 401},
			{body: good, status: 429, detail: body("3600"), retryAfter: "3600"},
			{body: `{"username":"u4","password":"x"}`, remote: other, status: 401},
		}},
		{"requests never judged are not failures", map[string]string{"login_username": "1/hour", "login_ip": "1/hour"}, nil, []step{
			{body: `{"username":"alice"}`, status: 400},
			{body: `{"password":"x"}`, status: 400},
			{body: `{`, status: 400},
			{body: wrong, status: 401},
			{body: wrong, status: 429, detail: body("3600"), retryAfter: "3600"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := newTestClock()
			j := throttledJWT(t, newLoginUsers(), clock, c.rates, c.cfg)
			run(t, opsEngine(j), clock, c.steps)
		})
	}
}

// TestThrottledLoginNeverLooksUp: a throttled login never reaches the user store, so its answer
// and its timing cannot depend on whether the user exists.
func TestThrottledLoginNeverLooksUp(t *testing.T) {
	clock := newTestClock()
	users := newLoginUsers()
	j := throttledJWT(t, users, clock, map[string]string{"login_username": "1/hour", "login_ip": "None"}, nil)
	h := opsEngine(j)
	postFrom(h, "/api/token/", wrong, "")
	postFrom(h, "/api/token/", unknown, "")
	before := users.authenticated.Load()
	a := postFrom(h, "/api/token/", good, "")
	b := postFrom(h, "/api/token/", `{"username":"mallory","password":"secret"}`, "")
	if users.authenticated.Load() != before {
		t.Errorf("throttled logins called Authenticate %d times", users.authenticated.Load()-before)
	}
	if a.Code != 429 || a.Body.String() != b.Body.String() || a.Header().Get("Retry-After") != b.Header().Get("Retry-After") {
		t.Errorf("existing user: %d %s %q; unknown user: %d %s %q", a.Code, a.Body, a.Header().Get("Retry-After"), b.Code, b.Body, b.Header().Get("Retry-After"))
	}
}

// brokenStore fails every call, as Redis down does.
type brokenStore struct{}

var errRedisDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

func (brokenStore) Take(context.Context, string, throttle.Rate, time.Time) (throttle.Usage, error) {
	return throttle.Usage{}, errRedisDown
}
func (brokenStore) Release(context.Context, string, uint64) error { return errRedisDown }
func (brokenStore) Reset(context.Context, string) error           { return errRedisDown }

// TestThrottleStoreDown: the counter store down is never a 500: fail closed (the default) is
// DRF's 429 without a wait, fail open lets the login through; both are logged.
func TestThrottleStoreDown(t *testing.T) {
	for _, failOpen := range []bool{false, true} {
		var logs logBuffer
		clock := newTestClock()
		j := throttledJWT(t, newLoginUsers(), clock, map[string]string{"token_obtain": "5/min"}, func(c *throttle.Config) {
			c.Store, c.Secret, c.FailOpen, c.Logger = brokenStore{}, []byte("0123456789abcdef0123456789abcdef"), failOpen, slog.New(slog.NewTextHandler(&logs, nil))
		})
		w := postFrom(opsEngine(j), "/api/token/", good, "")
		want, wantBody := http.StatusTooManyRequests, `{"detail":"Request was throttled."}`
		if failOpen {
			want = http.StatusOK
		}
		if w.Code != want || (!failOpen && w.Body.String() != wantBody) || w.Header().Get("Retry-After") != "" {
			t.Errorf("FailOpen=%v: %d %s Retry-After %q; want %d", failOpen, w.Code, w.Body, w.Header().Get("Retry-After"), want)
		}
		if !containsAll(logs.String(), "throttle store failed", "connection refused") {
			t.Errorf("FailOpen=%v: the failure was not logged: %s", failOpen, logs.String())
		}
	}
}

// TestThrottleMetrics: a throttled login is counted as "throttled".
func TestThrottleMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	clock := newTestClock()
	cfg := throttle.Config{Rates: map[string]string{"token_obtain": "1/min"}, Now: clock.Now}
	j := opsJWT(t, newLoginUsers(), func(s *ginjwt.Settings) { s.Throttle, s.Metrics = &cfg, m })
	h := opsEngine(j)
	postFrom(h, "/api/token/", good, "")
	postFrom(h, "/api/token/sliding/", good, "")
	if got := counter(t, reg, "simplejwt_token_requests_total", "token_obtain_sliding", "throttled"); got != 1 {
		t.Errorf("throttled = %v; want 1", got)
	}
}

// TestLimiterMiddleware: JWT.Limiter throttles the user's own routes, DRF's anon and user
// rates, after Auth; its 429 is written by the views' renderer.
func TestLimiterMiddleware(t *testing.T) {
	clock := newTestClock()
	j := throttledJWT(t, newLoginUsers(), clock, map[string]string{"anon": "1/min", "user": "2/min"}, nil)
	r := gin.New()
	r.Use(j.Auth(), j.Limiter().Middleware(throttle.Anon(), throttle.User()))
	r.GET("/me", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	access := "Bearer " + mint(t, j, tokenAccess(), "1", nil)
	for i, c := range []struct {
		authz  []string
		status int
	}{
		{nil, 204}, {nil, 429}, {[]string{access}, 204}, {[]string{access}, 204}, {[]string{access}, 429},
	} {
		w := do(r, "/me", c.authz...)
		if w.Code != c.status {
			t.Fatalf("request %d: %d; want %d", i, w.Code, c.status)
		}
		if c.status == 429 && (w.Body.String() != body("60") || w.Header().Get("Retry-After") != "60" || w.Header().Get("Vary") != "Accept") {
			t.Errorf("request %d: %s %v", i, w.Body, w.Header())
		}
	}
	if j.Limiter() == nil || opsJWT(t, newLoginUsers(), nil).Limiter() != nil {
		t.Error("Limiter: want the limiter with Settings.Throttle, nil without")
	}
}

func TestThrottleSettingsInvalid(t *testing.T) {
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.UserStore, s.NoTokenBlacklist = newLoginUsers(), true
	s.Throttle = &throttle.Config{Rates: map[string]string{"token_obtain": "5/fortnight"}}
	if _, err := ginjwt.New(nil, s); err == nil || !containsAll(err.Error(), "Settings.Throttle", "token_obtain") {
		t.Errorf("New with a bad rate: %v; want an error naming Settings.Throttle and the scope", err)
	}
}

// TestOpenAPIThrottled: with Settings.Throttle the document lists DRF's 429 (Retry-After, the
// detail body), and the real 429 validates against it; without, nothing changes.
func TestOpenAPIThrottled(t *testing.T) {
	clock := newTestClock()
	j := throttledJWT(t, newLoginUsers(), clock, map[string]string{"token_obtain": "1/min"}, nil)
	h, c := openAPIChecked(t, j, opsEngine(j), "throttled")
	for i, want := range []int{200, 429} {
		if w := postFrom(h, "/api/token/", good, ""); w.Code != want {
			t.Fatalf("login %d: %d %s; want %d", i, w.Code, w.Body, want)
		}
	}
	if c.validated != 2 {
		t.Errorf("%d responses validated; want 2", c.validated)
	}
	for _, tc := range []struct {
		j    *ginjwt.JWT
		want bool
	}{{j, true}, {opsJWT(t, newLoginUsers(), nil), false}} {
		tc.j.RegisterRoutes(gin.New().Group("/api/token"))
		doc := loadOpenAPI(t, tc.j)
		got := doc.Paths.Find("/api/token/").Post.Responses.Value("429") != nil
		if got != tc.want || (doc.Components.Responses["Throttled"] != nil) != tc.want {
			t.Errorf("throttle %v: 429 documented %v", tc.want, got)
		}
	}
}

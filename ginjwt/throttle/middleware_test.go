package throttle

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	body59 = `{"detail":"Request was throttled. Expected available in 59 seconds."}`
	body1  = `{"detail":"Request was throttled. Expected available in 1 second."}`
)

// TestMiddlewareWire: DRF's 429 for "5/min", singular and plural, and the window reopening.
func TestMiddlewareWire(t *testing.T) {
	clk := newClock()
	l := mustNew(t, Config{Rates: map[string]string{ScopeTokenObtain: "5/min"}, Now: clk.Now})
	h := engine(l.Middleware(Scoped(ScopeTokenObtain)))
	for i := range 5 {
		if rec := (req{}).send(h); rec.Code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	steps := []struct {
		advance    time.Duration
		code       int
		body, wait string
	}{
		{time.Second, 429, body59, "59"},
		{58 * time.Second, 429, body1, "1"},
		{999 * time.Millisecond, 429, body1, "1"},
		{time.Millisecond, 200, "ok", ""}, // t = 60 s: the first five leave the window
		{0, 200, "ok", ""},
		{0, 200, "ok", ""},
		{0, 200, "ok", ""},
		{0, 200, "ok", ""},
		{0, 429, `{"detail":"Request was throttled. Expected available in 60 seconds."}`, "60"},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		rec := req{}.send(h)
		if rec.Code != s.code || rec.Body.String() != s.body || rec.Header().Get("Retry-After") != s.wait {
			t.Errorf("after +%v: %d %s Retry-After %q; want %d %s %q", s.advance, rec.Code, rec.Body,
				rec.Header().Get("Retry-After"), s.code, s.body, s.wait)
		}
		if s.code == 429 {
			if ct, vary := rec.Header().Get("Content-Type"), rec.Header().Get("Vary"); ct != "application/json" || vary != "Accept" {
				t.Errorf("429 headers: Content-Type %q, Vary %q", ct, vary)
			}
		}
	}
}

// TestMiddlewareKeys: who shares a bucket under each of DRF's throttles.
func TestMiddlewareKeys(t *testing.T) {
	alice1 := req{remote: "198.51.100.1:1", user: "1"}
	alice2 := req{remote: "198.51.100.2:1", user: "1"}
	bob1 := req{remote: "198.51.100.1:1", user: "2"}
	anon1 := req{remote: "198.51.100.1:1"}
	anon1port := req{remote: "198.51.100.1:2"}
	anon2 := req{remote: "198.51.100.2:1"}
	cases := []struct {
		name     string
		throttle Throttle
		first    req
		then     req
		shared   bool
	}{
		{"user: one user from two addresses", User(), alice1, alice2, true},
		{"user: two users from one address", User(), alice1, bob1, false},
		{"user: anonymous by address", User(), anon1, anon1port, true},
		{"user: anonymous, two addresses", User(), anon1, anon2, false},
		{"user: a user and an anonymous client on one address", User(), alice1, anon1, false},
		{"scoped: one user from two addresses", Scoped("uploads"), alice1, alice2, true},
		{"scoped: two users", Scoped("uploads"), alice1, bob1, false},
		{"scoped: anonymous by address", Scoped("uploads"), anon1, anon1port, true},
		{"anon: by address", Anon(), anon1, anon1port, true},
		{"anon: two addresses", Anon(), anon1, anon2, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := mustNew(t, Config{Rates: map[string]string{tc.throttle.Scope(): "1/min"}, UserID: testUserID})
			h := engine(l.Middleware(tc.throttle))
			if rec := tc.first.send(h); rec.Code != 200 {
				t.Fatalf("first: %d", rec.Code)
			}
			want := 200
			if tc.shared {
				want = 429
			}
			if rec := tc.then.send(h); rec.Code != want {
				t.Fatalf("then: %d; want %d", rec.Code, want)
			}
		})
	}
}

// TestAnonSkipsAuthenticated: AnonRateThrottle never counts an authenticated request.
func TestAnonSkipsAuthenticated(t *testing.T) {
	l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "1/min"}, UserID: testUserID})
	h := engine(l.Middleware(Anon()))
	for i := range 3 {
		if rec := (req{user: "7"}).send(h); rec.Code != 200 {
			t.Fatalf("authenticated request %d: %d", i+1, rec.Code)
		}
	}
	if rec := (req{}).send(h); rec.Code != 200 {
		t.Fatalf("first anonymous request: %d", rec.Code)
	}
	if rec := (req{}).send(h); rec.Code != 429 {
		t.Fatalf("second anonymous request: %d", rec.Code)
	}
}

// TestScopesApart: two scopes keep separate counts for one client.
func TestScopesApart(t *testing.T) {
	l := mustNew(t, Config{Rates: map[string]string{"a": "1/min", "b": "1/min"}})
	a, b := engine(l.Middleware(Scoped("a"))), engine(l.Middleware(Scoped("b")))
	if ra, rb := (req{}).send(a), (req{}).send(b); ra.Code != 200 || rb.Code != 200 {
		t.Fatalf("first of each scope: %d, %d", ra.Code, rb.Code)
	}
	if ra := (req{}).send(a); ra.Code != 429 {
		t.Fatalf("second in scope a: %d", ra.Code)
	}
}

// TestMiddlewareLongestWait: as DRF's check_throttles, every throttle counts the request
// and the longest wait is sent.
func TestMiddlewareLongestWait(t *testing.T) {
	clk := newClock()
	l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "1/min", ScopeUser: "1/s"}, Now: clk.Now})
	h := engine(l.Middleware(User(), Anon()))
	steps := []struct {
		advance time.Duration
		code    int
		wait    string
	}{
		{0, 200, ""},
		{500 * time.Millisecond, 429, "60"}, // both refuse: 59.5 s and 0.5 s
		{time.Second, 429, "59"},            // user allows (and records), anon refuses: 58.5 s
		{300 * time.Millisecond, 429, "59"}, // both refuse: 58.2 s and 0.7 s
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		if rec := (req{}).send(h); rec.Code != s.code || rec.Header().Get("Retry-After") != s.wait {
			t.Errorf("after +%v: %d Retry-After %q; want %d %q", s.advance, rec.Code, rec.Header().Get("Retry-After"), s.code, s.wait)
		}
	}
}

// TestDisabledScope: a scope set to "None" (DRF's None) never throttles.
func TestDisabledScope(t *testing.T) {
	l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "None"}})
	h := engine(l.Middleware(Anon()))
	for i := range 100 {
		if rec := (req{}).send(h); rec.Code != 200 {
			t.Fatalf("request %d: %d", i+1, rec.Code)
		}
	}
}

// TestMiddlewareMissingRate: a throttle without a rate is refused when the routes are built.
func TestMiddlewareMissingRate(t *testing.T) {
	l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "5/min"}})
	for _, th := range []Throttle{User(), Scoped("nope"), {}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Middleware(%+v) did not panic", th)
				}
			}()
			l.Middleware(th)
		}()
	}
	if _, ok := l.Rate(ScopeUser); ok {
		t.Error(`Rate("user") ok without a rate`)
	}
	if r, ok := l.Rate(ScopeAnon); !ok || r != (Rate{5, time.Minute}) {
		t.Errorf(`Rate("anon") = %v, %v`, r, ok)
	}
}

// TestErrorHandler: the middleware hands the refusal to Config.ErrorHandler.
func TestErrorHandler(t *testing.T) {
	var got *Throttled
	l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "0/min"}, ErrorHandler: func(c *gin.Context, err *Throttled) {
		got = err
		c.String(418, "teapot")
	}})
	h := engine(l.Middleware(Anon()))
	if rec := (req{}).send(h); rec.Code != 418 || got == nil || got.Seconds() != 60 {
		t.Fatalf("%d %s, handler got %v", rec.Code, rec.Body, got)
	}
}

// TestStoreFailure: a failing store never makes a 500; fail closed answers 429 without a
// wait, fail open lets the request through; both log.
func TestStoreFailure(t *testing.T) {
	for _, open := range []bool{false, true} {
		var logs logBuffer
		l := mustNew(t, Config{Rates: map[string]string{ScopeAnon: "5/min"}, Store: failingStore{errBroken},
			Secret: testSecret, FailOpen: open, Logger: logs.Logger()})
		var seen *Throttled
		h := engine(l.Middleware(Anon()))
		h2 := engine(func(c *gin.Context) {
			seen = l.check(c, []boundThrottle{{Throttle: Anon(), rate: Rate{5, time.Minute}}})
		})
		rec := req{}.send(h)
		req{}.send(h2)
		switch {
		case open && rec.Code != 200:
			t.Errorf("fail open: %d %s", rec.Code, rec.Body)
		case !open && (rec.Code != 429 || rec.Body.String() != `{"detail":"Request was throttled."}` || rec.Header().Get("Retry-After") != ""):
			t.Errorf("fail closed: %d %s Retry-After %q", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
		case !open && (seen == nil || !errors.Is(seen, ErrUnavailable) || !errors.Is(seen, errBroken)):
			t.Errorf("fail closed: error %v does not wrap ErrUnavailable and the cause", seen)
		}
		if !strings.Contains(logs.String(), "throttle store failed") || !strings.Contains(logs.String(), "store broken") {
			t.Errorf("FailOpen=%v: log %q", open, logs.String())
		}
	}
}

func TestNewErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		rate bool
	}{
		{name: "bad rate", cfg: Config{Rates: map[string]string{"anon": "5/fortnight"}}, rate: true},
		{name: "bad login rate", cfg: Config{Rates: map[string]string{ScopeLoginIP: "lots"}}, rate: true},
		{name: "empty scope", cfg: Config{Rates: map[string]string{"": "5/min"}}},
		{name: "bad proxy", cfg: Config{TrustedProxies: []string{"10.0.0.0/33"}}},
		{name: "proxy with port", cfg: Config{TrustedProxies: []string{"10.0.0.1:80"}}},
		{name: "IPv6 bits", cfg: Config{IPv6PrefixBits: 129}},
		{name: "short secret", cfg: Config{Secret: []byte("short")}},
		{name: "shared store without a secret", cfg: Config{Store: failingStore{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := New(tc.cfg)
			if err == nil || errors.Is(err, ErrRate) != tc.rate {
				t.Fatalf("New = %v, %v; want an error (wrapping ErrRate: %v)", l, err, tc.rate)
			}
		})
	}
}

// TestDefaultLoginRates: the failed-login scopes have rates unless told otherwise.
func TestDefaultLoginRates(t *testing.T) {
	l := mustNew(t, Config{})
	for scope, want := range DefaultLoginRates() {
		if r, ok := l.Rate(scope); !ok || r.String() != want {
			t.Errorf("Rate(%q) = %v, %v; want %s", scope, r, ok, want)
		}
	}
	l = mustNew(t, Config{Rates: map[string]string{ScopeLoginUsername: "None"}})
	if r, ok := l.Rate(ScopeLoginUsername); !ok || !r.IsZero() {
		t.Errorf("switched off: Rate = %v, %v", r, ok)
	}
}

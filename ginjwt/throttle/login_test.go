package throttle

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// fail runs one failed login of username from remote; it reports whether the attempt was
// let through to the password check.
func fail(t *testing.T, l *Limiter, remote, username string) bool {
	t.Helper()
	a, err := l.BeginLogin(loginRequest(remote), username)
	if err != nil {
		var th *Throttled
		if !errors.As(err, &th) {
			t.Fatalf("BeginLogin: %v is not a *Throttled", err)
		}
		return false
	}
	a.Finish(context.Background(), LoginFailed)
	return true
}

func succeed(t *testing.T, l *Limiter, remote, username string) bool {
	t.Helper()
	a, err := l.BeginLogin(loginRequest(remote), username)
	if err != nil {
		return false
	}
	a.Finish(context.Background(), LoginSucceeded)
	return true
}

func loginLimiter(t *testing.T, perUser, perIP string, clk *clock) *Limiter {
	t.Helper()
	return mustNew(t, Config{Rates: map[string]string{ScopeLoginUsername: perUser, ScopeLoginIP: perIP}, Now: clk.Now})
}

// TestLoginPerUsername: a botnet (one address per guess) cannot spray one account.
func TestLoginPerUsername(t *testing.T) {
	clk := newClock()
	l := loginLimiter(t, "3/min", "100/min", clk)
	for i := range 3 {
		if !fail(t, l, "198.51.100."+string(rune('1'+i))+":1", "alice") {
			t.Fatalf("guess %d throttled", i+1)
		}
	}
	if fail(t, l, "198.51.100.9:1", "alice") {
		t.Fatal("fourth guess for alice from a fresh address let through")
	}
	if !fail(t, l, "198.51.100.9:1", "bob") {
		t.Fatal("bob throttled by alice's failures")
	}
	clk.Advance(time.Minute)
	if !fail(t, l, "198.51.100.9:1", "alice") {
		t.Fatal("alice still throttled a minute later")
	}
}

// TestLoginPerIP: one address cannot spray many accounts.
func TestLoginPerIP(t *testing.T) {
	clk := newClock()
	l := loginLimiter(t, "100/min", "3/min", clk)
	for i, u := range []string{"a", "b", "c"} {
		if !fail(t, l, "203.0.113.7:1", u) {
			t.Fatalf("guess %d throttled", i+1)
		}
	}
	if fail(t, l, "203.0.113.7:2", "d") {
		t.Fatal("fourth username from one address let through")
	}
	if !fail(t, l, "203.0.113.8:1", "d") {
		t.Fatal("another address throttled")
	}
}

// TestLoginSuccess: a success forgets the username's failures, not the address's (for this
// or other usernames); only the successful attempt itself is not counted.
func TestLoginSuccess(t *testing.T) {
	clk := newClock()
	l := loginLimiter(t, "3/min", "4/min", clk)
	const ip = "203.0.113.7:1"
	fail(t, l, ip, "victim1")
	fail(t, l, ip, "victim2")
	fail(t, l, "198.51.100.1:1", "alice")
	fail(t, l, "198.51.100.2:1", "alice")
	if !succeed(t, l, ip, "alice") { // alice: 2 failures, then her password
		t.Fatal("alice's login throttled")
	}
	// The address still holds its two failures: two more and it is full.
	if !fail(t, l, ip, "victim3") || !fail(t, l, ip, "victim4") {
		t.Fatal("address throttled before its fourth failure")
	}
	if fail(t, l, ip, "victim5") {
		t.Fatal("the success reset the address's failures for other usernames")
	}
	// alice's failures are forgotten: three fresh ones are allowed.
	for i := range 3 {
		if !fail(t, l, "198.51.100."+string(rune('3'+i))+":1", "alice") {
			t.Fatalf("alice throttled at failure %d after her success", i+1)
		}
	}
	if fail(t, l, "198.51.100.9:1", "alice") {
		t.Fatal("alice not throttled after three new failures")
	}
}

// TestLoginAbandoned: an attempt whose credentials were never judged counts nowhere.
func TestLoginAbandoned(t *testing.T) {
	l := loginLimiter(t, "1/min", "1/min", newClock())
	for range 5 {
		a, err := l.BeginLogin(loginRequest("203.0.113.7:1"), "alice")
		if err != nil {
			t.Fatalf("abandoned attempts were counted: %v", err)
		}
		a.Finish(context.Background(), LoginAbandoned)
	}
}

// TestLoginUnfinished: an attempt never finished counts as a failure, and Finish counts once.
func TestLoginUnfinished(t *testing.T) {
	l := loginLimiter(t, "1/min", "100/min", newClock())
	a, err := l.BeginLogin(loginRequest("203.0.113.7:1"), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.BeginLogin(loginRequest("203.0.113.8:1"), "alice"); err == nil {
		t.Fatal("a pending attempt did not count")
	}
	a.Finish(context.Background(), LoginFailed)
	a.Finish(context.Background(), LoginAbandoned) // too late: ignored
	if _, err := l.BeginLogin(loginRequest("203.0.113.8:1"), "alice"); err == nil {
		t.Fatal("a second Finish took the failure back")
	}
	(*LoginAttempt)(nil).Finish(context.Background(), LoginFailed) // no panic
}

// TestLoginConcurrentGuesses: 50 guesses for one account in flight at once, every one
// held before its password is checked: exactly the rate gets through, as the attempt counts
// from BeginLogin on.
func TestLoginConcurrentGuesses(t *testing.T) {
	l := loginLimiter(t, "5/min", "1000/min", newClock())
	var through atomic.Int32
	var begun, release sync.WaitGroup
	begun.Add(50)
	release.Add(1)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			a, err := l.BeginLogin(loginRequest("198.51.100."+string(rune('0'+i%10))+":1"), "alice")
			begun.Done()
			if err != nil {
				return
			}
			through.Add(1)
			release.Wait() // the password check of every admitted guess overlaps
			a.Finish(context.Background(), LoginFailed)
		})
	}
	begun.Wait()
	release.Done()
	wg.Wait()
	if n := through.Load(); n != 5 {
		t.Fatalf("%d of 50 concurrent guesses reached the password check; want 5", n)
	}
}

// TestLoginUsernameNormalised: Django's NFKC, no case folding unless configured.
func TestLoginUsernameNormalised(t *testing.T) {
	cases := []struct {
		name        string
		normalize   func(string) string
		first, then string
		shared      bool
	}{
		{"full-width is NFKC-equal", nil, "ｊｏｈｎ", "john", true},
		{"ligature is NFKC-equal", nil, "ﬁona", "fiona", true},
		{"case is kept", nil, "John", "john", false},
		{"case folded when configured", func(s string) string { return strings.ToLower(NormalizeUsername(s)) }, "JOHN", "john", true},
		{"different names", nil, "john", "jon", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := mustNew(t, Config{Rates: map[string]string{ScopeLoginUsername: "1/min", ScopeLoginIP: "None"}, NormalizeUsername: tc.normalize})
			fail(t, l, "198.51.100.1:1", tc.first)
			if got := fail(t, l, "198.51.100.2:1", tc.then); got == tc.shared {
				t.Fatalf("%q after %q let through: %v; want %v", tc.then, tc.first, got, !tc.shared)
			}
		})
	}
}

// obtainView is a token obtain view wired as the obtain endpoints will be: the check before
// the user lookup and the hasher, the outcome after.
type obtainView struct {
	l      *Limiter
	users  map[string]string // username → password
	hashed atomic.Int32      // password checks run
}

func (v *obtainView) handle(c *gin.Context) {
	username, password := c.PostForm("username"), c.PostForm("password")
	attempt, err := v.l.BeginLogin(c.Request, username)
	if err != nil {
		var th *Throttled
		errors.As(err, &th)
		WriteThrottled(c, th)
		return
	}
	v.hashed.Add(1) // the hasher runs for known and unknown users alike (a dummy hash)
	if pw, ok := v.users[username]; !ok || pw != password {
		attempt.Finish(c.Request.Context(), LoginFailed)
		c.JSON(http.StatusUnauthorized, gin.H{"detail": "No active account found with the given credentials"})
		return
	}
	attempt.Finish(c.Request.Context(), LoginSucceeded)
	c.JSON(http.StatusOK, gin.H{"access": "…"})
}

func (v *obtainView) post(username, password, remote string) *httptest.ResponseRecorder {
	r := gin.New()
	r.POST("/api/token/", v.handle)
	body := "username=" + username + "&password=" + password
	q := httptest.NewRequest(http.MethodPost, "/api/token/", strings.NewReader(body))
	q.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	q.RemoteAddr = remote
	w := httptest.NewRecorder()
	r.ServeHTTP(w, q)
	return w
}

// TestLoginThrottledSameAnswer: once throttled, an existing and an unknown username get the
// same status, headers and body, and neither reaches the hasher.
func TestLoginThrottledSameAnswer(t *testing.T) {
	clk := newClock()
	v := &obtainView{l: loginLimiter(t, "5/min", "None", clk), users: map[string]string{"alice": "right"}}
	for _, u := range []string{"alice", "nobody"} {
		for i := range 5 {
			if rec := v.post(u, "wrong", "198.51.100.1:1"); rec.Code != 401 {
				t.Fatalf("%s failure %d: %d", u, i+1, rec.Code)
			}
		}
	}
	clk.Advance(time.Second)
	before := v.hashed.Load()
	known := v.post("alice", "right", "198.51.100.2:1") // even the right password
	unknown := v.post("nobody", "x", "198.51.100.2:1")
	if v.hashed.Load() != before {
		t.Error("a throttled login reached the hasher")
	}
	if known.Code != 429 || known.Code != unknown.Code || known.Body.String() != unknown.Body.String() ||
		known.Body.String() != body59 || !equalHeaders(known.Header(), unknown.Header()) {
		t.Errorf("known: %d %v %s\nunknown: %d %v %s", known.Code, known.Header(), known.Body,
			unknown.Code, unknown.Header(), unknown.Body)
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if strings.Join(a[k], "\n") != strings.Join(b[k], "\n") {
			return false
		}
	}
	return true
}

// TestLoginStoreFailure: fail closed refuses the login (wrapping ErrUnavailable), fail open
// lets it through; the log never carries the username.
func TestLoginStoreFailure(t *testing.T) {
	for _, open := range []bool{false, true} {
		var logs logBuffer
		l := mustNew(t, Config{Store: failingStore{errBroken}, Secret: testSecret, FailOpen: open, Logger: logs.Logger()})
		a, err := l.BeginLogin(loginRequest("203.0.113.7:1"), "alice@example.com")
		if open {
			if err != nil {
				t.Fatalf("fail open: %v", err)
			}
			a.Finish(context.Background(), LoginSucceeded)
		} else {
			var th *Throttled
			if !errors.As(err, &th) || !errors.Is(err, ErrUnavailable) || th.Seconds() != 0 {
				t.Fatalf("fail closed: %v", err)
			}
		}
		if out := logs.String(); !strings.Contains(out, "throttle store failed") || strings.Contains(out, "alice") || strings.Contains(out, "203.0.113.7") {
			t.Errorf("FailOpen=%v: log %q", open, out)
		}
	}
}

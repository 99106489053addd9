package throttle_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
)

// A scoped rate on the token obtain endpoint and the anonymous rate on the rest of the API,
// as DRF's ScopedRateThrottle and AnonRateThrottle. The clock is fixed for the example.
func ExampleLimiter_Middleware() {
	gin.SetMode(gin.ReleaseMode)
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	rates, err := throttle.ParseRates("token_obtain=2/min,anon=1000/day") // THROTTLE_RATES
	if err != nil {
		panic(err)
	}
	l, err := throttle.New(throttle.Config{
		Rates:          rates,
		TrustedProxies: []string{"10.0.0.0/8"}, // TRUSTED_PROXIES: believe X-Forwarded-For from these only
		Now:            func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	r := gin.New()
	api := r.Group("/api", l.Middleware(throttle.Anon()))
	api.POST("/token/", l.Middleware(throttle.Scoped(throttle.ScopeTokenObtain)), func(c *gin.Context) {
		c.String(http.StatusOK, "token")
	})

	for i := range 3 {
		req := httptest.NewRequest(http.MethodPost, "/api/token/", nil)
		req.RemoteAddr = "203.0.113.7:50000"
		req.Header.Set("X-Forwarded-For", fmt.Sprint("198.51.100.", i)) // not from a trusted proxy: ignored
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Header().Get("Retry-After"), w.Body)
		now = now.Add(time.Second)
	}
	// Output:
	// 200  token
	// 200  token
	// 429 58 {"detail":"Request was throttled. Expected available in 58 seconds."}
}

// The obtain view asks BeginLogin before it looks the user up or runs the hasher, and
// finishes the attempt with the outcome. Here the failed logins of one username are limited
// to 3 a minute, so the fourth guess is refused without checking the password, whether the
// account exists or not.
func ExampleLimiter_BeginLogin() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	l, err := throttle.New(throttle.Config{
		Rates: map[string]string{throttle.ScopeLoginUsername: "3/min", throttle.ScopeLoginIP: "20/hour"},
		Now:   func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	passwords := map[string]string{"alice": "correct horse"}

	login := func(r *http.Request, username, password string) string {
		attempt, err := l.BeginLogin(r, username)
		var throttled *throttle.Throttled
		if errors.As(err, &throttled) {
			return fmt.Sprint("429 ", throttled.Detail())
		}
		if pw, ok := passwords[username]; !ok || pw != password {
			attempt.Finish(r.Context(), throttle.LoginFailed)
			return "401 No active account found with the given credentials"
		}
		attempt.Finish(r.Context(), throttle.LoginSucceeded)
		return "200"
	}

	req := httptest.NewRequest(http.MethodPost, "/api/token/", nil)
	for _, pw := range []string{"123456", "password", "qwerty", "correct horse"} {
		fmt.Println(login(req, "alice", pw))
		now = now.Add(10 * time.Second)
	}
	fmt.Println(login(req, "bob", "hunter2"))
	// Output:
	// 401 No active account found with the given credentials
	// 401 No active account found with the given credentials
	// 401 No active account found with the given credentials
	// 429 Request was throttled. Expected available in 30 seconds.
	// 401 No active account found with the given credentials
}

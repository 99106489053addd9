package ginjwt_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// The benchmarks of the authentication hot path. All three serve the same gin engine and route
// with a valid HS256 access token; only the middleware differs:
//
//	go test ./ginjwt/ -run '^$' -bench BenchmarkAuth -benchtime 20000x -count 5
//
// BenchmarkAuthFloor is what cannot be avoided: split the header, base64url-decode, HMAC-SHA256
// compare, decode the claims into a small struct, check exp and type. The target is the
// stateless Auth() within 1.5× of the floor's ns/op and at most 10 allocations above it.

func benchEngine(mw gin.HandlerFunc) *gin.Engine {
	r := gin.New()
	r.GET("/me", mw, func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return r
}

// statusWriter is a reusable http.ResponseWriter that keeps only the status, so the benchmark
// measures the middleware, not a recorder.
type statusWriter struct {
	h    http.Header
	code int
}

func (w *statusWriter) Header() http.Header         { return w.h }
func (w *statusWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *statusWriter) WriteHeader(code int)        { w.code = code }

// runAuthBench serves GET /me with authz until b.Loop ends, checking every status is want.
func runAuthBench(b *testing.B, h http.Handler, authz string, want int) {
	runAuthBenchHeader(b, h, "Authorization", authz, want)
}

// runAuthBenchHeader is runAuthBench with the credentials in any header (Cookie).
func runAuthBenchHeader(b *testing.B, h http.Handler, name, value string, want int) {
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	// A cancellable context, as net/http gives every request: go-sqlite3 runs a statement
	// beside a watcher of such a context (and skips it for context.Background()).
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	req = req.WithContext(ctx)
	req.Header.Set(name, value)
	w := &statusWriter{h: http.Header{}}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		w.code = 0
		h.ServeHTTP(w, req)
		if w.code != want {
			b.Fatalf("status %d", w.code)
		}
	}
}

func benchJWT(b *testing.B) (*ginjwt.JWT, string) {
	j := newJWT(b, newUsers(), func(s *ginjwt.Settings) { s.Now = time.Now })
	return j, "Bearer " + mint(b, j, tokens.AccessToken, "1", nil)
}

func BenchmarkAuthStateless(b *testing.B) {
	j, authz := benchJWT(b)
	runAuthBench(b, benchEngine(j.AuthStateless()), authz, http.StatusNoContent)
}

// BenchmarkAuthStatelessMetrics is BenchmarkAuthStateless with Settings.Metrics set to the
// Prometheus collectors: the cost of one ObserveAuth per request (no allocation).
func BenchmarkAuthStatelessMetrics(b *testing.B) {
	m, err := metrics.New(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	j := newJWT(b, newUsers(), func(s *ginjwt.Settings) { s.Now = time.Now; s.Metrics = m })
	authz := "Bearer " + mint(b, j, tokens.AccessToken, "1", nil)
	runAuthBench(b, benchEngine(j.AuthStateless()), authz, http.StatusNoContent)
}

// BenchmarkAuthStatelessCookie is BenchmarkAuthStateless with the token in the access cookie
// of the cookie transport (JWT_AUTH_COOKIE), beside a CSRF cookie and an analytics cookie, as
// a browser sends them: the header is tried first, then the cookie.
func BenchmarkAuthStatelessCookie(b *testing.B) {
	j := newJWT(b, newUsers(), func(s *ginjwt.Settings) {
		s.Now = time.Now
		s.Cookies = cookies.Settings{Cookie: "access", RefreshCookie: "refresh", UseCSRF: true}
	})
	tok := mint(b, j, tokens.AccessToken, "1", nil)
	runAuthBenchHeader(b, benchEngine(j.AuthStateless()), "Cookie",
		"_ga=GA1.1.123456789.1700000000; csrftoken=abcdefghijklmnopqrstuvwxyz012345; access="+tok, http.StatusNoContent)
}

func BenchmarkAuthUserStore(b *testing.B) {
	j, authz := benchJWT(b)
	runAuthBench(b, benchEngine(j.Auth()), authz, http.StatusNoContent)
}

// floorMiddleware is the hand-written minimum, HS256 only.
func floorMiddleware(secret []byte) gin.HandlerFunc {
	enc := base64.RawURLEncoding
	return func(c *gin.Context) {
		scheme, raw, ok := strings.Cut(c.GetHeader("Authorization"), " ")
		if !ok || scheme != "Bearer" {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		dot2 := strings.LastIndexByte(raw, '.')
		dot1 := strings.IndexByte(raw, '.')
		if dot1 < 0 || dot2 <= dot1 {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		sig, err := enc.DecodeString(raw[dot2+1:])
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(raw[:dot2]))
		if !hmac.Equal(sig, mac.Sum(nil)) {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		payload, err := enc.DecodeString(raw[dot1+1 : dot2])
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		var claims struct {
			Exp       int64  `json:"exp"`
			TokenType string `json:"token_type"`
		}
		if json.Unmarshal(payload, &claims) != nil || claims.Exp <= time.Now().Unix() || claims.TokenType != "access" {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Next()
	}
}

func BenchmarkAuthFloor(b *testing.B) {
	_, authz := benchJWT(b)
	runAuthBench(b, benchEngine(floorMiddleware([]byte(key))), authz, http.StatusNoContent)
}

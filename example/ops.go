package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
)

// This file is the operations side of the service: the Prometheus metrics served at GET
// /metrics, and the throttles configured by THROTTLE_RATES, REDIS_URL, TRUSTED_PROXIES and
// THROTTLE_FAIL_OPEN.

// serviceMetrics is the service's Settings.Metrics: the collectors and the registry they are
// on, which newRouter serves at GET /metrics. The registry is the service's own, never
// Prometheus's global one, so that two services in one process (the tests) never meet.
type serviceMetrics struct {
	*metrics.Metrics
	registry *prometheus.Registry
}

// newServiceMetrics makes the registry with simplejwt's collectors, the Go runtime's and the
// process's.
func newServiceMetrics() (*serviceMetrics, error) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, err
	}
	if err := reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, err
	}
	m, err := metrics.New(reg)
	if err != nil {
		return nil, err
	}
	return &serviceMetrics{Metrics: m, registry: reg}, nil
}

// allowMetrics is the Allow header of GET /metrics.
const allowMetrics = "GET, HEAD"

// mountMetrics serves j's registry at GET (and HEAD) /metrics, in Prometheus's text format (or
// OpenMetrics when the scraper asks). It takes no authentication and no throttle: bind ADDR
// to a network only the scraper reaches, or put the path behind your proxy's access rules.
func mountMetrics(r gin.IRoutes, j *ginjwt.JWT, logger *slog.Logger) {
	m, ok := j.Settings().Metrics.(*serviceMetrics)
	if !ok {
		return
	}
	h := gin.WrapH(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	}))
	r.GET("/metrics", h)
	r.HEAD("/metrics", h)
}

// throttleSettings reads the throttling variables; nil when neither THROTTLE_RATES nor
// REDIS_URL is set (no throttling, as before). close releases the Redis client.
//
//	THROTTLE_RATES      DRF's DEFAULT_THROTTLE_RATES: token_obtain=5/min,anon=1000/day (scopes:
//	                    token_obtain on the obtain views, anon and user on every route,
//	                    login_username and login_ip the failed logins, 10/hour and 100/hour
//	                    unless given; "None" switches a scope off)
//	REDIS_URL           redis://host:6379/0: the counters shared by every instance (default:
//	                    in memory, per instance)
//	TRUSTED_PROXIES     comma-separated addresses and CIDRs (10.0.0.0/8) whose X-Forwarded-For
//	                    is believed, for the throttles and the IP a session records; none by
//	                    default
//	THROTTLE_FAIL_OPEN  true: when Redis fails, requests go on uncounted; false (default):
//	                    they are refused with 429 "Request was throttled.". Logged either way.
//
// Instances that share Redis derive the same key secret from the signing key, so they count
// the same buckets; Redis never sees a username or address in clear.
func throttleSettings(env lookupFunc, signingKey string, now func() time.Time, logger *slog.Logger) (cfg *throttle.Config, close func(), err error) {
	close = func() {}
	proxies := splitList(env.getOr("TRUSTED_PROXIES", ""))
	ratesText, redisURL := env.getOr("THROTTLE_RATES", ""), env.getOr("REDIS_URL", "")
	if ratesText == "" && redisURL == "" {
		if len(proxies) > 0 {
			logger.Warn("TRUSTED_PROXIES is set but throttling is off (no THROTTLE_RATES nor REDIS_URL): X-Forwarded-For is not used")
		}
		return nil, close, nil
	}
	rates, err := throttle.ParseRates(ratesText)
	if err != nil {
		return nil, close, fmt.Errorf("THROTTLE_RATES=%q: %w", ratesText, err)
	}
	failOpen := false
	if v := env.getOr("THROTTLE_FAIL_OPEN", ""); v != "" {
		if failOpen, err = strconv.ParseBool(v); err != nil {
			return nil, close, fmt.Errorf("THROTTLE_FAIL_OPEN=%q: want true or false", v)
		}
	}
	cfg = &throttle.Config{
		Rates:          rates,
		TrustedProxies: proxies,
		FailOpen:       failOpen,
		Now:            now,
		Logger:         logger,
	}
	if redisURL != "" {
		store, err := throttle.NewRedisStoreFromURL(redisURL, throttle.RedisOptions{})
		if err != nil {
			return nil, close, fmt.Errorf("REDIS_URL: %w", err) // never the URL: it may hold a password
		}
		mac := hmac.New(sha256.New, []byte(signingKey))
		mac.Write([]byte("gin-simplejwt throttle key secret"))
		cfg.Store, cfg.Secret = store, mac.Sum(nil)
		close = func() { _ = store.Close() }
	}
	return cfg, close, nil
}

// throttles returns the middleware of DRF's default throttle classes for the scopes
// THROTTLE_RATES names, "anon" (AnonRateThrottle) and "user" (UserRateThrottle); nil when
// there is none.
func throttles(j *ginjwt.JWT) gin.HandlerFunc {
	l := j.Limiter()
	if l == nil {
		return nil
	}
	var ts []throttle.Throttle
	if r, ok := l.Rate(throttle.ScopeAnon); ok && !r.IsZero() {
		ts = append(ts, throttle.Anon())
	}
	if r, ok := l.Rate(throttle.ScopeUser); ok && !r.IsZero() {
		ts = append(ts, throttle.User())
	}
	if len(ts) == 0 {
		return nil
	}
	return l.Middleware(ts...)
}

// trustedProxies are the proxies of TRUSTED_PROXIES, as the limiter has them; none without
// throttling.
func trustedProxies(j *ginjwt.JWT) []string {
	if t := j.Settings().Throttle; t != nil {
		return t.TrustedProxies
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// handlers lists h without the nil ones.
func handlers(h ...gin.HandlerFunc) []gin.HandlerFunc {
	out := h[:0]
	for _, f := range h {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

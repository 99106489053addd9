// Package metrics is the Prometheus side of gin-simplejwt: collectors for the token endpoints,
// the authentication middleware and the sessions, on prometheus/client_golang, registered on
// the registry the caller passes (never on the global one).
//
//	reg := prometheus.NewRegistry()
//	m, err := metrics.New(reg)
//	settings.Metrics = m                      // the views and Auth report to it
//	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
//
// The metrics, all with the prefix "simplejwt_":
//
//	token_requests_total{endpoint,result}           counter: the token views' answers
//	token_request_duration_seconds{endpoint}        histogram: their durations
//	auth_requests_total{result}                     counter: Auth/AuthStateless decisions
//	auth_unauthorized_total{code}                   counter: their 401s by simplejwt's code
//	refresh_token_reuse_total{action}               counter: a rotated refresh token used again
//	sessions_ended_total{reason}                    counter: sessions ended, by why
//	revocation_feed_lag_seconds                     gauge: age of the newest revocation applied
//
// endpoint is a name of the endpoint table (views.Endpoints: "token_obtain_pair", …), result
// one of views.Results ("ok", "invalid_credentials", "token_not_valid", "throttled",
// "unavailable", "bad_request", …), code simplejwt's ("token_not_valid", "user_inactive", …,
// "none" when the body has none). No label ever carries a username, a token or an address:
// every label value comes from a fixed set in the code, so the series are bounded.
//
// The series of the endpoint table and of every result are created up front (they read 0
// before the first request), so alerts see them from the start. Observing is two map reads
// and two atomic adds: no allocation on the request path.
package metrics

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views"
)

// Namespace prefixes every metric name.
const Namespace = "simplejwt"

// DurationBuckets returns the buckets of token_request_duration_seconds (a new slice each call):
// from a refresh served from memory (a few ms) to a login with 1.5 million PBKDF2 iterations on
// a busy machine.
func DurationBuckets() []float64 { return []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10} }

// The label values of the sessions metrics that this module reports. Others may be passed;
// keep them to a fixed set.
const (
	// ReuseActionRevoked: a reused refresh token ended its session (the default policy).
	ReuseActionRevoked = views.ReuseRevoked
	// ReuseActionGrace: the reuse fell inside the grace period and was allowed.
	ReuseActionGrace = views.ReuseGrace
	// ReuseActionLogged: the reuse was detected and only logged.
	ReuseActionLogged = views.ReuseLogged

	// SessionEndedLogout: the user logged out (blacklist, DELETE on a session).
	SessionEndedLogout = "logout"
	// SessionEndedLogoutEverywhere: "log out everywhere".
	SessionEndedLogoutEverywhere = "logout_everywhere"
	// SessionEndedPasswordChanged: the password changed.
	SessionEndedPasswordChanged = "password_changed"
	// SessionEndedReuse: a reused refresh token ended it.
	SessionEndedReuse = "reuse"
	// SessionEndedAdmin: staff ended it.
	SessionEndedAdmin = "admin"
	// SessionEndedExpired: it expired (flushed).
	SessionEndedExpired = "expired"
)

// unauthorizedCodes are simplejwt's 401 codes, created up front; "none" is a 401 whose body
// has no code ("Authentication credentials were not provided.").
var unauthorizedCodes = []string{
	tokens.CodeTokenNotValid, tokens.CodeBadAuthorizationHeader, tokens.CodeUserNotFound,
	tokens.CodeUserInactive, tokens.CodePasswordChanged, codeNone,
}

const codeNone = "none"

// Metrics holds the collectors. It implements views.Observer (set it as ginjwt's
// Settings.Metrics) and has the sessions' reporting methods. Safe for concurrent use.
type Metrics struct {
	tokenRequests *prometheus.CounterVec
	tokenDuration *prometheus.HistogramVec
	authRequests  *prometheus.CounterVec
	unauthorized  *prometheus.CounterVec
	reuse         *prometheus.CounterVec
	sessionsEnded *prometheus.CounterVec
	feedLag       prometheus.Gauge

	// Resolved series, so that an observation does no label hashing nor allocation.
	endpoints map[views.EndpointName]*endpointSeries
	auth      map[views.Result]prometheus.Counter
	codes     map[string]prometheus.Counter
}

type endpointSeries struct {
	results  map[views.Result]prometheus.Counter
	duration prometheus.Observer
}

var (
	_ views.Observer        = (*Metrics)(nil)
	_ views.SessionObserver = (*Metrics)(nil)
)

// New creates the collectors and registers them on reg. reg is required: nothing is ever
// registered on prometheus.DefaultRegisterer behind the caller's back. Registering twice on
// one registry is an error (prometheus.AlreadyRegisteredError).
func New(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		return nil, errors.New("metrics: New: nil registry (pass prometheus.NewRegistry() or prometheus.DefaultRegisterer)")
	}
	m := &Metrics{
		tokenRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "token_requests_total",
			Help: "Requests to the token endpoints, by endpoint and result.",
		}, []string{"endpoint", "result"}),
		tokenDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "token_request_duration_seconds",
			Help:    "Time to answer a token endpoint request, by endpoint.",
			Buckets: DurationBuckets(),
		}, []string{"endpoint"}),
		authRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "auth_requests_total",
			Help: "Requests seen by the authentication middleware (Auth, AuthStateless), by result.",
		}, []string{"result"}),
		unauthorized: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "auth_unauthorized_total",
			Help: "401 answers of the authentication middleware, by simplejwt's code.",
		}, []string{"code"}),
		reuse: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "refresh_token_reuse_total",
			Help: "Rotated refresh tokens presented again, by the action taken.",
		}, []string{"action"}),
		sessionsEnded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "sessions_ended_total",
			Help: "Sessions ended, by reason.",
		}, []string{"reason"}),
		feedLag: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "revocation_feed_lag_seconds",
			Help: "Age of the newest revocation applied from the feed when it was applied.",
		}),
		endpoints: map[views.EndpointName]*endpointSeries{},
		auth:      map[views.Result]prometheus.Counter{},
		codes:     map[string]prometheus.Counter{},
	}
	for _, c := range []prometheus.Collector{m.tokenRequests, m.tokenDuration, m.authRequests, m.unauthorized, m.reuse, m.sessionsEnded, m.feedLag} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	for _, name := range views.AllEndpoints() {
		m.endpoints[name] = m.newEndpoint(name)
	}
	for _, r := range views.Results() {
		m.auth[r] = m.authRequests.WithLabelValues(string(r))
	}
	for _, code := range unauthorizedCodes {
		m.codes[code] = m.unauthorized.WithLabelValues(code)
	}
	for _, a := range []string{ReuseActionRevoked, ReuseActionGrace, ReuseActionLogged} {
		m.reuse.WithLabelValues(a)
	}
	for _, r := range []string{SessionEndedLogout, SessionEndedLogoutEverywhere, SessionEndedPasswordChanged, SessionEndedReuse, SessionEndedAdmin, SessionEndedExpired} {
		m.sessionsEnded.WithLabelValues(r)
	}
	return m, nil
}

func (m *Metrics) newEndpoint(name views.EndpointName) *endpointSeries {
	e := &endpointSeries{results: map[views.Result]prometheus.Counter{}, duration: m.tokenDuration.WithLabelValues(string(name))}
	for _, r := range views.Results() {
		if r == views.ResultAnonymous { // only Auth leaves a request anonymous
			continue
		}
		e.results[r] = m.tokenRequests.WithLabelValues(string(name), string(r))
	}
	return e
}

// ObserveEndpoint implements views.Observer.
func (m *Metrics) ObserveEndpoint(endpoint views.EndpointName, result views.Result, elapsed time.Duration) {
	e := m.endpoints[endpoint]
	if e == nil { // a view outside the table: its name is still a constant of the code
		m.tokenRequests.WithLabelValues(string(endpoint), string(result)).Inc()
		m.tokenDuration.WithLabelValues(string(endpoint)).Observe(elapsed.Seconds())
		return
	}
	c := e.results[result]
	if c == nil {
		c = m.tokenRequests.WithLabelValues(string(endpoint), string(result))
	}
	c.Inc()
	e.duration.Observe(elapsed.Seconds())
}

// ObserveAuth implements views.Observer.
func (m *Metrics) ObserveAuth(result views.Result, code string) {
	c := m.auth[result]
	if c == nil {
		c = m.authRequests.WithLabelValues(string(result))
	}
	c.Inc()
	switch result {
	case views.ResultTokenNotValid, views.ResultUnauthorized, views.ResultInvalidCredentials: // the 401s
	default:
		return
	}
	if code == "" {
		code = codeNone
	}
	u := m.codes[code]
	if u == nil {
		u = m.unauthorized.WithLabelValues(code)
	}
	u.Inc()
}

// RefreshTokenReuse counts a rotated refresh token presented again, by the action taken
// (ReuseActionRevoked, ReuseActionGrace, ReuseActionLogged).
func (m *Metrics) RefreshTokenReuse(action string) { m.reuse.WithLabelValues(action).Inc() }

// endReasons maps the reasons the sessions code records (models.End*, simplejwt_session's
// end_reason) to the reason labels: a logout through /blacklist/ and through DELETE
// /sessions/<id>/ are both "logout".
var endReasons = map[string]string{
	models.EndLogout:         SessionEndedLogout,
	models.EndBlacklist:      SessionEndedLogout,
	models.EndLogoutAll:      SessionEndedLogoutEverywhere,
	models.EndPasswordChange: SessionEndedPasswordChanged,
	models.EndReuse:          SessionEndedReuse,
}

// SessionEnded counts an ended session by reason: a models.End* reason (mapped to its label)
// or one of the SessionEnded* labels.
func (m *Metrics) SessionEnded(reason string) {
	if label, ok := endReasons[reason]; ok {
		reason = label
	}
	m.sessionsEnded.WithLabelValues(reason).Inc()
}

// RevocationFeedLag sets the age of the newest revocation the feed applied, measured when it
// was applied.
func (m *Metrics) RevocationFeedLag(lag time.Duration) { m.feedLag.Set(lag.Seconds()) }

package metrics_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/views"
)

func newMetrics(t testing.TB) (*metrics.Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m, reg
}

func TestNewRegistry(t *testing.T) {
	if _, err := metrics.New(nil); err == nil {
		t.Error("New(nil): no error; want one (never the global registry by default)")
	}
	reg := prometheus.NewRegistry()
	if _, err := metrics.New(reg); err != nil {
		t.Fatal(err)
	}
	_, err := metrics.New(reg)
	var already prometheus.AlreadyRegisteredError
	if !errors.As(err, &already) {
		t.Errorf("second New on one registry: %v; want AlreadyRegisteredError", err)
	}
}

// TestNames pins the metric names and their label names: dashboards and alerts use them.
func TestNames(t *testing.T) {
	m, reg := newMetrics(t)
	m.RevocationFeedLag(1500 * time.Millisecond)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"simplejwt_token_requests_total":           "endpoint,result",
		"simplejwt_token_request_duration_seconds": "endpoint",
		"simplejwt_auth_requests_total":            "result",
		"simplejwt_auth_unauthorized_total":        "code",
		"simplejwt_refresh_token_reuse_total":      "action",
		"simplejwt_sessions_ended_total":           "reason",
		"simplejwt_revocation_feed_lag_seconds":    "",
	}
	got := map[string]string{}
	for _, f := range families {
		var labels []string
		for _, l := range f.GetMetric()[0].GetLabel() {
			labels = append(labels, l.GetName())
		}
		got[f.GetName()] = strings.Join(labels, ",")
	}
	for name, labels := range want {
		if g, ok := got[name]; !ok || g != labels {
			t.Errorf("%s: labels %q (present %v); want %q", name, g, ok, labels)
		}
	}
	if len(got) != len(want) {
		t.Errorf("families %v; want exactly %v", got, want)
	}
}

func TestObserve(t *testing.T) {
	m, reg := newMetrics(t)
	m.ObserveEndpoint(views.TokenObtainPair, views.ResultOK, 30*time.Millisecond)
	m.ObserveEndpoint(views.TokenObtainPair, views.ResultInvalidCredentials, 40*time.Millisecond)
	m.ObserveEndpoint(views.TokenObtainPair, views.ResultInvalidCredentials, 50*time.Millisecond)
	m.ObserveEndpoint(views.TokenRefresh, views.ResultThrottled, time.Millisecond)
	m.ObserveAuth(views.ResultOK, "")
	m.ObserveAuth(views.ResultAnonymous, "")
	m.ObserveAuth(views.ResultTokenNotValid, "token_not_valid")
	m.ObserveAuth(views.ResultUnauthorized, "")
	m.ObserveAuth(views.ResultUnavailable, "")
	m.RefreshTokenReuse(metrics.ReuseActionRevoked)
	m.SessionEnded(metrics.SessionEndedLogoutEverywhere)
	m.RevocationFeedLag(250 * time.Millisecond)

	want := `
# HELP simplejwt_auth_unauthorized_total 401 answers of the authentication middleware, by simplejwt's code.
# TYPE simplejwt_auth_unauthorized_total counter
simplejwt_auth_unauthorized_total{code="bad_authorization_header"} 0
simplejwt_auth_unauthorized_total{code="none"} 1
simplejwt_auth_unauthorized_total{code="password_changed"} 0
simplejwt_auth_unauthorized_total{code="token_not_valid"} 1
simplejwt_auth_unauthorized_total{code="user_inactive"} 0
simplejwt_auth_unauthorized_total{code="user_not_found"} 0
# HELP simplejwt_revocation_feed_lag_seconds Age of the newest revocation applied from the feed when it was applied.
# TYPE simplejwt_revocation_feed_lag_seconds gauge
simplejwt_revocation_feed_lag_seconds 0.25
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "simplejwt_auth_unauthorized_total", "simplejwt_revocation_feed_lag_seconds"); err != nil {
		t.Error(err)
	}
	cases := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"simplejwt_token_requests_total", []string{"token_obtain_pair", "ok"}, 1},
		{"simplejwt_token_requests_total", []string{"token_obtain_pair", "invalid_credentials"}, 2},
		{"simplejwt_token_requests_total", []string{"token_refresh", "throttled"}, 1},
		{"simplejwt_token_requests_total", []string{"token_verify", "ok"}, 0},
		{"simplejwt_auth_requests_total", []string{"ok"}, 1},
		{"simplejwt_auth_requests_total", []string{"anonymous"}, 1},
		{"simplejwt_auth_requests_total", []string{"token_not_valid"}, 1},
		{"simplejwt_auth_requests_total", []string{"unavailable"}, 1},
		{"simplejwt_refresh_token_reuse_total", []string{"revoked"}, 1},
		{"simplejwt_sessions_ended_total", []string{"logout_everywhere"}, 1},
	}
	for _, c := range cases {
		if got := value(t, reg, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v; want %v", c.name, c.labels, got, c.want)
		}
	}
	if n := histogramCount(t, reg, "token_obtain_pair"); n != 3 {
		t.Errorf("duration count of token_obtain_pair = %d; want 3", n)
	}
}

// TestSeriesUpFront: every endpoint of the table and every result exists before the first
// request, so that rate() and absent() alerts work from the start.
func TestSeriesUpFront(t *testing.T) {
	_, reg := newMetrics(t)
	for _, e := range views.AllEndpoints() {
		for _, r := range views.Results() {
			if r == views.ResultAnonymous {
				continue
			}
			if got := value(t, reg, "simplejwt_token_requests_total", string(e), string(r)); got != 0 {
				t.Errorf("%s %s = %v", e, r, got)
			}
		}
	}
	got, err := testutil.GatherAndCount(reg, "simplejwt_token_requests_total")
	if want := len(views.AllEndpoints()) * (len(views.Results()) - 1); err != nil || got != want {
		t.Errorf("token_requests_total series: %d, %v; want %d", got, err, want)
	}
}

// TestObserveAllocs: the request path allocates nothing.
func TestObserveAllocs(t *testing.T) {
	m, _ := newMetrics(t)
	cases := map[string]func(){
		"endpoint":     func() { m.ObserveEndpoint(views.TokenRefresh, views.ResultTokenNotValid, time.Millisecond) },
		"auth ok":      func() { m.ObserveAuth(views.ResultOK, "") },
		"auth 401":     func() { m.ObserveAuth(views.ResultTokenNotValid, "token_not_valid") },
		"auth no code": func() { m.ObserveAuth(views.ResultUnauthorized, "") },
	}
	for name, f := range cases {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocs per call; want 0", name, n)
		}
	}
}

func BenchmarkObserveEndpoint(b *testing.B) {
	m, _ := newMetrics(b)
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveEndpoint(views.TokenObtainPair, views.ResultOK, 12*time.Millisecond)
	}
}

func BenchmarkObserveAuth(b *testing.B) {
	m, _ := newMetrics(b)
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveAuth(views.ResultOK, "")
	}
}

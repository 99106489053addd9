package ginjwt_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/models"
)

// gauge returns the value of the unlabelled gauge name.
func gauge(t testing.TB, g prometheus.Gatherer, name string) float64 {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no gauge %s", name)
	return 0
}

// TestSessionMetricsThroughEndpoints: reuse detections, ended sessions and the revocation feed's
// lag reach the metrics when Settings.Metrics is a metrics.Metrics, through the real endpoints
// on SQLite; every label value stays in its fixed set (no session id, user id or token).
func TestSessionMetricsThroughEndpoints(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	svc := newSessionService(t, "sqlite", func(s *ginjwt.Settings) {
		s.Metrics = m
		s.RefreshTokenReuseDetection, s.RefreshTokenReuseGracePeriod = true, 2*time.Second
	})
	const reuse, ended = "simplejwt_refresh_token_reuse_total", "simplejwt_sessions_ended_total"
	type want struct {
		family, label string
		delta         float64
	}
	cases := []struct {
		name string
		act  func(t *testing.T)
		want []want
	}{
		{"replay within the grace period", func(t *testing.T) {
			old := svc.login(t)
			_, _, next := svc.refresh(old["refresh"])
			svc.clock.Set(svc.clock.Now().Add(time.Second))
			if code, _, _ := svc.refresh(old["refresh"]); code != 401 {
				t.Fatalf("replay: %d", code)
			}
			if code, _, _ := svc.refresh(next["refresh"]); code != 200 {
				t.Fatalf("session ended within the grace period: %d", code)
			}
		}, []want{{reuse, metrics.ReuseActionGrace, 1}, {reuse, metrics.ReuseActionRevoked, 0}, {ended, metrics.SessionEndedReuse, 0}}},
		{"replay after the grace period", func(t *testing.T) {
			old := svc.login(t)
			svc.refresh(old["refresh"])
			svc.clock.Set(svc.clock.Now().Add(3 * time.Second))
			if code, _, _ := svc.refresh(old["refresh"]); code != 401 {
				t.Fatalf("replay: %d", code)
			}
		}, []want{{reuse, metrics.ReuseActionRevoked, 1}, {reuse, metrics.ReuseActionGrace, 0}, {ended, metrics.SessionEndedReuse, 1}}},
		{"logout through /blacklist/", func(t *testing.T) {
			pair := svc.login(t)
			if code, body, _ := svc.post("/api/token/blacklist/", `{"refresh":"`+pair["refresh"]+`"}`); code != 200 {
				t.Fatalf("logout: %d %s", code, body)
			}
			if code, _, _ := svc.refresh(pair["refresh"]); code != 401 {
				t.Fatalf("logged-out token refreshed: %d", code)
			}
		}, []want{{ended, metrics.SessionEndedLogout, 1}, {reuse, metrics.ReuseActionRevoked, 0}}},
		{"DELETE /sessions/<id>/", func(t *testing.T) {
			pair := svc.login(t)
			sid := claims(t, pair["refresh"])["sid"].(string)
			if w := svc.call(http.MethodDelete, "/api/token/sessions/"+sid+"/", pair["access"]); w.Code != 204 {
				t.Fatalf("end: %d %s", w.Code, w.Body)
			}
			if w := svc.call(http.MethodDelete, "/api/token/sessions/"+sid+"/", svc.login(t)["access"]); w.Code != 404 {
				t.Fatalf("end again: %d %s", w.Code, w.Body)
			}
		}, []want{{ended, metrics.SessionEndedLogout, 1}}},
		{"DELETE /sessions/ (log out everywhere)", func(t *testing.T) {
			svc.clock.Set(svc.clock.Now().Add(time.Second)) // a login after the last revocation's second
			svc.login(t)
			pair := svc.login(t) // with the grace case's and the previous case's second login: four
			if w := svc.call(http.MethodDelete, "/api/token/sessions/", pair["access"]); w.Code != 204 {
				t.Fatalf("log out everywhere: %d %s", w.Code, w.Body)
			}
		}, []want{{ended, metrics.SessionEndedLogoutEverywhere, 4}, {ended, metrics.SessionEndedLogout, 0}}},
		{"EndAllSessions with none live", func(t *testing.T) {
			if err := svc.j.EndAllSessions(context.Background(), "1"); err != nil {
				t.Fatal(err)
			}
		}, []want{{ended, metrics.SessionEndedLogoutEverywhere, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := make([]float64, len(c.want))
			for i, w := range c.want {
				before[i] = counter(t, reg, w.family, w.label)
			}
			c.act(t)
			for i, w := range c.want {
				if got := counter(t, reg, w.family, w.label); got != before[i]+w.delta {
					t.Errorf("%s{%s} = %v; want %v", w.family, w.label, got, before[i]+w.delta)
				}
			}
		})
	}

	t.Run("feed lag", func(t *testing.T) {
		// A second instance on the same database (and clock) reads the revocation 1.5 s after
		// it was written.
		reg2 := prometheus.NewRegistry()
		m2, err := metrics.New(reg2)
		if err != nil {
			t.Fatal(err)
		}
		s := svc.j.Settings()
		s.Metrics = m2
		other, err := ginjwt.New(svc.db, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.PollRevocations(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := gauge(t, reg2, "simplejwt_revocation_feed_lag_seconds"); got != 0 {
			t.Errorf("lag after loading = %v; want 0 (loading the live revocations is no feed)", got)
		}
		svc.clock.Set(svc.clock.Now().Add(time.Second))
		pair := svc.login(t)
		if w := svc.call(http.MethodDelete, "/api/token/sessions/", pair["access"]); w.Code != 204 {
			t.Fatalf("log out everywhere: %d %s", w.Code, w.Body)
		}
		svc.clock.Set(svc.clock.Now().Add(1500 * time.Millisecond))
		if err := other.PollRevocations(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := gauge(t, reg2, "simplejwt_revocation_feed_lag_seconds"); got != 1.5 {
			t.Errorf("lag = %v; want 1.5", got)
		}
		if got := gauge(t, reg, "simplejwt_revocation_feed_lag_seconds"); got != 0 {
			t.Errorf("the writing instance reported a lag without reading the feed: %v", got)
		}
	})

	// No label value outside the fixed sets: no session id, user id, username or token.
	allowed := map[string]bool{}
	for _, v := range []string{metrics.ReuseActionRevoked, metrics.ReuseActionGrace, metrics.ReuseActionLogged,
		metrics.SessionEndedLogout, metrics.SessionEndedLogoutEverywhere, metrics.SessionEndedPasswordChanged,
		metrics.SessionEndedReuse, metrics.SessionEndedAdmin, metrics.SessionEndedExpired} {
		allowed[v] = true
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != reuse && f.GetName() != ended {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if !allowed[l.GetValue()] {
					t.Errorf("%s has the label value %q, outside its fixed set", f.GetName(), l.GetValue())
				}
			}
		}
	}
}

// TestSessionMetricsPasswordChange: with CHECK_REVOKE_TOKEN on, the first request after a
// password change ends every session of the user, each counted as password_changed once.
func TestSessionMetricsPasswordChange(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	svc := newSessionService(t, "sqlite", func(s *ginjwt.Settings) {
		s.Metrics = m
		s.CheckRevokeToken = true
	})
	a, b := svc.login(t), svc.login(t)
	users, err := models.NewUserStore(svc.db, svc.j.Settings().User)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	alice, err := users.GetByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := users.SetPassword(ctx, alice.(models.UserModel), "a-new-Password-2"); err != nil {
		t.Fatal(err)
	}
	if code, body := svc.me(a["access"]); code != 401 || !strings.Contains(body, "password_changed") {
		t.Fatalf("after the password change: %d %s", code, body)
	}
	if code, _ := svc.me(b["access"]); code != 401 {
		t.Fatalf("the other session's token after the password change: %d", code)
	}
	if got := counter(t, reg, "simplejwt_sessions_ended_total", metrics.SessionEndedPasswordChanged); got != 2 {
		t.Errorf("sessions_ended_total{password_changed} = %v; want 2 (two sessions, each counted once)", got)
	}
}

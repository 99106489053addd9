package ginjwt_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/metrics"
	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// counter returns the value of the counter family name with label values labels (in the
// family's label order), 0 when the series does not exist.
func counter(t testing.TB, g prometheus.Gatherer, name string, labels ...string) float64 {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for i, l := range m.GetLabel() {
				if l.GetValue() != labels[i] {
					continue next
				}
			}
			if m.GetHistogram() != nil {
				return float64(m.GetHistogram().GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// TestMetricsThroughEndpoints sends each kind of request through the real endpoints and Auth and
// reads the result each one was counted under.
func TestMetricsThroughEndpoints(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	users := newLoginUsers()
	j := opsJWT(t, users, func(s *ginjwt.Settings) { s.Metrics = m })
	h := opsEngine(j)
	access := "Bearer " + mint(t, j, tokens.AccessToken, "1", nil)

	cases := []struct {
		name         string
		send         func() int
		status       int
		family       string
		labels       []string
		unauthorized string // the auth_unauthorized_total code counted, if any
	}{
		{"login", func() int { return postFrom(h, "/api/token/", `{"username":"alice","password":"secret"}`, "").Code },
			200, "simplejwt_token_requests_total", []string{"token_obtain_pair", "ok"}, ""},
		{"wrong password", func() int { return postFrom(h, "/api/token/", `{"username":"alice","password":"nope"}`, "").Code },
			401, "simplejwt_token_requests_total", []string{"token_obtain_pair", "invalid_credentials"}, ""},
		{"unknown user", func() int { return postFrom(h, "/api/token/", `{"username":"mallory","password":"nope"}`, "").Code },
			401, "simplejwt_token_requests_total", []string{"token_obtain_pair", "invalid_credentials"}, ""},
		{"missing field", func() int { return postFrom(h, "/api/token/", `{"username":"alice"}`, "").Code },
			400, "simplejwt_token_requests_total", []string{"token_obtain_pair", "bad_request"}, ""},
		{"malformed JSON", func() int { return postFrom(h, "/api/token/refresh/", `{`, "").Code },
			400, "simplejwt_token_requests_total", []string{"token_refresh", "bad_request"}, ""},
		{"bad refresh", func() int { return postFrom(h, "/api/token/refresh/", `{"refresh":"x.y.z"}`, "").Code },
			401, "simplejwt_token_requests_total", []string{"token_refresh", "token_not_valid"}, ""},
		{"verify", func() int {
			return postFrom(h, "/api/token/verify/", `{"token":"`+mint(t, j, tokens.AccessToken, "1", nil)+`"}`, "").Code
		}, 200, "simplejwt_token_requests_total", []string{"token_verify", "ok"}, ""},
		{"sliding", func() int {
			return postFrom(h, "/api/token/sliding/", `{"username":"alice","password":"secret"}`, "").Code
		}, 200, "simplejwt_token_requests_total", []string{"token_obtain_sliding", "ok"}, ""},
		{"auth ok", func() int { return do(h, "/me", access).Code },
			204, "simplejwt_auth_requests_total", []string{"ok"}, ""},
		{"auth anonymous", func() int { return do(h, "/me").Code },
			401, "simplejwt_auth_requests_total", []string{"anonymous"}, ""},
		{"auth bad token", func() int { return do(h, "/me", "Bearer x.y.z").Code },
			401, "simplejwt_auth_requests_total", []string{"token_not_valid"}, "token_not_valid"},
		{"auth bad header", func() int { return do(h, "/me", "Bearer a b").Code },
			401, "simplejwt_auth_requests_total", []string{"unauthorized"}, "bad_authorization_header"},
		{"auth inactive", func() int { return do(h, "/me", "Bearer "+mint(t, j, tokens.AccessToken, "2", nil)).Code },
			401, "simplejwt_auth_requests_total", []string{"unauthorized"}, "user_inactive"},
		{"auth database down", func() int {
			users.FailWith(errDown)
			defer users.FailWith(nil)
			return do(h, "/me", access).Code
		}, 503, "simplejwt_auth_requests_total", []string{"unavailable"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := counter(t, reg, c.family, c.labels...)
			var code float64
			if c.unauthorized != "" {
				code = counter(t, reg, "simplejwt_auth_unauthorized_total", c.unauthorized)
			}
			if got := c.send(); got != c.status {
				t.Fatalf("status %d; want %d", got, c.status)
			}
			if got := counter(t, reg, c.family, c.labels...); got != before+1 {
				t.Errorf("%s%v = %v; want %v", c.family, c.labels, got, before+1)
			}
			if c.unauthorized != "" {
				if got := counter(t, reg, "simplejwt_auth_unauthorized_total", c.unauthorized); got != code+1 {
					t.Errorf("auth_unauthorized_total{code=%q} = %v; want %v", c.unauthorized, got, code+1)
				}
			}
		})
	}
	// Every token-view request was timed once.
	var requests, timed float64
	for _, e := range []string{"token_obtain_pair", "token_refresh", "token_verify", "token_obtain_sliding"} {
		timed += counter(t, reg, "simplejwt_token_request_duration_seconds", e)
		for _, r := range []string{"ok", "invalid_credentials", "bad_request", "token_not_valid"} {
			requests += counter(t, reg, "simplejwt_token_requests_total", e, r)
		}
	}
	if requests != 8 || timed != 8 {
		t.Errorf("token requests counted %v, timed %v; want 8 and 8", requests, timed)
	}
	if n := counter(t, reg, "simplejwt_auth_requests_total", "ok"); n != 1 {
		t.Errorf("auth ok = %v; the token routes must not be counted by Auth (they take no authentication)", n)
	}
}

// panicky is a serializer whose hook panics.
type panicky struct{}

func (panicky) Fields(*serializers.Env) []serializers.Field { return nil }
func (panicky) Validate(context.Context, *serializers.Env, *http.Request, *pyjson.Object) (*pyjson.Object, error) {
	panic("hook bug")
}

// TestMetricsPanicIsCounted: a serializer that panics is the fixed 500, counted as "error".
func TestMetricsPanicIsCounted(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	j := opsJWT(t, newLoginUsers(), func(s *ginjwt.Settings) {
		s.Metrics = m
		s.Serializers[views.TokenVerify] = panicky{}
		s.Logger = slog.New(slog.DiscardHandler)
	})
	if w := postFrom(opsEngine(j), "/api/token/verify/", `{"token":"x"}`, ""); w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d; want 500", w.Code)
	}
	if got := counter(t, reg, "simplejwt_token_requests_total", "token_verify", "error"); got != 1 {
		t.Errorf("token_verify error = %v; want 1", got)
	}
}

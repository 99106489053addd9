package views_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// TestRenderOutcome: each kind of error, as the renderer sends it, and the Result and code the
// metrics get for it.
func TestRenderOutcome(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		want       views.Outcome
		body       string
		retryAfter string
	}{
		{"token error", &tokens.TokenError{Detail: "Token is invalid"},
			views.Outcome{Status: 401, Result: views.ResultTokenNotValid, Code: "token_not_valid"}, `{"detail":"Token is invalid","code":"token_not_valid"}`, ""},
		{"invalid token", tokens.InvalidToken("Given token not valid for any token type", nil),
			views.Outcome{Status: 401, Result: views.ResultTokenNotValid, Code: "token_not_valid"}, `{"detail":"Given token not valid for any token type","code":"token_not_valid"}`, ""},
		{"no active account", &tokens.AuthenticationFailed{Detail: tokens.MsgNoActiveAccount, Cause: serializers.ErrNoActiveAccount},
			views.Outcome{Status: 401, Result: views.ResultInvalidCredentials}, `{"detail":"No active account found with the given credentials"}`, ""},
		{"user inactive", &tokens.AuthenticationFailed{Detail: "User is inactive", Code: tokens.CodeUserInactive},
			views.Outcome{Status: 401, Result: views.ResultUnauthorized, Code: "user_inactive"}, `{"detail":"User is inactive","code":"user_inactive"}`, ""},
		{"not authenticated", views.ErrNotAuthenticated,
			views.Outcome{Status: 401, Result: views.ResultUnauthorized}, `{"detail":"Authentication credentials were not provided."}`, ""},
		{"forbidden", views.ErrPermissionDenied,
			views.Outcome{Status: 403, Result: views.ResultForbidden}, `{"detail":"You do not have permission to perform this action."}`, ""},
		{"validation", serializers.NewValidationError("password", "This field is required."),
			views.Outcome{Status: 400, Result: views.ResultBadRequest}, `{"password":["This field is required."]}`, ""},
		{"parse", views.ParseError("JSON parse error"),
			views.Outcome{Status: 400, Result: views.ResultBadRequest}, `{"detail":"JSON parse error"}`, ""},
		{"too large", &http.MaxBytesError{Limit: 10},
			views.Outcome{Status: 413, Result: views.ResultBadRequest}, `{"detail":"Request body too large."}`, ""},
		{"method", views.MethodNotAllowedError("GET"),
			views.Outcome{Status: 405, Result: views.ResultBadRequest}, `{"detail":"Method \"GET\" not allowed."}`, ""},
		{"throttled", &throttle.Throttled{Wait: 59*time.Second + time.Millisecond},
			views.Outcome{Status: 429, Result: views.ResultThrottled}, `{"detail":"Request was throttled. Expected available in 60 seconds."}`, "60"},
		{"throttled one second", &throttle.Throttled{Wait: time.Second},
			views.Outcome{Status: 429, Result: views.ResultThrottled}, `{"detail":"Request was throttled. Expected available in 1 second."}`, "1"},
		{"throttled, store down", &throttle.Throttled{Err: fmt.Errorf("%w: redis: connection refused", throttle.ErrUnavailable)},
			views.Outcome{Status: 429, Result: views.ResultThrottled}, `{"detail":"Request was throttled."}`, ""},
		{"database down", fmt.Errorf("%w: connection refused", models.ErrUnavailable),
			views.Outcome{Status: 503, Result: views.ResultUnavailable}, `{"detail":"Service temporarily unavailable."}`, "5"},
		{"deadline", context.DeadlineExceeded,
			views.Outcome{Status: 503, Result: views.ResultUnavailable}, `{"detail":"Service temporarily unavailable."}`, "5"},
		{"unexpected", errors.New("boom"),
			views.Outcome{Status: 500, Result: views.ResultError}, `{"detail":"A server error occurred."}`, ""},
	}
	rd := &views.Renderer{Logger: slog.New(slog.DiscardHandler)}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			ctx, _ := gin.CreateTestContext(w)
			ctx.Request = httptest.NewRequest(http.MethodPost, "/api/token/", nil)
			got := rd.Render(ctx, c.err)
			if got != c.want {
				t.Errorf("Render = %+v; want %+v", got, c.want)
			}
			if w.Code != c.want.Status || w.Body.String() != c.body {
				t.Errorf("sent %d %s; want %d %s", w.Code, w.Body, c.want.Status, c.body)
			}
			if ra := w.Header().Get("Retry-After"); ra != c.retryAfter {
				t.Errorf("Retry-After %q; want %q", ra, c.retryAfter)
			}
			if !ctx.IsAborted() {
				t.Error("the chain was not aborted")
			}
		})
	}
}

// countingObserver records the views' observations.
type countingObserver struct {
	endpoints []string
}

func (o *countingObserver) ObserveEndpoint(e views.EndpointName, r views.Result, d time.Duration) {
	if d < 0 {
		r = "negative duration"
	}
	o.endpoints = append(o.endpoints, string(e)+" "+string(r))
}
func (o *countingObserver) ObserveAuth(views.Result, string) {}

// TestObserverOncePerRequest: each token-view request is observed once, with its endpoint and
// result; OPTIONS and 405s are not token-view answers and are not observed.
func TestObserverOncePerRequest(t *testing.T) {
	obs := &countingObserver{}
	h := newHarness(t)
	r := gin.New()
	views.Register(r.Group("/api/token"), views.Routes(h.env, views.RouteOptions{Observer: obs})...)
	for _, q := range []struct{ method, path, body string }{
		{"POST", "/api/token/", `{"username":"nobody","password":"x"}`},
		{"POST", "/api/token/", `{"username":"alice","password":"alice-password-1"}`},
		{"POST", "/api/token/verify/", `{"token":"x"}`},
		{"POST", "/api/token/refresh/", `{`},
		{"OPTIONS", "/api/token/", ""},
		{"GET", "/api/token/", ""},
	} {
		req := httptest.NewRequest(q.method, q.path, strings.NewReader(q.body))
		req.Header.Set("Content-Type", "application/json")
		r.ServeHTTP(httptest.NewRecorder(), req)
	}
	want := []string{"token_obtain_pair invalid_credentials", "token_obtain_pair ok", "token_verify token_not_valid", "token_refresh bad_request"}
	if fmt.Sprint(obs.endpoints) != fmt.Sprint(want) {
		t.Errorf("observed %q; want %q", obs.endpoints, want)
	}
}

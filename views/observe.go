package views

import (
	"net/http"
	"time"
)

// This file is the metrics hook: what the views and ginjwt's Auth report about each request,
// in a bounded vocabulary (no username, token or address ever reaches an Observer). The
// Prometheus collectors behind it are package ginjwt/metrics; the hook is an interface so that
// the views do not import Prometheus and cost nothing without it.

// Result is how a request ended, as a metrics label: one of the Result constants, derived from
// the rendered error by Renderer.Render (the one place that maps errors to HTTP).
type Result string

// The results. A new error type of the renderer gets one of these, never a free-form text.
const (
	// ResultOK: a 2xx answer (a view's body, or Auth found a valid token).
	ResultOK Result = "ok"
	// ResultAnonymous: Auth found no credentials; the request goes on anonymous.
	ResultAnonymous Result = "anonymous"
	// ResultInvalidCredentials: a login or refresh refused with "No active account found …"
	// (unknown user, wrong password, inactive user).
	ResultInvalidCredentials Result = "invalid_credentials"
	// ResultTokenNotValid: 401 with code token_not_valid (expired, bad signature,
	// blacklisted, wrong type, …).
	ResultTokenNotValid Result = "token_not_valid"
	// ResultUnauthorized: any other 401 (bad Authorization header, user not found, user
	// inactive, password changed, credentials not provided).
	ResultUnauthorized Result = "unauthorized"
	// ResultForbidden: 403.
	ResultForbidden Result = "forbidden"
	// ResultThrottled: 429 from a throttle (DRF's Throttled), the failed-login counters
	// included.
	ResultThrottled Result = "throttled"
	// ResultBadRequest: the request itself was refused: 400 (field errors, parse errors),
	// 405, 413, 415.
	ResultBadRequest Result = "bad_request"
	// ResultUnavailable: 503, the database (or the request's deadline) failed.
	ResultUnavailable Result = "unavailable"
	// ResultError: 500, or a panic.
	ResultError Result = "error"
)

// Results lists every Result, so that collectors can create their series up front.
func Results() []Result {
	return []Result{ResultOK, ResultAnonymous, ResultInvalidCredentials, ResultTokenNotValid, ResultUnauthorized,
		ResultForbidden, ResultThrottled, ResultBadRequest, ResultUnavailable, ResultError}
}

// resultOfStatus is the Result of an error rendered with status and no more specific kind.
func resultOfStatus(status int) Result {
	switch {
	case status < 300:
		return ResultOK
	case status == http.StatusUnauthorized:
		return ResultUnauthorized
	case status == http.StatusForbidden:
		return ResultForbidden
	case status == http.StatusTooManyRequests:
		return ResultThrottled
	case status == http.StatusServiceUnavailable:
		return ResultUnavailable
	case status >= 500:
		return ResultError
	default:
		return ResultBadRequest
	}
}

// Outcome is what Renderer.Render sent: the status, the Result, and for a 401 the "code" of
// its body ("" when the body has none, as "No active account …" and "Authentication
// credentials were not provided.").
type Outcome struct {
	Status int
	Result Result
	Code   string
}

// Observer receives one call per request from the token views (ObserveEndpoint: the endpoint,
// how it ended, how long it took, from the first byte of the handler to the response) and one
// per authenticated request from ginjwt's Auth and AuthStateless (ObserveAuth: ResultOK,
// ResultAnonymous, or the rendered error's Result and 401 code). Implementations must be safe
// for concurrent use and should not allocate: they run on every request. The arguments come
// from fixed sets (the endpoint table, Results, simplejwt's codes), never from the client.
// metrics.New returns the Prometheus implementation.
type Observer interface {
	ObserveEndpoint(endpoint EndpointName, result Result, elapsed time.Duration)
	ObserveAuth(result Result, code string)
}

// The actions taken on a rotated refresh token presented again (SessionObserver's
// RefreshTokenReuse).
const (
	// ReuseRevoked: the replay ended its session.
	ReuseRevoked = "revoked"
	// ReuseGrace: the replay fell inside REFRESH_TOKEN_REUSE_GRACE_PERIOD; the session lives.
	ReuseGrace = "grace"
	// ReuseLogged: the replay was only logged.
	ReuseLogged = "logged"
)

// SessionObserver is the sessions' part of the metrics, implemented by metrics.Metrics: ginjwt
// finds it on Settings.Metrics with one type assertion in New
// (obs, ok := settings.Metrics.(views.SessionObserver)). Argument values come from fixed sets
// in the code (the Reuse* constants, models' End* reasons), never from a request.
type SessionObserver interface {
	// RefreshTokenReuse counts a rotated refresh token presented again, by the action taken
	// (ReuseRevoked, ReuseGrace, ReuseLogged).
	RefreshTokenReuse(action string)
	// SessionEnded counts one ended session by why it ended: a models.End* reason
	// (models.EndLogout, models.EndReuse, …).
	SessionEnded(reason string)
	// RevocationFeedLag reports the age of the newest revocation the feed applied.
	RevocationFeedLag(lag time.Duration)
}

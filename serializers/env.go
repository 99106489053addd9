package serializers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// Env is what simplejwt's serializers reach through Django's globals: the token manager (with
// the SIMPLE_JWT settings, the backend, the clock and the token_blacklist store), the user model
// and the user-related settings. ginjwt builds one per instance; serializers receive it on each
// call, so one serializer value serves any number of configurations. An Env must not be changed
// once in use; it is then safe for concurrent use.
type Env struct {
	// Tokens mints and checks tokens; Tokens.Settings() are the SIMPLE_JWT settings in force.
	Tokens *tokens.Manager
	// Users is get_user_model() with Django's ModelBackend. Required by the obtain and refresh
	// serializers.
	Users models.UserStore
	// UsernameField is the user model's USERNAME_FIELD: the name (and label) of the login
	// field. Default "username".
	UsernameField string
	// Rule is USER_AUTHENTICATION_RULE, called with the authenticated user (nil when
	// authentication failed). nil means simplejwt's default_user_authentication_rule:
	// u != nil && (!CHECK_USER_IS_ACTIVE || u.GetIsActive()).
	Rule func(u models.AuthUser) bool
	// OnLoginSuccess is ON_LOGIN_SUCCESS, run by the obtain serializers after minting the
	// tokens, and only when UPDATE_LAST_LOGIN is on. nil means simplejwt's default, Django's
	// update_last_login: Users.UpdateLastLogin(ctx, u, now). An error fails the request.
	OnLoginSuccess func(ctx context.Context, u models.AuthUser, r *http.Request) error
	// OnLoginFailed is ON_LOGIN_FAILED, run when a login is refused (not on field errors nor on
	// a database failure). credentials are the submitted username and password with every
	// sensitive value (the password) masked as Django's _clean_credentials does. nil does
	// nothing, as simplejwt's default.
	OnLoginFailed func(ctx context.Context, credentials map[string]string, r *http.Request)
	// Logger receives what the serializers log; slog.Default() when nil.
	Logger *slog.Logger
	// Sessions is the sessions feature (ginjwt's Settings.Sessions); nil when it is off, and
	// then no serializer does anything more than simplejwt's.
	Sessions Sessions
	// DatabaseTimeout is the database budget of one request (models.WithBudget): the views give
	// it to the serializer's context. Zero: no budget (each store call keeps its own deadline).
	DatabaseTimeout time.Duration
}

// ErrEnv is wrapped by the errors of Env.Validate and by a serializer given an unusable Env.
var ErrEnv = errors.New("serializers: invalid Env")

// Validate reports a missing dependency: Tokens always, Users for the serializers that need it
// (obtain and refresh), which ginjwt always wires.
func (e *Env) Validate() error {
	switch {
	case e == nil:
		return errors.Join(ErrEnv, errors.New("Env is nil"))
	case e.Tokens == nil:
		return errors.Join(ErrEnv, errors.New("Env.Tokens is nil"))
	case e.Users == nil:
		return errors.Join(ErrEnv, errors.New("Env.Users is nil"))
	}
	return nil
}

func (e *Env) needTokens() error {
	if e == nil || e.Tokens == nil {
		return errors.Join(ErrEnv, errors.New("Env.Tokens is nil"))
	}
	return nil
}

func (e *Env) needUsers() error {
	if err := e.needTokens(); err != nil {
		return err
	}
	if e.Users == nil {
		return errors.Join(ErrEnv, errors.New("Env.Users is nil"))
	}
	return nil
}

// Settings returns the SIMPLE_JWT settings in force.
func (e *Env) Settings() *tokens.Settings { return e.Tokens.Settings() }

// Username returns USERNAME_FIELD.
func (e *Env) Username() string {
	if e.UsernameField == "" {
		return "username"
	}
	return e.UsernameField
}

// Authenticates applies USER_AUTHENTICATION_RULE to u.
func (e *Env) Authenticates(u models.AuthUser) bool {
	if e.Rule != nil {
		return e.Rule(u)
	}
	return defaultRule(!e.Settings().AllowInactiveUsers, u)
}

// DefaultUserAuthenticationRule is simplejwt's default_user_authentication_rule under the
// settings s, the one definition of it: a user may get and refresh tokens when there is one
// (authentication succeeded) and, with CHECK_USER_IS_ACTIVE, when it is active. It is the rule
// of an Env without Rule and of ginjwt without USER_AUTHENTICATION_RULE.
func DefaultUserAuthenticationRule(s *tokens.Settings) func(models.AuthUser) bool {
	checkIsActive := !s.AllowInactiveUsers
	return func(u models.AuthUser) bool { return defaultRule(checkIsActive, u) }
}

func defaultRule(checkIsActive bool, u models.AuthUser) bool {
	return !isNilUser(u) && (!checkIsActive || u.GetIsActive())
}

func (e *Env) loginSucceeded(ctx context.Context, u models.AuthUser, r *http.Request) error {
	if !e.Settings().UpdateLastLogin {
		return nil
	}
	if e.OnLoginSuccess != nil {
		return e.OnLoginSuccess(ctx, u, r)
	}
	return e.Users.UpdateLastLogin(ctx, u, e.Tokens.Now())
}

func (e *Env) loginFailed(ctx context.Context, credentials map[string]string, r *http.Request) {
	if e.OnLoginFailed != nil {
		e.OnLoginFailed(ctx, cleanCredentials(credentials), r)
	}
}

// sensitiveCredentials is Django's SENSITIVE_CREDENTIALS.
var sensitiveCredentials = regexp.MustCompile(`(?i)api|token|key|secret|password|signature`)

// cleansedSubstitute is what Django's _clean_credentials puts in place of a sensitive value.
const cleansedSubstitute = "********************"

// cleanCredentials is Django's django.contrib.auth._clean_credentials: it returns a copy of
// credentials in which every value whose key matches api|token|key|secret|password|signature
// (case-insensitively, anywhere in the key) is replaced by cleansedSubstitute.
func cleanCredentials(credentials map[string]string) map[string]string {
	out := make(map[string]string, len(credentials))
	for k, v := range credentials {
		if sensitiveCredentials.MatchString(k) {
			v = cleansedSubstitute
		}
		out[k] = v
	}
	return out
}

// Sessions is what the serializers ask of the sessions feature; ginjwt implements it. Every
// method gets tokens whose signature has been verified.
type Sessions interface {
	// Start begins the session of a login by userID and returns its id, which the refresh
	// token (and the access tokens made from it) carry as tokens.SessionClaim.
	Start(ctx context.Context, r *http.Request, userID string) (string, error)
	// Check refuses (a *tokens.TokenError "Token is blacklisted") a refresh token whose session,
	// or whose user's tokens, have been revoked.
	Check(t *tokens.Token) error
	// Refreshed records that the token's session was used (last_used_at).
	Refreshed(ctx context.Context, t *tokens.Token) error
	// Replayed is told that raw, a refresh token, was refused as blacklisted by /refresh/ (or
	// lost a concurrent rotation): reuse detection. It verifies raw itself.
	Replayed(ctx context.Context, raw string)
	// LoggedOut is told that /blacklist/ blacklisted t: its session ends.
	LoggedOut(ctx context.Context, t *tokens.Token) error
}

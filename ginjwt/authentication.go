package ginjwt

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views"
)

// This file is simplejwt's authentication.py: JWTAuthentication, JWTStatelessUserAuthentication
// and the default user authentication rule, as gin middleware.

// The simplejwt messages of authentication.py (defined in tokens/messages.go).
const (
	msgBadHeader      = tokens.MsgBadAuthorizationHeader
	msgNoValidType    = tokens.MsgNoValidTokenType
	msgNoUserID       = tokens.MsgNoUserID
	msgUserNotFound   = tokens.MsgUserNotFound
	msgUserInactive   = tokens.MsgUserInactive
	msgPasswordChange = tokens.MsgPasswordChanged
)

// errBadHeader is returned by RawToken for a header of the right scheme but not two values.
var errBadHeader = &tokens.AuthenticationFailed{Detail: msgBadHeader, Code: tokens.CodeBadAuthorizationHeader}

// Auth returns DRF's authentication step with JWTAuthentication, as middleware: a request
// without credentials of ours goes on anonymous; a valid token puts its user (loaded from the
// UserStore) and the validated token on the request; anything else is answered 401 with
// simplejwt's body and WWW-Authenticate. Pair it with IsAuthenticated.
//
// Like DRF's authentication_classes, the authentication of a route is the one nearest to its
// handler: with router.Use(j.Auth()), a route that adds AuthStateless is authenticated by
// AuthStateless alone (the database is never touched there), and a route marked
// views.NoAuthentication is not authenticated at all; RegisterRoutes marks the token routes so,
// as simplejwt's views have no authentication, so an expired header never blocks a refresh. Each
// middleware value decides once per route (method and path pattern) and remembers it without a
// lock; routes gin did not match (404, 405) are authenticated. Since a value remembers routes by
// method and path, give each engine its own value (call Auth once per engine) when two engines
// have the same path with different middleware.
//
// On an instance without a user store (New(nil, s), a stateless verifier) Auth is AuthStateless.
func (j *JWT) Auth() gin.HandlerFunc {
	if j.users == nil {
		return j.AuthStateless()
	}
	names := authMarkers()
	return (&authMiddleware{j: j, names: names, self: names.user}).serveUser
}

// AuthStateless is JWTStatelessUserAuthentication: the user is a models.TokenUser built from the
// claims, and the database is never touched (no user, active or revoke check). It takes a
// route's authentication over from an Auth further up the chain (see Auth).
func (j *JWT) AuthStateless() gin.HandlerFunc {
	names := authMarkers()
	return (&authMiddleware{j: j, stateless: true, names: names, self: names.stateless}).serveStateless
}

// authMiddleware is the value behind Auth and AuthStateless; its two methods have the names
// by which the per-route choice (perview.go) recognises them in a route's chain.
type authMiddleware struct {
	j         *JWT
	stateless bool
	names     markers
	self      string
	routes    routeChoices
}

func (m *authMiddleware) serveUser(c *gin.Context)      { m.serve(c) }
func (m *authMiddleware) serveStateless(c *gin.Context) { m.serve(c) }

func (m *authMiddleware) serve(c *gin.Context) {
	if !m.routes.authenticates(c, m.names, m.self) {
		return
	}
	user, tok, err := m.j.AuthenticateRequest(c.Request, m.stateless)
	obs := m.j.settings.Metrics
	if err != nil {
		out := m.j.renderer.Render(c, err)
		if obs != nil {
			obs.ObserveAuth(out.Result, out.Code)
		}
		return
	}
	if user != nil {
		setAuth(c, user, tok)
	}
	if obs != nil {
		if user != nil {
			obs.ObserveAuth(views.ResultOK, "")
		} else {
			obs.ObserveAuth(views.ResultAnonymous, "")
		}
	}
}

// AuthenticateRequest is JWTAuthentication.authenticate for any *http.Request: (nil, nil, nil)
// when no TokenSource finds a token in the request, the user and the validated token when it
// carries good ones, an error (*tokens.AuthenticationFailed, or a store error) otherwise. A
// stateless verifier (see New) always authenticates statelessly.
func (j *JWT) AuthenticateRequest(r *http.Request, stateless bool) (models.AuthUser, *tokens.Token, error) {
	raw, err := j.rawToken(r)
	if raw == "" || err != nil {
		return nil, nil, err
	}
	ctx := r.Context()
	stateless = stateless || j.users == nil // a stateless verifier has no users
	if !stateless {
		// The blacklist check of a sliding token and the user lookup share one deadline.
		ctx = models.WithBudget(ctx, j.settings.DatabaseTimeout)
	}
	tok, err := j.ValidatedToken(ctx, raw)
	if err != nil {
		return nil, nil, err
	}
	var user models.AuthUser
	if stateless {
		user, err = j.tokenUser(tok)
	} else {
		user, err = j.User(ctx, tok)
	}
	if err != nil {
		return nil, nil, err
	}
	return user, tok, nil
}

// ValidatedToken is get_validated_token: each AUTH_TOKEN_CLASS is tried in order; when all fail,
// the 401 lists one message per class. A store failure (the blacklist check of sliding tokens)
// is returned as it is, so it answers 503 rather than 401.
func (j *JWT) ValidatedToken(ctx context.Context, raw string) (*tokens.Token, error) {
	classes := j.settings.AuthTokenClasses
	var messages []tokens.Message
	var last error
	for _, cls := range classes {
		tok, err := j.tokens.Parse(ctx, cls, raw)
		if err == nil && j.sessions != nil && j.sessions.revoked(tok) {
			// Its session ended, or its user logged out everywhere: refused as a blacklisted
			// token is, with no query.
			err = tokens.NewTokenError(tokens.ErrBlacklisted, errors.New("session revoked"))
		}
		if err == nil {
			return tok, nil
		}
		var te *tokens.TokenError
		if !errors.As(err, &te) {
			return nil, err
		}
		if messages == nil {
			messages = make([]tokens.Message, 0, len(classes))
		}
		messages = append(messages, tokens.Message{TokenClass: cls.String(), TokenType: cls.Type(), Message: te.Detail})
		last = err
	}
	return nil, tokens.InvalidToken(msgNoValidType, last, messages...)
}

// User is JWTAuthentication.get_user: the user named by the token, refused when missing,
// inactive (CHECK_USER_IS_ACTIVE) or, with CHECK_REVOKE_TOKEN, whose password has changed. On
// a stateless verifier (see New) it returns ErrNoUserStore.
//
// When the user store is a models.AuthLookup (the GORM store with the built-in models.User), the
// user is read with GetByIDForAuth: it carries only its id, username and is_active (and, with
// CHECK_REVOKE_TOKEN, its password hash); load the full row with Users().GetByID when a handler
// needs more. It is read on every request, unless Settings.UserCacheFeed turns on the user
// cache, whose invalidation is as immediate as a session revocation (see FollowUsers).
func (j *JWT) User(ctx context.Context, tok *tokens.Token) (models.AuthUser, error) {
	if j.users == nil {
		return nil, ErrNoUserStore
	}
	id, ok := tok.UserID()
	if !ok {
		return nil, tokens.InvalidToken(msgNoUserID, nil)
	}
	var user models.AuthUser
	var err error
	if j.userCache != nil {
		// The same narrow lookup, served from memory while FollowUsers hears every change of
		// the user table (Settings.UserCacheFeed).
		user, err = j.userCache.cache.GetByIDForAuth(ctx, id, j.settings.CheckRevokeToken)
	} else if narrow, ok := j.users.(models.AuthLookup); ok {
		// Only the columns the checks below read (the password hash only for
		// CHECK_REVOKE_TOKEN), one prepared statement: see models.AuthLookup.
		user, err = narrow.GetByIDForAuth(ctx, id, j.settings.CheckRevokeToken)
	} else {
		user, err = j.users.GetByID(ctx, id)
	}
	if errors.Is(err, models.ErrUserNotFound) {
		return nil, &tokens.AuthenticationFailed{Detail: msgUserNotFound, Code: tokens.CodeUserNotFound}
	}
	if err != nil {
		return nil, err
	}
	if !j.settings.AllowInactiveUsers && !user.GetIsActive() {
		return nil, &tokens.AuthenticationFailed{Detail: msgUserInactive, Code: tokens.CodeUserInactive}
	}
	if j.tokens.PasswordChanged(tok, user.GetPassword()) {
		if j.sessions != nil {
			// The password changed: end every session of the user on every instance (once:
			// the revocation refuses the older tokens before they reach this check).
			if err := j.sessions.endAll(ctx, id, models.EndPasswordChange); err != nil {
				return nil, err
			}
		}
		return nil, &tokens.AuthenticationFailed{Detail: msgPasswordChange, Code: tokens.CodePasswordChanged}
	}
	return user, nil
}

// tokenUser is JWTStatelessUserAuthentication.get_user.
func (j *JWT) tokenUser(tok *tokens.Token) (models.AuthUser, error) {
	id, ok := tok.UserID()
	if !ok {
		return nil, tokens.InvalidToken(msgNoUserID, nil)
	}
	if j.settings.TokenUserClass != nil {
		return j.settings.TokenUserClass(tok), nil
	}
	return models.NewTokenUser(tok, id), nil
}

// IsAuthenticated is DRF's IsAuthenticated permission: a request that Auth left anonymous is
// answered 401 {"detail":"Authentication credentials were not provided."} with WWW-Authenticate.
func (j *JWT) IsAuthenticated() gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, ok := UserFrom(c); !ok {
			j.renderError(c, views.ErrNotAuthenticated)
			c.Abort()
			return
		}
		c.Next()
	}
}

func (j *JWT) renderError(c *gin.Context, err error) {
	j.renderer.Error(c, err)
}

package ginjwt

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// authKey is the private key under which the authenticated user and token are stored, both in
// gin's Keys and in the request's context.Context; no other package can collide with it.
type authKey struct{}

type authInfo struct {
	user  models.AuthUser
	token *tokens.Token
}

func setAuth(c *gin.Context, user models.AuthUser, tok *tokens.Token) {
	info := &authInfo{user: user, token: tok}
	c.Set(authKey{}, info)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), authKey{}, info))
}

func infoFrom(c *gin.Context) *authInfo {
	if c == nil {
		return nil
	}
	if v, ok := c.Get(authKey{}); ok {
		info, _ := v.(*authInfo)
		return info
	}
	if c.Request != nil {
		return infoFromContext(c.Request.Context())
	}
	return nil
}

func infoFromContext(ctx context.Context) *authInfo {
	if ctx == nil {
		return nil
	}
	info, _ := ctx.Value(authKey{}).(*authInfo)
	return info
}

// UserFrom returns the user Auth or AuthStateless authenticated: a *models.User (or your own
// model) for Auth, a models.TokenUser for AuthStateless. ok is false for anonymous requests.
// Behind Auth with the GORM store and the built-in models.User, only the fields Auth checks are
// loaded: ID, Username, IsActive and, with CHECK_REVOKE_TOKEN, Password (see JWT.User); call
// Users().GetByID for the whole row.
func UserFrom(c *gin.Context) (models.AuthUser, bool) {
	if info := infoFrom(c); info != nil {
		return info.user, true
	}
	return nil, false
}

// UserAs returns the authenticated user as a T, typed: UserAs[*models.User](c) behind Auth with
// the GORM store, UserAs[models.TokenUser](c) behind AuthStateless, or your own user type. ok is
// false when the request is anonymous or the user is not a T (a TokenUser on a stateless route
// asked for as a *models.User): it never panics, where u.(*models.User) would.
func UserAs[T any](c *gin.Context) (T, bool) {
	return userAs[T](infoFrom(c))
}

// UserAsFromContext is UserAs for code that only has the request's context.Context.
func UserAsFromContext[T any](ctx context.Context) (T, bool) {
	return userAs[T](infoFromContext(ctx))
}

func userAs[T any](info *authInfo) (T, bool) {
	if info == nil {
		var zero T
		return zero, false
	}
	u, ok := info.user.(T)
	return u, ok
}

// TokenFrom returns the validated token of the request (DRF's request.auth).
func TokenFrom(c *gin.Context) (*tokens.Token, bool) {
	if info := infoFrom(c); info != nil {
		return info.token, true
	}
	return nil, false
}

// UserFromContext is UserFrom for code that only has the request's context.Context.
func UserFromContext(ctx context.Context) (models.AuthUser, bool) {
	if info := infoFromContext(ctx); info != nil {
		return info.user, true
	}
	return nil, false
}

// TokenFromContext is TokenFrom for code that only has the request's context.Context.
func TokenFromContext(ctx context.Context) (*tokens.Token, bool) {
	if info := infoFromContext(ctx); info != nil {
		return info.token, true
	}
	return nil, false
}

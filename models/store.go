// Package models is the persistence that simplejwt gets from Django: the auth_user table (Django's
// django.contrib.auth), the token_blacklist app's two tables, and the small interfaces through
// which the token machinery, the serializers and the middleware reach them. Django's password
// hashers are its leaf package models/hashers. Of the rest of this module it imports only
// ginjwt/tokens, the pure token package (no gin, no gorm), for the TokenStore interface that
// package declares.
//
// The interfaces are small on purpose: a service with its own user table implements UserStore
// (or plugs its GORM model into GormUserStore), and everything above works unchanged.
package models

import (
	"context"
	"errors"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// Errors returned by stores. They are matched with errors.Is.
var (
	// ErrUserNotFound: no user has the given USER_ID_FIELD value (simplejwt's "User not found").
	ErrUserNotFound = errors.New("models: user not found")
	// ErrInvalidCredentials: unknown username, wrong or unusable password, or a user the backend
	// refuses (inactive, as Django's ModelBackend). Callers cannot tell which, by design.
	ErrInvalidCredentials = errors.New("models: invalid credentials")
	// ErrUnavailable wraps every database failure that is not a plain "no row": connection
	// refused, pool closed, timeouts, locks. The views answer 503 for it.
	ErrUnavailable = errors.New("models: database unavailable")
	// ErrPasswordTooLong: the password exceeds hashers.MaxPasswordLength; a validation error,
	// not a 500. It is hashers.ErrPasswordTooLong, which the hashers return.
	ErrPasswordTooLong = hashers.ErrPasswordTooLong
)

// AuthUser is what the token machinery needs from a user, whatever its table: the Go counterpart
// of the parts of Django's AbstractBaseUser that simplejwt reads. *User and TokenUser implement it.
type AuthUser interface {
	// GetIsActive reports Django's is_active.
	GetIsActive() bool
	// GetPassword returns the encoded password hash ("" when there is none, as for TokenUser).
	GetPassword() string
}

// UserStore is how simplejwt's views and JWTAuthentication reach users: Django's
// get_user_model() plus the ModelBackend.
type UserStore interface {
	// GetByID returns the user whose USER_ID_FIELD equals id (the user_id claim as text; "1"
	// and the JSON number 1 both arrive as "1"). ErrUserNotFound when there is none,
	// including when id cannot be a value of that field (e.g. "abc" for an integer key).
	GetByID(ctx context.Context, id string) (AuthUser, error)
	// Authenticate is Django's authenticate(username=..., password=...): it finds the user by
	// USERNAME_FIELD (exact match), checks the password and refuses what ModelBackend refuses.
	// Every failure is ErrInvalidCredentials (or ErrUnavailable), after the hasher ran once.
	// The returned user's GetPassword is the hash stored when it returns (after a re-hash, its
	// own or a concurrent login's): CHECK_REVOKE_TOKEN's claim is signed against it.
	Authenticate(ctx context.Context, username, password string) (AuthUser, error)
	// UserID returns u's USER_ID_FIELD value as text: the user_id claim (a string since 5.5.1).
	UserID(u AuthUser) string
	// UpdateLastLogin sets last_login (Django's update_last_login).
	UpdateLastLogin(ctx context.Context, u AuthUser, at time.Time) error
}

// TokenStore and TokenRecord are declared in the token package, which is pure (no gorm), so
// that it can describe what it needs without importing this one. They are repeated here
// under their Django names for the implementations in this package.
type (
	TokenStore  = tokens.TokenStore
	TokenRecord = tokens.TokenRecord
)

// ExpiredTokenFlusher is a TokenStore that can run simplejwt's flushexpiredtokens: delete the
// records of tokens that expired more than leeway before now (see FlushExpiredTokens).
// GormTokenStore implements it (and modelstest.Tokens); (*ginjwt.JWT).FlushExpiredTokens calls it
// with the instance's clock and LEEWAY.
type ExpiredTokenFlusher interface {
	FlushExpired(ctx context.Context, now time.Time, leeway time.Duration) (int64, error)
}

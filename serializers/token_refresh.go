package serializers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// TokenRefresh is simplejwt's TokenRefreshSerializer, the default TOKEN_REFRESH_SERIALIZER:
// {"refresh": …} in, {"access": …} out, or {"access": …, "refresh": …} with
// ROTATE_REFRESH_TOKENS. It follows simplejwt's newest code (HEAD, the future 6.0):
//
//  1. the refresh token is decoded and verified (with the token_blacklist store: not
//     blacklisted);
//  2. when the token names a user, the user must exist and pass USER_AUTHENTICATION_RULE
//     (401 "No active account found for the given token." — simplejwt 5.4–5.5.1 answered a
//     deleted user with a 500), and with CHECK_REVOKE_TOKEN the revoke claim must match the
//     user's current password hash, else the token is blacklisted and the answer is 401 "The
//     user's password has been changed.";
//  3. the access token is derived;
//  4. with rotation, the submitted token is blacklisted when BLACKLIST_AFTER_ROTATION (without
//     a store this silently does nothing, as simplejwt without the app), then it gets a new
//     jti, exp and iat, is outstanded and returned.
//
// Unlike simplejwt, step 4 is one atomic consume (tokens.Manager.Rotate, TokenStore.Rotate): the
// blacklist row of the old token and the outstanding row of the new one are written in one
// database transaction, so a failure of either leaves neither — the answer is a 503 and the
// same token refreshes on retry. The store reports whether this call created the blacklist
// row, and only that call rotates: of any number of concurrent refreshes of one token, exactly
// one succeeds; the others get 401 "Token is blacklisted", as they would one moment later
// (simplejwt's check-then-insert lets several succeed, issue #985).
//
// Database round trips of one refresh with the GORM stores (sessions off), each needed:
//
//   - the blacklist check (step 1) and the user check (step 2), one prepared SELECT together:
//     the columns of the user row that the default rule and CHECK_REVOKE_TOKEN read, plus the
//     token's blacklist count as a subquery (models.RefreshLookup, via tokens.Manager.ParseWith;
//     see userPrefetch). The answers keep simplejwt's order: a blacklisted token is refused as
//     such before its user is looked at, though the row was read in the same query. Both reads
//     are needed: a token blacklisted elsewhere, a deactivated user or a changed password must
//     be seen at once, so nothing is cached. They stay two SELECTs when the token names no user
//     (blacklist only), when no user row matches (the blacklist is then read alone), with a
//     custom USER_AUTHENTICATION_RULE (it may read any field: the whole row is read), or with
//     stores other than the GORM ones on one database;
//   - without rotation, nothing more: 1 round trip;
//   - with ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION, the consume (step 4): one
//     transaction, the atomicity that makes exactly one of concurrent refreshes win: BEGIN; on
//     PostgreSQL/MySQL one statement setting the server's lock and statement timeouts; the read
//     of the old token's outstanding id (locked FOR KEY SHARE on PostgreSQL, so that a flush
//     cannot delete it under the blacklist row); the blacklist INSERT of the old token; the
//     outstanding INSERT of the new one, which finds its user_id itself by a subquery on the
//     user table (no round trip of its own, models.GormTokenStore.Rotate); COMMIT. All are
//     prepared statements. Rotation without blacklisting only outstands the new token (one
//     INSERT);
//   - with CHECK_REVOKE_TOKEN and a changed password, the blacklist INSERT of the refused token.
type TokenRefresh struct{}

// Fields returns refresh (required) and access (read-only), as simplejwt declares them.
func (*TokenRefresh) Fields(*Env) []Field {
	return []Field{{Name: "refresh", Required: true}, {Name: "access", ReadOnly: true}}
}

// Validate implements Serializer.
func (*TokenRefresh) Validate(ctx context.Context, env *Env, _ *http.Request, data *pyjson.Object) (*pyjson.Object, error) {
	if err := env.needUsers(); err != nil {
		return nil, err
	}
	raw, err := tokenField(data, "refresh")
	if err != nil {
		return nil, err
	}
	pre := newUserPrefetch(env)
	refresh, err := env.Tokens.ParseWith(ctx, tokens.RefreshToken, raw, pre.check())
	if err != nil {
		if env.Sessions != nil && errors.Is(err, tokens.ErrBlacklisted) {
			env.Sessions.Replayed(ctx, raw)
		}
		return nil, err
	}
	if env.Sessions != nil {
		if err := env.Sessions.Check(refresh); err != nil {
			return nil, err
		}
	}
	if err := checkTokenUser(ctx, env, refresh, pre); err != nil {
		return nil, err
	}
	access, err := refresh.AccessToken()
	if err != nil {
		return nil, err
	}
	as, err := access.Encode()
	if err != nil {
		return nil, err
	}
	body := pyjson.NewObject().Set("access", as)
	if env.Sessions != nil {
		if err := env.Sessions.Refreshed(ctx, refresh); err != nil {
			return nil, err
		}
	}

	s := env.Settings()
	if !s.RotateRefreshTokens {
		return body, nil
	}
	if err := rotate(ctx, env.Tokens, refresh, s.BlacklistAfterRotation); err != nil {
		if env.Sessions != nil && errors.Is(err, tokens.ErrBlacklisted) {
			env.Sessions.Replayed(ctx, raw) // lost a concurrent rotation
		}
		return nil, err
	}

	rs, err := refresh.Encode()
	if err != nil {
		return nil, err
	}
	return body.Set("refresh", rs), nil
}

// rotate turns refresh into its successor and records it: with BLACKLIST_AFTER_ROTATION the old
// token is blacklisted and the new one outstanded in one transaction (tokens.Manager.Rotate), and a token
// already blacklisted — by a concurrent refresh too — is refused; without it, or without the
// token_blacklist app (simplejwt swallows the AttributeError), the new token is only outstanded.
func rotate(ctx context.Context, m *tokens.Manager, refresh *tokens.Token, blacklistOld bool) error {
	if blacklistOld {
		rotated, err := m.Rotate(ctx, refresh)
		switch {
		case err == nil && rotated:
			return nil
		case err == nil:
			return blacklisted()
		case !errors.Is(err, tokens.ErrNoStore):
			return err
		}
	}
	refresh.Renew()
	return m.Outstand(ctx, refresh)
}

// userPrefetch answers a refresh's blacklist check and reads the token's user in the same
// database round trip (models.RefreshLookup), for checkTokenUser to use: simplejwt's order is
// kept (a blacklisted token is refused before its user is looked at), only the reads are one.
type userPrefetch struct {
	env    *Env
	lookup models.RefreshLookup
	// What the check read: the user of id (nil: none), when fetched.
	id      string
	user    models.AuthUser
	fetched bool
}

// newUserPrefetch returns nil when the reads cannot be one: a custom USER_AUTHENTICATION_RULE
// (it may read any field: the whole row is read), a user store without the narrow lookup, or a
// token store that cannot read the users (models.RefreshLookup, on the same user store).
func newUserPrefetch(env *Env) *userPrefetch {
	lookup, ok := env.Tokens.Store().(models.RefreshLookup)
	if !ok || env.Rule != nil {
		return nil
	}
	// The same users (the GORM store, whose narrow lookup the query is): compared as the one
	// comparable type they can be.
	if gu, ok := lookup.Users().(*models.GormUserStore); !ok || models.UserStore(gu) != env.Users {
		return nil
	}
	return &userPrefetch{env: env, lookup: lookup}
}

// check is the blacklist check for tokens.Manager.ParseWith; nil (the store's own) without a
// prefetch.
func (p *userPrefetch) check() tokens.BlacklistCheck {
	if p == nil {
		return nil
	}
	return func(ctx context.Context, t *tokens.Token, jti string) (bool, error) {
		if id, ok := tokenUserID(p.env, t); ok {
			black, user, ok, err := p.lookup.LookupRefresh(ctx, jti, id, p.env.Settings().CheckRevokeToken)
			if err != nil {
				return false, err
			}
			if ok {
				p.id, p.user, p.fetched = id, user, true
				return black, nil
			}
		}
		return p.env.Tokens.Store().IsBlacklisted(ctx, jti)
	}
}

// tokenUserID is the user id checkTokenUser looks up: only when the token's user claim is
// present and truthy in Python's sense, and names a user.
func tokenUserID(env *Env, t *tokens.Token) (string, bool) {
	if !claimTruthy(t, env.Settings().UserIDClaim) {
		return "", false
	}
	return t.UserID()
}

// checkTokenUser is the user check simplejwt's HEAD runs on refresh and sliding refresh.
// Like simplejwt it runs only when the token's user claim is present and truthy in Python's
// sense (a token without a user is not checked); unlike simplejwt, a user claim that cannot
// name a user (not a string or an integral number) is refused with the same 401 instead of
// reaching the database. The user is pre's when pre read it (nil: none read).
func checkTokenUser(ctx context.Context, env *Env, t *tokens.Token, pre *userPrefetch) error {
	s := env.Settings()
	if !claimTruthy(t, s.UserIDClaim) {
		return nil
	}
	id, ok := t.UserID()
	if !ok {
		return noActiveAccountForToken()
	}
	var user models.AuthUser
	var err error
	if pre != nil && pre.fetched && pre.id == id {
		if user = pre.user; user == nil {
			err = models.ErrUserNotFound
		}
	} else if narrow, ok := env.Users.(models.AuthLookup); ok && env.Rule == nil {
		// The default rule reads is_active only: the narrow prepared lookup (the password hash
		// only for CHECK_REVOKE_TOKEN). A custom rule may read any field: the whole row.
		user, err = narrow.GetByIDForAuth(ctx, id, s.CheckRevokeToken)
	} else {
		user, err = env.Users.GetByID(ctx, id)
	}
	switch {
	case errors.Is(err, models.ErrUserNotFound):
		return noActiveAccountForToken()
	case err != nil:
		return err
	case isNilUser(user) || !env.Authenticates(user):
		return noActiveAccountForToken()
	}
	if env.Tokens.PasswordChanged(t, user.GetPassword()) {
		// The password changed: blacklist the token so that it can never be used again.
		var tokenErr *tokens.TokenError
		if _, err := env.Tokens.Blacklist(ctx, t); err != nil && !errors.Is(err, tokens.ErrNoStore) && !errors.As(err, &tokenErr) {
			return err
		}
		return passwordChanged()
	}
	return nil
}

// claimTruthy reports whether the claim is present and true in Python's sense
// (payload.get(claim) is truthy): not null, "", 0, false, [] or {}.
func claimTruthy(t *tokens.Token, claim string) bool {
	v, ok := t.Get(claim)
	if !ok {
		return false
	}
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case int:
		return x != 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	case json.Number:
		f, err := x.Float64()
		return err != nil || f != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

package serializers

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// TokenBlacklist is simplejwt's TokenBlacklistSerializer, the default
// TOKEN_BLACKLIST_SERIALIZER (logout): {"refresh": …} in, {} out once the refresh token is
// blacklisted.
//
// A token blacklisted earlier fails verification: 401 "Token is blacklisted". Two concurrent
// calls for one token both pass verification; the store creates one blacklist row and both
// answer 200, as simplejwt's get_or_create does. Without a token store nothing is blacklisted
// and the answer is still 200 {}, as simplejwt without the token_blacklist app.
type TokenBlacklist struct{}

// Fields returns refresh (required, write-only).
func (*TokenBlacklist) Fields(*Env) []Field {
	return []Field{{Name: "refresh", Required: true, WriteOnly: true}}
}

// Validate implements Serializer.
func (*TokenBlacklist) Validate(ctx context.Context, env *Env, _ *http.Request, data *pyjson.Object) (*pyjson.Object, error) {
	if err := env.needTokens(); err != nil {
		return nil, err
	}
	raw, err := tokenField(data, "refresh")
	if err != nil {
		return nil, err
	}
	refresh, err := env.Tokens.Parse(ctx, tokens.RefreshToken, raw)
	if err != nil {
		return nil, err
	}
	if _, err := env.Tokens.Blacklist(ctx, refresh); err != nil && !errors.Is(err, tokens.ErrNoStore) {
		return nil, err
	}
	if env.Sessions != nil {
		if err := env.Sessions.LoggedOut(ctx, refresh); err != nil {
			return nil, err
		}
	}
	return pyjson.NewObject(), nil
}

package serializers

import (
	"context"
	"net/http"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// TokenVerify is simplejwt's TokenVerifySerializer, the default TOKEN_VERIFY_SERIALIZER:
// {"token": …} in, {} out when the token (of any type) verifies.
//
// As in simplejwt the blacklist is consulted only when BLACKLIST_AFTER_ROTATION is on and a
// token store is configured, and a blacklisted token is then a 400
// {"non_field_errors":["Token is blacklisted"]} (a ValidationError), not a 401: a parity quirk
// kept on purpose. No user check is made.
type TokenVerify struct{}

// Fields returns token (required, write-only).
func (*TokenVerify) Fields(*Env) []Field {
	return []Field{{Name: "token", Required: true, WriteOnly: true}}
}

// Validate implements Serializer.
func (*TokenVerify) Validate(ctx context.Context, env *Env, _ *http.Request, data *pyjson.Object) (*pyjson.Object, error) {
	if err := env.needTokens(); err != nil {
		return nil, err
	}
	raw, err := tokenField(data, "token")
	if err != nil {
		return nil, err
	}
	t, err := env.Tokens.Parse(ctx, tokens.UntypedToken, raw)
	if err != nil {
		return nil, err
	}
	if env.Settings().BlacklistAfterRotation {
		black, err := env.Tokens.IsBlacklisted(ctx, t)
		if err != nil {
			return nil, err
		}
		if black {
			return nil, NewValidationError(NonFieldErrors, tokens.MsgBlacklisted)
		}
	}
	return pyjson.NewObject(), nil
}

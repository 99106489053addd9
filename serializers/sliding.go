package serializers

import (
	"context"
	"net/http"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// TokenObtainSliding is simplejwt's TokenObtainSlidingSerializer, the default
// SLIDING_TOKEN_OBTAIN_SERIALIZER: username and password in, {"token": …} out. It behaves as
// TokenObtainPair, with a sliding token (which carries refresh_exp) in place of the pair.
//
// The zero value (and a nil pointer) is simplejwt's serializer; set the hooks to customise it.
type TokenObtainSliding struct {
	// GetToken adds custom claims to the sliding token: simplejwt's get_token override.
	GetToken GetTokenFunc
	// Response changes the response body: simplejwt's validate override.
	Response ResponseFunc
}

// Fields returns USERNAME_FIELD and password, both required and write-only.
func (*TokenObtainSliding) Fields(env *Env) []Field { return obtainFields(env) }

// Validate implements Serializer.
func (s *TokenObtainSliding) Validate(ctx context.Context, env *Env, r *http.Request, data *pyjson.Object) (*pyjson.Object, error) {
	var getToken GetTokenFunc
	var response ResponseFunc
	if s != nil {
		getToken, response = s.GetToken, s.Response
	}
	return obtain(ctx, env, r, data, tokens.SlidingToken, getToken, response, func(t *tokens.Token) (*pyjson.Object, error) {
		ts, err := t.Encode()
		if err != nil {
			return nil, err
		}
		return pyjson.NewObject().Set("token", ts), nil
	})
}

// TokenRefreshSliding is simplejwt's TokenRefreshSlidingSerializer, the default
// SLIDING_TOKEN_REFRESH_SERIALIZER: {"token": …} in, {"token": …} out. The sliding token is
// verified (with a store: not blacklisted), its user checked as TokenRefresh does (simplejwt
// HEAD; 5.5.1 did no user check), its refresh_exp must not have passed, and it is returned with
// a new exp and iat — the same jti and refresh_exp, so blacklisting the jti stops every copy.
// An expired token cannot be refreshed even while refresh_exp lies ahead: exp is checked first.
type TokenRefreshSliding struct{}

// Fields returns token (required).
func (*TokenRefreshSliding) Fields(*Env) []Field {
	return []Field{{Name: "token", Required: true}}
}

// Validate implements Serializer.
func (*TokenRefreshSliding) Validate(ctx context.Context, env *Env, _ *http.Request, data *pyjson.Object) (*pyjson.Object, error) {
	if err := env.needUsers(); err != nil {
		return nil, err
	}
	raw, err := tokenField(data, "token")
	if err != nil {
		return nil, err
	}
	pre := newUserPrefetch(env)
	t, err := env.Tokens.ParseWith(ctx, tokens.SlidingToken, raw, pre.check())
	if err != nil {
		return nil, err
	}
	if env.Sessions != nil {
		if err := env.Sessions.Check(t); err != nil {
			return nil, err
		}
	}
	if err := checkTokenUser(ctx, env, t, pre); err != nil {
		return nil, err
	}
	if err := t.CheckExp(env.Settings().SlidingTokenRefreshExpClaim); err != nil {
		return nil, err
	}
	t.Slide()
	ts, err := t.Encode()
	if err != nil {
		return nil, err
	}
	return pyjson.NewObject().Set("token", ts), nil
}

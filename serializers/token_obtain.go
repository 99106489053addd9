package serializers

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// MaxUsernameLength caps the login field (characters) before any database query: Django's
// AbstractUser.username max_length. simplejwt's CharField has no max_length; beyond this length
// no account can match, so the answer is a 400 field error instead of a query.
const MaxUsernameLength = 150

// TokenObtainPair is simplejwt's TokenObtainPairSerializer, the default
// TOKEN_OBTAIN_SERIALIZER: username and password in, {"refresh": …, "access": …} out.
//
// The fields are validated as DRF's CharFields (whitespace stripped from both, numbers accepted
// as text), capped at MaxUsernameLength characters and hashers.MaxPasswordLength bytes; then the
// user is authenticated by Env.Users (Django's authenticate), checked by
// USER_AUTHENTICATION_RULE, a refresh token is made for the user (Token.for_user, which also
// outstands it), GetToken may change it, the access token is derived from it, ON_LOGIN_SUCCESS
// runs when UPDATE_LAST_LOGIN is on, and Response may change the body.
//
// A refused login (unknown user, wrong password, inactive user) is always the same 401
// {"detail":"No active account found with the given credentials"}, after ON_LOGIN_FAILED. A
// database failure is returned as it is (503), never as a 401.
//
// The zero value (and a nil pointer) is simplejwt's serializer; set the hooks to customise it.
type TokenObtainPair struct {
	// GetToken adds custom claims: simplejwt's get_token override.
	GetToken GetTokenFunc
	// Response changes the response body: simplejwt's validate override.
	Response ResponseFunc
}

// Fields returns USERNAME_FIELD and password, both required and write-only.
func (*TokenObtainPair) Fields(env *Env) []Field { return obtainFields(env) }

// Validate implements Serializer.
func (s *TokenObtainPair) Validate(ctx context.Context, env *Env, r *http.Request, data *pyjson.Object) (*pyjson.Object, error) {
	var getToken GetTokenFunc
	var response ResponseFunc
	if s != nil {
		getToken, response = s.GetToken, s.Response
	}
	return obtain(ctx, env, r, data, tokens.RefreshToken, getToken, response, func(refresh *tokens.Token) (*pyjson.Object, error) {
		rs, err := refresh.Encode()
		if err != nil {
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
		return pyjson.NewObject().Set("refresh", rs).Set("access", as), nil
	})
}

// obtain is TokenObtainSerializer.validate shared by the pair and the sliding serializers:
// authenticate, get_token (with the hook), build the body from the token, ON_LOGIN_SUCCESS,
// then the Response hook.
func obtain(ctx context.Context, env *Env, r *http.Request, data *pyjson.Object, class tokens.Class,
	getToken GetTokenFunc, response ResponseFunc, build func(*tokens.Token) (*pyjson.Object, error)) (*pyjson.Object, error) {
	user, err := authenticate(ctx, env, r, data)
	if err != nil {
		return nil, err
	}
	t, err := getToken.token(ctx, env, r, class, user)
	if err != nil {
		return nil, err
	}
	body, err := build(t)
	if err != nil {
		return nil, err
	}
	if err := env.loginSucceeded(ctx, user, r); err != nil {
		return nil, err
	}
	return response.apply(ctx, env, user, body)
}

func obtainFields(env *Env) []Field {
	return []Field{
		{Name: env.Username(), Required: true, WriteOnly: true},
		{Name: "password", Required: true, WriteOnly: true},
	}
}

// authenticate is TokenObtainSerializer's field validation and validate(): it returns the
// authenticated user that USER_AUTHENTICATION_RULE accepts.
func authenticate(ctx context.Context, env *Env, r *http.Request, data *pyjson.Object) (models.AuthUser, error) {
	if err := env.needUsers(); err != nil {
		return nil, err
	}
	var errs ValidationError
	field := env.Username()
	username, _ := Field{Name: field, Required: true}.CharMaxLength(data, MaxUsernameLength, &errs)
	password, ok := Field{Name: "password", Required: true}.CharMaxLength(data, hashers.MaxPasswordLength, &errs)
	if ok && len(password) > hashers.MaxPasswordLength {
		errs.Add("password", MsgMaxLength(hashers.MaxPasswordLength))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	user, err := env.Users.Authenticate(ctx, username, password)
	switch {
	case err == nil:
	case errors.Is(err, models.ErrUnavailable):
		// Checked first: a database failure must never read as "wrong password".
		return nil, err
	case errors.Is(err, models.ErrPasswordTooLong):
		return nil, NewValidationError("password", MsgMaxLength(hashers.MaxPasswordLength))
	case errors.Is(err, models.ErrInvalidCredentials), errors.Is(err, models.ErrUserNotFound):
		user = nil
	default:
		return nil, err
	}
	if isNilUser(user) {
		user = nil
	}
	if !env.Authenticates(user) {
		env.loginFailed(ctx, map[string]string{field: username, "password": password}, r)
		return nil, noActiveAccount()
	}
	return user, nil
}

// token is get_token: c.for_user(user), then the GetToken hook.
func (hook GetTokenFunc) token(ctx context.Context, env *Env, r *http.Request, c tokens.Class, user models.AuthUser) (*tokens.Token, error) {
	id := env.Users.UserID(user)
	var sid string
	if env.Sessions != nil && c == tokens.RefreshToken {
		var err error
		if sid, err = env.Sessions.Start(ctx, r, id); err != nil {
			return nil, err
		}
	}
	t, err := env.Tokens.ForUser(ctx, c, tokens.Subject{
		Session: sid,
		ID:      id,
		// The hash stored now, re-hash included (UserStore.Authenticate's contract): the
		// CHECK_REVOKE_TOKEN claim must match what Auth() and /refresh/ will read.
		PasswordHash: user.GetPassword(),
		Inactive:     !user.GetIsActive(),
	})
	if err != nil {
		return nil, err
	}
	if hook == nil {
		return t, nil
	}
	if t, err = hook(ctx, env, user, t); err != nil {
		return nil, err
	}
	if t == nil {
		return nil, errors.New("serializers: GetToken returned no token")
	}
	return t, nil
}

func (hook ResponseFunc) apply(ctx context.Context, env *Env, user models.AuthUser, body *pyjson.Object) (*pyjson.Object, error) {
	if hook == nil {
		return body, nil
	}
	body, err := hook(ctx, env, user, body)
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, errors.New("serializers: Response returned no body")
	}
	return body, nil
}

package serializers

import (
	"context"
	"net/http"
	"reflect"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// Serializer is what each TOKEN_*_SERIALIZER setting names: the input fields of one token view
// and the validation that turns a request body into the response body.
//
// Validate returns the 200 body, or an error the views render the DRF way: a *ValidationError
// (400), a *tokens.TokenError (401 {"detail":…,"code":"token_not_valid"}), a
// *tokens.AuthenticationFailed (401), an error wrapping models.ErrUnavailable or a context
// deadline (503), anything else 500 with the cause logged and never sent.
//
// Implementations must be safe for concurrent use; everything per configuration arrives in env.
type Serializer interface {
	// Fields lists the input (and read-only output) fields, for DRF's OPTIONS metadata.
	Fields(env *Env) []Field
	// Validate is DRF's is_valid() followed by validate(): it checks data's fields, then does
	// the serializer's work, and returns the 200 body, rendered in its key order.
	//
	// data is the parsed request body, DRF's request.data, never nil. Its values are what the
	// parser produced: from JSON, string, pyjson.Number, bool, nil, []any or *pyjson.Object;
	// from a form, the string last sent for the key (Django's QueryDict), or an UploadedFile
	// for a multipart file part. A JSON escape of a lone surrogate ("\ud800"), which Python
	// accepts, stays in its string as WTF-8, so that Field.Char can refuse it as DRF does.
	Validate(ctx context.Context, env *Env, r *http.Request, data *pyjson.Object) (*pyjson.Object, error)
}

// GetTokenFunc is the hook of the obtain serializers that replaces simplejwt's get_token
// override, the documented way to add custom claims: it receives the token that
// Token.for_user made for user (a refresh token for TokenObtainPair, a sliding token for
// TokenObtainSliding) and returns the token to issue, usually the same one after t.Set(...).
// With TokenObtainPair, claims set here are copied into the access token too, as in simplejwt.
type GetTokenFunc func(ctx context.Context, env *Env, user models.AuthUser, t *tokens.Token) (*tokens.Token, error)

// ResponseFunc is the hook of the obtain serializers that replaces a validate() override that
// calls super() and adds fields (user data, say): it receives the body the serializer built
// ({"refresh","access"} or {"token"}) and returns the body to send.
type ResponseFunc func(ctx context.Context, env *Env, user models.AuthUser, body *pyjson.Object) (*pyjson.Object, error)

var (
	_ Serializer = (*TokenObtainPair)(nil)
	_ Serializer = (*TokenObtainSliding)(nil)
	_ Serializer = (*TokenRefresh)(nil)
	_ Serializer = (*TokenRefreshSliding)(nil)
	_ Serializer = (*TokenVerify)(nil)
	_ Serializer = (*TokenBlacklist)(nil)
)

// isNilUser reports a nil AuthUser, including a typed nil pointer in the interface.
func isNilUser(u models.AuthUser) bool {
	if u == nil {
		return true
	}
	v := reflect.ValueOf(u)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func:
		return v.IsNil()
	}
	return false
}

// tokenField validates a required token field (refresh, token) as a CharField.
func tokenField(data *pyjson.Object, name string) (string, error) {
	var errs ValidationError
	raw, _ := Field{Name: name, Required: true}.Char(data, &errs)
	return raw, errs.Err()
}

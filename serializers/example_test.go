package serializers_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// exampleEnv is what ginjwt builds from the settings: a token manager (here with a fixed
// clock) and the user store, with alice in it.
func exampleEnv() *serializers.Env {
	users := newUserStore()
	addUser(users, 1, "alice", "alice@example.com", "correct horse battery staple", true)
	m, err := tokens.NewManager(context.Background(),
		tokens.Settings{SigningKey: "an-example-signing-key-of-32-bytes!"},
		tokens.Options{Store: newTokenStore(), Now: func() time.Time { return time.Unix(1795477898, 0) }})
	if err != nil {
		panic(err)
	}
	return &serializers.Env{Tokens: m, Users: users, Logger: slog.New(slog.DiscardHandler)}
}

func login() *pyjson.Object {
	data := pyjson.NewObject()
	data.Set("username", "alice")
	data.Set("password", "correct horse battery staple")
	return data
}

// Custom claims: simplejwt's get_token override. The hook receives the refresh token that
// Token.for_user made and returns it with extra claims; the access token derived from it
// carries them too.
func ExampleTokenObtainPair_customClaims() {
	env := exampleEnv()
	s := &serializers.TokenObtainPair{
		GetToken: func(_ context.Context, _ *serializers.Env, user models.AuthUser, t *tokens.Token) (*tokens.Token, error) {
			u := user.(*models.User)
			t.Set("username", u.Username)
			t.Set("email", u.Email)
			return t, nil
		},
	}
	body, err := s.Validate(context.Background(), env, &http.Request{}, login())
	if err != nil {
		panic(err)
	}
	access, _ := body.Get("access")
	t, err := env.Tokens.Parse(context.Background(), tokens.AccessToken, access.(string))
	if err != nil {
		panic(err)
	}
	fmt.Println(body.Keys())
	fmt.Println(t.Keys())
	email, _ := t.GetString("email")
	fmt.Println(email)
	// Output:
	// [refresh access]
	// [token_type exp iat jti user_id username email]
	// alice@example.com
}

// User data in the response: simplejwt's validate override that calls super() and adds a
// field. The hook receives the body the serializer built and returns the one to send.
func ExampleTokenObtainPair_responseWithUser() {
	env := exampleEnv()
	s := &serializers.TokenObtainPair{
		Response: func(_ context.Context, env *serializers.Env, user models.AuthUser, body *pyjson.Object) (*pyjson.Object, error) {
			u := user.(*models.User)
			return body.Set("user", pyjson.NewObject().Set("id", env.Users.UserID(u)).Set("username", u.Username)), nil
		},
	}
	body, err := s.Validate(context.Background(), env, &http.Request{}, login())
	if err != nil {
		panic(err)
	}
	fmt.Println(body.Keys())
	user, _ := body.Get("user")
	out, _ := user.(*pyjson.Object).MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// [refresh access user]
	// {"id":"1","username":"alice"}
}

// A refused login is simplejwt's 401 body, whatever the reason; a missing field is DRF's 400.
func ExampleTokenObtainPair_errors() {
	env := exampleEnv()
	data := pyjson.NewObject()
	data.Set("username", "alice")
	data.Set("password", "wrong")
	_, err := (&serializers.TokenObtainPair{}).Validate(context.Background(), env, &http.Request{}, data)
	fmt.Println(err)

	data = pyjson.NewObject()
	data.Set("username", "alice")
	_, err = (&serializers.TokenObtainPair{}).Validate(context.Background(), env, &http.Request{}, data)
	js, _ := err.(*serializers.ValidationError).MarshalJSON()
	fmt.Println(string(js))
	// Output:
	// No active account found with the given credentials: serializers: no active account
	// {"password":["This field is required."]}
}

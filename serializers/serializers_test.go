package serializers_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

func newEnv(t testing.TB, s tokens.Settings, withStore bool) (*serializers.Env, *modelstest.Users) {
	t.Helper()
	users := newUserStore()
	addUser(users, 1, "alice", "a@example.com", "pw-alice", true)
	addUser(users, 2, "bob", "b@example.com", "pw-bob", false)
	s.SigningKey = "serializers-test-key-0123456789abcdef"
	o := tokens.Options{Logger: quiet()}
	if withStore {
		o.Store = newTokenStore()
	}
	m, err := tokens.NewManager(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	return &serializers.Env{Tokens: m, Users: users, Logger: quiet()}, users
}

func dataOf(kv ...string) *pyjson.Object {
	d := pyjson.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i], kv[i+1])
	}
	return d
}

func mint(t *testing.T, env *serializers.Env, c tokens.Class, mutate func(*tokens.Token)) string {
	t.Helper()
	tok, err := env.Tokens.ForUser(context.Background(), c, tokens.Subject{ID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(tok)
	}
	s, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var ctx = context.Background()

func TestEnvValidate(t *testing.T) {
	env, _ := newEnv(t, tokens.Settings{}, false)
	if err := env.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*serializers.Env{nil, {}, {Tokens: env.Tokens}} {
		if err := bad.Validate(); !errors.Is(err, serializers.ErrEnv) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	noUsers := &serializers.Env{Tokens: env.Tokens}
	for _, s := range []serializers.Serializer{&serializers.TokenObtainPair{}, &serializers.TokenObtainSliding{}, &serializers.TokenRefresh{}, &serializers.TokenRefreshSliding{}} {
		if _, err := s.Validate(ctx, noUsers, nil, dataOf()); !errors.Is(err, serializers.ErrEnv) {
			t.Errorf("%T without Users: %v", s, err)
		}
	}
	// Verify and blacklist need no user store.
	tok := mint(t, env, tokens.RefreshToken, nil)
	if _, err := (&serializers.TokenVerify{}).Validate(ctx, noUsers, nil, dataOf("token", tok)); err != nil {
		t.Error(err)
	}
	if _, err := (&serializers.TokenBlacklist{}).Validate(ctx, noUsers, nil, dataOf("refresh", tok)); err != nil {
		t.Error(err)
	}
}

func TestFields(t *testing.T) {
	env, _ := newEnv(t, tokens.Settings{}, false)
	env.UsernameField = "email"
	cases := map[serializers.Serializer][]serializers.Field{
		&serializers.TokenObtainPair{}:     {{Name: "email", Required: true, WriteOnly: true}, {Name: "password", Required: true, WriteOnly: true}},
		&serializers.TokenRefresh{}:        {{Name: "refresh", Required: true}, {Name: "access", ReadOnly: true}},
		&serializers.TokenVerify{}:         {{Name: "token", Required: true, WriteOnly: true}},
		&serializers.TokenBlacklist{}:      {{Name: "refresh", Required: true, WriteOnly: true}},
		&serializers.TokenRefreshSliding{}: {{Name: "token", Required: true}},
	}
	for s, want := range cases {
		got := s.Fields(env)
		if len(got) != len(want) {
			t.Fatalf("%T: %v", s, got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%T field %d: %+v, want %+v", s, i, got[i], want[i])
			}
		}
	}
}

func TestObtainHooks(t *testing.T) {
	env, _ := newEnv(t, tokens.Settings{}, true)
	login := dataOf("username", "alice", "password", "pw-alice")
	hookErr := errors.New("hook")
	s := &serializers.TokenObtainPair{GetToken: func(context.Context, *serializers.Env, models.AuthUser, *tokens.Token) (*tokens.Token, error) {
		return nil, hookErr
	}}
	if _, err := s.Validate(ctx, env, nil, login); !errors.Is(err, hookErr) {
		t.Errorf("GetToken error: %v", err)
	}
	s.GetToken = func(context.Context, *serializers.Env, models.AuthUser, *tokens.Token) (*tokens.Token, error) {
		return nil, nil
	}
	if _, err := s.Validate(ctx, env, nil, login); err == nil {
		t.Error("GetToken returning no token: no error")
	}
	sl := &serializers.TokenObtainSliding{Response: func(context.Context, *serializers.Env, models.AuthUser, *pyjson.Object) (*pyjson.Object, error) {
		return nil, nil
	}}
	if _, err := sl.Validate(ctx, env, nil, login); err == nil {
		t.Error("Response returning no body: no error")
	}
	// A nil *TokenObtainPair is the default serializer.
	var nilPair *serializers.TokenObtainPair
	body, err := nilPair.Validate(ctx, env, nil, login)
	if err != nil || body.Len() != 2 {
		t.Errorf("nil receiver: %v %v", body, err)
	}
	// The sliding token carries refresh_exp.
	body, err = (&serializers.TokenObtainSliding{}).Validate(ctx, env, nil, login)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := body.Get("token")
	tok, err := env.Tokens.Parse(ctx, tokens.SlidingToken, raw.(string))
	if err != nil || !tok.Has("refresh_exp") {
		t.Errorf("sliding token: %v %v", tok, err)
	}
}

// storeStub returns fixed answers from Authenticate (the typed nil user and joined errors that
// no real store returns).
type storeStub struct {
	*modelstest.Users
	user models.AuthUser
	err  error
}

func (s storeStub) Authenticate(context.Context, string, string) (models.AuthUser, error) {
	return s.user, s.err
}

func TestObtainStoreAnswers(t *testing.T) {
	env, users := newEnv(t, tokens.Settings{}, false)
	login := dataOf("username", "alice", "password", "pw-alice")
	var af *tokens.AuthenticationFailed
	var ve *serializers.ValidationError
	cases := []struct {
		name  string
		user  models.AuthUser
		err   error
		check func(error) bool
	}{
		{"typed_nil_user", (*models.User)(nil), nil, func(err error) bool { return errors.As(err, &af) && errors.Is(err, serializers.ErrNoActiveAccount) }},
		{"not_found", nil, models.ErrUserNotFound, func(err error) bool { return errors.As(err, &af) }},
		{"too_long", nil, models.ErrPasswordTooLong, func(err error) bool { return errors.As(err, &ve) && len(ve.Messages("password")) == 1 }},
		{"unavailable", nil, models.ErrUnavailable, func(err error) bool { return errors.Is(err, models.ErrUnavailable) && !errors.As(err, &af) }},
		{"invalid_and_unavailable", nil, errors.Join(models.ErrInvalidCredentials, models.ErrUnavailable), func(err error) bool {
			return errors.Is(err, models.ErrUnavailable) && !errors.As(err, &af)
		}},
		{"invalid_and_too_long", nil, errors.Join(models.ErrInvalidCredentials, models.ErrPasswordTooLong), func(err error) bool {
			return errors.As(err, &ve)
		}},
	}
	for _, c := range cases {
		env.Users = storeStub{users, c.user, c.err}
		_, err := (&serializers.TokenObtainPair{}).Validate(ctx, env, nil, login)
		if !c.check(err) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestRefreshUserClaim(t *testing.T) {
	env, _ := newEnv(t, tokens.Settings{}, true)
	refresh := &serializers.TokenRefresh{}
	// simplejwt HEAD checks the user only when the claim is present and truthy.
	for name, mutate := range map[string]func(*tokens.Token){
		"absent": func(tok *tokens.Token) { tok.Delete("user_id") },
		"empty":  func(tok *tokens.Token) { tok.Set("user_id", "") },
		"null":   func(tok *tokens.Token) { tok.Set("user_id", nil) },
		"zero":   func(tok *tokens.Token) { tok.Set("user_id", 0) },
		"false":  func(tok *tokens.Token) { tok.Set("user_id", false) },
	} {
		if _, err := refresh.Validate(ctx, env, nil, dataOf("refresh", mint(t, env, tokens.RefreshToken, mutate))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, mutate := range map[string]func(*tokens.Token){
		"unknown":  func(tok *tokens.Token) { tok.Set("user_id", "99") },
		"inactive": func(tok *tokens.Token) { tok.Set("user_id", "2") },
		"float":    func(tok *tokens.Token) { tok.Set("user_id", 1.5) },
		"true":     func(tok *tokens.Token) { tok.Set("user_id", true) },
		"list":     func(tok *tokens.Token) { tok.Set("user_id", []any{"1"}) },
	} {
		_, err := refresh.Validate(ctx, env, nil, dataOf("refresh", mint(t, env, tokens.RefreshToken, mutate)))
		var af *tokens.AuthenticationFailed
		if !errors.As(err, &af) || af.Detail != tokens.MsgNoActiveAccountToken || af.Code != "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// 5.2.2 tokens carry an integer user_id: found.
	if _, err := refresh.Validate(ctx, env, nil, dataOf("refresh", mint(t, env, tokens.RefreshToken, func(tok *tokens.Token) { tok.Set("user_id", 1) }))); err != nil {
		t.Errorf("integer user_id: %v", err)
	}
}

func TestRotationWithoutStore(t *testing.T) {
	env, _ := newEnv(t, tokens.Settings{RotateRefreshTokens: true, BlacklistAfterRotation: true}, false)
	tok := mint(t, env, tokens.RefreshToken, nil)
	for range 2 { // nothing is blacklisted: simplejwt without the app
		body, err := (&serializers.TokenRefresh{}).Validate(ctx, env, nil, dataOf("refresh", tok))
		if err != nil || body.Len() != 2 {
			t.Fatalf("%v %v", body, err)
		}
	}
	if _, err := (&serializers.TokenBlacklist{}).Validate(ctx, env, nil, dataOf("refresh", tok)); err != nil {
		t.Errorf("blacklist without store: %v", err)
	}
}

func TestRotationClaims(t *testing.T) {
	now := time.Unix(1795477898, 0)
	env, _ := newEnv(t, tokens.Settings{RotateRefreshTokens: true}, true)
	m, err := tokens.NewManager(ctx, *env.Settings(), tokens.Options{Store: env.Tokens.Store(), Now: func() time.Time { return now }, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	env.Tokens = m
	old := mint(t, env, tokens.RefreshToken, func(tok *tokens.Token) { tok.Set("custom", "kept") })
	now = now.Add(time.Hour)
	body, err := (&serializers.TokenRefresh{}).Validate(ctx, env, nil, dataOf("refresh", old))
	if err != nil {
		t.Fatal(err)
	}
	if keys := body.Keys(); keys[0] != "access" || keys[1] != "refresh" {
		t.Errorf("keys %v", keys)
	}
	nr, _ := body.Get("refresh")
	o, _ := env.Tokens.ParseUnverified(ctx, tokens.RefreshToken, old)
	n, err := env.Tokens.Parse(ctx, tokens.RefreshToken, nr.(string))
	if err != nil {
		t.Fatal(err)
	}
	oj, _ := o.JTI()
	nj, _ := n.JTI()
	oe, _, _ := o.NumericDate("exp")
	ne, _, _ := n.NumericDate("exp")
	ni, _, _ := n.NumericDate("iat")
	c, _ := n.GetString("custom")
	if oj == nj || ne != oe+3600 || int64(ni) != now.Unix() || c != "kept" {
		t.Errorf("rotated: jti %s→%s exp %v→%v iat %v custom %q", oj, nj, oe, ne, ni, c)
	}
}

func TestCleanCredentials(t *testing.T) {
	in := map[string]string{"username": "alice", "password": "p", "API_KEY": "k", "my_token": "t", "Secret": "s", "signature": "x", "email": "e"}
	out := serializers.CleanCredentials(in)
	for k, want := range map[string]string{"username": "alice", "email": "e", "password": serializers.CleansedSubstitute,
		"API_KEY": serializers.CleansedSubstitute, "my_token": serializers.CleansedSubstitute,
		"Secret": serializers.CleansedSubstitute, "signature": serializers.CleansedSubstitute} {
		if out[k] != want {
			t.Errorf("%s = %q, want %q", k, out[k], want)
		}
	}
	if in["password"] != "p" {
		t.Error("input modified")
	}
}

func TestDefaultRule(t *testing.T) {
	on := tokens.DefaultSettings()
	off := tokens.DefaultSettings()
	off.AllowInactiveUsers = true
	var typedNil *models.User
	tests := []struct {
		name string
		s    *tokens.Settings
		u    models.AuthUser
		want bool
	}{
		{"active user", &on, &models.User{IsActive: true}, true},
		{"inactive user", &on, &models.User{}, false},
		{"no user", &on, nil, false},
		{"typed nil user", &on, typedNil, false},
		{"inactive user, CHECK_USER_IS_ACTIVE off", &off, &models.User{}, true},
		{"no user, CHECK_USER_IS_ACTIVE off", &off, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := serializers.DefaultUserAuthenticationRule(tc.s)(tc.u); got != tc.want {
				t.Errorf("rule = %v, want %v", got, tc.want)
			}
			if env, _ := newEnv(t, *tc.s, false); env.Authenticates(tc.u) != tc.want {
				t.Errorf("Env.Authenticates disagrees with the rule")
			}
		})
	}
}

func TestOnLoginFailedMasksCustomUsernameField(t *testing.T) {
	env, _ := newEnv(t, tokens.Settings{}, false)
	env.UsernameField = "api_key" // matches Django's sensitive pattern: masked too
	var got map[string]string
	env.OnLoginFailed = func(_ context.Context, c map[string]string, _ *http.Request) { got = c }
	_, _ = (&serializers.TokenObtainPair{}).Validate(ctx, env, nil, dataOf("api_key", "alice", "password", "x"))
	if got["api_key"] != serializers.CleansedSubstitute || got["password"] != serializers.CleansedSubstitute {
		t.Errorf("credentials %v", got)
	}
}

package tokens_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// A Manager mints a refresh token for a user, derives its access token and parses it back,
// as simplejwt's RefreshToken.for_user(user).access_token and AccessToken(raw) do.
func ExampleManager() {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	m, err := tokens.NewManager(ctx, tokens.Settings{SigningKey: "example-signing-key-of-32-bytes!!"},
		tokens.Options{Now: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	refresh, _ := m.ForUser(ctx, tokens.RefreshToken, tokens.Subject{ID: "42"})
	access, _ := refresh.AccessToken()
	raw, _ := access.Encode()

	tok, err := m.Parse(ctx, tokens.AccessToken, raw)
	if err != nil {
		panic(err)
	}
	id, _ := tok.UserID()
	fmt.Println(tok.Class(), tok.Keys(), id)

	_, err = m.Parse(ctx, tokens.RefreshToken, raw)
	fmt.Println(errors.Is(err, tokens.ErrWrongType), err)
	// Output:
	// AccessToken [token_type exp iat jti user_id] 42
	// true Token has wrong type
}

// UserIDText is the one rule for the user id claim: strings as they are, integral numbers
// (what simplejwt 5.2.2 issued) in decimal, anything else refused.
func ExampleUserIDText() {
	for _, claim := range []any{"42", int64(7), 7.0, 7.5, nil} {
		id, err := tokens.UserIDText(claim)
		fmt.Printf("%T %v → %q %v\n", claim, claim, id, err)
	}
	// Output:
	// string 42 → "42" <nil>
	// int64 7 → "7" <nil>
	// float64 7 → "7" <nil>
	// float64 7.5 → "" tokens: the user id claim is not a non-empty string or an integer
	// <nil> <nil> → "" tokens: the user id claim is not a non-empty string or an integer
}

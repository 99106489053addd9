package tokens_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

func TestClasses(t *testing.T) {
	tests := []struct {
		name     string
		class    tokens.Class
		typ      string
		byDotted string
	}{
		{"AccessToken", tokens.AccessToken, "access", "rest_framework_simplejwt.tokens.AccessToken"},
		{"RefreshToken", tokens.RefreshToken, "refresh", "rest_framework_simplejwt.tokens.RefreshToken"},
		{"SlidingToken", tokens.SlidingToken, "sliding", "rest_framework_simplejwt.tokens.SlidingToken"},
		{"UntypedToken", tokens.UntypedToken, "untyped", "rest_framework_simplejwt.tokens.UntypedToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.class.String() != tc.name || tc.class.Type() != tc.typ {
				t.Errorf("got %q/%q", tc.class.String(), tc.class.Type())
			}
			for _, name := range []string{tc.name, tc.byDotted} {
				if c, ok := tokens.ClassByName(name); !ok || c != tc.class {
					t.Errorf("ClassByName(%q) = %v, %v", name, c, ok)
				}
			}
		})
	}
	if c, ok := tokens.ClassByName("BearerToken"); ok || c != 0 {
		t.Errorf("ClassByName(unknown) = %v, %v", c, ok)
	}
	m := newManager(t, nil)
	for _, c := range []tokens.Class{0, 200} {
		if _, err := m.New(c); !errors.Is(err, tokens.ErrTokenInvalid) || c.String() != "" {
			t.Errorf("New(Class(%d)) = %v", c, err)
		}
	}
	s := tokens.DefaultSettings()
	s.SigningKey = testKey
	s.AuthTokenClasses = []tokens.Class{tokens.AccessToken, 0}
	var se *tokens.SettingError
	if _, err := tokens.NewManager(context.Background(), s, tokens.Options{}); !errors.As(err, &se) || se.Key != "AUTH_TOKEN_CLASSES" {
		t.Errorf("a zero class in AUTH_TOKEN_CLASSES: %v", err)
	}
}

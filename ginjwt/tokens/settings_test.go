package tokens_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// TestImpossibleSettings: combinations that cannot work are refused by NewManager with an error
// naming the Python key and the Go field. Before, JTI_CLAIM None with the blacklist made every
// login fail with "Token has no id", and a LEEWAY longer than the refresh lifetime was accepted.
func TestImpossibleSettings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*tokens.Settings)
		store  tokens.TokenStore
		key    string
		field  string
		says   string
	}{
		{"JTI_CLAIM None with the blacklist", func(s *tokens.Settings) { s.NoJTIClaim = true }, modelstest.NewTokens(nil), "JTI_CLAIM", "NoJTIClaim", "cannot be None while the token blacklist is installed"},
		{"LEEWAY longer than REFRESH_TOKEN_LIFETIME", func(s *tokens.Settings) { s.Leeway, s.RefreshTokenLifetime = 2*time.Hour, time.Hour }, nil, "LEEWAY", "Leeway", "2h0m0s is longer than REFRESH_TOKEN_LIFETIME (1h0m0s)"},
		{"LEEWAY longer than the default refresh lifetime", func(s *tokens.Settings) { s.Leeway = 25 * time.Hour }, nil, "LEEWAY", "Leeway", "longer than REFRESH_TOKEN_LIFETIME (24h0m0s)"},
		{"negative LEEWAY", func(s *tokens.Settings) { s.Leeway = -time.Second }, nil, "LEEWAY", "Leeway", "must not be negative, got -1s"},
		{"negative ACCESS_TOKEN_LIFETIME", func(s *tokens.Settings) { s.AccessTokenLifetime = -time.Minute }, nil, "ACCESS_TOKEN_LIFETIME", "AccessTokenLifetime", "must be positive, got -1m0s"},
		{"negative REFRESH_TOKEN_LIFETIME", func(s *tokens.Settings) { s.RefreshTokenLifetime = -1 }, nil, "REFRESH_TOKEN_LIFETIME", "RefreshTokenLifetime", "must be positive, got -1ns"},
		{"negative SLIDING_TOKEN_LIFETIME", func(s *tokens.Settings) { s.SlidingTokenLifetime = -time.Hour }, nil, "SLIDING_TOKEN_LIFETIME", "SlidingTokenLifetime", "must be positive"},
		{"negative SLIDING_TOKEN_REFRESH_LIFETIME", func(s *tokens.Settings) { s.SlidingTokenRefreshLifetime = -time.Hour }, nil, "SLIDING_TOKEN_REFRESH_LIFETIME", "SlidingTokenRefreshLifetime", "must be positive"},
		{"tiny MaxTokenLength", func(s *tokens.Settings) { s.MaxTokenLength = 10 }, nil, "", "MaxTokenLength", "10 is too small"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tokens.DefaultSettings()
			s.SigningKey = testKey
			tc.mutate(&s)
			_, err := tokens.NewManager(context.Background(), s, tokens.Options{Store: tc.store})
			var se *tokens.SettingError
			if !errors.Is(err, tokens.ErrInvalidSettings) || !errors.As(err, &se) || se.Key != tc.key || se.Field != tc.field || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want an error for %s (Settings.%s) saying %q", err, tc.key, tc.field, tc.says)
			}
			prefix := "SIMPLE_JWT_" + tc.key + " (Settings." + tc.field + "): "
			if tc.key == "" {
				prefix = "Settings." + tc.field + ": "
			}
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("%q does not start with %q", err, prefix)
			}
		})
	}
	// What stays possible: JTI_CLAIM None without the blacklist, a zero field (the default),
	// LEEWAY equal to the refresh lifetime.
	for name, mutate := range map[string]func(*tokens.Settings){
		"JTI_CLAIM None, no blacklist": func(s *tokens.Settings) { s.NoJTIClaim = true },
		"zero lifetimes are defaults":  func(s *tokens.Settings) { s.AccessTokenLifetime, s.RefreshTokenLifetime = 0, 0 },
		"LEEWAY = REFRESH_TOKEN_LIFETIME": func(s *tokens.Settings) {
			s.Leeway, s.RefreshTokenLifetime = time.Hour, time.Hour
		},
	} {
		s := tokens.DefaultSettings()
		s.SigningKey = testKey
		mutate(&s)
		if _, err := tokens.NewManager(context.Background(), s, tokens.Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestValidateReportsEveryProblemInOrder: Validate reports every problem at once, one line
// each, in the order of the Settings fields, the same on every call (before, it returned the
// first problem met while ranging over maps, so which one varied from run to run).
func TestValidateReportsEveryProblemInOrder(t *testing.T) {
	t.Parallel()
	s := tokens.DefaultSettings()
	s.AccessTokenLifetime = -time.Minute
	s.SigningKey = strings.Repeat("k", 40)
	s.Leeway = -time.Second
	s.AuthHeaderTypes = []string{"Bear er"}
	s.UserIDClaim = ""
	s.SlidingTokenRefreshLifetime = -time.Hour
	s.RevokeTokenClaim = ""
	s.VerifyingKeys = map[string]string{"b": "short", "a": "/run/secrets/simplejwt-old-key", "c": testKey}
	s.MaxTokenLength = 1
	want := []string{
		"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME (Settings.AccessTokenLifetime)",
		"SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey)",
		"SIMPLE_JWT_LEEWAY (Settings.Leeway)",
		"SIMPLE_JWT_AUTH_HEADER_TYPES (Settings.AuthHeaderTypes)",
		"SIMPLE_JWT_USER_ID_CLAIM (Settings.UserIDClaim)",
		"SIMPLE_JWT_SLIDING_TOKEN_REFRESH_LIFETIME (Settings.SlidingTokenRefreshLifetime)",
		"SIMPLE_JWT_REVOKE_TOKEN_CLAIM (Settings.RevokeTokenClaim)",
		`SIMPLE_JWT_VERIFYING_KEYS (Settings.VerifyingKeys["a"])`,
		`SIMPLE_JWT_VERIFYING_KEYS (Settings.VerifyingKeys["b"])`,
		"Settings.MaxTokenLength",
	}
	first := s.Validate()
	if first == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(first.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(lines), len(want), first)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w+": ") {
			t.Errorf("problem %d is %q, want %s", i, lines[i], w)
		}
	}
	if got := settingErrors(t, first); len(got) != len(want) {
		t.Errorf("%d *SettingErrors, want %d", len(got), len(want))
	}
	for range 50 {
		if again := s.Validate(); again.Error() != first.Error() {
			t.Fatalf("the report changed between calls:\n%s\n---\n%s", first, again)
		}
	}
}

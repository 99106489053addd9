package ginjwt_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

func lookupFrom(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestSettingsFromEnv(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("file-signing-key-0123456789abcdef-012345\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{
		"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME":  "240s",
		"SIMPLE_JWT_REFRESH_TOKEN_LIFETIME": "3600",
		"SIMPLE_JWT_LEEWAY":                 "0.5",
		"SIMPLE_JWT_ROTATE_REFRESH_TOKENS":  "true",
		"SIMPLE_JWT_AUTH_TOKEN_CLASSES":     "AccessToken, rest_framework_simplejwt.tokens.SlidingToken",
		"SIMPLE_JWT_AUDIENCE":               "api,web",
		"SIMPLE_JWT_TOKEN_TYPE_CLAIM":       "None",
		"SIMPLE_JWT_CHECK_USER_IS_ACTIVE":   "false",
		"SIMPLE_JWT_SIGNING_KEY":            keyFile,
		"SIMPLE_JWT_AUTH_HEADER_TYPES":      "Bearer,JWT",
		"SIMPLE_JWT_VERIFYING_KEYS":         "old=old-signing-key-0123456789abcdef-0123456",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.AccessTokenLifetime != 240*time.Second || s.RefreshTokenLifetime != time.Hour || s.Leeway != 500*time.Millisecond ||
		!s.RotateRefreshTokens || len(s.AuthTokenClasses) != 2 || s.AuthTokenClasses[1] != tokens.SlidingToken ||
		strings.Join(s.Audience, "|") != "api|web" || s.TokenTypeClaim != tokens.Disabled || s.IsActiveChecked() ||
		s.SigningKey != "file-signing-key-0123456789abcdef-012345" || len(s.AuthHeaderTypes) != 2 || s.VerifyingKeys["old"] == "" {
		t.Errorf("parsed %+v", s.Settings)
	}
	for name, env := range map[string]map[string]string{
		"bad duration": {"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME": "five minutes"},
		"bad bool":     {"SIMPLE_JWT_ROTATE_REFRESH_TOKENS": "yes please"},
		"bad class":    {"SIMPLE_JWT_AUTH_TOKEN_CLASSES": "MyToken"},
		"bad pair":     {"SIMPLE_JWT_VERIFYING_KEYS": "nokey"},
		"python code":  {"SIMPLE_JWT_TOKEN_OBTAIN_SERIALIZER": "app.serializers.MySerializer"},
	} {
		if _, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(env)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A Django project's env file: the code keys at their default are accepted.
	if _, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{
		"SIMPLE_JWT_JSON_ENCODER": "None", "SIMPLE_JWT_USER_AUTHENTICATION_RULE": ""})); err != nil {
		t.Errorf("defaults of the code keys: %v", err)
	}
	_, err = ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{"SIMPLE_JWT_ON_LOGIN_SUCCESS": "app.hooks.on_login"}))
	if err == nil || !strings.Contains(err.Error(), "Settings.OnLoginSuccess") {
		t.Errorf("code key: %v", err)
	}
	t.Setenv("SIMPLE_JWT_JSON_ENCODER", "None")
	t.Setenv("SIMPLE_JWT_ACESS_TOKEN_LIFETIME", "5m") // a typo must not pass silently
	if _, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), nil); err == nil || !strings.Contains(err.Error(), "ACESS") {
		t.Errorf("typo: %v", err)
	}
}

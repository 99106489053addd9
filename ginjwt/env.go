package ginjwt

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// SettingsFromEnv reads every SIMPLE_JWT key from environment variables named SIMPLE_JWT_<KEY>
// on top of base, for twelve-factor services:
//
//   - durations as Go durations ("240s", "5m", "24h") or plain seconds ("300", "0.5");
//   - booleans as true/false (also 1/0, as strconv.ParseBool);
//   - lists comma-separated (SIMPLE_JWT_AUTH_TOKEN_CLASSES=AccessToken,SlidingToken; the
//     dotted Python paths work too);
//   - keys as PEM text, or the path of a file holding the key (PEM or secret);
//   - None for the nullable keys (AUDIENCE, ISSUER, JWK_URL, TOKEN_TYPE_CLAIM, JTI_CLAIM).
//
// lookup is os.LookupEnv when nil. The keys that name Python code (USER_AUTHENTICATION_RULE,
// the serializers, JSON_ENCODER, …) may only be None or empty, with an error that names the Go
// field to set instead. With the real environment (lookup nil), an unknown SIMPLE_JWT_
// variable is an error too — simplejwt ignores unknown keys, but a typo must not silently keep a
// default.
func SettingsFromEnv(base Settings, lookup func(string) (string, bool)) (Settings, error) {
	s := base
	environ := os.Environ()
	if lookup == nil {
		lookup = os.LookupEnv
	} else {
		environ = nil
	}
	t := &s.Settings
	durations := map[string]*time.Duration{
		"ACCESS_TOKEN_LIFETIME": &t.AccessTokenLifetime, "REFRESH_TOKEN_LIFETIME": &t.RefreshTokenLifetime,
		"SLIDING_TOKEN_LIFETIME": &t.SlidingTokenLifetime, "SLIDING_TOKEN_REFRESH_LIFETIME": &t.SlidingTokenRefreshLifetime,
		"LEEWAY": &t.Leeway,
	}
	bools := map[string]*bool{
		"ROTATE_REFRESH_TOKENS": &t.RotateRefreshTokens, "BLACKLIST_AFTER_ROTATION": &t.BlacklistAfterRotation,
		"UPDATE_LAST_LOGIN": &t.UpdateLastLogin, "CHECK_REVOKE_TOKEN": &t.CheckRevokeToken,
	}
	strs := map[string]*string{
		"ALGORITHM": &t.Algorithm, "ISSUER": &t.Issuer, "JWK_URL": &t.JWKURL, "AUTH_HEADER_NAME": &t.AuthHeaderName,
		"USER_ID_FIELD": &t.UserIDField, "USER_ID_CLAIM": &t.UserIDClaim, "TOKEN_TYPE_CLAIM": &t.TokenTypeClaim,
		"JTI_CLAIM": &t.JTIClaim, "SLIDING_TOKEN_REFRESH_EXP_CLAIM": &t.SlidingTokenRefreshExpClaim,
		"REVOKE_TOKEN_CLAIM": &t.RevokeTokenClaim, "SIGNING_KEY_ID": &t.SigningKeyID,
	}
	keys := map[string]*string{"SIGNING_KEY": &t.SigningKey, "VERIFYING_KEY": &t.VerifyingKey}
	known := map[string]bool{"AUDIENCE": true, "AUTH_HEADER_TYPES": true, "AUTH_TOKEN_CLASSES": true,
		"CHECK_USER_IS_ACTIVE": true, "VERIFYING_KEYS": true}

	for name, p := range durations {
		known[name] = true
		if v, ok := lookup("SIMPLE_JWT_" + name); ok {
			d, err := ParseDuration(v)
			if err != nil {
				return s, fmt.Errorf("SIMPLE_JWT_%s: %w", name, err)
			}
			*p = d
		}
	}
	for name, p := range bools {
		known[name] = true
		if v, ok := lookup("SIMPLE_JWT_" + name); ok {
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return s, fmt.Errorf("SIMPLE_JWT_%s: %q is not true or false", name, v)
			}
			*p = b
		}
	}
	for name, p := range strs {
		known[name] = true
		if v, ok := lookup("SIMPLE_JWT_" + name); ok {
			v = strings.TrimSpace(v)
			if v == "None" {
				v = ""
				if name == "TOKEN_TYPE_CLAIM" || name == "JTI_CLAIM" {
					v = tokens.Disabled
				}
			}
			*p = v
		}
	}
	for name, p := range keys {
		known[name] = true
		if v, ok := lookup("SIMPLE_JWT_" + name); ok {
			k, err := readKey(v)
			if err != nil {
				return s, fmt.Errorf("SIMPLE_JWT_%s: %w", name, err)
			}
			*p = k
		}
	}
	if v, ok := lookup("SIMPLE_JWT_CHECK_USER_IS_ACTIVE"); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return s, fmt.Errorf("SIMPLE_JWT_CHECK_USER_IS_ACTIVE: %q is not true or false", v)
		}
		t.CheckUserIsActive = tokens.Bool(b)
	}
	if v, ok := lookup("SIMPLE_JWT_AUDIENCE"); ok {
		t.Audience = nil
		if v = strings.TrimSpace(v); v != "None" {
			t.Audience = splitList(v)
		}
	}
	if v, ok := lookup("SIMPLE_JWT_AUTH_HEADER_TYPES"); ok {
		t.AuthHeaderTypes = splitList(v)
	}
	if v, ok := lookup("SIMPLE_JWT_AUTH_TOKEN_CLASSES"); ok {
		t.AuthTokenClasses = nil
		for _, name := range splitList(v) {
			c, ok := tokens.ClassByName(name)
			if !ok {
				return s, fmt.Errorf("SIMPLE_JWT_AUTH_TOKEN_CLASSES: unknown token class %q", name)
			}
			t.AuthTokenClasses = append(t.AuthTokenClasses, c)
		}
	}
	if v, ok := lookup("SIMPLE_JWT_VERIFYING_KEYS"); ok {
		// kid=key pairs separated by commas; each key may be a file path.
		t.VerifyingKeys = map[string]string{}
		for _, pair := range splitList(v) {
			kid, key, found := strings.Cut(pair, "=")
			if !found {
				return s, fmt.Errorf("SIMPLE_JWT_VERIFYING_KEYS: %q is not kid=key", pair)
			}
			k, err := readKey(key)
			if err != nil {
				return s, fmt.Errorf("SIMPLE_JWT_VERIFYING_KEYS[%s]: %w", kid, err)
			}
			t.VerifyingKeys[strings.TrimSpace(kid)] = k
		}
	}
	for name, field := range codeOnly {
		if v, ok := lookup("SIMPLE_JWT_" + name); ok && v != "" && v != "None" {
			return s, fmt.Errorf("SIMPLE_JWT_%s names Python code (%q); in Go set Settings.%s", name, v, field)
		}
	}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if rest, ok := strings.CutPrefix(name, "SIMPLE_JWT_"); ok && !known[rest] && codeOnly[rest] == "" {
			// simplejwt ignores unknown keys; refusing them keeps a typo from keeping a default.
			return s, fmt.Errorf("%s is not a SIMPLE_JWT setting", name)
		}
	}
	return s, nil
}

// codeOnly are the SIMPLE_JWT keys whose value is a Python import path: from the environment
// they may only be None or empty (simplejwt's default); in Go they are set in code.
var codeOnly = map[string]string{
	"JSON_ENCODER":                     "— (claims are always encoded as PyJWT does)",
	"USER_AUTHENTICATION_RULE":         "UserAuthenticationRule",
	"ON_LOGIN_SUCCESS":                 "OnLoginSuccess",
	"ON_LOGIN_FAILED":                  "OnLoginFailed",
	"TOKEN_USER_CLASS":                 "TokenUserClass",
	"TOKEN_OBTAIN_SERIALIZER":          "TokenObtainSerializer",
	"TOKEN_REFRESH_SERIALIZER":         "TokenRefreshSerializer",
	"TOKEN_VERIFY_SERIALIZER":          "TokenVerifySerializer",
	"TOKEN_BLACKLIST_SERIALIZER":       "TokenBlacklistSerializer",
	"SLIDING_TOKEN_OBTAIN_SERIALIZER":  "SlidingTokenObtainSerializer",
	"SLIDING_TOKEN_REFRESH_SERIALIZER": "SlidingTokenRefreshSerializer",
}

// ParseDuration reads a Go duration ("5m", "240s") or a number of seconds ("300", "0.5").
func ParseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a Go duration nor a number of seconds", v)
	}
	return d, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// readKey returns v itself when it holds PEM text or is not the path of a regular file, and the
// file's contents otherwise (trailing newlines trimmed from non-PEM secrets).
func readKey(v string) (string, error) {
	if strings.Contains(v, "-----BEGIN") {
		return v, nil
	}
	st, err := os.Stat(v)
	if err != nil || !st.Mode().IsRegular() {
		return v, nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return "", err
	}
	if strings.Contains(string(b), "-----BEGIN") {
		return string(b), nil
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

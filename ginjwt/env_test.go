package ginjwt_test

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

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
		strings.Join(s.Audience, "|") != "api|web" || !s.NoTokenTypeClaim || !s.AllowInactiveUsers ||
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

// forgeWith signs a fresh access token for user 1 with secret (HS256), kid in the header when set.
func forgeWith(t *testing.T, secret, kid string) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"token_type": "access", "exp": now.Add(time.Minute).Unix(), "iat": now.Unix(),
		"jti": "0123456789abcdef0123456789abcdef", "user_id": "1",
	})
	if kid != "" {
		tok.Header["kid"] = kid
	}
	raw, err := tok.SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestUnreadableKeyPathIsNeverTheKey: a key variable holding the path of a file that does not
// exist is an error naming the variable, never the key itself. Before, the path text became the
// HMAC secret and a token signed with that text was accepted.
func TestUnreadableKeyPathIsNeverTheKey(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "run", "secrets", "simplejwt-signing-key")
	tests := []struct {
		name    string
		env     map[string]string
		wantVar string
		kid     string
	}{
		{"SIGNING_KEY", map[string]string{"SIMPLE_JWT_SIGNING_KEY": missing}, "SIMPLE_JWT_SIGNING_KEY", ""},
		{"SIGNING_KEY as in the issue", map[string]string{"SIMPLE_JWT_SIGNING_KEY": "/run/secrets/simplejwt-jwt-signing-key"}, "SIMPLE_JWT_SIGNING_KEY", ""},
		{"VERIFYING_KEYS entry", map[string]string{"SIMPLE_JWT_SIGNING_KEY": key, "SIMPLE_JWT_VERIFYING_KEYS": "old=" + missing}, "SIMPLE_JWT_VERIFYING_KEYS", "old"},
		{"kid-less VERIFYING_KEYS entry", map[string]string{"SIMPLE_JWT_SIGNING_KEY": key, "SIMPLE_JWT_VERIFYING_KEYS": "=" + missing}, "SIMPLE_JWT_VERIFYING_KEYS", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.env["SIMPLE_JWT_SIGNING_KEY"]
			if tt.wantVar == "SIMPLE_JWT_VERIFYING_KEYS" {
				_, path, _ = strings.Cut(tt.env["SIMPLE_JWT_VERIFYING_KEYS"], "=")
			}
			s, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(tt.env))
			if err == nil {
				s.UserStore, s.NoTokenBlacklist, s.Now = newUsers(), true, func() time.Time { return now }
				var j *ginjwt.JWT
				if j, err = ginjwt.New(nil, s); err == nil {
					if w := do(engine(j), "/me", "Bearer "+forgeWith(t, path, tt.kid)); w.Code == http.StatusOK {
						t.Fatalf("a token signed with the path text was accepted: %d %s", w.Code, w.Body)
					}
					t.Fatal("the server starts with the path text as a key")
				}
			}
			if !strings.Contains(err.Error(), tt.wantVar) {
				t.Errorf("error %q does not name %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), path) {
				t.Errorf("error %q echoes the value", err)
			}
		})
	}
}

// envCase is one environment SettingsFromEnv must refuse, and what the error names.
type envCase struct {
	name   string
	env    map[string]string
	key    string // the variable, without SIMPLE_JWT_
	field  string
	says   string
	secret string // must not appear in the message
}

func checkEnvCases(t *testing.T, cases []envCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(tc.env))
			var se *tokens.SettingError
			if !errors.As(err, &se) || !errors.Is(err, tokens.ErrInvalidSettings) {
				t.Fatalf("got %v, want a *tokens.SettingError", err)
			}
			prefix := "SIMPLE_JWT_" + tc.key + " (Settings." + tc.field + "): "
			if se.Key != tc.key || se.Field != tc.field || !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got %q, want %q…%q", err, prefix, tc.says)
			}
			if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
				t.Errorf("%q shows the value", err)
			}
		})
	}
}

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	envKey1 = "Yq3vX8pN2mK7wR4tZ6bH1cJ9dF5gL0sA" // a random-looking 32-byte secret
	envKey2 = "nE7rT2yU9iO4pA6sD1fG8hJ3kL5zX0cV"
)

// TestEnvFileVariables: the _FILE variables read a key from a file (Docker and Kubernetes
// secrets); VERIFYING_KEYS takes kid=@path entries and a _FILE of its own.
func TestEnvFileVariables(t *testing.T) {
	dir := t.TempDir()
	pub := "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"
	keyFile := writeFile(t, dir, "signing-key", envKey1+"\r\n")
	oldFile := writeFile(t, dir, "old-key", envKey2+"\n")
	pemFile := writeFile(t, dir, "public.pem", pub)
	listFile := writeFile(t, dir, "verifying-keys", "old=@"+oldFile+"\n\nk2 = "+envKey1+"\n")
	s, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{
		"SIMPLE_JWT_SIGNING_KEY_FILE":   keyFile,
		"SIMPLE_JWT_VERIFYING_KEY_FILE": pemFile,
		"SIMPLE_JWT_VERIFYING_KEYS":     "old=@" + oldFile + ",pem=" + pub + "\n=" + envKey1,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if s.SigningKey != envKey1 || s.VerifyingKey != pub {
		t.Errorf("SigningKey %q, VerifyingKey %q", s.SigningKey, s.VerifyingKey)
	}
	if want := map[string]string{"old": envKey2, "pem": strings.TrimSpace(pub), "": envKey1}; !maps.Equal(s.VerifyingKeys, want) {
		t.Errorf("VerifyingKeys %q, want %q", s.VerifyingKeys, want)
	}
	s, err = ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{"SIMPLE_JWT_VERIFYING_KEYS_FILE": listFile}))
	if want := map[string]string{"old": envKey2, "k2": envKey1}; err != nil || !maps.Equal(s.VerifyingKeys, want) {
		t.Errorf("VERIFYING_KEYS_FILE: %q %v, want %q", s.VerifyingKeys, err, want)
	}
	// The file form of the example: the server starts, and the file's key signs.
	s, err = ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{"SIMPLE_JWT_SIGNING_KEY_FILE": keyFile}))
	if err != nil {
		t.Fatal(err)
	}
	s.UserStore, s.NoTokenBlacklist, s.Now = newUsers(), true, func() time.Time { return now }
	j, err := ginjwt.New(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	if w := do(engine(j), "/me", "Bearer "+forgeWith(t, envKey1, "")); w.Code != http.StatusOK {
		t.Errorf("a token of the file's key: %d %s", w.Code, w.Body)
	}

	empty := writeFile(t, dir, "empty", "")
	blank := writeFile(t, dir, "blank", " \n\t\n")
	big := writeFile(t, dir, "big", strings.Repeat("k", 1<<20+1))
	missing := filepath.Join(dir, "missing")
	cases := []envCase{
		{"both SIGNING_KEY and its file", map[string]string{"SIMPLE_JWT_SIGNING_KEY": envKey1, "SIMPLE_JWT_SIGNING_KEY_FILE": keyFile},
			"SIGNING_KEY_FILE", "SigningKey", "SIMPLE_JWT_SIGNING_KEY is set too: keep one of them", envKey1},
		{"both VERIFYING_KEYS and its file", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS": "a=" + envKey1, "SIMPLE_JWT_VERIFYING_KEYS_FILE": listFile},
			"VERIFYING_KEYS_FILE", "VerifyingKeys", "keep one of them", envKey1},
		{"missing _FILE", map[string]string{"SIMPLE_JWT_SIGNING_KEY_FILE": missing}, "SIGNING_KEY_FILE", "SigningKey", "no such file or directory", ""},
		{"empty _FILE", map[string]string{"SIMPLE_JWT_SIGNING_KEY_FILE": empty}, "SIGNING_KEY_FILE", "SigningKey", "is empty", ""},
		{"whitespace _FILE", map[string]string{"SIMPLE_JWT_VERIFYING_KEY_FILE": blank}, "VERIFYING_KEY_FILE", "VerifyingKey", "is empty", ""},
		{"_FILE naming no file", map[string]string{"SIMPLE_JWT_SIGNING_KEY_FILE": " "}, "SIGNING_KEY_FILE", "SigningKey", "names no file", ""},
		{"_FILE naming a directory", map[string]string{"SIMPLE_JWT_SIGNING_KEY_FILE": dir}, "SIGNING_KEY_FILE", "SigningKey", "cannot be read", ""},
		{"_FILE over 1 MiB", map[string]string{"SIMPLE_JWT_SIGNING_KEY_FILE": big}, "SIGNING_KEY_FILE", "SigningKey", "larger than 1 MiB", ""},
		{"empty VERIFYING_KEYS_FILE", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS_FILE": empty}, "VERIFYING_KEYS_FILE", "VerifyingKeys", "is empty", ""},
		{"SIGNING_KEY naming an empty file", map[string]string{"SIMPLE_JWT_SIGNING_KEY": empty}, "SIGNING_KEY", "SigningKey", "names a file that", empty},
		{"SIGNING_KEY naming a blank file", map[string]string{"SIMPLE_JWT_SIGNING_KEY": blank}, "SIGNING_KEY", "SigningKey", "names a file that", blank},
		{"SIGNING_KEY naming a directory", map[string]string{"SIMPLE_JWT_SIGNING_KEY": dir}, "SIGNING_KEY", "SigningKey", "not a regular file", dir},
		{"SIGNING_KEY naming a missing file", map[string]string{"SIMPLE_JWT_SIGNING_KEY": missing + "-of-the-signing-key"}, "SIGNING_KEY", "SigningKey",
			"names a file that cannot be read (no such file or directory); pass the key itself, or name its file in SIMPLE_JWT_SIGNING_KEY_FILE", missing},
		{"SIGNING_KEY ./relative", map[string]string{"SIMPLE_JWT_SIGNING_KEY": "./secrets/simplejwt-signing-key"}, "SIGNING_KEY", "SigningKey", "cannot be read", "./secrets"},
		{"SIGNING_KEY ~/home", map[string]string{"SIMPLE_JWT_SIGNING_KEY": "~/secrets/simplejwt-signing-key"}, "SIGNING_KEY", "SigningKey", "~ is not expanded", "~/secrets"},
		{"SIGNING_KEY set but empty", map[string]string{"SIMPLE_JWT_SIGNING_KEY": ""}, "SIGNING_KEY", "SigningKey", "is set but empty", ""},
		{"VERIFYING_KEY naming a missing file", map[string]string{"SIMPLE_JWT_VERIFYING_KEY": missing}, "VERIFYING_KEY", "VerifyingKey", "cannot be read", missing},
		{"VERIFYING_KEYS kid=@missing", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS": "old=@" + missing}, "VERIFYING_KEYS", `VerifyingKeys["old"]`, "no such file or directory", ""},
		{"VERIFYING_KEYS kid=@empty", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS": "old=@" + empty}, "VERIFYING_KEYS", `VerifyingKeys["old"]`, "is empty", ""},
		{"VERIFYING_KEYS kid twice", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS": "a=" + envKey1 + ",a=" + envKey2}, "VERIFYING_KEYS", `VerifyingKeys["a"]`, "is given twice", envKey2},
		{"VERIFYING_KEYS entry without =", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS": envKey1}, "VERIFYING_KEYS", "VerifyingKeys", "not kid=key", envKey1},
		{"VERIFYING_KEYS_FILE entry naming a missing file", map[string]string{"SIMPLE_JWT_VERIFYING_KEYS_FILE": writeFile(t, dir, "list2", "k="+missing+"\n")},
			"VERIFYING_KEYS_FILE", `VerifyingKeys["k"]`, "cannot be read", missing},
	}
	checkEnvCases(t, cases)
	t.Logf("%d refused environments", len(cases))
}

// TestEnvImpossibleValues: values that cannot work are refused by the loader, naming the
// variable and the Go field: lifetimes of zero or below (zero is the default only in Go),
// non-finite and overflowing durations (before, NaN became -2562047h47m16.854775808s), None
// for a key that has no None.
func TestEnvImpossibleValues(t *testing.T) {
	var cases []envCase
	for _, lt := range []struct{ key, field string }{
		{"ACCESS_TOKEN_LIFETIME", "AccessTokenLifetime"}, {"REFRESH_TOKEN_LIFETIME", "RefreshTokenLifetime"},
		{"SLIDING_TOKEN_LIFETIME", "SlidingTokenLifetime"}, {"SLIDING_TOKEN_REFRESH_LIFETIME", "SlidingTokenRefreshLifetime"},
	} {
		for _, v := range []struct{ value, says string }{
			{"0", "must be positive, got 0s"}, {"0s", "must be positive"}, {"-0", "must be positive"}, {"-5m", "must be positive, got -5m0s"},
			{"NaN", "is not a finite number of seconds"}, {"Inf", "is not a finite number of seconds"}, {"-inf", "not a finite number"},
			{"1e300", "is out of range"}, {"1e400", "is out of range"}, {"99999999999h", "is out of range"}, {"9223372037", "is out of range"},
			{"five minutes", "is neither a Go duration nor a number of seconds"},
		} {
			cases = append(cases, envCase{name: lt.key + "=" + v.value, env: map[string]string{"SIMPLE_JWT_" + lt.key: v.value}, key: lt.key, field: lt.field, says: v.says})
		}
	}
	cases = append(cases,
		envCase{name: "LEEWAY=-1", env: map[string]string{"SIMPLE_JWT_LEEWAY": "-1"}, key: "LEEWAY", field: "Leeway", says: "must not be negative, got -1s"},
		envCase{name: "LEEWAY=NaN", env: map[string]string{"SIMPLE_JWT_LEEWAY": "NaN"}, key: "LEEWAY", field: "Leeway", says: "not a finite number"},
		envCase{name: "ALGORITHM=None", env: map[string]string{"SIMPLE_JWT_ALGORITHM": "None"}, key: "ALGORITHM", field: "Algorithm", says: "cannot be None"},
		envCase{name: "USER_ID_CLAIM=None", env: map[string]string{"SIMPLE_JWT_USER_ID_CLAIM": "None"}, key: "USER_ID_CLAIM", field: "UserIDClaim", says: "cannot be None"},
		envCase{name: "bad boolean", env: map[string]string{"SIMPLE_JWT_CHECK_USER_IS_ACTIVE": "yes please"}, key: "CHECK_USER_IS_ACTIVE", field: "AllowInactiveUsers", says: "is not true or false"},
		envCase{name: "bad class", env: map[string]string{"SIMPLE_JWT_AUTH_TOKEN_CLASSES": "AccessToken,MyToken"}, key: "AUTH_TOKEN_CLASSES", field: "AuthTokenClasses", says: `unknown token class "MyToken"`},
		envCase{name: "python code", env: map[string]string{"SIMPLE_JWT_TOKEN_OBTAIN_SERIALIZER": "app.serializers.Mine"}, key: "TOKEN_OBTAIN_SERIALIZER", field: `Serializers["token_obtain_pair"]`, says: "names Python code"},
	)
	checkEnvCases(t, cases)
	t.Logf("%d refused values", len(cases))

	// JSON_ENCODER has no Go field: the error says so.
	_, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{"SIMPLE_JWT_JSON_ENCODER": "app.Encoder"}))
	if err == nil || !strings.HasPrefix(err.Error(), "SIMPLE_JWT_JSON_ENCODER: names Python code") {
		t.Errorf("JSON_ENCODER: %v", err)
	}
	// What the nullable keys and a zero LEEWAY accept.
	s, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(map[string]string{
		"SIMPLE_JWT_LEEWAY": "0", "SIMPLE_JWT_ISSUER": "None", "SIMPLE_JWT_JWK_URL": "None", "SIMPLE_JWT_JTI_CLAIM": "None",
		"SIMPLE_JWT_VERIFYING_KEY": "None", "SIMPLE_JWT_SIGNING_KEY_ID": "None", "SIMPLE_JWT_AUDIENCE": "None",
	}))
	if err != nil || !s.NoJTIClaim || s.Issuer != "" || s.Audience != nil {
		t.Errorf("None: %+v %v", s.Settings, err)
	}
}

// TestEnvReportsEveryProblemInOrder: every bad variable is reported at once, one line each,
// in the order of the settings table and then the unknown variables sorted, the same each time.
func TestEnvReportsEveryProblemInOrder(t *testing.T) {
	env := map[string]string{
		"SIMPLE_JWT_VERIFYING_KEYS":           "b=@/nonexistent/b,a=@/nonexistent/a",
		"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME":    "NaN",
		"SIMPLE_JWT_JTI_CLAIM":                "jti",
		"SIMPLE_JWT_ROTATE_REFRESH_TOKENS":    "maybe",
		"SIMPLE_JWT_SIGNING_KEY":              envKey1,
		"SIMPLE_JWT_SIGNING_KEY_FILE":         "/run/secrets/jwt",
		"SIMPLE_JWT_LEEWAY":                   "-3s",
		"SIMPLE_JWT_ON_LOGIN_FAILED":          "app.hooks.failed",
		"SIMPLE_JWT_SLIDING_TOKEN_LIFETIME":   "0",
		"SIMPLE_JWT_CHECK_USER_IS_ACTIVE":     "nope",
		"SIMPLE_JWT_REFRESH_TOKEN_LIFETIME":   "1h",
		"SIMPLE_JWT_TOKEN_VERIFY_SERIALIZER":  "None",
		"SIMPLE_JWT_AUTH_TOKEN_CLASSES":       "Bogus",
		"SIMPLE_JWT_SLIDING_TOKEN_REFRESH_EX": "typo, ignored with a lookup function",
	}
	want := []string{
		"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME (Settings.AccessTokenLifetime)",
		"SIMPLE_JWT_ROTATE_REFRESH_TOKENS (Settings.RotateRefreshTokens)",
		"SIMPLE_JWT_SIGNING_KEY_FILE (Settings.SigningKey)",
		"SIMPLE_JWT_LEEWAY (Settings.Leeway)",
		"SIMPLE_JWT_ON_LOGIN_FAILED (Settings.OnLoginFailed)",
		"SIMPLE_JWT_AUTH_TOKEN_CLASSES (Settings.AuthTokenClasses)",
		"SIMPLE_JWT_SLIDING_TOKEN_LIFETIME (Settings.SlidingTokenLifetime)",
		"SIMPLE_JWT_CHECK_USER_IS_ACTIVE (Settings.AllowInactiveUsers)",
		`SIMPLE_JWT_VERIFYING_KEYS (Settings.VerifyingKeys["b"])`,
		`SIMPLE_JWT_VERIFYING_KEYS (Settings.VerifyingKeys["a"])`,
	}
	_, first := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(env))
	if first == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(first.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d problems, want %d:\n%s", len(lines), len(want), first)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w+": ") {
			t.Errorf("problem %d: %q, want %s", i, lines[i], w)
		}
	}
	for range 50 {
		if _, again := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookupFrom(env)); again.Error() != first.Error() {
			t.Fatalf("the report changed:\n%s\n---\n%s", first, again)
		}
	}

	// With the process environment, the unknown variables come last, sorted.
	t.Setenv("SIMPLE_JWT_LEEWAY", "-1")
	t.Setenv("SIMPLE_JWT_ZZZ", "1")
	t.Setenv("SIMPLE_JWT_ACESS_TOKEN_LIFETIME", "5m")
	t.Setenv("SIMPLE_JWT_SIGNING_KEY_FILES", "/x")
	_, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), nil)
	lines = strings.Split(fmt.Sprint(err), "\n")
	wantProcess := []string{"SIMPLE_JWT_LEEWAY (Settings.Leeway): must not be negative, got -1s",
		"SIMPLE_JWT_ACESS_TOKEN_LIFETIME is not a SIMPLE_JWT setting", "SIMPLE_JWT_SIGNING_KEY_FILES is not a SIMPLE_JWT setting",
		"SIMPLE_JWT_ZZZ is not a SIMPLE_JWT setting"}
	if !slices.Equal(lines, wantProcess) || !errors.Is(err, ginjwt.ErrUnknownSetting) {
		t.Errorf("got\n%v\nwant\n%s", err, strings.Join(wantProcess, "\n"))
	}
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"5m", 5 * time.Minute, ""}, {" 240s ", 240 * time.Second, ""}, {"300", 300 * time.Second, ""},
		{"0.5", 500 * time.Millisecond, ""}, {"-5m", -5 * time.Minute, ""}, {"1h30m", 90 * time.Minute, ""},
		{"9223372036", 9223372036 * time.Second, ""}, {"2562047h", 2562047 * time.Hour, ""}, {"1e3", 1000 * time.Second, ""},
		{"NaN", 0, "not a finite number"}, {"nan", 0, "not a finite number"}, {"+Inf", 0, "not a finite number"},
		{"-Infinity", 0, "not a finite number"}, {"1e300", 0, "out of range"}, {"-1e300", 0, "out of range"},
		{"1e400", 0, "out of range"}, {"9223372037", 0, "out of range"}, {"99999999999h", 0, "out of range"},
		{"2562048h", 0, "out of range"}, {"", 0, "neither"}, {"5 minutes", 0, "neither"}, {"5d", 0, "neither"},
	}
	for _, tt := range tests {
		d, err := ginjwt.ParseDuration(tt.in)
		if tt.err == "" && (err != nil || d != tt.want) || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, %q", tt.in, d, err, tt.want, tt.err)
		}
	}
}

// FuzzParseDuration: no panic; a parsed duration is what time.ParseDuration reads back from
// its String, and is never produced from NaN or an infinity.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"5m", "300", "0.5", "NaN", "Inf", "1e300", "99999999999h", "-5m", "1h30m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ginjwt.ParseDuration(s)
		if err != nil {
			return
		}
		if back, err := time.ParseDuration(d.String()); err != nil || back != d {
			t.Fatalf("%q → %v, read back %v %v", s, d, back, err)
		}
		if l := strings.ToLower(s); strings.Contains(l, "nan") || strings.Contains(l, "inf") {
			t.Fatalf("%q → %v", s, d)
		}
	})
}

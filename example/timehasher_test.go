package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestTimeHasher: timehasher checks with the environment's preferred hasher and prints one
// line giving the time of a check; bad arguments are usage errors (exit 2) and bad hasher
// settings errors naming the variable (exit 1).
func TestTimeHasher(t *testing.T) {
	line := func(alg string) *regexp.Regexp {
		return regexp.MustCompile(`^timehasher ` + alg + `: [0-9]+\.[0-9]{2} ms per check, ([0-9]+\.[0-9]{2} ms CPU|CPU unknown) \([1-9][0-9]* checks in [0-9]+\.[0-9]{2}s\)\n$`)
	}
	cases := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stdout *regexp.Regexp
		stderr string
	}{
		{"pbkdf2 at the configured count", []string{"PBKDF2_ITERATIONS", "1000"}, []string{"--seconds", "0.05"}, exitOK, line("pbkdf2_sha256"), ""},
		{"the first of PASSWORD_HASHERS", []string{"PASSWORD_HASHERS", "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher", "PBKDF2_ITERATIONS", "1000"},
			[]string{"--seconds", "0.05"}, exitOK, line("pbkdf2_sha1"), ""},
		{"at least one check however short", []string{"PBKDF2_ITERATIONS", "1000"}, []string{"--seconds", "1e-9"}, exitOK, line("pbkdf2_sha256"), ""},
		{"zero seconds", nil, []string{"--seconds", "0"}, exitUsage, nil, "--seconds must be positive"},
		{"negative seconds", nil, []string{"--seconds", "-1"}, exitUsage, nil, "--seconds must be positive"},
		{"not a number", nil, []string{"--seconds", "x"}, exitUsage, nil, `invalid value "x"`},
		{"an argument", nil, []string{"extra"}, exitUsage, nil, "extra"},
		{"bad PBKDF2_ITERATIONS", []string{"PBKDF2_ITERATIONS", "many"}, []string{"--seconds", "0.05"}, exitError, nil, "PBKDF2_ITERATIONS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env, _ := testEnv(t, tc.env...)
			var stdout, stderr bytes.Buffer
			code := envApp(env, &stdout, &stderr).run(t.Context(), append([]string{"timehasher"}, tc.args...))
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.code, stdout.String(), stderr.String())
			}
			if tc.stdout != nil && !tc.stdout.MatchString(stdout.String()) {
				t.Errorf("stdout %q does not match %s", stdout.String(), tc.stdout)
			}
			if tc.stdout == nil && stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q does not name %q", stderr.String(), tc.stderr)
			}
		})
	}
}

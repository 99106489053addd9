package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

// envApp is the program as main runs it, its password hashers read from env (no test hashers).
func envApp(env lookupFunc, stdout, stderr io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, env: env, logger: newLogger(stderr)}
}

// TestPasswordHashersFromEnvironment: PBKDF2_ITERATIONS sets the count of new hashes (cheap
// here), PASSWORD_HASHERS enables a legacy hasher by Django's class name, and a user with a
// hash of a hasher that is not enabled cannot log in.
func TestPasswordHashersFromEnvironment(t *testing.T) {
	t.Parallel()
	const md5Hash = "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3" // "lètmein", Django's MD5PasswordHasher
	withMD5 := "django.contrib.auth.hashers.PBKDF2PasswordHasher, django.contrib.auth.hashers.MD5PasswordHasher"
	env, _ := testEnv(t, "PBKDF2_ITERATIONS", "1000", "PASSWORD_HASHERS", withMD5)
	var stdout, stderr bytes.Buffer
	if code := envApp(env, &stdout, &stderr).run(t.Context(), []string{"createuser", "--username", "alice", "--password", "alice-password-1"}); code != 0 {
		t.Fatalf("createuser: exit %d, %s", code, stderr.String())
	}
	if code := envApp(env, &stdout, &stderr).run(t.Context(), []string{"createuser", "--username", "legacy", "--password", "x"}); code != 0 {
		t.Fatalf("createuser: exit %d, %s", code, stderr.String())
	}
	db, err := dburl.Open(t.Context(), env.databaseURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	password := func(username string) string {
		var u models.User
		if err := db.Where("username = ?", username).First(&u).Error; err != nil {
			t.Fatal(err)
		}
		return u.Password
	}
	if p := password("alice"); !strings.HasPrefix(p, "pbkdf2_sha256$1000$") {
		t.Fatalf("createuser with PBKDF2_ITERATIONS=1000 stored %q", p)
	}
	if err := db.Exec("UPDATE auth_user SET password = ? WHERE username = ?", md5Hash, "legacy").Error; err != nil {
		t.Fatal(err)
	}

	serve := func(env lookupFunc) *service {
		t.Helper()
		a := envApp(env, io.Discard, io.Discard)
		j, closeDB, err := a.newJWT(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(closeDB)
		return &service{t: t, router: newRouter(j, a.logger, true)}
	}
	noAccount := `{"detail":"No active account found with the given credentials"}`

	// Without MD5 in PASSWORD_HASHERS (Django's defaults), the MD5 user cannot log in.
	defaults := func(k string) (string, bool) {
		if k == "PASSWORD_HASHERS" {
			return "", false
		}
		return env(k)
	}
	s := serve(defaults)
	s.do("POST", "/api/token/", "", `{"username":"legacy","password":"lètmein"}`).expect(t, "MD5 hash, MD5 not enabled", 401, noAccount)
	s.do("POST", "/api/token/", "", `{"username":"alice","password":"alice-password-1"}`).expect(t, "alice, defaults", 200, "")
	if p := password("legacy"); p != md5Hash {
		t.Fatalf("a refused login changed the hash to %q", p)
	}

	// With it, the MD5 user logs in and is re-hashed at PBKDF2_ITERATIONS.
	s = serve(env)
	s.do("POST", "/api/token/", "", `{"username":"legacy","password":"lètmein"}`).expect(t, "MD5 hash, MD5 enabled", 200, "")
	if p := password("legacy"); !strings.HasPrefix(p, "pbkdf2_sha256$1000$") {
		t.Errorf("after the login the hash is %q, want pbkdf2_sha256$1000$…", p)
	}
	s.do("POST", "/api/token/", "", `{"username":"legacy","password":"lètmein"}`).expect(t, "re-hashed user", 200, "")

	// Settings that cannot work stop the program with a message naming them.
	for _, tt := range []struct {
		vars []string
		want string
	}{
		{[]string{"PBKDF2_ITERATIONS", "many"}, `PBKDF2_ITERATIONS="many"`},
		{[]string{"PBKDF2_ITERATIONS", "0"}, `PBKDF2_ITERATIONS="0"`},
		{[]string{"PBKDF2_ITERATIONS", "-5"}, `PBKDF2_ITERATIONS="-5"`},
		{[]string{"PBKDF2_ITERATIONS", "100000001"}, "PBKDF2 iterations 100000001"},
		{[]string{"PASSWORD_HASHERS", "MD5PasswordHasher"}, `PASSWORD_HASHERS: unknown hasher "MD5PasswordHasher"`},
		{[]string{"PASSWORD_HASHERS", "django.contrib.auth.hashers.PBKDF2PasswordHasher,"}, `PASSWORD_HASHERS: unknown hasher ""`},
		{[]string{"PASSWORD_HASHERS", "django.contrib.auth.hashers.CryptPasswordHasher"}, "CryptPasswordHasher (crypt(3), removed in Django 5.0) is not supported"},
	} {
		env, _ := testEnv(t, append(tt.vars, "ADDR", "127.0.0.1:0")...)
		for _, args := range [][]string{nil, {"createuser", "--username", "u", "--password", "p"}} {
			var stdout, stderr bytes.Buffer
			code := envApp(env, &stdout, &stderr).run(t.Context(), args)
			if code != exitError || stdout.String() != "" || !strings.Contains(stderr.String(), tt.want) || strings.Contains(stderr.String(), "listening") {
				t.Errorf("%v %v: exit %d, stdout %q, stderr %q; want exit 1 and a message with %s", tt.vars, args, code, stdout.String(), stderr.String(), tt.want)
			}
		}
	}
}

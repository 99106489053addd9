package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

// testEnv is an environment for run and loadSettings: a SQLite file in a fresh directory plus
// the given variables.
func testEnv(t *testing.T, vars ...string) (lookupFunc, string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": filepath.Join(dir, "db.sqlite3")}
	for i := 0; i+1 < len(vars); i += 2 {
		env[vars[i]] = vars[i+1]
	}
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }, dir
}

// testHashers hash passwords in Django's pbkdf2_sha256 format with few iterations: Django's
// 1,500,000 take seconds under the race detector.
var testHashers = hashers.New(hashers.PBKDF2SHA256(1000))

// testApp is the program as main runs it, with env, cheap hashers, and its logs in logs.
func testApp(env lookupFunc, stdout, stderr io.Writer, logs io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, env: env, logger: newLogger(logs), hashers: testHashers}
}

// runCmd runs the command line with env and returns the exit code, stdout and stderr.
func runCmd(t *testing.T, env lookupFunc, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := testApp(env, &stdout, &stderr, &stderr).run(t.Context(), args)
	return code, stdout.String(), stderr.String()
}

// service is the router of one test, on its own database, with alice (password
// "alice-password-1", pk 1) created through the createuser command.
type service struct {
	t      *testing.T
	router http.Handler
	logs   *syncBuffer
}

func newService(t *testing.T, vars ...string) *service {
	t.Helper()
	env, _ := testEnv(t, vars...)
	return newServiceEnv(t, env)
}

func newServiceEnv(t *testing.T, env lookupFunc) *service {
	t.Helper()
	if code, out, errOut := runCmd(t, env, "createuser", "--username", "alice", "--password", "alice-password-1"); code != 0 || out != "1\n" {
		t.Fatalf("createuser alice: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	logs := &syncBuffer{}
	a := testApp(env, io.Discard, io.Discard, logs)
	j, closeDB, err := a.newJWT(t.Context())
	if err != nil {
		t.Fatalf("newJWT: %v", err)
	}
	t.Cleanup(closeDB)
	return &service{t: t, router: newRouter(j, a.logger, true), logs: logs}
}

type response struct {
	status int
	header http.Header
	body   string
}

// do sends one request; body, when not empty, is JSON.
func (s *service) do(method, path, authorization, body string) response {
	s.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(s.t.Context(), method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, req)
	return response{status: w.Code, header: w.Header(), body: w.Body.String()}
}

// obtain logs alice in and returns the refresh and access tokens.
func (s *service) obtain() (refresh, access string) {
	s.t.Helper()
	res := s.do("POST", "/api/token/", "", `{"username": "alice", "password": "alice-password-1"}`)
	if res.status != http.StatusOK {
		s.t.Fatalf("obtain: %d %s", res.status, res.body)
	}
	var pair struct{ Refresh, Access string }
	if err := json.Unmarshal([]byte(res.body), &pair); err != nil || pair.Refresh == "" || pair.Access == "" {
		s.t.Fatalf("obtain: body %s (%v)", res.body, err)
	}
	return pair.Refresh, pair.Access
}

func (r response) expect(t *testing.T, what string, status int, body string) {
	t.Helper()
	if r.status != status || (body != "" && r.body != body) {
		t.Errorf("%s: got %d %s, want %d %s", what, r.status, r.body, status, body)
	}
	if ct := r.header.Get("Content-Type"); r.body != "" && ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", what, ct)
	}
	if got := r.header.Get("WWW-Authenticate"); status == http.StatusUnauthorized && got != `Bearer realm="api"` {
		t.Errorf("%s: WWW-Authenticate %q, want Bearer realm=\"api\"", what, got)
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestWalkthrough is example/WALKTHROUGH.md in process: log in, the two protected routes,
// refresh, blacklist, and the refused refresh.
func TestWalkthrough(t *testing.T) {
	t.Parallel()
	s := newService(t)
	refresh, access := s.obtain()
	bearer := "Bearer " + access

	s.do("GET", "/api/me/", bearer, "").expect(t, "GET /api/me/", 200, `{"id":1,"username":"alice"}`)
	s.do("GET", "/api/me/", "", "").expect(t, "GET /api/me/ anonymous", 401,
		`{"detail":"Authentication credentials were not provided."}`)
	s.do("GET", "/api/me/stateless/", bearer, "").expect(t, "GET /api/me/stateless/", 200,
		`{"id":"1","username":"alice"}`)

	res := s.do("POST", "/api/token/refresh/", "", `{"refresh": "`+refresh+`"}`)
	res.expect(t, "refresh", 200, "")
	var fresh struct{ Access, Refresh string }
	if err := json.Unmarshal([]byte(res.body), &fresh); err != nil || fresh.Access == "" || fresh.Refresh != "" {
		t.Fatalf("refresh: body %s, want only an access token (%v)", res.body, err)
	}
	s.do("GET", "/api/me/", "Bearer "+fresh.Access, "").expect(t, "GET /api/me/ with the refreshed token", 200,
		`{"id":1,"username":"alice"}`)

	s.do("POST", "/api/token/blacklist/", "", `{"refresh": "`+refresh+`"}`).expect(t, "blacklist", 200, `{}`)
	s.do("POST", "/api/token/refresh/", "", `{"refresh": "`+refresh+`"}`).expect(t, "refresh after blacklist", 401,
		`{"detail":"Token is blacklisted","code":"token_not_valid"}`)

	logs := s.logs.String()
	for _, secret := range []string{refresh, access, "alice-password-1"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold a token or the password:\n%s", logs)
		}
	}
	if !strings.Contains(logs, "msg=request method=GET path=/api/me/ status=200 duration=") {
		t.Errorf("no request log line for GET /api/me/:\n%s", logs)
	}
}

// TestStatelessNoUsernameClaim: a token without the custom claim shows only the id, as the
// reference Django project does.
func TestStatelessWithoutCustomClaim(t *testing.T) {
	t.Parallel()
	env, _ := testEnv(t)
	a := testApp(env, io.Discard, io.Discard, io.Discard)
	j, closeDB, err := a.newJWT(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	tok, err := j.Tokens().ForUser(t.Context(), tokens.AccessToken, tokens.Subject{ID: "424242"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	s := &service{t: t, router: newRouter(j, a.logger, true)}
	s.do("GET", "/api/me/stateless/", "Bearer "+raw, "").expect(t, "stateless, unknown user", 200, `{"id":"424242"}`)
	s.do("GET", "/api/me/", "Bearer "+raw, "").expect(t, "database user, unknown user", 401,
		`{"detail":"User not found","code":"user_not_found"}`)
}

// TestMethodsAndPaths: DRF's 405 with Allow on every route, HEAD and OPTIONS on the GET routes,
// 401 before 405 for anonymous requests (DRF authenticates first), 404 JSON elsewhere.
func TestMethodsAndPaths(t *testing.T) {
	t.Parallel()
	s := newService(t)
	_, access := s.obtain()
	bearer := "Bearer " + access
	tests := []struct {
		name, method, path, auth string
		status                   int
		allow, body              string
	}{
		{"POST me", "POST", "/api/me/", bearer, 405, allowMe, `{"detail":"Method \"POST\" not allowed."}`},
		{"PUT me", "PUT", "/api/me/", bearer, 405, allowMe, `{"detail":"Method \"PUT\" not allowed."}`},
		{"DELETE stateless", "DELETE", "/api/me/stateless/", bearer, 405, allowMe, `{"detail":"Method \"DELETE\" not allowed."}`},
		{"PROPFIND me", "PROPFIND", "/api/me/", bearer, 405, allowMe, `{"detail":"Method \"PROPFIND\" not allowed."}`},
		{"POST me anonymous", "POST", "/api/me/", "", 401, allowMe, `{"detail":"Authentication credentials were not provided."}`},
		{"GET me", "GET", "/api/me/", bearer, 200, allowMe, `{"id":1,"username":"alice"}`},
		{"HEAD me", "HEAD", "/api/me/", bearer, 200, allowMe, ``},
		{"HEAD stateless", "HEAD", "/api/me/stateless/", bearer, 200, allowMe, ``},
		{"OPTIONS me", "OPTIONS", "/api/me/", bearer, 200, allowMe,
			`{"name":"Me","description":"The DB-backed user named by the access token.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}`},
		{"OPTIONS me anonymous", "OPTIONS", "/api/me/", "", 401, allowMe, `{"detail":"Authentication credentials were not provided."}`},
		{"GET obtain", "GET", "/api/token/", "", 405, "POST, OPTIONS", `{"detail":"Method \"GET\" not allowed."}`},
		{"PUT refresh", "PUT", "/api/token/refresh/", "", 405, "POST, OPTIONS", `{"detail":"Method \"PUT\" not allowed."}`},
		{"DELETE verify", "DELETE", "/api/token/verify/", "", 405, "POST, OPTIONS", `{"detail":"Method \"DELETE\" not allowed."}`},
		{"GET blacklist", "GET", "/api/token/blacklist/", "", 405, "POST, OPTIONS", `{"detail":"Method \"GET\" not allowed."}`},
		{"PATCH sliding", "PATCH", "/api/token/sliding/", "", 405, "POST, OPTIONS", `{"detail":"Method \"PATCH\" not allowed."}`},
		{"PROPFIND sliding refresh", "PROPFIND", "/api/token/sliding/refresh/", "", 405, "POST, OPTIONS", `{"detail":"Method \"PROPFIND\" not allowed."}`},
		{"unknown path", "GET", "/api/nothing/", "", 404, "", `{"detail":"Not found."}`},
		{"root", "GET", "/", bearer, 404, "", `{"detail":"Not found."}`},
		{"POST unknown path", "POST", "/api/token/nothing/", "", 404, "", `{"detail":"Not found."}`},
		{"unknown path without slash", "GET", "/api/nothing", "", 404, "", `{"detail":"Not found."}`},
		{"GET me without slash", "GET", "/api/me", bearer, 301, "", ""},
		{"POST obtain without slash", "POST", "/api/token", "", 308, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(tt.method, tt.path, tt.auth, "")
			if tt.status == http.StatusMovedPermanently || tt.status == http.StatusPermanentRedirect {
				// Django's APPEND_SLASH; the body is net/http's HTML link.
				if res.status != tt.status || res.header.Get("Location") != tt.path+"/" {
					t.Errorf("got %d to %q, want %d to %q", res.status, res.header.Get("Location"), tt.status, tt.path+"/")
				}
				return
			}
			res.expect(t, tt.method+" "+tt.path, tt.status, tt.body)
			if tt.body == "" && res.body != "" {
				t.Errorf("body %q, want none", res.body)
			}
			if got := res.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if tt.status == http.StatusOK || tt.status >= 400 {
				if got := res.header.Get("Content-Type"); got != "application/json" {
					t.Errorf("Content-Type %q, want application/json", got)
				}
			}
		})
	}
}

// TestPanicIsJSON500: a panic in a handler is answered 500 with the fixed body, and logged.
func TestPanicIsJSON500(t *testing.T) {
	t.Parallel()
	s := newService(t)
	s.router.(*gin.Engine).GET("/api/panic/", func(*gin.Context) { panic("boom") })
	s.do("GET", "/api/panic/", "", "").expect(t, "panic", 500, `{"detail":"A server error occurred."}`)
	if logs := s.logs.String(); !strings.Contains(logs, "boom") || !strings.Contains(logs, "status=500") {
		t.Errorf("the panic and the 500 are not logged:\n%s", logs)
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	env, _ := testEnv(t)
	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string // a substring
	}{
		{"migrate", []string{"migrate"}, 0, "migrated\n", ""},
		{"migrate again", []string{"migrate"}, 0, "migrated\n", ""},
		{"createuser", []string{"createuser", "--username", "alice", "--password", "alice-password-1"}, 0, "1\n", ""},
		{"createuser superuser", []string{"createuser", "--username", "root", "--password", "root-password-1", "--email", "root@Example.COM", "--superuser"}, 0, "2\n", ""},
		{"createuser inactive", []string{"createuser", "--username", "bob", "--password", "bob-password-1", "--inactive"}, 0, "3\n", ""},
		{"createuser taken", []string{"createuser", "--username", "alice", "--password", "x"}, 1, "", "createuser"},
		{"createuser no password", []string{"createuser", "--username", "carol"}, 2, "", "usage:"},
		{"createuser unknown flag", []string{"createuser", "--username", "carol", "--password", "p", "--admin"}, 2, "", "usage:"},
		{"createuser argument", []string{"createuser", "--username", "carol", "--password", "p", "extra"}, 2, "", "usage:"},
		{"changepassword", []string{"changepassword", "--username", "alice", "--password", "new-password-1"}, 0, "1\n", ""},
		{"changepassword unknown user", []string{"changepassword", "--username", "nobody", "--password", "p"}, 1, "", "changepassword"},
		{"changepassword no username", []string{"changepassword", "--password", "p"}, 2, "", "usage:"},
		{"flushexpiredtokens", []string{"flushexpiredtokens"}, 0, "0\n", ""},
		{"flushexpiredtokens argument", []string{"flushexpiredtokens", "now"}, 2, "", "usage:"},
		{"unknown command", []string{"createsuperuser"}, 2, "", `unknown command "createsuperuser"`},
		{"unknown serve flag", []string{"--port", "80"}, 2, "", "usage:"},
		{"help", []string{"help"}, 0, usage, ""},
	}
	for _, st := range steps { // in order: each step sees the previous ones' database
		code, stdout, stderr := runCmd(t, env, st.args...)
		if code != st.code || stdout != st.stdout || !strings.Contains(stderr, st.stderr) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q",
				st.name, code, stdout, stderr, st.code, st.stdout, st.stderr)
		}
	}

	// The rows are Django's: the password in Django's format, the flags create_user and
	// create_superuser set, the e-mail's domain in lower case.
	db, err := dburl.Open(t.Context(), env.databaseURL())
	if err != nil {
		t.Fatal(err)
	}
	var users []models.User
	if err := db.Order("id").Find(&users).Error; err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
	type row struct {
		username, email          string
		active, staff, superuser bool
	}
	want := []row{{"alice", "", true, false, false}, {"root", "root@example.com", true, true, true}, {"bob", "", false, false, false}}
	if len(users) != len(want) {
		t.Fatalf("%d users, want %d", len(users), len(want))
	}
	for i, u := range users {
		if got := (row{u.Username, u.Email, u.IsActive, u.IsStaff, u.IsSuperuser}); got != want[i] {
			t.Errorf("user %d: %+v, want %+v", u.ID, got, want[i])
		}
		if !strings.HasPrefix(u.Password, "pbkdf2_sha256$1000$") || u.DateJoined.IsZero() {
			t.Errorf("user %d: password %q, date_joined %v: not what Django's create_user writes", u.ID, u.Password, u.DateJoined)
		}
	}

	// The passwords work at the login endpoint: alice's new one, not the old one; bob is inactive.
	s := &service{t: t}
	a := testApp(env, io.Discard, io.Discard, io.Discard)
	j, closeDB, err := a.newJWT(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	s.router = newRouter(j, a.logger, true)
	noAccount := `{"detail":"No active account found with the given credentials"}`
	s.do("POST", "/api/token/", "", `{"username":"alice","password":"alice-password-1"}`).expect(t, "old password", 401, noAccount)
	s.do("POST", "/api/token/", "", `{"username":"alice","password":"new-password-1"}`).expect(t, "new password", 200, "")
	s.do("POST", "/api/token/", "", `{"username":"root","password":"root-password-1"}`).expect(t, "superuser", 200, "")
	s.do("POST", "/api/token/", "", `{"username":"bob","password":"bob-password-1"}`).expect(t, "inactive", 401, noAccount)
}

// TestFlushExpiredTokensKeepsLeeway: the command reads SIMPLE_JWT_LEEWAY as the server does and
// keeps the rows of tokens expired for less than it (the server still accepts those tokens, so a
// blacklisted one must stay blacklisted); without a leeway it deletes every expired row.
func TestFlushExpiredTokensKeepsLeeway(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		leeway []string // environment
		stdout string
		kept   []string
	}{
		{"LEEWAY=60s", []string{"SIMPLE_JWT_LEEWAY", "60s"}, "1\n", []string{"expired-30s-ago", "valid"}},
		{"LEEWAY=60 (seconds)", []string{"SIMPLE_JWT_LEEWAY", "60"}, "1\n", []string{"expired-30s-ago", "valid"}},
		{"no LEEWAY", nil, "2\n", []string{"valid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, _ := testEnv(t, tc.leeway...)
			if code, _, stderr := runCmd(t, env, "migrate"); code != 0 {
				t.Fatalf("migrate: %s", stderr)
			}
			db, err := dburl.Open(t.Context(), env.databaseURL())
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if sqlDB, err := db.DB(); err == nil {
					_ = sqlDB.Close()
				}
			}()
			store := models.NewTokenStore(db, nil)
			now := time.Now()
			for jti, exp := range map[string]time.Time{
				"expired-2m-ago":  now.Add(-2 * time.Minute),
				"expired-30s-ago": now.Add(-30 * time.Second),
				"valid":           now.Add(time.Hour),
			} {
				if _, err := store.Blacklist(t.Context(), models.TokenRecord{JTI: jti, Token: "t", ExpiresAt: exp}); err != nil {
					t.Fatal(err)
				}
			}
			if code, stdout, stderr := runCmd(t, env, "flushexpiredtokens"); code != 0 || stdout != tc.stdout {
				t.Fatalf("flushexpiredtokens: exit %d, stdout %q, stderr %q; want 0, %q", code, stdout, stderr, tc.stdout)
			}
			for _, jti := range []string{"expired-2m-ago", "expired-30s-ago", "valid"} {
				bl, err := store.IsBlacklisted(t.Context(), jti)
				if want := slices.Contains(tc.kept, jti); err != nil || bl != want {
					t.Errorf("%s: blacklisted = %v, %v after the flush; want %v", jti, bl, err, want)
				}
			}
		})
	}
}

func TestKeyFilePath(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, want string }{
		{"simplejwt.sqlite3", "simplejwt.sqlite3.signing-key"},
		{"/var/lib/app/db.sqlite3", "/var/lib/app/db.sqlite3.signing-key"},
		{"data/db.sqlite3?_busy_timeout=1000", "data/db.sqlite3.signing-key"},
		{"sqlite:///relative.db", "relative.db.signing-key"},
		{"sqlite:////abs/path.db", "/abs/path.db.signing-key"},
		{"file:app.db?mode=rwc", "app.db.signing-key"},
		{":memory:", defaultKeyFile},
		{"sqlite:///:memory:", defaultKeyFile},
		{"file::memory:?cache=shared", defaultKeyFile},
		{"file:mem.db?mode=memory", defaultKeyFile},
		{"postgres://u:p@127.0.0.1:5432/app?sslmode=disable", defaultKeyFile},
		{"mysql://root@127.0.0.1:3306/app", defaultKeyFile},
	}
	for _, tt := range tests {
		if got := keyFilePath(tt.url); got != tt.want {
			t.Errorf("keyFilePath(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// TestRandomKey: without SIMPLE_JWT_SIGNING_KEY the first start makes a key file beside the
// database (mode 0600) and warns; later starts reuse it, so tokens survive a restart.
func TestRandomKey(t *testing.T) {
	t.Parallel()
	env, dir := testEnv(t)
	keyFile := filepath.Join(dir, "db.sqlite3.signing-key")
	var logs syncBuffer
	logger := newLogger(&logs)

	s1, err := loadSettings(env, env.databaseURL(), logger)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("no key file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	if len(s1.SigningKey) != 2*keyBytes {
		t.Errorf("key of %d characters, want %d hex digits", len(s1.SigningKey), 2*keyBytes)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "made a random key") ||
		strings.Contains(logs.String(), s1.SigningKey) {
		t.Errorf("first run: want a warning that does not show the key, got:\n%s", logs.String())
	}

	logs.mu.Lock()
	logs.buf.Reset()
	logs.mu.Unlock()
	s2, err := loadSettings(env, env.databaseURL(), logger)
	if err != nil {
		t.Fatal(err)
	}
	if s2.SigningKey != s1.SigningKey {
		t.Error("the second run made another key")
	}
	if !strings.Contains(logs.String(), "using the random key") {
		t.Errorf("second run: want a warning, got:\n%s", logs.String())
	}

	// A token made before a restart is accepted after it.
	s := newServiceEnv(t, env)
	_, access := s.obtain()
	s = &service{t: t}
	a := testApp(env, io.Discard, io.Discard, io.Discard)
	j, closeDB, err := a.newJWT(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	s.router = newRouter(j, a.logger, true)
	s.do("GET", "/api/me/", "Bearer "+access, "").expect(t, "after restart", 200, `{"id":1,"username":"alice"}`)
}

// TestKeyFileRefused: a key file that is not the service's own secret is refused, not used.
func TestKeyFileRefused(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("ab", keyBytes) + "\n"
	tests := []struct {
		name  string
		setup func(path string) error
		want  string
	}{
		{"readable by others", func(p string) error { return writeMode(p, key, 0o644) }, "mode 0644"},
		{"writable by the group", func(p string) error { return writeMode(p, key, 0o620) }, "mode 0620"},
		{"empty", func(p string) error { return os.WriteFile(p, nil, 0o600) }, "holds 0 characters"},
		{"too short", func(p string) error { return os.WriteFile(p, []byte("secret\n"), 0o600) }, "holds 6 characters"},
		{"symlink", func(p string) error {
			target := p + ".target"
			if err := os.WriteFile(target, []byte(key), 0o600); err != nil {
				return err
			}
			return os.Symlink(target, p)
		}, "not a regular file"},
		{"directory", func(p string) error { return os.Mkdir(p, 0o700) }, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, dir := testEnv(t)
			if err := tt.setup(filepath.Join(dir, "db.sqlite3.signing-key")); err != nil {
				t.Fatal(err)
			}
			_, err := loadSettings(env, env.databaseURL(), newLogger(io.Discard))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "SIMPLE_JWT_SIGNING_KEY") {
				t.Errorf("got %v, want an error saying %q and naming SIMPLE_JWT_SIGNING_KEY", err, tt.want)
			}
		})
	}
}

// writeMode writes a file with exactly mode perm, whatever the umask.
func writeMode(path, content string, perm os.FileMode) error {
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		return err
	}
	return os.Chmod(path, perm)
}

// TestRandomKeyConcurrentStarts: processes starting together agree on one key.
func TestRandomKeyConcurrentStarts(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite3.signing-key")
	const n = 16
	keys := make([]string, n)
	created := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			if keys[i], created[i], err = ensureKeyFile(path); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	made := 0
	for i := range n {
		if keys[i] != keys[0] {
			t.Fatalf("start %d got another key", i)
		}
		if created[i] {
			made++
		}
	}
	if made != 1 {
		t.Errorf("%d starts say they made the key, want 1", made)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestSigningKeyFromEnvironment(t *testing.T) {
	t.Parallel()
	env, dir := testEnv(t, "SIMPLE_JWT_SIGNING_KEY", relSigningKey)
	var logs syncBuffer
	s, err := loadSettings(env, env.databaseURL(), newLogger(&logs))
	if err != nil {
		t.Fatal(err)
	}
	if s.SigningKey != relSigningKey {
		t.Errorf("SigningKey %q", s.SigningKey)
	}
	if _, err := os.Stat(filepath.Join(dir, "db.sqlite3.signing-key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was made although SIMPLE_JWT_SIGNING_KEY is set (%v)", err)
	}
	if logs.String() != "" {
		t.Errorf("unexpected logs:\n%s", logs.String())
	}
}

// TestBadEnvironment: a bad variable stops the server before it listens, with a message that
// names it.
func TestBadEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		vars []string
		want string
	}{
		{"duration", []string{"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME", "five minutes"}, "SIMPLE_JWT_ACCESS_TOKEN_LIFETIME"},
		{"boolean", []string{"SIMPLE_JWT_ROTATE_REFRESH_TOKENS", "yes please"}, "SIMPLE_JWT_ROTATE_REFRESH_TOKENS"},
		{"token class", []string{"SIMPLE_JWT_AUTH_TOKEN_CLASSES", "AccessToken,BearerToken"}, "BearerToken"},
		{"short key", []string{"SIMPLE_JWT_SIGNING_KEY", "secret"}, "SIGNING_KEY"},
		{"algorithm", []string{"SIMPLE_JWT_ALGORITHM", "none"}, "ALGORITHM"},
		{"RS256 without a key", []string{"SIMPLE_JWT_ALGORITHM", "RS256"}, "RS256"},
		{"negative lifetime", []string{"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME", "-5m"}, "ACCESS_TOKEN_LIFETIME"},
		{"database", []string{"DATABASE_URL", "oracle://scott@db/app"}, "oracle"},
		{"database timeout = write timeout", []string{"DATABASE_TIMEOUT", "30s"}, "DATABASE_TIMEOUT"},
		{"database timeout > write timeout", []string{"DATABASE_TIMEOUT", "60"}, "shorter than the server's write timeout (30s)"},
		{"database timeout negative", []string{"DATABASE_TIMEOUT", "-1s"}, "DATABASE_TIMEOUT"},
		{"database timeout text", []string{"DATABASE_TIMEOUT", "soon"}, "DATABASE_TIMEOUT"},
		{"request log", []string{"REQUEST_LOG", "sometimes"}, "REQUEST_LOG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, _ := testEnv(t, append(tt.vars, "ADDR", "127.0.0.1:0")...)
			code, stdout, stderr := runCmd(t, env)
			if code != exitError || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "listening") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and a message naming %q", code, stdout, stderr, tt.want)
			}
		})
	}
}

// TestDatabaseTimeoutEnvironment: DATABASE_TIMEOUT, a Go duration or seconds, becomes
// Settings.DatabaseTimeout; unset, it is models.DefaultTimeout.
func TestDatabaseTimeoutEnvironment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		value string
		want  time.Duration
	}{{"", models.DefaultTimeout}, {"2s", 2 * time.Second}, {"1.5", 1500 * time.Millisecond}, {"29s", 29 * time.Second}} {
		env, _ := testEnv(t, "DATABASE_TIMEOUT", c.value, "SIMPLE_JWT_SIGNING_KEY", strings.Repeat("k", 64))
		s, err := loadSettings(env, env.databaseURL(), newLogger(io.Discard))
		if err != nil || s.DatabaseTimeout != c.want {
			t.Errorf("DATABASE_TIMEOUT=%q: %v, %v; want %v", c.value, s.DatabaseTimeout, err, c.want)
		}
	}
}

// TestProcessEnvironment reads the real environment, as main does: ROTATE_REFRESH_TOKENS is
// honoured end to end, and a misspelt SIMPLE_JWT_ variable is refused. It uses t.Setenv, so it
// cannot run in parallel with the other tests.
func TestProcessEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "db.sqlite3"))
	t.Setenv("SIMPLE_JWT_ROTATE_REFRESH_TOKENS", "true")

	t.Run("rotation", func(t *testing.T) {
		s := newServiceEnv(t, nil)
		refresh, _ := s.obtain()
		res := s.do("POST", "/api/token/refresh/", "", `{"refresh": "`+refresh+`"}`)
		var pair struct{ Access, Refresh string }
		if err := json.Unmarshal([]byte(res.body), &pair); err != nil || res.status != 200 || pair.Access == "" || pair.Refresh == "" {
			t.Fatalf("refresh with ROTATE_REFRESH_TOKENS: %d %s, want access and refresh", res.status, res.body)
		}
		if pair.Refresh == refresh {
			t.Error("the rotated refresh token is the old one")
		}
	})

	t.Run("misspelt variable", func(t *testing.T) {
		t.Setenv("SIMPLE_JWT_ACCESS_TOKEN_LIFETIM", "5m")
		t.Setenv("ADDR", "127.0.0.1:0")
		code, _, stderr := runCmd(t, nil)
		if code != exitError || !strings.Contains(stderr, "SIMPLE_JWT_ACCESS_TOKEN_LIFETIM is not a SIMPLE_JWT setting") {
			t.Errorf("exit %d, stderr %q; want exit 1 naming the variable", code, stderr)
		}
	})
}

// TestServeGracefulShutdown: the server answers on its listener and returns nil once its
// context is cancelled (SIGINT or SIGTERM in main), after a request in flight finishes.
func TestServeGracefulShutdown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(200 * time.Millisecond)
		_, _ = io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs syncBuffer
	errc := make(chan error, 1)
	go func() { errc <- serveHTTP(ctx, ln, h, newLogger(&logs)) }()

	type result struct {
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			resc <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		resc <- result{string(b), err}
	}()
	<-started
	cancel()
	if r := <-resc; r.err != nil || r.body != "done" {
		t.Errorf("request in flight: %q, %v; want it to finish", r.body, r.err)
	}
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	case <-time.After(shutdownTimeout + time.Second):
		t.Fatal("serveHTTP did not return")
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown log line:\n%s", logs.String())
	}
}

// TestConfigurationRefusedAtStart: a configuration that cannot work safely stops the service
// before it listens, exit 1, with a message naming the setting and never the key; no random key
// is made in its place.
func TestConfigurationRefusedAtStart(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	pub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty-key")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "secrets", "..", "missing-signing-key-of-the-service")
	tests := []struct {
		name   string
		vars   []string
		want   string
		secret string
	}{
		{"signing key: a path with no file", []string{"SIMPLE_JWT_SIGNING_KEY", missing}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): names a file that cannot be read", missing},
		{"signing key: the issue's path", []string{"SIMPLE_JWT_SIGNING_KEY", "/run/secrets/simplejwt-jwt-signing-key"}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey)", "/run/secrets/simplejwt-jwt-signing-key"},
		{"signing key: an empty file", []string{"SIMPLE_JWT_SIGNING_KEY", empty}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): names a file that is empty", empty},
		{"signing key file: empty", []string{"SIMPLE_JWT_SIGNING_KEY_FILE", empty}, "SIMPLE_JWT_SIGNING_KEY_FILE (Settings.SigningKey): " + empty + " is empty", ""},
		{"signing key file: missing", []string{"SIMPLE_JWT_SIGNING_KEY_FILE", missing}, "SIMPLE_JWT_SIGNING_KEY_FILE (Settings.SigningKey)", ""},
		{"signing key and its file", []string{"SIMPLE_JWT_SIGNING_KEY", "x", "SIMPLE_JWT_SIGNING_KEY_FILE", empty}, "SIMPLE_JWT_SIGNING_KEY is set too", ""},
		{"signing key set but empty", []string{"SIMPLE_JWT_SIGNING_KEY", ""}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): is set but empty", ""},
		{"HS256 with an RSA public key", []string{"SIMPLE_JWT_SIGNING_KEY", pub}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret", "MII"},
		{"HS256 with one character repeated", []string{"SIMPLE_JWT_SIGNING_KEY", strings.Repeat("k", 64)}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): is one character repeated", strings.Repeat("k", 64)},
		{"RS256 with a public key to sign", []string{"SIMPLE_JWT_ALGORITHM", "RS256", "SIMPLE_JWT_SIGNING_KEY", pub}, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): holds a PEM RSA public key, but signing needs the private key", "MII"},
		{"verifying keys: kid=@missing", []string{"SIMPLE_JWT_SIGNING_KEY", relSigningKey, "SIMPLE_JWT_VERIFYING_KEYS", "old=@" + missing}, `SIMPLE_JWT_VERIFYING_KEYS (Settings.VerifyingKeys["old"])`, relSigningKey},
		{"verifying keys: a path with no file", []string{"SIMPLE_JWT_SIGNING_KEY", relSigningKey, "SIMPLE_JWT_VERIFYING_KEYS", "old=" + missing}, `SIMPLE_JWT_VERIFYING_KEYS (Settings.VerifyingKeys["old"])`, missing},
		{"JTI_CLAIM None with the blacklist", []string{"SIMPLE_JWT_JTI_CLAIM", "None", "SIMPLE_JWT_SIGNING_KEY", relSigningKey}, "SIMPLE_JWT_JTI_CLAIM (Settings.NoJTIClaim): cannot be None while the token blacklist is installed", ""},
		{"zero lifetime", []string{"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME", "0", "SIMPLE_JWT_SIGNING_KEY", relSigningKey}, "SIMPLE_JWT_ACCESS_TOKEN_LIFETIME (Settings.AccessTokenLifetime): must be positive", ""},
		{"NaN lifetime", []string{"SIMPLE_JWT_REFRESH_TOKEN_LIFETIME", "NaN", "SIMPLE_JWT_SIGNING_KEY", relSigningKey}, "SIMPLE_JWT_REFRESH_TOKEN_LIFETIME (Settings.RefreshTokenLifetime): \"NaN\" is not a finite number", ""},
		{"overflowing lifetime", []string{"SIMPLE_JWT_SLIDING_TOKEN_LIFETIME", "99999999999h", "SIMPLE_JWT_SIGNING_KEY", relSigningKey}, "SIMPLE_JWT_SLIDING_TOKEN_LIFETIME (Settings.SlidingTokenLifetime): \"99999999999h\" is out of range", ""},
		{"LEEWAY over the refresh lifetime", []string{"SIMPLE_JWT_LEEWAY", "2h", "SIMPLE_JWT_REFRESH_TOKEN_LIFETIME", "1h", "SIMPLE_JWT_SIGNING_KEY", relSigningKey}, "SIMPLE_JWT_LEEWAY (Settings.Leeway): 2h0m0s is longer than REFRESH_TOKEN_LIFETIME", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, envDir := testEnv(t, append(tt.vars, "ADDR", "127.0.0.1:0")...)
			code, stdout, stderr := runCmd(t, env)
			if code != exitError || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "listening") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, tt.want)
			}
			if tt.secret != "" && strings.Contains(stderr, tt.secret) {
				t.Errorf("stderr shows the key: %q", stderr)
			}
			if _, err := os.Stat(filepath.Join(envDir, "db.sqlite3.signing-key")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a random key was made instead (%v)", err)
			}
		})
	}
	t.Logf("%d configurations refused", len(tests))
}

// TestSigningKeyFile: SIMPLE_JWT_SIGNING_KEY_FILE gives the key from a file (a Docker or
// Kubernetes secret, trailing newline trimmed): a token signed with it is accepted, and no
// random key is made.
func TestSigningKeyFile(t *testing.T) {
	t.Parallel()
	keyFile := filepath.Join(t.TempDir(), "jwt-signing-key")
	if err := os.WriteFile(keyFile, []byte(relSigningKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env, dir := testEnv(t, "SIMPLE_JWT_SIGNING_KEY_FILE", keyFile)
	s := newServiceEnv(t, env)
	_, access := s.obtain()
	if _, err := jwt.Parse(access, func(*jwt.Token) (any, error) { return []byte(relSigningKey), nil }); err != nil {
		t.Errorf("the access token is not signed with the file's key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "db.sqlite3.signing-key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a random key was made (%v)", err)
	}
	if strings.Contains(s.logs.String(), "SIGNING_KEY is not set") {
		t.Errorf("warned that the key is not set:\n%s", s.logs.String())
	}
}

// TestSessionsFlagStrict: SIMPLE_JWT_SESSIONS that is not a boolean stops migrate and
// changepassword as it stops the server, naming the variable, instead of leaving the session
// tables out; true and false are taken.
func TestSessionsFlagStrict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		code  int
	}{{"yes", exitError}, {"", exitError}, {"true", 0}, {"false", 0}} {
		env, _ := testEnv(t, "SIMPLE_JWT_SESSIONS", tc.value, "SIMPLE_JWT_SIGNING_KEY", relSigningKey)
		for _, args := range [][]string{{"migrate"}, {"changepassword", "--username", "nobody", "--password", "x-new-password-1"}} {
			code, _, stderr := runCmd(t, env, args...)
			wantCode := tc.code
			if args[0] == "changepassword" && tc.code == 0 {
				wantCode = exitError // no such user: the flag was read, the command went on
			}
			if code != wantCode || tc.code != 0 && !strings.Contains(stderr, "SIMPLE_JWT_SESSIONS=") {
				t.Errorf("%s with SIMPLE_JWT_SESSIONS=%q: exit %d, stderr %q; want exit %d", args[0], tc.value, code, stderr, wantCode)
			}
		}
	}
}

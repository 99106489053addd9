package ginjwt_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

func init() { gin.SetMode(gin.ReleaseMode) }

const key = "ginjwt-test-signing-key-0123456789abcdef"

var now = time.Unix(1795477898, 0)

// storedHash is the password hash of each user newUsers holds: CHECK_REVOKE_TOKEN's claim is
// signed against it.
var storedHash = map[string]string{"1": "pbkdf2_sha256$1$salt$hash", "2": "x"}

// errDown is a database outage, for modelstest's FailWith.
var errDown = fmt.Errorf("%w: connection refused", models.ErrUnavailable)

// newUsers returns the shared in-memory store with user 1 (alice, active) and user 2 (bob,
// inactive), their hashes as in storedHash.
func newUsers() *modelstest.Users {
	users := modelstest.NewUsers(modelstest.UsersOptions{})
	for _, u := range []*models.User{
		{ID: 1, Username: "alice", IsActive: true, Password: storedHash["1"]},
		{ID: 2, Username: "bob", Password: storedHash["2"]},
	} {
		if err := users.Create(context.Background(), u); err != nil {
			panic(err)
		}
	}
	return users
}

func newJWT(t testing.TB, users models.UserStore, mutate func(*ginjwt.Settings)) *ginjwt.JWT {
	t.Helper()
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.UserStore = users
	s.NoTokenBlacklist = true
	s.Now = func() time.Time { return now }
	if mutate != nil {
		mutate(&s)
	}
	j, err := ginjwt.New(nil, s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return j
}

// engine: GET /me behind Auth + IsAuthenticated, /stateless behind AuthStateless.
func engine(j *ginjwt.JWT) *gin.Engine {
	r := gin.New()
	me := func(c *gin.Context) {
		u, _ := ginjwt.UserFrom(c)
		tok, _ := ginjwt.TokenFrom(c)
		cu, _ := ginjwt.UserFromContext(c.Request.Context())
		if cu != u {
			c.String(500, "context and gin keys disagree")
			return
		}
		id, _ := tok.UserID()
		c.String(http.StatusOK, "user "+id)
	}
	r.GET("/me", j.Auth(), j.IsAuthenticated(), me)
	r.GET("/stateless", j.AuthStateless(), j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserFrom(c)
		c.String(http.StatusOK, fmt.Sprint(u))
	})
	r.GET("/open", j.Auth(), func(c *gin.Context) {
		_, ok := ginjwt.UserFrom(c)
		c.String(http.StatusOK, fmt.Sprint("authenticated=", ok))
	})
	return r
}

func do(h http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, v := range headers {
		req.Header.Add("Authorization", v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func mint(t testing.TB, j *ginjwt.JWT, class tokens.Class, id string, edit func(*tokens.Token)) string {
	t.Helper()
	u := tokens.Subject{ID: id}
	u.PasswordHash = storedHash[id]
	tok, err := j.Tokens().ForUser(context.Background(), class, u)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(tok)
	}
	raw, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func signed(t testing.TB, header, payload string) string {
	t.Helper()
	e := base64.RawURLEncoding
	s := e.EncodeToString([]byte(header)) + "." + e.EncodeToString([]byte(payload))
	alg := jwt.GetSigningMethod(strings.Split(strings.Split(header, `"alg":"`)[1], `"`)[0])
	var sig []byte
	if alg != nil {
		sig, _ = alg.Sign(s, []byte(key))
	}
	return s + "." + e.EncodeToString(sig)
}

const (
	notProvided = `{"detail":"Authentication credentials were not provided."}`
	badHeader   = `{"detail":"Authorization header must contain two space-delimited values","code":"bad_authorization_header"}`
)

func oneMessage(msg string) string {
	return `{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"` + msg + `"}]}`
}

// leaks lists what must never reach a client (SECURITY G).
var leaks = []string{"strconv", "illegal base64", "crypto/", "gorm", "sql:", "SQLITE", "record not found", "goroutine", "panic", "runtime/", "connection refused"}

func assertNoLeak(t *testing.T, body string) {
	t.Helper()
	for _, l := range leaks {
		if strings.Contains(body, l) {
			t.Errorf("response leaks %q: %s", l, body)
		}
	}
}

func TestProtectedEndpointTable(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	h := engine(j)
	access := mint(t, j, tokens.AccessToken, "1", nil)
	n := now.Unix()
	cases := []struct {
		name    string
		headers []string
		status  int
		body    string
	}{
		{"valid", []string{"Bearer " + access}, 200, "user 1"},
		{"F3 two spaces", []string{"Bearer  " + access}, 200, "user 1"},
		{"F3 tab", []string{"Bearer\t" + access}, 200, "user 1"},
		{"F3 leading space", []string{" Bearer " + access}, 200, "user 1"},
		{"F3 trailing space", []string{"Bearer " + access + " "}, 200, "user 1"},
		{"F1 no header", nil, 401, notProvided},
		{"F5 empty header", []string{""}, 401, notProvided},
		{"F2 lowercase scheme", []string{"bearer " + access}, 401, notProvided},
		{"F2 uppercase scheme", []string{"BEARER " + access}, 401, notProvided},
		{"F6 Token scheme", []string{"Token " + access}, 401, notProvided},
		{"F6 Basic", []string{"Basic dXNlcjpwYXNz"}, 401, notProvided},
		{"F5 Bearer alone", []string{"Bearer"}, 401, badHeader},
		{"F5 Bearer and space", []string{"Bearer "}, 401, badHeader},
		{"F4 three parts", []string{"Bearer a b"}, 401, badHeader},
		{"F7 two headers", []string{"Bearer " + access, "Bearer x"}, 401, badHeader},
		{"F7 two headers reversed", []string{"Bearer x", "Bearer " + access}, 401, badHeader},
		{"garbage", []string{"Bearer garbage"}, 401, oneMessage("Token is invalid")},
		{"alg none", []string{"Bearer " + signed(t, `{"alg":"none"}`, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j","user_id":"1"}`, n+60))}, 401, oneMessage("Token is invalid")},
		{"HS512", []string{"Bearer " + signed(t, `{"alg":"HS512","typ":"JWT"}`, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j","user_id":"1"}`, n+60))}, 401, oneMessage("Token is invalid")},
		{"future nbf", []string{"Bearer " + signed(t, `{"alg":"HS256","typ":"JWT"}`, fmt.Sprintf(`{"token_type":"access","exp":%d,"nbf":%d,"jti":"j","user_id":"1"}`, n+600, n+300))}, 401, oneMessage("Token is invalid")},
		{"future iat", []string{"Bearer " + signed(t, `{"alg":"HS256","typ":"JWT"}`, fmt.Sprintf(`{"token_type":"access","exp":%d,"iat":%d,"jti":"j","user_id":"1"}`, n+600, n+300))}, 401, oneMessage("Token is invalid")},
		{"expired", []string{"Bearer " + signed(t, `{"alg":"HS256","typ":"JWT"}`, fmt.Sprintf(`{"token_type":"access","exp":%d,"jti":"j","user_id":"1"}`, n-1))}, 401, oneMessage("Token is expired")},
		{"C14 refresh token", []string{"Bearer " + mint(t, j, tokens.RefreshToken, "1", nil)}, 401, oneMessage("Token has wrong type")},
		{"sliding token", []string{"Bearer " + mint(t, j, tokens.SlidingToken, "1", nil)}, 401, oneMessage("Token has wrong type")},
		{"no jti", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Delete("jti") })}, 401, oneMessage("Token has no id")},
		{"no type", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Delete("token_type") })}, 401, oneMessage("Token has no type")},
		{"no exp", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Delete("exp") })}, 401, oneMessage(`Token has no 'exp' claim`)},
		{"no user_id", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Delete("user_id") })}, 401, `{"detail":"Token contained no recognizable user identification","code":"token_not_valid"}`},
		{"C20 user_id null", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Set("user_id", nil) })}, 401, `{"detail":"Token contained no recognizable user identification","code":"token_not_valid"}`},
		{"C20 user_id 1.5", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Set("user_id", 1.5) })}, 401, `{"detail":"Token contained no recognizable user identification","code":"token_not_valid"}`},
		{"C20 user_id integer (5.2.2 token)", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Set("user_id", 1) })}, 200, "user 1"},
		{"C20 user_id SQL", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1 OR 1=1", nil)}, 401, `{"detail":"User not found","code":"user_not_found"}`},
		{"C21 user not found", []string{"Bearer " + mint(t, j, tokens.AccessToken, "99", nil)}, 401, `{"detail":"User not found","code":"user_not_found"}`},
		{"D4 user inactive", []string{"Bearer " + mint(t, j, tokens.AccessToken, "2", nil)}, 401, `{"detail":"User is inactive","code":"user_inactive"}`},
		{"C23 extra claims ignored", []string{"Bearer " + mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Set("is_admin", true) })}, 200, "user 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(h, "/me", tc.headers...)
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Errorf("got %d %s\nwant %d %s", w.Code, w.Body, tc.status, tc.body)
			}
			if tc.status == 401 {
				if got := w.Header().Get("WWW-Authenticate"); got != `Bearer realm="api"` {
					t.Errorf("WWW-Authenticate %q", got)
				}
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Content-Type %q", ct)
				}
				assertNoLeak(t, w.Body.String())
			}
		})
	}
}

func TestAnonymousPassThroughAndOpenRoutes(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	h := engine(j)
	if w := do(h, "/open"); w.Code != 200 || w.Body.String() != "authenticated=false" {
		t.Errorf("anonymous: %d %s", w.Code, w.Body)
	}
	if w := do(h, "/open", "Bearer "+mint(t, j, tokens.AccessToken, "1", nil)); w.Body.String() != "authenticated=true" {
		t.Errorf("authenticated: %d %s", w.Code, w.Body)
	}
	if w := do(h, "/open", "Bearer garbage"); w.Code != 401 {
		t.Errorf("invalid token on an open route must still answer 401 (DRF): %d", w.Code)
	}
}

func TestSeveralAuthTokenClasses(t *testing.T) {
	j := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
		s.AuthTokenClasses = []tokens.Class{tokens.AccessToken, tokens.SlidingToken}
	})
	h := engine(j)
	w := do(h, "/me", "Bearer "+mint(t, j, tokens.RefreshToken, "1", nil))
	want := `{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[` +
		`{"token_class":"AccessToken","token_type":"access","message":"Token has wrong type"},` +
		`{"token_class":"SlidingToken","token_type":"sliding","message":"Token has wrong type"}]}`
	if w.Code != 401 || w.Body.String() != want {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	if w := do(h, "/me", "Bearer "+mint(t, j, tokens.SlidingToken, "1", nil)); w.Code != 200 {
		t.Errorf("sliding auth: %d %s", w.Code, w.Body)
	}
}

func TestCheckRevokeToken(t *testing.T) {
	users := newUsers()
	j := newJWT(t, users, func(s *ginjwt.Settings) { s.CheckRevokeToken = true })
	h := engine(j)
	raw := mint(t, j, tokens.AccessToken, "1", nil)
	if w := do(h, "/me", "Bearer "+raw); w.Code != 200 {
		t.Fatalf("before the change: %d %s", w.Code, w.Body)
	}
	users.SetHash(t, "alice", "pbkdf2_sha256$1$salt$other")
	w := do(h, "/me", "Bearer "+raw)
	if want := `{"detail":"The user's password has been changed.","code":"password_changed"}`; w.Code != 401 || w.Body.String() != want {
		t.Errorf("after the change: %d %s", w.Code, w.Body)
	}
	// The claim is an HMAC under the key, not simplejwt's MD5 of the hash.
	tok, _ := j.Tokens().ParseUnverified(context.Background(), tokens.AccessToken, raw)
	claim, _ := tok.GetString("hash_password")
	if len(claim) != 64 || claim == strings.ToUpper(fmt.Sprintf("%x", "pbkdf2_sha256$1$salt$hash")) {
		t.Errorf("revoke claim %q", claim)
	}
}

func TestCheckUserIsActiveOff(t *testing.T) {
	j := newJWT(t, newUsers(), func(s *ginjwt.Settings) { s.AllowInactiveUsers = true })
	if w := do(engine(j), "/me", "Bearer "+mint(t, j, tokens.AccessToken, "2", nil)); w.Code != 200 {
		t.Errorf("inactive user with CHECK_USER_IS_ACTIVE=False: %d %s", w.Code, w.Body)
	}
}

func TestStatelessNeverTouchesTheStore(t *testing.T) {
	users := newUsers()
	j := newJWT(t, users, nil)
	h := engine(j)
	w := do(h, "/stateless", "Bearer "+mint(t, j, tokens.AccessToken, "12345", nil))
	if w.Code != 200 || w.Body.String() != "TokenUser 12345" {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	users.FailWith(errDown)
	if w := do(h, "/stateless", "Bearer "+mint(t, j, tokens.AccessToken, "1", nil)); w.Code != 200 {
		t.Errorf("stateless with the DB down: %d %s", w.Code, w.Body)
	}
	if users.Lookups() != 0 {
		t.Errorf("stateless auth did %d user lookups", users.Lookups())
	}
	if w := do(h, "/stateless", "Bearer "+mint(t, j, tokens.AccessToken, "1", func(t *tokens.Token) { t.Delete("user_id") })); w.Code != 401 {
		t.Errorf("stateless without user_id: %d", w.Code)
	}
}

func TestDatabaseOutageIs503(t *testing.T) {
	users := newUsers()
	users.FailWith(errDown)
	j := newJWT(t, users, nil)
	w := do(engine(j), "/me", "Bearer "+mint(t, j, tokens.AccessToken, "1", nil))
	if w.Code != http.StatusServiceUnavailable || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	assertNoLeak(t, w.Body.String())
}

func TestCustomHeaderNameAndTypes(t *testing.T) {
	j := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
		s.AuthHeaderName = "HTTP_X_ACCESS_TOKEN"
		s.AuthHeaderTypes = []string{"JWT", "Bearer"}
	})
	h := engine(j)
	raw := mint(t, j, tokens.AccessToken, "1", nil)
	req := httptest.NewRequest("GET", "/me", nil)
	req.Header.Set("X-Access-Token", "Bearer "+raw)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Errorf("X-Access-Token: %d %s", w.Code, w.Body)
	}
	w = do(h, "/me", "Bearer "+raw) // Authorization is not our header now
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != `JWT realm="api"` {
		t.Errorf("got %d %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}

func TestTwoInstancesDoNotInteract(t *testing.T) {
	a := newJWT(t, newUsers(), nil)
	b := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
		s.SigningKey = "another-signing-key-0123456789abcdef-xyz"
		s.AuthHeaderTypes = []string{"JWT"}
	})
	ta, tb := mint(t, a, tokens.AccessToken, "1", nil), mint(t, b, tokens.AccessToken, "1", nil)
	ha, hb := engine(a), engine(b)
	if do(ha, "/me", "Bearer "+ta).Code != 200 || do(hb, "/me", "JWT "+tb).Code != 200 {
		t.Fatal("each instance accepts its own token")
	}
	if do(ha, "/me", "Bearer "+tb).Code != 401 || do(hb, "/me", "JWT "+ta).Code != 401 {
		t.Error("an instance accepted the other's token")
	}
	if do(hb, "/me", "Bearer "+tb).Code != 401 {
		t.Error("instance b accepted instance a's header type")
	}
	ginjwt.SetDefault(a)
	t.Cleanup(func() { ginjwt.SetDefault(nil) })
	if ginjwt.Default() != a {
		t.Error("Default")
	}
}

func TestPackageFunctionsWithoutConfigurePanicAtSetup(t *testing.T) {
	ginjwt.SetDefault(nil)
	defer func() {
		if recover() == nil {
			t.Error("Auth() before Configure did not panic")
		}
	}()
	ginjwt.Auth()
}

func TestRawToken(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	cases := []struct {
		in, tok string
		bad     bool
	}{
		{"Bearer abc", "abc", false}, {"Bearer\tabc", "abc", false}, {"  Bearer   abc  ", "abc", false},
		{"Bearer\x0babc", "abc", false}, {"", "", false}, {"   ", "", false}, {"bearer abc", "", false},
		{"Token abc", "", false}, {"Bearer", "", true}, {"Bearer a b", "", true}, {"Bearerabc", "", false},
	}
	for _, tc := range cases {
		got, err := j.RawToken(tc.in)
		if got != tc.tok || (err != nil) != tc.bad {
			t.Errorf("%q: got %q, %v", tc.in, got, err)
		}
	}
}

func FuzzRawToken(f *testing.F) {
	j := newJWT(f, newUsers(), nil)
	for _, s := range []string{"Bearer abc", "Bearer", "Bearer a b", " \t", "Bearer\u00a0x", "Bearer " + strings.Repeat("a", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := j.RawToken(header)
		if err != nil && tok != "" {
			t.Fatal("token and error")
		}
		if tok != "" && (strings.ContainsAny(tok, " \t\n\r\v\f") || !strings.Contains(header, tok)) {
			t.Fatalf("bad token %q from %q", tok, header)
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.Header["Authorization"] = []string{header}
		_, _, _ = j.AuthenticateRequest(req, true)
	})
}

package views_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// Test doubles for models.UserStore and tokens.TokenStore, with Django's password format
// (PBKDF2 at a low iteration count) and switches for a database outage.

type fakeUser struct {
	id, username, password string
	active                 bool
}

func (u *fakeUser) GetIsActive() bool   { return u.active }
func (u *fakeUser) GetPassword() string { return u.password }

// countingHasher counts the hasher runs (Verify and Encode), for SECURITY 4.1.
type countingHasher struct {
	hashers.Hasher
	runs *atomic.Int64
}

func (h countingHasher) Verify(password, encoded string) bool {
	h.runs.Add(1)
	return h.Hasher.Verify(password, encoded)
}

func (h countingHasher) Encode(password, salt string) (string, error) {
	h.runs.Add(1)
	return h.Hasher.Encode(password, salt)
}

type fakeUsers struct {
	mu          sync.Mutex
	hashers     *hashers.List
	byID        map[string]*fakeUser
	byName      map[string]*fakeUser
	down        atomic.Bool
	hasherRuns  atomic.Int64
	queries     atomic.Int64
	lastLogins  atomic.Int64
	lastLoginAt atomic.Pointer[time.Time]
}

func newFakeUsers() *fakeUsers {
	s := &fakeUsers{byID: map[string]*fakeUser{}, byName: map[string]*fakeUser{}}
	s.hashers = hashers.New(countingHasher{hashers.PBKDF2SHA256(1000), &s.hasherRuns})
	return s
}

// add creates a user with a Django hash of password ("" for none, "!" for unusable).
func (s *fakeUsers) add(t testing.TB, id, username, password string, active bool) *fakeUser {
	t.Helper()
	encoded := password
	if password != "" && password != "!" {
		var err error
		if encoded, err = s.hashers.MakePassword(password); err != nil {
			t.Fatal(err)
		}
	}
	u := &fakeUser{id: id, username: username, password: encoded, active: active}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[id], s.byName[username] = u, u
	return u
}

func (s *fakeUsers) setPassword(t testing.TB, username, password string) {
	t.Helper()
	encoded, err := s.hashers.MakePassword(password)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byName[username].password = encoded
}

func (s *fakeUsers) remove(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.byName[username]; u != nil {
		delete(s.byID, u.id)
		delete(s.byName, username)
	}
}

var errDown = fmt.Errorf("%w: dial tcp 10.0.0.1:5432: connect: connection refused (SQLITE_BUSY record not found)", models.ErrUnavailable)

func (s *fakeUsers) GetByID(_ context.Context, id string) (models.AuthUser, error) {
	if s.down.Load() {
		return nil, errDown
	}
	s.queries.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.byID[id]; ok {
		return u, nil
	}
	return nil, models.ErrUserNotFound
}

func (s *fakeUsers) Authenticate(_ context.Context, username, password string) (models.AuthUser, error) {
	if s.down.Load() {
		return nil, errDown
	}
	s.queries.Add(1)
	s.mu.Lock()
	u := s.byName[username]
	encoded := ""
	if u != nil {
		encoded = u.password
	}
	s.mu.Unlock()
	ok, _, err := s.hashers.CheckPassword(password, encoded)
	if err != nil {
		return nil, err
	}
	if u == nil || !ok || !u.active {
		return nil, models.ErrInvalidCredentials
	}
	return u, nil
}

func (s *fakeUsers) UserID(u models.AuthUser) string { return u.(*fakeUser).id }

func (s *fakeUsers) UpdateLastLogin(_ context.Context, _ models.AuthUser, at time.Time) error {
	if s.down.Load() {
		return errDown
	}
	s.lastLogins.Add(1)
	s.lastLoginAt.Store(&at)
	return nil
}

type fakeTokens struct {
	mu          sync.Mutex
	outstanding map[string]tokens.TokenRecord
	black       map[string]bool
	down        atomic.Bool
}

func newFakeTokens() *fakeTokens {
	return &fakeTokens{outstanding: map[string]tokens.TokenRecord{}, black: map[string]bool{}}
}

func (s *fakeTokens) Outstand(_ context.Context, t tokens.TokenRecord) error {
	if s.down.Load() {
		return errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.outstanding[t.JTI]; !ok {
		s.outstanding[t.JTI] = t
	}
	return nil
}

func (s *fakeTokens) Blacklist(_ context.Context, t tokens.TokenRecord) (bool, error) {
	if s.down.Load() {
		return false, errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.outstanding[t.JTI]; !ok {
		s.outstanding[t.JTI] = t
	}
	if s.black[t.JTI] {
		return false, nil
	}
	s.black[t.JTI] = true
	return true, nil
}

func (s *fakeTokens) Rotate(_ context.Context, old, next tokens.TokenRecord) (bool, error) {
	if s.down.Load() {
		return false, errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.black[old.JTI] {
		return false, nil
	}
	if _, ok := s.outstanding[old.JTI]; !ok {
		s.outstanding[old.JTI] = old
	}
	s.black[old.JTI] = true
	if _, ok := s.outstanding[next.JTI]; !ok {
		s.outstanding[next.JTI] = next
	}
	return true, nil
}

func (s *fakeTokens) IsBlacklisted(_ context.Context, jti string) (bool, error) {
	if s.down.Load() {
		return false, errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.black[jti], nil
}

func (s *fakeTokens) counts() (outstanding, blacklisted int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.outstanding), len(s.black)
}

var (
	_ models.UserStore  = (*fakeUsers)(nil)
	_ tokens.TokenStore = (*fakeTokens)(nil)
)

// ---------------------------------------------------------------------------------------------
// The harness: an engine with the six token routes.

const testKey = "views-test-signing-key-0123456789abcdef"

type harness struct {
	env    *serializers.Env
	users  *fakeUsers
	store  *fakeTokens // nil when the blacklist app is "not installed"
	engine *gin.Engine
	alice  *fakeUser
	bob    *fakeUser
}

type harnessOpt func(*tokens.Settings, *tokens.Options, *serializers.Env)

func withSettings(f func(*tokens.Settings)) harnessOpt {
	return func(s *tokens.Settings, _ *tokens.Options, _ *serializers.Env) { f(s) }
}

func withNow(now func() time.Time) harnessOpt {
	return func(_ *tokens.Settings, o *tokens.Options, _ *serializers.Env) { o.Now = now }
}

func withoutStore() harnessOpt {
	return func(_ *tokens.Settings, o *tokens.Options, _ *serializers.Env) { o.Store = nil }
}

func withEnv(f func(*serializers.Env)) harnessOpt {
	return func(_ *tokens.Settings, _ *tokens.Options, e *serializers.Env) { f(e) }
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newHarness(t testing.TB, opts ...harnessOpt) *harness {
	t.Helper()
	gin.SetMode(gin.TestMode)
	h := &harness{users: newFakeUsers(), store: newFakeTokens()}
	s := tokens.Settings{SigningKey: testKey}
	o := tokens.Options{Store: h.store, Logger: quietLogger()}
	h.env = &serializers.Env{Users: h.users, Logger: quietLogger()}
	for _, opt := range opts {
		opt(&s, &o, h.env)
	}
	if o.Store == nil {
		h.store = nil
	}
	m, err := tokens.NewManager(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	h.env.Tokens = m
	h.alice = h.users.add(t, "1", "alice", "alice-password-1", true)
	h.bob = h.users.add(t, "2", "bob", "bob-password-1", false)
	h.engine = gin.New()
	h.engine.Use(views.RecoveryWithLogger(quietLogger()))
	views.Register(h.engine.Group("/api/token"), views.Routes(h.env, views.RouteOptions{})...)
	return h
}

// do sends a request to the engine.
func (h *harness) do(method, path, contentType, body string) *httptest.ResponseRecorder {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.engine.ServeHTTP(w, r)
	return w
}

func (h *harness) postJSON(path, body string) *httptest.ResponseRecorder {
	return h.do(http.MethodPost, path, "application/json", body)
}

// leakMarkers are SECURITY §2's "no leak" strings.
var leakMarkers = []string{"strconv", "illegal base64", "crypto/", "gorm", "sql:", "SQLITE", "record not found",
	"goroutine", "panic", "runtime/", ".go:", "models:", "tokens:", "serializers:", "views:", "connection refused"}

// assertNoLeak fails when a response body carries Go error text, a stack or a path.
func assertNoLeak(t testing.TB, body string) {
	t.Helper()
	assertNoLeakExcept(t, body, "")
}

// assertNoLeakExcept is assertNoLeak for a body that may echo the client's own text, as DRF's
// 415 echoes the Content-Type: markers found in echoed do not count.
func assertNoLeakExcept(t testing.TB, body, echoed string) {
	t.Helper()
	for _, m := range leakMarkers {
		if strings.Contains(body, m) && !strings.Contains(echoed, m) {
			t.Errorf("body leaks %q: %s", m, body)
		}
	}
}

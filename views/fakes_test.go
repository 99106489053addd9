package views_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/hashers/hasherstest"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// The stores are models/modelstest's: users in memory with Django's password format (PBKDF2 at a
// low iteration count, its runs counted) and the token blacklist in memory, both of which fail on
// demand (FailWith) for a database outage.

var errDown = fmt.Errorf("%w: dial tcp 10.0.0.1:5432: connect: connection refused (SQLITE_BUSY record not found)", models.ErrUnavailable)

// failIf makes a store fail with errDown, for all its methods, when down is true, and recovers
// it otherwise.
func failIf(s interface{ FailWith(error, ...string) }, down bool) {
	if down {
		s.FailWith(errDown)
	} else {
		s.FailWith(nil)
	}
}

// addUser creates a user with a Django hash of password ("" for an empty hash, Django's None;
// "!" for an unusable one).
func (h *harness) addUser(t testing.TB, id int64, username, password string, active bool) *models.User {
	t.Helper()
	u := h.users.Add(t, id, username, password, active)
	switch password {
	case "", "!":
		h.users.SetHash(t, username, password)
		u.Password = password
	}
	return u
}

// removeUser deletes the user username, if there is one.
func (h *harness) removeUser(username string) {
	if u, err := h.users.GetByUsername(context.Background(), username); err == nil {
		h.users.Delete(context.Background(), u.(*models.User).ID)
	}
}

// setPassword changes username's password, as Django's set_password and save().
func (h *harness) setPassword(t testing.TB, username, password string) {
	t.Helper()
	u, err := h.users.GetByUsername(context.Background(), username)
	if err == nil {
		err = h.users.SetPassword(context.Background(), u.(*models.User), password)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// ---------------------------------------------------------------------------------------------
// The harness: an engine with the six token routes.

const testKey = "views-test-signing-key-0123456789abcdef"

type harness struct {
	env        *serializers.Env
	users      *modelstest.Users
	hasherRuns *atomic.Int64      // the runs of the users' hasher
	store      *modelstest.Tokens // nil when the blacklist app is "not installed"
	engine     *gin.Engine
	alice      *models.User // id 1, active
	bob        *models.User // id 2, inactive
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
	counted, runs := hasherstest.CountingHasher(hashers.PBKDF2SHA256(1000))
	h := &harness{users: modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(counted)}),
		hasherRuns: runs, store: modelstest.NewTokens(nil)}
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
	h.alice = h.addUser(t, 1, "alice", "alice-password-1", true)
	h.bob = h.addUser(t, 2, "bob", "bob-password-1", false)
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

// leakMarkers are strings that must never reach a client (driver and Go error texts, stack traces).
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

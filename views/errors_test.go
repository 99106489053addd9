package views_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// TestUnavailableLogsCause: a 503's log line names the operation, the database and the driver's
// error, while the body stays the fixed one.
func TestUnavailableLogsCause(t *testing.T) {
	var logs bytes.Buffer
	h := newHarness(t, withEnv(func(e *serializers.Env) {
		e.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	}))
	h.users.FailWith(&models.DBError{
		Op: "authenticate", DB: "postgres://app:xxxxx@db.internal:5432/auth",
		Err: errors.New(`failed to connect to user=app database=auth: server error: FATAL: database "auth" does not exist (SQLSTATE 3D000)`),
	}, "Authenticate")
	w := h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`)
	if w.Code != 503 || w.Body.String() != `{"detail":"Service temporarily unavailable."}` {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	assertNoLeak(t, w.Body.String())
	for _, want := range []string{`database.op=authenticate`, `db.internal:5432`, `database \"auth\" does not exist`, `path=/api/token/`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not show %s:\n%s", want, logs.String())
		}
	}
}

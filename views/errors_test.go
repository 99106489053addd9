package views_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
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

// TestNoContentKeepsVary: a 204 carries the renderer's headers as Write's responses do, adding
// Accept to a Vary that others set (the cookie transport's Cookie, the locale's
// Accept-Language) rather than replacing it, with no body and no Content-Type.
func TestNoContentKeepsVary(t *testing.T) {
	for _, before := range []string{"", "Cookie", "Accept-Language"} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodDelete, "/api/token/sessions/", nil)
		if before != "" {
			c.Header("Vary", before)
		}
		rd := &views.Renderer{Allow: "GET, DELETE, OPTIONS", NoStore: true}
		rd.NoContent(c)
		vary := strings.Join(w.Header().Values("Vary"), ", ")
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 || w.Header().Get("Content-Type") != "" ||
			w.Header().Get("Allow") != rd.Allow || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("Vary %q before: %d %q %v", before, w.Code, w.Body, w.Header())
		}
		if !strings.Contains(vary, "Accept") || before != "" && !strings.Contains(vary, before) {
			t.Errorf("Vary %q before: %q after", before, vary)
		}
	}
}

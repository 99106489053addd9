package ginjwt_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation/pglisten"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// syncBuffer is a log destination tests read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sessionService is a dbService with sessions on (rotation and blacklist-after-rotation too),
// GET /api/me/stateless/ behind AuthStateless, and its log kept.
type sessionService struct {
	*dbService
	log *syncBuffer
}

func newSessionService(t *testing.T, dialect string, mutate func(*ginjwt.Settings)) *sessionService {
	t.Helper()
	log := &syncBuffer{}
	svc := newDBService(t, dialect, func(s *ginjwt.Settings) {
		s.Sessions = true
		s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
		s.Logger = slog.New(slog.NewTextHandler(log, nil))
		if mutate != nil {
			mutate(s)
		}
	})
	svc.router.GET("/api/me/stateless/", svc.j.AuthStateless(), svc.j.IsAuthenticated(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return &sessionService{dbService: svc, log: log}
}

func (svc *sessionService) stateless(access string) int {
	req := httptest.NewRequest(http.MethodGet, "/api/me/stateless/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	w := httptest.NewRecorder()
	svc.router.ServeHTTP(w, req)
	return w.Code
}

// claims returns a token's payload, unverified.
func claims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSessionsOffChangeNothing: without Settings.Sessions tokens carry no sid and the session
// API says it is off.
func TestSessionsOffChangeNothing(t *testing.T) {
	svc := newDBService(t, "sqlite", nil)
	pair := svc.login(t)
	for _, tok := range []string{pair["refresh"], pair["access"]} {
		if _, ok := claims(t, tok)["sid"]; ok {
			t.Fatalf("sid claim with sessions off: %v", claims(t, tok))
		}
	}
	if err := svc.j.EndAllSessions(context.Background(), "1"); !errors.Is(err, ginjwt.ErrSessionsOff) {
		t.Fatalf("EndAllSessions = %v", err)
	}
}

// TestSessionLifecycle: a login is a session carried by its refresh and access tokens through
// rotation; ending it refuses its access tokens at once (Auth and AuthStateless) and its refresh
// token; another session lives on until EndAllSessions.
func TestSessionLifecycle(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newSessionService(t, dialect, nil)
			ctx := context.Background()
			a, b := svc.login(t), svc.login(t)
			sid := claims(t, a["refresh"])["sid"]
			if s, ok := sid.(string); !ok || len(s) != 32 || claims(t, a["access"])["sid"] != sid || claims(t, b["refresh"])["sid"] == sid {
				t.Fatalf("sid claims: %v / %v / %v", sid, claims(t, a["access"])["sid"], claims(t, b["refresh"])["sid"])
			}
			code, body, rotated := svc.refresh(a["refresh"])
			if code != 200 || claims(t, rotated["refresh"])["sid"] != sid || claims(t, rotated["access"])["sid"] != sid {
				t.Fatalf("refresh: %d %s", code, body)
			}
			list, err := svc.j.Sessions(ctx, "1")
			if err != nil || len(list) != 2 {
				t.Fatalf("Sessions = %v, %v", list, err)
			}
			if err := svc.j.EndSession(ctx, "2", sid.(string)); !errors.Is(err, ginjwt.ErrSessionNotFound) {
				t.Fatalf("EndSession of another user's session = %v", err)
			}
			if err := svc.j.EndSession(ctx, "1", sid.(string)); err != nil {
				t.Fatal(err)
			}
			for _, access := range []string{a["access"], rotated["access"]} {
				if code, body := svc.me(access); code != 401 || !strings.Contains(body, "Token is blacklisted") {
					t.Errorf("Auth after EndSession: %d %s", code, body)
				}
				if code := svc.stateless(access); code != 401 {
					t.Errorf("AuthStateless after EndSession: %d", code)
				}
			}
			if code, body, _ := svc.refresh(rotated["refresh"]); code != 401 || !strings.Contains(body, "Token is blacklisted") {
				t.Errorf("refresh after EndSession: %d %s", code, body)
			}
			if code, _ := svc.me(b["access"]); code != 204 {
				t.Fatalf("the other session was ended: %d", code)
			}
			if err := svc.j.EndAllSessions(ctx, "1"); err != nil {
				t.Fatal(err)
			}
			if code := svc.stateless(b["access"]); code != 401 {
				t.Errorf("AuthStateless after EndAllSessions: %d", code)
			}
			if code, _, _ := svc.refresh(b["refresh"]); code != 401 {
				t.Errorf("refresh after EndAllSessions: %d", code)
			}
			if list, _ := svc.j.Sessions(ctx, "1"); len(list) != 0 {
				t.Errorf("sessions left: %v", list)
			}
			// A login right after "log out everywhere" works.
			if code, _ := svc.me(svc.login(t)["access"]); code != 204 {
				t.Errorf("fresh login after EndAllSessions: %d", code)
			}
		})
	}
}

// TestSessionRevocationExpires: the in-memory revocations are dropped once every token they
// could refuse has expired.
func TestSessionRevocationExpires(t *testing.T) {
	svc := newSessionService(t, "sqlite", nil)
	ctx := context.Background()
	pair := svc.login(t)
	if err := svc.j.EndSession(ctx, "1", claims(t, pair["refresh"])["sid"].(string)); err != nil {
		t.Fatal(err)
	}
	if err := svc.j.EndAllSessions(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if n := svc.j.Revocations(); n != 2 {
		t.Fatalf("Revocations = %d, want 2", n)
	}
	kept := svc.login(t)
	if list, err := svc.j.Sessions(ctx, "1"); err != nil || len(list) != 1 {
		t.Fatalf("Sessions = %v, %v", list, err)
	}
	svc.clock.Set(svc.clock.Now().Add(24*time.Hour + 2*time.Second))
	if list, err := svc.j.Sessions(ctx, "1"); err != nil || len(list) != 0 {
		t.Fatalf("a session whose refresh token has expired is listed: %v, %v", list, err)
	}
	_ = kept
	svc.login(t) // any store write; the set is pruned on its next change or poll
	if err := svc.j.PollRevocations(ctx); err != nil {
		t.Fatal(err)
	}
	if n := svc.j.Revocations(); n != 0 {
		t.Fatalf("Revocations after expiry = %d, want 0", n)
	}
	if _, err := svc.j.FlushExpiredTokens(ctx); err != nil {
		t.Fatal(err)
	}
	if n := svc.count(t, models.RevocationTable); n != 0 {
		t.Fatalf("%d revocation rows left after FlushExpiredTokens", n)
	}
}

// TestSessionsNeedTheirTables: New says what is missing.
func TestSessionsNeedTheirTables(t *testing.T) {
	s := ginjwt.DefaultSettings()
	s.SigningKey, s.Sessions = key, true
	if _, err := ginjwt.New(nil, s); err == nil {
		t.Fatal("sessions without a database: no error")
	}
	_ = models.EndLogout
	_ = tokens.SessionClaim
}

// TestRevocationsReachOtherInstances: a session ended through one instance is refused by
// another that follows the revocation table (LISTEN/NOTIFY on PostgreSQL, polling elsewhere),
// in AuthStateless, with no query per request; an instance started later loads it at start.
func TestRevocationsReachOtherInstances(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newSessionService(t, dialect, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			other := func() (*ginjwt.JWT, *gin.Engine) {
				s := svc.j.Settings()
				s.RevocationPollInterval = 20 * time.Millisecond
				s.RevocationFeed = pglisten.Listen
				j, err := ginjwt.New(svc.db, s)
				if err != nil {
					t.Fatal(err)
				}
				r := gin.New()
				r.GET("/me", j.AuthStateless(), j.IsAuthenticated(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
				return j, r
			}
			b, routerB := other()
			done := make(chan struct{})
			go func() { defer close(done); _ = b.FollowRevocations(ctx) }()
			pair := svc.login(t)
			if w := do(routerB, "/me", "Bearer "+pair["access"]); w.Code != 204 {
				t.Fatalf("B before: %d %s", w.Code, w.Body)
			}
			if err := svc.j.EndAllSessions(ctx, "1"); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			deadline := start.Add(10 * time.Second)
			for do(routerB, "/me", "Bearer "+pair["access"]).Code != 401 {
				if time.Now().After(deadline) {
					t.Fatal("B still accepts the token of an ended session after 10 s")
				}
				time.Sleep(5 * time.Millisecond)
			}
			t.Logf("%s: refused by the other instance after %v", dialect, time.Since(start))
			if _, routerC := other(); do(routerC, "/me", "Bearer "+pair["access"]).Code != 401 {
				t.Fatal("an instance started later did not load the revocation")
			}
			cancel()
			<-done
		})
	}
}

// TestRevocationFeedDownFallsBackToPolling: when the PostgreSQL LISTEN connection dies, the
// follower says so in the log, polls the table meanwhile (a session ended then still reaches it)
// and listens again.
func TestRevocationFeedDownFallsBackToPolling(t *testing.T) {
	svc := newSessionService(t, "postgres", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := svc.j.Settings()
	s.RevocationPollInterval = 20 * time.Millisecond
	s.RevocationFeed = pglisten.Listen
	log := &syncBuffer{}
	s.Logger = slog.New(slog.NewTextHandler(log, nil))
	b, err := ginjwt.New(svc.db, s)
	if err != nil {
		t.Fatal(err)
	}
	router := gin.New()
	router.GET("/me", b.AuthStateless(), b.IsAuthenticated(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	done := make(chan struct{})
	go func() { defer close(done); _ = b.FollowRevocations(ctx) }()
	listening := func() int64 {
		var n int64
		svc.db.Raw("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = CURRENT_DATABASE() AND query LIKE 'LISTEN%'").Row().Scan(&n)
		return n
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s; log:\n%s", what, log)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("LISTEN", func() bool { return listening() == 1 })
	if err := svc.db.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = CURRENT_DATABASE() AND query LIKE 'LISTEN%'").Error; err != nil {
		t.Fatal(err)
	}
	waitFor("the feed-down warning", func() bool { return strings.Contains(log.String(), "is down; polling") })
	pair := svc.login(t)
	if err := svc.j.EndAllSessions(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	waitFor("refused while polling", func() bool { return do(router, "/me", "Bearer "+pair["access"]).Code == 401 })
	waitFor("LISTEN again", func() bool { return listening() == 1 })
	cancel()
	<-done
}

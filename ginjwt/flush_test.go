package ginjwt_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// TestFlushKeepsBlacklistInsideLeeway: with LEEWAY a refresh token is accepted until exp+LEEWAY,
// so flushexpiredtokens must keep its blacklist row until then. Rotate (the old token is
// blacklisted), move the clock past exp but inside the leeway, flush, replay the old token: 401,
// not a fresh pair (Django's flush deletes every row with expires_at <= now and lets the replay
// in). Once the leeway is over the token is refused as expired and its rows may go.
func TestFlushKeepsBlacklistInsideLeeway(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			const leeway = 60 * time.Second
			svc := newDBService(t, dialect, func(s *ginjwt.Settings) {
				s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
				s.Leeway = leeway
				s.RefreshTokenLifetime = time.Hour
			})
			ctx := context.Background()
			start := svc.clock.Now()
			old := svc.login(t)["refresh"]
			exp := start.Add(time.Hour)
			svc.clock.Set(start.Add(10 * time.Minute)) // the rotated token expires 10 minutes later
			code, body, rotated := svc.refresh(old)
			if code != http.StatusOK || rotated["refresh"] == "" {
				t.Fatalf("rotation: %d %s", code, body)
			}

			steps := []struct {
				name    string
				at      time.Duration // after the old token's exp
				flushed int64
				replay  string
			}{
				{"inside the leeway", leeway / 2, 0, blacklistedBody},
				{"a second before the leeway ends", leeway - time.Second, 0, blacklistedBody},
				{"when the leeway ends", leeway, 1, `{"detail":"Token is expired","code":"token_not_valid"}`},
				{"after the leeway", 2 * leeway, 0, `{"detail":"Token is expired","code":"token_not_valid"}`},
			}
			for _, st := range steps {
				svc.clock.Set(exp.Add(st.at))
				n, err := svc.j.FlushExpiredTokens(ctx)
				if err != nil || n != st.flushed {
					t.Errorf("%s: flushed %d rows, %v; want %d", st.name, n, err, st.flushed)
				}
				if code, body, _ := svc.refresh(old); code != http.StatusUnauthorized || body != st.replay {
					t.Fatalf("%s: replay of the rotated token after the flush: %d %s; want 401 %s", st.name, code, body, st.replay)
				}
			}
			// The token it was rotated into is untouched and still refreshes.
			if code, body, _ := svc.refresh(rotated["refresh"]); code != http.StatusOK {
				t.Fatalf("the rotated token after the flushes: %d %s", code, body)
			}
		})
	}
}

// nonFlushingStore is a custom TokenStore without FlushExpired.
type nonFlushingStore struct{ tokens.TokenStore }

// TestFlushExpiredTokensStores: the method uses the instance's clock and LEEWAY with any store
// that can flush, and says why when there is none.
func TestFlushExpiredTokensStores(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	memory := modelstest.NewTokens(clock.Now)
	for jti, exp := range map[string]time.Duration{"gone": -2 * time.Minute, "inside-leeway": -30 * time.Second, "valid": time.Hour} {
		if _, err := memory.Blacklist(ctx, tokens.TokenRecord{JTI: jti, ExpiresAt: clock.Now().Add(exp)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		mutate  func(*ginjwt.Settings)
		flushed int64
		wantErr func(error) bool
	}{
		{"memory store, LEEWAY=1m", func(s *ginjwt.Settings) { s.TokenStore, s.Leeway = memory, time.Minute }, 1, nil},
		{"no token blacklist", func(s *ginjwt.Settings) { s.NoTokenBlacklist = true }, 0,
			func(err error) bool { return errors.Is(err, tokens.ErrNoStore) }},
		{"custom store without FlushExpired", func(s *ginjwt.Settings) { s.TokenStore = nonFlushingStore{memory} }, 0,
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "models.ExpiredTokenFlusher") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
				s.NoTokenBlacklist = false
				s.Now = clock.Now
				tc.mutate(s)
			})
			n, err := j.FlushExpiredTokens(ctx)
			if n != tc.flushed || (tc.wantErr == nil) != (err == nil) || (tc.wantErr != nil && !tc.wantErr(err)) {
				t.Fatalf("FlushExpiredTokens = %d, %v; want %d", n, err, tc.flushed)
			}
		})
	}
	if _, ok := memory.Get("inside-leeway"); !ok || count(memory) != 2 {
		t.Fatalf("after the flush the memory store holds %d records (inside-leeway kept: %v); want valid and inside-leeway", count(memory), ok)
	}
}

func count(s *modelstest.Tokens) int {
	n, _ := s.Counts()
	return n
}

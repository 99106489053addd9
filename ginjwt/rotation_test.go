package ginjwt_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// failNewOutstanding installs a trigger that makes the database refuse every insert into
// token_blacklist_outstandingtoken except of the jti keep (whose row exists: the rotated token),
// so the second write of a rotation fails as a full disk or a lost connection would. The
// returned function removes it.
func failNewOutstanding(t *testing.T, db *gorm.DB, keep string) (remove func()) {
	t.Helper()
	const table = models.OutstandingTokenTable
	keep = strings.ReplaceAll(keep, "'", "''")
	var install, uninstall []string
	switch db.Dialector.Name() {
	case "sqlite":
		install = []string{`CREATE TRIGGER fail_new_outstanding BEFORE INSERT ON ` + table +
			` WHEN NEW.jti <> '` + keep + `' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
		uninstall = []string{`DROP TRIGGER fail_new_outstanding`}
	case "postgres":
		install = []string{
			`CREATE FUNCTION fail_new_outstanding() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
				IF NEW.jti <> '` + keep + `' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
			`CREATE TRIGGER fail_new_outstanding BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION fail_new_outstanding()`,
		}
		uninstall = []string{`DROP TRIGGER fail_new_outstanding ON ` + table, `DROP FUNCTION fail_new_outstanding()`}
	case "mysql":
		install = []string{`CREATE TRIGGER fail_new_outstanding BEFORE INSERT ON ` + table + ` FOR EACH ROW BEGIN
			IF NEW.jti <> '` + keep + `' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'; END IF; END`}
		uninstall = []string{`DROP TRIGGER fail_new_outstanding`}
	}
	for _, q := range install {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return func() {
		t.Helper()
		for _, q := range uninstall {
			if err := db.Exec(q).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// TestRotationIsOneTransaction: when the new token's outstanding row cannot be written, the
// refresh answers 503 with Retry-After and consumes nothing: no blacklist row, and the retry
// the answer invites succeeds with the same token. (Before, the old token was blacklisted by a
// first statement, so the retry got 401 "Token is blacklisted" and the client was logged out.)
func TestRotationIsOneTransaction(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newDBService(t, dialect, func(s *ginjwt.Settings) {
				s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
				s.Logger = quietLogger()
			})
			old := svc.login(t)["refresh"]
			tok, err := svc.j.Tokens().ParseUnverified(context.Background(), tokens.RefreshToken, old)
			if err != nil {
				t.Fatal(err)
			}
			oldJTI, _ := tok.JTI()
			outstanding := svc.count(t, models.OutstandingTokenTable)

			remove := failNewOutstanding(t, svc.db, oldJTI)
			for attempt := range 2 { // failing twice changes nothing either
				w := svc.postRecorded("/api/token/refresh/", `{"refresh":"`+old+`"}`)
				if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
					t.Fatalf("attempt %d with the outstanding insert failing: %d %q %s; want 503 with Retry-After: 5", attempt, w.Code, w.Header().Get("Retry-After"), w.Body)
				}
				if n := svc.count(t, models.BlacklistedTokenTable); n != 0 {
					t.Fatalf("attempt %d: the failed rotation left %d blacklist rows: the old token is consumed", attempt, n)
				}
				if n := svc.count(t, models.OutstandingTokenTable); n != outstanding {
					t.Fatalf("attempt %d: %d outstanding rows, want %d", attempt, n, outstanding)
				}
			}
			remove()

			code, body, pair := svc.refresh(old)
			if code != http.StatusOK || pair["refresh"] == "" {
				t.Fatalf("the retry after the failure: %d %s; want 200 with a new refresh token", code, body)
			}
			if code, body, _ := svc.refresh(old); code != http.StatusUnauthorized || body != blacklistedBody {
				t.Fatalf("the old token after the successful retry: %d %s", code, body)
			}
			if code, body := svc.me(pair["access"]); code != http.StatusNoContent {
				t.Fatalf("the new access token: %d %s", code, body)
			}
			if code, body, _ := svc.refresh(pair["refresh"]); code != http.StatusOK {
				t.Fatalf("the new refresh token: %d %s", code, body)
			}
		})
	}
}

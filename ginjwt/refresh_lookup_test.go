package ginjwt_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// TestRefreshOneRead: a refresh reads the blacklist and its user in one query
// (models.RefreshLookup) with the default USER_AUTHENTICATION_RULE, and in two (IsBlacklisted,
// then the whole user row) with a custom one. Both give the same answer to every case, in
// simplejwt's order: a blacklisted token is refused as such even when its user is inactive or
// gone, and with CHECK_REVOKE_TOKEN a changed password blacklists the token. Plain refresh and
// sliding refresh, each dialect.
const (
	noAccount       = `{"detail":"No active account found for the given token."}`
	passwordChanged = `{"detail":"The user's password has been changed."}`
)

type answer struct {
	code int
	body string
}

type oneReadCase struct {
	name    string
	prepare func(t *testing.T, svc *dbService, j *tokens.Token) // before the refresh
	want    answer                                              // body "" means any 200
}

func TestRefreshOneRead(t *testing.T) {
	defaults := ginjwt.DefaultSettings()
	sameAsDefault := serializers.DefaultUserAuthenticationRule(&defaults.Settings)
	cases := []oneReadCase{
		{"live token, active user", nil, answer{http.StatusOK, ""}},
		{"blacklisted token", func(t *testing.T, svc *dbService, tok *tokens.Token) {
			mustBlacklist(t, svc, tok)
		}, answer{http.StatusUnauthorized, blacklistedBody}},
		{"blacklisted token, inactive user", func(t *testing.T, svc *dbService, tok *tokens.Token) {
			mustBlacklist(t, svc, tok)
			mustExec(t, svc, "UPDATE auth_user SET is_active = ? WHERE username = ?", false, "alice")
		}, answer{http.StatusUnauthorized, blacklistedBody}},
		{"blacklisted token, user deleted", func(t *testing.T, svc *dbService, tok *tokens.Token) {
			mustBlacklist(t, svc, tok)
			mustExec(t, svc, "UPDATE "+models.OutstandingTokenTable+" SET user_id = NULL")
			mustExec(t, svc, "DELETE FROM auth_user WHERE username = ?", "alice")
		}, answer{http.StatusUnauthorized, blacklistedBody}},
		{"live token, inactive user", func(t *testing.T, svc *dbService, _ *tokens.Token) {
			mustExec(t, svc, "UPDATE auth_user SET is_active = ? WHERE username = ?", false, "alice")
		}, answer{http.StatusUnauthorized, noAccount}},
		{"live token, user deleted", func(t *testing.T, svc *dbService, _ *tokens.Token) {
			mustExec(t, svc, "UPDATE "+models.OutstandingTokenTable+" SET user_id = NULL")
			mustExec(t, svc, "DELETE FROM auth_user WHERE username = ?", "alice")
		}, answer{http.StatusUnauthorized, noAccount}},
		{"password changed (CHECK_REVOKE_TOKEN)", func(t *testing.T, svc *dbService, _ *tokens.Token) {
			mustExec(t, svc, "UPDATE auth_user SET password = ? WHERE username = ?", "pbkdf2_sha256$1000$other$x", "alice")
		}, answer{http.StatusUnauthorized, passwordChanged}},
	}
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			refreshOneRead(t, dialect, cases, sameAsDefault)
		})
	}
}

func refreshOneRead(t *testing.T, dialect string, cases []oneReadCase, sameAsDefault func(models.AuthUser) bool) {
	for _, sliding := range []bool{false, true} {
		for _, tc := range cases {
			var got [2]answer
			for i, rule := range []func(models.AuthUser) bool{nil, sameAsDefault} {
				svc := newDBService(t, dialect, func(s *ginjwt.Settings) {
					s.UserAuthenticationRule = rule
					s.CheckRevokeToken = true
					s.Logger = quietLogger()
					if sliding {
						s.AuthTokenClasses = []tokens.Class{tokens.SlidingToken}
					}
				})
				path, field, class := "/api/token/refresh/", "refresh", tokens.RefreshToken
				login := "/api/token/"
				if sliding {
					path, field, class = "/api/token/sliding/refresh/", "token", tokens.SlidingToken
					login = "/api/token/sliding/"
				}
				code, body, pair := svc.post(login, `{"username":"alice","password":"`+alicePassword+`"}`)
				if code != http.StatusOK {
					t.Fatalf("login: %d %s", code, body)
				}
				raw := pair[field]
				tok, err := svc.j.Tokens().ParseUnverified(context.Background(), class, raw)
				if err != nil {
					t.Fatal(err)
				}
				if tc.prepare != nil {
					tc.prepare(t, svc, tok)
				}
				code, body, _ = svc.post(path, `{"`+field+`":"`+raw+`"}`)
				if code == http.StatusOK {
					body = ""
				}
				got[i] = answer{code, body}
				if tc.want.body == passwordChanged && code == http.StatusUnauthorized {
					if again, body, _ := svc.post(path, `{"`+field+`":"`+raw+`"}`); again != http.StatusUnauthorized || body != blacklistedBody {
						t.Errorf("%s %s sliding=%v: after the password change the token is not blacklisted: %d %s", dialect, tc.name, sliding, again, body)
					}
				}
			}
			if got[0] != tc.want || got[1] != tc.want {
				t.Errorf("%s %s sliding=%v: one read %v, two reads %v, want %v", dialect, tc.name, sliding, got[0], got[1], tc.want)
			}
		}
	}
}

func mustBlacklist(t *testing.T, svc *dbService, tok *tokens.Token) {
	t.Helper()
	if created, err := svc.j.Tokens().Blacklist(context.Background(), tok); err != nil || !created {
		t.Fatalf("Blacklist: %v %v", created, err)
	}
}

func mustExec(t *testing.T, svc *dbService, q string, args ...any) {
	t.Helper()
	if err := svc.db.Exec(q, args...).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

package views_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// The three modes every reference row runs in.
type mode struct {
	name                   string
	rotate, blacklistAfter bool
}

var modes = []mode{
	{name: "default"},
	{name: "rotate", rotate: true},
	{name: "rotate_blacklist", rotate: true, blacklistAfter: true},
}

func (m mode) opt() harnessOpt {
	return withSettings(func(s *tokens.Settings) {
		s.RotateRefreshTokens, s.BlacklistAfterRotation = m.rotate, m.blacklistAfter
	})
}

// mint makes a token of class c for user id (as Token.for_user), changed by mutate, at the
// manager's time, or at `at` when not zero.
func (h *harness) mint(t testing.TB, c tokens.Class, userID string, at time.Time, mutate func(*tokens.Token)) string {
	t.Helper()
	m := h.env.Tokens
	if !at.IsZero() {
		var store tokens.TokenStore
		if h.store != nil {
			store = h.store
		}
		var err error
		m, err = tokens.NewManager(context.Background(), *h.env.Settings(), tokens.Options{Store: store, Now: func() time.Time { return at }, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
	}
	tok, err := m.ForUser(context.Background(), c, tokens.Subject{ID: userID})
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(tok)
	}
	s, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func field(name, value string) string { return `{"` + name + `":` + jsonString(value) + `}` }

const (
	hdrWWW  = `Bearer realm="api"`
	invalid = `{"detail":"Token is invalid","code":"token_not_valid"}`
	expired = `{"detail":"Token is expired","code":"token_not_valid"}`
	black   = `{"detail":"Token is blacklisted","code":"token_not_valid"}`
	wrong   = `{"detail":"Token has wrong type","code":"token_not_valid"}`
	noAcct  = `{"detail":"No active account found with the given credentials"}`
	noAcctT = `{"detail":"No active account found for the given token."}`
)

type row struct {
	name string
	// request returns method, path, content type and body; it may prepare state.
	request func(t *testing.T, h *harness) (method, path, ctype, body string)
	// want returns the status and the body with JWTs as <jwt>.
	want func(m mode) (int, string)
}

func post(path, body string) func(*testing.T, *harness) (string, string, string, string) {
	return func(*testing.T, *harness) (string, string, string, string) {
		return http.MethodPost, path, "application/json", body
	}
}

func fixed(status int, body string) func(mode) (int, string) {
	return func(mode) (int, string) { return status, body }
}

const past = -48 * time.Hour

// referenceRows are the answers simplejwt HEAD gives on its token views (obtain, sliding obtain,
// refresh, sliding refresh, verify, blacklist), observed on the real package.
func referenceRows() []row {
	var rows []row
	for _, ep := range []struct{ prefix, path, success string }{
		{"obtain", "/api/token/", `{"refresh":"<jwt>","access":"<jwt>"}`},
		{"obtain_sliding", "/api/token/sliding/", `{"token":"<jwt>"}`},
	} {
		rows = append(rows,
			row{ep.prefix + "/success", post(ep.path, `{"username":"alice","password":"alice-password-1"}`), fixed(200, ep.success)},
			row{ep.prefix + "/wrong_password", post(ep.path, `{"username":"alice","password":"nope"}`), fixed(401, noAcct)},
			row{ep.prefix + "/unknown_user", post(ep.path, `{"username":"nobody","password":"alice-password-1"}`), fixed(401, noAcct)},
			row{ep.prefix + "/inactive_user", post(ep.path, `{"username":"bob","password":"bob-password-1"}`), fixed(401, noAcct)},
			row{ep.prefix + "/empty_object", post(ep.path, `{}`), fixed(400, `{"username":["This field is required."],"password":["This field is required."]}`)},
			row{ep.prefix + "/blank", post(ep.path, `{"username":"","password":""}`), fixed(400, `{"username":["This field may not be blank."],"password":["This field may not be blank."]}`)},
			row{ep.prefix + "/password_null", post(ep.path, `{"username":"alice","password":null}`), fixed(400, `{"password":["This field may not be null."]}`)},
			row{ep.prefix + "/both_null", post(ep.path, `{"username":null,"password":null}`), fixed(400, `{"username":["This field may not be null."],"password":["This field may not be null."]}`)},
			row{ep.prefix + "/invalid_json", post(ep.path, `{"username": "alice",`), fixed(400, `{"detail":"JSON parse error - Expecting property name enclosed in double quotes: line 1 column 22 (char 21)"}`)},
			row{ep.prefix + "/get", func(*testing.T, *harness) (string, string, string, string) { return http.MethodGet, ep.path, "", "" }, fixed(405, `{"detail":"Method \"GET\" not allowed."}`)},
			row{ep.prefix + "/text_plain", func(*testing.T, *harness) (string, string, string, string) {
				return http.MethodPost, ep.path, "text/plain", `{"username":"alice","password":"alice-password-1"}`
			}, fixed(415, `{"detail":"Unsupported media type \"text/plain\" in request."}`)},
		)
	}

	refresh := "/api/token/refresh/"
	rows = append(rows,
		row{"refresh/ok", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil))
		}, func(m mode) (int, string) {
			if m.rotate {
				return 200, `{"access":"<jwt>","refresh":"<jwt>"}`
			}
			return 200, `{"access":"<jwt>"}`
		}},
		row{"refresh/reuse_after_rotation", func(t *testing.T, h *harness) (string, string, string, string) {
			r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
			if w := h.postJSON(refresh, field("refresh", r)); w.Code != 200 {
				t.Fatalf("first refresh: %d %s", w.Code, w.Body)
			}
			return http.MethodPost, refresh, "application/json", field("refresh", r)
		}, func(m mode) (int, string) {
			switch {
			case m.blacklistAfter:
				return 401, black
			case m.rotate:
				return 200, `{"access":"<jwt>","refresh":"<jwt>"}`
			}
			return 200, `{"access":"<jwt>"}`
		}},
		row{"refresh/access_token", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.AccessToken, "1", time.Time{}, nil))
		}, fixed(401, wrong)},
		row{"refresh/garbage", post(refresh, `{"refresh":"garbage"}`), fixed(401, invalid)},
		row{"refresh/bad_signature", func(t *testing.T, h *harness) (string, string, string, string) {
			tok := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
			return http.MethodPost, refresh, "application/json", field("refresh", tok[:len(tok)-2]+"AA")
		}, fixed(401, invalid)},
		row{"refresh/expired", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "1", time.Now().Add(past), nil))
		}, fixed(401, expired)},
		row{"refresh/blacklisted", func(t *testing.T, h *harness) (string, string, string, string) {
			r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
			if w := h.postJSON("/api/token/blacklist/", field("refresh", r)); w.Code != 200 {
				t.Fatalf("blacklist: %d %s", w.Code, w.Body)
			}
			return http.MethodPost, refresh, "application/json", field("refresh", r)
		}, fixed(401, black)},
		row{"refresh/user_inactive", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "2", time.Time{}, nil))
		}, fixed(401, noAcctT)},
		row{"refresh/user_deleted", func(t *testing.T, h *harness) (string, string, string, string) {
			h.addUser(t, 3, "carol", "carol-password-1", true)
			tok := h.mint(t, tokens.RefreshToken, "3", time.Time{}, nil)
			h.removeUser("carol")
			return http.MethodPost, refresh, "application/json", field("refresh", tok)
		}, fixed(401, noAcctT)},
		row{"refresh/user_id_not_a_user", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "1", time.Time{},
				func(tok *tokens.Token) { tok.Set("user_id", map[string]any{"$ne": nil}) }))
		}, fixed(401, noAcctT)},
		row{"refresh/no_jti", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "1", time.Time{},
				func(tok *tokens.Token) { tok.Delete("jti") }))
		}, fixed(401, `{"detail":"Token has no id","code":"token_not_valid"}`)},
		row{"refresh/no_type", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, refresh, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "1", time.Time{},
				func(tok *tokens.Token) { tok.Delete("token_type") }))
		}, fixed(401, `{"detail":"Token has no type","code":"token_not_valid"}`)},
		row{"refresh/empty_object", post(refresh, `{}`), fixed(400, `{"refresh":["This field is required."]}`)},
		row{"refresh/blank", post(refresh, `{"refresh":""}`), fixed(400, `{"refresh":["This field may not be blank."]}`)},
		row{"refresh/list", post(refresh, `{"refresh":["x"]}`), fixed(400, `{"refresh":["Not a valid string."]}`)},
		row{"refresh/number", post(refresh, `{"refresh":123}`), fixed(401, invalid)},
	)

	sliding := "/api/token/sliding/refresh/"
	rows = append(rows,
		row{"sliding_refresh/ok", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, sliding, "application/json", field("token", h.mint(t, tokens.SlidingToken, "1", time.Time{}, nil))
		}, fixed(200, `{"token":"<jwt>"}`)},
		row{"sliding_refresh/wrong_type", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, sliding, "application/json", field("token", h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil))
		}, fixed(401, wrong)},
		row{"sliding_refresh/refresh_exp_passed", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, sliding, "application/json", field("token", h.mint(t, tokens.SlidingToken, "1", time.Time{},
				func(tok *tokens.Token) { tok.Set("refresh_exp", time.Now().Add(-time.Minute).Unix()) }))
		}, fixed(401, `{"detail":"Token 'refresh_exp' claim has expired","code":"token_not_valid"}`)},
		row{"sliding_refresh/no_refresh_exp", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, sliding, "application/json", field("token", h.mint(t, tokens.SlidingToken, "1", time.Time{},
				func(tok *tokens.Token) { tok.Delete("refresh_exp") }))
		}, fixed(401, `{"detail":"Token has no 'refresh_exp' claim","code":"token_not_valid"}`)},
		row{"sliding_refresh/expired_refresh_exp_future", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, sliding, "application/json", field("token", h.mint(t, tokens.SlidingToken, "1", time.Now().Add(-time.Hour), nil))
		}, fixed(401, expired)},
		row{"sliding_refresh/blacklisted", func(t *testing.T, h *harness) (string, string, string, string) {
			tok := h.mint(t, tokens.SlidingToken, "1", time.Time{}, nil)
			jti := payloadOf(t, tok)["jti"].(string)
			if _, err := h.store.Blacklist(context.Background(), tokens.TokenRecord{JTI: jti}); err != nil {
				t.Fatal(err)
			}
			return http.MethodPost, sliding, "application/json", field("token", tok)
		}, fixed(401, black)},
		row{"sliding_refresh/user_inactive", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, sliding, "application/json", field("token", h.mint(t, tokens.SlidingToken, "2", time.Time{}, nil))
		}, fixed(401, noAcctT)},
		row{"sliding_refresh/empty_object", post(sliding, `{}`), fixed(400, `{"token":["This field is required."]}`)},
	)

	verify := "/api/token/verify/"
	for _, c := range []tokens.Class{tokens.AccessToken, tokens.RefreshToken, tokens.SlidingToken} {
		rows = append(rows, row{"verify/ok_" + c.Type(), func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, verify, "application/json", field("token", h.mint(t, c, "1", time.Time{}, nil))
		}, fixed(200, `{}`)})
	}
	rows = append(rows,
		row{"verify/garbage", post(verify, `{"token":"garbage"}`), fixed(401, invalid)},
		row{"verify/expired", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, verify, "application/json", field("token", h.mint(t, tokens.AccessToken, "1", time.Now().Add(-time.Hour), nil))
		}, fixed(401, expired)},
		row{"verify/blacklisted", func(t *testing.T, h *harness) (string, string, string, string) {
			r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
			if w := h.postJSON("/api/token/blacklist/", field("refresh", r)); w.Code != 200 {
				t.Fatalf("blacklist: %d %s", w.Code, w.Body)
			}
			return http.MethodPost, verify, "application/json", field("token", r)
		}, func(m mode) (int, string) {
			if m.blacklistAfter {
				return 400, `{"non_field_errors":["Token is blacklisted"]}`
			}
			return 200, `{}`
		}},
		row{"verify/empty_object", post(verify, `{}`), fixed(400, `{"token":["This field is required."]}`)},
		row{"verify/non_string", post(verify, `{"token":{"a":1}}`), fixed(400, `{"token":["Not a valid string."]}`)},
		row{"verify/null", post(verify, `{"token":null}`), fixed(400, `{"token":["This field may not be null."]}`)},
	)

	bl := "/api/token/blacklist/"
	rows = append(rows,
		row{"blacklist/ok", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, bl, "application/json", field("refresh", h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil))
		}, fixed(200, `{}`)},
		row{"blacklist/again", func(t *testing.T, h *harness) (string, string, string, string) {
			r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
			if w := h.postJSON(bl, field("refresh", r)); w.Code != 200 {
				t.Fatalf("blacklist: %d %s", w.Code, w.Body)
			}
			return http.MethodPost, bl, "application/json", field("refresh", r)
		}, fixed(401, black)},
		row{"blacklist/access_token", func(t *testing.T, h *harness) (string, string, string, string) {
			return http.MethodPost, bl, "application/json", field("refresh", h.mint(t, tokens.AccessToken, "1", time.Time{}, nil))
		}, fixed(401, wrong)},
		row{"blacklist/empty_object", post(bl, `{}`), fixed(400, `{"refresh":["This field is required."]}`)},
	)

	// §8: OPTIONS metadata, 405 on every other method.
	for _, o := range []struct{ path, body string }{
		{"/api/token/", `{"name":"Token Obtain Pair","description":"Takes a set of user credentials and returns an access and refresh JSON web\ntoken pair to prove the authentication of those credentials.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"actions":{"POST":{"username":{"type":"string","required":true,"read_only":false,"label":"Username"},"password":{"type":"string","required":true,"read_only":false,"label":"Password"}}}}`},
		{"/api/token/refresh/", `{"name":"Token Refresh","description":"Takes a refresh type JSON web token and returns an access type JSON web\ntoken if the refresh token is valid.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"actions":{"POST":{"refresh":{"type":"string","required":true,"read_only":false,"label":"Refresh"},"access":{"type":"string","required":false,"read_only":true,"label":"Access"}}}}`},
		{"/api/token/verify/", `{"name":"Token Verify","description":"Takes a token and indicates if it is valid.  This view provides no\ninformation about a token's fitness for a particular use.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"actions":{"POST":{"token":{"type":"string","required":true,"read_only":false,"label":"Token"}}}}`},
		{"/api/token/blacklist/", `{"name":"Token Blacklist","description":"Takes a token and blacklists it. Must be used with the\n` + "`rest_framework_simplejwt.token_blacklist`" + ` app installed.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"actions":{"POST":{"refresh":{"type":"string","required":true,"read_only":false,"label":"Refresh"}}}}`},
		{"/api/token/sliding/", `{"name":"Token Obtain Sliding","description":"Takes a set of user credentials and returns a sliding JSON web token to\nprove the authentication of those credentials.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"actions":{"POST":{"username":{"type":"string","required":true,"read_only":false,"label":"Username"},"password":{"type":"string","required":true,"read_only":false,"label":"Password"}}}}`},
		{"/api/token/sliding/refresh/", `{"name":"Token Refresh Sliding","description":"Takes a sliding JSON web token and returns a new, refreshed version if the\ntoken's refresh period has not expired.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"],"actions":{"POST":{"token":{"type":"string","required":true,"read_only":false,"label":"Token"}}}}`},
	} {
		rows = append(rows, row{"options" + o.path, func(*testing.T, *harness) (string, string, string, string) {
			return http.MethodOptions, o.path, "", ""
		}, fixed(200, o.body)})
		for _, m := range []string{"GET", "PUT", "PATCH", "DELETE", "TRACE"} {
			rows = append(rows, row{strings.ToLower(m) + o.path, func(*testing.T, *harness) (string, string, string, string) {
				return m, o.path, "application/json", `{}`
			}, fixed(405, `{"detail":"Method \"`+m+`\" not allowed."}`)})
		}
	}
	return rows
}

// TestReference runs every row in the three modes and checks status, exact body bytes and
// headers: Content-Type, Vary, Allow, WWW-Authenticate on (and only on) 401, Cache-Control:
// no-store on POST answers.
func TestReference(t *testing.T) {
	rows := referenceRows()
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			for _, r := range rows {
				t.Run(r.name, func(t *testing.T) {
					h := newHarness(t, m.opt())
					method, path, ctype, body := r.request(t, h)
					w := h.do(method, path, ctype, body)
					wantStatus, wantBody := r.want(m)
					got := jwtPattern.ReplaceAllString(w.Body.String(), "<jwt>")
					if w.Code != wantStatus || got != wantBody {
						t.Fatalf("got %d %s\nwant %d %s", w.Code, got, wantStatus, wantBody)
					}
					checkHeaders(t, w.Header(), method, wantStatus)
					if wantStatus != 200 {
						assertNoLeak(t, w.Body.String())
					}
				})
			}
		})
	}
}

func checkHeaders(t *testing.T, hdr http.Header, method string, status int) {
	t.Helper()
	want := map[string]string{
		"Content-Type": "application/json",
		"Vary":         "Accept",
		"Allow":        "POST, OPTIONS",
	}
	if status == 401 {
		want["WWW-Authenticate"] = hdrWWW
	} else {
		want["WWW-Authenticate"] = ""
	}
	if method == http.MethodPost {
		want["Cache-Control"] = "no-store"
	}
	for k, v := range want {
		if got := hdr.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}

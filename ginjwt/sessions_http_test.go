package ginjwt_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// call sends method path with the access token (none when "") and returns the response.
func (svc *sessionService) call(method, path, access string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("User-Agent", "test-agent/1")
	if access != "" {
		req.Header.Set("Authorization", "Bearer "+access)
	}
	w := httptest.NewRecorder()
	svc.serve(w, req)
	return w
}

// addBob creates a second user and returns a pair of his.
func (svc *sessionService) addBob(t *testing.T) map[string]string {
	t.Helper()
	h := hashers.New(hashers.PBKDF2SHA256(1000))
	users, err := models.NewUserStore(svc.db, models.UserStoreOptions{Hashers: h})
	if err != nil {
		t.Fatal(err)
	}
	bob := models.NewUser("bob")
	_ = bob.SetPasswordWith(h, "bob-password-1")
	if err := users.Create(context.Background(), bob); err != nil {
		t.Fatal(err)
	}
	code, body, pair := svc.post("/api/token/", `{"username":"bob","password":"bob-password-1"}`)
	if code != 200 {
		t.Fatalf("bob's login: %d %s", code, body)
	}
	return pair
}

const notAuthenticated = `{"detail":"Authentication credentials were not provided."}`

// TestSessionEndpoints: every answer of the three session routes, on every database.
func TestSessionEndpoints(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newSessionService(t, dialect, nil)
			a := svc.login(t)
			svc.clock.Set(svc.clock.Now().Add(time.Second))
			b := svc.login(t)
			bob := svc.addBob(t)
			sidA := claims(t, a["refresh"])["sid"].(string)
			sidB := claims(t, b["refresh"])["sid"].(string)
			sidBob := claims(t, bob["refresh"])["sid"].(string)

			w := svc.call(http.MethodGet, "/api/token/sessions/", a["access"])
			var list []map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &list); w.Code != 200 || err != nil || len(list) != 2 {
				t.Fatalf("GET sessions: %d %s", w.Code, w.Body)
			}
			keys := func(m map[string]any) string {
				var ks []string
				for _, k := range []string{"id", "created_at", "last_used_at", "user_agent", "ip", "current"} {
					if _, ok := m[k]; ok {
						ks = append(ks, k)
					}
				}
				return strings.Join(ks, ",")
			}
			if list[0]["id"] != sidB || list[1]["id"] != sidA || list[0]["current"] != false || list[1]["current"] != true ||
				keys(list[0]) != "id,created_at,last_used_at,user_agent,ip,current" || len(list[0]) != 6 ||
				list[0]["user_agent"] != "" || list[0]["ip"] != "192.0.2.1" || !strings.HasSuffix(list[0]["created_at"].(string), "Z") {
				t.Fatalf("GET sessions body: %s", w.Body)
			}
			if !strings.HasPrefix(w.Body.String(), `[{"id":"`+sidB+`","created_at":"`) {
				t.Fatalf("not DRF's compact JSON in order: %s", w.Body)
			}

			cases := []struct {
				name, method, path, access string
				code                       int
				body, allow                string
			}{
				{"list, anonymous", "GET", "/api/token/sessions/", "", 401, notAuthenticated, "GET, DELETE, HEAD, OPTIONS"},
				{"list, bad token", "GET", "/api/token/sessions/", "x.y.z", 401, "", ""},
				{"list, refresh token", "GET", "/api/token/sessions/", a["refresh"], 401, "", ""},
				{"end one, anonymous", "DELETE", "/api/token/sessions/" + sidB + "/", "", 401, notAuthenticated, "DELETE, OPTIONS"},
				{"options, anonymous", "OPTIONS", "/api/token/sessions/", "", 401, notAuthenticated, ""},
				{"options", "OPTIONS", "/api/token/sessions/", a["access"], 200,
					`{"name":"Token Sessions","description":"Lists the caller's live sessions, newest first (GET), or ends every one of them\n(DELETE: log out everywhere).","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}`,
					"GET, DELETE, HEAD, OPTIONS"},
				{"options, one", "OPTIONS", "/api/token/sessions/" + sidA + "/", a["access"], 200, "", "DELETE, OPTIONS"},
				{"put list", "PUT", "/api/token/sessions/", a["access"], 405, `{"detail":"Method \"PUT\" not allowed."}`, "GET, DELETE, HEAD, OPTIONS"},
				{"post list", "POST", "/api/token/sessions/", a["access"], 405, `{"detail":"Method \"POST\" not allowed."}`, ""},
				{"get one", "GET", "/api/token/sessions/" + sidA + "/", a["access"], 405, `{"detail":"Method \"GET\" not allowed."}`, "DELETE, OPTIONS"},
				{"put one, anonymous", "PUT", "/api/token/sessions/" + sidA + "/", "", 401, notAuthenticated, ""},
				{"end bob's session", "DELETE", "/api/token/sessions/" + sidBob + "/", a["access"], 404, `{"detail":"Not found."}`, "DELETE, OPTIONS"},
				{"end no session", "DELETE", "/api/token/sessions/nope/", a["access"], 404, `{"detail":"Not found."}`, ""},
				{"end b", "DELETE", "/api/token/sessions/" + sidB + "/", a["access"], 204, "", "DELETE, OPTIONS"},
				{"b's token refused", "GET", "/api/token/sessions/", b["access"], 401, "", ""},
				{"end b again", "DELETE", "/api/token/sessions/" + sidB + "/", a["access"], 404, `{"detail":"Not found."}`, ""},
				{"bob's session lives", "GET", "/api/token/sessions/", bob["access"], 200, "", ""},
				{"log out everywhere", "DELETE", "/api/token/sessions/", a["access"], 204, "", "GET, DELETE, HEAD, OPTIONS"},
				{"a's token refused", "GET", "/api/token/sessions/", a["access"], 401, "", ""},
				{"bob still in", "GET", "/api/token/sessions/", bob["access"], 200, "", ""},
			}
			for _, tc := range cases {
				w := svc.call(tc.method, tc.path, tc.access)
				if w.Code != tc.code || (tc.body != "" && w.Body.String() != tc.body) {
					t.Errorf("%s: %d %s, want %d %s", tc.name, w.Code, w.Body, tc.code, tc.body)
				}
				if tc.allow != "" && w.Header().Get("Allow") != tc.allow {
					t.Errorf("%s: Allow %q, want %q", tc.name, w.Header().Get("Allow"), tc.allow)
				}
				if w.Code == 401 && w.Header().Get("WWW-Authenticate") != `Bearer realm="api"` {
					t.Errorf("%s: WWW-Authenticate %q", tc.name, w.Header().Get("WWW-Authenticate"))
				}
				if w.Code == 204 && w.Body.Len() != 0 {
					t.Errorf("%s: 204 with a body %q", tc.name, w.Body)
				}
			}
			if code, body := svc.me(a["access"]); code != 401 || !strings.Contains(body, "Token is blacklisted") {
				t.Errorf("a's access after logout everywhere: %d %s", code, body)
			}
			// Every answer above (the list and the cases) matched the OpenAPI document.
			if got := svc.openapi.validated; got != len(cases)+1 {
				t.Errorf("%d responses validated against the OpenAPI document, want %d", got, len(cases)+1)
			}
		})
	}
}

// TestSessionRoutesOnlyWithSessions: without Settings.Sessions RegisterRoutes adds no session
// route; with it, RegisterRoutes(r, views.TokenSessions) adds just that one.
func TestSessionRoutesOnlyWithSessions(t *testing.T) {
	svc := newDBService(t, "sqlite", nil)
	pair := svc.login(t)
	req := httptest.NewRequest(http.MethodGet, "/api/token/sessions/", nil)
	req.Header.Set("Authorization", "Bearer "+pair["access"])
	w := httptest.NewRecorder()
	svc.router.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Fatalf("sessions off: GET /api/token/sessions/ = %d %s", w.Code, w.Body)
	}
	_ = ginjwt.ErrSessionsOff
}

// TestReuseDetection: a rotated refresh token presented again ends its session (the
// legitimate client's refresh and access tokens stop working), logged at warn level with the
// session and user ids and never the token; within the grace period the session lives; a
// logout is not a rotation; a forged token never ends a session.
func TestReuseDetection(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			t.Run("replay ends the session", func(t *testing.T) {
				svc := newSessionService(t, dialect, func(s *ginjwt.Settings) { s.RefreshTokenReuseDetection = true })
				old := svc.login(t)
				_, _, next := svc.refresh(old["refresh"])
				if code, body, _ := svc.refresh(old["refresh"]); code != 401 || !strings.Contains(body, `"Token is blacklisted"`) {
					t.Fatalf("replay: %d %s", code, body)
				}
				if code, _, _ := svc.refresh(next["refresh"]); code != 401 {
					t.Errorf("the legitimate client's refresh token still works: %d", code)
				}
				if code, _ := svc.me(next["access"]); code != 401 {
					t.Errorf("the legitimate client's access token still works: %d", code)
				}
				sid := claims(t, old["refresh"])["sid"].(string)
				log := svc.log.String()
				if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "reuse detected") || !strings.Contains(log, "session_id="+sid) ||
					!strings.Contains(log, "user_id=1") || strings.Contains(log, old["refresh"]) || strings.Contains(log, next["refresh"]) {
					t.Errorf("log: %s", log)
				}
				if s, err := models.NewSessionStore(svc.db, 0).Get(context.Background(), sid); err != nil || s.EndReason != models.EndReuse {
					t.Errorf("session = %+v, %v", s, err)
				}
			})
			t.Run("within the grace period", func(t *testing.T) {
				svc := newSessionService(t, dialect, func(s *ginjwt.Settings) {
					s.RefreshTokenReuseDetection, s.RefreshTokenReuseGracePeriod = true, 2*time.Second
				})
				old := svc.login(t)
				_, _, next := svc.refresh(old["refresh"])
				svc.clock.Set(svc.clock.Now().Add(time.Second))
				if code, _, _ := svc.refresh(old["refresh"]); code != 401 {
					t.Fatalf("replay within grace: %d", code)
				}
				code, body, next2 := svc.refresh(next["refresh"])
				if code != 200 {
					t.Fatalf("session ended within the grace period: %d %s", code, body)
				}
				svc.clock.Set(svc.clock.Now().Add(3 * time.Second))
				if code, _, _ := svc.refresh(next["refresh"]); code != 401 {
					t.Fatalf("late replay: %d", code)
				}
				if code, _ := svc.me(next2["access"]); code != 401 {
					t.Errorf("late replay left the session alive: %d", code)
				}
			})
			t.Run("logout is not rotation", func(t *testing.T) {
				svc := newSessionService(t, dialect, func(s *ginjwt.Settings) { s.RefreshTokenReuseDetection = true })
				pair := svc.login(t)
				if code, body, _ := svc.post("/api/token/blacklist/", `{"refresh":"`+pair["refresh"]+`"}`); code != 200 {
					t.Fatalf("logout: %d %s", code, body)
				}
				if code, _, _ := svc.refresh(pair["refresh"]); code != 401 {
					t.Fatalf("logged-out token refreshed: %d", code)
				}
				if code, _ := svc.me(pair["access"]); code != 401 {
					t.Errorf("access token of a logged-out session: %d", code)
				}
				if strings.Contains(svc.log.String(), "reuse detected") {
					t.Errorf("logout counted as reuse: %s", svc.log)
				}
			})
			t.Run("forged token", func(t *testing.T) {
				svc := newSessionService(t, dialect, func(s *ginjwt.Settings) { s.RefreshTokenReuseDetection = true })
				old := svc.login(t)
				_, _, next := svc.refresh(old["refresh"])
				forged := old["refresh"][:strings.LastIndexByte(old["refresh"], '.')+1] + "AAAA"
				if code, _, _ := svc.refresh(forged); code != 401 {
					t.Fatalf("forged: %d", code)
				}
				if code, _, _ := svc.refresh(next["refresh"]); code != 200 {
					t.Fatalf("a forged token ended the session: %d", code)
				}
			})
			t.Run("detection off", func(t *testing.T) {
				svc := newSessionService(t, dialect, nil)
				old := svc.login(t)
				_, _, next := svc.refresh(old["refresh"])
				svc.refresh(old["refresh"])
				if code, _, _ := svc.refresh(next["refresh"]); code != 200 {
					t.Fatalf("replay ended the session with detection off: %d", code)
				}
			})
		})
	}
}

// TestSessionIP: a session records the address its login came from by the throttle's client
// rules: the peer, unless Settings.Throttle.TrustedProxies names it, then the client it
// forwards (in its RemoteIPHeaders); a header from any other peer is ignored.
func TestSessionIP(t *testing.T) {
	trusted := &throttle.Config{TrustedProxies: []string{"10.0.0.0/8"}}
	cases := []struct {
		name     string
		throttle *throttle.Config
		remote   string
		headers  map[string]string
		want     string
	}{
		{"no proxies: the peer", nil, "203.0.113.7:4711", nil, "203.0.113.7"},
		{"no proxies: a forged header ignored", nil, "203.0.113.7:4711", map[string]string{"X-Forwarded-For": "1.2.3.4"}, "203.0.113.7"},
		{"trusted proxy: the client it forwards", trusted, "10.0.0.5:4711", map[string]string{"X-Forwarded-For": "198.51.100.7"}, "198.51.100.7"},
		{"trusted proxy chain: the first untrusted from the right", trusted, "10.0.0.5:4711",
			map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.7, 10.0.0.9"}, "198.51.100.7"},
		{"untrusted peer with proxies configured", trusted, "203.0.113.7:4711", map[string]string{"X-Forwarded-For": "1.2.3.4"}, "203.0.113.7"},
		{"trusted proxy without a header: the proxy", trusted, "10.0.0.5:4711", nil, "10.0.0.5"},
		{"the proxy's own header", &throttle.Config{TrustedProxies: []string{"10.0.0.0/8"}, RemoteIPHeaders: []string{"X-Real-IP"}},
			"10.0.0.5:4711", map[string]string{"X-Forwarded-For": "1.2.3.4", "X-Real-IP": "198.51.100.8"}, "198.51.100.8"},
		{"IPv4-mapped peer", nil, "[::ffff:203.0.113.9]:4711", nil, "203.0.113.9"},
		{"IPv6 peer", nil, "[2001:db8::7]:4711", nil, "2001:db8::7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := newSessionService(t, "sqlite", func(s *ginjwt.Settings) { s.Throttle = tc.throttle })
			req := httptest.NewRequest(http.MethodPost, "/api/token/", strings.NewReader(`{"username":"alice","password":"`+alicePassword+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.RemoteAddr = tc.remote
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			svc.router.ServeHTTP(w, req)
			var pair map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &pair); w.Code != http.StatusOK || err != nil {
				t.Fatalf("login: %d %s", w.Code, w.Body)
			}
			l := svc.call(http.MethodGet, "/api/token/sessions/", pair["access"])
			var list []map[string]any
			if err := json.Unmarshal(l.Body.Bytes(), &list); l.Code != http.StatusOK || err != nil || len(list) != 1 {
				t.Fatalf("GET sessions: %d %s", l.Code, l.Body)
			}
			if list[0]["ip"] != tc.want {
				t.Errorf("session ip %v; want %s", list[0]["ip"], tc.want)
			}
		})
	}
	s := ginjwt.DefaultSettings()
	s.SigningKey, s.Sessions, s.Throttle = key, true, &throttle.Config{TrustedProxies: []string{"10.0.0.0/33"}}
	if _, err := ginjwt.New(freshDB(t, "sqlite"), s); err == nil || !strings.Contains(err.Error(), `"10.0.0.0/33"`) {
		t.Errorf("a bad trusted proxy: %v; want an error naming it", err)
	}
}

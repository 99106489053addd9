package ginjwt_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// The cookie transport end to end (dj-rest-auth's JWT cookies with Django's CSRF check): every
// cookie attribute per endpoint, the bodies, where refresh and logout take their token, and
// every CSRF failure with its status and body.

// cookieService is a memory-backed service with the cookie settings of mutate, the token routes
// under /api/token/, and /api/me/ (GET and POST) behind Auth and IsAuthenticated.
func cookieService(t *testing.T, mutate func(*cookies.Settings)) *dbService {
	t.Helper()
	svc := newDBService(t, "memory", func(s *ginjwt.Settings) {
		s.Cookies = cookies.Settings{Cookie: "access", RefreshCookie: "refresh"}
		s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
		s.SlidingTokenRefreshLifetime = 2 * time.Hour
		s.AuthTokenClasses = []tokens.Class{tokens.AccessToken, tokens.SlidingToken}
		if mutate != nil {
			mutate(&s.Cookies)
		}
	})
	ok := func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) }
	svc.router.POST("/api/me/", svc.j.IsAuthenticated(), ok)
	// Every call of the cookie tests goes through the OpenAPI document's checker.
	h, c := openAPIChecked(t, svc.j, svc.router, "cookies", cookieMeRoute)
	c.unchecked = []string{"GET /api/me/"} // newDBService's GET /api/me/ answers 204
	svc.handler = h
	return svc
}

// cookieMeRoute is POST /api/me/ of cookieService, for the OpenAPI document.
var cookieMeRoute = ginjwt.OpenAPIRoute{Method: "POST", Path: "/api/me/", OperationID: "me_post", Response: map[string]any{
	"type": "object", "required": []string{"ok"}, "additionalProperties": false,
	"properties": map[string]any{"ok": map[string]any{"type": "boolean"}},
}}

// call is one request: method, path, JSON body, and headers ("Cookie: a=b" style lines).
func (svc *dbService) call(method, path, body string, headers ...string) *httptest.ResponseRecorder {
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		if k == "Content-Type" {
			req.Header.Set(k, v)
			continue
		}
		req.Header.Add(k, v)
	}
	w := httptest.NewRecorder()
	svc.serve(w, req)
	return w
}

const aliceLogin = `{"username":"alice","password":"` + alicePassword + `"}`

// describeCookies renders each Set-Cookie of w as "name=<value or token or empty> attributes",
// the Expires as its offset from now.
func describeCookies(t *testing.T, w *httptest.ResponseRecorder, now time.Time) []string {
	t.Helper()
	var out []string
	for _, line := range w.Header().Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", line, err)
		}
		v := "<empty>"
		switch {
		case strings.Count(c.Value, ".") == 2:
			v = "<jwt>"
		case len(c.Value) == 32:
			v = "<secret>"
		case c.Value != "":
			v = c.Value
		}
		d := c.Name + "=" + v + " Path=" + c.Path
		if c.Domain != "" {
			d += " Domain=" + c.Domain
		}
		d += fmt.Sprintf(" Max-Age=%d", max(c.MaxAge, 0))
		switch {
		case c.Expires.IsZero():
		case c.Expires.Unix() == 0:
			d += " Expires=1970"
		default:
			d += " Expires=+" + c.Expires.Sub(now).String()
		}
		if c.HttpOnly {
			d += " HttpOnly"
		}
		if c.Secure {
			d += " Secure"
		}
		switch c.SameSite {
		case http.SameSiteLaxMode:
			d += " SameSite=Lax"
		case http.SameSiteStrictMode:
			d += " SameSite=Strict"
		case http.SameSiteNoneMode:
			d += " SameSite=None"
		}
		out = append(out, d)
	}
	return out
}

// cookieHeader turns the Set-Cookie lines of w into one Cookie header line, as a browser
// would send them back (expired ones left out).
func cookieHeader(w *httptest.ResponseRecorder) string {
	var parts []string
	for _, line := range w.Header().Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && c.MaxAge >= 0 && c.Value != "" {
			parts = append(parts, c.Name+"="+c.Value)
		}
	}
	return "Cookie: " + strings.Join(parts, "; ")
}

func cookieValue(w *httptest.ResponseRecorder, name string) string {
	for _, line := range w.Header().Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == name {
			return c.Value
		}
	}
	return ""
}

// TestCookieAttributes: the table of every cookie each endpoint sets or clears, for the
// default settings and for every attribute setting.
func TestCookieAttributes(t *testing.T) {
	const (
		access  = "access=<jwt> Path=/ Max-Age=300 Expires=+5m0s HttpOnly SameSite=Lax"
		refresh = "refresh=<jwt> Path=/ Max-Age=86400 Expires=+24h0m0s HttpOnly SameSite=Lax"
		csrfC   = "csrftoken=<secret> Path=/ Max-Age=31449600 Expires=+8736h0m0s SameSite=Lax"
		delA    = "access=<empty> Path=/ Max-Age=0 Expires=1970 SameSite=Lax"
		delR    = "refresh=<empty> Path=/ Max-Age=0 Expires=1970 SameSite=Lax"
	)
	type step struct {
		endpoint string // obtain, sliding, refresh, sliding-refresh, logout, logout-empty, csrf
		want     []string
	}
	cases := []struct {
		name   string
		mutate func(*cookies.Settings)
		steps  []step
	}{
		{"defaults (JWT_AUTH_COOKIE=access, JWT_AUTH_REFRESH_COOKIE=refresh)", nil, []step{
			{"obtain", []string{access, refresh}},
			{"refresh", []string{access, refresh}},
			{"sliding", []string{"access=<jwt> Path=/ Max-Age=7200 Expires=+2h0m0s HttpOnly SameSite=Lax"}},
			{"sliding-refresh", []string{"access=<jwt> Path=/ Max-Age=7200 Expires=+2h0m0s HttpOnly SameSite=Lax"}},
			{"logout", []string{delA, delR}},
			{"logout-empty", []string{delA, delR}},
		}},
		{"access cookie only", func(s *cookies.Settings) { s.RefreshCookie = "" }, []step{
			{"obtain", []string{access}},
			{"logout-empty", []string{delA}},
		}},
		{"refresh path, domain, Secure, SameSite=Strict, not HttpOnly", func(s *cookies.Settings) {
			s.RefreshCookiePath, s.Domain, s.Secure, s.SameSite, s.NotHTTPOnly = "/api/token/", "example.com", true, "Strict", true
		}, []step{
			{"obtain", []string{
				"access=<jwt> Path=/ Domain=example.com Max-Age=300 Expires=+5m0s Secure SameSite=Strict",
				"refresh=<jwt> Path=/api/token/ Domain=example.com Max-Age=86400 Expires=+24h0m0s Secure SameSite=Strict",
			}},
			{"logout", []string{
				"access=<empty> Path=/ Domain=example.com Max-Age=0 Expires=1970 Secure SameSite=Strict",
				"refresh=<empty> Path=/api/token/ Domain=example.com Max-Age=0 Expires=1970 Secure SameSite=Strict",
			}},
		}},
		{"SameSite=None (with Secure)", func(s *cookies.Settings) { s.SameSite, s.Secure = "None", true }, []step{
			{"obtain", []string{
				"access=<jwt> Path=/ Max-Age=300 Expires=+5m0s HttpOnly Secure SameSite=None",
				"refresh=<jwt> Path=/ Max-Age=86400 Expires=+24h0m0s HttpOnly Secure SameSite=None",
			}},
		}},
		{"SameSite=False omits it", func(s *cookies.Settings) { s.SameSite = "False" }, []step{
			{"obtain", []string{
				"access=<jwt> Path=/ Max-Age=300 Expires=+5m0s HttpOnly",
				"refresh=<jwt> Path=/ Max-Age=86400 Expires=+24h0m0s HttpOnly",
			}},
		}},
		{"CSRF in use: login sets the CSRF cookie too; GET /csrf/ sets it", func(s *cookies.Settings) { s.UseCSRF = true }, []step{
			{"obtain", []string{access, refresh, csrfC}},
			{"sliding", []string{"access=<jwt> Path=/ Max-Age=7200 Expires=+2h0m0s HttpOnly SameSite=Lax", csrfC}},
			{"csrf", []string{csrfC}},
		}},
		{"CSRF cookie settings", func(s *cookies.Settings) {
			s.UseCSRF = true
			s.CSRF.CookieName, s.CSRF.CookiePath, s.CSRF.CookieDomain, s.CSRF.CookieSecure, s.CSRF.CookieSameSite = "xsrf", "/api/", "example.com", true, "Strict"
		}, []step{
			{"csrf", []string{"xsrf=<secret> Path=/api/ Domain=example.com Max-Age=31449600 Expires=+8736h0m0s Secure SameSite=Strict"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := cookieService(t, tc.mutate)
			now := svc.clock.Now()
			login := svc.call("POST", "/api/token/", aliceLogin)
			if login.Code != 200 {
				t.Fatalf("login: %d %s", login.Code, login.Body)
			}
			jar := cookieHeader(login)
			for _, st := range tc.steps {
				var w *httptest.ResponseRecorder
				switch st.endpoint {
				case "obtain":
					w = login
				case "refresh":
					w = svc.call("POST", "/api/token/refresh/", `{}`, jar)
					jar = cookieHeader(w) // the rotated pair
				case "sliding":
					w = svc.call("POST", "/api/token/sliding/", aliceLogin)
				case "sliding-refresh":
					sl := svc.call("POST", "/api/token/sliding/", aliceLogin)
					w = svc.call("POST", "/api/token/sliding/refresh/", `{}`, cookieHeader(sl))
				case "logout":
					w = svc.call("POST", "/api/token/blacklist/", `{}`, jar)
				case "logout-empty":
					w = svc.call("POST", "/api/token/blacklist/", `{}`)
				case "csrf":
					w = svc.call("GET", "/api/token/csrf/", "")
				}
				if w.Code != 200 {
					t.Fatalf("%s: %d %s", st.endpoint, w.Code, w.Body)
				}
				if got := describeCookies(t, w, now); !slices.Equal(got, st.want) {
					t.Errorf("%s:\n got %q\nwant %q", st.endpoint, got, st.want)
				}
			}
		})
	}
}

// TestCookieBodies: what each endpoint's body becomes in cookie mode.
func TestCookieBodies(t *testing.T) {
	shape := func(body []byte) string {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return string(body)
		}
		keys := make([]string, 0, len(m))
		for k, v := range m {
			s, _ := v.(string)
			switch {
			case s == "":
				keys = append(keys, k+"=\"\"")
			case strings.Count(s, ".") == 2:
				keys = append(keys, k+"=<jwt>")
			default:
				keys = append(keys, k+"="+s)
			}
		}
		slices.Sort(keys)
		return strings.Join(keys, " ")
	}
	cases := []struct {
		name     string
		mutate   func(*cookies.Settings)
		endpoint string
		want     string
	}{
		{"obtain, HttpOnly: refresh blanked", nil, "obtain", `access=<jwt> refresh=""`},
		{"obtain, not HttpOnly", func(s *cookies.Settings) { s.NotHTTPOnly = true }, "obtain", "access=<jwt> refresh=<jwt>"},
		{"obtain, no refresh cookie: refresh kept", func(s *cookies.Settings) { s.RefreshCookie = "" }, "obtain", "access=<jwt> refresh=<jwt>"},
		{"obtain, RETURN_EXPIRATION", func(s *cookies.Settings) { s.ReturnExpiration = true }, "obtain",
			`access=<jwt> access_expiration=@+5m refresh="" refresh_expiration=@+24h`},
		{"refresh: access_expiration, rotated refresh blanked", nil, "refresh",
			`access=<jwt> access_expiration=@+5m refresh="" refresh_expiration=@+24h`},
		{"sliding, HttpOnly: token blanked", nil, "sliding", `token=""`},
		{"logout", nil, "logout", ""},
		{"logout without any token", nil, "logout-empty", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := cookieService(t, tc.mutate)
			now := svc.clock.Now()
			login := svc.call("POST", "/api/token/", aliceLogin)
			var w *httptest.ResponseRecorder
			switch tc.endpoint {
			case "obtain":
				w = login
			case "refresh":
				w = svc.call("POST", "/api/token/refresh/", `{"refresh":""}`, cookieHeader(login))
			case "sliding":
				w = svc.call("POST", "/api/token/sliding/", aliceLogin)
			case "logout":
				w = svc.call("POST", "/api/token/blacklist/", `{}`, cookieHeader(login))
			case "logout-empty":
				w = svc.call("POST", "/api/token/blacklist/", ``)
			}
			want := tc.want
			want = strings.ReplaceAll(want, "@+5m", now.Add(5*time.Minute).UTC().Format("2006-01-02T15:04:05Z"))
			want = strings.ReplaceAll(want, "@+24h", now.Add(24*time.Hour).UTC().Format("2006-01-02T15:04:05Z"))
			if got := shape(w.Body.Bytes()); w.Code != 200 || got != want {
				t.Errorf("%d %s\n got %s\nwant %s", w.Code, w.Body, got, want)
			}
		})
	}
}

// TestCookieExpirationFormat: dj-rest-auth's expirations as DRF renders a datetime:
// isoformat, microseconds only when not zero, Z.
func TestCookieExpirationFormat(t *testing.T) {
	for _, tc := range []struct {
		offset time.Duration
		want   string
	}{
		{0, "T12:00:00Z"},
		{123456 * time.Microsecond, "T12:00:00.123456Z"},
		{100 * time.Millisecond, "T12:00:00.100000Z"},
		{999, "T12:00:00Z"}, // nanoseconds below a microsecond: Python has none
	} {
		base := time.Now().UTC().Truncate(24 * time.Hour).Add(12*time.Hour - 5*time.Minute)
		svc := newDBService(t, "memory", func(s *ginjwt.Settings) {
			s.Cookies = cookies.Settings{Cookie: "access", ReturnExpiration: true}
			s.Now = func() time.Time { return base.Add(tc.offset) }
		})
		w := svc.call("POST", "/api/token/", aliceLogin)
		var body map[string]string
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if got := body["access_expiration"]; got != base.Add(5*time.Minute).Format("2006-01-02")+tc.want {
			t.Errorf("offset %v: %q", tc.offset, got)
		}
	}
}

// TestCookieRefreshAndLogout: where refresh and logout take their token, rotation by cookie,
// and that logout clears the cookies and the old refresh token is then refused.
func TestCookieRefreshAndLogout(t *testing.T) {
	const noRefresh = `{"detail":"No valid refresh token found.","code":"token_not_valid"}`
	svc := cookieService(t, nil)
	login := svc.call("POST", "/api/token/", aliceLogin)
	jar, oldRefresh := cookieHeader(login), cookieValue(login, "refresh")

	if w := svc.call("GET", "/api/me/", "", jar); w.Code != http.StatusNoContent {
		t.Fatalf("GET /api/me/ by cookie: %d %s", w.Code, w.Body)
	}
	if w := svc.call("POST", "/api/token/refresh/", `{}`); w.Code != 401 || w.Body.String() != noRefresh {
		t.Errorf("refresh without a token: %d %s", w.Code, w.Body)
	}
	if w := svc.call("POST", "/api/token/refresh/", `{"refresh":""}`); w.Code != 401 || w.Body.String() != noRefresh {
		t.Errorf("refresh with an empty body token: %d %s", w.Code, w.Body)
	}
	// The body wins over the cookie: a garbage body token is refused although the cookie is good.
	if w := svc.call("POST", "/api/token/refresh/", `{"refresh":"garbage"}`, jar); w.Code != 401 {
		t.Errorf("body token wins: %d %s", w.Code, w.Body)
	}
	rotated := svc.call("POST", "/api/token/refresh/", `{}`, jar)
	newRefresh := cookieValue(rotated, "refresh")
	if rotated.Code != 200 || newRefresh == "" || newRefresh == oldRefresh {
		t.Fatalf("refresh by cookie must rotate: %d %s", rotated.Code, rotated.Body)
	}
	if w := svc.call("POST", "/api/token/refresh/", `{}`, jar); w.Code != 401 || w.Body.String() != blacklistedBody {
		t.Errorf("the rotated-out cookie: %d %s", w.Code, w.Body)
	}
	jar = cookieHeader(rotated)
	logout := svc.call("POST", "/api/token/blacklist/", `{}`, jar)
	if logout.Code != 200 || logout.Body.String() != "{}" || len(logout.Header().Values("Set-Cookie")) != 2 {
		t.Fatalf("logout by cookie: %d %s %q", logout.Code, logout.Body, logout.Header().Values("Set-Cookie"))
	}
	if w := svc.call("POST", "/api/token/refresh/", `{}`, jar); w.Code != 401 || w.Body.String() != blacklistedBody {
		t.Errorf("refresh after logout: %d %s", w.Code, w.Body)
	}
	// A logout whose token is refused still clears the cookies.
	w := svc.call("POST", "/api/token/blacklist/", `{}`, jar)
	if w.Code != 401 || len(w.Header().Values("Set-Cookie")) != 2 {
		t.Errorf("logout with a blacklisted cookie: %d %s %q", w.Code, w.Body, w.Header().Values("Set-Cookie"))
	}
	// The body token of a logout is taken over the cookie.
	other := svc.call("POST", "/api/token/", aliceLogin)
	w = svc.call("POST", "/api/token/blacklist/", `{"refresh":"`+cookieValue(other, "refresh")+`"}`, jar)
	if w.Code != 200 {
		t.Errorf("logout with a body token: %d %s", w.Code, w.Body)
	}
	if w := svc.call("POST", "/api/token/refresh/", `{}`, cookieHeader(other)); w.Code != 401 {
		t.Errorf("the body token was not blacklisted: %d %s", w.Code, w.Body)
	}
}

// TestCookieHeaderWins: an Authorization header is used over the cookie and needs no CSRF check.
func TestCookieHeaderWins(t *testing.T) {
	svc := cookieService(t, func(s *cookies.Settings) { s.UseCSRF = true })
	login := svc.call("POST", "/api/token/", aliceLogin)
	var pair map[string]string
	_ = json.Unmarshal(login.Body.Bytes(), &pair)
	w := svc.call("POST", "/api/me/", "", "Authorization: Bearer "+pair["access"], "Cookie: access=garbage", "Origin: https://evil.example", "Sec-Fetch-Site: cross-site")
	if w.Code != 200 {
		t.Errorf("header with a bad cookie and a cross-site origin: %d %s", w.Code, w.Body)
	}
	if w := svc.call("POST", "/api/me/", "", "Authorization: Bearer garbage", cookieHeader(login)); w.Code != 401 {
		t.Errorf("a bad header is not rescued by a good cookie: %d %s", w.Code, w.Body)
	}
}

// TestCookieAuthAllocs: authenticating by the access cookie allocates no more than by the
// header (the cookie is found in the Cookie header without parsing every cookie).
func TestCookieAuthAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts: skipped under the race detector, which allocates on its own")
	}
	allocs := func(s *ginjwt.Settings, name, value string) float64 {
		j := newJWT(t, newUsers(), func(x *ginjwt.Settings) { *x = *s; x.Now = time.Now })
		tok := mint(t, j, tokens.AccessToken, "1", nil)
		h := benchEngine(j.AuthStateless())
		req := httptest.NewRequest(http.MethodGet, "/me", nil)
		req.Header.Set(name, strings.ReplaceAll(value, "$T", tok))
		w := &statusWriter{h: http.Header{}}
		return testing.AllocsPerRun(200, func() {
			h.ServeHTTP(w, req)
			if w.code != http.StatusNoContent {
				t.Fatalf("status %d", w.code)
			}
		})
	}
	base := newJWT(t, newUsers(), nil).Settings()
	base.UserStore, base.TokenSources = newUsers(), nil
	header := allocs(&base, "Authorization", "Bearer $T")
	withCookies := base
	withCookies.Cookies = cookies.Settings{Cookie: "access", UseCSRF: true}
	cookie := allocs(&withCookies, "Cookie", "csrftoken=abcdefghijklmnopqrstuvwxyz012345; access=$T")
	if cookie > header {
		t.Errorf("by cookie %v allocations, by header %v", cookie, header)
	}
}

// TestCookieValuesNeverLogged: a cookie-authenticated request whose user lookup fails (503, the
// cause logged) and one refused by the CSRF check log and answer no cookie value.
func TestCookieValuesNeverLogged(t *testing.T) {
	var logs strings.Builder
	users := newUsers()
	users.FailWith(errDown)
	j := newJWT(t, users, func(s *ginjwt.Settings) {
		s.Cookies = cookies.Settings{Cookie: "access", UseCSRF: true}
		s.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	tok := mint(t, j, tokens.AccessToken, "1", nil)
	h := engine(j)
	h.POST("/me", j.Auth(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
	const secret = "abcdefghijklmnopqrstuvwxyz012345"
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req := httptest.NewRequest(method, "/me", nil)
		req.Header.Set("Cookie", "access="+tok+"; csrftoken="+secret)
		req.Header.Set("X-CSRFToken", strings.Repeat("b", 64))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		want := map[string]int{http.MethodGet: http.StatusServiceUnavailable, http.MethodPost: http.StatusForbidden}[method]
		if w.Code != want {
			t.Errorf("%s: %d %s, want %d", method, w.Code, w.Body, want)
		}
		for _, v := range []string{tok, secret, strings.Split(tok, ".")[2]} {
			if strings.Contains(w.Body.String(), v) || strings.Contains(logs.String(), v) {
				t.Errorf("%s: a cookie value in the body or the log:\n%s\n%s", method, w.Body, logs.String())
			}
		}
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("the 503's cause is logged: %q", logs.String())
	}
}

// TestCookieCSRFRoute: GET /api/token/csrf/ exists only with cookies and CSRF in use; it answers
// {"csrftoken": <64 characters>} with the cookie, HEAD too, and 405 with Allow otherwise.
func TestCookieCSRFRoute(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*cookies.Settings)
		method string
		status int
		allow  string
	}{
		{"USE_CSRF: GET", func(s *cookies.Settings) { s.UseCSRF = true }, "GET", 200, "GET, HEAD"},
		{"ENFORCE: GET", func(s *cookies.Settings) { s.EnforceCSRFOnUnauthenticated = true }, "GET", 200, "GET, HEAD"},
		{"USE_CSRF: HEAD", func(s *cookies.Settings) { s.UseCSRF = true }, "HEAD", 200, "GET, HEAD"},
		{"USE_CSRF: POST", func(s *cookies.Settings) { s.UseCSRF = true }, "POST", 405, "GET, HEAD"},
		{"no CSRF: no route", nil, "GET", 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := cookieService(t, tc.mutate)
			w := svc.call(tc.method, "/api/token/csrf/", "")
			if w.Code != tc.status || w.Header().Get("Allow") != tc.allow {
				t.Fatalf("%d %s Allow %q", w.Code, w.Body, w.Header().Get("Allow"))
			}
			if tc.status != 200 || tc.method != "GET" {
				return
			}
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || len(body["csrftoken"]) != 64 || len(body) != 1 {
				t.Errorf("body %s", w.Body)
			}
			if len(cookieValue(w, "csrftoken")) != 32 || w.Header().Get("Cache-Control") != "no-store" || !strings.Contains(w.Header().Get("Vary"), "Cookie") {
				t.Errorf("headers %q", w.Header())
			}
		})
	}
}

// TestCookieCSRFRouteInOpenAPI: the OpenAPI document names GET /api/token/csrf/ when it is
// registered, and only then.
func TestCookieCSRFRouteInOpenAPI(t *testing.T) {
	for _, csrfOn := range []bool{true, false} {
		svc := cookieService(t, func(s *cookies.Settings) { s.UseCSRF = csrfOn })
		paths, _ := svc.j.OpenAPI()["paths"].(map[string]any)
		item, ok := paths["/api/token/csrf/"].(map[string]any)
		if ok != csrfOn || (ok && item["get"] == nil) {
			t.Errorf("CSRF %v: /api/token/csrf/ in the document: %v", csrfOn, ok)
		}
		if _, err := json.Marshal(paths); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCookieOptionsMetadata: with a refresh cookie, OPTIONS reports refresh (and the sliding
// token) as not required, as dj-rest-auth's CookieTokenRefreshSerializer declares it.
func TestCookieOptionsMetadata(t *testing.T) {
	required := func(svc *dbService, path, field string) any {
		w := svc.call("OPTIONS", path, "")
		var m struct {
			Actions struct {
				POST map[string]map[string]any `json:"POST"`
			} `json:"actions"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v %s", path, err, w.Body)
		}
		return m.Actions.POST[field]["required"]
	}
	on := cookieService(t, nil)
	off := newDBService(t, "memory", nil)
	for _, tc := range []struct{ path, field string }{
		{"/api/token/refresh/", "refresh"}, {"/api/token/blacklist/", "refresh"}, {"/api/token/sliding/refresh/", "token"},
	} {
		if got := required(on, tc.path, tc.field); got != false {
			t.Errorf("cookie mode: %s %s required=%v", tc.path, tc.field, got)
		}
		if tc.path != "/api/token/sliding/refresh/" {
			if got := required(off, tc.path, tc.field); got != true {
				t.Errorf("without cookies: %s %s required=%v", tc.path, tc.field, got)
			}
		}
	}
	if got := required(on, "/api/token/verify/", "token"); got != true {
		t.Errorf("verify takes no cookie: required=%v", got)
	}
}

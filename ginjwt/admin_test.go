package ginjwt_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

const adminPath = "/admin/tokens/"

// adminService is a sessionService with alice made staff, bob not, and the admin mounted at
// /admin/tokens/.
type adminService struct {
	*sessionService
	t *testing.T
}

func newAdminService(t *testing.T, dialect string, cfg ginjwt.AdminConfig, mutate ...func(*ginjwt.Settings)) *adminService {
	t.Helper()
	svc := newSessionService(t, dialect, func(s *ginjwt.Settings) {
		for _, m := range mutate {
			m(s)
		}
	})
	svc.router.Any(adminPath+"*admin", svc.j.Admin(cfg))
	if err := svc.db.Model(&models.User{}).Where("username = ?", "alice").Update("is_staff", true).Error; err != nil {
		t.Fatal(err)
	}
	return &adminService{sessionService: svc, t: t}
}

// browser is one client of the admin: its cookies and the last page's CSRF token.
type browser struct {
	svc     *adminService
	cookies map[string]string
	csrf    string
	origin  string // sent as Origin on POSTs ("" sends none)
}

func (svc *adminService) browser() *browser {
	return &browser{svc: svc, cookies: map[string]string{}, origin: "http://example.com"}
}

var csrfField = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([^"]+)"`)

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	w := httptest.NewRecorder()
	b.svc.router.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	if m := csrfField.FindStringSubmatch(w.Body.String()); m != nil {
		b.csrf = m[1]
	}
	return w
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends form, with the CSRF token of the last page unless form sets its own.
func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	if _, ok := form["csrfmiddlewaretoken"]; !ok && b.csrf != "" {
		form.Set("csrfmiddlewaretoken", b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if b.origin != "" {
		req.Header.Set("Origin", b.origin)
	}
	return b.do(req)
}

// login logs in through the admin's form and returns the response to the POST.
func (b *browser) login(username, password string) *httptest.ResponseRecorder {
	b.get(adminPath)
	return b.post(adminPath+"login/", url.Values{"username": {username}, "password": {password}})
}

func (svc *adminService) outstandingID(t *testing.T, refresh string) int64 {
	t.Helper()
	var row models.OutstandingToken
	if err := svc.db.Where("jti = ?", claims(t, refresh)["jti"]).First(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.ID
}

func TestAdminAccess(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{})
	svc.addBob(t)
	cases := []struct {
		name     string
		user     string
		password string
		status   int
		contains string
	}{
		{"anonymous", "", "", http.StatusOK, `<label for="id_username">Username:</label>`},
		{"wrong password", "alice", "nope", http.StatusOK, "Please enter the correct username and password for a staff account."},
		{"non-staff", "bob", "bob-password-1", http.StatusForbidden, "you are not authorized to access this page"},
		{"staff", "alice", alicePassword, http.StatusOK, `<th scope="col">JTI</th>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := svc.browser()
			if tc.user != "" {
				w := b.login(tc.user, tc.password)
				if tc.name == "wrong password" {
					if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.contains) {
						t.Fatalf("login: %d %s", w.Code, w.Body)
					}
					if _, ok := b.cookies["simplejwt_admin"]; ok {
						t.Fatal("a failed login set the admin cookie")
					}
					return
				}
				if w.Code != http.StatusSeeOther || w.Header().Get("Location") != adminPath {
					t.Fatalf("login: %d %v", w.Code, w.Header())
				}
				set := strings.Join(w.Header().Values("Set-Cookie"), "\n")
				if !strings.Contains(set, "simplejwt_admin=") || !strings.Contains(set, "HttpOnly") ||
					!strings.Contains(set, "SameSite=Lax") || !strings.Contains(set, "Path="+adminPath) {
					t.Fatalf("admin cookie: %s", set)
				}
			}
			w := b.get(adminPath)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.contains) {
				t.Fatalf("GET: %d, want %d with %q:\n%s", w.Code, tc.status, tc.contains, w.Body)
			}
			body := w.Body.String()
			for _, want := range []string{`<a class="skip" href="#content">`, `<main id="content"`, `lang="en"`} {
				if !strings.Contains(body, want) {
					t.Errorf("markup lacks %q", want)
				}
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q", got)
			}
		})
	}
}

func TestAdminCSRF(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{})
	pair := svc.login(t)
	id := strconv.FormatInt(svc.outstandingID(t, pair["refresh"]), 10)
	b := svc.browser()
	if w := b.login("alice", alicePassword); w.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", w.Code)
	}
	cases := []struct {
		name   string
		form   url.Values
		origin string
		want   string
	}{
		{"token missing", url.Values{"csrfmiddlewaretoken": {""}}, "http://example.com", "CSRF token missing."},
		{"token wrong", url.Values{"csrfmiddlewaretoken": {strings.Repeat("a", 64)}}, "http://example.com", "CSRF token from POST incorrect."},
		{"cross origin", url.Values{}, "http://evil.example", "Origin checking failed - http://evil.example does not match any trusted origins."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b.get(adminPath)
			b.origin = tc.origin
			defer func() { b.origin = "http://example.com" }()
			tc.form.Set("token", id)
			tc.form.Set("confirm", "yes")
			w := b.post(adminPath+"blacklist/", tc.form)
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), tc.want) {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if code, body, _ := svc.refresh(pair["refresh"]); code != http.StatusOK {
				t.Fatalf("the token was blacklisted anyway: %d %s", code, body)
			}
			pair = svc.login(t)
			id = strconv.FormatInt(svc.outstandingID(t, pair["refresh"]), 10)
		})
	}
	t.Run("login without token", func(t *testing.T) {
		anon := svc.browser()
		w := anon.post(adminPath+"login/", url.Values{"username": {"alice"}, "password": {alicePassword}})
		if w.Code != http.StatusForbidden || anon.cookies["simplejwt_admin"] != "" {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
}

func TestAdminSearchAndPages(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newAdminService(t, dialect, ginjwt.AdminConfig{PageSize: 2})
			var jtis []string
			for range 3 {
				jtis = append(jtis, claims(t, svc.login(t)["refresh"])["jti"].(string))
			}
			bob := svc.addBob(t)
			bobJTI := claims(t, bob["refresh"])["jti"].(string)
			b := svc.browser()
			b.login("alice", alicePassword) // the fifth outstanding token (alice's)
			cases := []struct {
				name, query string
				caption     string
				has, hasNot []string
				prev, next  bool
			}{
				{"first page", "", "5 outstanding token(s), page 1 of 3", []string{bobJTI}, []string{jtis[0]}, false, true},
				{"last page", "p=3", "5 outstanding token(s), page 3 of 3", []string{jtis[0]}, []string{bobJTI}, true, false},
				{"by username", "q=BOB", "1 outstanding token(s) matching “BOB”, page 1 of 1", []string{bobJTI}, []string{jtis[0]}, false, false},
				{"by jti", "q=" + jtis[1][:12], "page 1 of 1", []string{jtis[1]}, []string{bobJTI}, false, false},
				{"like wildcards are literal", "q=%25", "0 outstanding token(s)", []string{"No tokens."}, []string{bobJTI}, false, false},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					w := b.get(adminPath + "?" + tc.query)
					body := w.Body.String()
					if w.Code != http.StatusOK || !strings.Contains(body, tc.caption) {
						t.Fatalf("%d, want caption %q:\n%s", w.Code, tc.caption, body)
					}
					for _, s := range tc.has {
						if !strings.Contains(body, s) {
							t.Errorf("lacks %q", s)
						}
					}
					for _, s := range tc.hasNot {
						if strings.Contains(body, s) {
							t.Errorf("has %q", s)
						}
					}
					if got := strings.Contains(body, `rel="prev"`); got != tc.prev {
						t.Errorf("prev link %v", got)
					}
					if got := strings.Contains(body, `rel="next"`); got != tc.next {
						t.Errorf("next link %v", got)
					}
				})
			}
		})
	}
}

func TestAdminBlacklist(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newAdminService(t, dialect, ginjwt.AdminConfig{})
			pair := svc.login(t)
			other := svc.login(t)
			id := svc.outstandingID(t, pair["refresh"])
			b := svc.browser()
			b.login("alice", alicePassword)
			b.get(adminPath)

			w := b.post(adminPath+"blacklist/", url.Values{"token": {strconv.FormatInt(id, 10)}})
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Blacklist these 1 token(s)?") ||
				!strings.Contains(w.Body.String(), claims(t, pair["refresh"])["jti"].(string)) {
				t.Fatalf("confirmation: %d %s", w.Code, w.Body)
			}
			if code, _, _ := svc.refresh(other["refresh"]); code != http.StatusOK {
				t.Fatal("the confirmation page blacklisted something")
			}
			w = b.post(adminPath+"blacklist/", url.Values{"token": {strconv.FormatInt(id, 10)}, "confirm": {"yes"}})
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != adminPath+"?done=blacklisted&n=1" {
				t.Fatalf("blacklist: %d %v", w.Code, w.Header())
			}
			if code, body, _ := svc.refresh(pair["refresh"]); code != http.StatusUnauthorized || !strings.Contains(body, "Token is blacklisted") {
				t.Fatalf("refresh of the blacklisted token: %d %s", code, body)
			}
			if w := b.get(adminPath + "?done=blacklisted&n=1"); !strings.Contains(w.Body.String(), "Blacklisted 1 token(s).") ||
				!strings.Contains(w.Body.String(), "Yes, ") {
				t.Fatalf("list after: %s", w.Body)
			}
			// Again: nothing new.
			if w := b.post(adminPath+"blacklist/", url.Values{"token": {strconv.FormatInt(id, 10)}, "confirm": {"yes"}}); w.Header().Get("Location") != adminPath+"?done=blacklisted&n=0" {
				t.Fatalf("second blacklist: %v", w.Header())
			}
			if w := b.post(adminPath+"blacklist/", url.Values{}); w.Code != http.StatusBadRequest {
				t.Fatalf("nothing selected: %d", w.Code)
			}
		})
	}
}

func TestAdminSessions(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{})
	bob := svc.addBob(t)
	svc.clock.Set(svc.clock.Now().Add(time.Second))
	bob2 := svc.login(t) // alice's second session, untouched by bob's
	_ = bob2
	_, _, bobPair := svc.post("/api/token/", `{"username":"bob","password":"bob-password-1"}`)
	var bobID int64
	if err := svc.db.Model(&models.User{}).Where("username = ?", "bob").Select("id").Scan(&bobID).Error; err != nil {
		t.Fatal(err)
	}
	user := strconv.FormatInt(bobID, 10)
	sid := claims(t, bob["refresh"])["sid"].(string)
	b := svc.browser()
	b.login("alice", alicePassword)

	w := b.get(adminPath + "sessions/?user=" + user)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), sid) || !strings.Contains(w.Body.String(), "Live sessions of bob") {
		t.Fatalf("sessions: %d %s", w.Code, w.Body)
	}
	if w := b.post(adminPath+"sessions/end/", url.Values{"user": {user}, "session": {sid}}); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), "End session "+sid+" of bob?") {
		t.Fatalf("confirmation: %d %s", w.Code, w.Body)
	}
	if code, _, _ := svc.refresh(bob["refresh"]); code != http.StatusOK {
		t.Fatal("the confirmation page ended the session")
	}
	// The refresh rotated bob's token: end the session with the rotated one.
	w = b.post(adminPath+"sessions/end/", url.Values{"user": {user}, "session": {sid}, "confirm": {"yes"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("end: %d %s", w.Code, w.Body)
	}
	if code := svc.me0(bob["access"]); code != http.StatusUnauthorized {
		t.Fatalf("bob's ended session still works: %d", code)
	}
	if code := svc.me0(bobPair["access"]); code != http.StatusNoContent {
		t.Fatalf("bob's other session ended too: %d", code)
	}
	if w := b.post(adminPath+"sessions/end/", url.Values{"user": {user}, "session": {sid}, "confirm": {"yes"}}); w.Code != http.StatusNotFound {
		t.Fatalf("ending an ended session: %d", w.Code)
	}
	w = b.post(adminPath+"sessions/end-all/", url.Values{"user": {user}, "confirm": {"yes"}})
	if w.Code != http.StatusSeeOther || !strings.HasSuffix(w.Header().Get("Location"), "&done=ended-all") {
		t.Fatalf("end-all: %d %v", w.Code, w.Header())
	}
	if code := svc.me0(bobPair["access"]); code != http.StatusUnauthorized {
		t.Fatalf("bob is still logged in: %d", code)
	}
	if code, _, _ := svc.refresh(bobPair["refresh"]); code != http.StatusUnauthorized {
		t.Fatalf("bob's refresh still works: %d", code)
	}
	if code := svc.me0(bob2["access"]); code != http.StatusNoContent {
		t.Fatalf("alice was logged out with bob: %d", code)
	}
	if w := b.get(adminPath + "sessions/?user=999999"); w.Code != http.StatusNotFound {
		t.Fatalf("unknown user: %d", w.Code)
	}
}

// me0 calls GET /api/me/ with the access token and returns the status.
func (svc *adminService) me0(access string) int {
	req := httptest.NewRequest(http.MethodGet, "/api/me/", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	w := httptest.NewRecorder()
	svc.router.ServeHTTP(w, req)
	return w.Code
}

func TestAdminFlush(t *testing.T) {
	for _, dialect := range dbDialects {
		t.Run(dialect, func(t *testing.T) {
			svc := newAdminService(t, dialect, ginjwt.AdminConfig{})
			old := svc.login(t)
			oldID := svc.outstandingID(t, old["refresh"])
			// A day past its expiry, and a fresh token that stays.
			svc.clock.Set(svc.clock.Now().Add(svc.j.Settings().RefreshTokenLifetime + 24*time.Hour))
			fresh := svc.login(t)
			b := svc.browser()
			b.login("alice", alicePassword)
			b.get(adminPath)
			if w := b.post(adminPath+"flush/", url.Values{}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Yes, flush expired tokens") {
				t.Fatalf("confirmation: %d %s", w.Code, w.Body)
			}
			w := b.post(adminPath+"flush/", url.Values{"confirm": {"yes"}})
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != adminPath+"?done=flushed&n=1" {
				t.Fatalf("flush: %d %v", w.Code, w.Header())
			}
			var n int64
			svc.db.Model(&models.OutstandingToken{}).Where("id = ?", oldID).Count(&n)
			if n != 0 {
				t.Fatal("the expired token is still outstanding")
			}
			if code, body, _ := svc.refresh(fresh["refresh"]); code != http.StatusOK {
				t.Fatalf("the fresh token: %d %s", code, body)
			}
		})
	}
}

func TestAdminNotFoundAndMethods(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{})
	b := svc.browser()
	b.login("alice", alicePassword)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, adminPath + "nope/", http.StatusNotFound},
		{http.MethodDelete, adminPath, http.StatusMethodNotAllowed},
		{http.MethodHead, adminPath, http.StatusOK},
	} {
		t.Run(fmt.Sprint(tc.method, " ", tc.path), func(t *testing.T) {
			w := b.do(httptest.NewRequest(tc.method, tc.path, nil))
			if w.Code != tc.want {
				t.Fatalf("%d, want %d", w.Code, tc.want)
			}
			if tc.want == http.StatusMethodNotAllowed && (w.Body.String() != `{"detail":"Method \"DELETE\" not allowed."}` || w.Header().Get("Allow") != "GET, HEAD, POST") {
				t.Fatalf("405: %s %v", w.Body, w.Header())
			}
		})
	}
	// Logging out blacklists the login's refresh token and clears both cookies: the login
	// form again.
	verify := `{"token":"` + b.cookies["simplejwt_admin_refresh"] + `"}`
	if code, body, _ := svc.post("/api/token/verify/", verify); code != http.StatusOK {
		t.Fatalf("the admin's refresh token before logout: %d %s", code, body)
	}
	b.get(adminPath)
	b.post(adminPath+"logout/", url.Values{})
	if len(b.cookies) != 1 || b.cookies["csrftoken"] == "" {
		t.Fatalf("cookies after logout: %v", b.cookies)
	}
	if w := b.get(adminPath); !strings.Contains(w.Body.String(), `id="id_password"`) {
		t.Fatalf("after logout: %s", w.Body)
	}
	if code, body, _ := svc.post("/api/token/verify/", verify); code != http.StatusBadRequest || body != `{"non_field_errors":["Token is blacklisted"]}` {
		t.Fatalf("the admin's refresh token after logout: %d %s", code, body)
	}
	_ = context.Background()
}

// TestAdminLoginThrottled: the login form counts failed logins with the token endpoints
// (Settings.Throttle): over the username's rate it answers 429 with DRF's text and
// Retry-After, a right password included, and the API shares the count.
func TestAdminLoginThrottled(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{}, func(s *ginjwt.Settings) {
		s.Throttle = &throttle.Config{Rates: map[string]string{"login_username": "2/min"}, Now: s.Now}
	})
	b := svc.browser()
	for i, tc := range []struct {
		password string
		status   int
		want     string
	}{
		{"wrong-1", http.StatusOK, "Please enter the correct username and password"},
		{"wrong-2", http.StatusOK, "Please enter the correct username and password"},
		{"wrong-3", http.StatusTooManyRequests, "Request was throttled. Expected available in 60 seconds."},
		{alicePassword, http.StatusTooManyRequests, "Request was throttled. Expected available in 60 seconds."},
	} {
		w := b.login("alice", tc.password)
		if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
			t.Fatalf("attempt %d: %d, want %d with %q:\n%s", i+1, w.Code, tc.status, tc.want, w.Body)
		}
		if tc.status == http.StatusTooManyRequests && w.Header().Get("Retry-After") != "60" {
			t.Errorf("attempt %d: Retry-After %q", i+1, w.Header().Get("Retry-After"))
		}
	}
	if code, body, _ := svc.post("/api/token/", `{"username":"alice","password":"`+alicePassword+`"}`); code != http.StatusTooManyRequests {
		t.Fatalf("the API does not share the count: %d %s", code, body)
	}
	svc.clock.Set(svc.clock.Now().Add(time.Minute + time.Second))
	if w := b.login("alice", alicePassword); w.Code != http.StatusSeeOther {
		t.Fatalf("after the window: %d %s", w.Code, w.Body)
	}
}

// TestAdminCookieTransport: with the cookie transport (and its CSRF) on, a user logged in
// through POST /api/token/ is recognised by the admin from the access cookie, and the admin's
// forms use the transport's CSRF cookie.
func TestAdminCookieTransport(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{}, func(s *ginjwt.Settings) {
		s.Cookies = cookies.Settings{Cookie: "access", RefreshCookie: "refresh", UseCSRF: true}
	})
	svc.addBob(t)
	for _, tc := range []struct {
		user, password string
		status         int
		want           string
	}{
		{"alice", alicePassword, http.StatusOK, `<th scope="col">JTI</th>`},
		{"bob", "bob-password-1", http.StatusForbidden, "You are logged in as bob, but you are not authorized"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			w := svc.postRecorded("/api/token/", `{"username":"`+tc.user+`","password":"`+tc.password+`"}`)
			b := svc.browser()
			for _, c := range w.Result().Cookies() {
				b.cookies[c.Name] = c.Value
			}
			if b.cookies["access"] == "" {
				t.Fatalf("no access cookie: %v", w.Header())
			}
			w = b.get(adminPath)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
				t.Fatalf("%d, want %d with %q:\n%s", w.Code, tc.status, tc.want, w.Body)
			}
			if tc.status != http.StatusOK {
				return
			}
			csrfCookie := b.cookies["csrftoken"]
			if w := b.post(adminPath+"flush/", url.Values{"confirm": {"yes"}}); w.Code != http.StatusSeeOther {
				t.Fatalf("flush with the transport's CSRF cookie: %d %s", w.Code, w.Body)
			}
			if b.cookies["csrftoken"] != csrfCookie {
				t.Error("the admin replaced the transport's CSRF cookie")
			}
		})
	}
}

// TestAdminUsernameField: with a USERNAME_FIELD other than username (here email), the login
// form's username is that field, and the list shows and searches it.
func TestAdminUsernameField(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{}, func(s *ginjwt.Settings) { s.User.UsernameField = "email" })
	if err := svc.db.Model(&models.User{}).Where("username = ?", "alice").Update("email", "alice@example.com").Error; err != nil {
		t.Fatal(err)
	}
	b := svc.browser()
	if w := b.login("alice@example.com", alicePassword); w.Code != http.StatusSeeOther {
		t.Fatalf("login by email: %d %s", w.Code, w.Body)
	}
	for _, tc := range []struct{ query, caption string }{
		{"q=example.com", "1 outstanding token(s) matching “example.com”"},
		{"q=alice%40", "1 outstanding token(s) matching “alice@”"},
		{"q=nobody", "0 outstanding token(s)"},
	} {
		w := b.get(adminPath + "?" + tc.query)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), tc.caption) {
			t.Fatalf("%s: %d, want %q:\n%s", tc.query, w.Code, tc.caption, w.Body)
		}
		if tc.query != "q=nobody" && !strings.Contains(w.Body.String(), ">alice@example.com</a>") {
			t.Fatalf("%s: the user column does not show the email:\n%s", tc.query, w.Body)
		}
	}
}

// TestAdminAnonymousActions: an anonymous POST with a good CSRF token does nothing and gets
// 403 and the login form; a non-staff user's too.
func TestAdminAnonymousActions(t *testing.T) {
	svc := newAdminService(t, "sqlite", ginjwt.AdminConfig{})
	pair := svc.login(t)
	id := strconv.FormatInt(svc.outstandingID(t, pair["refresh"]), 10)
	svc.addBob(t)
	for _, who := range []string{"", "bob"} {
		t.Run("as "+cmp.Or(who, "anonymous"), func(t *testing.T) {
			b := svc.browser()
			if who != "" {
				b.login(who, "bob-password-1")
			}
			b.get(adminPath)
			w := b.post(adminPath+"blacklist/", url.Values{"token": {id}, "confirm": {"yes"}})
			if w.Code != http.StatusForbidden {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if who == "" && !strings.Contains(w.Body.String(), `id="id_password"`) {
				t.Fatalf("no login form: %s", w.Body)
			}
			if code, body, _ := svc.post("/api/token/verify/", `{"token":"`+pair["refresh"]+`"}`); code != http.StatusOK {
				t.Fatalf("the token was blacklisted: %d %s", code, body)
			}
		})
	}
}

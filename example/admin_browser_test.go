package main

// The token admin (ginjwt.Admin at /admin/tokens/) in a real browser: headless Chromium
// (Debian's chromium, over the DevTools protocol with chromedp) against the example served in
// process with sessions on, and the steps, each checked:
//
//	1 login        the login form (typed, submitted with Enter) logs a staff user in
//	2 search       searching "bob" lists bob's tokens only
//	3 blacklist    select bob's token, confirm; POST /api/token/refresh/ with it → 401
//	4 sessions     bob's sessions page: "end session" on one, confirm (its access token → 401,
//	               the other still works); "log out everywhere", confirm; bob's tokens → 401
//	5 flush        flush expired tokens, confirm; the expired row is gone
//	6 cross-origin a page on another port posts the flush form with the staff cookies → 403
//	7 non-staff    a non-staff user who logs in gets the 403 page
//
// Each step takes a screenshot (PNG) into $SIMPLEJWT_SCREENSHOTS, or a new directory under the
// system's temp directory; the test logs where. Without Chromium the test skips and says so.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models"
)

func TestBrowserAdmin(t *testing.T) {
	chromium := browserPath()
	if _, err := exec.LookPath(chromium); err != nil {
		t.Skipf("browser: skipped: no Chromium at %s (apt-get install chromium, or set CHROMIUM); .ci/run installs it", chromium)
	}
	svc := relStartInProcess(t, filepath.Join(t.TempDir(), "admin.sqlite3"), append(relSettings(), "SIMPLE_JWT_SESSIONS=true"), relCheapHashers,
		func(db *gorm.DB) {
			if err := models.MigrateSessions(context.Background(), db); err != nil {
				t.Fatal(err)
			}
		})
	users, err := models.NewUserStore(svc.DB, models.UserStoreOptions{Hashers: relCheapHashers})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, staff bool) *models.User {
		u := models.NewUser(name)
		u.IsStaff = staff
		if err := u.SetPasswordWith(relCheapHashers, name+"-password"); err != nil {
			t.Fatal(err)
		}
		if err := users.Create(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	mk("staff", true)
	bob := mk("bob", false)
	mk("carol", false)
	obtain := func(name string) map[string]string {
		t.Helper()
		resp, err := http.Post(svc.Base+"/api/token/", "application/json", strings.NewReader(`{"username":"`+name+`","password":"`+name+`-password"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var pair map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&pair); err != nil || resp.StatusCode != 200 {
			t.Fatalf("login %s: %d %v", name, resp.StatusCode, err)
		}
		return pair
	}
	status := func(method, path, bearer, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, svc.Base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, fmt.Sprint(m["detail"])
	}
	bob1, bob2 := obtain("bob"), obtain("bob")
	var bob1ID int64
	if err := svc.DB.Model(&models.OutstandingToken{}).Where("jti = ?", jtiOf(t, bob1["refresh"])).Select("id").Scan(&bob1ID).Error; err != nil || bob1ID == 0 {
		t.Fatalf("bob's outstanding token: %v", err)
	}
	// An outstanding token that expired two days ago (relative to now), for the flush.
	expired := models.NewDjangoTime(time.Now().Add(-48 * time.Hour))
	if err := svc.DB.Create(&models.OutstandingToken{JTI: "expired-jti-for-flush", Token: "x", ExpiresAt: expired, CreatedAt: &expired}).Error; err != nil {
		t.Fatal(err)
	}

	// The other origin: another port of 127.0.0.1 (the same site, so SameSite=Lax cookies go
	// along), whose page posts the flush form, confirmed, to the admin.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	evil := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>other origin</title><form id="f" method="POST" action="%s/admin/tokens/flush/"><input type="hidden" name="confirm" value="yes"></form><script>document.getElementById("f").submit()</script>`, svc.Base)
	})}
	go func() { _ = evil.Serve(ln) }()
	t.Cleanup(func() { _ = evil.Close() })
	evilBase := "http://" + ln.Addr().String()

	br := newBrowser(t, chromium, "admin", "simplejwt-admin-browser-", "admin screenshots", 1200)
	ctx, do, shot := br.ctx, br.do, br.shot
	text := func(step string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	passed := 0
	pass := func(step string) { passed++; t.Logf("browser admin step %d %s: passed", passed, step) }
	admin := svc.Base + "/admin/tokens/"
	login := func(name string) {
		t.Helper()
		do("login form "+name, chromedp.Navigate(admin), chromedp.WaitVisible(chromedp.CSS("#id_username")),
			chromedp.SendKeys(chromedp.CSS("#id_username"), name),
			chromedp.SendKeys(chromedp.CSS("#id_password"), name+"-password"+kb.Enter))
	}

	// 1 login
	do("open the admin", chromedp.Navigate(admin), chromedp.WaitVisible(chromedp.CSS("#id_username")))
	shot("1-login-form")
	login("staff")
	do("the token list", chromedp.WaitVisible(chromedp.CSS("table caption")))
	if body := text("list"); !strings.Contains(body, "outstanding token(s)") || !strings.Contains(body, "staff") {
		t.Fatalf("after login: %q", body)
	}
	shot("1-list")
	pass("staff logs in with the keyboard (Enter submits) and sees the outstanding tokens")

	// 2 search
	do("search", chromedp.SendKeys(chromedp.CSS("#id_q"), "bob"+kb.Enter),
		chromedp.WaitVisible(chromedp.Search(`//caption[contains(., "matching")]`)))
	body := text("search")
	if !strings.Contains(body, "2 outstanding token(s) matching “bob”") || !strings.Contains(body, jtiOf(t, bob1["refresh"])) {
		t.Fatalf("search: %q", body)
	}
	shot("2-search")
	pass("search by username lists bob's 2 tokens")

	// 3 blacklist
	do("select and blacklist", chromedp.Click(chromedp.CSS("#token-"+strconv.FormatInt(bob1ID, 10))),
		chromedp.Click(chromedp.CSS("#blacklist")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	if body := text("confirm"); !strings.Contains(body, "Blacklist these 1 token(s)?") {
		t.Fatalf("confirmation: %q", body)
	}
	shot("3-blacklist-confirm")
	do("confirm", chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.Search(`//p[@role="status"]`)))
	if body := text("blacklisted"); !strings.Contains(body, "Blacklisted 1 token(s).") {
		t.Fatalf("after blacklist: %q", body)
	}
	shot("3-blacklisted")
	if code, detail := status("POST", "/api/token/refresh/", "", `{"refresh":"`+bob1["refresh"]+`"}`); code != 401 || detail != "Token is blacklisted" {
		t.Fatalf("refresh with the blacklisted token: %d %s", code, detail)
	}
	pass("blacklisting bob's token through the page: POST /api/token/refresh/ with it answers 401 Token is blacklisted")

	// 4 sessions
	if code, _ := status("GET", "/api/me/", bob2["access"], ""); code != 200 {
		t.Fatalf("bob's second session before: %d", code)
	}
	do("bob's sessions", chromedp.Navigate(admin+"sessions/?user="+strconv.FormatInt(bob.ID, 10)),
		chromedp.WaitVisible(chromedp.CSS("#end-all")))
	if body := text("sessions"); !strings.Contains(body, "Live sessions of bob") || !strings.Contains(body, jsonClaim(t, bob2["refresh"], "sid")) {
		t.Fatalf("sessions page: %q", body)
	}
	shot("4-sessions")
	sid1 := jsonClaim(t, bob1["refresh"], "sid")
	do("end one session", chromedp.Click(chromedp.Search(`//button[@aria-label="End session `+sid1+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#confirm")))
	shot("4-end-session-confirm")
	do("confirm", chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.Search(`//p[@role="status"]`)))
	if body := text("ended one"); !strings.Contains(body, "The session was ended.") || strings.Contains(body, sid1) ||
		!strings.Contains(body, jsonClaim(t, bob2["refresh"], "sid")) {
		t.Fatalf("after ending one session: %q", body)
	}
	if code, _ := status("GET", "/api/me/", bob1["access"], ""); code != 401 {
		t.Fatalf("the ended session's access token: %d", code)
	}
	if code, _ := status("GET", "/api/me/", bob2["access"], ""); code != 200 {
		t.Fatalf("bob's other session after ending one: %d", code)
	}
	do("log out everywhere", chromedp.Click(chromedp.CSS("#end-all")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	shot("4-end-all-confirm")
	do("confirm", chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.Search(`//p[@role="status"]`)))
	if body := text("ended"); !strings.Contains(body, "The user was logged out everywhere.") || !strings.Contains(body, "No live sessions.") {
		t.Fatalf("after end-all: %q", body)
	}
	shot("4-ended")
	if code, _ := status("GET", "/api/me/", bob2["access"], ""); code != 401 {
		t.Fatalf("bob's access token after log out everywhere: %d", code)
	}
	if code, _ := status("POST", "/api/token/refresh/", "", `{"refresh":"`+bob2["refresh"]+`"}`); code != 401 {
		t.Fatalf("bob's refresh token after log out everywhere: %d", code)
	}
	pass("end one of bob's sessions (its access token 401, the other still 200), then log out everywhere: his access and refresh tokens answer 401")

	// 5 flush
	do("flush", chromedp.Navigate(admin), chromedp.WaitVisible(chromedp.CSS("#flush")),
		chromedp.Click(chromedp.CSS("#flush")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	shot("5-flush-confirm")
	do("confirm", chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.Search(`//p[@role="status"]`)))
	if body := text("flushed"); !strings.Contains(body, "Flushed 1 expired token(s).") || strings.Contains(body, "expired-jti-for-flush") {
		t.Fatalf("after flush: %q", body)
	}
	shot("5-flushed")
	pass("flush expired tokens deletes the one expired row")

	// 6 cross-origin
	do("other origin", chromedp.Navigate(evilBase+"/"), chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "CSRF")]`)))
	if body := text("cross-origin"); !strings.Contains(body, "Origin checking failed - "+evilBase+" does not match any trusted origins.") {
		t.Fatalf("a form from %s: %q", evilBase, body)
	}
	shot("6-cross-origin")
	pass("a page on another port of 127.0.0.1 posting the flush form with the staff cookie gets 403 (Origin checking failed)")

	// 7 non-staff
	do("log out", chromedp.Navigate(admin), chromedp.WaitVisible(chromedp.Search(`//button[text()="Log out"]`)),
		chromedp.Click(chromedp.Search(`//button[text()="Log out"]`)), chromedp.WaitVisible(chromedp.CSS("#id_username")))
	login("carol")
	do("refused", chromedp.WaitVisible(chromedp.Search(`//p[@role="alert"]`)))
	if body := text("non-staff"); !strings.Contains(body, "You are logged in as carol, but you are not authorized to access this page.") {
		t.Fatalf("non-staff: %q", body)
	}
	shot("7-non-staff")
	pass("a non-staff user gets the 403 page")
}

// jtiOf is a token's jti claim, unverified.
func jtiOf(t *testing.T, token string) string { return jsonClaim(t, token, "jti") }

// jsonClaim is one string claim of a token, unverified.
func jsonClaim(t *testing.T, token, name string) string {
	t.Helper()
	return fmt.Sprint(interopClaims(t, token)[name])
}

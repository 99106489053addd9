package main

// The cookie transport in a real browser: headless Chromium (Debian's chromium, driven over the
// DevTools protocol with chromedp) loads GET /demo/ from the example served in process with the
// cookie settings on, and shows, step by step:
//
//	1 login        the demo page logs in with fetch; 200, and the cookies are HttpOnly
//	2 hidden       the access and refresh tokens are not in document.cookie
//	3 me           GET /api/me/ works by cookie alone (no Authorization header)
//	4 refresh      refresh by cookie answers 200 and rotates the refresh cookie
//	5 cross-port   a page on another port of 127.0.0.1 (the same site, for SameSite) posts
//	               forms to logout and refresh with the user's cookies: 403 CSRF Failed, and the
//	               user is still logged in
//	6 logout       logout clears both cookies; the old refresh token is refused (blacklisted)
//
// Each step takes a screenshot (PNG) into $SIMPLEJWT_SCREENSHOTS, or a new directory under the
// system's temp directory; the test logs where. Without Chromium the test skips and says so
// (.ci/run installs Debian's chromium).

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/gin-simplejwt/simplejwt/models"
)

// browserPath is the Chromium the test drives: $CHROMIUM, else Debian's.
func browserPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// demoResult is what the demo page's functions resolve to.
type demoResult struct {
	Status int            `json:"status"`
	Body   map[string]any `json:"body"`
}

func TestBrowserCookieDemo(t *testing.T) {
	chromium := browserPath()
	if _, err := exec.LookPath(chromium); err != nil {
		t.Skipf("browser: skipped: no Chromium at %s (apt-get install chromium, or set CHROMIUM); .ci/run installs it", chromium)
	}
	const password = "browser-demo-password"
	svc := relStartInProcess(t, filepath.Join(t.TempDir(), "browser.sqlite3"), append(relSettings(),
		"REST_AUTH_JWT_AUTH_COOKIE=access",
		"REST_AUTH_JWT_AUTH_REFRESH_COOKIE=refresh",
		"REST_AUTH_JWT_AUTH_REFRESH_COOKIE_PATH=/api/token/",
		"REST_AUTH_JWT_AUTH_COOKIE_USE_CSRF=true",
	), relCheapHashers, nil)
	users, err := models.NewUserStore(svc.DB, models.UserStoreOptions{Hashers: relCheapHashers})
	if err != nil {
		t.Fatal(err)
	}
	alice := models.NewUser("alice")
	if err := alice.SetPasswordWith(relCheapHashers, password); err != nil {
		t.Fatal(err)
	}
	if err := users.Create(context.Background(), alice); err != nil {
		t.Fatal(err)
	}

	// The other origin: another port of 127.0.0.1, whose page posts a form to the API.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	evil := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := svc.Base + "/api/token/" + strings.Trim(r.URL.Query().Get("target"), "/") + "/"
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>other origin</title><form id="f" method="POST" action="%s"><input type="hidden" name="x" value="1"></form><script>document.getElementById("f").submit()</script>`, target)
	})}
	go func() { _ = evil.Serve(ln) }()
	t.Cleanup(func() { _ = evil.Close() })
	evilBase := "http://" + ln.Addr().String()

	br := newBrowser(t, chromium, "", "simplejwt-browser-", "screenshots", 1000)
	ctx, do, shot := br.ctx, br.do, br.shot
	call := func(step, js string) demoResult {
		t.Helper()
		res, err := chromedp.Run(ctx, chromedp.Evaluate[demoResult](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return res
	}
	eval := func(step, js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	jar := func() map[string]network.Cookie {
		t.Helper()
		res, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (storage.GetCookiesResult, error) {
			return cdp.Call(ctx, tg, storage.GetCookies, storage.GetCookiesParams{})
		})
		if err != nil {
			t.Fatalf("cookies: %v", err)
		}
		m := map[string]network.Cookie{}
		for _, c := range res.Cookies {
			m[c.Name] = *c
		}
		return m
	}
	passed := 0
	pass := func(step string) { passed++; t.Logf("browser step %d %s: passed", passed, step) }

	do("open the demo", chromedp.Navigate(svc.Base+"/demo/"), chromedp.WaitVisible(chromedp.CSS("#login")))

	if got := eval("the page's script ran under its CSP", `typeof window.demo`); got != "object" {
		t.Fatalf("window.demo is %s: the inline script was blocked", got)
	}
	if got := eval("the page's style applied under its CSP", `getComputedStyle(document.getElementById("who")).fontWeight`); got != "700" {
		t.Errorf("the inline style was blocked (font-weight %s)", got)
	}

	// 1 login (the page first takes its CSRF token from GET /api/token/csrf/)
	if res := call("csrf", `window.demo.csrf()`); res.Status != 200 || len(fmt.Sprint(res.Body["csrftoken"])) != 64 {
		t.Fatalf("GET /api/token/csrf/: %+v", res)
	}
	res := call("login", fmt.Sprintf(`window.demo.login("alice", %q)`, password))
	if res.Status != 200 || res.Body["refresh"] != "" {
		t.Fatalf("login: %+v", res)
	}
	c := jar()
	for _, name := range []string{"access", "refresh"} {
		if c[name].Name == "" || !c[name].HTTPOnly || c[name].Value == "" {
			t.Fatalf("after login the %s cookie is missing or not HttpOnly: %+v", name, c[name])
		}
	}
	if c["refresh"].Path != "/api/token/" || c["csrftoken"].Name == "" {
		t.Fatalf("refresh cookie path %q, csrftoken %v", c["refresh"].Path, c["csrftoken"])
	}
	oldRefresh := c["refresh"].Value
	do("wait for the user", chromedp.WaitVisible(chromedp.Search(`//span[@id="who" and text()="alice"]`)))
	shot("1-login")
	pass("login sets HttpOnly access and refresh cookies")

	// 2 hidden
	docCookie := eval("document.cookie", `document.cookie`)
	if strings.Contains(docCookie, "access=") || strings.Contains(docCookie, "refresh=") || strings.Contains(docCookie, c["access"].Value) {
		t.Fatalf("tokens readable from document.cookie: %q", docCookie)
	}
	if !strings.Contains(docCookie, "csrftoken=") {
		t.Errorf("the CSRF cookie is meant to be readable: %q", docCookie)
	}
	var names []string
	for part := range strings.SplitSeq(docCookie, ";") {
		name, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		names = append(names, name)
	}
	pass("tokens not readable from document.cookie (it names only " + strings.Join(names, ", ") + ")")

	// 3 me
	res = call("me", `window.demo.me()`)
	if res.Status != 200 || res.Body["username"] != "alice" {
		t.Fatalf("GET /api/me/ by cookie: %+v", res)
	}
	shot("3-me")
	pass("GET /api/me/ by cookie alone")

	// 4 refresh
	res = call("refresh", `window.demo.refresh()`)
	c = jar()
	if res.Status != 200 || c["refresh"].Value == "" || c["refresh"].Value == oldRefresh {
		t.Fatalf("refresh by cookie: %+v; the refresh cookie must rotate", res)
	}
	if res = call("me after refresh", `window.demo.me()`); res.Status != 200 {
		t.Fatalf("me after refresh: %+v", res)
	}
	shot("4-refresh")
	pass("refresh by cookie rotates the refresh cookie")

	// 5 cross-port
	for _, target := range []string{"blacklist", "refresh"} {
		do("other origin "+target, chromedp.Navigate(evilBase+"/?target="+target),
			chromedp.WaitVisible(chromedp.Search(`//pre[contains(., "detail")]`)))
		text := eval("the answer", `document.body.innerText`)
		var body map[string]string
		if err := json.Unmarshal([]byte(strings.TrimSpace(text)), &body); err != nil || !strings.HasPrefix(body["detail"], "CSRF Failed: ") {
			t.Fatalf("a form from %s to %s: %q, want DRF's 403 CSRF body", evilBase, target, text)
		}
		shot("5-cross-port-" + target)
		t.Logf("browser: %s from another port: %s", target, body["detail"])
	}
	do("back to the demo", chromedp.Navigate(svc.Base+"/demo/"), chromedp.WaitVisible(chromedp.CSS("#login")))
	if res = call("me after the attack", `window.demo.me()`); res.Status != 200 {
		t.Fatalf("the cross-port posts logged the user out: %+v", res)
	}
	pass("a page on another port of 127.0.0.1 posting with the user's cookies gets 403")

	// 6 logout
	rotated := jar()["refresh"].Value
	res = call("logout", `window.demo.logout()`)
	c = jar()
	if res.Status != 200 || c["access"].Name != "" || c["refresh"].Name != "" {
		t.Fatalf("logout: %+v, cookies left: %v", res, c)
	}
	if res = call("me after logout", `window.demo.me()`); res.Status != 401 {
		t.Fatalf("me after logout: %+v", res)
	}
	if res = call("refresh after logout", `window.demo.refresh()`); res.Status != 401 {
		t.Fatalf("refresh by cookie after logout: %+v", res)
	}
	resp, err := http.Post(svc.Base+"/api/token/refresh/", "application/json", strings.NewReader(`{"refresh":"`+rotated+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var refused map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&refused)
	resp.Body.Close()
	if resp.StatusCode != 401 || refused["detail"] != "Token is blacklisted" {
		t.Fatalf("the logged-out refresh token: %d %v", resp.StatusCode, refused)
	}
	shot("6-logout")
	pass("logout clears the cookies and the old refresh token is refused")
}

// browser is a headless Chromium for one test, with the flags this machine kind needs and a
// fresh profile, for two minutes: do runs actions as a named step, shot saves a screenshot.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

// newBrowser starts Chromium at path with a window width px wide. Screenshots go to
// $SIMPLEJWT_SCREENSHOTS/subdir, or to a new temp directory named tempPrefix*; label names
// them in the log.
func newBrowser(t *testing.T, path, subdir, tempPrefix, label string, width int) *browser {
	t.Helper()
	shots := os.Getenv("SIMPLEJWT_SCREENSHOTS")
	var err error
	if shots == "" {
		shots, err = os.MkdirTemp("", tempPrefix)
	} else {
		shots = filepath.Join(shots, subdir)
		err = os.MkdirAll(shots, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("browser: %s in %s", label, shots)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancel(); cancelCtx(); cancelAlloc() })
	return &browser{t: t, ctx: ctx, shots: shots}
}

// do runs actions, failing the test with step's name.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// shot saves a screenshot as name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

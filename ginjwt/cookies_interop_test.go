package ginjwt_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// TestCookieCSRFInteropDjango: the cookie transport and Django share CSRF tokens. Django's own
// get_token + CsrfViewMiddleware (views/csrf/testdata/django_csrf.py, Debian's python3-django)
// mints csrftoken cookies and tokens that the Go service accepts on a cookie-authenticated
// POST; the Go service's GET /api/token/csrf/ and login mint cookies and tokens that Django's
// CSRFCheck (DRF's enforce_csrf, as dj-rest-auth's JWTCookieAuthentication calls it) accepts.
// Both sides also refuse the other's token under a different cookie. Counts are logged.
func TestCookieCSRFInteropDjango(t *testing.T) {
	python := os.Getenv("CSRF_INTEROP_PYTHON")
	if python == "" {
		python = "/usr/bin/python3"
	}
	if out, err := exec.Command(python, "-c", "import django").CombinedOutput(); err != nil {
		t.Skipf("interop: skipped: %s cannot import django (%v: %s); install Debian's python3-django (see .ci/run)", python, err, bytes.TrimSpace(out))
	}
	const n = 20
	type request struct {
		Method      string            `json:"method"`
		Scheme      string            `json:"scheme"`
		Host        string            `json:"host"`
		Path        string            `json:"path"`
		Headers     map[string]string `json:"headers,omitempty"`
		Cookie      *string           `json:"cookie,omitempty"`
		ContentType string            `json:"content_type,omitempty"`
	}
	type op struct {
		Op      string  `json:"op"`
		Request request `json:"request"`
	}
	djangoRun := func(ops []op) []map[string]any {
		t.Helper()
		in, _ := json.Marshal(map[string]any{"ops": ops})
		cmd := exec.Command(python, "../views/csrf/testdata/django_csrf.py")
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("django: %v: %s", err, stderr.String())
		}
		var res struct {
			Django  string           `json:"django"`
			Results []map[string]any `json:"results"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("django: %v: %s", err, out)
		}
		t.Logf("Django %s", res.Django)
		for i, r := range res.Results {
			if e, ok := r["exception"]; ok {
				t.Fatalf("django op %d: %v", i, e)
			}
		}
		return res.Results
	}
	svc := cookieService(t, func(s *cookies.Settings) { s.UseCSRF = true })
	login := svc.call("POST", "/api/token/", aliceLogin)
	access := cookieValue(login, "access")

	// Django → Go.
	mints := make([]op, n)
	for i := range mints {
		mints[i] = op{Op: "mint", Request: request{Method: "GET", Scheme: "http", Host: "example.com", Path: "/"}}
	}
	djangoToGo, refusedByGo := 0, 0
	for i, m := range djangoRun(mints) {
		token, cookie := m["token"].(string), m["cookie"].(string)
		header := "X-CSRFToken: " + token
		if i%2 == 1 {
			header = "X-CSRFToken: " + cookie // the bare secret, as an app reads it from the cookie
		}
		w := svc.call("POST", "http://example.com/api/me/", "", "Cookie: access="+access+"; csrftoken="+cookie, header)
		if w.Code != 200 {
			t.Errorf("Django's token %d refused: %d %s", i, w.Code, w.Body)
			continue
		}
		djangoToGo++
		other := strings.Repeat("Z", 32)
		if w := svc.call("POST", "http://example.com/api/me/", "", "Cookie: access="+access+"; csrftoken="+other, "X-CSRFToken: "+token); w.Code == 403 {
			refusedByGo++
		}
	}

	// Go → Django: tokens of GET /csrf/ and the cookie rotated by login.
	var checks []op
	var want []bool
	for i := range n {
		var secret, token string
		if i%2 == 0 {
			g := svc.call("GET", "/api/token/csrf/", "")
			var body map[string]string
			_ = json.Unmarshal(g.Body.Bytes(), &body)
			secret, token = cookieValue(g, "csrftoken"), body["csrftoken"]
		} else {
			lg := svc.call("POST", "/api/token/", aliceLogin)
			secret = cookieValue(lg, "csrftoken")
			g := svc.call("GET", "/api/token/csrf/", "", "Cookie: csrftoken="+secret)
			var body map[string]string
			_ = json.Unmarshal(g.Body.Bytes(), &body)
			token = body["csrftoken"]
			if cookieValue(g, "csrftoken") != secret {
				t.Fatalf("GET /csrf/ replaced a good cookie")
			}
		}
		cookie := "csrftoken=" + secret
		wrong := "csrftoken=" + strings.Repeat("Z", 32)
		req := func(c *string) request {
			return request{Method: "POST", Scheme: "http", Host: "example.com", Path: "/api/me/", Cookie: c,
				Headers: map[string]string{"X-CSRFToken": token}}
		}
		checks = append(checks, op{Op: "check", Request: req(&cookie)}, op{Op: "check", Request: req(&wrong)})
		want = append(want, true, false)
	}
	goToDjango, refusedByDjango := 0, 0
	for i, r := range djangoRun(checks) {
		accepted := r["reason"] == nil
		switch {
		case accepted != want[i]:
			t.Errorf("Django check %d: accepted=%v, want %v (%v)", i, accepted, want[i], r["reason"])
		case accepted:
			goToDjango++
		default:
			refusedByDjango++
		}
	}
	t.Logf("interop: django→go %d/%d accepted (%d refused under another cookie); go→django %d/%d accepted (%d refused under another cookie)",
		djangoToGo, n, refusedByGo, goToDjango, n, refusedByDjango)
	if djangoToGo != n || goToDjango != n || refusedByGo != n || refusedByDjango != n {
		t.Error("interop counts are not complete")
	}
}

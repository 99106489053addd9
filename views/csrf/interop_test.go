package csrf_test

// Interop with the real Django: testdata/django_csrf.py drives Django's own
// CsrfViewMiddleware, get_token and DRF's CSRFCheck (Debian's python3-django, /usr/bin/python3)
// on the same requests and tokens as this package. Counts per direction are logged:
//
//	django→go     tokens and cookies minted by Django, accepted by Check
//	go→django     tokens and cookies minted by Token, accepted by Django
//	same verdict  one request, the same answer from both (the same reason text on Django 4.1+;
//	              on Django 3.x, whose texts and checks are older, the 3.x answer that this
//	              package's answer implies: see doc.go)
//
// Set CSRF_INTEROP_PYTHON to run another interpreter (a virtualenv with a newer Django).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

const (
	interopDefaultPython = "/usr/bin/python3" // Debian's, with python3-django
	interopTimeout       = 2 * time.Minute
	interopMints         = 40 // tokens minted on each side
)

// django is the Django that the interop tests drive.
type django struct {
	python  string
	version string
	major   int
}

// legacy reports a Django before 4.0: no Origin check, one token reason, host-form
// CSRF_TRUSTED_ORIGINS.
func (d *django) legacy() bool { return d.major < 4 }

// requireDjango skips t when the interpreter or Django is missing.
func requireDjango(t *testing.T) *django {
	t.Helper()
	python := os.Getenv("CSRF_INTEROP_PYTHON")
	if python == "" {
		python = interopDefaultPython
	}
	out, err := exec.Command(python, "-c", "import django; print(django.get_version())").CombinedOutput()
	if err != nil {
		t.Skipf("interop: skipped: %s cannot import django (%v: %s); install Debian's python3-django (see .ci/run)",
			python, err, strings.TrimSpace(string(out)))
	}
	v := strings.TrimSpace(string(out))
	major, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if err != nil {
		t.Fatalf("interop: Django version %q", v)
	}
	return &django{python: python, version: v, major: major}
}

// result is one op's answer from django_csrf.py.
type result struct {
	Token     string   `json:"token"`
	Cookie    string   `json:"cookie"`
	SetCookie string   `json:"set_cookie"`
	Reason    *string  `json:"reason"`
	Detail    *string  `json:"detail"`
	Split     []string `json:"split"`
	Error     string   `json:"error"`
	Exception string   `json:"exception"`
}

// run sends ops to one run of django_csrf.py and returns one result per op. An op on which
// Django raised fails the test unless allowRaise.
func (d *django) run(t *testing.T, ops []map[string]any, allowRaise bool) []result {
	t.Helper()
	in, err := json.Marshal(map[string]any{"ops": ops})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), interopTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.python, "testdata/django_csrf.py")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("interop: django_csrf.py: %v\n%s", err, stderr.String())
	}
	var out struct {
		Django  string   `json:"django"`
		Check   string   `json:"check"`
		Results []result `json:"results"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("interop: django_csrf.py output: %v\n%s", err, stdout.String())
	}
	if len(out.Results) != len(ops) {
		t.Fatalf("interop: %d results for %d ops", len(out.Results), len(ops))
	}
	for i, r := range out.Results {
		if r.Exception != "" && !allowRaise {
			t.Fatalf("interop: Django raised on op %d (%v): %s", i, ops[i], r.Exception)
		}
	}
	t.Logf("interop: Django %s, %s, %d ops", out.Django, out.Check, len(ops))
	return out.Results
}

// latin1 is s as a WSGI server hands it to Django: one character per byte.
func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// metaName is a header setting in Django's request.META form.
func metaName(name string) string {
	if strings.HasPrefix(name, "HTTP_") {
		return name
	}
	return "HTTP_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// djangoSettings is cfg as Django settings (only what cfg sets).
func djangoSettings(cfg csrf.Config) map[string]any {
	s := map[string]any{}
	if cfg.CookieName != "" {
		s["CSRF_COOKIE_NAME"] = cfg.CookieName
	}
	if cfg.HeaderName != "" {
		s["CSRF_HEADER_NAME"] = metaName(cfg.HeaderName)
	}
	if cfg.TrustedOrigins != nil {
		s["CSRF_TRUSTED_ORIGINS"] = cfg.TrustedOrigins
	}
	if cfg.CookieDomain != "" {
		s["CSRF_COOKIE_DOMAIN"] = cfg.CookieDomain
	}
	if cfg.CookiePath != "" {
		s["CSRF_COOKIE_PATH"] = cfg.CookiePath
	}
	s["CSRF_COOKIE_SECURE"] = cfg.CookieSecure
	s["CSRF_COOKIE_HTTPONLY"] = cfg.CookieHTTPOnly
	switch cfg.CookieSameSite {
	case "":
	case csrf.SameSiteFalse:
		s["CSRF_COOKIE_SAMESITE"] = false
	default:
		s["CSRF_COOKIE_SAMESITE"] = cfg.CookieSameSite
	}
	switch {
	case cfg.CookieAge < 0:
		s["CSRF_COOKIE_AGE"] = nil
	case cfg.CookieAge > 0:
		s["CSRF_COOKIE_AGE"] = int(cfg.CookieAge.Seconds())
	}
	s["USE_X_FORWARDED_HOST"] = cfg.UseXForwardedHost
	s["USE_X_FORWARDED_PORT"] = cfg.UseXForwardedPort
	if h := cfg.SecureProxySSLHeader; h[0] != "" {
		s["SECURE_PROXY_SSL_HEADER"] = []string{metaName(h[0]), h[1]}
	}
	if cfg.MaxFormBytes > 0 {
		s["DATA_UPLOAD_MAX_MEMORY_SIZE"] = cfg.MaxFormBytes
	}
	return s
}

// djangoRequest is q for django_csrf.py, with the Origin header dropped when dropOrigin.
func djangoRequest(t *testing.T, q request, dropOrigin bool) map[string]any {
	t.Helper()
	r := q.build()
	u, err := url.Parse(r.URL.String())
	if err != nil {
		t.Fatal(err)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	headers := map[string]string{}
	for name, values := range r.Header {
		switch name {
		case "Cookie", "Content-Type":
			continue
		case "Origin":
			if dropOrigin {
				continue
			}
		}
		headers[name] = latin1(strings.Join(values, ","))
	}
	out := map[string]any{
		"method": r.Method, "scheme": scheme, "host": r.Host, "path": u.Path,
		"headers": headers, "content_type": r.Header.Get("Content-Type"), "body": latin1(q.body),
	}
	if c, ok := r.Header["Cookie"]; ok {
		out["cookie"] = latin1(strings.Join(c, "; "))
	}
	return out
}

func checkOp(t *testing.T, cfg csrf.Config, q request, dropOrigin bool) map[string]any {
	return map[string]any{"op": "check", "settings": djangoSettings(cfg), "request": djangoRequest(t, q, dropOrigin)}
}

func mintOp(t *testing.T, cfg csrf.Config, cookie string) map[string]any {
	return map[string]any{"op": "mint", "settings": djangoSettings(cfg),
		"request": djangoRequest(t, request{method: "GET", cookie: cookie}, false)}
}

// tally counts the checks of one test per direction.
type tally struct {
	t      *testing.T
	counts map[string]int
	order  []string
}

func newTally(t *testing.T) *tally { return &tally{t: t, counts: map[string]int{}} }

func (c *tally) check(dir string, ok bool, format string, args ...any) {
	c.t.Helper()
	if _, seen := c.counts[dir]; !seen {
		c.order = append(c.order, dir)
	}
	if !ok {
		c.t.Errorf("interop %s: "+format, append([]any{dir}, args...)...)
		return
	}
	c.counts[dir]++
}

func (c *tally) log() {
	parts := make([]string, 0, len(c.order))
	for _, dir := range c.order {
		parts = append(parts, fmt.Sprintf("%d %s", c.counts[dir], dir))
	}
	c.t.Logf("interop: %s passed", strings.Join(parts, ", "))
}

func reasonOf(r result) string {
	if r.Reason == nil {
		return ""
	}
	return *r.Reason
}

// TestInteropTokens: tokens and cookies minted by each side are accepted by the other, in the
// header, in the form field, and as a single-page app sends them (the cookie's value in the
// header); a cookie kept by one side keeps working on the other; mismatched pairs are refused
// by both.
func TestInteropTokens(t *testing.T) {
	d := requireDjango(t)
	p := newProtection(t, csrf.Config{Now: clock})
	c := newTally(t)

	// Django mints: fresh, and from a cookie set by Go.
	goTok, goCookie, _ := mint(t, p, "")
	var ops []map[string]any
	for range interopMints {
		ops = append(ops, mintOp(t, csrf.Config{}, ""))
	}
	ops = append(ops, mintOp(t, csrf.Config{}, "csrftoken="+goCookie.Value))
	minted := d.run(t, ops, false)

	var checks []map[string]any
	viaHeader := func(cookie, token string) request {
		return request{cookie: "csrftoken=" + cookie, headers: []string{"X-CSRFToken: " + token}}
	}
	viaForm := func(cookie, token string) request {
		return request{cookie: "csrftoken=" + cookie, ctype: "application/x-www-form-urlencoded", body: "a=1&csrfmiddlewaretoken=" + token}
	}
	for _, m := range minted[:interopMints] {
		if !tokenRE.MatchString(m.Token) || len(m.Cookie) != 32 && len(m.Cookie) != 64 {
			t.Fatalf("Django minted %q / cookie %q", m.Token, m.Cookie)
		}
		for name, q := range map[string]request{
			"header": viaHeader(m.Cookie, m.Token), "form field": viaForm(m.Cookie, m.Token), "cookie value in the header": viaHeader(m.Cookie, m.Cookie),
		} {
			err := p.Check(q.build())
			c.check("django→go", err == nil, "Django's token (%s) refused: %v", name, err)
		}
		// Go's Token keeps Django's secret (replacing a legacy masked cookie by it): Django's
		// token passes with Go's new cookie, on both sides.
		goToken, newCookie, _ := mint(t, p, "csrftoken="+m.Cookie)
		err := p.Check(viaHeader(m.Cookie, goToken).build())
		c.check("django→go", err == nil, "Go's token from Django's cookie refused with that cookie: %v", err)
		if len(m.Cookie) == 64 {
			c.check("django→go", newCookie.Value != m.Cookie && len(newCookie.Value) == 32, "legacy masked cookie %q not replaced by its secret: %q", m.Cookie, newCookie.Value)
		}
		checks = append(checks, checkOp(t, csrf.Config{}, viaHeader(newCookie.Value, m.Token), false))
		// Mismatch: Django's token with another secret's cookie.
		err = p.Check(viaHeader(goCookie.Value, m.Token).build())
		c.check("same verdict", errors.Is(err, csrf.ErrTokenMismatch), "Django's token with another cookie: %v", err)
		checks = append(checks, checkOp(t, csrf.Config{}, viaHeader(goCookie.Value, m.Token), false))
	}
	// Django's token minted from Go's cookie passes Go's check with Go's cookie.
	fromGo := minted[interopMints]
	err := p.Check(viaHeader(goCookie.Value, fromGo.Token).build())
	c.check("django→go", err == nil, "Django's token from Go's cookie refused: %v", err)
	err = p.Check(viaHeader(fromGo.Cookie, goTok).build())
	c.check("django→go", err == nil, "Go's token refused with the cookie Django set from Go's: %v", err)

	// Go mints; Django checks.
	nDjangoSide := len(checks)
	for range interopMints {
		tok, ck, _ := mint(t, p, "")
		checks = append(checks,
			checkOp(t, csrf.Config{}, viaHeader(ck.Value, tok), false),
			checkOp(t, csrf.Config{}, viaForm(ck.Value, tok), false),
			checkOp(t, csrf.Config{}, viaHeader(ck.Value, ck.Value), false))
	}
	// Mismatch the other way: Go's token with Django's cookie.
	checks = append(checks, checkOp(t, csrf.Config{}, viaHeader(minted[0].Cookie, goTok), false))
	mismatch := "CSRF token from the 'X-Csrftoken' HTTP header incorrect."
	if d.legacy() {
		mismatch = "CSRF token missing or incorrect."
	}
	got := d.run(t, checks, false)
	for i := 0; i < nDjangoSide; i += 2 {
		c.check("go→django", got[i].Reason == nil, "Django refused its own token with Go's cookie: %s", reasonOf(got[i]))
		c.check("same verdict", reasonOf(got[i+1]) == mismatch, "mismatch: Django said %q, want %q", reasonOf(got[i+1]), mismatch)
	}
	for i := nDjangoSide; i < len(got)-1; i++ {
		c.check("go→django", got[i].Reason == nil, "Django refused Go's token (op %d): %s", i, reasonOf(got[i]))
	}
	last := got[len(got)-1]
	err = p.Check(viaHeader(minted[0].Cookie, goTok).build())
	c.check("same verdict", errors.Is(err, csrf.ErrTokenMismatch) && reasonOf(last) == mismatch,
		"Go's token with Django's cookie: Go %v, Django %q", err, reasonOf(last))
	c.log()
}

// djangoExpects is what the Django that answered should say about a request to which this
// package answers err: the same reason on Django 4.0+; on 3.x, that release's text.
func djangoExpects(d *django, err error) string {
	var e *csrf.Error
	if !errors.As(err, &e) {
		return ""
	}
	if d.legacy() {
		switch {
		case errors.Is(err, csrf.ErrNoCookie):
			return "CSRF cookie not set."
		case errors.Is(err, csrf.ErrBadCookie), errors.Is(err, csrf.ErrTokenMissing),
			errors.Is(err, csrf.ErrBadToken), errors.Is(err, csrf.ErrTokenMismatch):
			return "CSRF token missing or incorrect."
		}
	}
	return e.Reason
}

// TestInteropVerdicts sends every case of TestCheckReasons through Django's own check too. On
// Django 3.x, which does not check Origin, the case goes without its Origin header on both
// sides.
func TestInteropVerdicts(t *testing.T) {
	d := requireDjango(t)
	c := newTally(t)
	var ops []map[string]any
	var cases []checkCase
	skipped := 0
	for _, tc := range checkCases {
		if tc.notDjango != "" || d.legacy() && tc.django32 != "" {
			skipped++
			continue
		}
		cases = append(cases, tc)
		ops = append(ops, checkOp(t, tc.cfg, tc.req, d.legacy()))
	}
	got := d.run(t, ops, true)
	for i, tc := range cases {
		q := tc.req
		if d.legacy() {
			var hs []string
			for _, h := range q.headers {
				if !strings.HasPrefix(h, "Origin: ") {
					hs = append(hs, h)
				}
			}
			q.headers = hs
		}
		err := newProtection(t, tc.cfg).Check(q.build())
		if got[i].Exception != "" {
			// Django 3.2 lets urlsplit's ValueError out of the Referer check (a 500); 4.0+
			// catches it: "Referer is malformed.".
			c.check("same verdict", d.legacy() && errors.Is(err, csrf.ErrMalformedReferer) && strings.HasPrefix(got[i].Exception, "ValueError"),
				"%s: Django raised %s, Go said %v", tc.name, got[i].Exception, err)
			continue
		}
		want := djangoExpects(d, err)
		c.check("same verdict", reasonOf(got[i]) == want, "%s: Django said %q, Go said %v (want Django %q)",
			tc.name, reasonOf(got[i]), err, want)
		if err != nil && got[i].Detail != nil && !d.legacy() {
			detail, _ := csrf.Detail(err)
			c.check("same verdict", *got[i].Detail == detail, "%s: DRF detail %q, Go %q", tc.name, *got[i].Detail, detail)
		}
	}
	t.Logf("interop: %d of %d cases sent to Django %s (%d documented differences not sent)", len(cases), len(checkCases), d.version, skipped)
	c.log()
}

// TestInteropSetCookie: the cookie Token sets has the attributes of Django's for the same
// settings (name, path, domain, Max-Age, Secure, HttpOnly, SameSite).
func TestInteropSetCookie(t *testing.T) {
	d := requireDjango(t)
	c := newTally(t)
	cfgs := []csrf.Config{
		{},
		{CookieName: "xsrf", CookieSecure: true, CookieHTTPOnly: true, CookieSameSite: "Strict",
			CookieDomain: ".example.com", CookiePath: "/api/", CookieAge: time.Hour},
		{CookieSecure: true, CookieSameSite: "None"},
		{CookieSameSite: csrf.SameSiteFalse},
		{CookieAge: -1},
	}
	var ops []map[string]any
	for _, cfg := range cfgs {
		ops = append(ops, mintOp(t, cfg, ""))
	}
	got := d.run(t, ops, false)
	for i, cfg := range cfgs {
		cfg.Now = time.Now
		p := newProtection(t, cfg)
		_, ours, _ := mint(t, p, "")
		theirs, err := http.ParseSetCookie(got[i].SetCookie)
		if err != nil {
			t.Fatalf("Django's Set-Cookie %q: %v", got[i].SetCookie, err)
		}
		norm := func(k *http.Cookie) string {
			return fmt.Sprintf("name=%s path=%s domain=%s max-age=%d secure=%v httponly=%v samesite=%v",
				k.Name, k.Path, strings.TrimPrefix(k.Domain, "."), k.MaxAge, k.Secure, k.HttpOnly, k.SameSite)
		}
		c.check("same Set-Cookie", norm(ours) == norm(theirs), "config %d:\n Go     %s\n Django %s", i, norm(ours), norm(theirs))
		hasExpires := func(line string) bool { return strings.Contains(strings.ToLower(line), "expires=") }
		w := httptest.NewRecorder()
		p.Token(w, httptest.NewRequest(http.MethodGet, "/", nil))
		c.check("same Set-Cookie", hasExpires(w.Header().Get("Set-Cookie")) == hasExpires(got[i].SetCookie),
			"config %d: Expires: Go %q, Django %q", i, w.Header().Get("Set-Cookie"), got[i].SetCookie)
	}
	c.log()
}

// TestInteropURLSplit: the urlsplit port against Python's (cases that Python 3.11 answers
// differently from 3.12+ are left out on 3.11).
func TestInteropURLSplit(t *testing.T) {
	d := requireDjango(t)
	out, err := exec.Command(d.python, "-c", "import sys; print(sys.version_info[1])").Output()
	if err != nil {
		t.Fatal(err)
	}
	minor, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	c := newTally(t)
	var ops []map[string]any
	var ins []string
	for _, tc := range csrf.URLSplitCases() {
		if tc.Py311 && minor < 12 {
			continue
		}
		ins = append(ins, tc.In)
		ops = append(ops, map[string]any{"op": "urlsplit", "url": latin1(tc.In)})
	}
	got := d.run(t, ops, false)
	for i, in := range ins {
		parts, err := csrf.URLSplit(in)
		if (err != nil) != (got[i].Error != "") {
			c.check("same urlsplit", false, "%q: Go error %v, Python error %q", in, err, got[i].Error)
			continue
		}
		if err != nil {
			c.check("same urlsplit", true, "")
			continue
		}
		want := got[i].Split
		for j := range want {
			want[j] = fromLatin1(want[j])
		}
		if want[0] == "" || want[1] == "" {
			parts[5], want[5] = "", "" // geturl is only used with a scheme and a host
		}
		c.check("same urlsplit", strings.Join(parts[:], "|") == strings.Join(want, "|"), "%q: Go %q, Python %q", in, parts, want)
	}
	c.log()
}

// fromLatin1 undoes latin1.
func fromLatin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

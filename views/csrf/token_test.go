package csrf_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

var (
	secretRE = regexp.MustCompile(`^[a-zA-Z0-9]{32}$`)
	tokenRE  = regexp.MustCompile(`^[a-zA-Z0-9]{64}$`)
)

// fixedNow is the injected clock of these tests.
var fixedNow = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func clock() time.Time { return fixedNow }

// tokenCookie returns the one CSRF Set-Cookie of w, parsed.
func tokenCookie(t *testing.T, w *httptest.ResponseRecorder, name string) *http.Cookie {
	t.Helper()
	var found *http.Cookie
	for _, line := range w.Header().Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", line, err)
		}
		if c.Name == name {
			if found != nil {
				t.Fatalf("two Set-Cookie for %s: %q", name, w.Header().Values("Set-Cookie"))
			}
			found = c
		}
	}
	if found == nil {
		t.Fatalf("no Set-Cookie for %s: %q", name, w.Header().Values("Set-Cookie"))
	}
	return found
}

// mint calls Token on a GET with the given Cookie header and returns the token and the cookie
// it set.
func mint(t *testing.T, p *csrf.Protection, cookie string) (string, *http.Cookie, *httptest.ResponseRecorder) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://example.com/api/token/csrf/", nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	w := httptest.NewRecorder()
	tok := p.Token(w, r)
	if !tokenRE.MatchString(tok) {
		t.Fatalf("token %q is not 64 characters of [a-zA-Z0-9]", tok)
	}
	return tok, tokenCookie(t, w, p.Config().CookieName), w
}

// TestTokenRoundTrip: a token minted with its cookie passes Check, in the header and in the
// form field, and so does the cookie's secret itself (what a single-page app reads).
func TestTokenRoundTrip(t *testing.T) {
	p := newProtection(t, csrf.Config{Now: clock})
	for range 50 {
		tok, c, _ := mint(t, p, "")
		if !secretRE.MatchString(c.Value) {
			t.Fatalf("cookie %q is not a 32-character secret", c.Value)
		}
		cookie := "csrftoken=" + c.Value
		for _, q := range []request{
			{headers: []string{"X-CSRFToken: " + tok}, cookie: cookie},
			{headers: []string{"X-CSRFToken: " + c.Value}, cookie: cookie},
			{ctype: "application/x-www-form-urlencoded", body: "csrfmiddlewaretoken=" + tok, cookie: cookie},
		} {
			if err := p.Check(q.build()); err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
		}
	}
}

// TestTokenCookie: which secret Token keeps, and the cookie it sets.
func TestTokenCookie(t *testing.T) {
	p := newProtection(t, csrf.Config{Now: clock})
	cases := []struct {
		name, cookie string
		keep         string // the secret kept, "" for a new one
	}{
		{name: "no cookie"},
		{name: "a valid cookie is kept", cookie: "csrftoken=" + secret, keep: secret},
		{name: "a legacy masked cookie is replaced by its secret", cookie: "csrftoken=" + token1, keep: secret},
		{name: "a short cookie is replaced", cookie: "csrftoken=abc"},
		{name: "a cookie with invalid characters is replaced", cookie: "csrftoken=" + secret[1:] + "-"},
		{name: "the last cookie counts", cookie: "csrftoken=" + otherSecret + "; csrftoken=" + secret, keep: secret},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, c, w := mint(t, p, tc.cookie)
			if tc.keep != "" && c.Value != tc.keep {
				t.Fatalf("cookie %q, want the secret %q kept", c.Value, tc.keep)
			}
			if tc.keep == "" && (c.Value == secret || c.Value == otherSecret || !secretRE.MatchString(c.Value)) {
				t.Fatalf("cookie %q, want a new secret", c.Value)
			}
			if err := p.Check(request{headers: []string{"X-CSRFToken: " + tok}, cookie: "csrftoken=" + c.Value}.build()); err != nil {
				t.Fatalf("token and cookie do not match: %v", err)
			}
			if got := w.Header().Values("Vary"); len(got) != 1 || got[0] != "Cookie" {
				t.Fatalf("Vary: %q", got)
			}
		})
	}
}

// TestSetCookieAttributes: the attributes of the Set-Cookie line for each setting.
func TestSetCookieAttributes(t *testing.T) {
	cases := []struct {
		name string
		cfg  csrf.Config
		want string // the line after "csrftoken=<secret>"
	}{
		{name: "Django's defaults", cfg: csrf.Config{},
			want: "; Path=/; Expires=Wed, 01 Jan 2031 03:04:05 GMT; Max-Age=31449600; SameSite=Lax"},
		{name: "DefaultConfig", cfg: csrf.DefaultConfig(),
			want: "; Path=/; Expires=Wed, 01 Jan 2031 03:04:05 GMT; Max-Age=31449600; SameSite=Lax"},
		{name: "every attribute", cfg: csrf.Config{CookieName: "xsrf", CookieSecure: true, CookieHTTPOnly: true,
			CookieSameSite: "Strict", CookieDomain: ".example.com", CookiePath: "/api/", CookieAge: time.Hour},
			want: "; Path=/api/; Domain=example.com; Expires=Wed, 02 Jan 2030 04:04:05 GMT; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"},
		{name: "SameSite None", cfg: csrf.Config{CookieSecure: true, CookieSameSite: "none"},
			want: "; Path=/; Expires=Wed, 01 Jan 2031 03:04:05 GMT; Max-Age=31449600; Secure; SameSite=None"},
		{name: "SameSite False", cfg: csrf.Config{CookieSameSite: csrf.SameSiteFalse},
			want: "; Path=/; Expires=Wed, 01 Jan 2031 03:04:05 GMT; Max-Age=31449600"},
		{name: "session cookie", cfg: csrf.Config{CookieAge: -1},
			want: "; Path=/; SameSite=Lax"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Now = clock
			p := newProtection(t, tc.cfg)
			_, c, w := mint(t, p, "")
			line := w.Header().Get("Set-Cookie")
			if want := p.Config().CookieName + "=" + c.Value + tc.want; line != want {
				t.Fatalf("Set-Cookie:\n got %s\nwant %s", line, want)
			}
		})
	}
}

// TestTokenTwiceInOneResponse: a second Token for the same response keeps the secret of the
// first and sets one cookie (Django keeps it in request.META); Rotate replaces it.
func TestTokenTwiceInOneResponse(t *testing.T) {
	p := newProtection(t, csrf.Config{Now: clock})
	r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
	w := httptest.NewRecorder()
	w.Header().Add("Vary", "Accept")
	w.Header().Add("Set-Cookie", "sessionid=abc; Path=/")
	a, b := p.Token(w, r), p.Token(w, r)
	c := tokenCookie(t, w, "csrftoken")
	for _, tok := range []string{a, b} {
		if err := p.Check(request{headers: []string{"X-CSRFToken: " + tok}, cookie: "csrftoken=" + c.Value}.build()); err != nil {
			t.Fatalf("token %s: %v", tok, err)
		}
	}
	if got := w.Header().Values("Vary"); strings.Join(got, ",") != "Accept,Cookie" {
		t.Fatalf("Vary: %q", got)
	}
	rotated := p.Rotate(w)
	c2 := tokenCookie(t, w, "csrftoken")
	if c2.Value == c.Value {
		t.Fatal("Rotate kept the secret")
	}
	if err := p.Check(request{headers: []string{"X-CSRFToken: " + rotated}, cookie: "csrftoken=" + c2.Value}.build()); err != nil {
		t.Fatalf("rotated token: %v", err)
	}
	if err := p.Check(request{headers: []string{"X-CSRFToken: " + a}, cookie: "csrftoken=" + c2.Value}.build()); err == nil {
		t.Fatal("the token of the old secret passed after Rotate")
	}
	if got := w.Header().Values("Set-Cookie"); len(got) != 2 || got[0] != "sessionid=abc; Path=/" {
		t.Fatalf("Set-Cookie lines: %q", got)
	}
}

// TestVaryStar: Vary: * already says everything.
func TestVaryStar(t *testing.T) {
	p := newProtection(t, csrf.Config{})
	w := httptest.NewRecorder()
	w.Header().Set("Vary", "*")
	p.Token(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if got := w.Header().Values("Vary"); len(got) != 1 || got[0] != "*" {
		t.Fatalf("Vary: %q", got)
	}
}

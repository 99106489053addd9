package csrf_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// Token gives a browser app its CSRF cookie and a masked token (Django's get_token with
// ensure_csrf_cookie), here on the route a single-page app calls first.
func ExampleProtection_Token() {
	p, err := csrf.New(csrf.Config{CookieSecure: true})
	if err != nil {
		panic(err)
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "https://api.example.com/api/token/csrf/", nil)
	token := p.Token(w, r)

	cookie, _ := http.ParseSetCookie(w.Header().Get("Set-Cookie"))
	fmt.Println("token:", len(token), "characters")
	fmt.Println("cookie:", cookie.Name, len(cookie.Value), "characters", "Secure:", cookie.Secure, "HttpOnly:", cookie.HttpOnly)
	fmt.Println("Vary:", w.Header().Get("Vary"))
	// Output:
	// token: 64 characters
	// cookie: csrftoken 32 characters Secure: true HttpOnly: false
	// Vary: Cookie
}

// Check is Django's CSRF check on an unsafe request: the cookie from Token's response and the
// token in the X-CSRFToken header pass; without the header, DRF's 403 body.
func ExampleProtection_Check() {
	p, err := csrf.New(csrf.Config{TrustedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		panic(err)
	}
	// GET: the app receives the cookie and a token.
	w := httptest.NewRecorder()
	token := p.Token(w, httptest.NewRequest(http.MethodGet, "https://api.example.com/api/token/csrf/", nil))
	cookie := strings.Split(w.Header().Get("Set-Cookie"), ";")[0] // csrftoken=<secret>

	post := func(withToken bool) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "https://api.example.com/api/token/refresh/", strings.NewReader("{}"))
		r.Header.Set("Origin", "https://app.example.com")
		r.Header.Set("Cookie", cookie)
		if withToken {
			r.Header.Set("X-CSRFToken", token)
		}
		return r
	}
	fmt.Println("with the token:", p.Check(post(true)))

	if err := p.Check(post(false)); err != nil {
		detail, _ := csrf.Detail(err)
		body, _ := json.Marshal(map[string]string{"detail": detail})
		fmt.Println(http.StatusForbidden, string(body))
	}
	// Output:
	// with the token: <nil>
	// 403 {"detail":"CSRF Failed: CSRF token missing."}
}

// CheckCrossOrigin needs no token: a page on another port of the same site posting with the
// user's cookies is refused from the browser's own Sec-Fetch-Site header.
func ExampleProtection_CheckCrossOrigin() {
	p, err := csrf.New(csrf.Config{TrustedOrigins: []string{"http://127.0.0.1:3000"}})
	if err != nil {
		panic(err)
	}
	for _, origin := range []string{"http://127.0.0.1:3000", "http://127.0.0.1:9999"} {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8000/api/token/refresh/", nil)
		r.Header.Set("Sec-Fetch-Site", "same-site")
		r.Header.Set("Origin", origin)
		fmt.Println(origin, p.CheckCrossOrigin(r))
	}
	// Output:
	// http://127.0.0.1:3000 <nil>
	// http://127.0.0.1:9999 csrf: Origin checking failed - http://127.0.0.1:9999 does not match any trusted origins.
}

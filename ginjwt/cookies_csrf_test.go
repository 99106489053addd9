package ginjwt_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// csrfFailed is DRF's 403 body of a CSRF failure.
func csrfFailed(reason string) string {
	b, _ := json.Marshal(map[string]string{"detail": "CSRF Failed: " + reason})
	return string(b)
}

// TestCookieCSRF: every CSRF failure case with its status and body, and the requests that
// pass, for Auth (POST /api/me/ by cookie), refresh, logout and login, under USE_CSRF,
// ENFORCE_CSRF_ON_UNAUTHENTICATED and neither. Requests go to http://example.com (https:// where
// the URL says so); CSRF_TRUSTED_ORIGINS is https://app.example.com and https://*.trusted.example.
func TestCookieCSRF(t *testing.T) {
	type tc struct {
		name    string
		mode    string // "csrf" (USE_CSRF), "enforce" (ENFORCE_CSRF_ON_UNAUTHENTICATED), "off"
		method  string
		url     string
		body    string
		headers []string // $JAR: the login's cookies with the CSRF cookie; $TOKEN: a masked token; $SECRET: the cookie's secret
		status  int
		want    string // the body, for failures
	}
	const me, refresh, logout, login = "http://example.com/api/me/", "http://example.com/api/token/refresh/", "http://example.com/api/token/blacklist/", "http://example.com/api/token/"
	const sme = "https://example.com/api/me/"
	cases := []tc{
		// Auth by cookie, USE_CSRF: Django's reasons.
		{"auth: no CSRF cookie", "csrf", "POST", me, "", []string{"Cookie: access=$ACCESS"}, 403, csrfFailed("CSRF cookie not set.")},
		{"auth: no token", "csrf", "POST", me, "", []string{"$JAR"}, 403, csrfFailed("CSRF token missing.")},
		{"auth: token of bad length", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: abc"}, 403, csrfFailed("CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.")},
		{"auth: token of bad characters", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: " + strings.Repeat("!", 64)}, 403, csrfFailed("CSRF token from the 'X-Csrftoken' HTTP header has invalid characters.")},
		{"auth: wrong token", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: " + strings.Repeat("a", 64)}, 403, csrfFailed("CSRF token from the 'X-Csrftoken' HTTP header incorrect.")},
		{"auth: CSRF cookie of bad length", "csrf", "POST", me, "", []string{"Cookie: access=$ACCESS; csrftoken=short", "X-CSRFToken: $TOKEN"}, 403, csrfFailed("CSRF cookie has incorrect length.")},
		{"auth: CSRF cookie of bad characters", "csrf", "POST", me, "", []string{"Cookie: access=$ACCESS; csrftoken=" + strings.Repeat("!", 32), "X-CSRFToken: $TOKEN"}, 403, csrfFailed("CSRF cookie has invalid characters.")},
		{"auth: untrusted Origin", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Origin: https://evil.example"}, 403, csrfFailed("Origin checking failed - https://evil.example does not match any trusted origins.")},
		{"auth: Origin of another port", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Origin: http://example.com:9000"}, 403, csrfFailed("Origin checking failed - http://example.com:9000 does not match any trusted origins.")},
		{"auth: null Origin", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Origin: null"}, 403, csrfFailed("Origin checking failed - null does not match any trusted origins.")},
		{"auth: HTTPS without Referer", "csrf", "POST", sme, "", []string{"$JAR", "X-CSRFToken: $TOKEN"}, 403, csrfFailed("Referer checking failed - no Referer.")},
		{"auth: HTTPS with untrusted Referer", "csrf", "POST", sme, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Referer: https://evil.example/page"}, 403, csrfFailed("Referer checking failed - https://evil.example/page does not match any trusted origins.")},
		{"auth: HTTPS with insecure Referer", "csrf", "POST", sme, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Referer: http://example.com/"}, 403, csrfFailed("Referer checking failed - Referer is insecure while host is secure.")},
		{"auth: HTTPS with malformed Referer", "csrf", "POST", sme, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Referer: nonsense"}, 403, csrfFailed("Referer checking failed - Referer is malformed.")},
		{"auth: Sec-Fetch-Site cross-site, no Origin", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Sec-Fetch-Site: cross-site"}, 403, csrfFailed("Cross-origin request detected from Sec-Fetch-Site header.")},
		{"auth: Sec-Fetch-Site same-site (another port)", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Sec-Fetch-Site: same-site", "Origin: http://example.com:9000"}, 403, csrfFailed("Origin checking failed - http://example.com:9000 does not match any trusted origins.")},
		// Auth by cookie, USE_CSRF: what passes.
		{"auth: masked token", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN"}, 200, ""},
		{"auth: the bare secret", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $SECRET"}, 200, ""},
		{"auth: same origin, Sec-Fetch-Site same-origin", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Origin: http://example.com", "Sec-Fetch-Site: same-origin"}, 200, ""},
		{"auth: trusted Origin, cross-site", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Origin: https://app.example.com", "Sec-Fetch-Site: cross-site"}, 200, ""},
		{"auth: wildcard-trusted Origin", "csrf", "POST", me, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Origin: https://a.trusted.example", "Sec-Fetch-Site: cross-site"}, 200, ""},
		{"auth: HTTPS, trusted Referer", "csrf", "POST", sme, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Referer: https://app.example.com/x"}, 200, ""},
		{"auth: HTTPS, own Referer", "csrf", "POST", sme, "", []string{"$JAR", "X-CSRFToken: $TOKEN", "Referer: https://example.com/x"}, 200, ""},
		{"auth: GET needs no token", "csrf", "GET", me, "", []string{"$JAR", "Sec-Fetch-Site: cross-site"}, 204, ""},
		{"auth: no cookie, no header: anonymous, no check", "csrf", "POST", me, "", nil, 401, `{"detail":"Authentication credentials were not provided."}`},
		// Refresh and logout by cookie are checked; by body they are not.
		{"refresh by cookie: no token", "csrf", "POST", refresh, `{}`, []string{"$JAR"}, 403, csrfFailed("CSRF token missing.")},
		{"refresh by cookie: cross-site", "csrf", "POST", refresh, `{}`, []string{"$JAR", "X-CSRFToken: $TOKEN", "Sec-Fetch-Site: cross-site"}, 403, csrfFailed("Cross-origin request detected from Sec-Fetch-Site header.")},
		{"refresh by cookie: with token", "csrf", "POST", refresh, `{}`, []string{"$JAR", "X-CSRFToken: $TOKEN"}, 200, ""},
		{"refresh by cookie: the form field csrfmiddlewaretoken", "csrf", "POST", refresh, `csrfmiddlewaretoken=$TOKEN`, []string{"$JAR", "Content-Type: application/x-www-form-urlencoded"}, 200, ""},
		{"logout by cookie: a wrong form field", "csrf", "POST", logout, `csrfmiddlewaretoken=` + strings.Repeat("a", 64), []string{"$JAR", "Content-Type: application/x-www-form-urlencoded"}, 403, csrfFailed("CSRF token from POST incorrect.")},
		{"refresh by body: no check", "csrf", "POST", refresh, `{"refresh":"$REFRESH"}`, nil, 200, ""},
		{"logout by cookie: no token (cookies kept)", "csrf", "POST", logout, `{}`, []string{"$JAR"}, 403, csrfFailed("CSRF token missing.")},
		{"logout by cookie: with token", "csrf", "POST", logout, `{}`, []string{"$JAR", "X-CSRFToken: $TOKEN"}, 200, ""},
		{"login: cross-site", "csrf", "POST", login, aliceLogin, []string{"Sec-Fetch-Site: cross-site", "Origin: https://evil.example"}, 403, csrfFailed("Origin checking failed - https://evil.example does not match any trusted origins.")},
		{"login: no token needed without ENFORCE", "csrf", "POST", login, aliceLogin, nil, 200, ""},
		// ENFORCE_CSRF_ON_UNAUTHENTICATED: every header-less unsafe request, login included.
		{"enforce: login without CSRF cookie", "enforce", "POST", login, aliceLogin, nil, 403, csrfFailed("CSRF cookie not set.")},
		{"enforce: login with token", "enforce", "POST", login, aliceLogin, []string{"Cookie: csrftoken=$SECRET", "X-CSRFToken: $TOKEN"}, 200, ""},
		{"enforce: anonymous POST", "enforce", "POST", me, "", []string{"Cookie: csrftoken=$SECRET"}, 403, csrfFailed("CSRF token missing.")},
		{"enforce: refresh by body", "enforce", "POST", refresh, `{"refresh":"$REFRESH"}`, nil, 403, csrfFailed("CSRF cookie not set.")},
		{"enforce: header needs no token", "enforce", "POST", me, "", []string{"Authorization: Bearer $ACCESS"}, 200, ""},
		// Neither: dj-rest-auth leaves cookies to SameSite; the token-free layer still refuses
		// what the browser marks cross-origin.
		{"off: cookie POST without token", "off", "POST", me, "", []string{"$JAR"}, 200, ""},
		{"off: cookie POST cross-site", "off", "POST", me, "", []string{"$JAR", "Sec-Fetch-Site: cross-site"}, 403, csrfFailed("Cross-origin request detected from Sec-Fetch-Site header.")},
		{"off: refresh by cookie from another port", "off", "POST", refresh, `{}`, []string{"$JAR", "Sec-Fetch-Site: same-site", "Origin: http://example.com:9000"}, 403, csrfFailed("Origin checking failed - http://example.com:9000 does not match any trusted origins.")},
	}
	counts := map[string]int{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc := cookieService(t, func(s *cookies.Settings) {
				s.UseCSRF = c.mode == "csrf"
				s.EnforceCSRFOnUnauthenticated = c.mode == "enforce"
				s.CSRF.TrustedOrigins = []string{"https://app.example.com", "https://*.trusted.example"}
			})
			var tokens = map[string]string{}
			// Log in with the header-less flow allowed (a token from GET /csrf/ for ENFORCE).
			grant := svc.call("GET", "/api/token/csrf/", "")
			var csrfBody map[string]string
			_ = json.Unmarshal(grant.Body.Bytes(), &csrfBody)
			secret := cookieValue(grant, "csrftoken")
			loginHeaders := []string{}
			if c.mode == "enforce" {
				loginHeaders = []string{"Cookie: csrftoken=" + secret, "X-CSRFToken: " + csrfBody["csrftoken"]}
			}
			lg := svc.call("POST", "/api/token/", aliceLogin, loginHeaders...)
			if lg.Code != 200 {
				t.Fatalf("login: %d %s", lg.Code, lg.Body)
			}
			var pair map[string]string
			_ = json.Unmarshal(lg.Body.Bytes(), &pair)
			if s := cookieValue(lg, "csrftoken"); s != "" {
				secret = s // login rotates the CSRF secret
			}
			if c.mode == "off" {
				secret = strings.Repeat("a", 32)
			}
			tokens["$ACCESS"], tokens["$REFRESH"], tokens["$SECRET"] = pair["access"], cookieValue(lg, "refresh"), secret
			tokens["$TOKEN"] = maskForTest(secret)
			tokens["$JAR"] = "Cookie: access=" + pair["access"] + "; refresh=" + cookieValue(lg, "refresh") + "; csrftoken=" + secret
			expand := func(s string) string {
				for k, v := range tokens {
					s = strings.ReplaceAll(s, k, v)
				}
				return s
			}
			var hs []string
			for _, h := range c.headers {
				hs = append(hs, expand(h))
			}
			w := svc.call(c.method, c.url, expand(c.body), hs...)
			if w.Code != c.status || (c.want != "" && w.Body.String() != c.want) {
				t.Errorf("%d %s, want %d %s", w.Code, w.Body, c.status, c.want)
			}
			if w.Code == http.StatusForbidden {
				counts[c.mode]++
				if w.Header().Get("Set-Cookie") != "" || w.Header().Get("WWW-Authenticate") != "" {
					t.Errorf("a CSRF failure sets no cookie and asks for no credentials: %q", w.Header())
				}
				if strings.Contains(w.Body.String(), tokens["$ACCESS"]) || strings.Contains(w.Body.String(), secret) {
					t.Error("a cookie value in the error body")
				}
			}
		})
	}
	t.Logf("CSRF failure cases: %d (USE_CSRF %d, ENFORCE %d, off %d); passing cases: %d",
		counts["csrf"]+counts["enforce"]+counts["off"], counts["csrf"], counts["enforce"], counts["off"],
		len(cases)-counts["csrf"]-counts["enforce"]-counts["off"])
}

// maskForTest masks a secret as Django's _mask_cipher_secret does, with a fixed mask.
func maskForTest(secret string) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	mask := strings.Repeat("Zq", 16)
	out := []byte(mask)
	for i := range secret {
		x := strings.IndexByte(chars, secret[i]) + strings.IndexByte(chars, mask[i])
		out = append(out, chars[x%len(chars)])
	}
	return string(out)
}

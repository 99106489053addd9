package cookies

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// Lifetimes are the SIMPLE_JWT lifetimes that become the cookies' Max-Age.
type Lifetimes struct {
	Access         time.Duration // ACCESS_TOKEN_LIFETIME: the access cookie
	Refresh        time.Duration // REFRESH_TOKEN_LIFETIME: the refresh cookie
	SlidingRefresh time.Duration // SLIDING_TOKEN_REFRESH_LIFETIME: a sliding token in the access cookie
}

// msgNoRefresh is CookieTokenRefreshSerializer's InvalidToken detail.
const msgNoRefresh = "No valid refresh token found."

// Transport is dj-rest-auth's JWT cookies (jwt_auth.py) as a views.Transport, with Django's
// CSRF check (package csrf) and the token-free cross-origin layer. It is safe for concurrent
// use. A nil *Transport is "no cookies": every method is then a no-op.
type Transport struct {
	s        Settings
	sameSite http.SameSite
	life     Lifetimes
	now      func() time.Time
	protect  *csrf.Protection
}

// New checks s and returns its transport; nil (and no error) when no cookie name is set.
// now is the clock of the cookies' Expires and the expiration fields (time.Now when nil).
func New(s Settings, life Lifetimes, now func() time.Time) (*Transport, error) {
	if !s.Enabled() {
		return nil, s.Validate()
	}
	s = s.WithDefaults()
	mode, err := s.compile()
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	cfg := s.CSRF
	if cfg.Now == nil {
		cfg.Now = now
	}
	p, err := csrf.New(cfg)
	if err != nil {
		return nil, err
	}
	return &Transport{s: s, sameSite: mode, life: life, now: now, protect: p}, nil
}

// Settings returns the settings in force, defaults filled in.
func (t *Transport) Settings() Settings { return t.s }

// CSRF returns Django's CSRF protection when it is in use (Settings.CSRFInUse), else nil.
func (t *Transport) CSRF() *csrf.Protection {
	if t == nil || !t.s.CSRFInUse() {
		return nil
	}
	return t.protect
}

// unsafe reports a method that CSRF protection covers (anything but GET, HEAD, OPTIONS, TRACE).
func unsafe(r *http.Request) bool { return !csrf.SafeMethod(r.Method) }

// guard is the CSRF decision of a request whose credentials may come from a cookie:
// fromCookie when they do. The token-free layer (Sec-Fetch-Site, Origin) runs for every
// request carrying cookie credentials and for logins (whose answer sets cookies); Django's
// token check runs with USE_CSRF for cookie credentials and, with
// ENFORCE_CSRF_ON_UNAUTHENTICATED, for every header-less unsafe request.
func (t *Transport) guard(r *http.Request, fromCookie, login bool) error {
	if !unsafe(r) {
		return nil
	}
	if fromCookie || login {
		if err := t.protect.CheckCrossOrigin(r); err != nil {
			return forbidden(err)
		}
	}
	if (fromCookie && t.s.UseCSRF) || t.s.EnforceCSRFOnUnauthenticated {
		if err := t.protect.Check(r); err != nil {
			return forbidden(err)
		}
	}
	return nil
}

// forbidden is DRF's PermissionDenied for a CSRF failure: 403 {"detail": "CSRF Failed: …"}.
// The detail names the origin, the Referer or a header name, never a cookie or token value.
func forbidden(err error) error {
	detail, _ := csrf.Detail(err)
	return &views.APIError{Status: http.StatusForbidden, Detail: detail}
}

// Source is JWTCookieAuthentication.authenticate without the header: Auth calls it when the
// request has no Authorization header. It returns the access cookie's token ("" when absent),
// or DRF's 403 when the CSRF check fails (see guard).
func (t *Transport) Source(r *http.Request) (string, error) {
	if t == nil || t.s.Cookie == "" {
		return "", nil
	}
	raw, ok := cookie(r.Header, t.s.Cookie)
	if err := t.guard(r, ok && raw != "", false); err != nil {
		return "", err
	}
	return raw, nil
}

// cookie is request.COOKIES.get(name) for the token cookies, without allocating: the last
// cookie of that name, surrounding spaces trimmed ("" and false when absent).
func cookie(h http.Header, name string) (string, bool) {
	var value string
	found := false
	for _, line := range h["Cookie"] {
		for line != "" {
			var chunk string
			chunk, line, _ = strings.Cut(line, ";")
			k, v, ok := strings.Cut(chunk, "=")
			if ok && strings.TrimSpace(k) == name {
				value, found = strings.Trim(strings.TrimSpace(v), `"`), true
			}
		}
	}
	return value, found
}

// bodyToken is data[key] when it is a non-empty string.
func bodyToken(data *pyjson.Object, key string) bool {
	v, ok := data.Get(key)
	if !ok {
		return false
	}
	s, isString := v.(string)
	return !isString || s != "" // a non-string is the serializer's to refuse
}

// Request is views.Transport.Request: the refresh token of refresh and logout from the body
// when non-empty, else from the refresh cookie (then CSRF-checked); a refresh without either
// is 401 "No valid refresh token found."; a logout without either answers 200 {} (and the
// cookies are cleared by Response).
func (t *Transport) Request(_ http.ResponseWriter, r *http.Request, e views.EndpointName, data *pyjson.Object) (*pyjson.Object, error) {
	if t == nil {
		return nil, nil
	}
	switch e {
	case views.TokenObtainPair, views.TokenObtainSliding:
		return nil, t.guard(r, false, true)
	case views.TokenRefresh, views.TokenBlacklist:
		return t.fromCookie(r, e, data, "refresh", t.s.RefreshCookie)
	case views.TokenRefreshSliding:
		return t.fromCookie(r, e, data, "token", t.s.Cookie)
	default:
		return nil, t.guard(r, false, false)
	}
}

func (t *Transport) fromCookie(r *http.Request, e views.EndpointName, data *pyjson.Object, field, name string) (*pyjson.Object, error) {
	if bodyToken(data, field) {
		return nil, t.guard(r, false, false)
	}
	raw, ok := "", false
	if name != "" {
		raw, ok = cookie(r.Header, name)
	}
	if !ok || raw == "" {
		if err := t.guard(r, false, false); err != nil {
			return nil, err
		}
		if e == views.TokenBlacklist {
			return pyjson.NewObject(), nil
		}
		return nil, tokens.InvalidToken(msgNoRefresh, nil)
	}
	if err := t.guard(r, true, false); err != nil {
		return nil, err
	}
	data.Set(field, raw)
	return nil, nil
}

// OptionalFields is views.OptionalFields: the body fields that a cookie can supply (refresh of
// refresh and logout with a refresh cookie, token of sliding refresh with an access cookie).
func (t *Transport) OptionalFields(e views.EndpointName) []string {
	switch {
	case t == nil:
		return nil
	case (e == views.TokenRefresh || e == views.TokenBlacklist) && t.s.RefreshCookie != "":
		return []string{"refresh"}
	case e == views.TokenRefreshSliding && t.s.Cookie != "":
		return []string{"token"}
	}
	return nil
}

// Response is views.Transport.Response: set_jwt_cookies and the body changes of dj-rest-auth's
// LoginView and RefreshViewWithCookieSupport on a 200; unset_jwt_cookies on every logout answer.
func (t *Transport) Response(w http.ResponseWriter, r *http.Request, e views.EndpointName, body *pyjson.Object, err error) *pyjson.Object {
	if t == nil {
		return body
	}
	if e == views.TokenBlacklist {
		t.unset(w)
		return body
	}
	if err != nil || body == nil {
		return body
	}
	now := t.now()
	switch e {
	case views.TokenObtainPair:
		access, refresh := str(body, "access"), str(body, "refresh")
		t.set(w, t.s.Cookie, access, "/", t.life.Access, now)
		t.set(w, t.s.RefreshCookie, refresh, t.s.RefreshCookiePath, t.life.Refresh, now)
		if t.hideRefresh() && body.Has("refresh") {
			body.Set("refresh", "")
		}
		if t.s.ReturnExpiration {
			body.Set("access_expiration", isoformat(now.Add(t.life.Access)))
			body.Set("refresh_expiration", isoformat(now.Add(t.life.Refresh)))
		}
		if p := t.CSRF(); p != nil {
			p.Rotate(w) // django.contrib.auth.login rotates the CSRF secret
		}
	case views.TokenObtainSliding:
		t.set(w, t.s.Cookie, str(body, "token"), "/", t.life.SlidingRefresh, now)
		if t.s.Cookie != "" && t.s.HTTPOnly() && body.Has("token") {
			body.Set("token", "")
		}
		if p := t.CSRF(); p != nil {
			p.Rotate(w)
		}
	case views.TokenRefresh:
		if body.Has("access") {
			t.set(w, t.s.Cookie, str(body, "access"), "/", t.life.Access, now)
			body.Set("access_expiration", isoformat(now.Add(t.life.Access)))
		}
		if body.Has("refresh") {
			t.set(w, t.s.RefreshCookie, str(body, "refresh"), t.s.RefreshCookiePath, t.life.Refresh, now)
			if t.hideRefresh() {
				body.Set("refresh", "")
			}
			body.Set("refresh_expiration", isoformat(now.Add(t.life.Refresh)))
		}
	case views.TokenRefreshSliding:
		t.set(w, t.s.Cookie, str(body, "token"), "/", t.life.SlidingRefresh, now)
		if t.s.Cookie != "" && t.s.HTTPOnly() && body.Has("token") {
			body.Set("token", "")
		}
	}
	return body
}

// hideRefresh: the body's refresh token is blanked when it travels in an HttpOnly cookie
// (dj-rest-auth blanks it whenever JWT_AUTH_HTTPONLY, even without a refresh cookie, which
// leaves the client with no refresh token at all).
func (t *Transport) hideRefresh() bool { return t.s.RefreshCookie != "" && t.s.HTTPOnly() }

func str(body *pyjson.Object, key string) string {
	v, _ := body.Get(key)
	s, _ := v.(string)
	return s
}

// set is HttpResponse.set_cookie(name, value, expires=now+life, secure, httponly, samesite,
// path, domain): Django turns the expiry into Max-Age (whole seconds) and Expires.
func (t *Transport) set(w http.ResponseWriter, name, value, path string, life time.Duration, now time.Time) {
	if name == "" || value == "" {
		return
	}
	c := &http.Cookie{
		Name: name, Value: value, Path: path, Domain: t.s.Domain,
		MaxAge:   int(life / time.Second),
		Expires:  now.Add(life).UTC(),
		Secure:   t.s.Secure,
		HttpOnly: t.s.HTTPOnly(),
		SameSite: t.sameSite,
	}
	if c.MaxAge <= 0 {
		c.MaxAge = -1
	}
	w.Header().Add("Set-Cookie", c.String())
}

// unset is unset_jwt_cookies: HttpResponse.delete_cookie of both cookies, with their path,
// domain and SameSite (Max-Age=0, Expires in 1970, empty value).
func (t *Transport) unset(w http.ResponseWriter) {
	for _, c := range []struct{ name, path string }{{t.s.Cookie, "/"}, {t.s.RefreshCookie, t.s.RefreshCookiePath}} {
		if c.name == "" {
			continue
		}
		d := &http.Cookie{
			Name: c.name, Path: c.path, Domain: t.s.Domain, MaxAge: -1,
			Expires:  time.Unix(0, 0).UTC(),
			Secure:   t.s.Secure || t.sameSite == http.SameSiteNoneMode,
			SameSite: t.sameSite,
		}
		w.Header().Add("Set-Cookie", d.String())
	}
}

// isoformat is how DRF renders an aware UTC datetime (dj-rest-auth's *_expiration fields):
// Python's isoformat, microseconds when not zero, "+00:00" written "Z".
func isoformat(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s + "Z"
}

// CSRFView is GET /api/token/csrf/ (views.TokenCSRF): Django's get_token with
// ensure_csrf_cookie, 200 {"csrftoken": "<masked token>"} and the CSRF cookie (Vary: Cookie,
// Cache-Control: no-store). Register it only when CSRF() is not nil.
func (t *Transport) CSRFView() gin.HandlerFunc {
	e, _ := views.CookieEndpointByName(views.TokenCSRF)
	rd := &views.Renderer{Allow: e.Allow, NoStore: true}
	return func(c *gin.Context) {
		p := t.CSRF()
		if p == nil {
			rd.Error(c, &views.APIError{Status: http.StatusNotFound, Detail: "Not found."})
			return
		}
		rd.JSON(c, http.StatusOK, pyjson.NewObject().Set("csrftoken", p.Token(c.Writer, c.Request)))
	}
}

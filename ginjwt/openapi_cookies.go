package ginjwt

import (
	"slices"
	"strings"

	"github.com/gin-simplejwt/simplejwt/views"
)

// This file is the OpenAPI description of the cookie transport (Settings.Cookies): the token
// cookies each endpoint reads and sets, the CSRF cookie and header, the 403 of a CSRF failure,
// and the body fields a cookie makes optional or adds (dj-rest-auth's *_expiration).

// cookieOperation adds the cookie transport to the POST of a token endpoint: the cookie that can
// carry its token, the CSRF cookie and header, the 403 CSRF failure, and Set-Cookie on 200.
func (j *JWT) cookieOperation(e views.Endpoint, post, responses map[string]any) {
	if j.cookies == nil {
		return
	}
	s := j.cookies.Settings()
	var params []any
	cookieParam := func(name, what string) {
		params = append(params, map[string]any{"name": name, "in": "cookie", "required": false,
			"description": what, "schema": map[string]any{"type": "string"}})
	}
	optional := j.cookies.OptionalFields(e.Name)
	switch {
	case slices.Contains(optional, "refresh"):
		cookieParam(s.RefreshCookie, "The refresh token (JWT_AUTH_REFRESH_COOKIE), used when the body's refresh is absent or empty.")
	case slices.Contains(optional, "token"):
		cookieParam(s.Cookie, "The sliding token (JWT_AUTH_COOKIE), used when the body's token is absent or empty.")
	}
	if len(cookieOptional(e.Name)) > 0 {
		post["requestBody"].(map[string]any)["required"] = false // a body-less refresh or logout is answered too
	}
	login := e.Name == views.TokenObtainPair || e.Name == views.TokenObtainSliding
	if login || len(optional) > 0 || s.EnforceCSRFOnUnauthenticated {
		responses["403"] = ref("responses", "CSRFFailed")
		params = append(params, j.csrfParameters()...)
	}
	if len(params) > 0 {
		post["parameters"] = params
	}
	csrfCookie := j.cookies.CSRF() != nil
	var sets bool
	switch e.Name {
	case views.TokenObtainPair:
		sets = s.Cookie != "" || s.RefreshCookie != "" || csrfCookie
	case views.TokenObtainSliding:
		sets = s.Cookie != "" || csrfCookie
	case views.TokenRefresh:
		sets = s.Cookie != "" || (j.settings.RotateRefreshTokens && s.RefreshCookie != "")
	case views.TokenRefreshSliding:
		sets = s.Cookie != ""
	case views.TokenBlacklist:
		sets = true
		post["description"] = e.Description + "\n\nWith cookies: the refresh token comes from the body or the refresh cookie; every answer but a CSRF 403 or an unreadable body clears both token cookies (Max-Age=0), and a logout without any token answers 200 {}."
	}
	if sets {
		ok := responses["200"].(map[string]any)
		ok["headers"].(map[string]any)["Set-Cookie"] = map[string]any{
			"description": "The token cookies (HttpOnly, JWT_AUTH_SAMESITE, JWT_AUTH_SECURE, JWT_AUTH_COOKIE_DOMAIN; Max-Age the token's lifetime, 0 to clear them on logout) and, on login with CSRF in use, a new CSRF cookie.",
			"schema":      map[string]any{"type": "string"},
		}
	}
}

// csrfParameters are the CSRF cookie and header of an unsafe request authenticated by a cookie
// (nil without CSRF in use): Django's CsrfViewMiddleware wants both, the header carrying the
// secret or its masked form (or the form field csrfmiddlewaretoken instead).
func (j *JWT) csrfParameters() []any {
	if j.cookies == nil || j.cookies.CSRF() == nil {
		return nil
	}
	cfg := j.cookies.CSRF().Config()
	return []any{
		map[string]any{"name": cfg.CookieName, "in": "cookie", "required": false,
			"description": "The CSRF secret (32 characters), set by GET /csrf/ and by login.",
			"schema":      map[string]any{"type": "string"}},
		map[string]any{"name": csrfHeader(cfg.HeaderName), "in": "header", "required": false,
			"description": "The CSRF secret or its 64-character masked form (GET /csrf/'s csrftoken); without it, 403 CSRF Failed.",
			"schema":      map[string]any{"type": "string"}},
	}
}

// csrfHeader turns Django's META name of CSRF_HEADER_NAME ("HTTP_X_CSRFTOKEN") into the HTTP
// header ("X-Csrftoken").
func csrfHeader(meta string) string {
	parts := strings.Split(strings.TrimPrefix(meta, "HTTP_"), "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
	}
	return strings.Join(parts, "-")
}

// cookieOptional are the body fields the cookie transport answers for itself when they are
// missing or empty, whichever cookies are named: it reads them from their cookie, else refresh
// answers 401 "No valid refresh token found." and logout 200 {} (never DRF's 400 "This field
// is required.").
func cookieOptional(e views.EndpointName) []string {
	switch e {
	case views.TokenRefresh, views.TokenBlacklist:
		return []string{"refresh"}
	case views.TokenRefreshSliding:
		return []string{"token"}
	}
	return nil
}

// cookieSchemas changes an endpoint's request and response properties for the cookie
// transport: a field a cookie can supply is no longer required, and the expirations
// dj-rest-auth adds are in the response.
func (j *JWT) cookieSchemas(e views.Endpoint, reqRequired []string, respProps map[string]any, respRequired []string) ([]string, []string) {
	if j.cookies == nil {
		return reqRequired, respRequired
	}
	optional := cookieOptional(e.Name)
	reqRequired = slices.DeleteFunc(reqRequired, func(name string) bool { return slices.Contains(optional, name) })
	expiration := func(name string) {
		respProps[name] = map[string]any{"type": "string", "format": "date-time",
			"description": "When the token expires (dj-rest-auth's JWT_AUTH_RETURN_EXPIRATION), ISO 8601 UTC."}
		respRequired = append(respRequired, name)
	}
	switch e.Name {
	case views.TokenObtainPair:
		if j.cookies.Settings().ReturnExpiration {
			expiration("access_expiration")
			expiration("refresh_expiration")
		}
	case views.TokenRefresh:
		expiration("access_expiration")
		if j.settings.RotateRefreshTokens {
			expiration("refresh_expiration")
		}
	}
	return reqRequired, respRequired
}

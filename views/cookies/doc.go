// Package cookies is dj-rest-auth's JWT cookie transport (dj_rest_auth/jwt_auth.py) for the
// token views: tokens in HttpOnly cookies for browser apps, with Django's CSRF check (package
// views/csrf) and a token-free cross-origin layer. ginjwt builds it from Settings.Cookies; the
// views ask it (views.Transport) and never know a cookie's name.
//
// Where each dj-rest-auth piece lives:
//
//	REST_AUTH's JWT_AUTH_* keys, Django's CSRF_* keys, their environment   settings.go
//	set_jwt_cookies, unset_jwt_cookies, CookieTokenRefreshSerializer,
//	LoginView's and RefreshViewWithCookieSupport's body changes,
//	JWTCookieAuthentication.authenticate and enforce_csrf                 transport.go
//
// # Beyond dj-rest-auth
//
//   - Refresh and logout taking their token from a cookie are CSRF-checked like Auth (dj-rest-auth
//     leaves them to SameSite, which does not separate two ports or two subdomains of a site).
//   - csrf.CheckCrossOrigin (Sec-Fetch-Site and Origin, CSRF_TRUSTED_ORIGINS honoured) refuses
//     cross-origin unsafe requests carrying cookie credentials, and cross-origin logins, even
//     without JWT_AUTH_COOKIE_USE_CSRF. Requests without those headers (not from a browser) pass.
//   - Login rotates the CSRF secret, as django.contrib.auth.login does.
//   - A logout without any token answers 200 {} and clears the cookies; a logout whose token is
//     refused clears them too (a CSRF failure clears nothing).
//   - The body's refresh token is blanked under JWT_AUTH_HTTPONLY only when a refresh cookie
//     carries it; a sliding token in the access cookie is blanked in the body too.
//   - The access cookie is found in the Cookie header without parsing every cookie, so Auth by
//     cookie costs no more than by header.
package cookies

// Package csrf is Django's CSRF protection for net/http: the check of CsrfViewMiddleware
// (django/middleware/csrf.py, Django 4.1 to 6.x) as DRF's SessionAuthentication and
// dj-rest-auth's JWTCookieAuthentication enforce it, the csrftoken cookie and its masked tokens,
// and a token-free layer on Go's http.CrossOriginProtection. It imports the standard library
// only, so a cookie transport (or any handler) can use it.
//
//	p, err := csrf.New(csrf.Config{TrustedOrigins: []string{"https://app.example.com"}})
//	…
//	token := p.Token(w, r)           // GET: sets the csrftoken cookie, returns a masked token
//	if err := p.Check(r); err != nil { // unsafe method: Origin/Referer, cookie, X-CSRFToken
//		detail, _ := csrf.Detail(err)  // "CSRF Failed: CSRF token missing."
//		… 403 {"detail": detail}
//	}
//
// # Where each Django piece lives
//
//	CSRF_* settings, USE_X_FORWARDED_*, SECURE_PROXY_SSL_HEADER   Config (config.go)
//	CSRF_TRUSTED_ORIGINS, _origin_verified, system check 4_0.E001 origins.go
//	REASON_* texts, RejectRequest, DRF's "CSRF Failed: %s"         errors.go
//	_get_new_csrf_string, _mask_cipher_secret, _unmask_cipher_token,
//	_check_token_format, _does_token_match                        token.go
//	process_view, _check_referer, _check_token, get_token,
//	rotate_token                                                  csrf.go
//	request.COOKIES (parse_cookie), _set_csrf_cookie               cookie.go
//	request.POST["csrfmiddlewaretoken"]                            form.go
//	is_secure, get_host, get_port                                  request.go
//	urllib.parse.urlsplit, is_same_domain                          urlsplit.go
//	Python's view of header and body text                          pychars.go
//	the token-free layer (net/http's CrossOriginProtection)         crossorigin.go
//
// # Tokens
//
// The cookie holds a 32-character secret of [a-zA-Z0-9]. A token is that secret masked: a
// fresh 32-character mask followed by the secret shifted by it, 64 characters, different in
// every response. Check accepts in the header or form field either the masked token or the
// bare secret (what a single-page app reads from the cookie), and a legacy 64-character masked
// cookie (Django before 4.1, this Django 3.2 included); Token replaces such a cookie by its
// secret. Tokens minted by Django are accepted here and the other way round: the interop test
// drives Django's own CsrfViewMiddleware.
//
// # Django 3.2 (Debian 12's python3-django) against the newest Django
//
// The checks follow the newest Django. Django 3.2 differs in ways that matter when a Go
// service and an old Django share cookies:
//
//   - 3.2 does not check Origin at all (added in 4.0).
//   - 3.2's CSRF_TRUSTED_ORIGINS are hosts ("app.example.com", ".example.com"), used for the
//     Referer only; from 4.0 they are origins with a scheme ("https://app.example.com",
//     "https://*.example.com"), and an entry without one fails system check 4_0.E001.
//   - 3.2 has one reason for every token problem, "CSRF token missing or incorrect."; 4.1+
//     says which: "CSRF token missing.", "CSRF token from the 'X-Csrftoken' HTTP header has
//     incorrect length.", "… has invalid characters.", "… incorrect.", "CSRF cookie has
//     incorrect length.", and so on. 3.2 silently replaces a malformed cookie (and then
//     rejects the token as incorrect).
//   - 3.2 stores the masked token in the cookie; 4.1+ stores the secret and reads both.
//   - 3.2 takes the port for the cookie-domain Referer rule from the server socket; newer
//     Django takes it from the Host header, and rejects a port outside 1..65535.
//   - 3.2 answers a Referer that urlsplit cannot parse ("https://[::1/") with a 500; newer
//     Django says "Referer checking failed - Referer is malformed.".
//   - 3.2 reads the form field only when the media type is written in lower case, and
//     compares the whole SECURE_PROXY_SSL_HEADER value ("https, http" is not https); newer
//     Django lower-cases the type and takes the first comma-separated value.
//
// # Differences from Django, by choice
//
//   - ALLOWED_HOSTS has no counterpart: any valid Host is the request's own host, as with
//     ALLOWED_HOSTS = ["*"] (a forged request's Host is the target's; a browser cannot change
//     it). A Host that is not a valid domain or IP literal, or a bad port, is treated as
//     Django treats DisallowedHost in these checks (no own origin; "Referer checking failed -
//     … does not match any trusted origins."), where Django sometimes answers 400 instead.
//   - Config.Validate rejects CSRF_TRUSTED_ORIGINS entries that Django accepts and never
//     matches: a path or trailing slash, a user name, upper case, a "*" that is not a leading
//     "*.", characters an Origin header never has; and CSRF_COOKIE_SAMESITE = "None" without
//     CSRF_COOKIE_SECURE, which browsers drop.
//   - A form body larger than MaxFormBytes (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MiB) is
//     not searched for csrfmiddlewaretoken and left whole for the handler; Django answers 400.
//     Multipart bodies are read with mime/multipart: Django's base64 parts are not decoded.
//     DATA_UPLOAD_MAX_NUMBER_FIELDS is not enforced.
//   - Methods are compared as sent: Django upper-cases them, so "post" is checked here but its
//     form field is not read (the header must carry the token).
//   - The Set-Cookie header is written by net/http (attribute order and a Domain's leading dot
//     differ from Django's; browsers read both the same).
//   - CSRF_USE_SESSIONS and CSRF_FAILURE_VIEW have no counterpart: the secret lives in the
//     cookie, and the caller renders the failure.
//
// # The token-free layer
//
// CheckCrossOrigin refuses unsafe requests that the browser itself marks as cross-origin
// (Sec-Fetch-Site: cross-site or same-site, or an Origin that is not the request's own when
// Sec-Fetch-Site is absent), unless the origin is trusted. It is Go's
// http.CrossOriginProtection with CSRF_TRUSTED_ORIGINS added (wildcards too). Django has no
// such check yet; it closes the gap that SameSite leaves between two ports or two subdomains
// of one site, and it needs no token.
package csrf

package locale

// Message is one message a client can see in a response body: its msgid (which is also its
// English text, a str.format template where it has fields) and the upstream catalog that
// translates it.
type Message struct {
	// ID is the msgid.
	ID string
	// Source is the catalog that translates it; Untranslated when upstream does not mark it for
	// translation, so it stays English in every language.
	Source Source
	// Where names the Go code that sends it today.
	Where string
	// Upstream says how upstream builds the client's text from the msgid.
	Upstream string
}

// Messages returns the table of the messages a client can see, found by reading the Go code of
// ginjwt, serializers, views and the example: each with its catalog. For each the tests check
// that its source catalog has it (or that no catalog has it, for the untranslated ones).
func Messages() []Message { return append([]Message(nil), messages[:]...) }

var messages = [...]Message{
	// simplejwt: authentication.py.
	{ID: "Authorization header must contain two space-delimited values", Source: SimpleJWT, Where: "tokens.Msg* (ginjwt authentication)", Upstream: "AuthenticationFailed(_(…), code=\"bad_authorization_header\")"},
	{ID: "Given token not valid for any token type", Source: SimpleJWT, Where: "tokens.Msg* (ginjwt authentication)", Upstream: "InvalidToken({\"detail\": _(…), \"messages\": …})"},
	{ID: "Token contained no recognizable user identification", Source: SimpleJWT, Where: "tokens.Msg* (ginjwt authentication)", Upstream: "InvalidToken(_(…))"},
	{ID: "User not found", Source: SimpleJWT, Where: "tokens.Msg* (ginjwt authentication)", Upstream: "AuthenticationFailed(_(…), code=\"user_not_found\")"},
	{ID: "User is inactive", Source: SimpleJWT, Where: "tokens.Msg* (ginjwt authentication)", Upstream: "AuthenticationFailed(_(…), code=\"user_inactive\")"},
	{ID: "The user's password has been changed.", Source: SimpleJWT, Where: "tokens.MsgPasswordChanged (ginjwt authentication, serializers)", Upstream: "AuthenticationFailed(_(…), code=\"password_changed\")"},
	// simplejwt: tokens.py and backends.py, rendered by the views and the authentication as
	// "detail" and as each "messages" entry's "message".
	{ID: "Token is invalid", Source: SimpleJWT, Where: "tokens.ErrTokenInvalid", Upstream: "TokenError(_(…))"},
	{ID: "Token is expired", Source: SimpleJWT, Where: "tokens.ErrTokenExpired", Upstream: "ExpiredTokenError(_(…))"},
	{ID: "Token has no id", Source: SimpleJWT, Where: "tokens.ErrNoID", Upstream: "TokenError(_(…))"},
	{ID: "Token has no type", Source: SimpleJWT, Where: "tokens.ErrNoType", Upstream: "TokenError(_(…))"},
	{ID: "Token has wrong type", Source: SimpleJWT, Where: "tokens.ErrWrongType", Upstream: "TokenError(_(…))"},
	{ID: "Token is blacklisted", Source: SimpleJWT, Where: "tokens.MsgBlacklisted (tokens.ErrBlacklisted, serializers)", Upstream: "TokenError(_(…)); ValidationError(_(…)) in TokenVerifySerializer"},
	{ID: "Token has no '{}' claim", Source: SimpleJWT, Where: "tokens.msgClaimMissing (claim checks)", Upstream: "TokenError(format_lazy(_(…), claim))"},
	{ID: "Token '{}' claim has expired", Source: SimpleJWT, Where: "tokens.msgClaimExpired (claim checks)", Upstream: "TokenError(format_lazy(_(…), claim))"},
	{ID: "Cannot create token with no type or lifetime", Source: SimpleJWT, Where: "tokens.msgNoTypeOrLifetime (Token construction)", Upstream: "TokenError(_(…))"},
	// simplejwt: serializers.py (DRF's AuthenticationFailed: no code in the body).
	{ID: "No active account found with the given credentials", Source: SimpleJWT, Where: "tokens.MsgNoActiveAccount (serializers)", Upstream: "default_error_messages[\"no_active_account\"] = _(…)"},
	{ID: "No active account found for the given token.", Source: SimpleJWT, Where: "tokens.MsgNoActiveAccountToken (serializers)", Upstream: "AuthenticationFailed(self.error_messages[\"no_active_account\"])"},

	// DRF: fields.py (CharField) and validators.py.
	{ID: "This field is required.", Source: DRF, Where: "serializers.MsgRequired", Upstream: "Field.default_error_messages[\"required\"]; Django's catalog translates the same msgid for the languages DRF's does not"},
	{ID: "This field may not be null.", Source: DRF, Where: "serializers.MsgNull", Upstream: "Field.default_error_messages[\"null\"]"},
	{ID: "This field may not be blank.", Source: DRF, Where: "serializers.MsgBlank", Upstream: "CharField.default_error_messages[\"blank\"]"},
	{ID: "Not a valid string.", Source: DRF, Where: "serializers.MsgInvalidString", Upstream: "CharField.default_error_messages[\"invalid\"]"},
	{ID: "Ensure this field has no more than {max_length} characters.", Source: DRF, Where: "serializers.MsgMaxLength", Upstream: "lazy_format(_(…), max_length=n), then Django's MaxLengthValidator message % params"},
	{ID: "Surrogate characters are not allowed: U+{code_point:X}.", Source: DRF, Where: "serializers.MsgSurrogate", Upstream: "ProhibitSurrogateCharactersValidator: _(…).format(code_point=ord(c))"},
	// Django: validators.py, used by DRF's CharField.
	{ID: "Null characters are not allowed.", Source: Django, Where: "serializers.MsgNullChars", Upstream: "django.core.validators.ProhibitNullCharactersValidator, then message % params"},
	// DRF: exceptions.py and serializers.py, rendered by the views.
	{ID: "Authentication credentials were not provided.", Source: DRF, Where: "views.ErrNotAuthenticated", Upstream: "NotAuthenticated.default_detail"},
	{ID: "You do not have permission to perform this action.", Source: DRF, Where: "views.ErrPermissionDenied", Upstream: "PermissionDenied.default_detail"},
	{ID: "A server error occurred.", Source: DRF, Where: "views.ErrServer", Upstream: "APIException.default_detail"},
	{ID: "Malformed request.", Source: DRF, Where: "views (ParseBody)", Upstream: "ParseError.default_detail"},
	{ID: "Invalid data. Expected a dictionary, but got {datatype}.", Source: DRF, Where: "views (parseJSON)", Upstream: "Serializer.default_error_messages[\"invalid\"].format(datatype=type(data).__name__)"},
	{ID: `Method "{method}" not allowed.`, Source: DRF, Where: "views.MethodNotAllowedError", Upstream: "force_str(MethodNotAllowed.default_detail).format(method=method)"},
	{ID: `Unsupported media type "{media_type}" in request.`, Source: DRF, Where: "views.UnsupportedMediaType", Upstream: "force_str(UnsupportedMediaType.default_detail).format(media_type=media_type)"},
	{ID: "Not found.", Source: DRF, Where: "example (404 handler)", Upstream: "NotFound.default_detail (Http404 in DRF's exception handler)"},
	// DRF: Throttled, for the throttling middleware.
	{ID: "Request was throttled.", Source: DRF, Where: "views.throttledDetail (throttle.Throttled)", Upstream: "Throttled.default_detail"},
	{ID: "Expected available in {wait} second.", Source: DRF, Where: "views.throttledDetail (throttle.Throttled)", Upstream: "Throttled: default_detail + \" \" + ngettext(_(singular).format(wait=w), _(plural).format(wait=w), w), w = ceil(wait): the translated singular when w == 1, the plural otherwise, in every language"},
	{ID: "Expected available in {wait} seconds.", Source: DRF, Where: "views.throttledDetail (throttle.Throttled)", Upstream: "see \"Expected available in {wait} second.\""},

	// Untranslated upstream: plain strings.
	{ID: "No data provided", Source: Untranslated, Where: "views (parseJSON)", Upstream: "Serializer.errors: ErrorDetail('No data provided', code='null')"},
	{ID: "JSON parse error - {detail}", Source: Untranslated, Where: "views (parseJSON; the detail is Python's json error text)", Upstream: "JSONParser: ParseError('JSON parse error - %s' % str(exc))"},
	{ID: "Multipart form parse error - {detail}", Source: Untranslated, Where: "views (parseMultipart)", Upstream: "MultiPartParser: ParseError('Multipart form parse error - %s' % str(exc))"},
	{ID: "CSRF Failed: {reason}", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "SessionAuthentication.enforce_csrf: PermissionDenied('CSRF Failed: %s' % reason)"},
	{ID: "Origin checking failed - {origin} does not match any trusted origins.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_BAD_ORIGIN % origin"},
	{ID: "Referer checking failed - no Referer.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_NO_REFERER"},
	{ID: "Referer checking failed - {referer} does not match any trusted origins.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_BAD_REFERER % referer"},
	{ID: "Referer checking failed - Referer is malformed.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_MALFORMED_REFERER"},
	{ID: "Referer checking failed - Referer is insecure while host is secure.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_INSECURE_REFERER"},
	{ID: "CSRF cookie not set.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_NO_CSRF_COOKIE"},
	{ID: "CSRF token missing.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "django.middleware.csrf.REASON_CSRF_TOKEN_MISSING"},
	{ID: "CSRF cookie {reason}.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "CsrfViewMiddleware._check_token: f\"CSRF cookie {exc.reason}.\" (\"has incorrect length\", \"has invalid characters\")"},
	{ID: "CSRF token from {source} {reason}.", Source: Untranslated, Where: "views/csrf (Reason*, Error.Detail)", Upstream: "CsrfViewMiddleware._bad_token_message: source \"POST\" or \"the 'X-Csrftoken' HTTP header\", reason \"incorrect\", \"has incorrect length\" or \"has invalid characters\""},
	// Untranslated: the port's own answers, which DRF does not have.
	{ID: "Request body too large.", Source: Untranslated, Where: "views.ErrBodyTooLarge", Upstream: "none (Django answers an HTML 400 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE)"},
	{ID: "Service temporarily unavailable.", Source: Untranslated, Where: "views.ErrUnavailable", Upstream: "none (Django has no outage answer)"},
}

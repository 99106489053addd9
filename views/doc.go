// Package views is simplejwt's views.py and the parts of DRF's APIView it relies on: body
// parsing, content negotiation of errors, OPTIONS metadata and 405s, with DRF's bytes and
// headers. ginjwt.RegisterRoutes mounts these views; ginjwt's middleware renders its errors
// through the same Renderer, so that every 401 of a service looks the same.
//
// # Endpoints
//
// Routes returns the six endpoints (obtain pair "/", "/refresh/", "/verify/", "/blacklist/",
// "/sliding/", "/sliding/refresh/"), each a View around a serializers.Serializer; Register adds
// them to a gin router or group with POST, OPTIONS and 405s:
//
//	views.Register(router.Group("/api/token"), views.Routes(env, views.RouteOptions{})...)
//
// Like simplejwt's TokenViewBase, the views take no authentication: an expired Authorization
// header never blocks a refresh.
//
// # Responses
//
// Every response is application/json with Vary: Accept and Allow: POST, OPTIONS (DRF sends both
// on every APIView response); POST responses also carry Cache-Control: no-store. Errors go
// through Renderer.Error, the one place where errors become HTTP:
//
//	*tokens.TokenError               401 {"detail":"Token is invalid","code":"token_not_valid"}
//	*tokens.AuthenticationFailed     401 {"detail":…,"code":…,"messages":[…]}
//	ErrNotAuthenticated              401 {"detail":"Authentication credentials were not provided."}
//	*serializers.ValidationError     400 {"username":["This field is required."]}
//	ParseError                       400 {"detail":"JSON parse error - Expecting value: line 1 column 1 (char 0)"}
//	UnsupportedMediaType             415 {"detail":"Unsupported media type \"text/plain\" in request."}
//	*throttle.Throttled              429 {"detail":"Request was throttled. Expected available in 59 seconds."}, Retry-After: 59
//	MethodNotAllowedError            405 {"detail":"Method \"GET\" not allowed."}
//	*http.MaxBytesError              413 {"detail":"Request body too large."}
//	models.ErrUnavailable, deadline  503 {"detail":"Service temporarily unavailable."}, Retry-After: 5
//	anything else                    500 {"detail":"A server error occurred."}, cause logged only
//
// Every 401 carries WWW-Authenticate: '<AUTH_HEADER_TYPES[0]> realm="api"'.
//
// # Parsing
//
// ParseBody follows DRF's JSONParser, FormParser and MultiPartParser (see its documentation).
// A malformed JSON body gets Python's own error text: the JSON parser is pyjson.Loads, which
// reproduces CPython's json scanner and codec errors.
//
// # Differences from DRF, by choice
//
//   - Bodies are capped (DefaultMaxBodyBytes, 64 KiB) with a JSON 413; Django answers an HTML
//     400 above 2.5 MB.
//   - JSON nested deeper than 500 levels is a 400 with Python's RecursionError text; DRF lets
//     the RecursionError through as a 500.
//   - Errors are always rendered as JSON: the Accept header is not negotiated (DRF would render
//     its browsable API for Accept: text/html, and "; indent=4" would indent the JSON).
//     OPTIONS still lists text/html among "renders", byte for byte as DRF.
//   - A request without Content-Type and with a body is 415 'Unsupported media type "" in
//     request.', DRF's own answer; Django's development server would have made the type
//     text/plain first.
//   - Charsets other than utf-8, ascii and latin-1 (and their aliases) are read as UTF-8;
//     Python would decode utf-16, cp1252 and the like.
//   - Panics become the fixed 500 JSON body, with the stack logged (Recovery).
package views

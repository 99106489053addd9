package ginjwt

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// This file is the OpenAPI 3.1 document of an instance: the token endpoints it registered (the
// endpoint table, each serializer's Fields, the settings that change the wire) and the
// protected routes the caller describes. It gets right what drf-spectacular gets wrong for
// simplejwt (#246, #954): the request and the response are separate schemas (obtain answers
// {refresh, access} with 200, not its input fields with 201), and every error the views can
// give is described with DRF's body.

// OpenAPIRoute describes a route of your own for the document: a view behind Auth (or
// AuthStateless) and IsAuthenticated, answered with 200 and a JSON body.
type OpenAPIRoute struct {
	// Method is the HTTP method ("GET").
	Method string
	// Path is the full path ("/api/me/").
	Path string
	// OperationID, Summary and Description document the operation.
	OperationID, Summary, Description string
	// Response is the JSON Schema of the 200 body (nil: any JSON).
	Response map[string]any
	// Public marks a route without authentication: no security requirement, no 401.
	Public bool
}

// registeredRoutes remembers the token endpoints RegisterRoutes added, and where.
type registeredRoutes struct {
	mu     sync.Mutex
	groups []registeredGroup
}

type registeredGroup struct {
	base  string
	names []views.EndpointName
}

// record notes that RegisterRoutes put names (nil: all) on r.
func (rr *registeredRoutes) record(r gin.IRoutes, names []views.EndpointName) {
	base := ""
	if g, ok := r.(interface{ BasePath() string }); ok {
		base = g.BasePath()
	}
	if names == nil {
		names = views.AllEndpoints()
	}
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.groups = append(rr.groups, registeredGroup{base: strings.TrimSuffix(base, "/"), names: slices.Clone(names)})
}

func (rr *registeredRoutes) snapshot() []registeredGroup {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return slices.Clone(rr.groups)
}

// OpenAPI returns the OpenAPI 3.1 document of the token endpoints RegisterRoutes added to
// this instance so far (by their full paths), and of routes, as JSON values (json.Marshal it).
//
// For each token endpoint: POST with its request schema (the serializer's Fields that are not
// read-only; JSON, form and multipart bodies, as DRF parses them), its 200 response schema (the
// endpoint's fields, plus "refresh" on the refresh endpoint with ROTATE_REFRESH_TOKENS, plus
// the serializer's read-only Fields; open to more fields when an obtain serializer has a
// Response hook), and its errors with DRF's bodies: 400 (field errors, or a parse error's
// detail), 401 (detail, code, messages), 405 (with Allow), 413, 415, 500 and 503 (with
// Retry-After); and OPTIONS with DRF's metadata. routes are described as protected by the
// bearerAuth security scheme (AUTH_HEADER_TYPES and AUTH_HEADER_NAME), with 401, 403, 405
// and 503. With Settings.Throttle, every operation also lists DRF's 429 with Retry-After.
func (j *JWT) OpenAPI(routes ...OpenAPIRoute) map[string]any {
	paths := map[string]any{}
	for _, g := range j.registered.snapshot() {
		for _, e := range views.Endpoints() {
			if slices.Contains(g.names, e.Name) {
				paths[g.base+e.Path] = j.endpointPathItem(e)
			}
		}
		for _, e := range views.SessionEndpoints() {
			if slices.Contains(g.names, e.Name) {
				paths[g.base+openAPIPath(e.Path)] = j.sessionPathItem(e)
			}
		}
		if j.cookies.CSRF() == nil {
			continue
		}
		for _, e := range views.CookieEndpoints() {
			if slices.Contains(g.names, e.Name) {
				paths[g.base+e.Path] = cookiePathItem(e, j.cookies.CSRF().Config().CookieName)
			}
		}
	}
	for _, rt := range routes {
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = j.routeOperation(rt)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Token authentication (djangorestframework-simplejwt)",
			"version":     "1",
			"description": "JSON Web Token endpoints compatible with djangorestframework-simplejwt.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas":         j.openAPISchemas(),
			"responses":       j.openAPIErrorResponses(),
			"securitySchemes": j.securitySchemes(),
		},
	}
}

// securitySchemes are bearerAuth and, with an access cookie, cookieAuth.
func (j *JWT) securitySchemes() map[string]any {
	out := map[string]any{"bearerAuth": j.securityScheme()}
	if name := j.accessCookie(); name != "" {
		out["cookieAuth"] = map[string]any{"type": "apiKey", "in": "cookie", "name": name,
			"description": "The access token in the HttpOnly cookie JWT_AUTH_COOKIE, read when there is no Authorization header; unsafe requests then pass Django's CSRF check with JWT_AUTH_COOKIE_USE_CSRF."}
	}
	return out
}

// security is the requirement of a protected operation: bearerAuth, or cookieAuth.
func (j *JWT) security() []any {
	out := []any{map[string]any{"bearerAuth": []any{}}}
	if j.accessCookie() != "" {
		out = append(out, map[string]any{"cookieAuth": []any{}})
	}
	return out
}

// accessCookie is JWT_AUTH_COOKIE, "" without cookies.
func (j *JWT) accessCookie() string {
	if j.cookies == nil {
		return ""
	}
	return j.cookies.Settings().Cookie
}

// openAPIPath turns gin's ":id" into OpenAPI's "{id}".
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if name, ok := strings.CutPrefix(part, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// OpenAPIHandler serves OpenAPI(routes...) as JSON (drf-spectacular serves it at
// /api/schema/); mounted on HEAD too, it answers the headers without the body. The document
// is built on the first request, when every route is registered, and kept.
func (j *JWT) OpenAPIHandler(routes ...OpenAPIRoute) gin.HandlerFunc {
	var once sync.Once
	var body []byte
	return func(c *gin.Context) {
		once.Do(func() { body, _ = json.Marshal(j.OpenAPI(routes...)) })
		if c.Request.Method == http.MethodHead {
			c.Header("Content-Type", "application/json")
			c.Header("Content-Length", strconv.Itoa(len(body)))
			c.Status(http.StatusOK)
			return
		}
		c.Data(http.StatusOK, "application/json", body)
	}
}

// securityScheme is bearerAuth: HTTP bearer when tokens come as "Authorization: Bearer …",
// else an API key in AUTH_HEADER_NAME whose value is "<AUTH_HEADER_TYPES[0]> <token>".
func (j *JWT) securityScheme() map[string]any {
	s := j.settings
	header, scheme := s.HeaderName(), s.AuthHeaderTypes[0]
	if header == "Authorization" && scheme == "Bearer" {
		return map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
	}
	return map[string]any{"type": "apiKey", "in": "header", "name": header,
		"description": "`" + scheme + " <token>`; accepted schemes: " + strings.Join(s.AuthHeaderTypes, ", ")}
}

func ref(kind, name string) map[string]any {
	return map[string]any{"$ref": "#/components/" + kind + "/" + name}
}

func schemaName(e views.Endpoint, suffix string) string {
	return strings.ReplaceAll(e.View, " ", "") + suffix
}

// serializer returns the serializer in force for e.
func (j *JWT) serializer(e views.Endpoint) serializers.Serializer {
	if s := j.settings.Serializers[e.Name]; s != nil {
		return s
	}
	return e.Serializer()
}

// cookiePathItem is GET of a route of the cookie transport (GET /csrf/): the masked token in
// the body, the CSRF cookie in Set-Cookie.
func cookiePathItem(e views.CookieEndpoint, cookieName string) map[string]any {
	schema := map[string]any{
		"type":                 "object",
		"required":             []string{"csrftoken"},
		"additionalProperties": false,
		"properties": map[string]any{"csrftoken": map[string]any{
			"type": "string", "minLength": 64, "maxLength": 64, "pattern": "^[a-zA-Z0-9]{64}$",
			"description": "The masked CSRF token, for the X-CSRFToken header of the next unsafe request.",
		}},
	}
	head := map[string]any{
		"operationId": string(e.Name) + "_head",
		"summary":     "GET without the body.",
		"tags":        []string{"token"},
		"security":    []any{},
		"responses": map[string]any{
			"200": map[string]any{"description": "OK", "headers": map[string]any{"Cache-Control": headerSchema("no-store")}},
			"405": ref("responses", "MethodNotAllowed"),
		},
	}
	return map[string]any{
		"head": head,
		"get": map[string]any{
			"operationId": string(e.Name),
			"summary":     e.Summary,
			"description": e.Description,
			"tags":        []string{"token"},
			"security":    []any{},
			"responses": map[string]any{
				"200": map[string]any{
					"description": "OK",
					"headers": map[string]any{
						"Cache-Control": headerSchema("no-store"),
						"Set-Cookie": map[string]any{
							"description": "The " + cookieName + " cookie: the 32-character CSRF secret.",
							"schema":      map[string]any{"type": "string"},
						},
					},
					"content": jsonContent(schema),
				},
				"405": ref("responses", "MethodNotAllowed"),
			},
		},
	}
}

// endpointPathItem is POST and OPTIONS of a token endpoint.
func (j *JWT) endpointPathItem(e views.Endpoint) map[string]any {
	body := map[string]any{}
	for _, mt := range views.Parses() {
		body[mt] = map[string]any{"schema": ref("schemas", schemaName(e, "Request"))}
	}
	responses := map[string]any{
		"200": map[string]any{
			"description": "OK",
			"headers":     map[string]any{"Cache-Control": headerSchema("no-store")},
			"content":     jsonContent(ref("schemas", schemaName(e, "Response"))),
		},
		"400": ref("responses", "ValidationError"),
		"401": ref("responses", "AuthenticationFailed"),
		"405": ref("responses", "MethodNotAllowed"),
		"413": ref("responses", "PayloadTooLarge"),
		"415": ref("responses", "UnsupportedMediaType"),
		"500": ref("responses", "ServerError"),
		"503": ref("responses", "ServiceUnavailable"),
	}
	j.throttled(responses)
	post := map[string]any{
		"operationId": string(e.Name),
		"summary":     e.Summary,
		"description": e.Description,
		"tags":        []string{"token"},
		"security":    []any{},
		"requestBody": map[string]any{"required": true, "content": body},
		"responses":   responses,
	}
	j.cookieOperation(e, post, responses)
	return map[string]any{
		"post": post,
		"options": map[string]any{
			"operationId": string(e.Name) + "_options",
			"summary":     "DRF's metadata of the view (SimpleMetadata).",
			"tags":        []string{"token"},
			"security":    []any{},
			"responses": map[string]any{
				"200": map[string]any{"description": "OK", "content": jsonContent(ref("schemas", "Metadata"))},
			},
		},
	}
}

// routeOperation is the operation of a route of the caller's.
func (j *JWT) routeOperation(rt OpenAPIRoute) map[string]any {
	resp := rt.Response
	if resp == nil {
		resp = map[string]any{}
	}
	responses := map[string]any{
		"200": map[string]any{"description": "OK", "content": jsonContent(resp)},
		"405": ref("responses", "MethodNotAllowed"),
		"500": ref("responses", "ServerError"),
		"503": ref("responses", "ServiceUnavailable"),
	}
	j.throttled(responses)
	op := map[string]any{"responses": responses}
	if rt.Public {
		op["security"] = []any{}
	} else {
		op["security"] = j.security()
		responses["401"] = ref("responses", "AuthenticationFailed")
		responses["403"] = ref("responses", "PermissionDenied")
		if !csrf.SafeMethod(rt.Method) {
			if params := j.csrfParameters(); params != nil {
				op["parameters"] = params
			}
		}
	}
	for k, v := range map[string]string{"operationId": rt.OperationID, "summary": rt.Summary, "description": rt.Description} {
		if v != "" {
			op[k] = v
		}
	}
	return op
}

func jsonContent(schema map[string]any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

func headerSchema(example string) map[string]any {
	return map[string]any{"schema": map[string]any{"type": "string", "examples": []string{example}}}
}

// fieldSchema maps DRF's metadata type of a field to a JSON Schema.
func fieldSchema(f serializers.Field) map[string]any {
	s := map[string]any{}
	switch t := f.DisplayType(); t {
	case "string", "email", "url", "slug", "regex", "choice":
		s["type"] = "string"
	case "integer":
		s["type"] = "integer"
	case "float", "decimal":
		s["type"] = "number"
	case "boolean":
		s["type"] = "boolean"
	case "list":
		s["type"] = "array"
	case "nested object":
		s["type"] = "object"
	}
	s["title"] = f.DisplayLabel()
	if f.WriteOnly {
		s["writeOnly"] = true
	}
	return s
}

// openAPISchemas are the request and response schemas of every endpoint in the table (whether
// registered or not: the document stays one shape), and DRF's error bodies.
func (j *JWT) openAPISchemas() map[string]any {
	schemas := map[string]any{
		"Detail": map[string]any{
			"type": "object", "required": []string{"detail"}, "additionalProperties": false,
			"properties": map[string]any{"detail": map[string]any{"type": "string"}},
		},
		"FieldErrors": map[string]any{
			"description":          "DRF's validation errors: the messages of each field (non_field_errors for the serializer's own).",
			"type":                 "object",
			"minProperties":        1,
			"additionalProperties": map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
		},
		"AuthenticationFailed": map[string]any{
			"type": "object", "required": []string{"detail"}, "additionalProperties": false,
			"properties": map[string]any{
				"detail": map[string]any{"type": "string"},
				"code":   map[string]any{"type": "string", "examples": []string{"token_not_valid", "user_not_found", "user_inactive"}},
				"messages": map[string]any{"type": "array", "items": map[string]any{
					"type": "object", "required": []string{"token_class", "token_type", "message"}, "additionalProperties": false,
					"properties": map[string]any{
						"token_class": map[string]any{"type": "string"},
						"token_type":  map[string]any{"type": "string"},
						"message":     map[string]any{"type": "string"},
					},
				}},
			},
		},
		"Metadata": map[string]any{
			"type": "object", "required": []string{"name", "description", "renders", "parses"},
			"properties": map[string]any{
				"name":        map[string]any{"type": "string"},
				"description": map[string]any{"type": "string"},
				"renders":     map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
				"parses":      map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
				"actions":     map[string]any{"type": "object"},
			},
		},
	}
	if j.sessions != nil {
		schemas["Session"] = sessionSchema()
	}
	for _, e := range views.Endpoints() {
		s := j.serializer(e)
		fields := s.Fields(j.env)
		reqProps, respProps := map[string]any{}, map[string]any{}
		reqRequired, respRequired := []string{}, []string{}
		for _, f := range fields {
			if f.ReadOnly {
				continue
			}
			reqProps[f.Name] = fieldSchema(f)
			if f.Required {
				reqRequired = append(reqRequired, f.Name)
			}
		}
		respFields := slices.Clone(e.Response)
		if e.Name == views.TokenRefresh && j.settings.RotateRefreshTokens {
			respFields = append(respFields, "refresh")
		}
		for _, name := range respFields {
			respProps[name] = map[string]any{"type": "string", "description": "A JSON Web Token."}
			respRequired = append(respRequired, name)
		}
		for _, f := range fields {
			if f.ReadOnly {
				if _, ok := respProps[f.Name]; !ok {
					respProps[f.Name] = fieldSchema(f)
					respRequired = append(respRequired, f.Name)
				}
			}
		}
		reqRequired, respRequired = j.cookieSchemas(e, reqRequired, respProps, respRequired)
		schemas[schemaName(e, "Request")] = map[string]any{
			"type": "object", "properties": reqProps, "required": reqRequired,
		}
		schemas[schemaName(e, "Response")] = map[string]any{
			"type": "object", "properties": respProps, "required": respRequired,
			"additionalProperties": hasResponseHook(s),
		}
	}
	return schemas
}

// hasResponseHook reports an obtain serializer whose Response hook may add fields the
// document cannot know.
func hasResponseHook(s serializers.Serializer) bool {
	switch s := s.(type) {
	case *serializers.TokenObtainPair:
		return s != nil && s.Response != nil
	case *serializers.TokenObtainSliding:
		return s != nil && s.Response != nil
	}
	return false
}

// openAPIErrorResponses are the error answers of DRF's exception handler, by status.
func (j *JWT) openAPIErrorResponses() map[string]any {
	detail := func(description string, headers map[string]any) map[string]any {
		r := map[string]any{"description": description, "content": jsonContent(ref("schemas", "Detail"))}
		if headers != nil {
			r["headers"] = headers
		}
		return r
	}
	out := map[string]any{
		"ValidationError": map[string]any{
			"description": "Field errors, or the request body could not be parsed (detail).",
			"content": jsonContent(map[string]any{"anyOf": []any{
				ref("schemas", "FieldErrors"), ref("schemas", "Detail"),
			}}),
		},
		"AuthenticationFailed": map[string]any{
			"description": "Missing, invalid or expired credentials or token (simplejwt's InvalidToken / AuthenticationFailed).",
			"headers":     map[string]any{"WWW-Authenticate": headerSchema(`Bearer realm="api"`)},
			"content":     jsonContent(ref("schemas", "AuthenticationFailed")),
		},
		"PermissionDenied":     detail("The user may not do this.", nil),
		"MethodNotAllowed":     detail("The method is not allowed on this path.", map[string]any{"Allow": headerSchema(views.AllowPost)}),
		"PayloadTooLarge":      detail("The request body is too large.", nil),
		"UnsupportedMediaType": detail("The request's Content-Type is not parsed here.", nil),
		"ServerError":          detail("An unexpected error (logged, never described).", nil),
		"ServiceUnavailable":   detail("The database is unavailable or too slow; retry.", map[string]any{"Retry-After": headerSchema("5")}),
	}
	if j.cookies != nil {
		out["CSRFFailed"] = map[string]any{
			"description": "Django's CSRF check failed on a request whose credentials (or login) come by cookie: DRF's PermissionDenied with Django's reason.",
			"content": jsonContent(map[string]any{
				"type": "object", "required": []string{"detail"}, "additionalProperties": false,
				"properties": map[string]any{"detail": map[string]any{"type": "string", "pattern": "^CSRF Failed: ",
					"examples": []string{"CSRF Failed: CSRF token missing.", "CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins."}}},
			}),
		}
	}
	if j.limiter != nil {
		out["Throttled"] = detail("Over a throttle's rate (DRF's Throttled); Retry-After is the wait in seconds, absent when unknown.",
			map[string]any{"Retry-After": headerSchema("59")})
	}
	return out
}

// throttled adds the 429 of Settings.Throttle to responses: the obtain views apply it, and
// JWT.Limiter's middleware may sit on any route.
func (j *JWT) throttled(responses map[string]any) {
	if j.limiter != nil {
		responses["429"] = ref("responses", "Throttled")
	}
}

package ginjwt_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// meRoutes describe the protected views of the golden router (the reference project's
// /api/me/ and /api/me/stateless/) for the document.
var meRoutes = []ginjwt.OpenAPIRoute{
	{Method: "GET", Path: "/api/me/", OperationID: "me", Response: map[string]any{
		"type": "object", "required": []string{"id", "username"},
		"properties": map[string]any{"id": map[string]any{"type": "integer"}, "username": map[string]any{"type": "string"}},
	}},
	{Method: "GET", Path: "/api/me/stateless/", OperationID: "me_stateless", Response: map[string]any{
		"type": "object", "required": []string{"id"},
		"properties": map[string]any{"id": map[string]any{"type": "string"}, "username": map[string]any{"type": "string"}},
	}},
}

// loadOpenAPI marshals j's document, loads it with kin-openapi and validates it (OpenAPI 3.1:
// kin-openapi switches to its 3.1 rules, JSON Schema 2020-12, from the "openapi" field).
func loadOpenAPI(t testing.TB, j *ginjwt.JWT, routes ...ginjwt.OpenAPIRoute) *openapi3.T {
	t.Helper()
	raw, err := json.Marshal(j.OpenAPI(routes...))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document does not validate: %v\n%s", err, raw)
	}
	return doc
}

// openAPIChecker validates every request and response through a handler against the
// document: a response must be documented (status, headers' presence, body schema) for its
// operation; a request the document calls invalid must get a 4xx; a method the document does
// not list on a documented path must get DRF's 405. Paths outside the document (404s) are
// passed through unchecked and counted.
type openAPIChecker struct {
	t      testing.TB
	doc    *openapi3.T
	router routers.Router
	name   string

	validated, invalidRequests, notAllowed, outside int
	// unchecked are requests ("GET /api/me/") of routes the document cannot describe (a 204 of
	// a test router), passed through and counted outside.
	unchecked []string
}

// openAPIChecked wraps h (j's router) with a checker named name, which logs its counts when t
// ends. routes are the protected routes of h for the document (meRoutes when none).
func openAPIChecked(t testing.TB, j *ginjwt.JWT, h http.Handler, name string, routes ...ginjwt.OpenAPIRoute) (http.Handler, *openAPIChecker) {
	t.Helper()
	if len(routes) == 0 {
		routes = meRoutes
	}
	doc := loadOpenAPI(t, j, routes...)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := &openAPIChecker{t: t, doc: doc, router: router, name: name}
	t.Cleanup(func() {
		t.Logf("openapi[%s]: %d responses validated against the document (%d requests it calls invalid answered 4xx, %d undocumented methods answered DRF's 405 or 401); %d outside it",
			name, c.validated, c.invalidRequests, c.notAllowed, c.outside)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		check := r.Clone(r.Context())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		check.Body = io.NopCloser(bytes.NewReader(body))
		c.check(check, rec)
	}), c
}

func (c *openAPIChecker) check(req *http.Request, rec *httptest.ResponseRecorder) {
	t := c.t
	t.Helper()
	what := fmt.Sprintf("openapi[%s]: %s %s → %d %s", c.name, req.Method, req.URL.Path, rec.Code, rec.Body)
	if slices.Contains(c.unchecked, req.Method+" "+req.URL.Path) {
		c.outside++
		return
	}
	route, params, err := c.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrPathNotFound):
		c.outside++
		return
	case errors.Is(err, routers.ErrMethodNotAllowed):
		// DRF's 405 with Allow; on a protected view authentication comes first, so an
		// anonymous request is DRF's 401 instead.
		var v any
		ok := json.Unmarshal(rec.Body.Bytes(), &v) == nil && rec.Header().Get("Allow") != ""
		switch {
		case ok && rec.Code == http.StatusMethodNotAllowed:
			ok = c.doc.ValidateSchemaJSON(c.doc.Components.Schemas["Detail"].Value, v) == nil
		case ok && rec.Code == http.StatusUnauthorized && c.protected(req.URL.Path):
			ok = c.doc.ValidateSchemaJSON(c.doc.Components.Schemas["AuthenticationFailed"].Value, v) == nil &&
				rec.Header().Get("WWW-Authenticate") != ""
		default:
			ok = false
		}
		if !ok {
			t.Errorf("%s: a method the document does not list must be DRF's 405 with Allow (or its 401 on a protected view)", what)
			return
		}
		c.notAllowed++
		c.validated++
		return
	case err != nil:
		t.Errorf("%s: %v", what, err)
		return
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus:   true,
		SchemaValidationOptions: c.doc.GetSchemaValidationOptions(),
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if reqErr := openapi3filter.ValidateRequest(req.Context(), in); reqErr != nil {
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%s: the document calls the request invalid (%v), the server answered %d", what, reqErr, rec.Code)
		}
		c.invalidRequests++
	}
	if resp := route.Operation.Responses.Status(rec.Code); resp != nil {
		for name := range resp.Value.Headers {
			if rec.Header().Get(name) == "" {
				t.Errorf("%s: documented header %s missing", what, name)
			}
		}
	}
	if err := openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts,
	}); err != nil {
		t.Errorf("%s: the response does not match the document: %v", what, err)
		return
	}
	c.validated++
}

// protected reports whether the document's operations at path (a request's, matched against
// the templates: "/sessions/{id}/") require bearerAuth.
func (c *openAPIChecker) protected(path string) bool {
	var item *openapi3.PathItem
	segs := strings.Split(path, "/")
	for tmpl, it := range c.doc.Paths.Map() {
		t := strings.Split(tmpl, "/")
		match := len(t) == len(segs)
		for i := 0; match && i < len(t); i++ {
			match = strings.HasPrefix(t[i], "{") || t[i] == segs[i]
		}
		if match {
			item = it
		}
	}
	if item == nil {
		return false
	}
	for _, op := range item.Operations() {
		if op.Security != nil && len(*op.Security) > 0 {
			return true
		}
	}
	return false
}

// TestOpenAPIDocument: the document validates as OpenAPI 3.1; it describes the routes the
// instance registered (sliding ones only when mounted), separate request and response
// schemas (obtain: 200 {refresh, access}, never 201), the rotation's refresh, a custom
// serializer's fields, every DRF error response, and bearerAuth on protected routes.
func TestOpenAPIDocument(t *testing.T) {
	t.Run("all endpoints", func(t *testing.T) {
		j := newJWT(t, newUsers(), nil)
		j.RegisterRoutes(gin.New().Group("/api/token"), views.AllEndpoints()...)
		doc := loadOpenAPI(t, j, meRoutes...)
		var paths []string
		for p := range doc.Paths.Map() {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		want := []string{"/api/me/", "/api/me/stateless/", "/api/token/", "/api/token/blacklist/", "/api/token/refresh/", "/api/token/sliding/", "/api/token/sliding/refresh/", "/api/token/verify/"}
		if !slices.Equal(paths, want) {
			t.Errorf("paths %v, want %v", paths, want)
		}
		obtain := doc.Paths.Find("/api/token/").Post
		if obtain.Responses.Status(201) != nil || obtain.Responses.Status(200) == nil {
			t.Error("obtain must answer 200, not 201")
		}
		resp := obtain.Responses.Status(200).Value.Content["application/json"].Schema.Value
		req := obtain.RequestBody.Value.Content["application/json"].Schema.Value
		if got := slices.Sorted(mapKeys(resp.Properties)); !slices.Equal(got, []string{"access", "refresh"}) {
			t.Errorf("obtain response %v, want access, refresh", got)
		}
		if got := slices.Sorted(mapKeys(req.Properties)); !slices.Equal(got, []string{"password", "username"}) || !req.Properties["password"].Value.WriteOnly {
			t.Errorf("obtain request %v, want password (write-only), username", got)
		}
		for _, status := range []int{400, 401, 405, 413, 415, 500, 503} {
			if obtain.Responses.Status(status) == nil {
				t.Errorf("obtain: no %d response", status)
			}
		}
		refresh := doc.Paths.Find("/api/token/refresh/").Post.Responses.Status(200).Value.Content["application/json"].Schema.Value
		if got := slices.Sorted(mapKeys(refresh.Properties)); !slices.Equal(got, []string{"access"}) {
			t.Errorf("refresh response without rotation %v, want access", got)
		}
		me := doc.Paths.Find("/api/me/").Get
		if me.Security == nil || len(*me.Security) != 1 || (*me.Security)[0]["bearerAuth"] == nil || me.Responses.Status(401) == nil || me.Responses.Status(403) == nil {
			t.Errorf("protected route: security %v", me.Security)
		}
		if s := doc.Components.SecuritySchemes["bearerAuth"].Value; s.Type != "http" || s.Scheme != "bearer" || s.BearerFormat != "JWT" {
			t.Errorf("bearerAuth %+v", s)
		}
	})
	t.Run("rotation, some endpoints, custom serializer", func(t *testing.T) {
		j := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
			s.RotateRefreshTokens = true
			s.Serializers = map[views.EndpointName]serializers.Serializer{views.TokenObtainPair: otpSerializer{}}
		})
		j.RegisterRoutes(gin.New().Group("/auth"), views.TokenObtainPair, views.TokenRefresh)
		doc := loadOpenAPI(t, j)
		if got := len(doc.Paths.Map()); got != 2 || doc.Paths.Find("/auth/sliding/") != nil {
			t.Errorf("%d paths, want obtain and refresh only", got)
		}
		refresh := doc.Paths.Find("/auth/refresh/").Post.Responses.Status(200).Value.Content["application/json"].Schema.Value
		if got := slices.Sorted(mapKeys(refresh.Properties)); !slices.Equal(got, []string{"access", "refresh"}) {
			t.Errorf("refresh response with rotation %v, want access, refresh", got)
		}
		obtain := doc.Paths.Find("/auth/").Post
		req := obtain.RequestBody.Value.Content["application/json"].Schema.Value
		resp := obtain.Responses.Status(200).Value.Content["application/json"].Schema.Value
		if got := slices.Sorted(mapKeys(req.Properties)); !slices.Equal(got, []string{"otp", "password", "username"}) {
			t.Errorf("custom request %v", got)
		}
		if got := slices.Sorted(mapKeys(resp.Properties)); !slices.Equal(got, []string{"access", "refresh", "user_id"}) {
			t.Errorf("custom response %v", got)
		}
	})
	t.Run("the default routes", func(t *testing.T) {
		j := newJWT(t, newUsers(), nil) // no blacklist, no sliding class
		j.RegisterRoutes(gin.New().Group("/api/token"))
		doc := loadOpenAPI(t, j)
		var paths []string
		for p := range doc.Paths.Map() {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		if want := []string{"/api/token/", "/api/token/refresh/", "/api/token/verify/"}; !slices.Equal(paths, want) {
			t.Errorf("paths %v, want %v", paths, want)
		}
	})
	t.Run("another header", func(t *testing.T) {
		j := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
			s.AuthHeaderName, s.AuthHeaderTypes = "HTTP_X_ACCESS_TOKEN", []string{"JWT"}
		})
		doc := loadOpenAPI(t, j)
		if s := doc.Components.SecuritySchemes["bearerAuth"].Value; s.Type != "apiKey" || s.In != "header" || s.Name != "X-Access-Token" {
			t.Errorf("bearerAuth %+v", s)
		}
	})
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// otpSerializer is a custom TOKEN_OBTAIN_SERIALIZER with an extra input field and a
// read-only output field.
type otpSerializer struct{}

func (otpSerializer) Fields(env *serializers.Env) []serializers.Field {
	return []serializers.Field{
		{Name: env.Username(), Required: true, WriteOnly: true},
		{Name: "password", Required: true, WriteOnly: true},
		{Name: "otp", Required: true, WriteOnly: true, Label: "One-time code"},
		{Name: "user_id", ReadOnly: true, Type: "integer"},
	}
}

func (otpSerializer) Validate(context.Context, *serializers.Env, *http.Request, *pyjson.Object) (*pyjson.Object, error) {
	return nil, errors.New("not used")
}

// TestOpenAPIStateless runs the token endpoints of a stateless instance (no database, no
// blacklist) and a protected stateless route through the checker.
func TestOpenAPIStateless(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"), views.AllEndpoints()...)
	r.GET("/api/me/stateless/", j.AuthStateless(), j.IsAuthenticated(), func(c *gin.Context) {
		c.Data(200, "application/json", []byte(`{"id":"1"}`))
	})
	h, c := openAPIChecked(t, j, r, "stateless")
	post := func(path, ct, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	access := mint(t, j, tokens.AccessToken, "1", nil)
	pairBody := post("/api/token/", "application/json", `{"username":"x","password":"y"}`)
	for _, tt := range []struct {
		method, path, ct, body, auth string
	}{
		{"POST", "/api/token/", "application/json", `{}`, ""},
		{"POST", "/api/token/", "application/json", `{"username":"","password":"p"}`, ""},
		{"POST", "/api/token/", "application/json", `{"username":`, ""},
		{"POST", "/api/token/", "text/plain", `x`, ""},
		{"POST", "/api/token/", "application/x-www-form-urlencoded", `username=a&password=b`, ""},
		{"POST", "/api/token/verify/", "application/json", `{"token":"` + access + `"}`, ""},
		{"POST", "/api/token/verify/", "application/json", `{"token":"nope"}`, ""},
		{"POST", "/api/token/verify/", "application/json", `{"token":""}`, ""},
		{"POST", "/api/token/refresh/", "application/json", `{"refresh":"` + access + `"}`, ""},
		{"POST", "/api/token/refresh/", "application/json", `{}`, ""},
		{"POST", "/api/token/sliding/refresh/", "application/json", `{"token":"x"}`, ""},
		{"POST", "/api/token/blacklist/", "application/json", `{"refresh":"x"}`, ""},
		{"POST", "/api/token/", "application/json", strings.Repeat(" ", 2<<20), ""},
		{"GET", "/api/token/", "", "", ""},
		{"PUT", "/api/token/refresh/", "", "", ""},
		{"OPTIONS", "/api/token/", "", "", ""},
		{"GET", "/api/me/stateless/", "", "", "Bearer " + access},
		{"GET", "/api/me/stateless/", "", "", "Bearer nope"},
		{"GET", "/api/me/stateless/", "", "", ""},
	} {
		req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
		if tt.ct != "" {
			req.Header.Set("Content-Type", tt.ct)
		}
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	if pairBody.Code != 401 {
		t.Errorf("obtain with unknown user: %d", pairBody.Code)
	}
	if c.validated < 18 {
		t.Errorf("only %d responses validated", c.validated)
	}
}

// recordingTB records the checker's errors instead of failing.
type recordingTB struct {
	testing.TB
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Helper() {}

// TestOpenAPICheckerCatchesDrift: the checker fails on a wire that differs from the document:
// a 201, a missing response field, an undocumented status, a 200 to a request the document
// calls invalid, a non-DRF 405.
func TestOpenAPICheckerCatchesDrift(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	for _, tt := range []struct {
		name, method, path, body string
		status                   int
		answer                   string
	}{
		{"201 instead of 200", "POST", "/api/token/", `{"username":"a","password":"b"}`, 201, `{"refresh":"r","access":"a"}`},
		{"missing refresh", "POST", "/api/token/", `{"username":"a","password":"b"}`, 200, `{"access":"a"}`},
		{"extra field", "POST", "/api/token/", `{"username":"a","password":"b"}`, 200, `{"refresh":"r","access":"a","x":1}`},
		{"undocumented status", "POST", "/api/token/verify/", `{"token":"t"}`, 404, `{"detail":"Not found."}`},
		{"401 without detail", "POST", "/api/token/verify/", `{"token":"t"}`, 401, `{"code":"token_not_valid"}`},
		{"invalid request accepted", "POST", "/api/token/verify/", `{}`, 200, `{}`},
		{"405 not DRF's", "GET", "/api/token/verify/", ``, 405, `method not allowed`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := gin.New()
			fake.Handle(tt.method, tt.path, func(c *gin.Context) {
				c.Header("Allow", views.AllowPost)
				c.Header("WWW-Authenticate", `Bearer realm="api"`)
				c.Data(tt.status, "application/json", []byte(tt.answer))
			})
			rec := &recordingTB{TB: t}
			h, _ := openAPIChecked(rec, j, fake, "drift")
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
			if len(rec.errs) == 0 {
				t.Errorf("the checker accepted %d %s", tt.status, tt.answer)
			}
		})
	}
}

// TestOpenAPISliding runs the sliding flow (and the pair flow beside it) of a database
// instance that accepts sliding tokens, with rotation and the blacklist, through the checker.
func TestOpenAPISliding(t *testing.T) {
	svc := newDBService(t, "sqlite", func(s *ginjwt.Settings) {
		s.AuthTokenClasses = []tokens.Class{tokens.AccessToken, tokens.SlidingToken}
		s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
	})
	j := svc.j
	r := gin.New()
	j.RegisterRoutes(r.Group("/api/token"))
	r.GET("/api/me/stateless/", j.AuthStateless(), j.IsAuthenticated(), func(c *gin.Context) {
		c.Data(200, "application/json", []byte(`{"id":"1"}`))
	})
	h, c := openAPIChecked(t, j, r, "sliding")
	do := func(method, path, body, auth string) map[string]string {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var m map[string]string
		_ = json.Unmarshal(w.Body.Bytes(), &m)
		return m
	}
	login := `{"username":"alice","password":"` + alicePassword + `"}`
	sliding := do("POST", "/api/token/sliding/", login, "")["token"]
	if sliding == "" {
		t.Fatal("no sliding token")
	}
	do("POST", "/api/token/sliding/", `{"username":"alice","password":"wrong"}`, "")
	do("POST", "/api/token/sliding/", `{"username":"alice"}`, "")
	renewed := do("POST", "/api/token/sliding/refresh/", `{"token":"`+sliding+`"}`, "")["token"]
	do("POST", "/api/token/sliding/refresh/", `{"token":"garbage"}`, "")
	do("POST", "/api/token/verify/", `{"token":"`+renewed+`"}`, "")
	do("GET", "/api/me/stateless/", "", renewed)
	do("GET", "/api/me/stateless/", "", sliding+"x")
	pair := do("POST", "/api/token/", login, "")
	rotated := do("POST", "/api/token/refresh/", `{"refresh":"`+pair["refresh"]+`"}`, "")
	do("POST", "/api/token/refresh/", `{"refresh":"`+pair["refresh"]+`"}`, "") // blacklisted by the rotation
	do("POST", "/api/token/verify/", `{"token":"`+pair["refresh"]+`"}`, "")
	do("POST", "/api/token/blacklist/", `{"refresh":"`+rotated["refresh"]+`"}`, "")
	do("POST", "/api/token/blacklist/", `{"refresh":"`+rotated["refresh"]+`"}`, "")
	do("POST", "/api/token/sliding/refresh/", `{"token":"`+pair["access"]+`"}`, "")
	do("DELETE", "/api/token/sliding/", "", "")
	do("OPTIONS", "/api/token/sliding/refresh/", "", "")
	if rotated["refresh"] == "" || rotated["access"] == "" {
		t.Errorf("rotation: %v", rotated)
	}
	if c.validated != 17 {
		t.Errorf("%d responses validated, want 17", c.validated)
	}
}

// TestOpenAPISessionsAndCookies: with Settings.Sessions the document has the sessions routes
// (GET list of Session, HEAD, DELETE 204, DELETE /{id}/ 204/404, OPTIONS, 401 everywhere);
// with cookies, cookieAuth beside bearerAuth, the refresh cookie parameter, the CSRF cookie
// and header, the 403 CSRF failure, refresh optional and dj-rest-auth's expirations. The
// wire itself is checked by the checker in the cookie and session tests.
func TestOpenAPISessionsAndCookies(t *testing.T) {
	svc := newDBService(t, "sqlite", func(s *ginjwt.Settings) {
		s.Sessions = true
		s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true
		s.Cookies = cookies.Settings{Cookie: "access", RefreshCookie: "refresh", UseCSRF: true}
	})
	doc := loadOpenAPI(t, svc.j, meRoutes...)
	list := doc.Paths.Find("/api/token/sessions/")
	one := doc.Paths.Find("/api/token/sessions/{id}/")
	if list == nil || one == nil || list.Get == nil || list.Head == nil || list.Delete == nil || list.Options == nil || one.Delete == nil || one.Options == nil || one.Get != nil {
		t.Fatalf("sessions routes: %v %v", list, one)
	}
	item := list.Get.Responses.Status(200).Value.Content["application/json"].Schema.Value.Items.Value
	if got := slices.Sorted(mapKeys(item.Properties)); !slices.Equal(got, []string{"created_at", "current", "id", "ip", "last_used_at", "user_agent"}) {
		t.Errorf("session schema %v", got)
	}
	for name, op := range map[string]*openapi3.Operation{"list": list.Get, "end all": list.Delete, "end one": one.Delete, "options": one.Options} {
		if op.Responses.Status(401) == nil || op.Responses.Status(401).Value.Headers["WWW-Authenticate"] == nil || len(*op.Security) != 2 {
			t.Errorf("%s: 401 with WWW-Authenticate, bearerAuth or cookieAuth: %v", name, op.Security)
		}
	}
	if one.Delete.Responses.Status(204) == nil || one.Delete.Responses.Status(404) == nil || one.Delete.Responses.Status(403) == nil || list.Delete.Responses.Status(204) == nil {
		t.Error("DELETE: 204, 404, and the CSRF 403 by cookie")
	}
	if s := doc.Components.SecuritySchemes["cookieAuth"]; s == nil || s.Value.In != "cookie" || s.Value.Name != "access" {
		t.Errorf("cookieAuth %v", s)
	}
	refresh := doc.Paths.Find("/api/token/refresh/").Post
	var params []string
	for _, p := range refresh.Parameters {
		params = append(params, p.Value.In+":"+p.Value.Name)
	}
	if !slices.Equal(params, []string{"cookie:refresh", "cookie:csrftoken", "header:X-Csrftoken"}) {
		t.Errorf("refresh parameters %v", params)
	}
	if r := refresh.Responses.Status(403); r == nil || r.Value.Content["application/json"].Schema.Value.Properties["detail"].Value.Pattern != "^CSRF Failed: " {
		t.Error("refresh: no 403 CSRF Failed")
	}
	if req := refresh.RequestBody.Value; req.Required || len(req.Content["application/json"].Schema.Value.Required) != 0 {
		t.Error("refresh: the body and its refresh must be optional with a refresh cookie")
	}
	resp := refresh.Responses.Status(200).Value
	if got := slices.Sorted(mapKeys(resp.Content["application/json"].Schema.Value.Properties)); !slices.Equal(got, []string{"access", "access_expiration", "refresh", "refresh_expiration"}) || resp.Headers["Set-Cookie"] == nil {
		t.Errorf("refresh response %v", got)
	}
	if doc.Paths.Find("/api/token/csrf/").Head == nil {
		t.Error("HEAD /api/token/csrf/")
	}

	off := newDBService(t, "memory", nil)
	doc = loadOpenAPI(t, off.j)
	if doc.Paths.Find("/api/token/sessions/") != nil || doc.Components.SecuritySchemes["cookieAuth"] != nil || doc.Components.Responses["CSRFFailed"] != nil || doc.Paths.Find("/api/token/refresh/").Post.Parameters != nil {
		t.Error("sessions and cookies off: the document must not describe them")
	}
}

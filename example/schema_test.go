package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// TestSchemaRoute: GET /api/schema/ serves an OpenAPI 3.1 document that validates, and the
// example's answers (token endpoints, protected views) are the ones it describes.
func TestSchemaRoute(t *testing.T) {
	t.Parallel()
	s := newService(t)
	res := s.do("GET", schemaPath, "Bearer not-a-token", "")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %d %s", schemaPath, res.status, res.body)
	}
	if h := s.do("HEAD", schemaPath, "", ""); h.status != http.StatusOK || h.body != "" || h.header.Get("Content-Length") != strconv.Itoa(len(res.body)) || h.header.Get("Content-Type") != "application/json" {
		t.Errorf("HEAD %s: %d %q %q", schemaPath, h.status, h.body, h.header)
	}
	if p := s.do("POST", schemaPath, "", ""); p.status != http.StatusMethodNotAllowed || p.header.Get("Allow") != allowSchema {
		t.Errorf("POST %s: %d %q", schemaPath, p.status, p.header.Get("Allow"))
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(res.body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("document %q: %v", doc.OpenAPI, err)
	}
	for _, p := range []string{"/api/token/", "/api/token/refresh/", "/api/token/verify/", "/api/token/blacklist/", "/api/token/sliding/", "/api/token/sliding/refresh/", "/api/me/", "/api/me/stateless/"} {
		if doc.Paths.Find(p) == nil {
			t.Errorf("no path %s", p)
		}
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	refresh, access := s.obtain()
	validated := 0
	for _, tt := range []struct{ method, path, auth, body string }{
		{"POST", "/api/token/", "", `{"username": "alice", "password": "alice-password-1"}`},
		{"POST", "/api/token/", "", `{"username": "alice", "password": "wrong"}`},
		{"POST", "/api/token/", "", `{"username": "alice"}`},
		{"POST", "/api/token/refresh/", "", `{"refresh": "` + refresh + `"}`},
		{"POST", "/api/token/verify/", "", `{"token": "` + access + `"}`},
		{"POST", "/api/token/sliding/", "", `{"username": "alice", "password": "alice-password-1"}`},
		{"POST", "/api/token/blacklist/", "", `{"refresh": "` + refresh + `"}`},
		{"GET", "/api/me/", "Bearer " + access, ""},
		{"GET", "/api/me/", "Bearer nope", ""},
		{"GET", "/api/me/stateless/", "Bearer " + access, ""},
		{"OPTIONS", "/api/token/", "", ""},
	} {
		res := s.do(tt.method, tt.path, tt.auth, tt.body)
		req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, err)
			continue
		}
		opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: res.status, Header: res.header,
			Body: io.NopCloser(bytes.NewReader([]byte(res.body))), Options: opts,
		}); err != nil {
			t.Errorf("%s %s → %d %s: %v", tt.method, tt.path, res.status, res.body, err)
			continue
		}
		validated++
	}
	t.Logf("openapi[example]: %d responses validated against /api/schema/", validated)
	for _, m := range []string{"POST", "DELETE"} {
		r := s.do(m, schemaPath, "", "")
		r.expect(t, m, http.StatusMethodNotAllowed, `{"detail":"Method \"`+m+`\" not allowed."}`)
	}
}

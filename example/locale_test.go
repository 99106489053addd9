package main

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLocaleEnv: the example's environment names, LANGUAGE_CODE and
// SIMPLE_JWT_LOCALE_MIDDLEWARE, reach every error body of the service, its 404 included.
func TestLocaleEnv(t *testing.T) {
	tests := []struct {
		name   string
		vars   []string
		accept string
		method string
		path   string
		want   string
		lang   string // Content-Language
	}{
		{"off", nil, "de", "GET", "/api/me/", `{"detail":"Authentication credentials were not provided."}`, ""},
		{"LANGUAGE_CODE=de", []string{"LANGUAGE_CODE", "de"}, "fr", "GET", "/api/me/", `{"detail":"Anmeldedaten fehlen."}`, ""},
		{"middleware, fr", []string{"LANGUAGE_CODE", "de", "SIMPLE_JWT_LOCALE_MIDDLEWARE", "true"}, "fr-CA", "GET", "/api/me/",
			`{"detail":"Informations d'authentification non fournies."}`, "fr"},
		{"middleware, no preference", []string{"LANGUAGE_CODE", "de", "SIMPLE_JWT_LOCALE_MIDDLEWARE", "true"}, "", "GET", "/nowhere/",
			`{"detail":"Nicht gefunden."}`, "de"},
		{"middleware, 405", []string{"SIMPLE_JWT_LOCALE_MIDDLEWARE", "true"}, "de", "GET", "/api/token/",
			`{"detail":"Methode \"GET\" nicht erlaubt."}`, "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t, tt.vars...)
			req := httptest.NewRequestWithContext(t.Context(), tt.method, tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Language", tt.accept)
			}
			w := httptest.NewRecorder()
			s.router.ServeHTTP(w, req)
			if got := strings.TrimSpace(w.Body.String()); got != tt.want {
				t.Errorf("body %s, want %s", got, tt.want)
			}
			if got := w.Header().Get("Content-Language"); got != tt.lang {
				t.Errorf("Content-Language %q, want %q", got, tt.lang)
			}
			if tt.lang != "" && !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Language") {
				t.Errorf("Vary %q lacks Accept-Language", w.Header().Values("Vary"))
			}
		})
	}
}

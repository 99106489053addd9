package ginjwt_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// localeRouter is an instance with ls, Locale mounted first, the token routes under /api/token
// and a protected /api/me/.
func localeRouter(t testing.TB, ls ginjwt.LocaleSettings) *gin.Engine {
	t.Helper()
	s := ginjwt.DefaultSettings()
	s.SigningKey = "example-signing-key-0123456789abcdef-0123"
	s.UserStore = modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	s.TokenStore = modelstest.NewTokens(nil)
	s.LocaleSettings = ls
	j, err := ginjwt.New(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	r.Use(j.Locale(), j.Auth())
	j.RegisterRoutes(r.Group("/api/token"))
	r.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	return r
}

// TestLocale: the language each setting gives, the body and the headers, as Django answers
// with and without LocaleMiddleware (ginjwt/locale's golden files check the choice itself;
// views' and the example's goldens check that nothing changes when off).
func TestLocale(t *testing.T) {
	tests := []struct {
		name     string
		ls       ginjwt.LocaleSettings
		method   string
		path     string
		header   map[string]string
		status   int
		body     string
		language string // Content-Language; "" none
		vary     string
	}{
		{name: "off", method: "POST", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "de"},
			status: 400, body: `{"token":["This field is required."]}`, vary: "Accept"},
		{name: "LANGUAGE_CODE=de without the middleware", ls: ginjwt.LocaleSettings{LanguageCode: "de"},
			method: "POST", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "fr"},
			status: 400, body: `{"token":["Dieses Feld ist erforderlich."]}`, vary: "Accept"},
		{name: "middleware, de-AT", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "POST", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "de-AT,en;q=0.5"},
			status: 400, body: `{"token":["Dieses Feld ist erforderlich."]}`, language: "de", vary: "Accept, Accept-Language"},
		{name: "middleware, quality values", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "POST", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "en;q=0.1, fr;q=0.9"},
			status: 400, body: `{"token":["Ce champ est obligatoire."]}`, language: "fr", vary: "Accept, Accept-Language"},
		{name: "middleware, no preference: LANGUAGE_CODE", ls: ginjwt.LocaleSettings{LocaleMiddleware: true, LanguageCode: "de"},
			method: "POST", path: "/api/token/verify/", status: 400,
			body: `{"token":["Dieses Feld ist erforderlich."]}`, language: "de", vary: "Accept, Accept-Language"},
		{name: "middleware, English", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "POST", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "en-US"},
			status: 400, body: `{"token":["This field is required."]}`, language: "en", vary: "Accept, Accept-Language"},
		{name: "middleware, token error keeps its code", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "POST", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "de", "Content-Type": "application/json"},
			status: 401, body: `{"detail":"Token is invalid","code":"token_not_valid"}`, language: "de", vary: "Accept, Accept-Language"},
		{name: "middleware, 405", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "GET", path: "/api/token/verify/", header: map[string]string{"Accept-Language": "de"},
			status: 405, body: `{"detail":"Methode \"GET\" nicht erlaubt."}`, language: "de", vary: "Accept, Accept-Language"},
		{name: "middleware, Auth's 401 on a user route", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "GET", path: "/api/me/", header: map[string]string{"Accept-Language": "de", "Authorization": "Bearer"},
			status: 401, body: `{"detail":"Der Authorizationheader muss zwei leerzeichen-getrennte Werte enthalten","code":"bad_authorization_header"}`,
			language: "de", vary: "Accept, Accept-Language"},
		{name: "middleware, not authenticated", ls: ginjwt.LocaleSettings{LocaleMiddleware: true},
			method: "GET", path: "/api/me/", header: map[string]string{"Accept-Language": "de"},
			status: 401, body: `{"detail":"Anmeldedaten fehlen."}`, language: "de", vary: "Accept, Accept-Language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := localeRouter(t, tt.ls)
			body := ""
			if tt.status == 401 && tt.path == "/api/token/verify/" {
				body = `{"token":"x.y.z"}`
			}
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(body))
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tt.status || w.Body.String() != tt.body {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tt.status, tt.body)
			}
			if got := w.Header().Get("Content-Language"); got != tt.language {
				t.Errorf("Content-Language %q, want %q", got, tt.language)
			}
			if got := strings.Join(w.Header().Values("Vary"), " | "); got != tt.vary {
				t.Errorf("Vary %q, want %q", got, tt.vary)
			}
		})
	}
}

func TestLocaleSettingsRefused(t *testing.T) {
	s := ginjwt.DefaultSettings()
	s.SigningKey = "example-signing-key-0123456789abcdef-0123"
	s.UserStore = modelstest.NewUsers(modelstest.UsersOptions{})
	s.LanguageCode = "xx-not-listed"
	s.NoTokenBlacklist = true
	if _, err := ginjwt.New(nil, s); err == nil || !strings.Contains(err.Error(), "translation.E004") {
		t.Fatalf("New with LANGUAGE_CODE not in LANGUAGES: %v, want translation.E004", err)
	}
}

// TestLocaleSettingsFromEnv: LANGUAGE_CODE keeps Django's name, the switch is
// SIMPLE_JWT_LOCALE_MIDDLEWARE.
func TestLocaleSettingsFromEnv(t *testing.T) {
	env := map[string]string{"LANGUAGE_CODE": "de", "SIMPLE_JWT_LOCALE_MIDDLEWARE": "true"}
	s, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if s.LanguageCode != "de" || !s.LocaleMiddleware {
		t.Fatalf("got %+v", s.LocaleSettings)
	}
	env["SIMPLE_JWT_LOCALE_MIDDLEWARE"] = "maybe"
	if _, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err == nil {
		t.Fatal("SIMPLE_JWT_LOCALE_MIDDLEWARE=maybe accepted")
	}
}

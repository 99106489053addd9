package ginjwt_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

func TestTokenRoutesAreNeverBlockedByAuth(t *testing.T) {
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.UserStore, s.TokenStore = newUsers(), modelstest.NewTokens(nil)
	j, err := ginjwt.New(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	r.Use(j.Auth()) // on the whole router, as the README shows
	j.RegisterRoutes(r.Group("/api/token"))
	r.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) { c.Status(http.StatusNoContent) })

	refresh := mint(t, j, tokens.RefreshToken, "1", nil)
	for _, path := range []string{"/api/token/refresh/", "/api/token/verify/"} {
		field := map[string]string{"/api/token/refresh/": "refresh", "/api/token/verify/": "token"}[path]
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"`+field+`":"`+refresh+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer expired-or-garbage")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Errorf("%s with a bad Authorization header: %d %s", path, w.Code, w.Body)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/me/", nil)
	req.Header.Set("Authorization", "Bearer expired-or-garbage")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("other routes are still authenticated: %d", w.Code)
	}
}

func TestRegisterOnlySomeEndpoints(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	r := gin.New()
	j.RegisterRoutes(r, views.TokenObtainPair, views.TokenRefresh)
	for path, want := range map[string]int{"/": 400, "/refresh/": 400, "/verify/": 404, "/blacklist/": 404, "/sliding/": 404} {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("%s: %d, want %d", path, w.Code, want)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/refresh/", nil)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST, OPTIONS" || w.Body.String() != `{"detail":"Method \"GET\" not allowed."}` {
		t.Errorf("GET: %d %q %s", w.Code, w.Header().Get("Allow"), w.Body)
	}
}

func TestSerializersNameTheTable(t *testing.T) {
	s := ginjwt.DefaultSettings()
	s.SigningKey, s.UserStore, s.NoTokenBlacklist = key, newUsers(), true
	s.Serializers["token_obtain"] = &serializers.TokenObtainPair{}
	if _, err := ginjwt.New(nil, s); err == nil || !strings.Contains(err.Error(), `Settings.Serializers["token_obtain"]: no such endpoint`) {
		t.Errorf("unknown endpoint: %v", err)
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), `no endpoint named "sliding"`) {
			t.Errorf("RegisterRoutes with an unknown name: %v", p)
		}
	}()
	newJWT(t, newUsers(), nil).RegisterRoutes(gin.New(), "sliding")
}

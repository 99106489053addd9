package ginjwt_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
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

// TestRegisterRoutesDefaults: with no names RegisterRoutes adds the routes simplejwt's docs
// show (obtain pair, refresh, verify), blacklist only with the token blacklist installed, and
// the sliding routes only when AUTH_TOKEN_CLASSES holds a sliding class; explicit names add
// exactly those.
func TestRegisterRoutesDefaults(t *testing.T) {
	const (
		pair, refresh, verify, blacklist = "/", "/refresh/", "/verify/", "/blacklist/"
		sliding, slidingRefresh          = "/sliding/", "/sliding/refresh/"
	)
	cases := []struct {
		name      string
		blacklist bool
		classes   []tokens.Class
		only      []views.EndpointName
		want      []string
	}{
		{"no blacklist, access tokens", false, nil, nil, []string{pair, refresh, verify}},
		{"blacklist installed", true, nil, nil, []string{pair, refresh, verify, blacklist}},
		{"sliding tokens accepted", false, []tokens.Class{tokens.SlidingToken}, nil, []string{pair, refresh, verify, sliding, slidingRefresh}},
		{"both", true, []tokens.Class{tokens.AccessToken, tokens.SlidingToken}, nil, []string{pair, refresh, verify, blacklist, sliding, slidingRefresh}},
		{"untyped is not sliding", true, []tokens.Class{tokens.UntypedToken}, nil, []string{pair, refresh, verify, blacklist}},
		{"explicit: all six", false, nil, views.AllEndpoints(), []string{pair, refresh, verify, blacklist, sliding, slidingRefresh}},
		{"explicit: sliding without sliding classes", false, nil, []views.EndpointName{views.TokenObtainSliding}, []string{sliding}},
		{"explicit: order does not matter", true, nil, []views.EndpointName{views.TokenVerify, views.TokenObtainPair}, []string{pair, verify}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := newJWT(t, newUsers(), func(s *ginjwt.Settings) {
				if tc.blacklist {
					s.NoTokenBlacklist, s.TokenStore = false, modelstest.NewTokens(nil)
				}
				if tc.classes != nil {
					s.AuthTokenClasses = tc.classes
				}
			})
			r := gin.New()
			j.RegisterRoutes(r.Group("/api/token"), tc.only...)
			var got []string
			for _, rt := range r.Routes() {
				if rt.Method == http.MethodPost {
					got = append(got, strings.TrimPrefix(rt.Path, "/api/token"))
				}
			}
			slices.Sort(got) // gin lists routes in its tree's order
			if want := slices.Sorted(slices.Values(tc.want)); !slices.Equal(got, want) {
				t.Errorf("POST routes %q, want %q", got, tc.want)
			}
			// What is not mounted is a 404, not a 405 or a view.
			for _, e := range views.Endpoints() {
				if slices.Contains(tc.want, e.Path) {
					continue
				}
				req := httptest.NewRequest(http.MethodPost, "/api/token"+e.Path, strings.NewReader(`{}`))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				if w.Code != http.StatusNotFound {
					t.Errorf("POST %s: %d, want 404", e.Path, w.Code)
				}
			}
		})
	}
}

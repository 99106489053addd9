package ginjwt_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views"
)

// perViewEngine: Auth on the whole router, and routes that choose their own authentication, as
// DRF views set authentication_classes.
func perViewEngine(j *ginjwt.JWT) *gin.Engine {
	r := gin.New()
	r.Use(j.Auth())
	j.RegisterRoutes(r.Group("/api/token"))
	who := func(c *gin.Context) {
		switch u, ok := ginjwt.UserFrom(c); u.(type) {
		case models.TokenUser:
			c.String(http.StatusOK, "token user")
		case nil:
			c.String(http.StatusOK, "anonymous "+map[bool]string{true: "?", false: "ok"}[ok])
		default:
			c.String(http.StatusOK, "db user")
		}
	}
	r.GET("/me", who)
	r.GET("/stateless", j.AuthStateless(), who)
	r.POST("/stateless", j.AuthStateless(), who)
	r.GET("/open", views.NoAuthentication, who)
	// The nearest wins the other way round too: AuthStateless on a group, Auth on one route.
	g := r.Group("/g", j.AuthStateless())
	g.GET("/stateless", who)
	g.GET("/db", j.Auth(), who)
	// The same middleware twice: it authenticates once.
	mw := j.Auth()
	r.GET("/twice", mw, j.AuthStateless(), mw, who)
	return r
}

func TestAuthenticationPerRoute(t *testing.T) {
	users := newUsers()
	j := newJWT(t, users, nil)
	h := perViewEngine(j)
	alice := "Bearer " + mint(t, j, tokens.AccessToken, "1", nil)
	deleted := "Bearer " + mint(t, j, tokens.AccessToken, "99", nil) // no user 99 in the store
	refresh := mint(t, j, tokens.RefreshToken, "1", nil)
	userNotFound := `{"detail":"User not found","code":"user_not_found"}`
	cases := []struct {
		name, method, path, authz, body string
		status                          int
		want                            string
		lookups                         int
	}{
		{"router Auth: database user", "GET", "/me", alice, "", 200, "db user", 1},
		{"router Auth: deleted user", "GET", "/me", deleted, "", 401, userNotFound, 1},
		{"route AuthStateless: no database", "GET", "/stateless", alice, "", 200, "token user", 0},
		{"route AuthStateless: deleted user still OK", "GET", "/stateless", deleted, "", 200, "token user", 0},
		{"route AuthStateless, another method", "POST", "/stateless", deleted, "", 200, "token user", 0},
		{"route AuthStateless: bad token is 401", "GET", "/stateless", "Bearer garbage", "", 401, oneMessage("Token is invalid"), 0},
		{"route AuthStateless: anonymous", "GET", "/stateless", "", "", 200, "anonymous ok", 0},
		{"NoAuthentication: a bad header is ignored", "GET", "/open", "Bearer garbage", "", 200, "anonymous ok", 0},
		{"NoAuthentication: a good one too", "GET", "/open", alice, "", 200, "anonymous ok", 0},
		// One lookup: the refresh serializer's own check that the user is still active.
		{"token route: an expired header never blocks", "POST", "/api/token/refresh/", "Bearer garbage", `{"refresh":"` + refresh + `"}`, 200, "", 1},
		{"token route: 405 is not authenticated", "GET", "/api/token/refresh/", "Bearer garbage", "", 405, `{"detail":"Method \"GET\" not allowed."}`, 0},
		{"group AuthStateless", "GET", "/g/stateless", deleted, "", 200, "token user", 0},
		{"group AuthStateless, route Auth", "GET", "/g/db", alice, "", 200, "db user", 1},
		{"the same middleware twice", "GET", "/twice", alice, "", 200, "db user", 1},
		{"no route: authenticated as before", "GET", "/nope", "Bearer garbage", "", 401, oneMessage("Token is invalid"), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // the first request decides, the second uses what was remembered
				before := users.Lookups()
				req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
				req.Header.Set("Content-Type", "application/json")
				if tc.authz != "" {
					req.Header.Set("Authorization", tc.authz)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != tc.status || tc.want != "" && w.Body.String() != tc.want {
					t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tc.status, tc.want)
				}
				if got := int(users.Lookups() - before); got != tc.lookups {
					t.Errorf("%d user lookups, want %d", got, tc.lookups)
				}
			}
		})
	}
}

// TestAuthenticationPerRouteConcurrent: many first requests at once, on many routes, agree
// (run with -race).
func TestAuthenticationPerRouteConcurrent(t *testing.T) {
	j := newJWT(t, newUsers(), nil)
	r := gin.New()
	r.Use(j.Auth())
	paths := []string{"/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h"}
	for i, p := range paths {
		if i%2 == 0 {
			r.GET(p, j.AuthStateless(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
		} else {
			r.GET(p, views.NoAuthentication, func(c *gin.Context) { c.Status(http.StatusNoContent) })
		}
	}
	deleted := "Bearer " + mint(t, j, tokens.AccessToken, "99", nil)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 50 {
				p := paths[(g+i)%len(paths)]
				req := httptest.NewRequest(http.MethodGet, p, nil)
				req.Header.Set("Authorization", deleted)
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				if w.Code != http.StatusNoContent {
					t.Errorf("%s: %d %s", p, w.Code, w.Body)
					return
				}
			}
		})
	}
	wg.Wait()
}

package ginjwt_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

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

// countQueries counts every statement GORM runs on db from now on.
func countQueries(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:count_query", count),
		"row":    cb.Row().After("gorm:row").Register("test:count_row", count),
		"raw":    cb.Raw().After("gorm:raw").Register("test:count_raw", count),
		"create": cb.Create().After("gorm:create").Register("test:count_create", count),
		"update": cb.Update().After("gorm:update").Register("test:count_update", count),
		"delete": cb.Delete().After("gorm:delete").Register("test:count_delete", count),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
	}
	return &n
}

// TestStatelessRouteUnderRouterAuthOnTheDatabase is the case a new user hit, on Django's
// tables: router.Use(Auth()) and AuthStateless() on one route. A deleted user's token still
// authenticates on the stateless route with zero database statements (counted by GORM
// callbacks; Auth's lookup would answer "User not found" there), while the router-wide Auth looks the user up and answers "User not found".
func TestStatelessRouteUnderRouterAuthOnTheDatabase(t *testing.T) {
	svc := newDBService(t, "sqlite", nil) // router.Use(svc.j.Auth()), alice
	ctx := context.Background()
	users, err := models.NewUserStore(svc.db, models.UserStoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bob := models.NewUser("bob")
	if err := users.Create(ctx, bob); err != nil {
		t.Fatal(err)
	}
	tok, err := svc.j.Tokens().ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: users.UserID(bob)})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	svc.router.GET("/stateless", svc.j.AuthStateless(), svc.j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[models.TokenUser](c)
		c.String(http.StatusOK, "token user "+u.ID)
	})
	if err := svc.db.Exec("DELETE FROM auth_user WHERE username = ?", "bob").Error; err != nil {
		t.Fatal(err)
	}
	queries := countQueries(t, svc.db)
	cases := []struct {
		path    string
		status  int
		body    string
		queries func(int64) bool
	}{
		{"/stateless", 200, "token user " + users.UserID(bob), func(n int64) bool { return n == 0 }},
		// Auth's lookup is models.AuthLookup's prepared statement, below GORM's callbacks: its
		// answer ("User not found" for the deleted bob) is the proof that it ran, and the 200
		// above the proof that the stateless route made none.
		{"/api/me/", 401, `{"detail":"User not found","code":"user_not_found"}`, func(int64) bool { return true }},
	}
	for _, tc := range cases {
		for i := range 3 { // the first request of a route decides, the next ones remember
			before := queries.Load()
			w := do(svc.router, tc.path, "Bearer "+raw)
			n := queries.Load() - before
			if w.Code != tc.status || w.Body.String() != tc.body || !tc.queries(n) {
				t.Errorf("%s, request %d: %d %s after %d statements", tc.path, i, w.Code, w.Body, n)
			}
		}
	}
}

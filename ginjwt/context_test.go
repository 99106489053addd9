package ginjwt_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
)

// TestUserAs: the typed accessor returns the user as the type asked for, and false, never a
// panic, when the request is anonymous or the user is of another type: a *models.User behind
// Auth (the GORM store), a models.TokenUser behind AuthStateless.
func TestUserAs(t *testing.T) {
	svc := newDBService(t, "sqlite", nil)
	access := svc.login(t)["access"]
	// report lists what each accessor gives, from gin's Keys and from the context.Context.
	report := func(c *gin.Context) {
		ctx := c.Request.Context()
		var out string
		add := func(name string, v any, ok bool) { out += fmt.Sprintf("%s=%v:%v ", name, ok, v) }
		u, ok := ginjwt.UserAs[*models.User](c)
		add("User", userName(u), ok)
		u, ok = ginjwt.UserAsFromContext[*models.User](ctx)
		add("ctxUser", userName(u), ok)
		tu, ok := ginjwt.UserAs[models.TokenUser](c)
		add("TokenUser", tu.ID, ok)
		tu, ok = ginjwt.UserAsFromContext[models.TokenUser](ctx)
		add("ctxTokenUser", tu.ID, ok)
		au, ok := ginjwt.UserAs[models.AuthUser](c)
		add("AuthUser", au != nil, ok)
		s, ok := ginjwt.UserAs[string](c)
		add("string", s, ok)
		c.String(http.StatusOK, out)
	}
	svc.router.GET("/db", report)
	svc.router.GET("/stateless", svc.j.AuthStateless(), report)
	cases := []struct{ name, path, authz, want string }{
		{"Auth: the database user", "/db", "Bearer " + access,
			"User=true:alice ctxUser=true:alice TokenUser=false: ctxTokenUser=false: AuthUser=true:true string=false: "},
		{"AuthStateless: the token user", "/stateless", "Bearer " + access,
			"User=false: ctxUser=false: TokenUser=true:1 ctxTokenUser=true:1 AuthUser=true:true string=false: "},
		{"anonymous", "/db", "",
			"User=false: ctxUser=false: TokenUser=false: ctxTokenUser=false: AuthUser=false:false string=false: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(svc.router, tc.path, tc.authz)
			if w.Code != http.StatusOK || w.Body.String() != tc.want {
				t.Errorf("got %d %q\nwant %q", w.Code, w.Body, tc.want)
			}
		})
	}
	// No gin context, no request, no context: false, no panic.
	if _, ok := ginjwt.UserAs[*models.User](nil); ok {
		t.Error("nil *gin.Context")
	}
	if _, ok := ginjwt.UserAs[*models.User](&gin.Context{}); ok {
		t.Error("empty *gin.Context")
	}
	if _, ok := ginjwt.UserAsFromContext[models.TokenUser](context.Background()); ok {
		t.Error("empty context")
	}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	if _, ok := ginjwt.UserAs[models.AuthUser](c); ok {
		t.Error("anonymous test context")
	}
}

func userName(u *models.User) string {
	if u == nil {
		return ""
	}
	return u.Username
}

package views_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// TestEndpointTable: each row is complete and unique, and Routes makes exactly the rows asked
// for, in the table's order.
func TestEndpointTable(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range views.Endpoints() {
		for _, v := range []string{string(e.Name), e.Path, e.Setting, e.View} {
			if v == "" || seen[v] {
				t.Errorf("%s: empty or repeated %q", e.Name, v)
			}
			seen[v] = true
		}
		if e.Description == "" || e.Summary == "" || e.Serializer == nil || e.Serializer() == nil {
			t.Errorf("%s: incomplete row", e.Name)
		}
		if !strings.HasPrefix(e.Path, "/") || !strings.HasSuffix(e.Path, "/") {
			t.Errorf("%s: path %q", e.Name, e.Path)
		}
		if got, ok := views.EndpointByName(e.Name); !ok || got.Path != e.Path {
			t.Errorf("EndpointByName(%s)", e.Name)
		}
	}
	if _, ok := views.EndpointByName("nope"); ok {
		t.Error("EndpointByName(nope)")
	}
	cases := []struct {
		name  string
		only  []views.EndpointName
		paths string
	}{
		{"nil is all", nil, "/ /refresh/ /verify/ /blacklist/ /sliding/ /sliding/refresh/"},
		{"all", views.AllEndpoints(), "/ /refresh/ /verify/ /blacklist/ /sliding/ /sliding/refresh/"},
		{"table order", []views.EndpointName{views.TokenRefreshSliding, views.TokenObtainPair}, "/ /sliding/refresh/"},
		{"empty is none", []views.EndpointName{}, ""},
	}
	for _, tc := range cases {
		var paths []string
		for _, r := range views.Routes(nil, views.RouteOptions{Endpoints: tc.only}) {
			paths = append(paths, r.Path)
		}
		if got := strings.Join(paths, " "); got != tc.paths {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.paths)
		}
	}
}

// TestEndpointSerializerOverride: a serializer given for one endpoint replaces its default
// only; OPTIONS reports the table's view name.
func TestEndpointSerializerOverride(t *testing.T) {
	h := newHarness(t)
	e := gin.New()
	views.Register(e.Group("/api/token"), views.Routes(h.env, views.RouteOptions{
		Serializers: map[views.EndpointName]serializers.Serializer{views.TokenVerify: &serializers.TokenRefresh{}},
	})...)
	h.engine = e
	if w := h.postJSON("/api/token/verify/", `{"token":"x"}`); w.Code != 400 || !strings.Contains(w.Body.String(), `"refresh"`) {
		t.Errorf("verify with the refresh serializer: %d %s", w.Code, w.Body)
	}
	if w := h.postJSON("/api/token/refresh/", `{}`); w.Code != 400 || w.Body.String() != `{"refresh":["This field is required."]}` {
		t.Errorf("refresh: %d %s", w.Code, w.Body)
	}
	w := h.do(http.MethodOptions, "/api/token/sliding/", "", "")
	if !strings.Contains(w.Body.String(), `"name":"Token Obtain Sliding"`) {
		t.Errorf("OPTIONS: %s", w.Body)
	}
}

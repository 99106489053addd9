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

// TestEndpointKinds: the one table holds every endpoint once; Lookup finds each whatever its
// kind, and the by-kind accessors return exactly the rows of their kind, in the table's order.
func TestEndpointKinds(t *testing.T) {
	cases := []struct {
		kind  views.EndpointKind
		rows  []views.Endpoint
		names string
		find  func(views.EndpointName) (views.Endpoint, bool)
	}{
		{views.KindToken, views.Endpoints(), "token_obtain_pair token_refresh token_verify token_blacklist token_obtain_sliding token_refresh_sliding", views.EndpointByName},
		{views.KindCookie, views.CookieEndpoints(), "token_csrf", views.CookieEndpointByName},
		{views.KindSession, views.SessionEndpoints(), "token_sessions token_session", views.SessionEndpointByName},
	}
	paths := map[string]views.EndpointName{}
	for _, tc := range cases {
		var names []string
		for _, e := range tc.rows {
			names = append(names, string(e.Name))
			if e.Kind != tc.kind {
				t.Errorf("%s: kind %d, want %d", e.Name, e.Kind, tc.kind)
			}
			if other, dup := paths[e.Path]; dup {
				t.Errorf("%s and %s share the path %s", e.Name, other, e.Path)
			}
			paths[e.Path] = e.Name
			if got, ok := views.Lookup(e.Name); !ok || got.Kind != tc.kind || got.Path != e.Path {
				t.Errorf("Lookup(%s) = %+v, %v", e.Name, got, ok)
			}
			if got, ok := tc.find(e.Name); !ok || got.Name != e.Name {
				t.Errorf("by-kind lookup of %s failed", e.Name)
			}
			if e.Kind != views.KindToken && (e.Allow == "" || e.Serializer != nil || e.Setting != "") {
				t.Errorf("%s: a view with no serializer needs Allow and no Setting/Serializer", e.Name)
			}
		}
		if got := strings.Join(names, " "); got != tc.names {
			t.Errorf("kind %d: %q, want %q", tc.kind, got, tc.names)
		}
		for _, other := range cases {
			if other.kind == tc.kind {
				continue
			}
			for _, e := range other.rows {
				if _, ok := tc.find(e.Name); ok {
					t.Errorf("kind %d's lookup finds %s of kind %d", tc.kind, e.Name, e.Kind)
				}
			}
		}
	}
	if _, ok := views.Lookup("nope"); ok {
		t.Error("Lookup(nope)")
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

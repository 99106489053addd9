package ginjwt

import (
	"fmt"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/views"
)

// RegisterRoutes adds simplejwt's token endpoints (views.Endpoints) to r (an engine or a group,
// e.g. router.Group("/api/token")): POST, OPTIONS (DRF's metadata) and 405 with "Allow: POST,
// OPTIONS" for the other methods. With only, just those endpoints are added (views.AllEndpoints()
// names them all); a name not in the table panics. The serializers are Settings.Serializers. These routes are never authenticated by this instance's
// Auth, even when it sits on the whole router, as simplejwt's views have no authentication.
func (j *JWT) RegisterRoutes(r gin.IRoutes, only ...views.EndpointName) {
	s := j.settings
	for _, name := range only {
		if _, ok := views.EndpointByName(name); !ok {
			panic(fmt.Sprintf("ginjwt: RegisterRoutes: no endpoint named %q (see views.Endpoints)", name))
		}
	}
	routes := views.Routes(j.env, views.RouteOptions{
		Serializers: s.Serializers,
		Endpoints:   only,
		AuthScheme:  s.AuthHeaderTypes[0],
	})
	base := "/"
	if g, ok := r.(interface{ BasePath() string }); ok {
		base = g.BasePath()
	}
	j.routesMu.Lock()
	for _, rt := range routes {
		full := path.Join(base, rt.Path)
		if strings.HasSuffix(rt.Path, "/") && !strings.HasSuffix(full, "/") {
			full += "/"
		}
		j.tokenRoutes[full] = true
	}
	j.routesMu.Unlock()
	views.Register(r, routes...)
}

// isTokenRoute reports whether fullPath is a route RegisterRoutes added.
func (j *JWT) isTokenRoute(fullPath string) bool {
	j.routesMu.RLock()
	ok := j.tokenRoutes[fullPath]
	j.routesMu.RUnlock()
	return ok
}

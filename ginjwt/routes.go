package ginjwt

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/views"
)

// RegisterRoutes adds simplejwt's token endpoints (views.Endpoints) to r (an engine or a group,
// e.g. router.Group("/api/token")): POST, OPTIONS (DRF's metadata) and 405 with "Allow: POST,
// OPTIONS" for the other methods. With only, just those endpoints are added (views.AllEndpoints()
// names them all); a name not in the table panics. The serializers are Settings.Serializers.
// With Settings.Metrics each request is observed, with Settings.Throttle the obtain routes are
// throttled (see Settings.Throttle). These routes are never authenticated by Auth, even when it sits on the whole router, as
// simplejwt's views have no authentication (views.Register marks them views.NoAuthentication).
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
		Observer:    s.Metrics,
		Throttle:    j.limiter,
	})
	views.Register(r, routes...)
}

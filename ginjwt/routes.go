package ginjwt

import (
	"fmt"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// RegisterRoutes adds simplejwt's token endpoints (views.Endpoints) to r (an engine or a group,
// e.g. router.Group("/api/token")): POST, OPTIONS (DRF's metadata) and 405 with "Allow: POST,
// OPTIONS" for the other methods. With only, just those endpoints are added (views.AllEndpoints()
// names them all); a name not in the table panics. The serializers are Settings.Serializers.
// With cookie settings and CSRF in use (cookies.Settings.CSRFInUse), GET /csrf/ (views.TokenCSRF)
// is added too. These routes are never authenticated by Auth, even when it sits on the whole router, as
// simplejwt's views have no authentication (views.Register marks them views.NoAuthentication).
func (j *JWT) RegisterRoutes(r gin.IRoutes, only ...views.EndpointName) {
	s := j.settings
	for _, name := range only {
		_, cookie := views.CookieEndpointByName(name)
		if _, ok := views.EndpointByName(name); !ok && !cookie {
			panic(fmt.Sprintf("ginjwt: RegisterRoutes: no endpoint named %q (see views.Endpoints)", name))
		}
	}
	routes := views.Routes(j.env, views.RouteOptions{
		Serializers: s.Serializers,
		Endpoints:   only,
		AuthScheme:  s.AuthHeaderTypes[0],
		Transport:   j.transport(),
	})
	views.Register(r, routes...)
	if j.cookies.CSRF() != nil && (only == nil || slices.Contains(only, views.TokenCSRF)) {
		e, _ := views.CookieEndpointByName(views.TokenCSRF)
		views.RegisterCookieRoute(r, e, j.cookies.CSRFView())
	}
}

// transport is the views' Transport: the cookies, or nil (a nil *cookies.Transport in the
// interface would not be nil).
func (j *JWT) transport() views.Transport {
	if j.cookies == nil {
		return nil
	}
	return j.cookies
}

// Cookies returns the cookie transport, nil without cookie settings.
func (j *JWT) Cookies() *cookies.Transport { return j.cookies }

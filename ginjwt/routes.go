package ginjwt

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views"
)

// RegisterRoutes adds simplejwt's token endpoints (views.Endpoints) to r (an engine or a group,
// e.g. router.Group("/api/token")): POST, OPTIONS (DRF's metadata) and 405 with "Allow: POST,
// OPTIONS" for the other methods. With only, just those endpoints are added (views.AllEndpoints()
// names them all); a name not in the table panics. The serializers are Settings.Serializers.
// With Settings.Sessions (which needs the token blacklist), the routes of
// views.SessionEndpoints are added too (GET and DELETE /sessions/, DELETE /sessions/<id>/),
// authenticated by Auth and IsAuthenticated; only may name them. The token routes are never
// authenticated by Auth, even when it sits on the whole router, as
// simplejwt's views have no authentication (views.Register marks them views.NoAuthentication).
func (j *JWT) RegisterRoutes(r gin.IRoutes, only ...views.EndpointName) {
	s := j.settings
	var tokenOnly, sessionOnly []views.EndpointName
	for _, name := range only {
		if _, ok := views.EndpointByName(name); ok {
			tokenOnly = append(tokenOnly, name)
			continue
		}
		if _, ok := views.SessionEndpointByName(name); ok {
			sessionOnly = append(sessionOnly, name)
			continue
		}
		panic(fmt.Sprintf("ginjwt: RegisterRoutes: no endpoint named %q (see views.Endpoints)", name))
	}
	if only != nil && tokenOnly == nil {
		tokenOnly = []views.EndpointName{}
	}
	only = tokenOnly
	if j.sessions != nil && (only == nil || len(sessionOnly) > 0) {
		j.registerSessions(r, sessionOnly)
	}
	routes := views.Routes(j.env, views.RouteOptions{
		Serializers: s.Serializers,
		Endpoints:   only,
		AuthScheme:  s.AuthHeaderTypes[0],
	})
	views.Register(r, routes...)
}

// registerSessions adds the session routes, authenticated by an access token (Auth, then
// IsAuthenticated), each route its own Auth so that it authenticates whatever the router has.
func (j *JWT) registerSessions(r gin.IRoutes, only []views.EndpointName) {
	views.RegisterSessions(r, views.SessionViews{
		API: j,
		Caller: func(c *gin.Context) (string, string, bool) {
			tok, ok := TokenFrom(c)
			if !ok {
				return "", "", false
			}
			uid, ok := tok.UserID()
			sid, _ := tok.GetString(tokens.SessionClaim)
			return uid, sid, ok
		},
		Auth:            []gin.HandlerFunc{j.Auth(), j.IsAuthenticated()},
		WWWAuthenticate: views.WWWAuthenticate(j.settings.AuthHeaderTypes[0]),
		Logger:          j.tokens.Logger(),
	}, only...)
}

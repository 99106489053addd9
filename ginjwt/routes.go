package ginjwt

import (
	"fmt"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// RegisterRoutes adds simplejwt's token endpoints (views.Endpoints) to r (an engine or a group,
// e.g. router.Group("/api/token")): POST, OPTIONS (DRF's metadata) and 405 with "Allow: POST,
// OPTIONS" for the other methods. The serializers are Settings.Serializers.
//
// With no names, it adds the routes simplejwt's documentation shows: obtain pair ("/"),
// refresh ("/refresh/") and verify ("/verify/"); blacklist ("/blacklist/") when the token
// blacklist is installed (not NoTokenBlacklist); and the two sliding routes ("/sliding/",
// "/sliding/refresh/") only when AUTH_TOKEN_CLASSES holds a sliding class, since Auth would
// refuse the tokens they issue. With names, it adds exactly those endpoints
// (views.AllEndpoints() names them all); a name not in the table panics. On a stateless
// verifier (New without a database or UserStore) it panics unless given only views.TokenVerify
// (and views.TokenBlacklist with a Settings.TokenStore): a verifier has no users to log in.
//
// With Settings.Metrics each request is observed, with Settings.Throttle the obtain routes are
// throttled (see Settings.Throttle). With cookie settings and CSRF in use
// (cookies.Settings.CSRFInUse), GET /csrf/ (views.TokenCSRF) is added too.
//
// With Settings.Sessions (which needs the token blacklist), the routes of
// views.SessionEndpoints are added too, by default or when named (GET and DELETE /sessions/,
// DELETE /sessions/<id>/), authenticated by Auth and IsAuthenticated.
//
// The token routes are never authenticated by Auth, even when it sits on the whole router, as
// simplejwt's views have no authentication (views.Register marks them views.NoAuthentication).
func (j *JWT) RegisterRoutes(r gin.IRoutes, only ...views.EndpointName) {
	s := j.settings
	var tokenOnly, sessionOnly []views.EndpointName
	for _, name := range only {
		e, ok := views.Lookup(name)
		switch {
		case !ok:
			panic(fmt.Sprintf("ginjwt: RegisterRoutes: no endpoint named %q (see views.Endpoints)", name))
		case e.Kind != views.KindSession:
			tokenOnly = append(tokenOnly, name)
		case j.sessions == nil:
			panic(fmt.Sprintf("ginjwt: RegisterRoutes: %q is a sessions endpoint and Settings.Sessions is off", name))
		default:
			sessionOnly = append(sessionOnly, name)
		}
	}
	named := len(only) > 0
	if j.sessions != nil && (!named || len(sessionOnly) > 0) {
		j.registerSessions(r, sessionOnly)
	}
	only = tokenOnly
	if named && len(only) == 0 {
		return // only session endpoints were named
	}
	if j.users == nil {
		j.verifierEndpoints(only)
	}
	csrf := len(only) == 0 || slices.Contains(only, views.TokenCSRF)
	if len(only) == 0 {
		only = j.defaultEndpoints()
	}
	routes := views.Routes(j.env, views.RouteOptions{
		Serializers: s.Serializers,
		Endpoints:   only,
		AuthScheme:  s.AuthHeaderTypes[0],
		Observer:    s.Metrics,
		Throttle:    j.limiter,
		Transport:   j.transport(),
	})
	views.Register(r, routes...)
	if csrf && j.cookies.CSRF() != nil {
		e, _ := views.CookieEndpointByName(views.TokenCSRF)
		views.RegisterCookieRoute(r, e, j.cookies.CSRFView())
		if !slices.Contains(only, views.TokenCSRF) {
			only = append(slices.Clone(only), views.TokenCSRF)
		}
	}
	j.registered.record(r, only)
}

// defaultEndpoints are the endpoints RegisterRoutes adds when given none, in the table's order.
func (j *JWT) defaultEndpoints() []views.EndpointName {
	sliding := slices.ContainsFunc(j.settings.AuthTokenClasses, func(c tokens.Class) bool { return c == tokens.SlidingToken })
	blacklist := j.tokens.Store() != nil
	var names []views.EndpointName
	for _, e := range views.Endpoints() {
		if e.Sliding && !sliding || e.Blacklist && !blacklist {
			continue
		}
		names = append(names, e.Name)
	}
	return names
}

// verifierEndpoints panics, at setup, when RegisterRoutes on a stateless verifier is asked for
// its defaults or for an endpoint that needs users: it has none to issue tokens for.
func (j *JWT) verifierEndpoints(only []views.EndpointName) {
	const msg = "ginjwt: RegisterRoutes: this instance is a stateless verifier (New had neither a database nor Settings.UserStore), "
	const fix = "give New a *gorm.DB or Settings.UserStore, or name only views.TokenVerify (and views.TokenBlacklist with a Settings.TokenStore)"
	if len(only) == 0 {
		panic(msg + "so it cannot serve the token routes that log users in: " + fix)
	}
	for _, name := range only {
		switch {
		case name == views.TokenVerify:
		case name == views.TokenBlacklist && j.tokens.Store() != nil:
		default:
			panic(fmt.Sprintf("%s%s needs a user store or a token blacklist it does not have: %s", msg, name, fix))
		}
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
	j.registered.record(r, sessionNames(only))
}

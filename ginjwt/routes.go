package ginjwt

import (
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/views"
)

// Endpoint names one of simplejwt's token views, by its documented URL name.
type Endpoint string

// The six endpoints RegisterRoutes adds, relative to the group: "/" (obtain pair), "/refresh/",
// "/verify/", "/blacklist/", "/sliding/" and "/sliding/refresh/".
const (
	TokenObtainPair     Endpoint = views.NameTokenObtainPair
	TokenRefresh        Endpoint = views.NameTokenRefresh
	TokenVerify         Endpoint = views.NameTokenVerify
	TokenBlacklist      Endpoint = views.NameTokenBlacklist
	TokenObtainSliding  Endpoint = views.NameTokenObtainSliding
	TokenRefreshSliding Endpoint = views.NameTokenRefreshSliding
)

// RegisterRoutes adds simplejwt's token endpoints to r (an engine or a group, e.g.
// router.Group("/api/token")): POST, OPTIONS (DRF's metadata) and 405 with "Allow: POST,
// OPTIONS" for the other methods. With only, just those endpoints are added. The serializers
// are the TOKEN_*_SERIALIZER settings. These routes are never authenticated by this instance's
// Auth, even when it sits on the whole router, as simplejwt's views have no authentication.
func (j *JWT) RegisterRoutes(r gin.IRoutes, only ...Endpoint) {
	s := j.settings
	routes := views.Routes(j.env, views.Serializers{
		TokenObtain:         s.TokenObtainSerializer,
		TokenRefresh:        s.TokenRefreshSerializer,
		TokenVerify:         s.TokenVerifySerializer,
		TokenBlacklist:      s.TokenBlacklistSerializer,
		SlidingTokenObtain:  s.SlidingTokenObtainSerializer,
		SlidingTokenRefresh: s.SlidingTokenRefreshSerializer,
		AuthScheme:          s.AuthHeaderTypes[0],
	})
	if len(only) > 0 {
		keep := routes[:0]
		for _, rt := range routes {
			for _, e := range only {
				if rt.Name == string(e) {
					keep = append(keep, rt)
				}
			}
		}
		routes = keep
	}
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

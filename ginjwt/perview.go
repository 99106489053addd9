package ginjwt

import (
	"maps"
	"reflect"
	"runtime"
	"sync/atomic"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/views"
)

// This file is DRF's per-view choice of authentication, for gin: a middleware on the whole
// router steps aside on the routes that carry their own authentication (or none), so that the
// authentication of a route is the one nearest to its handler.
//
// gin shows a middleware the names of its route's handlers only (Context.HandlerNames), and
// computing them reflects on every handler: so each Auth or AuthStateless value computes its
// choice on the first request of a route and keeps it in a copy-on-write map behind an atomic
// pointer. The hot path is one atomic load and one map lookup, with no lock.

// markers are the names gin gives the handlers that settle a route's authentication: Auth's,
// AuthStateless's and views.NoAuthentication. A method value's code (the "-fm" wrapper) is the
// same whatever its receiver, so a nil receiver names it. (Computed by the constructors, not a
// package variable: the methods named here read the result.)
type markers struct{ user, stateless, none string }

func authMarkers() markers {
	var m *authMiddleware
	return markers{user: funcName(m.serveUser), stateless: funcName(m.serveStateless), none: funcName(views.NoAuthentication)}
}

func funcName(h gin.HandlerFunc) string {
	return runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
}

// routeKey is a route of gin: its method and path pattern (Context.FullPath).
type routeKey struct{ method, path string }

// routeChoices remembers, route by route, whether a middleware authenticates it.
type routeChoices struct {
	m atomic.Pointer[map[routeKey]choice]
}

// choice is a middleware's part on one route: none (0), or it authenticates at the nth
// occurrence of its name in the chain (1 unless the chain repeats it, as router.Use(j.Auth())
// and j.Auth() on the route do).
type choice int8

// seenKey counts, in a request's gin Keys, the occurrences of a repeated middleware run so far.
type seenKey string

// authenticates reports whether the middleware named self is the authentication of c's route:
// the last of the chain's handlers named in names. A request gin matched to no route (FullPath
// "": its NoRoute or NoMethod chain, with any method) is authenticated and not remembered, so
// the map holds the routes and nothing more.
func (rc *routeChoices) authenticates(c *gin.Context, names markers, self string) bool {
	path := c.FullPath()
	if path == "" {
		return true
	}
	key := routeKey{c.Request.Method, path}
	ch, found := choice(0), false
	if m := rc.m.Load(); m != nil {
		ch, found = (*m)[key]
	}
	if !found {
		ch = names.choice(c.HandlerNames(), self)
		rc.remember(key, ch)
	}
	switch ch {
	case 0:
		return false
	case 1:
		return true
	}
	// The same middleware more than once: only the nearest to the handler authenticates.
	n, _ := c.Get(seenKey(self))
	seen, _ := n.(int)
	seen++
	c.Set(seenKey(self), seen)
	return seen == int(ch)
}

func (rc *routeChoices) remember(key routeKey, ch choice) {
	for {
		old := rc.m.Load()
		next := make(map[routeKey]choice, 1)
		if old != nil {
			next = maps.Clone(*old)
		}
		next[key] = ch
		if rc.m.CompareAndSwap(old, &next) {
			return
		}
	}
}

// choice returns the part of the middleware named self in a route whose handlers are chain:
// the last handler that is one of the markers authenticates; when that is self, at self's
// last occurrence.
func (m markers) choice(chain []string, self string) choice {
	n, last := 0, ""
	for _, name := range chain {
		switch name {
		case m.user, m.stateless, m.none:
			last = name
			if name == self {
				n++
			}
		}
	}
	if last != self {
		return 0
	}
	return choice(min(n, 127))
}

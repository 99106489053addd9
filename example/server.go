package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views"
)

// This file is the HTTP side: the router (simplejwt's six token endpoints and two protected
// routes, DRF's 404 and 405 answers, a JSON 500 for panics, request logs) and the server's
// start and graceful stop.

const (
	// allowMe is the Allow header of the GET-only views, as DRF's APIView sends it.
	allowMe = "GET, HEAD, OPTIONS"
	// schemaPath is where the OpenAPI document is served, and allowSchema its methods.
	schemaPath  = "/api/schema/"
	allowSchema = "GET, HEAD"
	// jwksPath is where the JWK set is served, and allowJWKS its methods.
	jwksPath  = "/.well-known/jwks.json"
	allowJWKS = "GET, HEAD"
	// shutdownTimeout bounds the wait for requests in flight on SIGINT or SIGTERM.
	shutdownTimeout = 10 * time.Second
	// writeTimeout is the server's WriteTimeout: the longest a request may take before its
	// connection is dropped. DATABASE_TIMEOUT must be shorter.
	writeTimeout = 30 * time.Second
)

// newRouter builds the service's router on j:
//
//	POST /api/token/ (and refresh/, verify/, blacklist/, sliding/, sliding/refresh/)
//	GET  /api/me/            the database user: {"id": 1, "username": "alice"}
//	GET  /api/me/stateless/  the token's user, no database: {"id": "1", "username": "alice"}
//	GET  /.well-known/jwks.json  the public keys (SIMPLE_JWT_PUBLISH_JWKS=true)
//	GET  /api/schema/        the OpenAPI 3.1 document (HEAD too)
//	GET  /metrics            Prometheus metrics (ops.go)
//	GET  /api/token/csrf/    the CSRF cookie and token (cookie mode with CSRF)
//	GET  /demo/              the browser demo page (cookie mode)
//	GET, POST /admin/tokens/ the staff-only token admin (ginjwt.Admin)
//
// It uses j's methods rather than the package functions (ginjwt.RegisterRoutes and friends,
// which forward to the default instance set by ginjwt.Configure) so that tests can build
// several routers side by side. logRequests (REQUEST_LOG) adds requestLog, the line per request;
// logger has the other records (5xx causes) either way.
func newRouter(j *ginjwt.JWT, logger *slog.Logger, logRequests bool) *gin.Engine {
	r := gin.New()
	// ClientIP is the peer's address, never a header, unless TRUSTED_PROXIES names the peer
	// (the limiter validated the list already).
	_ = r.SetTrustedProxies(trustedProxies(j))
	r.HandleMethodNotAllowed = true
	if logRequests {
		r.Use(requestLog(logger, len(trustedProxies(j)) > 0))
	}
	r.Use(views.RecoveryWithLogger(logger))
	// Django's LocaleMiddleware (SIMPLE_JWT_LOCALE_MIDDLEWARE=true) or LANGUAGE_CODE: the
	// language of every error body, chosen once per request. Off by default: it does nothing.
	r.Use(j.Locale())

	// Prometheus, neither authenticated nor throttled (ops.go).
	mountMetrics(r, j, logger)

	// DRF's DEFAULT_THROTTLE_CLASSES for the scopes THROTTLE_RATES names (nil without).
	throttle := throttles(j)

	// simplejwt's urls: the token routes take no authentication, like simplejwt's views. The
	// obtain views apply token_obtain and the failed-login counts themselves.
	// The example mounts all six (its route contract), the sliding ones included, which
	// RegisterRoutes alone adds only when AUTH_TOKEN_CLASSES holds SlidingToken; GET /csrf/,
	// which RegisterRoutes adds only in cookie mode with CSRF in use; and the session views.
	tokenRoutes := append(views.AllEndpoints(), views.TokenCSRF)
	if j.Settings().Sessions { // SIMPLE_JWT_SESSIONS: GET, DELETE /api/token/sessions/ and /sessions/<id>/
		tokenRoutes = append(tokenRoutes, views.TokenSessions, views.TokenSession)
	}
	j.RegisterRoutes(r.Group("/api/token", handlers(throttle)...), tokenRoutes...)

	// DRF's APIView with JWTAuthentication and IsAuthenticated: authentication and the
	// permission come first, then the method (an anonymous POST is a 401, as in DRF).
	me := apiView{
		name:        "Me",
		description: "The DB-backed user named by the access token.",
		get:         meHandler(j),
	}
	r.Any("/api/me/", handlers(me.allow(), j.Auth(), j.IsAuthenticated(), throttle, me.dispatch())...)

	// The same with JWTStatelessUserAuthentication: the user comes from the token's claims.
	stateless := apiView{
		name:        "Stateless Me",
		description: "The stateless TokenUser built from the token's claims (no database access).",
		get:         statelessMeHandler,
	}
	r.Any("/api/me/stateless/", handlers(stateless.allow(), j.AuthStateless(), j.IsAuthenticated(), throttle, stateless.dispatch())...)

	// The OpenAPI 3.1 document of the routes above (drf-spectacular's path).
	schema := j.OpenAPIHandler(openAPIRoutes...)
	r.GET(schemaPath, views.NoAuthentication, schema)
	r.HEAD(schemaPath, views.NoAuthentication, schema)

	// The public keys, for services that verify our tokens (SIMPLE_JWT_PUBLISH_JWKS=true).
	if j.Settings().PublishJWKS {
		jwks := j.JWKS()
		r.GET(jwksPath, views.NoAuthentication, jwks)
		r.HEAD(jwksPath, views.NoAuthentication, jwks)
	}

	// The browser demo of the cookie transport (REST_AUTH_JWT_AUTH_COOKIE set).
	if j.Cookies() != nil {
		r.GET("/demo/", demoPage)
		r.HEAD("/demo/", demoPage)
	}

	// The staff-only token admin (ginjwt.Admin): Django admin's token_blacklist pages. Its CSRF
	// protection is the cookie transport's when CSRF is in use, else Django's defaults with the
	// CSRF_* settings.
	if j.Users() != nil && j.Tokens().Store() != nil {
		r.Any("/admin/tokens/*admin", j.Admin(ginjwt.AdminConfig{CSRF: j.Settings().Cookies.CSRF}))
	}

	// gin's own trailing-slash redirect happens before any middleware, so it would go
	// unlogged: NoRoute does it instead (Django's APPEND_SLASH, both ways).
	r.RedirectTrailingSlash = false
	r.NoRoute(notFound(r))
	r.NoMethod(methodNotAllowed(r))
	return r
}

// openAPIRoutes describe the protected routes in the OpenAPI document.
var openAPIRoutes = []ginjwt.OpenAPIRoute{
	{Method: "GET", Path: "/api/me/", OperationID: "me", Summary: "The DB-backed user named by the access token.",
		Response: map[string]any{
			"type": "object", "required": []string{"id", "username"},
			"properties": map[string]any{"id": map[string]any{"type": []string{"integer", "string"}}, "username": map[string]any{"type": "string"}},
		}},
	{Method: "GET", Path: "/api/me/stateless/", OperationID: "me_stateless", Summary: "The stateless TokenUser built from the token's claims (no database access).",
		Response: map[string]any{
			"type": "object", "required": []string{"id"},
			"properties": map[string]any{"id": map[string]any{"type": "string"}, "username": map[string]any{"type": "string"}},
		}},
}

// notFound answers an unknown path with DRF's 404 {"detail":"Not found."}, or redirects to
// the path with (or without) the trailing slash when that is a route: 301 for GET and HEAD,
// 308 otherwise (the method and body are kept). The target comes from the route table only.
func notFound(r *gin.Engine) gin.HandlerFunc {
	isRoute := func(path string) bool { // routes added after newRouter count too
		for _, rt := range r.Routes() {
			if rt.Path == path {
				return true
			}
		}
		return false
	}
	return func(c *gin.Context) {
		p := c.Request.URL.Path
		alt := p + "/"
		if strings.HasSuffix(p, "/") {
			alt = strings.TrimSuffix(p, "/")
		}
		if p != "/" && isRoute(alt) {
			code := http.StatusPermanentRedirect
			if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead {
				code = http.StatusMovedPermanently
			}
			target := url.URL{Path: alt, RawQuery: c.Request.URL.RawQuery}
			c.Redirect(code, target.String())
			return
		}
		(&views.Renderer{}).Error(c, &views.APIError{Status: http.StatusNotFound, Detail: "Not found."})
	}
}

// methodNotAllowed answers the methods gin has no route for at a known path (PROPFIND, say)
// with DRF's 405 and the path's Allow header: the token views answer POST and OPTIONS, the
// GET views GET, HEAD and OPTIONS.
func methodNotAllowed(r *gin.Engine) gin.HandlerFunc {
	allow := map[string]string{"/api/me/": allowMe, "/api/me/stateless/": allowMe, jwksPath: allowJWKS, schemaPath: allowSchema, "/metrics": allowMetrics}
	for _, e := range views.SessionEndpoints() { // GET and DELETE views (SIMPLE_JWT_SESSIONS)
		allow["/api/token"+e.Path] = e.Allow
	}
	for _, rt := range r.Routes() {
		if rt.Method == http.MethodPost {
			if _, ok := allow[rt.Path]; !ok {
				allow[rt.Path] = views.AllowPost
			}
		}
	}
	return func(c *gin.Context) {
		rd := &views.Renderer{Allow: allow[c.Request.URL.Path]}
		if rd.Allow == "" {
			c.Writer.Header().Del("Allow") // gin's list would include the 405 handlers
		}
		rd.Error(c, views.MethodNotAllowedError(c.Request.Method))
	}
}

// apiView is a read-only DRF APIView: GET (and HEAD, answered by GET without the body),
// OPTIONS with DRF's metadata, and 405 for anything else; Allow on every response.
type apiView struct {
	name, description string
	get               gin.HandlerFunc
}

func (v apiView) renderer() *views.Renderer { return &views.Renderer{Allow: allowMe} }

// allow sets Allow first, so that the 401s of the authentication step carry it too.
func (v apiView) allow() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Allow", allowMe)
		c.Next()
	}
}

func (v apiView) dispatch() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead:
			v.get(c)
		case http.MethodOptions:
			v.renderer().JSON(c, http.StatusOK, pyjson.NewObject().
				Set("name", v.name).
				Set("description", v.description).
				Set("renders", views.Renders()).
				Set("parses", views.Parses()))
		default:
			v.renderer().Error(c, views.MethodNotAllowedError(c.Request.Method))
		}
	}
}

// meHandler answers the database user: {"id": <pk as a JSON number>, "username": "alice"}.
func meHandler(j *ginjwt.JWT) gin.HandlerFunc {
	rd := &views.Renderer{Allow: allowMe}
	return func(c *gin.Context) {
		u, ok := ginjwt.UserFrom(c)
		if !ok {
			rd.Error(c, views.ErrNotAuthenticated)
			return
		}
		body := pyjson.NewObject()
		if user, ok := u.(*models.User); ok {
			body.Set("id", user.ID).Set("username", user.Username)
		} else {
			// A custom UserStore: the USER_ID_FIELD value, a number when it is one.
			id := j.Users().UserID(u)
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				body.Set("id", n)
			} else {
				body.Set("id", id)
			}
		}
		rd.JSON(c, http.StatusOK, body)
	}
}

// statelessMeHandler answers the token's user without touching the database: {"id": "1"}
// (simplejwt's TokenUser.id, always text) followed by the custom claims the obtain serializer
// adds (customClaims) that the token carries.
func statelessMeHandler(c *gin.Context) {
	rd := &views.Renderer{Allow: allowMe}
	u, ok := ginjwt.UserFrom(c)
	tu, isTokenUser := u.(models.TokenUser)
	if !ok || !isTokenUser {
		rd.Error(c, views.ErrNotAuthenticated)
		return
	}
	body := pyjson.NewObject().Set("id", tu.ID)
	for _, name := range customClaims {
		if v, ok := tu.Claim(name); ok {
			body.Set(name, v)
		}
	}
	rd.JSON(c, http.StatusOK, body)
}

// requestLog logs one line per request: method, path, status, duration, response size, the
// peer and the request's id. Never the query string, headers (Authorization) or bodies
// (passwords, tokens). The id is sent as X-Request-Id and carried by the request's context,
// where requestIDHandler adds it to every other line logged with that context (the causes of
// 500s and 503s), so the lines of one request can be matched.
//
// Issue 14 bounds the log's cost at 10% of a stateless request's throughput, hence the short
// ways: the record logger.LogAttrs would make is built here and handed to the handler (slog's
// Logger would also look up the caller's program counter, which the text handler never prints,
// and read the clock once more); the request's id goes in as an attribute rather than through
// requestIDHandler's context lookup; the id is a counter (requestIDs); one allocation holds it
// for the context and the header (requestIDContext); textHandler writes the line without a
// record (handleRequest); with
// trustsProxies false (TRUSTED_PROXIES unset) the peer's address is read as peerIP does.
func requestLog(logger *slog.Logger, trustsProxies bool) gin.HandlerFunc {
	h := logger.Handler()
	if rh, ok := h.(requestIDHandler); ok {
		h = rh.Handler // the line has its request_id below
	}
	ids := newRequestIDs()
	remote := peerIP
	if trustsProxies {
		remote = (*gin.Context).ClientIP
	}
	return func(c *gin.Context) {
		start := time.Now()
		rc := withRequestID(c.Request.Context(), ids.next())
		c.Writer.Header()["X-Request-Id"] = rc.id[:]
		c.Request = c.Request.WithContext(rc)
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		if status >= http.StatusInternalServerError {
			level = slog.LevelError
		}
		ctx := c.Request.Context()
		if !h.Enabled(ctx, level) {
			return
		}
		end := time.Now()
		l := requestLine{
			at: end, level: level, method: c.Request.Method, path: c.Request.URL.Path, status: status,
			duration: end.Sub(start), size: max(c.Writer.Size(), 0), remote: remote(c), id: rc.id[0],
		}
		if th, ok := h.(textHandler); ok {
			if done, _ := th.handleRequest(l); done {
				return
			}
		}
		_ = h.Handle(ctx, l.record())
	}
}

// peerIP is c.ClientIP() on a router that trusts no proxy, served over TCP (as the example
// is): the peer's address in gin's form (net.IP's String). When RemoteAddr holds the address in
// that form already (an IPv4 address, or an IPv6 one written as RFC 5952 has it, without a
// zone), it is returned as it is, without ClientIP's parsing and allocations; anything else is
// ClientIP's.
func peerIP(c *gin.Context) string {
	host, _, err := net.SplitHostPort(strings.TrimSpace(c.Request.RemoteAddr))
	if err == nil {
		if a, err := netip.ParseAddr(host); err == nil && a.Zone() == "" && !a.Is4In6() {
			var buf [len("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")]byte
			if string(a.AppendTo(buf[:0])) == host {
				return host
			}
		}
	}
	return c.ClientIP()
}

// requestIDKey is the context key of a request's id; its value is the *requestIDContext.
type requestIDKey struct{}

// requestIDContext is a request's context with its id: a context.WithValue, and the value of
// the X-Request-Id header too, in one allocation (WithValue, the boxed string and the header's
// slice were three).
type requestIDContext struct {
	context.Context
	id [1]string
}

func (c *requestIDContext) Value(key any) any {
	if _, ok := key.(requestIDKey); ok {
		return c
	}
	return c.Context.Value(key)
}

// withRequestID returns ctx carrying the request id id.
func withRequestID(ctx context.Context, id string) *requestIDContext {
	return &requestIDContext{Context: ctx, id: [1]string{id}}
}

// requestIDFrom returns the request id ctx carries, if any.
func requestIDFrom(ctx context.Context) (string, bool) {
	c, ok := ctx.Value(requestIDKey{}).(*requestIDContext)
	if !ok {
		return "", false
	}
	return c.id[0], true
}

// requestIDs makes the request ids: 16 hex digits, a random 64-bit start per router (so per
// process) plus a counter. Within a process no id repeats (the counter would have to wrap
// 2^64); two processes' ids meet only if their ranges overlap, as unlikely as a collision of
// random ids. The counter replaces a crypto/rand read per request; an id is a label for
// matching lines, not a secret.
type requestIDs struct {
	start uint64
	n     atomic.Uint64
}

func newRequestIDs() *requestIDs {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &requestIDs{start: binary.BigEndian.Uint64(b[:])}
}

// next returns the next id.
func (g *requestIDs) next() string {
	const digits = "0123456789abcdef"
	v := g.start + g.n.Add(1)
	var b [16]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return string(b[:])
}

// requestIDHandler adds the request id of the context, if any, to each record.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := requestIDFrom(ctx); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// serveHTTP serves h on ln until ctx is done, then shuts down gracefully: no new connections,
// requests in flight get shutdownTimeout to finish.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening", slog.String("addr", ln.Addr().String()))

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", slog.Duration("timeout", shutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// listenAddr normalises ADDR: ":8000" and "8000" are accepted as well as "host:port".
func listenAddr(addr string) string {
	if !strings.Contains(addr, ":") {
		return "127.0.0.1:" + addr
	}
	return addr
}

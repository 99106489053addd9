package views

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// View is one of simplejwt's token views (TokenViewBase): a serializer behind a POST endpoint
// that takes no authentication, plus DRF's OPTIONS metadata.
type View struct {
	// Name is DRF's view name, reported by OPTIONS ("Token Obtain Pair").
	Name string
	// Description is the view's docstring, reported by OPTIONS.
	Description string
	// Env is handed to the serializer on each request.
	Env *serializers.Env
	// Serializer validates the body and builds the response.
	Serializer serializers.Serializer
	// AuthScheme is the scheme of WWW-Authenticate on 401s; "" means AUTH_HEADER_TYPES[0]
	// from Env's settings.
	AuthScheme string
	// MaxBodyBytes caps the request body; DefaultMaxBodyBytes when <= 0.
	MaxBodyBytes int64
	// Endpoint names the view for Observer.
	Endpoint EndpointName
	// Observer, when set, receives one ObserveEndpoint per request. Nil costs nothing.
	Observer Observer
	// Login marks a view that takes credentials (obtain pair, obtain sliding): with Throttle,
	// it is throttled as a login.
	Login bool
	// Throttle, on a Login view, applies DRF's ScopedRateThrottle with the scope
	// throttle.ScopeTokenObtain when the limiter has a rate for it (before the body is read,
	// as DRF's check_throttles), then the failed-login counts: Limiter.BeginLogin with the
	// submitted username before the serializer looks the user up, and LoginAttempt.Finish
	// with the outcome (200: succeeded; 401: failed; anything else: abandoned). A throttled
	// login is the same 429 whether the user exists or not. Nil: no throttling.
	Throttle *throttle.Limiter
	// Transport carries tokens besides the body (cookies); nil means the body alone.
	Transport Transport
}

// renderer returns the Renderer of the view's responses.
func (v *View) renderer(noStore bool) *Renderer {
	scheme := v.AuthScheme
	if scheme == "" && v.Env != nil && v.Env.Tokens != nil {
		if types := v.Env.Settings().AuthHeaderTypes; len(types) > 0 {
			scheme = types[0]
		}
	}
	if scheme == "" {
		scheme = "Bearer"
	}
	var logger *slog.Logger
	if v.Env != nil {
		logger = v.Env.Logger
	}
	return &Renderer{WWWAuthenticate: WWWAuthenticate(scheme), Allow: AllowPost, NoStore: noStore, Logger: logger}
}

// postHandler returns the view's POST handler: TokenViewBase.post. It parses the body (ParseBody),
// runs the serializer and answers 200 with its body, or renders the error (Renderer.Error).
// Responses carry Allow: POST, OPTIONS, Vary: Accept and Cache-Control: no-store. A panic in
// the serializer (a hook, say) is a 500 with the stack logged.
//
// With v.Observer, each request is reported once, with its Result and duration; with
// v.Throttle on a Login view, it is throttled first (see View.Throttle).
func postHandler(v View) gin.HandlerFunc {
	if v.Serializer == nil {
		panic("views: NewRoute: View.Serializer is nil")
	}
	if !v.Login {
		v.Throttle = nil
	}
	var scoped []throttle.Throttle
	if v.Throttle != nil {
		if _, ok := v.Throttle.Rate(throttle.ScopeTokenObtain); ok {
			scoped = []throttle.Throttle{throttle.Scoped(throttle.ScopeTokenObtain)}
		}
	}
	if v.Observer == nil {
		return func(c *gin.Context) { v.serve(c, scoped) }
	}
	return func(c *gin.Context) {
		start := time.Now()
		res := v.serve(c, scoped)
		v.Observer.ObserveEndpoint(v.Endpoint, res, time.Since(start))
	}
}

// serve answers one request and returns its Result.
func (v *View) serve(c *gin.Context, scoped []throttle.Throttle) (res Result) {
	rd := v.renderer(true)
	defer func() {
		if renderPanic(c, rd, recover()) {
			res = ResultError
		}
	}()
	if len(scoped) > 0 {
		if err := v.Throttle.Check(c, scoped...); err != nil {
			return rd.Render(c, err).Result
		}
	}
	var replay func()
	if v.Transport != nil {
		replay = replayBody(c.Request, v.MaxBodyBytes)
	}
	data, err := ParseBody(c.Request, v.MaxBodyBytes)
	if err != nil {
		return rd.Render(c, err).Result
	}
	var body *pyjson.Object
	if v.Transport != nil {
		replay() // the CSRF check reads the form field csrfmiddlewaretoken
		if body, err = v.Transport.Request(c.Writer, c.Request, v.Endpoint, data); err != nil {
			return rd.Render(c, err).Result
		}
	}
	// A login's outcome is recorded even when the client has gone: a success must still
	// release its attempt.
	finishCtx := context.WithoutCancel(c.Request.Context())
	var attempt *throttle.LoginAttempt
	if v.Throttle != nil {
		if attempt, err = v.beginLogin(c.Request, data); err != nil {
			return rd.Render(c, err).Result
		}
		// A panic or an early return leaves no failure behind; the Finish below comes first.
		defer attempt.Finish(finishCtx, throttle.LoginAbandoned)
	}
	ctx := c.Request.Context()
	if v.Env != nil {
		ctx = models.WithBudget(ctx, v.Env.DatabaseTimeout)
	}
	if body == nil {
		body, err = v.Serializer.Validate(ctx, v.Env, c.Request, data)
	}
	if v.Transport != nil {
		body = v.Transport.Response(c.Writer, c.Request, v.Endpoint, body, err)
	}
	if err == nil && body == nil {
		err = errors.New("views: serializer returned no body")
	}
	if err != nil {
		out := rd.Render(c, err)
		attempt.Finish(finishCtx, loginOutcome(out))
		return out.Result
	}
	attempt.Finish(finishCtx, throttle.LoginSucceeded)
	rd.JSON(c, http.StatusOK, body)
	return ResultOK
}

// beginLogin counts the attempt of the username the body submits, read as the serializer
// reads it (DRF's CharField: whitespace stripped, numbers as text), so that "alice " and
// "alice" share one count. A body without a usable username is not counted: the serializer
// answers it 400 without looking anyone up. The attempt is nil then.
func (v *View) beginLogin(r *http.Request, data *pyjson.Object) (*throttle.LoginAttempt, error) {
	field := "username"
	if v.Env != nil {
		field = v.Env.Username()
	}
	var errs serializers.ValidationError
	username, ok := serializers.Field{Name: field, Required: true}.CharMaxLength(data, serializers.MaxUsernameLength, &errs)
	if !ok || errs.Err() != nil {
		return nil, nil
	}
	return v.Throttle.BeginLogin(r, username)
}

// loginOutcome is the failed-login count's reading of an answer: a 401 is a refused login;
// anything else (a 400, a 503) never judged the credentials.
func loginOutcome(out Outcome) throttle.Outcome {
	if out.Status == http.StatusUnauthorized {
		return throttle.LoginFailed
	}
	return throttle.LoginAbandoned
}

// optionsHandler returns the view's OPTIONS handler: DRF's SimpleMetadata, 200
// {"name", "description", "renders", "parses", "actions": {"POST": {field: {"type",
// "required", "read_only", "label"}}}}.
func optionsHandler(v View) gin.HandlerFunc {
	return func(c *gin.Context) {
		rd := v.renderer(false)
		defer recoverJSON(c, rd)
		rd.JSON(c, http.StatusOK, metadata(v))
	}
}

// metadata is the body of OPTIONS: DRF's SimpleMetadata.determine_metadata for the view.
func metadata(v View) *pyjson.Object {
	fields := pyjson.NewObject()
	var optional []string
	if o, ok := v.Transport.(OptionalFields); ok {
		optional = o.OptionalFields(v.Endpoint)
	}
	if v.Serializer != nil {
		for _, f := range v.Serializer.Fields(v.Env) {
			fields.Set(f.Name, pyjson.NewObject().
				Set("type", f.DisplayType()).
				Set("required", f.Required && !f.ReadOnly && !slices.Contains(optional, f.Name)).
				Set("read_only", f.ReadOnly).
				Set("label", f.DisplayLabel()))
		}
	}
	return pyjson.NewObject().
		Set("name", v.Name).
		Set("description", v.Description).
		Set("renders", Renders()).
		Set("parses", Parses()).
		Set("actions", pyjson.NewObject().Set("POST", fields))
}

// MethodNotAllowed returns a handler that answers DRF's 405 {"detail":"Method \"GET\" not
// allowed."} with Allow: allow.
func MethodNotAllowed(allow string) gin.HandlerFunc {
	rd := &Renderer{Allow: allow}
	return func(c *gin.Context) {
		rd.Error(c, MethodNotAllowedError(c.Request.Method))
	}
}

// Recovery returns a middleware that turns a panic further down the chain into the fixed 500
// JSON body, logging the panic value and the stack with slog.Default() (nothing of it is
// sent, whatever gin's mode). http.ErrAbortHandler is re-panicked, as net/http expects.
func Recovery() gin.HandlerFunc { return RecoveryWithLogger(nil) }

// RecoveryWithLogger is Recovery with a logger (slog.Default() when nil).
func RecoveryWithLogger(logger *slog.Logger) gin.HandlerFunc {
	rd := &Renderer{Logger: logger}
	return func(c *gin.Context) {
		defer recoverJSON(c, rd)
		c.Next()
	}
}

func recoverJSON(c *gin.Context, rd *Renderer) { renderPanic(c, rd, recover()) }

// renderPanic answers a recovered panic p (nil: none) with the fixed 500 and logs it; it
// reports whether there was one.
func renderPanic(c *gin.Context, rd *Renderer, p any) bool {
	if p == nil {
		return false
	}
	if p == http.ErrAbortHandler { //nolint:errorlint // net/http compares the value itself
		panic(p)
	}
	rd.log().ErrorContext(c.Request.Context(), "simplejwt: panic",
		slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
		slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
	if !c.Writer.Written() {
		rd.Write(c, ErrServer.Status, detailJSON(ErrServer.Detail))
	}
	c.Abort()
	return true
}

// Route is one token endpoint for RegisterRoutes: a path relative to the group the routes go
// on, the URL name simplejwt's docs give it, and the POST and OPTIONS handlers.
type Route struct {
	Path    string       // "/refresh/"
	Name    EndpointName // "token_refresh"
	Handler gin.HandlerFunc
	Options gin.HandlerFunc
}

// NewRoute makes the Route of v at path: its POST handler (simplejwt's TokenViewBase.post:
// the body parsed by ParseBody, the serializer run, 200 with its body or the error rendered by
// Renderer.Error, a panic answered 500 with the stack logged) and its OPTIONS handler (DRF's
// SimpleMetadata: name, description, renders, parses and the serializer's fields). It panics
// when v.Serializer is nil.
func NewRoute(path string, name EndpointName, v View) Route {
	return Route{Path: path, Name: name, Handler: postHandler(v), Options: optionsHandler(v)}
}

// RouteOptions configure Routes.
type RouteOptions struct {
	// Serializers are the serializer settings by endpoint (TOKEN_OBTAIN_SERIALIZER is
	// Serializers[TokenObtainPair]); a missing one is the endpoint's default.
	Serializers map[EndpointName]serializers.Serializer
	// Endpoints are the endpoints to make, in the table's order whatever their order here; nil
	// means every endpoint of the table.
	Endpoints []EndpointName
	// MaxBodyBytes is View.MaxBodyBytes of every view.
	MaxBodyBytes int64
	// AuthScheme is View.AuthScheme of every view.
	AuthScheme string
	// Observer is View.Observer of every view.
	Observer Observer
	// Throttle is View.Throttle of the login views (the table's Login rows).
	Throttle *throttle.Limiter
	// Transport is View.Transport of every view (cookies); nil means the body alone.
	Transport Transport
}

// Routes returns the routes of the endpoint table (Endpoints), relative to the group they are
// registered on: "/" (obtain pair), "/refresh/", "/verify/", "/blacklist/", "/sliding/",
// "/sliding/refresh/".
func Routes(env *serializers.Env, o RouteOptions) []Route {
	var routes []Route
	for _, e := range rows(KindToken) {
		if o.Endpoints != nil && !slices.Contains(o.Endpoints, e.Name) {
			continue
		}
		v := e.NewView(env, o.Serializers[e.Name])
		v.MaxBodyBytes, v.AuthScheme, v.Observer, v.Throttle, v.Transport = o.MaxBodyBytes, o.AuthScheme, o.Observer, o.Throttle, o.Transport
		routes = append(routes, NewRoute(e.Path, e.Name, v))
	}
	return routes
}

// otherMethods are the methods Register answers with 405 (DRF answers any method but POST and
// OPTIONS so; gin can only route the methods it is given).
var otherMethods = [...]string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodTrace}

// Register adds each route to r: POST, OPTIONS, and a 405 with Allow: POST, OPTIONS for
// GET, HEAD, PUT, PATCH, DELETE and TRACE, each marked NoAuthentication. r may be an engine or a group; Path is relative
// to it.
func Register(r gin.IRoutes, routes ...Route) {
	notAllowed := MethodNotAllowed(AllowPost)
	for _, rt := range routes {
		r.POST(rt.Path, NoAuthentication, rt.Handler)
		r.OPTIONS(rt.Path, NoAuthentication, rt.Options)
		for _, m := range otherMethods {
			r.Handle(m, rt.Path, NoAuthentication, notAllowed)
		}
	}
}

// RegisterCookieRoute adds the GET (and HEAD) route of a row of the cookie transport's table
// (CookieEndpoints), marked NoAuthentication; the other methods answer 405 with its Allow.
func RegisterCookieRoute(r gin.IRoutes, e CookieEndpoint, h gin.HandlerFunc) {
	path := e.Path
	r.GET(path, NoAuthentication, h)
	r.HEAD(path, NoAuthentication, h)
	notAllowed := MethodNotAllowed(e.Allow)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace} {
		r.Handle(m, path, NoAuthentication, notAllowed)
	}
}

// NoAuthentication marks a route that takes no authentication, as a DRF view with
// authentication_classes = []: ginjwt's Auth and AuthStateless further up the chain (on the
// router or a group) leave its requests anonymous. Register puts it on the token views, as
// simplejwt's views have no authentication. It does nothing itself:
//
//	router.Use(ginjwt.Auth())
//	router.GET("/healthz", views.NoAuthentication, health)
func NoAuthentication(*gin.Context) {}

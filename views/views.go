package views

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
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
}

// The views of simplejwt's views.py, with their names and docstrings. A nil serializer means
// the default one.

// TokenObtainPairView is TokenObtainPairView (TOKEN_OBTAIN_SERIALIZER).
func TokenObtainPairView(env *serializers.Env, s serializers.Serializer) View {
	return view(env, s, &serializers.TokenObtainPair{}, "Token Obtain Pair",
		"Takes a set of user credentials and returns an access and refresh JSON web\n"+
			"token pair to prove the authentication of those credentials.")
}

// TokenRefreshView is TokenRefreshView (TOKEN_REFRESH_SERIALIZER).
func TokenRefreshView(env *serializers.Env, s serializers.Serializer) View {
	return view(env, s, &serializers.TokenRefresh{}, "Token Refresh",
		"Takes a refresh type JSON web token and returns an access type JSON web\n"+
			"token if the refresh token is valid.")
}

// TokenObtainSlidingView is TokenObtainSlidingView (SLIDING_TOKEN_OBTAIN_SERIALIZER).
func TokenObtainSlidingView(env *serializers.Env, s serializers.Serializer) View {
	return view(env, s, &serializers.TokenObtainSliding{}, "Token Obtain Sliding",
		"Takes a set of user credentials and returns a sliding JSON web token to\n"+
			"prove the authentication of those credentials.")
}

// TokenRefreshSlidingView is TokenRefreshSlidingView (SLIDING_TOKEN_REFRESH_SERIALIZER).
func TokenRefreshSlidingView(env *serializers.Env, s serializers.Serializer) View {
	return view(env, s, &serializers.TokenRefreshSliding{}, "Token Refresh Sliding",
		"Takes a sliding JSON web token and returns a new, refreshed version if the\n"+
			"token's refresh period has not expired.")
}

// TokenVerifyView is TokenVerifyView (TOKEN_VERIFY_SERIALIZER).
func TokenVerifyView(env *serializers.Env, s serializers.Serializer) View {
	return view(env, s, &serializers.TokenVerify{}, "Token Verify",
		"Takes a token and indicates if it is valid.  This view provides no\n"+
			"information about a token's fitness for a particular use.")
}

// TokenBlacklistView is TokenBlacklistView (TOKEN_BLACKLIST_SERIALIZER).
func TokenBlacklistView(env *serializers.Env, s serializers.Serializer) View {
	return view(env, s, &serializers.TokenBlacklist{}, "Token Blacklist",
		"Takes a token and blacklists it. Must be used with the\n"+
			"`rest_framework_simplejwt.token_blacklist` app installed.")
}

func view(env *serializers.Env, s, def serializers.Serializer, name, description string) View {
	if s == nil {
		s = def
	}
	return View{Name: name, Description: description, Env: env, Serializer: s}
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

// New returns the view's POST handler: TokenViewBase.post. It parses the body (ParseBody),
// runs the serializer and answers 200 with its body, or renders the error (Renderer.Error).
// Responses carry Allow: POST, OPTIONS, Vary: Accept and Cache-Control: no-store. A panic in
// the serializer (a hook, say) is a 500 with the stack logged.
func New(v View) gin.HandlerFunc {
	if v.Serializer == nil {
		panic("views: New: View.Serializer is nil")
	}
	return func(c *gin.Context) {
		rd := v.renderer(true)
		defer recoverJSON(c, rd)
		data, err := ParseBody(c.Request, v.MaxBodyBytes)
		if err != nil {
			rd.Error(c, err)
			return
		}
		ctx := c.Request.Context()
		if v.Env != nil {
			ctx = models.WithBudget(ctx, v.Env.DatabaseTimeout)
		}
		body, err := v.Serializer.Validate(ctx, v.Env, c.Request, data)
		if err != nil {
			rd.Error(c, err)
			return
		}
		if body == nil {
			rd.Error(c, errors.New("views: serializer returned no body"))
			return
		}
		rd.JSON(c, http.StatusOK, body)
	}
}

// Options returns the view's OPTIONS handler: DRF's SimpleMetadata, 200
// {"name", "description", "renders", "parses", "actions": {"POST": {field: {"type",
// "required", "read_only", "label"}}}}.
func Options(v View) gin.HandlerFunc {
	return func(c *gin.Context) {
		rd := v.renderer(false)
		defer recoverJSON(c, rd)
		rd.JSON(c, http.StatusOK, Metadata(v))
	}
}

// Metadata is the body of OPTIONS: DRF's SimpleMetadata.determine_metadata for the view.
func Metadata(v View) *pyjson.Object {
	fields := pyjson.NewObject()
	if v.Serializer != nil {
		for _, f := range v.Serializer.Fields(v.Env) {
			fields.Set(f.Name, pyjson.NewObject().
				Set("type", f.DisplayType()).
				Set("required", f.Required && !f.ReadOnly).
				Set("read_only", f.ReadOnly).
				Set("label", f.DisplayLabel()))
		}
	}
	return pyjson.NewObject().
		Set("name", v.Name).
		Set("description", v.Description).
		Set("renders", Renders).
		Set("parses", Parses).
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

func recoverJSON(c *gin.Context, rd *Renderer) {
	p := recover()
	if p == nil {
		return
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
}

// Route is one token endpoint for RegisterRoutes: a path relative to the group the routes go
// on, the URL name simplejwt's docs give it, and the POST and OPTIONS handlers.
type Route struct {
	Path    string // "/refresh/"
	Name    string // "token_refresh"
	Handler gin.HandlerFunc
	Options gin.HandlerFunc
}

// NewRoute makes the Route of v at path.
func NewRoute(path, name string, v View) Route {
	return Route{Path: path, Name: name, Handler: New(v), Options: Options(v)}
}

// Serializers are the six serializer settings; nil fields mean the defaults.
type Serializers struct {
	TokenObtain          serializers.Serializer // TOKEN_OBTAIN_SERIALIZER
	TokenRefresh         serializers.Serializer // TOKEN_REFRESH_SERIALIZER
	TokenVerify          serializers.Serializer // TOKEN_VERIFY_SERIALIZER
	TokenBlacklist       serializers.Serializer // TOKEN_BLACKLIST_SERIALIZER
	SlidingTokenObtain   serializers.Serializer // SLIDING_TOKEN_OBTAIN_SERIALIZER
	SlidingTokenRefresh  serializers.Serializer // SLIDING_TOKEN_REFRESH_SERIALIZER
	MaxBodyBytes         int64                  // View.MaxBodyBytes of every view
	AuthScheme           string                 // View.AuthScheme of every view
	ExcludeSlidingRoutes bool                   // leave out /sliding/ and /sliding/refresh/
}

// Route names, as in simplejwt's documentation and test URLs.
const (
	NameTokenObtainPair     = "token_obtain_pair"
	NameTokenRefresh        = "token_refresh"
	NameTokenVerify         = "token_verify"
	NameTokenBlacklist      = "token_blacklist"
	NameTokenObtainSliding  = "token_obtain_sliding"
	NameTokenRefreshSliding = "token_refresh_sliding"
)

// Routes returns simplejwt's six endpoints, relative to the group they are registered on:
// "/" (obtain pair), "/refresh/", "/verify/", "/blacklist/", "/sliding/", "/sliding/refresh/".
func Routes(env *serializers.Env, s Serializers) []Route {
	mk := func(path, name string, v View) Route {
		v.MaxBodyBytes, v.AuthScheme = s.MaxBodyBytes, s.AuthScheme
		return NewRoute(path, name, v)
	}
	routes := []Route{
		mk("/", NameTokenObtainPair, TokenObtainPairView(env, s.TokenObtain)),
		mk("/refresh/", NameTokenRefresh, TokenRefreshView(env, s.TokenRefresh)),
		mk("/verify/", NameTokenVerify, TokenVerifyView(env, s.TokenVerify)),
		mk("/blacklist/", NameTokenBlacklist, TokenBlacklistView(env, s.TokenBlacklist)),
	}
	if !s.ExcludeSlidingRoutes {
		routes = append(routes,
			mk("/sliding/", NameTokenObtainSliding, TokenObtainSlidingView(env, s.SlidingTokenObtain)),
			mk("/sliding/refresh/", NameTokenRefreshSliding, TokenRefreshSlidingView(env, s.SlidingTokenRefresh)))
	}
	return routes
}

// OtherMethods are the methods Register answers with 405 (DRF answers any method but POST and
// OPTIONS so; gin can only route the methods it is given).
var OtherMethods = []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodTrace}

// Register adds each route to r: POST, OPTIONS, and a 405 with Allow: POST, OPTIONS for
// OtherMethods. r may be an engine or a group; Path is relative to it.
func Register(r gin.IRoutes, routes ...Route) {
	notAllowed := MethodNotAllowed(AllowPost)
	for _, rt := range routes {
		r.POST(rt.Path, rt.Handler)
		r.OPTIONS(rt.Path, rt.Options)
		for _, m := range OtherMethods {
			r.Handle(m, rt.Path, notAllowed)
		}
	}
}

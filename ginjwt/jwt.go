// Package ginjwt is djangorestframework-simplejwt for Gin: the token endpoints, the
// authentication middleware and the settings, on Django's own tables, wire-compatible with a
// Django service that shares the database and the key.
//
// The three lines:
//
//	ginjwt.Configure(db, settings)                       // once
//	router.Use(ginjwt.Auth())                            // DRF's JWTAuthentication
//	ginjwt.RegisterRoutes(router.Group("/api/token"))    // obtain pair, refresh, verify, blacklist
//
// and IsAuthenticated() on the routes that need a user; a handler reads it with
// UserAs[*models.User](c) (typed, never a panic) and the token with TokenFrom(c). Like
// log/slog, the package functions use a default instance set by Configure; New builds
// independent instances (two configurations in one process, tests without globals), with the
// same methods. New(nil, settings) with no UserStore is a stateless verifier: no database,
// Auth is AuthStateless.
//
// As a DRF view's authentication_classes, the authentication of a route is the one nearest to
// its handler: under router.Use(Auth()), a route with AuthStateless() never touches the
// database, and one with views.NoAuthentication is anonymous.
//
// Where each simplejwt module lives: settings.py → settings.go, env.go (SIMPLE_JWT_*
// variables) and tokens/settings.go; backends.py → tokens/backends.go and tokens/keys.go;
// tokens.py → tokens/tokens.go; exceptions.py → tokens/errors.go; authentication.py →
// authentication.go, sources.go (get_header, get_raw_token) and perview.go (per-view
// authentication); request.user and request.auth → context.go; the documented urls →
// routes.go; models.py and token_blacklist → package models; serializers.py → package
// serializers; views.py → package views.
package ginjwt

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt/locale"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// JWT is one configuration of simplejwt: settings, token manager, stores and serializers. It is
// safe for concurrent use.
type JWT struct {
	settings Settings
	tokens   *tokens.Manager
	users    models.UserStore
	env      *serializers.Env
	sources  []TokenSource
	renderer *views.Renderer
	locale   *locale.Catalog // nil when localization is off (LocaleSettings)
	// registered are the token endpoints RegisterRoutes added, for the OpenAPI document.
	registered registeredRoutes
	limiter    *throttle.Limiter
	cookies    *cookies.Transport // nil without cookie settings
	sessions   *sessions          // nil unless Settings.Sessions
	userCache  *userCache         // nil unless Settings.UserCacheFeed is in force
	db         *gorm.DB           // nil with a custom store or on a stateless verifier (Admin needs it)
}

// ErrNoUserStore is returned by User on a stateless verifier (New with neither a database nor
// Settings.UserStore): it has no users to look up.
var ErrNoUserStore = errors.New("ginjwt: a stateless verifier (no database, no Settings.UserStore) has no users")

// New validates s and builds an instance on db, which holds Django's auth_user and
// token_blacklist tables (see models.Migrate). db may be nil when Settings.UserStore is set
// (and then Settings.TokenStore, or NoTokenBlacklist).
//
// With neither a database nor Settings.UserStore, New returns a stateless verifier, for a
// service that only checks tokens (a resource server holding the public key, or sharing the
// HMAC secret): no database, no user store. Its Auth is AuthStateless (the user is a
// models.TokenUser built from the claims); Users returns nil and User returns ErrNoUserStore;
// RegisterRoutes panics unless it is given only the endpoints that need no user
// (views.TokenVerify, and views.TokenBlacklist with a Settings.TokenStore). Settings.TokenStore,
// when set, is its blacklist (the blacklist check of sliding tokens); otherwise it has none.
func New(db *gorm.DB, s Settings) (*JWT, error) {
	return NewContext(context.Background(), db, s)
}

// NewContext is New with a context that bounds the JWKS client's background refresh.
func NewContext(ctx context.Context, db *gorm.DB, s Settings) (*JWT, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.Settings = s.Settings.WithDefaults()
	if s.DatabaseTimeout == 0 {
		s.DatabaseTimeout = models.DefaultTimeout
	}
	users, store, err := stores(db, s)
	if err != nil {
		return nil, err
	}
	verifier := users == nil
	m, err := tokens.NewManager(ctx, s.Settings, tokens.Options{Store: store, Now: s.Now, Logger: s.Logger})
	if err != nil {
		return nil, err
	}
	if store == nil && !verifier && s.RotateRefreshTokens && s.BlacklistAfterRotation {
		m.Logger().Warn("ginjwt: BLACKLIST_AFTER_ROTATION is on but the token blacklist is not installed: rotated refresh tokens stay valid (simplejwt issue #985)")
	}
	s.Serializers = s.serializers()
	transport, err := cookies.New(s.Cookies, cookies.Lifetimes{
		Access: s.AccessTokenLifetime, Refresh: s.RefreshTokenLifetime, SlidingRefresh: s.SlidingTokenRefreshLifetime,
	}, s.Now)
	if err != nil {
		return nil, fmt.Errorf("ginjwt: cookies: %w", err)
	}
	if transport != nil {
		s.Cookies = transport.Settings()
	}
	j := &JWT{
		settings: s,
		db:       db,
		tokens:   m,
		users:    users,
		sources:  s.tokenSources(transport),
		cookies:  transport,
		renderer: &views.Renderer{WWWAuthenticate: views.WWWAuthenticate(s.AuthHeaderTypes[0]), Logger: m.Logger()},
		env: &serializers.Env{
			Tokens:        m,
			Users:         users,
			UsernameField: usernameField(s),
			// nil for the default rule (Env.Authenticates applies it), which lets the refresh's
			// user check use the narrow models.AuthLookup: the default rule reads is_active only.
			Rule:            s.UserAuthenticationRule,
			OnLoginSuccess:  s.OnLoginSuccess,
			OnLoginFailed:   s.OnLoginFailed,
			Logger:          m.Logger(),
			DatabaseTimeout: s.DatabaseTimeout,
		},
	}
	if j.locale, err = s.LocaleSettings.newCatalog(); err != nil {
		return nil, err
	}
	if s.Throttle != nil {
		if j.limiter, err = j.newLimiter(*s.Throttle); err != nil {
			return nil, err
		}
	}
	j.userCache = newUserCache(db, s, users, m)
	if s.Sessions {
		if j.sessions, err = newSessions(ctx, db, s, m); err != nil {
			return nil, err
		}
		j.env.Sessions = j.sessions
	}
	return j, nil
}

// stores returns the user store and the token store (nil: no blacklist) of an instance on db
// with s (defaults filled in). With neither db nor s.UserStore, users is nil: a stateless
// verifier, whose blacklist is s.TokenStore when set.
func stores(db *gorm.DB, s Settings) (models.UserStore, tokens.TokenStore, error) {
	users := s.UserStore
	if users == nil && db != nil {
		var err error
		if users, err = models.NewUserStore(db, s.userStoreOptions()); err != nil {
			return nil, nil, fmt.Errorf("ginjwt: user model: %w", err)
		}
	}
	switch {
	case s.NoTokenBlacklist:
		return users, nil, nil
	case s.TokenStore != nil:
		return users, s.TokenStore, nil
	case users == nil:
		return nil, nil, nil // a stateless verifier: no blacklist unless Settings.TokenStore gives one
	case db != nil:
		gu, ok := users.(*models.GormUserStore)
		if !ok {
			return nil, nil, errors.New("ginjwt: with a custom UserStore, set TokenStore or NoTokenBlacklist")
		}
		return users, models.NewTokenStoreWith(db, models.TokenStoreOptions{Users: gu, Timeout: s.DatabaseTimeout}), nil
	}
	return nil, nil, errors.New("ginjwt: without a database, set TokenStore or NoTokenBlacklist")
}

// userStoreOptions are the options of the GORM user store: s.User, USER_ID_FIELD and
// DatabaseTimeout filled in.
func (s Settings) userStoreOptions() models.UserStoreOptions {
	opts := s.User
	if opts.IDField == "" {
		opts.IDField = s.UserIDField
	}
	if opts.Timeout == 0 {
		opts.Timeout = s.DatabaseTimeout
	}
	return opts
}

// newLimiter builds Settings.Throttle's limiter, with the instance's user, renderer and logger.
func (j *JWT) newLimiter(cfg throttle.Config) (*throttle.Limiter, error) {
	if cfg.UserID == nil {
		cfg.UserID = j.throttleUserID
	}
	if cfg.ErrorHandler == nil {
		cfg.ErrorHandler = func(c *gin.Context, err *throttle.Throttled) { j.renderer.Error(c, err) }
	}
	if cfg.Logger == nil {
		cfg.Logger = j.tokens.Logger()
	}
	l, err := throttle.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("ginjwt: Settings.Throttle: %w", err)
	}
	return l, nil
}

// throttleUserID is DRF's request.user.pk for the throttles: the id of the user Auth (or
// AuthStateless) stored, ok false for an anonymous request.
func (j *JWT) throttleUserID(c *gin.Context) (string, bool) {
	u, ok := UserFrom(c)
	if !ok {
		return "", false
	}
	if tu, isTokenUser := u.(models.TokenUser); isTokenUser {
		return tu.ID, true
	}
	if j.users == nil {
		return "", false
	}
	return j.users.UserID(u), true
}

// Limiter returns the limiter of Settings.Throttle, nil without it: its Middleware throttles
// your own routes (after Auth, so that "user" rates see the user):
//
//	r.Use(j.Auth(), j.Limiter().Middleware(throttle.Anon(), throttle.User()))
func (j *JWT) Limiter() *throttle.Limiter { return j.limiter }

func usernameField(s Settings) string {
	if s.UserStore == nil && s.User.UsernameField != "" {
		return s.User.UsernameField
	}
	return "username"
}

// Settings returns the settings in force, defaults filled in.
func (j *JWT) Settings() Settings { return j.settings }

// Tokens returns the token manager: make, parse and blacklist tokens in your own handlers.
func (j *JWT) Tokens() *tokens.Manager { return j.tokens }

// Users returns the user store; nil on a stateless verifier (see New).
func (j *JWT) Users() models.UserStore { return j.users }

// Env returns what the serializers receive, for calling them from your own handlers.
func (j *JWT) Env() *serializers.Env { return j.env }

// FlushExpiredTokens is simplejwt's flushexpiredtokens command on this instance: it deletes
// the outstanding tokens, and their blacklist rows, that expired more than LEEWAY before the
// instance's clock says now, and returns how many outstanding tokens it deleted. Run it daily.
//
// A token is accepted until exp + LEEWAY, so a row inside the leeway stays: Django's command
// deletes every row past expires_at, and with a LEEWAY a blacklisted (or rotated) refresh token
// is then accepted again until the leeway ends. Without the token blacklist (NoTokenBlacklist)
// it returns tokens.ErrNoStore; a custom Settings.TokenStore must implement
// models.ExpiredTokenFlusher.
func (j *JWT) FlushExpiredTokens(ctx context.Context) (int64, error) {
	store := j.tokens.Store()
	if store == nil {
		return 0, tokens.ErrNoStore
	}
	f, ok := store.(models.ExpiredTokenFlusher)
	if !ok {
		return 0, fmt.Errorf("ginjwt: the token store %T cannot flush expired tokens (it does not implement models.ExpiredTokenFlusher)", store)
	}
	n, err := f.FlushExpired(ctx, j.tokens.Now(), j.settings.Leeway)
	if err == nil && j.sessions != nil {
		// The revocations that can no longer refuse any token go too.
		_, err = j.sessions.store.DeleteExpiredRevocations(ctx, j.tokens.Now())
	}
	return n, err
}

var defaultJWT atomic.Pointer[JWT]

// Configure is New followed by SetDefault: the one call a service makes at start-up.
func Configure(db *gorm.DB, s Settings) error {
	j, err := New(db, s)
	if err != nil {
		return err
	}
	SetDefault(j)
	return nil
}

// SetDefault makes j the instance the package functions use.
func SetDefault(j *JWT) { defaultJWT.Store(j) }

// Default returns the instance set by Configure or SetDefault, nil before.
func Default() *JWT { return defaultJWT.Load() }

func mustDefault() *JWT {
	j := Default()
	if j == nil {
		panic("ginjwt: Configure (or SetDefault) must be called before using the package functions")
	}
	return j
}

// Auth is Default().Auth(). It panics at setup if Configure has not been called.
func Auth() gin.HandlerFunc { return mustDefault().Auth() }

// AuthStateless is Default().AuthStateless().
func AuthStateless() gin.HandlerFunc { return mustDefault().AuthStateless() }

// IsAuthenticated is Default().IsAuthenticated().
func IsAuthenticated() gin.HandlerFunc { return mustDefault().IsAuthenticated() }

// RegisterRoutes is Default().RegisterRoutes(r, only...).
func RegisterRoutes(r gin.IRoutes, only ...views.EndpointName) {
	mustDefault().RegisterRoutes(r, only...)
}

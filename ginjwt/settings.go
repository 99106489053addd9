package ginjwt

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// Settings is simplejwt's SIMPLE_JWT dict: the token keys (embedded tokens.Settings) plus the
// keys that name functions, classes and serializers, and what Django would supply from
// elsewhere (the user model, the blacklist app, the clock). Zero values mean the defaults.
type Settings struct {
	tokens.Settings

	// USER_AUTHENTICATION_RULE: decides whether an authenticated user may get tokens (obtain)
	// and refresh them. Default: serializers.DefaultUserAuthenticationRule.
	UserAuthenticationRule func(models.AuthUser) bool
	// ON_LOGIN_SUCCESS (simplejwt HEAD): runs after a successful obtain when UPDATE_LAST_LOGIN
	// is true. Default: set last_login to now.
	OnLoginSuccess func(ctx context.Context, u models.AuthUser, r *http.Request) error
	// ON_LOGIN_FAILED (simplejwt HEAD): runs when obtain fails, with the credentials, the
	// password masked. Default: nothing.
	OnLoginFailed func(ctx context.Context, credentials map[string]string, r *http.Request)
	// TokenSources are where Auth and AuthStateless look for the token, in order (go-chi/jwtauth's
	// extractors; simplejwt's get_header and get_raw_token): the first source that finds a token,
	// or fails, decides. Default: the AUTH_HEADER_NAME header alone (HeaderSource).
	TokenSources []TokenSource
	// Cookies are dj-rest-auth's REST_AUTH cookie keys (JWT_AUTH_COOKIE, JWT_AUTH_REFRESH_COOKIE,
	// …) and Django's CSRF settings: tokens in HttpOnly cookies for browser apps, with Django's
	// CSRF check (package views/cookies). The zero value sets no cookie and changes nothing.
	// With JWT_AUTH_COOKIE set and no TokenSources, Auth reads the Authorization header, then
	// the cookie (CookieSource).
	Cookies cookies.Settings
	// TOKEN_USER_CLASS: builds the stateless user of AuthStateless. Default: models.NewTokenUser.
	TokenUserClass func(*tokens.Token) models.AuthUser

	// Serializers are the serializer settings, by endpoint: TOKEN_OBTAIN_SERIALIZER is
	// Serializers[views.TokenObtainPair], TOKEN_REFRESH_SERIALIZER Serializers[views.TokenRefresh],
	// and so on for each row of views.Endpoints (its Setting names the key). A missing entry is
	// the endpoint's default serializer (&serializers.TokenObtainPair{}, …).
	Serializers map[views.EndpointName]serializers.Serializer

	// Sessions (no simplejwt key; SIMPLE_JWT_SESSIONS), default false: each login is a session
	// whose id the refresh token and its access tokens carry (claim "sid"); the caller's sessions
	// can be listed and ended (the /sessions/ routes, EndSession, EndAllSessions), and ended
	// sessions' access tokens are refused at once by Auth and AuthStateless on every instance
	// sharing the database (see FollowRevocations). Needs the database and the token blacklist.
	// Off, nothing differs from simplejwt on the wire.
	Sessions bool
	// REFRESH_TOKEN_REUSE_DETECTION (no simplejwt key), default false: with Sessions, rotation
	// and BLACKLIST_AFTER_ROTATION, a refresh token presented again after it was rotated away,
	// later than REFRESH_TOKEN_REUSE_GRACE_PERIOD after its rotation, ends its whole session
	// (RFC 9700 §4.14.2). Logged at warn level with the session and user ids.
	RefreshTokenReuseDetection bool
	// REFRESH_TOKEN_REUSE_GRACE_PERIOD, default 0: a replay within it (two tabs refreshing at
	// once) is refused but leaves the session alive.
	RefreshTokenReuseGracePeriod time.Duration
	// RevocationPollInterval is how often FollowRevocations reads the revocation table where
	// PostgreSQL's LISTEN/NOTIFY is not available (or is down). Default 250 ms.
	RevocationPollInterval time.Duration
	// RevocationFeed, with Sessions on PostgreSQL, is how FollowRevocations hears of revocations
	// at once: pglisten.Listen (package ginjwt/revocation/pglisten; see Feed). Nil:
	// FollowRevocations polls the revocation table every RevocationPollInterval everywhere.
	RevocationFeed Feed

	// UserCacheFeed (no simplejwt key), on PostgreSQL with the GORM store of the built-in
	// models.User, turns on Auth's user cache (models.AuthCache): a user read for one request
	// serves the next ones without a query, and is dropped the moment its row changes. It is
	// how FollowUsers hears of the changes: pglisten.Listen on models.UserChannel, which the
	// trigger models.MigrateUserNotify installs announces (an UPDATE or DELETE of a user row,
	// whoever writes it: Django's admin or changepassword, a Django peer). The cache serves only
	// while FollowUsers is listening: before, and whenever the feed is down, every request reads
	// the database as without it; New does not start it. A deactivation or a password change is
	// refused as soon as its NOTIFY arrives, as a session revocation is. Nil (the default): no
	// cache; elsewhere than on PostgreSQL, or with a custom user store or model, it is ignored
	// (with a warning).
	UserCacheFeed Feed
	// UserCacheSize bounds the users the cache holds. Default models.DefaultAuthCacheEntries
	// (10,000).
	UserCacheSize int
	// UserCacheMaxAge is how long a cached user is served after it was read, a safety net
	// behind the invalidation. Default models.DefaultAuthCacheMaxAge (1 minute).
	UserCacheMaxAge time.Duration

	// What Django configures outside SIMPLE_JWT.

	// LocaleSettings are LANGUAGE_CODE and LocaleMiddleware: the language of the error bodies
	// (JWT.Locale). The zero value changes nothing.
	LocaleSettings

	// User is the user model (AUTH_USER_MODEL): table, USER_ID_FIELD column, USERNAME_FIELD,
	// hashers. Ignored when UserStore is set.
	User models.UserStoreOptions
	// UserStore replaces the GORM store of Django's auth_user (your own user source).
	UserStore models.UserStore
	// TokenStore replaces the GORM store of the token_blacklist tables.
	TokenStore tokens.TokenStore
	// NoTokenBlacklist is simplejwt without rest_framework_simplejwt.token_blacklist in
	// INSTALLED_APPS: nothing is outstanded or blacklisted, /blacklist/ answers 200 {} and does
	// nothing, rotation cannot revoke the old token (a warning is logged at start).
	NoTokenBlacklist bool
	// DatabaseTimeout bounds the database work of one request: each store call (the wait for a
	// pooled connection and for locks included), and all the store calls of one token view or
	// of Auth together (a login's password hash is not counted). A stalled database answers 503
	// {"detail":"Service temporarily unavailable."} within it and consumes nothing. Keep it well
	// below your http.Server's WriteTimeout, so that the client always receives the answer.
	// Default models.DefaultTimeout (3 s); it also becomes User.Timeout when that is zero.
	DatabaseTimeout time.Duration
	// Now is the clock; time.Now when nil. Tests inject a fixed one.
	Now func() time.Time
	// Logger receives warnings, the causes of 500s and the JWKS client's fetch failures;
	// slog.Default() when nil.
	Logger *slog.Logger

	// Operations: neither simplejwt nor Django configures these; both are off when nil.

	// Metrics receives one call per token-view request (endpoint, result, duration) and one per
	// request authenticated by Auth or AuthStateless (result, 401 code): metrics.New gives the
	// Prometheus collectors. Nil costs nothing.
	Metrics views.Observer
	// Throttle configures DRF's throttling (package throttle): the obtain views (pair and
	// sliding) apply the scope "token_obtain" when Rates names it, and always count failed
	// logins per username and per client address (throttle.Limiter.BeginLogin); a throttled
	// login is 429 with DRF's body and Retry-After, the same whether the user exists or not.
	// JWT.Limiter returns the limiter, whose Middleware applies "anon", "user" and other
	// scopes to your own routes. New fills in, when nil: UserID (the user Auth stored),
	// ErrorHandler (the views' renderer, so a 429 has the bytes of every other error) and
	// Logger (Settings.Logger). Nil: no throttling.
	Throttle *throttle.Config
}

// Feed is how Settings.RevocationFeed and Settings.UserCacheFeed hear a PostgreSQL
// notification channel: it follows channel on the database db connects to, calls notify("")
// once listening (the caller then reads what it may have missed) and notify(payload) for each
// notification, until ctx ends (nil) or the connection fails (its error). pglisten.Listen
// (package ginjwt/revocation/pglisten) is one; it is a setting so that a service on SQLite
// or MySQL does not link the PostgreSQL driver.
type Feed func(ctx context.Context, db *sql.DB, channel string, notify func(payload string)) error

// DefaultSettings returns simplejwt's defaults, SigningKey left empty and Serializers an empty
// map, ready for s.Serializers[views.TokenObtainPair] = ….
func DefaultSettings() Settings {
	return Settings{Settings: tokens.DefaultSettings(), Serializers: map[views.EndpointName]serializers.Serializer{}}
}

// Validate reports every problem of s as New takes it (zero values are the defaults), one
// *tokens.SettingError each, joined in a fixed order: the token settings in the order of the
// tokens.Settings fields (tokens.Settings.Validate), then DatabaseTimeout,
// RefreshTokenReuseGracePeriod, RevocationPollInterval, UserCacheSize and UserCacheMaxAge, then
// the Serializers entries that name no endpoint, sorted by name. No
// map's iteration order decides anything, so the same settings give the same report, first
// line included, on every call.
func (s Settings) Validate() error {
	var errs []error
	if err := s.Settings.WithDefaults().Validate(); err != nil {
		errs = append(errs, err)
	}
	if s.DatabaseTimeout < 0 {
		errs = append(errs, &tokens.SettingError{Field: "DatabaseTimeout",
			Err: fmt.Errorf("%s: want a positive duration (zero: the default, %s)", s.DatabaseTimeout, models.DefaultTimeout)})
	}
	if s.RefreshTokenReuseGracePeriod < 0 {
		errs = append(errs, &tokens.SettingError{Key: "REFRESH_TOKEN_REUSE_GRACE_PERIOD", Field: "RefreshTokenReuseGracePeriod", Err: errors.New("must not be negative")})
	}
	if s.RevocationPollInterval < 0 {
		errs = append(errs, &tokens.SettingError{Field: "RevocationPollInterval", Err: errors.New("must not be negative")})
	}
	if s.UserCacheSize < 0 {
		errs = append(errs, &tokens.SettingError{Field: "UserCacheSize", Err: errors.New("must not be negative")})
	}
	if s.UserCacheMaxAge < 0 {
		errs = append(errs, &tokens.SettingError{Field: "UserCacheMaxAge", Err: errors.New("must not be negative")})
	}
	for _, name := range slices.Sorted(maps.Keys(s.Serializers)) {
		if _, ok := views.EndpointByName(name); !ok {
			errs = append(errs, &tokens.SettingError{Field: fmt.Sprintf("Serializers[%q]", name),
				Err: errors.New("no such endpoint (see views.Endpoints)")})
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// serializers returns the serializer in force for every endpoint of the table: s.Serializers
// (checked by Validate) over the defaults.
func (s Settings) serializers() map[views.EndpointName]serializers.Serializer {
	out := make(map[views.EndpointName]serializers.Serializer, len(views.Endpoints()))
	for _, e := range views.Endpoints() {
		if out[e.Name] = s.Serializers[e.Name]; out[e.Name] == nil {
			out[e.Name] = e.Serializer()
		}
	}
	return out
}

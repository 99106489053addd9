package tokens

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strings"
	"time"
)

// Disabled switches off a claim setting that simplejwt lets you set to None
// (TOKEN_TYPE_CLAIM, JTI_CLAIM): Settings{TokenTypeClaim: tokens.Disabled}.
const Disabled = "-"

// Settings holds the SIMPLE_JWT keys that concern tokens, their backend and authentication.
// Each field names its Python key; a zero value means simplejwt's default, which
// DefaultSettings spells out. ginjwt.Settings embeds this struct and adds the keys that name
// functions and serializers.
type Settings struct {
	// ACCESS_TOKEN_LIFETIME, default 5 minutes.
	AccessTokenLifetime time.Duration
	// REFRESH_TOKEN_LIFETIME, default 1 day.
	RefreshTokenLifetime time.Duration
	// ROTATE_REFRESH_TOKENS, default false: /refresh/ also returns a new refresh token.
	RotateRefreshTokens bool
	// BLACKLIST_AFTER_ROTATION, default false: with rotation, blacklist the submitted refresh
	// token; also makes /verify/ consult the blacklist (400, as simplejwt).
	BlacklistAfterRotation bool
	// UPDATE_LAST_LOGIN, default false: obtain views run OnLoginSuccess (last_login = now).
	UpdateLastLogin bool

	// ALGORITHM, default "HS256". One of HS256/384/512, RS256/384/512, PS256/384/512,
	// ES256/384/512, EdDSA. Tokens are only ever verified with this algorithm, whatever
	// their header says.
	Algorithm string
	// SIGNING_KEY: the HMAC secret (at least as long as the hash output: 32 bytes for HS256)
	// or a PEM private key. simplejwt defaults it to Django's SECRET_KEY; there is no such
	// thing here, so it is required (the example service makes one on first run).
	SigningKey string
	// VERIFYING_KEY: a PEM public key for the asymmetric algorithms. Ignored for HS*. When
	// empty with an asymmetric algorithm, the public half of SigningKey is used.
	VerifyingKey string
	// AUDIENCE, default None: added as "aud" when encoding and required when decoding (one
	// match among the token's values suffices). One value encodes as a string, several as a
	// list, like simplejwt given a str or a list.
	Audience []string
	// ISSUER, default None: added as "iss" and required to match exactly.
	Issuer string
	// JWK_URL, default None: asymmetric algorithms only; verifying keys come from this JWKS
	// (cached, selected by kid). The token's own jku/x5u/jwk headers are never followed.
	JWKURL string
	// LEEWAY, default 0: allowed clock skew for exp, nbf and iat.
	Leeway time.Duration

	// AUTH_HEADER_TYPES, default ["Bearer"]: accepted schemes, case-sensitive; the first is
	// used in WWW-Authenticate.
	AuthHeaderTypes []string
	// AUTH_HEADER_NAME, default "HTTP_AUTHORIZATION": Django's META name ("HTTP_X_ACCESS_TOKEN"
	// means the header X-Access-Token); a plain header name is accepted too.
	AuthHeaderName string
	// USER_ID_FIELD, default "id": the user field put into tokens and used for lookups.
	UserIDField string
	// USER_ID_CLAIM, default "user_id". Its value is always a string (simplejwt 5.5.1+).
	UserIDClaim string

	// AUTH_TOKEN_CLASSES, default [AccessToken]: the classes the middleware tries, in order.
	AuthTokenClasses []*Class
	// TOKEN_TYPE_CLAIM, default "token_type"; Disabled skips the type check.
	TokenTypeClaim string
	// JTI_CLAIM, default "jti"; Disabled skips the "has id" check.
	JTIClaim string

	// SLIDING_TOKEN_REFRESH_EXP_CLAIM, default "refresh_exp".
	SlidingTokenRefreshExpClaim string
	// SLIDING_TOKEN_LIFETIME, default 5 minutes.
	SlidingTokenLifetime time.Duration
	// SLIDING_TOKEN_REFRESH_LIFETIME, default 1 day; set once, never extended.
	SlidingTokenRefreshLifetime time.Duration

	// CHECK_REVOKE_TOKEN, default false: tokens carry RevokeTokenClaim, derived from the
	// user's password hash, and die when the password changes. Unlike simplejwt (an unsalted
	// MD5 of the hash, readable by anyone holding the token) the value is an HMAC-SHA256 of
	// the hash under the signing key: see RevokeHash.
	CheckRevokeToken bool
	// REVOKE_TOKEN_CLAIM, default "hash_password".
	RevokeTokenClaim string
	// CHECK_USER_IS_ACTIVE, default true (nil): inactive users are refused by the middleware
	// and by the default authentication rule. Set it with tokens.Bool(false).
	CheckUserIsActive *bool

	// Extensions (no simplejwt key).

	// SigningKeyID, when set, is written as the "kid" header of issued tokens, so that
	// verifiers holding several keys can pick the right one. Default: no kid (as simplejwt).
	SigningKeyID string
	// VerifyingKeys are extra keys, by kid, that verify tokens signed before a key rotation:
	// secrets for HS*, PEM public keys otherwise. A token whose kid is listed here is
	// verified with that key only; a token without kid, or with SigningKeyID, with the
	// primary key. Remove an old key once its tokens' lifetimes have passed.
	VerifyingKeys map[string]string
	// MaxTokenLength caps a token's length before any parsing, default 8192 bytes.
	MaxTokenLength int
}

// Bool returns a pointer to v, for the *bool settings.
func Bool(v bool) *bool { return &v }

// DefaultSettings returns simplejwt's defaults (newest release), SigningKey left empty.
func DefaultSettings() Settings {
	return Settings{
		AccessTokenLifetime:         5 * time.Minute,
		RefreshTokenLifetime:        24 * time.Hour,
		Algorithm:                   "HS256",
		AuthHeaderTypes:             []string{"Bearer"},
		AuthHeaderName:              "HTTP_AUTHORIZATION",
		UserIDField:                 "id",
		UserIDClaim:                 "user_id",
		AuthTokenClasses:            []*Class{AccessToken},
		TokenTypeClaim:              "token_type",
		JTIClaim:                    "jti",
		SlidingTokenRefreshExpClaim: "refresh_exp",
		SlidingTokenLifetime:        5 * time.Minute,
		SlidingTokenRefreshLifetime: 24 * time.Hour,
		RevokeTokenClaim:            "hash_password",
		CheckUserIsActive:           Bool(true),
		MaxTokenLength:              8192,
	}
}

// WithDefaults returns s with every zero field set to its default.
func (s Settings) WithDefaults() Settings {
	d := DefaultSettings()
	setDur := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	setStr := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	setDur(&s.AccessTokenLifetime, d.AccessTokenLifetime)
	setDur(&s.RefreshTokenLifetime, d.RefreshTokenLifetime)
	setDur(&s.SlidingTokenLifetime, d.SlidingTokenLifetime)
	setDur(&s.SlidingTokenRefreshLifetime, d.SlidingTokenRefreshLifetime)
	setStr(&s.Algorithm, d.Algorithm)
	setStr(&s.AuthHeaderName, d.AuthHeaderName)
	setStr(&s.UserIDField, d.UserIDField)
	setStr(&s.UserIDClaim, d.UserIDClaim)
	setStr(&s.TokenTypeClaim, d.TokenTypeClaim)
	setStr(&s.JTIClaim, d.JTIClaim)
	setStr(&s.SlidingTokenRefreshExpClaim, d.SlidingTokenRefreshExpClaim)
	setStr(&s.RevokeTokenClaim, d.RevokeTokenClaim)
	if len(s.AuthHeaderTypes) == 0 {
		s.AuthHeaderTypes = d.AuthHeaderTypes
	}
	if len(s.AuthTokenClasses) == 0 {
		s.AuthTokenClasses = d.AuthTokenClasses
	}
	if s.CheckUserIsActive == nil {
		s.CheckUserIsActive = d.CheckUserIsActive
	}
	if s.MaxTokenLength == 0 {
		s.MaxTokenLength = d.MaxTokenLength
	}
	return s
}

// ErrInvalidSettings is wrapped by every error Validate returns.
var ErrInvalidSettings = errors.New("tokens: invalid settings")

func settingsErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidSettings, fmt.Sprintf(format, args...))
}

var headerToken = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// Validate reports the first problem of s (after WithDefaults): an unknown algorithm, a
// too-short HMAC key, a negative leeway, a bad header name, a nil token class. Keys of the
// asymmetric algorithms are checked by NewBackend, which parses them.
func (s Settings) Validate() error {
	if _, ok := algorithms[s.Algorithm]; !ok {
		return settingsErr("ALGORITHM: Unrecognized algorithm type '%s'", s.Algorithm)
	}
	for name, d := range map[string]time.Duration{
		"ACCESS_TOKEN_LIFETIME": s.AccessTokenLifetime, "REFRESH_TOKEN_LIFETIME": s.RefreshTokenLifetime,
		"SLIDING_TOKEN_LIFETIME": s.SlidingTokenLifetime, "SLIDING_TOKEN_REFRESH_LIFETIME": s.SlidingTokenRefreshLifetime,
	} {
		if d <= 0 {
			return settingsErr("%s must be positive, got %s", name, d)
		}
	}
	if s.Leeway < 0 {
		return settingsErr("LEEWAY must not be negative, got %s", s.Leeway)
	}
	if len(s.AuthHeaderTypes) == 0 {
		return settingsErr("AUTH_HEADER_TYPES must name at least one scheme")
	}
	for _, t := range s.AuthHeaderTypes {
		if !headerToken.MatchString(t) {
			return settingsErr("AUTH_HEADER_TYPES: %q is not a valid scheme word", t)
		}
	}
	if !headerToken.MatchString(s.HeaderName()) {
		return settingsErr("AUTH_HEADER_NAME: %q is not a valid header name", s.AuthHeaderName)
	}
	for i, c := range s.AuthTokenClasses {
		if c == nil || c.Name == "" || c.Type == "" || c.Lifetime == nil {
			return settingsErr("AUTH_TOKEN_CLASSES[%d] is not a usable token class", i)
		}
	}
	for name, v := range map[string]string{"USER_ID_CLAIM": s.UserIDClaim, "USER_ID_FIELD": s.UserIDField,
		"SLIDING_TOKEN_REFRESH_EXP_CLAIM": s.SlidingTokenRefreshExpClaim, "REVOKE_TOKEN_CLAIM": s.RevokeTokenClaim} {
		if v == "" || v == Disabled {
			return settingsErr("%s cannot be disabled", name)
		}
	}
	if s.MaxTokenLength < 64 {
		return settingsErr("MaxTokenLength %d is too small", s.MaxTokenLength)
	}
	alg := algorithms[s.Algorithm]
	if alg.hmac {
		if len(s.SigningKey) == 0 {
			return settingsErr("SIGNING_KEY is required for %s", s.Algorithm)
		}
		if len(s.SigningKey) < alg.minKey {
			return settingsErr("SIGNING_KEY is %d bytes; %s needs at least %d (RFC 7518 §3.2)",
				len(s.SigningKey), s.Algorithm, alg.minKey)
		}
		for kid, k := range s.VerifyingKeys {
			if len(k) < alg.minKey {
				return settingsErr("VerifyingKeys[%q] is %d bytes; %s needs at least %d", kid, len(k), s.Algorithm, alg.minKey)
			}
		}
	} else if s.SigningKey == "" && s.VerifyingKey == "" && s.JWKURL == "" {
		return settingsErr("%s needs SIGNING_KEY (a PEM private key), VERIFYING_KEY or JWK_URL", s.Algorithm)
	}
	if alg.hmac && s.JWKURL != "" {
		return settingsErr("JWK_URL cannot be used with %s", s.Algorithm)
	}
	return nil
}

// HeaderName returns the HTTP header AuthHeaderName designates: Django's META form
// ("HTTP_X_ACCESS_TOKEN") becomes "X-Access-Token".
func (s Settings) HeaderName() string {
	name := s.AuthHeaderName
	if name == "" {
		name = "HTTP_AUTHORIZATION"
	}
	if rest, ok := strings.CutPrefix(name, "HTTP_"); ok {
		name = strings.ReplaceAll(rest, "_", "-")
	}
	return textproto.CanonicalMIMEHeaderKey(name)
}

// IsActiveChecked reports CHECK_USER_IS_ACTIVE (true unless set to false).
func (s Settings) IsActiveChecked() bool { return s.CheckUserIsActive == nil || *s.CheckUserIsActive }

// claimName returns the configured name, or "" when the claim is disabled.
func claimName(v string) string {
	if v == Disabled {
		return ""
	}
	return v
}

package tokens

import (
	"errors"
	"fmt"
	"maps"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"time"
)

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
	AuthTokenClasses []Class
	// TOKEN_TYPE_CLAIM, default "token_type".
	TokenTypeClaim string
	// NoTokenTypeClaim is TOKEN_TYPE_CLAIM = None: tokens carry no type claim and their type is
	// not checked (TokenTypeClaim is then ignored).
	NoTokenTypeClaim bool
	// JTI_CLAIM, default "jti".
	JTIClaim string
	// NoJTIClaim is JTI_CLAIM = None: tokens carry no jti and the "has id" check is skipped
	// (JTIClaim is then ignored). It cannot be combined with the token blacklist, which finds
	// tokens by their jti.
	NoJTIClaim bool

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
	// AllowInactiveUsers is CHECK_USER_IS_ACTIVE negated, so that the zero value is
	// simplejwt's default (CHECK_USER_IS_ACTIVE = True): inactive users are refused by the
	// middleware and by the default authentication rule. true is CHECK_USER_IS_ACTIVE = False.
	AllowInactiveUsers bool

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
	// PublishJWKS (env SIMPLE_JWT_PUBLISH_JWKS), default false: the public halves of the
	// signing key and of every VerifyingKeys entry are meant to be published as a JWK set
	// (Manager.PublicKeySet, ginjwt's JWKS handler), and issued tokens carry a "kid" header
	// naming their key: SigningKeyID, or else the key's RFC 7638 thumbprint. With an HMAC
	// algorithm nothing is published (a secret has no public half) and NewManager warns.
	// With VerifyingKeys set and no SigningKeyID, an instance with PublishJWKS off refuses the
	// thumbprint kid as unknown: turn it on everywhere at once, or set SigningKeyID.
	PublishJWKS bool
}

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
		AuthTokenClasses:            []Class{AccessToken},
		TokenTypeClaim:              "token_type",
		JTIClaim:                    "jti",
		SlidingTokenRefreshExpClaim: "refresh_exp",
		SlidingTokenLifetime:        5 * time.Minute,
		SlidingTokenRefreshLifetime: 24 * time.Hour,
		RevokeTokenClaim:            "hash_password",
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
	if s.MaxTokenLength == 0 {
		s.MaxTokenLength = d.MaxTokenLength
	}
	return s
}

// ErrInvalidSettings is wrapped by every error Validate returns.
var ErrInvalidSettings = errors.New("tokens: invalid settings")

// SettingError is a problem with one setting, named by its SIMPLE_JWT key and its Go field:
// "SIMPLE_JWT_JTI_CLAIM (Settings.JTIClaim): …". errors.Is matches it against
// ErrInvalidSettings and against its cause (ErrWeakSecret, ErrKeyIsPath, …).
type SettingError struct {
	// Key is the setting's Python name without the SIMPLE_JWT_ prefix ("JTI_CLAIM"), or the
	// rest of the environment variable at fault ("SIGNING_KEY_FILE"); "" for the settings
	// that exist only in Go.
	Key string
	// Field is the Go field of Settings ("JTIClaim"; `VerifyingKeys["old"]` for one entry);
	// "" for a Python key with no Go counterpart (JSON_ENCODER).
	Field string
	// Err is the problem. It never holds key material.
	Err error
}

func (e *SettingError) Error() string {
	switch {
	case e.Key == "":
		return "Settings." + e.Field + ": " + e.Err.Error()
	case e.Field == "":
		return "SIMPLE_JWT_" + e.Key + ": " + e.Err.Error()
	}
	return "SIMPLE_JWT_" + e.Key + " (Settings." + e.Field + "): " + e.Err.Error()
}

// Unwrap exposes ErrInvalidSettings and the cause to errors.Is and errors.As.
func (e *SettingError) Unwrap() []error { return []error{ErrInvalidSettings, e.Err} }

// joinSettingErrors joins errs like errors.Join, flattening joined errors, so that every
// problem is one line and a single problem is returned as itself. It returns nil when every
// err is nil.
func joinSettingErrors(errs ...error) error {
	var flat []error
	var add func(error)
	add = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok && !isSettingError(err) {
			for _, e := range j.Unwrap() {
				add(e)
			}
		} else if err != nil {
			flat = append(flat, err)
		}
	}
	for _, err := range errs {
		add(err)
	}
	if len(flat) == 1 {
		return flat[0]
	}
	return errors.Join(flat...)
}

func isSettingError(err error) bool {
	_, ok := err.(*SettingError)
	return ok
}

// settingCheck is one row of Validate: a setting and its check. A check returns the bare
// problem, which Validate names after the row, or *SettingErrors of its own (one per map entry).
type settingCheck struct {
	key, field string
	check      func(s *Settings) error
}

// settingChecks are Validate's checks in the order of the Settings fields: Validate reports
// every failing one, always in this order.
var settingChecks = []settingCheck{
	{"ACCESS_TOKEN_LIFETIME", "AccessTokenLifetime", func(s *Settings) error { return positive(s.AccessTokenLifetime) }},
	{"REFRESH_TOKEN_LIFETIME", "RefreshTokenLifetime", func(s *Settings) error { return positive(s.RefreshTokenLifetime) }},
	{"ALGORITHM", "Algorithm", func(s *Settings) error {
		if _, ok := algorithms[s.Algorithm]; !ok {
			//lint:ignore ST1005 simplejwt's own message (TokenBackendError).
			return fmt.Errorf("Unrecognized algorithm type '%s'", s.Algorithm)
		}
		return nil
	}},
	{"SIGNING_KEY", "SigningKey", checkSigningKey},
	{"VERIFYING_KEY", "VerifyingKey", func(s *Settings) error {
		if alg, ok := algorithms[s.Algorithm]; ok && !alg.hmac && s.VerifyingKey != "" {
			return checkKey(alg, s.Algorithm, s.VerifyingKey, verifyingRole)
		}
		return nil // HS*: ignored, as simplejwt ignores it
	}},
	{"JWK_URL", "JWKURL", func(s *Settings) error {
		if alg, ok := algorithms[s.Algorithm]; ok && alg.hmac && s.JWKURL != "" {
			return fmt.Errorf("cannot be used with %s", s.Algorithm)
		}
		return nil
	}},
	{"LEEWAY", "Leeway", func(s *Settings) error {
		switch {
		case s.Leeway < 0:
			return fmt.Errorf("must not be negative, got %s", s.Leeway)
		case s.RefreshTokenLifetime > 0 && s.Leeway > s.RefreshTokenLifetime:
			return fmt.Errorf("%s is longer than REFRESH_TOKEN_LIFETIME (%s): an expired refresh token would stay usable for longer than it was valid", s.Leeway, s.RefreshTokenLifetime)
		}
		return nil
	}},
	{"AUTH_HEADER_TYPES", "AuthHeaderTypes", func(s *Settings) error {
		if len(s.AuthHeaderTypes) == 0 {
			return errors.New("must name at least one scheme")
		}
		for _, t := range s.AuthHeaderTypes {
			if !headerToken.MatchString(t) {
				return fmt.Errorf("%q is not a valid scheme word", t)
			}
		}
		return nil
	}},
	{"AUTH_HEADER_NAME", "AuthHeaderName", func(s *Settings) error {
		if !headerToken.MatchString(s.HeaderName()) {
			return fmt.Errorf("%q is not a valid header name", s.AuthHeaderName)
		}
		return nil
	}},
	{"USER_ID_FIELD", "UserIDField", func(s *Settings) error { return named(s.UserIDField) }},
	{"USER_ID_CLAIM", "UserIDClaim", func(s *Settings) error { return named(s.UserIDClaim) }},
	{"AUTH_TOKEN_CLASSES", "AuthTokenClasses", func(s *Settings) error {
		for i, c := range s.AuthTokenClasses {
			if !c.valid() {
				return fmt.Errorf("entry %d is not a usable token class", i)
			}
		}
		return nil
	}},
	{"SLIDING_TOKEN_REFRESH_EXP_CLAIM", "SlidingTokenRefreshExpClaim", func(s *Settings) error { return named(s.SlidingTokenRefreshExpClaim) }},
	{"SLIDING_TOKEN_LIFETIME", "SlidingTokenLifetime", func(s *Settings) error { return positive(s.SlidingTokenLifetime) }},
	{"SLIDING_TOKEN_REFRESH_LIFETIME", "SlidingTokenRefreshLifetime", func(s *Settings) error { return positive(s.SlidingTokenRefreshLifetime) }},
	{"REVOKE_TOKEN_CLAIM", "RevokeTokenClaim", func(s *Settings) error { return named(s.RevokeTokenClaim) }},
	{"VERIFYING_KEYS", "VerifyingKeys", checkVerifyingKeys},
	{"", "MaxTokenLength", func(s *Settings) error {
		if s.MaxTokenLength < 64 {
			return fmt.Errorf("%d is too small (at least 64)", s.MaxTokenLength)
		}
		return nil
	}},
}

// positive checks a lifetime. Zero never reaches it: WithDefaults makes it the default.
func positive(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("must be positive, got %s", d)
	}
	return nil
}

// named checks a field or claim name that simplejwt needs. Zero never reaches it from
// NewManager: WithDefaults makes it the default.
func named(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func checkSigningKey(s *Settings) error {
	alg, ok := algorithms[s.Algorithm]
	switch {
	case !ok:
		return nil // ALGORITHM says so
	case s.SigningKey != "":
		return checkKey(alg, s.Algorithm, s.SigningKey, signingRole)
	case alg.hmac:
		return fmt.Errorf("is required for %s", s.Algorithm)
	case s.VerifyingKey == "" && s.JWKURL == "":
		return fmt.Errorf("%s needs SIGNING_KEY (a PEM private key), VERIFYING_KEY or JWK_URL", s.Algorithm)
	}
	return nil
}

// checkVerifyingKeys checks every VerifyingKeys entry, in the order of the kids.
func checkVerifyingKeys(s *Settings) error {
	alg, ok := algorithms[s.Algorithm]
	if !ok {
		return nil
	}
	var errs []error
	for _, kid := range slices.Sorted(maps.Keys(s.VerifyingKeys)) {
		if err := checkKey(alg, s.Algorithm, s.VerifyingKeys[kid], extraKeyRole); err != nil {
			errs = append(errs, &SettingError{Key: "VERIFYING_KEYS", Field: fmt.Sprintf("VerifyingKeys[%q]", kid), Err: err})
		}
	}
	return errors.Join(errs...)
}

var headerToken = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// Validate reports every problem of s (after WithDefaults), one *SettingError each, joined in
// the order of the Settings fields: an unknown algorithm, a negative lifetime or leeway, a
// leeway longer than the refresh lifetime, a bad header name, a nil token class, and key
// material that does not fit its setting. Keys are checked by what they are, not parsed (see
// checkKey); NewManager parses them.
func (s Settings) Validate() error {
	var errs []error
	for _, c := range settingChecks {
		err := c.check(&s)
		if err == nil {
			continue
		}
		if _, own := err.(interface{ Unwrap() []error }); !own {
			err = &SettingError{Key: c.key, Field: c.field, Err: err}
		}
		errs = append(errs, err)
	}
	return joinSettingErrors(errs...)
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

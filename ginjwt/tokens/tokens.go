package tokens

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
)

// Manager holds what simplejwt's tokens reach through globals: the settings, the backend, the
// clock and, when the token_blacklist app is "installed", a TokenStore. It is safe for
// concurrent use; build one per configuration with NewManager.
type Manager struct {
	settings Settings
	backend  *backend
	store    TokenStore
	now      func() time.Time
	logger   *slog.Logger
	typeKey  string
	jtiKey   string
}

// Options are the dependencies of a Manager besides its settings.
type Options struct {
	// Store is the token_blacklist app; nil means it is not installed: nothing is outstanded,
	// nothing is blacklisted and blacklist checks pass (simplejwt's behaviour without the app).
	Store TokenStore
	// Now is the clock, time.Now when nil.
	Now func() time.Time
	// Logger receives simplejwt's warnings (e.g. a token for an inactive user) and the JWKS
	// client's fetch failures (JWK_URL); slog.Default() when nil.
	Logger *slog.Logger
}

// NewManager validates s (after filling defaults) with what only the options tell (JTI_CLAIM
// cannot be None with a TokenStore) and builds the backend. ctx bounds the JWKS client's life
// when JWKURL is set; its failures go to opts.Logger.
func NewManager(ctx context.Context, s Settings, opts Options) (*Manager, error) {
	s = s.WithDefaults()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if err := joinSettingErrors(s.Validate(), checkStore(s, opts.Store)); err != nil {
		return nil, err
	}
	b, err := newBackend(ctx, s, opts.Now, opts.Logger)
	if err != nil {
		return nil, err
	}
	if s.PublishJWKS && (algorithms[s.Algorithm].hmac || b.verifyKey == nil && len(b.extraKeys) == 0) {
		opts.Logger.Warn("tokens: PUBLISH_JWKS is on but there is no public key to publish: the JWK set is empty",
			slog.String("algorithm", s.Algorithm))
	}
	m := &Manager{settings: s, backend: b, store: opts.Store, now: opts.Now, logger: opts.Logger}
	if !s.NoTokenTypeClaim {
		m.typeKey = s.TokenTypeClaim
	}
	if !s.NoJTIClaim {
		m.jtiKey = s.JTIClaim
	}
	return m, nil
}

// checkStore refuses JTI_CLAIM None with the token blacklist installed: outstanding and
// blacklisted tokens are found by their jti, so no token could be issued or refreshed.
func checkStore(s Settings, store TokenStore) error {
	if store != nil && s.NoJTIClaim {
		return &SettingError{Key: "JTI_CLAIM", Field: "NoJTIClaim", Err: errors.New(
			`cannot be None while the token blacklist is installed (a TokenStore is set): tokens are outstanded and blacklisted by their jti, so every login and refresh would answer 401 "Token has no id"; keep JTI_CLAIM, or go without the blacklist (NoTokenBlacklist)`)}
	}
	return nil
}

// Settings returns the settings in force (defaults filled in).
func (m *Manager) Settings() *Settings { return &m.settings }

// Store returns the TokenStore, nil when the blacklist app is not installed.
func (m *Manager) Store() TokenStore { return m.store }

// Now returns the manager's current time.
func (m *Manager) Now() time.Time { return m.now() }

// Token is a simplejwt token: ordered claims plus the class, the manager and the time it was
// made or decoded at (simplejwt's current_time). Its String method never shows the token
// itself, so a Token can be logged safely; Encode returns the signed JWT.
type Token struct {
	Claims
	class Class
	m     *Manager
	now   time.Time
}

// New makes a fresh token of class c: token type, exp, iat and jti, in simplejwt's order (and
// refresh_exp for sliding tokens).
func (m *Manager) New(c Class) (*Token, error) {
	if !c.valid() {
		return nil, &TokenError{Detail: msgNoTypeOrLifetime, Kind: ErrTokenInvalid}
	}
	t := &Token{class: c, m: m, now: m.now()}
	t.entries = t.inline[:0]
	if m.typeKey != "" {
		t.Set(m.typeKey, c.Type())
	}
	t.setExp("exp", t.now, t.lifetime())
	t.setIAT("iat", t.now)
	t.setJTI()
	if c.info().sliding {
		t.setExp(m.settings.SlidingTokenRefreshExpClaim, t.now, m.settings.SlidingTokenRefreshLifetime)
	}
	return t, nil
}

// Subject is the user a token is made for: the USER_ID_FIELD value as text, and, for
// CHECK_REVOKE_TOKEN, the encoded password hash.
type Subject struct {
	ID           string
	PasswordHash string
	Inactive     bool
	// Session, when not empty, is carried as the SessionClaim of the token and of the access
	// tokens made from it (the sessions feature; see SessionClaim).
	Session string
}

// SessionClaim names the session (the refresh-token family) a token belongs to. Like any claim
// it survives rotation, by this port and by simplejwt, and is copied into the access tokens made
// from a refresh token. Tokens without it are sessions of one token.
const SessionClaim = "sid"

// ForUser is simplejwt's Token.for_user: a new token carrying the user id claim (a string) and,
// with CHECK_REVOKE_TOKEN, the revoke claim. Like simplejwt it does not refuse inactive users but
// logs a warning: check the user first. With a store, blacklistable tokens are outstanded.
func (m *Manager) ForUser(ctx context.Context, c Class, u Subject) (*Token, error) {
	if u.Inactive {
		m.logger.WarnContext(ctx, "Creating token for inactive user: "+u.ID+
			". If this is not intentional, consider checking the user's status before calling the `for_user` method.")
	}
	t, err := m.New(c)
	if err != nil {
		return nil, err
	}
	t.Set(m.settings.UserIDClaim, u.ID)
	if m.settings.CheckRevokeToken {
		t.Set(m.settings.RevokeTokenClaim, m.RevokeHash(u.PasswordHash))
	}
	if u.Session != "" {
		t.Set(SessionClaim, u.Session)
	}
	if c.info().blacklistable && m.store != nil {
		if err := m.Outstand(ctx, t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// RevokeHash is the CHECK_REVOKE_TOKEN claim value for an encoded password: uppercase hex of
// HMAC-SHA256(signing key, "simplejwt.revoke:"+hash). simplejwt uses an unsalted MD5 of the hash,
// which anyone holding a token can read and attack offline; this one reveals nothing without the
// key. Tokens of the two differ, so a Django peer must not enable CHECK_REVOKE_TOKEN while
// sharing tokens (see the README).
func (m *Manager) RevokeHash(passwordHash string) string {
	h := hmac.New(sha256.New, []byte(m.settings.SigningKey))
	h.Write([]byte("simplejwt.revoke:"))
	h.Write([]byte(passwordHash))
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

// PasswordChanged is CHECK_REVOKE_TOKEN's test, the one place it is made: it reports whether
// t's revoke claim differs from RevokeHash(passwordHash), the hash of the user's password now
// (compared in constant time). A token without the claim counts as changed. Without
// CHECK_REVOKE_TOKEN it is always false.
func (m *Manager) PasswordChanged(t *Token, passwordHash string) bool {
	if !m.settings.CheckRevokeToken {
		return false
	}
	claim, _ := t.GetString(m.settings.RevokeTokenClaim)
	want := m.RevokeHash(passwordHash)
	return subtle.ConstantTimeCompare([]byte(claim), []byte(want)) != 1
}

// Parse is simplejwt's Token(raw) for class c: decode and verify the token (signature, claims,
// expiry, jti, type and, for blacklistable classes with a store, the blacklist).
func (m *Manager) Parse(ctx context.Context, c Class, raw string) (*Token, error) {
	return m.ParseWith(ctx, c, raw, nil)
}

// BlacklistCheck answers whether the token t, whose jti is jti, is blacklisted (see ParseWith).
type BlacklistCheck func(ctx context.Context, t *Token, jti string) (bool, error)

// ParseWith is Parse with the caller's own blacklist check: blacklisted runs exactly where Parse
// asks the store (after the signature and the backend's claims, before exp, jti and type; only
// for a class that can be blacklisted, with a store, and a valid jti), and a true answer refuses
// the token as Parse does. A caller that reads the database next anyway (the refresh's user
// check) can so answer both in one round trip. A nil check is Parse.
func (m *Manager) ParseWith(ctx context.Context, c Class, raw string, blacklisted BlacklistCheck) (*Token, error) {
	t := &Token{class: c, m: m, now: m.now()}
	if err := m.backend.decodeInto(ctx, raw, true, &t.Claims); err != nil {
		return nil, err
	}
	if err := m.verify(ctx, t, blacklisted); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseSigned decodes raw checking its signature and the backend's claims (exp, nbf, iat,
// aud, iss), but neither its token type nor the blacklist: for a caller that must know a
// token is genuine even though it is blacklisted (reuse detection of a rotated refresh token).
func (m *Manager) ParseSigned(ctx context.Context, c Class, raw string) (*Token, error) {
	t := &Token{class: c, m: m, now: m.now()}
	if err := m.backend.decodeInto(ctx, raw, true, &t.Claims); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseUnverified decodes raw without checking its signature or claims (simplejwt's
// Token(raw, verify=False)). Never use its claims to authenticate anyone.
func (m *Manager) ParseUnverified(ctx context.Context, c Class, raw string) (*Token, error) {
	t := &Token{class: c, m: m, now: m.now()}
	if err := m.backend.decodeInto(ctx, raw, false, &t.Claims); err != nil {
		return nil, err
	}
	return t, nil
}

// Class returns the token's class.
func (t *Token) Class() Class { return t.class }

// Encode signs the token: simplejwt's str(token).
func (t *Token) Encode() (string, error) { return t.m.backend.encode(&t.Claims) }

// String describes the token without revealing it: "RefreshToken(jti=…)".
func (t *Token) String() string {
	jti, _ := t.JTI()
	return t.class.String() + "(jti=" + jti + ")"
}

// LogValue keeps tokens out of logs: only the class and the jti are shown.
func (t *Token) LogValue() slog.Value {
	jti, _ := t.JTI()
	return slog.GroupValue(slog.String("class", t.class.String()), slog.String("jti", jti))
}

// JTI returns the jti claim.
func (t *Token) JTI() (string, bool) {
	if t.m.jtiKey == "" {
		return "", false
	}
	return t.GetString(t.m.jtiKey)
}

// UserID returns the user id claim as text, by UserIDText's rule; false when the claim is
// missing or names no user.
func (t *Token) UserID() (string, bool) {
	raw, ok := t.rawValue(t.m.settings.UserIDClaim)
	if !ok || len(raw) == 0 {
		return "", false
	}
	if raw[0] == '"' { // the common case, without decoding into an interface
		s, ok := pyjson.Unquote(raw)
		return s, ok && s != ""
	}
	id, err := UserIDText(decodeRaw(raw))
	return id, err == nil
}

// setJTI sets a fresh jti: uuid4().hex, 32 lowercase hex digits (simplejwt's set_jti).
func (t *Token) setJTI() {
	if t.m.jtiKey == "" {
		return
	}
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	t.Set(t.m.jtiKey, hex.EncodeToString(u[:]))
}

// lifetime is the token's class lifetime under the manager's settings.
func (t *Token) lifetime() time.Duration { return t.class.info().lifetime(&t.m.settings) }

// setExp sets claim to from+lifetime in whole seconds (simplejwt's set_exp).
func (t *Token) setExp(claim string, from time.Time, lifetime time.Duration) {
	t.Set(claim, from.Add(lifetime).Unix())
}

// setIAT sets claim to at in whole seconds (simplejwt's set_iat).
func (t *Token) setIAT(claim string, at time.Time) { t.Set(claim, at.Unix()) }

// CheckExp is simplejwt's check_exp at the token's current time: the claim must exist and lie
// after that time minus the leeway. The sliding refresh checks "refresh_exp" with it.
func (t *Token) CheckExp(claim string) error {
	v, ok, err := t.NumericDate(claim)
	if !ok {
		return claimMissing(claim)
	}
	if err != nil {
		return tokenErr(ErrTokenInvalid, err)
	}
	if v <= float64(t.now.Add(-t.m.backend.leeway).UnixNano())/1e9 {
		return claimExpired(claim)
	}
	return nil
}

// verify is simplejwt's Token.verify, with BlacklistMixin's blacklist check first for
// blacklistable classes when a store is configured: the store's, or blacklisted when not nil.
func (m *Manager) verify(ctx context.Context, t *Token, blacklisted BlacklistCheck) error {
	if t.class.info().blacklistable && m.store != nil {
		if blacklisted == nil {
			blacklisted = m.storeBlacklisted
		}
		jti, err := blacklistJTI(t)
		if err != nil {
			return err
		}
		black, err := blacklisted(ctx, t, jti)
		if err != nil {
			return err
		}
		if black {
			return tokenErr(ErrBlacklisted, nil)
		}
	}
	if err := t.CheckExp("exp"); err != nil {
		return err
	}
	if m.jtiKey != "" {
		if jti, ok := t.GetString(m.jtiKey); !(ok && ValidJTI(jti)) {
			return tokenErr(ErrNoID, nil)
		}
	}
	if m.typeKey != "" && !t.class.info().untyped {
		return t.verifyType()
	}
	return nil
}

// verifyType checks the token type claim against the class.
func (t *Token) verifyType() error {
	if !t.Has(t.m.typeKey) {
		return tokenErr(ErrNoType, nil)
	}
	if typ, ok := t.GetString(t.m.typeKey); !ok || typ != t.class.Type() {
		return tokenErr(ErrWrongType, nil)
	}
	return nil
}

// record describes the token for a TokenStore.
func (t *Token) record(withCreated bool) (TokenRecord, error) {
	jti, ok := t.JTI()
	if !(ok && ValidJTI(jti)) {
		return TokenRecord{}, tokenErr(ErrNoID, nil)
	}
	exp, _, _ := t.NumericDate("exp")
	raw, err := t.Encode()
	if err != nil {
		return TokenRecord{}, err
	}
	uid, _ := t.UserID()
	rec := TokenRecord{JTI: jti, UserID: uid, Token: raw, ExpiresAt: time.Unix(int64(exp), 0).UTC()}
	if withCreated {
		rec.CreatedAt = t.now.UTC()
	}
	return rec, nil
}

// The token_blacklist app's operations are the Manager's, as it holds the TokenStore: a Token
// is a value and does no I/O. t must come from m (New, ForUser, Parse, ParseUnverified).

// Outstand records t in the store (OutstandingToken get_or_create). Without a store, or for a
// class that cannot be blacklisted, it does nothing, like simplejwt's base Token.outstand.
func (m *Manager) Outstand(ctx context.Context, t *Token) error {
	if m.store == nil || !t.class.info().blacklistable {
		return nil
	}
	rec, err := t.record(true)
	if err != nil {
		return err
	}
	return m.store.Outstand(ctx, rec)
}

// IsBlacklisted reports whether t's jti is blacklisted; false without a store. A token without
// a usable jti fails with ErrNoID (simplejwt answers a 500 there). Store failures are returned
// as they are (errors.Is(err, models.ErrUnavailable) for the GORM store).
func (m *Manager) IsBlacklisted(ctx context.Context, t *Token) (bool, error) {
	if m.store == nil {
		return false, nil
	}
	jti, err := blacklistJTI(t)
	if err != nil {
		return false, err
	}
	return m.store.IsBlacklisted(ctx, jti)
}

// blacklistJTI is the jti a blacklist check looks up: ErrNoID when t has none a store can hold.
func blacklistJTI(t *Token) (string, error) {
	jti, ok := t.JTI()
	if !(ok && ValidJTI(jti)) {
		return "", tokenErr(ErrNoID, nil)
	}
	return jti, nil
}

// storeBlacklisted is the store's answer: the BlacklistCheck of Parse.
func (m *Manager) storeBlacklisted(ctx context.Context, _ *Token, jti string) (bool, error) {
	return m.store.IsBlacklisted(ctx, jti)
}

// Blacklist blacklists t. created is false when it already was (by this call's competitor too:
// the store makes this atomic). Without a store it returns ErrNoStore.
func (m *Manager) Blacklist(ctx context.Context, t *Token) (created bool, err error) {
	rec, err := m.blacklistRecord(t)
	if err != nil {
		return false, err
	}
	return m.store.Blacklist(ctx, rec)
}

// blacklistRecord describes t for the store's Blacklist or Rotate: ErrNoStore without a store,
// ErrWrongType for a class that cannot be blacklisted.
func (m *Manager) blacklistRecord(t *Token) (TokenRecord, error) {
	if m.store == nil {
		return TokenRecord{}, ErrNoStore
	}
	if !t.class.info().blacklistable {
		return TokenRecord{}, tokenErr(ErrWrongType, errors.New("class is not blacklistable"))
	}
	return t.record(false)
}

// Rotate is ROTATE_REFRESH_TOKENS with BLACKLIST_AFTER_ROTATION as one atomic step: t is
// blacklisted and becomes its successor (Renew: a fresh jti, exp and iat), which is recorded as
// outstanding in the same database transaction (TokenStore.Rotate). rotated is false when t was
// already blacklisted, by a concurrent rotation too: of any number of concurrent calls for one
// token exactly one wins. Unless rotated, t is left as it was and nothing is recorded, so after
// an error (a 503) the client can present the same token again. Without a store it returns
// ErrNoStore.
func (m *Manager) Rotate(ctx context.Context, t *Token) (rotated bool, err error) {
	old, err := m.blacklistRecord(t)
	if err != nil {
		return false, err
	}
	saved := slices.Clone(t.entries)
	t.Renew()
	next, err := t.record(true)
	if err == nil {
		rotated, err = m.store.Rotate(ctx, old, next)
	}
	if err != nil || !rotated {
		t.entries = append(t.entries[:0], saved...)
	}
	return rotated, err
}

// Renew gives the token a fresh jti, and an exp and iat counted from its current time: what
// rotation makes of a refresh token (simplejwt's set_jti, set_exp and set_iat). It records
// nothing; see Manager.Rotate and Manager.Outstand.
func (t *Token) Renew() {
	t.setJTI()
	t.Slide()
}

// Slide moves the token's exp to its current time plus its class lifetime and its iat to its
// current time, keeping its jti and refresh_exp: what TokenRefreshSlidingSerializer makes of a
// sliding token (simplejwt's set_exp and set_iat). It records nothing.
func (t *Token) Slide() {
	t.setExp("exp", t.now, t.lifetime())
	t.setIAT("iat", t.now)
}

// noCopyClaims are the claims RefreshToken.access_token does not copy (iat since 5.5.1).
func (t *Token) noCopy(key string) bool {
	return key == "exp" || key == "jti" || key == "iat" || (key != "" && (key == t.m.typeKey || key == t.m.jtiKey))
}

// AccessToken is RefreshToken.access_token: a new access token whose exp counts from this
// token's current time, carrying every claim of this one but token type, exp, jti and iat.
func (t *Token) AccessToken() (*Token, error) {
	a, err := t.m.New(AccessToken)
	if err != nil {
		return nil, err
	}
	a.setExp("exp", t.now, a.lifetime())
	for i := range t.entries {
		e := t.entries[i]
		if !t.noCopy(e.key) {
			a.entries = append(a.entries, e)
		}
	}
	return a, nil
}

// Logger returns the logger warnings go to.
func (m *Manager) Logger() *slog.Logger { return m.logger }

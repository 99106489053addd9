package throttle

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"
)

// The scopes this package knows. Any other scope name can be given a rate in Config.Rates
// and used with Scoped.
const (
	// ScopeAnon is DRF's AnonRateThrottle scope: anonymous requests, by client IP.
	ScopeAnon = "anon"
	// ScopeUser is DRF's UserRateThrottle scope: by user id, anonymous requests by client IP.
	ScopeUser = "user"
	// ScopeTokenObtain is the scope of the token obtain endpoints (DRF's
	// ScopedRateThrottle with throttle_scope = "token_obtain"): every request counts.
	ScopeTokenObtain = "token_obtain"
	// ScopeLoginUsername counts failed logins per username (Limiter.BeginLogin).
	ScopeLoginUsername = "login_username"
	// ScopeLoginIP counts failed logins per client IP (Limiter.BeginLogin).
	ScopeLoginIP = "login_ip"
)

// defaultLoginRates are the rates of the failed-login scopes when Config.Rates does not name
// them: an account takes at most 10 failed passwords an hour whatever their origin, and an
// address at most 100 an hour whatever the accounts. Give a scope "None" to switch it off.
var defaultLoginRates = map[string]string{
	ScopeLoginUsername: "10/hour",
	ScopeLoginIP:       "100/hour",
}

// DefaultLoginRates returns the rates the failed-login scopes get when Config.Rates does not
// name them.
func DefaultLoginRates() map[string]string {
	return map[string]string{ScopeLoginUsername: defaultLoginRates[ScopeLoginUsername], ScopeLoginIP: defaultLoginRates[ScopeLoginIP]}
}

// Config configures a Limiter. Zero values mean the defaults; New validates everything, so a
// bad rate or proxy is an error at start-up, never at request time.
type Config struct {
	// Rates is DRF's DEFAULT_THROTTLE_RATES: scope → rate ("5/min", "100/hour",
	// "1000/day", "10/s"; see ParseRate). "None" or "" switches a scope off. The failed-login
	// scopes default to DefaultLoginRates.
	Rates map[string]string
	// Store keeps the histories: a MemoryStore of its own when nil (one instance), a
	// RedisStore when several instances share the limits.
	Store Store
	// Secret keys the hash that turns usernames, addresses and user ids into store keys, so
	// that no username (nor address) is written in clear and long inputs make short keys.
	// Limiters sharing a store must share it; at least 16 bytes. When empty, a random
	// secret is made, which is only allowed when Store is nil (the limiter's own store).
	Secret []byte
	// Now is the clock; time.Now when nil. Instances sharing a store must keep their clocks
	// in sync (see RedisStore).
	Now func() time.Time
	// TrustedProxies are the addresses and CIDRs whose forwarding headers are believed, as
	// gin's Engine.SetTrustedProxies takes them ("10.0.0.0/8", "192.0.2.7", "fd00::/8").
	// None by default: the client is the connection's peer and X-Forwarded-For is ignored.
	// Package clientip has the rules; ginjwt's sessions record the address a login came
	// from by the same list.
	TrustedProxies []string
	// RemoteIPHeaders are read, in order, from a trusted proxy; X-Forwarded-For then
	// X-Real-IP when nil, as gin.
	RemoteIPHeaders []string
	// IPv6PrefixBits, when set (1-128), counts IPv6 clients by network (64 puts a whole /64,
	// usually one host, in one bucket). 0 counts every address apart, as DRF.
	IPv6PrefixBits int
	// UserID returns the authenticated user's id (DRF's request.user.pk), ok false for an
	// anonymous request. Nil: every request is anonymous. ginjwt sets it to read the user
	// that its Auth middleware stored, so the throttle middleware goes after Auth.
	UserID func(c *gin.Context) (id string, ok bool)
	// NormalizeUsername maps a username to the identity its failures are counted under;
	// Django's AbstractBaseUser.normalize_username (Unicode NFKC) when nil. It does not fold
	// case, as Django does not; a database whose username column compares case-insensitively
	// (MySQL's default collations) should pass a function that also folds case
	// (strings.ToLower after NFKC), or "Alice" and "alice" get separate buckets.
	NormalizeUsername func(string) string
	// FailOpen lets requests through uncounted when the store fails; by default (false)
	// they are refused with a *Throttled whose Err wraps ErrUnavailable (429 "Request was
	// throttled.", as django-ratelimit's RATELIMIT_FAIL_OPEN=False). Either way the failure
	// is logged, and the request never becomes a 500.
	FailOpen bool
	// Logger receives store failures (never a username, key or address); slog.Default()
	// when nil.
	Logger *slog.Logger
	// ErrorHandler answers a throttled request in the middleware; WriteThrottled when nil.
	// ginjwt passes its renderer, so that every error of a service is written by one code.
	ErrorHandler func(c *gin.Context, err *Throttled)
}

// Limiter applies DRF's throttles (Middleware) and counts failed logins (BeginLogin). It is
// safe for concurrent use.
type Limiter struct {
	rates        map[string]Rate
	store        Store
	now          func() time.Time
	ips          *ipResolver
	userID       func(*gin.Context) (string, bool)
	normalize    func(string) string
	failOpen     bool
	log          *slog.Logger
	errorHandler func(*gin.Context, *Throttled)
	keyers       sync.Pool // *keyer: HMAC-SHA256 keyed with the secret
}

// MinSecretLen is the shortest Config.Secret New accepts.
const MinSecretLen = 16

// New validates cfg and returns a Limiter.
func New(cfg Config) (*Limiter, error) {
	l := &Limiter{
		rates:        make(map[string]Rate, len(cfg.Rates)+len(defaultLoginRates)),
		store:        cfg.Store,
		now:          cfg.Now,
		userID:       cfg.UserID,
		normalize:    cfg.NormalizeUsername,
		failOpen:     cfg.FailOpen,
		log:          cfg.Logger,
		errorHandler: cfg.ErrorHandler,
	}
	for scope, s := range defaultLoginRates {
		if _, set := cfg.Rates[scope]; !set {
			l.rates[scope], _ = ParseRate(s)
		}
	}
	for scope, s := range cfg.Rates {
		if scope == "" {
			return nil, errors.New("throttle: Config.Rates: empty scope name")
		}
		r, err := ParseRate(s)
		if err != nil {
			return nil, fmt.Errorf("throttle: Config.Rates[%q]: %w", scope, err)
		}
		l.rates[scope] = r
	}
	ips, err := newIPResolver(cfg.TrustedProxies, cfg.RemoteIPHeaders, cfg.IPv6PrefixBits)
	if err != nil {
		return nil, err
	}
	l.ips = ips
	secret := cfg.Secret
	switch {
	case len(secret) == 0:
		if cfg.Store != nil {
			return nil, errors.New("throttle: Config.Secret is required with Config.Store: every limiter sharing a store must derive the same keys")
		}
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("throttle: random secret: %w", err)
		}
	case len(secret) < MinSecretLen:
		return nil, fmt.Errorf("throttle: Config.Secret is %d bytes; want at least %d", len(secret), MinSecretLen)
	}
	secret = append([]byte(nil), secret...)
	if l.store == nil {
		l.store = NewMemoryStore(MemoryOptions{})
	}
	l.keyers.New = func() any { return &keyer{mac: hmac.New(sha256.New, secret), buf: make([]byte, 0, 256)} }
	if l.now == nil {
		l.now = time.Now
	}
	if l.normalize == nil {
		l.normalize = NormalizeUsername
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	if l.errorHandler == nil {
		l.errorHandler = WriteThrottled
	}
	return l, nil
}

// NormalizeUsername is Django's AbstractBaseUser.normalize_username: Unicode NFKC, so that
// "ｊｏｈｎ" (full-width) and "john" count as one. It does not fold case.
func NormalizeUsername(username string) string {
	return norm.NFKC.String(username)
}

// Rate returns the rate of scope; ok is false when Config.Rates does not name it. A scope
// switched off ("None") has the zero Rate and ok true.
func (l *Limiter) Rate(scope string) (r Rate, ok bool) {
	r, ok = l.rates[scope]
	return r, ok
}

// The kinds of identity a key is made from, hashed with it so that a user id can never
// collide with an address or a username.
const (
	identIP       = 'i'
	identUser     = 'u'
	identUsername = 'n'
	identUnknown  = '?'
)

// keyer is a pooled HMAC and scratch buffer, so that a key costs one allocation (the
// string).
type keyer struct {
	mac hash.Hash
	buf []byte
}

// key returns the store key of (scope, kind, ident): the scope in clear, then the first 16
// bytes of HMAC-SHA256(secret, scope 0 kind 0 ident), base64url. DRF writes
// "throttle_<scope>_<ident>"; the hash keeps usernames and addresses out of the store and
// bounds the key's length.
func (l *Limiter) key(scope string, kind byte, ident string) string {
	k := l.keyers.Get().(*keyer)
	defer l.keyers.Put(k)
	return k.key(scope, append(keyPrefix(k.buf[:0], scope, kind), ident...))
}

// addrKey is key for a client address (kind identIP), or identUnknown when there is none.
func (l *Limiter) addrKey(scope string, a netip.Addr, ok bool) string {
	k := l.keyers.Get().(*keyer)
	defer l.keyers.Put(k)
	if !ok {
		return k.key(scope, keyPrefix(k.buf[:0], scope, identUnknown))
	}
	return k.key(scope, a.AppendTo(keyPrefix(k.buf[:0], scope, identIP)))
}

func keyPrefix(b []byte, scope string, kind byte) []byte {
	b = append(b, scope...)
	return append(b, 0, kind, 0)
}

// key hashes msg (built in k.buf) and returns the key of scope.
func (k *keyer) key(scope string, msg []byte) string {
	k.mac.Reset()
	k.mac.Write(msg)
	b := k.mac.Sum(msg)
	sum := b[len(msg) : len(msg)+16]
	out := append(b, scope...)
	out = append(out, ':')
	out = base64.RawURLEncoding.AppendEncode(out, sum)
	if cap(out) <= 4096 { // a huge username's buffer is not kept in the pool
		k.buf = out
	}
	return string(out[len(b):])
}

// take runs one Take and applies the failure policy. denied is nil when the request may go
// on (counted, or uncounted after a store failure with FailOpen); otherwise it says why.
func (l *Limiter) take(ctx context.Context, scope string, rate Rate, key string, now time.Time) (Usage, *Throttled) {
	u, err := l.store.Take(ctx, key, rate, now)
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrUnavailable, err)
		l.logStoreError(ctx, "take", scope, err)
		if l.failOpen {
			return Usage{}, nil
		}
		return Usage{}, &Throttled{Err: err}
	}
	if !u.Allowed {
		return u, &Throttled{Wait: wait(u, rate, now)}
	}
	return u, nil
}

func (l *Limiter) logStoreError(ctx context.Context, op, scope string, err error) {
	policy := "fail closed"
	if l.failOpen {
		policy = "fail open"
	}
	l.log.WarnContext(ctx, "simplejwt: throttle store failed",
		slog.String("op", op), slog.String("scope", scope), slog.String("policy", policy), slog.Any("error", err))
}

// merge combines the refusals of several throttles as DRF's check_throttles: the longest
// known wait wins; a store error is kept for the logs.
func merge(a, b *Throttled) *Throttled {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	out := *a
	out.Wait = max(a.Wait, b.Wait)
	if out.Err == nil {
		out.Err = b.Err
	}
	return &out
}

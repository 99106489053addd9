package ginjwt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt/clientip"
	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// This file is the sessions feature (Settings.Sessions): a login is a session whose id the
// refresh token family and its access tokens carry (tokens.SessionClaim); ending a session, or
// all of a user's, records a revocation that Auth and AuthStateless consult in memory
// (package revocation), and that other instances learn from the database (FollowRevocations).
// Reuse detection ends the session of a refresh token replayed after its rotation.

// ErrSessionsOff: a sessions call on an instance without Settings.Sessions.
var ErrSessionsOff = errors.New("ginjwt: sessions are off (Settings.Sessions)")

// ErrSessionNotFound is models.ErrSessionNotFound: no live session of that user has that id.
var ErrSessionNotFound = models.ErrSessionNotFound

// DefaultRevocationPollInterval is Settings.RevocationPollInterval's default.
const DefaultRevocationPollInterval = 250 * time.Millisecond

// sessionTokens is what the sessions need of the token store beyond tokens.TokenStore
// (models.GormTokenStore has it): blacklisting a session's or a user's refresh tokens, so that a
// Django peer sharing the tables refuses them too.
type sessionTokens interface {
	BlacklistSession(ctx context.Context, userID, claim, sessionID string) (int64, error)
	BlacklistAllForUser(ctx context.Context, userID string) (int64, error)
}

// sessions implements serializers.Sessions for one instance.
type sessions struct {
	db     *gorm.DB
	store  *models.GormSessionStore
	tokens sessionTokens // nil with a custom token store
	set    *revocation.Set
	m      *tokens.Manager
	logger *slog.Logger
	obs    views.SessionObserver // Settings.Metrics when it has the sessions' part, else nil
	ips    *clientip.Resolver    // the address a session starts from (Settings.Throttle's proxies)
	reuse  bool
	grace  time.Duration
	poll   time.Duration
	feed   Feed
	keep   time.Duration // how long a revocation can refuse a token
	mu     sync.Mutex    // guards cursor; one reader of the table at a time
	cursor int64         // the id of the last revocation read from the table
	// failing: the last read of the table failed (logged once until a success).
	failing atomic.Bool
}

var _ serializers.Sessions = (*sessions)(nil)

// newSessions checks the settings, creates nothing, and loads the live revocations.
func newSessions(ctx context.Context, db *gorm.DB, s Settings, m *tokens.Manager) (*sessions, error) {
	switch {
	case db == nil:
		return nil, errors.New("ginjwt: Settings.Sessions needs the database (the session tables live beside Django's)")
	case m.Store() == nil:
		return nil, errors.New("ginjwt: Settings.Sessions needs the token blacklist (NoTokenBlacklist is set)")
	}
	if s.RefreshTokenReuseDetection && !(s.RotateRefreshTokens && s.BlacklistAfterRotation) {
		m.Logger().Warn("ginjwt: REFRESH_TOKEN_REUSE_DETECTION needs ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION: no reuse can be detected")
	}
	var proxies, headers []string
	if s.Throttle != nil {
		proxies, headers = s.Throttle.TrustedProxies, s.Throttle.RemoteIPHeaders
	}
	ips, err := clientip.New(proxies, headers)
	if err != nil {
		return nil, fmt.Errorf("ginjwt: Settings.Throttle: %w", err)
	}
	x := &sessions{
		ips:    ips,
		db:     db,
		store:  models.NewSessionStore(db, s.DatabaseTimeout),
		set:    revocation.New(m.Now),
		m:      m,
		logger: m.Logger(),
		reuse:  s.RefreshTokenReuseDetection,
		grace:  s.RefreshTokenReuseGracePeriod,
		poll:   s.RevocationPollInterval,
		feed:   s.RevocationFeed,
		keep: max(s.AccessTokenLifetime, s.RefreshTokenLifetime, s.SlidingTokenLifetime, s.SlidingTokenRefreshLifetime) +
			s.Leeway + time.Second,
	}
	if x.poll == 0 {
		x.poll = DefaultRevocationPollInterval
	}
	x.tokens, _ = m.Store().(sessionTokens)
	x.obs, _ = s.Metrics.(views.SessionObserver)
	// The cursor starts past the newest revocation, expired or not, read before loading the
	// live ones: Revocations leaves expired rows out, so a cursor set from the live ones alone
	// would stay behind the expired ones and every poll would scan them again.
	last, err := x.store.LastRevocationID(ctx)
	if err != nil {
		return nil, fmt.Errorf("ginjwt: sessions: load revocations: %w", err)
	}
	if _, _, err := x.catchUp(ctx); err != nil { // loading, not following: no lag to report
		return nil, fmt.Errorf("ginjwt: sessions: load revocations: %w", err)
	}
	x.mu.Lock()
	x.cursor = max(x.cursor, last)
	x.mu.Unlock()
	return x, nil
}

// catchUp reads the revocations written since the cursor into the set and prunes it; it
// returns how many it read and when the newest of them was written.
func (x *sessions) catchUp(ctx context.Context) (int, time.Time, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	revs, err := x.store.Revocations(ctx, x.cursor, x.m.Now())
	if err != nil {
		return 0, time.Time{}, err
	}
	entries := make([]revocation.Entry, 0, len(revs))
	var newest time.Time
	for _, r := range revs {
		entries = append(entries, entry(r))
		x.cursor = max(x.cursor, r.ID)
		if r.CreatedAt.After(newest) {
			newest = r.CreatedAt
		}
	}
	if len(entries) > 0 {
		x.set.Add(entries...)
	} else {
		x.set.Prune()
	}
	return len(entries), newest, nil
}

// followStep reads the revocations written since the last read (one step of FollowRevocations)
// and reports the feed's lag: the age of the newest revocation applied, on this instance's
// clock (0 when another instance's clock is ahead).
func (x *sessions) followStep(ctx context.Context) error {
	n, newest, err := x.catchUp(ctx)
	if err != nil || n == 0 || x.obs == nil {
		return err
	}
	x.obs.RevocationFeedLag(max(x.m.Now().Sub(newest), 0))
	return nil
}

// ended counts n sessions ended for reason (a models.End* constant) on the metrics.
func (x *sessions) ended(reason string, n int) {
	if x.obs == nil {
		return
	}
	for range n {
		x.obs.SessionEnded(reason)
	}
}

func entry(r models.Revocation) revocation.Entry {
	e := revocation.Entry{Kind: revocation.Session, Key: r.Key, NotBefore: r.NotBefore, ExpiresAt: r.ExpiresAt}
	if r.Kind == models.RevokeUser {
		e.Kind = revocation.User
	}
	return e
}

// revoked reports whether t is refused by a live revocation: no query, no allocation for
// tokens whose user id claim is a string.
func (x *sessions) revoked(t *tokens.Token) bool {
	if x.set.Len() == 0 {
		return false
	}
	sid, _ := t.GetString(tokens.SessionClaim)
	uid, _ := t.UserID()
	iat, has, err := t.NumericDate("iat")
	return x.set.Revoked(sid, uid, int64(iat), has && err == nil)
}

// Start implements serializers.Sessions.
func (x *sessions) Start(ctx context.Context, r *http.Request, userID string) (string, error) {
	now := x.m.Now()
	s := models.Session{ID: models.NewSessionID(), UserID: userID, CreatedAt: now, LastUsedAt: now}
	if r != nil {
		s.UserAgent, s.IP = r.UserAgent(), x.clientIP(r)
	}
	if err := x.store.Create(ctx, s); err != nil {
		return "", err
	}
	return s.ID, nil
}

// clientIP is the address a session starts from, as the throttle counts it: behind a proxy
// that Settings.Throttle.TrustedProxies names, the client it forwards (package clientip's
// rules); otherwise the connection's peer, never a header a client could forge. A RemoteAddr
// that is no address (a test's, a unix socket's without a trusted header) is kept as it is.
func (x *sessions) clientIP(r *http.Request) string {
	if a, ok := x.ips.ClientIP(r); ok {
		return a.String()
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Check implements serializers.Sessions.
func (x *sessions) Check(t *tokens.Token) error {
	if x.revoked(t) {
		return tokens.NewTokenError(tokens.ErrBlacklisted, errors.New("session revoked"))
	}
	return nil
}

// Refreshed implements serializers.Sessions.
func (x *sessions) Refreshed(ctx context.Context, t *tokens.Token) error {
	sid, ok := t.GetString(tokens.SessionClaim)
	if !ok || sid == "" {
		return nil
	}
	return x.store.Touch(ctx, sid, x.m.Now())
}

// LoggedOut implements serializers.Sessions: a logout ends the token's session, so that it
// leaves the list and its access tokens are refused; a replay of the logged-out token is then
// no reuse (its session is over).
func (x *sessions) LoggedOut(ctx context.Context, t *tokens.Token) error {
	sid, ok := t.GetString(tokens.SessionClaim)
	uid, _ := t.UserID()
	if !ok || sid == "" || uid == "" {
		return nil
	}
	err := x.end(ctx, uid, sid, models.EndBlacklist)
	if errors.Is(err, models.ErrSessionNotFound) {
		return nil
	}
	return err
}

// Replayed implements serializers.Sessions: reuse detection. raw was refused as blacklisted; it
// is verified again here (signature first, so a forged token never ends a session), and when
// it names a live session of its user and was rotated away longer than the grace period ago,
// the session ends.
func (x *sessions) Replayed(ctx context.Context, raw string) {
	if !x.reuse {
		return
	}
	t, err := x.m.ParseSigned(ctx, tokens.RefreshToken, raw) // signature first
	if err != nil {
		return
	}
	if st := x.m.Settings(); !st.NoTokenTypeClaim {
		if typ, _ := t.GetString(st.TokenTypeClaim); typ != tokens.RefreshToken.Type() {
			return
		}
	}
	sid, _ := t.GetString(tokens.SessionClaim)
	uid, _ := t.UserID()
	if sid == "" || uid == "" {
		return // a session of one token: the blacklist already refuses it
	}
	s, err := x.store.Get(ctx, sid)
	if err != nil || !s.EndedAt.IsZero() || s.UserID != uid {
		if err != nil && !errors.Is(err, models.ErrSessionNotFound) {
			x.logger.ErrorContext(ctx, "ginjwt: reuse detection: read session", slog.String("session_id", sid), slog.Any("error", err))
		}
		return
	}
	// The grace period counts from the session's last refresh, on the instance's clock: the
	// replay of the token rotated away then (two tabs refreshing at once) is forgiven, and a
	// token rotated earlier is only forgiven as long as the session has been refreshed since.
	if x.grace > 0 && x.m.Now().Sub(s.LastUsedAt) <= x.grace {
		x.logger.InfoContext(ctx, "ginjwt: rotated refresh token presented again within the grace period; session kept",
			slog.String("session_id", sid), slog.String("user_id", uid))
		if x.obs != nil {
			x.obs.RefreshTokenReuse(views.ReuseGrace)
		}
		return
	}
	if err := x.end(ctx, uid, sid, models.EndReuse); err != nil && !errors.Is(err, models.ErrSessionNotFound) {
		x.logger.ErrorContext(ctx, "ginjwt: reuse detection: end session", slog.String("session_id", sid), slog.Any("error", err))
		return
	}
	x.logger.WarnContext(ctx, "ginjwt: refresh token reuse detected: session ended",
		slog.String("session_id", sid), slog.String("user_id", uid))
	if x.obs != nil {
		x.obs.RefreshTokenReuse(views.ReuseRevoked)
	}
}

// revocation returns a revocation made now.
func (x *sessions) revocation() models.Revocation {
	now := x.m.Now()
	return models.Revocation{NotBefore: now, ExpiresAt: now.Add(x.keep), CreatedAt: now}
}

// end ends one session: the row, the revocation (in memory at once, in the table for the other
// instances) and its refresh tokens' blacklist rows.
func (x *sessions) end(ctx context.Context, userID, sid, reason string) error {
	rev := x.revocation()
	if err := x.store.End(ctx, userID, sid, reason, rev); err != nil {
		return err
	}
	x.ended(reason, 1)
	x.set.Add(revocation.Entry{Kind: revocation.Session, Key: sid, ExpiresAt: rev.ExpiresAt})
	if x.tokens != nil {
		if _, err := x.tokens.BlacklistSession(ctx, userID, tokens.SessionClaim, sid); err != nil {
			return err
		}
	}
	return nil
}

// endAll ends every session of the user and refuses every token issued to them before now.
func (x *sessions) endAll(ctx context.Context, userID, reason string) error {
	rev := x.revocation()
	ended, err := x.store.EndAll(ctx, userID, reason, rev)
	if err != nil {
		return err
	}
	x.ended(reason, len(ended))
	entries := []revocation.Entry{{Kind: revocation.User, Key: userID, NotBefore: rev.NotBefore, ExpiresAt: rev.ExpiresAt}}
	for _, id := range ended {
		entries = append(entries, revocation.Entry{Kind: revocation.Session, Key: id, ExpiresAt: rev.ExpiresAt})
	}
	x.set.Add(entries...)
	if x.tokens != nil {
		if _, err := x.tokens.BlacklistAllForUser(ctx, userID); err != nil {
			return err
		}
	}
	return nil
}

// Sessions returns the user's live sessions, newest first: not ended, and with a refresh token
// that can still be valid (REFRESH_TOKEN_LIFETIME after the last refresh with rotation, after
// the login without).
func (j *JWT) Sessions(ctx context.Context, userID string) ([]models.Session, error) {
	if j.sessions == nil {
		return nil, ErrSessionsOff
	}
	list, err := j.sessions.store.List(models.WithBudget(ctx, j.settings.DatabaseTimeout), userID)
	if err != nil {
		return nil, err
	}
	cutoff := j.tokens.Now().Add(-j.settings.RefreshTokenLifetime - j.settings.Leeway)
	live := list[:0]
	for _, s := range list {
		since := s.CreatedAt
		if j.settings.RotateRefreshTokens {
			since = s.LastUsedAt
		}
		if since.After(cutoff) {
			live = append(live, s)
		}
	}
	return live, nil
}

// EndSession ends the user's session sid: its refresh tokens are blacklisted and its access
// tokens refused from now on, on every instance sharing the database. ErrSessionNotFound when
// the user has no such live session (another user's session is not found either).
func (j *JWT) EndSession(ctx context.Context, userID, sid string) error {
	if j.sessions == nil {
		return ErrSessionsOff
	}
	return j.sessions.end(models.WithBudget(ctx, j.settings.DatabaseTimeout), userID, sid, models.EndLogout)
}

// EndAllSessions logs the user out everywhere: every session ends, every refresh token of theirs
// is blacklisted, and every token issued to them before now is refused, on every instance
// sharing the database. Call it after a password change.
func (j *JWT) EndAllSessions(ctx context.Context, userID string) error {
	if j.sessions == nil {
		return ErrSessionsOff
	}
	return j.sessions.endAll(models.WithBudget(ctx, j.settings.DatabaseTimeout), userID, models.EndLogoutAll)
}

// Revocations returns the number of live revocations this instance holds in memory.
func (j *JWT) Revocations() int {
	if j.sessions == nil {
		return 0
	}
	return j.sessions.set.Len()
}

// PollRevocations reads the revocations other instances wrote since the last read, and drops
// the expired ones: one step of FollowRevocations.
func (j *JWT) PollRevocations(ctx context.Context) error {
	if j.sessions == nil {
		return ErrSessionsOff
	}
	return j.sessions.followStep(ctx)
}

// feedRetry is how long FollowRevocations polls after the PostgreSQL feed failed before it
// listens again; safetyPoll is how often it reads the table anyway while listening.
const (
	feedRetry  = 5 * time.Second
	safetyPoll = 5 * time.Second
)

// FollowRevocations keeps this instance's revocations in step with the database until ctx ends,
// so that a session ended through another instance is refused here too: on PostgreSQL it
// LISTENs for the NOTIFY that every revocation sends with Settings.RevocationFeed
// (pglisten.Listen: one connection outside the pool), elsewhere (or without a feed) (SQLite, MariaDB) it reads the revocation table every
// Settings.RevocationPollInterval. When the feed is down it says so in the log and polls until
// it is back. New has already loaded the live revocations. Run it on its own goroutine:
//
//	go j.FollowRevocations(ctx)
func (j *JWT) FollowRevocations(ctx context.Context) error {
	if j.sessions == nil {
		return ErrSessionsOff
	}
	j.sessions.follow(ctx)
	return nil
}

func (x *sessions) follow(ctx context.Context) {
	if x.store.Dialect() != "postgres" || x.feed == nil {
		x.pollEvery(ctx, x.poll)
		return
	}
	sqlDB, err := x.db.DB()
	if err != nil {
		x.logger.WarnContext(ctx, "ginjwt: revocation feed unavailable; polling", slog.Any("error", err))
		x.pollEvery(ctx, x.poll)
		return
	}
	for ctx.Err() == nil {
		lctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { // the safety net: a notification lost with a connection is read anyway
			defer close(done)
			x.pollEvery(lctx, safetyPoll)
		}()
		err := x.feed(lctx, sqlDB, models.RevocationChannel, func(string) { x.read(lctx) })
		stop()
		<-done
		if ctx.Err() != nil {
			return
		}
		x.logger.WarnContext(ctx, "ginjwt: revocation feed (PostgreSQL LISTEN) is down; polling the revocation table",
			slog.Any("error", err))
		retry, cancel := context.WithTimeout(ctx, feedRetry)
		x.pollEvery(retry, x.poll)
		cancel()
	}
}

// pollEvery reads the table every interval until ctx ends.
func (x *sessions) pollEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			x.read(ctx)
		}
	}
}

// read catches up, logging a failure once until the next success.
func (x *sessions) read(ctx context.Context) {
	err := x.followStep(ctx)
	switch {
	case err != nil && ctx.Err() == nil && x.failing.CompareAndSwap(false, true):
		x.logger.WarnContext(ctx, "ginjwt: cannot read the revocation table; revocations from other instances are delayed",
			slog.Any("error", err))
	case err == nil && x.failing.CompareAndSwap(true, false):
		x.logger.InfoContext(ctx, "ginjwt: revocation table readable again")
	}
}

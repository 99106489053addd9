package ginjwt

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
)

// This file is the user cache (Settings.UserCacheFeed): Auth's narrow user lookup served from
// memory (models.AuthCache), invalidated by the NOTIFY that a trigger on the user table sends
// at the COMMIT of every change (models.MigrateUserNotify), heard by FollowUsers on a LISTEN
// connection of its own. The cache serves only while that connection is proved alive: it is
// bypassed and emptied before the first LISTEN, whenever the feed fails, and when a probe
// NOTIFY this instance sends is not heard back within userCacheProbe (a connection that died
// without an error, a partition).

// ErrUserCacheOff: FollowUsers on an instance without the user cache (Settings.UserCacheFeed
// unset, or ignored: not PostgreSQL, a custom user store).
var ErrUserCacheOff = errors.New("ginjwt: the user cache is off (Settings.UserCacheFeed)")

// ErrUserNotifyMissing: the user table has no change trigger (models.MigrateUserNotify), so no
// change would be announced; FollowUsers returns it and the cache never serves.
var ErrUserNotifyMissing = errors.New("ginjwt: the user cache needs the user table's change trigger (models.MigrateUserNotify)")

// errFeedSilent: a probe NOTIFY was not heard back within userCacheProbe.
var errFeedSilent = errors.New("ginjwt: the user cache's LISTEN connection did not deliver its probe")

// userCacheProbe is how often FollowUsers proves its LISTEN connection alive: a probe NOTIFY
// not heard back by the next one ends the feed (the cache is bypassed until it listens again).
// It bounds how long a silently dead connection can leave a stale user served.
const userCacheProbe = 5 * time.Second

// probePrefix starts the payload of a probe: "simplejwt-probe-<instance>:<n>". Another
// instance's probe reaches the cache as the id of no user.
const probePrefix = "simplejwt-probe-"

// userCache is the user cache of one instance and how it follows the user table.
type userCache struct {
	cache  *models.AuthCache
	db     *gorm.DB
	opts   models.UserStoreOptions // the user table and id column, for the trigger check
	feed   Feed
	logger *slog.Logger
	probe  time.Duration
	retry  time.Duration
}

// builtinUser reports whether the user model is the built-in models.User, the one AuthCache holds
// (a custom model's GetIsActive may read columns the cache does not keep).
func builtinUser(opts models.UserStoreOptions) bool {
	if opts.New == nil {
		return true
	}
	_, ok := opts.New().(*models.User)
	return ok
}

// newUserCache returns the user cache Settings.UserCacheFeed asks for, or nil (off), with a
// warning when the feed is set where the cache cannot be sound.
func newUserCache(db *gorm.DB, s Settings, users models.UserStore, m *tokens.Manager) *userCache {
	if s.UserCacheFeed == nil {
		return nil
	}
	gu, ok := users.(*models.GormUserStore)
	switch {
	case db == nil || s.UserStore != nil || !ok:
		m.Logger().Warn("ginjwt: Settings.UserCacheFeed is ignored: the user cache needs the GORM user store")
		return nil
	case !builtinUser(s.userStoreOptions()):
		m.Logger().Warn("ginjwt: Settings.UserCacheFeed is ignored: the user cache holds the built-in models.User only")
		return nil
	case db.Dialector.Name() != "postgres":
		m.Logger().Warn("ginjwt: Settings.UserCacheFeed is ignored: the user cache needs PostgreSQL's LISTEN/NOTIFY",
			slog.String("dialect", db.Dialector.Name()))
		return nil
	}
	return &userCache{
		cache:  models.NewAuthCache(gu, models.AuthCacheOptions{MaxEntries: s.UserCacheSize, MaxAge: s.UserCacheMaxAge, Now: m.Now}),
		db:     db,
		opts:   s.userStoreOptions(),
		feed:   s.UserCacheFeed,
		logger: m.Logger(),
		probe:  userCacheProbe,
		retry:  feedRetry,
	}
}

// FollowUsers runs the user cache (Settings.UserCacheFeed) until ctx ends: it LISTENs on
// models.UserChannel, where the trigger installed by models.MigrateUserNotify announces every
// change of a user row, and drops a changed user from the cache as its announcement arrives.
// The cache serves only while FollowUsers listens: before, and while the feed is down (it says
// so in the log and listens again), every request reads its user from the database. It returns
// nil when ctx ends, ErrUserCacheOff without the cache, and ErrUserNotifyMissing (logged) when
// the trigger is not installed (or is disabled) at start. Changes the trigger does not see are
// not announced: a session with session_replication_role = replica (which skips triggers) must
// not change users while the cache serves. Run one per instance, on its own goroutine:
//
//	go j.FollowUsers(ctx)
func (j *JWT) FollowUsers(ctx context.Context) error {
	if j.userCache == nil {
		return ErrUserCacheOff
	}
	return j.userCache.follow(ctx)
}

// UserCacheListening reports whether the user cache serves: Settings.UserCacheFeed is in force
// and FollowUsers is listening.
func (j *JWT) UserCacheListening() bool {
	return j.userCache != nil && j.userCache.cache.Listening()
}

func (u *userCache) follow(ctx context.Context) error {
	sqlDB, err := u.db.DB()
	if err != nil {
		return err
	}
	for first := true; ; first = false {
		err := u.listen(ctx, sqlDB)
		u.cache.Stop()
		if ctx.Err() != nil {
			return nil
		}
		if first && errors.Is(err, ErrUserNotifyMissing) {
			// A setup mistake: said once, loudly. Later (the trigger dropped or disabled while
			// running) it is a feed failure like any other: the cache is bypassed meanwhile.
			u.logger.ErrorContext(ctx, "ginjwt: the user cache is off: run models.MigrateUserNotify on the user table")
			return err
		}
		u.logger.WarnContext(ctx, "ginjwt: user cache feed (PostgreSQL LISTEN) is down; every request reads its user from the database",
			slog.Any("error", err))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(u.retry):
		}
	}
}

// listen checks the trigger, then runs the feed with the probe until either fails or ctx ends;
// it returns why the feed ended.
func (u *userCache) listen(ctx context.Context, sqlDB *sql.DB) error {
	ok, err := models.UserNotifyInstalled(ctx, u.db, u.opts)
	if err != nil {
		return err
	}
	if !ok {
		return ErrUserNotifyMissing
	}
	lctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	f := &feedRun{cache: u.cache, token: probePrefix + models.NewSessionID() + ":"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		u.prove(lctx, cancel, f)
	}()
	err = u.feed(lctx, sqlDB, models.UserChannel, f.notify)
	if err == nil {
		err = context.Cause(lctx)
	}
	cancel(nil)
	<-done
	return err
}

// feedRun is one run of the feed: what it hands to the cache, and its probes.
type feedRun struct {
	cache *models.AuthCache
	token string // the probes' payload prefix, unique to this run
	heard atomic.Uint64
	mu    sync.Mutex
	dead  bool // declared dead by prove: nothing more reaches the cache
}

// notify is the feed's callback: this run's probes are counted, the rest goes to the cache
// until the run is declared dead (so that a late "" cannot make the cache serve again).
func (f *feedRun) notify(payload string) {
	if seq, ok := strings.CutPrefix(payload, f.token); ok {
		n, _ := strconv.ParseUint(seq, 10, 64)
		f.heard.Store(n)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.dead {
		f.cache.Notify(payload)
	}
}

// kill declares the run dead and bypasses the cache at once: the feed may take a while to
// notice its cancellation (pgx waits for the server before it gives up a blocked read).
func (f *feedRun) kill() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dead = true
	f.cache.Stop()
}

// prove sends a probe NOTIFY every u.probe while the cache listens, and ends the feed (kill,
// cancel) when the previous probe has not been heard back, or cannot be sent.
func (u *userCache) prove(ctx context.Context, cancel context.CancelCauseFunc, f *feedRun) {
	t := time.NewTicker(u.probe)
	defer t.Stop()
	var sent uint64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !u.cache.Listening() {
			continue
		}
		if f.heard.Load() < sent {
			f.kill()
			cancel(errFeedSilent)
			return
		}
		sent++
		sctx, stop := context.WithTimeout(ctx, u.probe)
		err := u.db.WithContext(sctx).Exec("SELECT pg_notify(?, ?)", models.UserChannel, f.token+strconv.FormatUint(sent, 10)).Error
		stop()
		if err != nil && ctx.Err() == nil {
			f.kill()
			cancel(err)
			return
		}
	}
}

package ginjwt_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation/pglisten"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// userCacheService is a PostgreSQL dbService with the user cache on (the trigger installed,
// FollowUsers running until the test ends), its log kept.
type userCacheService struct {
	*dbService
	log   *logBuffer
	users *models.GormUserStore
	done  chan error // FollowUsers' result
}

// newUserCacheService builds the service; feed replaces pglisten.Listen when not nil.
func newUserCacheService(t *testing.T, feed func(context.Context, *sql.DB, string, func(string)) error, mutate func(*ginjwt.Settings)) *userCacheService {
	t.Helper()
	if feed == nil {
		feed = pglisten.Listen
	}
	log := &logBuffer{}
	svc := newDBService(t, "postgres", func(s *ginjwt.Settings) {
		s.UserCacheFeed = feed
		s.Logger = slog.New(slog.NewTextHandler(log, nil))
		if mutate != nil {
			mutate(s)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	if err := models.MigrateUserNotify(ctx, svc.db, models.UserStoreOptions{}); err != nil {
		t.Fatal(err)
	}
	users, err := models.NewUserStore(svc.db, models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	if err != nil {
		t.Fatal(err)
	}
	ginjwt.SetUserCacheTiming(svc.j, 50*time.Millisecond, 20*time.Millisecond)
	u := &userCacheService{dbService: svc, log: log, users: users, done: make(chan error, 1)}
	go func() { u.done <- svc.j.FollowUsers(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-u.done; err != nil {
			t.Errorf("FollowUsers: %v", err)
		}
	})
	u.waitFor(t, "the user cache to listen", svc.j.UserCacheListening)
	return u
}

func (svc *userCacheService) waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s; log:\n%s", what, svc.log)
		}
		time.Sleep(time.Millisecond)
	}
}

// newUser creates an active user whose password hash is hash and returns its id and an access
// token of theirs (carrying the hash's claim, for CHECK_REVOKE_TOKEN).
func (svc *userCacheService) newUser(t *testing.T, name, hash string) (string, string) {
	t.Helper()
	u := models.NewUser(name)
	u.Password = hash
	if err := svc.users.Create(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(u.ID, 10)
	tok, err := svc.j.Tokens().ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: id, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return id, raw
}

func (svc *userCacheService) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if err := svc.db.Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

func logWaits(t *testing.T, what string, waits []time.Duration) {
	t.Helper()
	slices.Sort(waits)
	t.Logf("user cache: %s: p50 %s, p99 %s, max %s (%d rounds)", what,
		percentile(waits, 50), percentile(waits, 99), waits[len(waits)-1], len(waits))
}

const cacheRounds = 50

// deactivateUnannounced deactivates alice with the trigger disabled for that one UPDATE: a
// change the cache cannot hear of.
func (svc *userCacheService) deactivateUnannounced(t *testing.T) {
	t.Helper()
	svc.exec(t, `ALTER TABLE auth_user DISABLE TRIGGER simplejwt_user_notify`)
	svc.exec(t, `UPDATE auth_user SET is_active = false WHERE id = 1`)
	svc.exec(t, `ALTER TABLE auth_user ENABLE TRIGGER simplejwt_user_notify`)
}

// TestUserCacheServesUntilAnnounced: with the cache on, Auth serves a user from memory (a
// change the trigger does not announce is not seen: the trigger disabled for one UPDATE), and
// an announced change is seen by the next request.
func TestUserCacheServesUntilAnnounced(t *testing.T) {
	svc := newUserCacheService(t, nil, nil)
	pair := svc.login(t)
	if code, body := svc.me(pair["access"]); code != http.StatusNoContent {
		t.Fatalf("before: %d %s", code, body)
	}
	svc.deactivateUnannounced(t)
	if code, _ := svc.me(pair["access"]); code != http.StatusNoContent {
		t.Fatalf("an unannounced change was seen (%d): the user was not served from the cache", code)
	}
	svc.exec(t, `UPDATE auth_user SET last_name = 'x' WHERE id = 1`) // announced
	svc.waitFor(t, "the deactivation to be seen", func() bool {
		code, _ := svc.me(pair["access"])
		return code == http.StatusUnauthorized
	})
}

// TestUserCacheMaxAge: Settings.UserCacheMaxAge bounds how long an entry is served, on the
// instance's clock (injected): a change that was never announced is seen once it has passed.
func TestUserCacheMaxAge(t *testing.T) {
	svc := newUserCacheService(t, nil, func(s *ginjwt.Settings) { s.UserCacheMaxAge = 30 * time.Second })
	pair := svc.login(t)
	if code, body := svc.me(pair["access"]); code != http.StatusNoContent {
		t.Fatalf("before: %d %s", code, body)
	}
	svc.deactivateUnannounced(t)
	cases := []struct {
		advance time.Duration
		want    int
	}{
		{29 * time.Second, http.StatusNoContent},
		{time.Second, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		svc.clock.Advance(tc.advance)
		if code, body := svc.me(pair["access"]); code != tc.want {
			t.Fatalf("after %s more: %d %s, want %d", tc.advance, code, body, tc.want)
		}
	}
}

// TestUserCacheInvalidation: a change made from another connection, as Django makes it (an
// UPDATE of is_active, of the password hash with CHECK_REVOKE_TOKEN, a DELETE), refuses the
// user's next requests as soon as its NOTIFY arrives. Each round warms the cache with a fresh
// user, commits the change and measures the time from the COMMIT's return to the first
// refusal; p50/p99/max are logged (figures, not a pass condition: the machine is shared).
func TestUserCacheInvalidation(t *testing.T) {
	hs := hashers.New(hashers.PBKDF2SHA256(1000))
	hash, err := hs.MakePassword("pw-1")
	if err != nil {
		t.Fatal(err)
	}
	newHash, _ := hs.MakePassword("pw-2")
	cases := []struct {
		name   string
		revoke bool // CHECK_REVOKE_TOKEN
		change string
		args   []any
		code   string // the 401's code
	}{
		{"deactivation", false, `UPDATE auth_user SET is_active = false WHERE id = ?`, nil, tokens.CodeUserInactive},
		{"password change", true, `UPDATE auth_user SET password = ? WHERE id = ?`, []any{newHash}, tokens.CodePasswordChanged},
		{"delete", false, `DELETE FROM auth_user WHERE id = ?`, nil, tokens.CodeUserNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := newUserCacheService(t, nil, func(s *ginjwt.Settings) { s.CheckRevokeToken = tc.revoke })
			var waits []time.Duration
			for i := range cacheRounds {
				id, access := svc.newUser(t, fmt.Sprintf("u%d", i), hash)
				for range 2 { // the read, then a hit
					if code, body := svc.me(access); code != http.StatusNoContent {
						t.Fatalf("round %d before: %d %s", i, code, body)
					}
				}
				svc.exec(t, tc.change, append(slices.Clone(tc.args), id)...)
				committed := time.Now()
				var body string
				for {
					var code int
					if code, body = svc.me(access); code == http.StatusUnauthorized {
						break
					}
					if time.Since(committed) > 10*time.Second {
						t.Fatalf("round %d: still %d 10 s after the COMMIT", i, code)
					}
					time.Sleep(50 * time.Microsecond)
				}
				waits = append(waits, time.Since(committed))
				if !strings.Contains(body, `"code":"`+tc.code+`"`) {
					t.Fatalf("round %d: refused with %s, want code %s", i, body, tc.code)
				}
			}
			logWaits(t, tc.name+": COMMIT to first refusal", waits)
		})
	}
}

// TestUserCacheFeedDown: when the LISTEN backend is killed (pg_terminate_backend), the cache
// stops serving and empties at once: a deactivation committed while it is down is refused by
// the next request; it listens again and serves. The time from the kill's return to the
// bypass is logged.
func TestUserCacheFeedDown(t *testing.T) {
	svc := newUserCacheService(t, nil, nil)
	hash := models.NewUser("x").Password
	var waits []time.Duration
	for i := range cacheRounds {
		svc.waitFor(t, "the user cache to listen again", svc.j.UserCacheListening)
		id, access := svc.newUser(t, fmt.Sprintf("u%d", i), hash)
		if code, _ := svc.me(access); code != http.StatusNoContent {
			t.Fatalf("round %d before: %d", i, code)
		}
		svc.exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = CURRENT_DATABASE() AND pid <> pg_backend_pid() AND query = 'LISTEN "`+models.UserChannel+`"'`)
		killed := time.Now()
		svc.waitFor(t, "the bypass", func() bool { return !svc.j.UserCacheListening() })
		waits = append(waits, time.Since(killed))
		svc.exec(t, `UPDATE auth_user SET is_active = false WHERE id = ?`, id)
		if code, body := svc.me(access); code != http.StatusUnauthorized {
			t.Fatalf("round %d: a deactivation committed while the feed was down: %d %s", i, code, body)
		}
	}
	logWaits(t, "LISTEN backend killed to cache bypassed", waits)
	if !strings.Contains(svc.log.String(), "user cache feed (PostgreSQL LISTEN) is down") {
		t.Errorf("no feed-down warning; log:\n%s", svc.log)
	}
}

// TestUserCacheSilentFeed: a LISTEN connection that stops delivering without an error (here a
// feed that drops the probes, as a dead peer behind a partition would drop everything) is
// noticed by the probe: the cache stops serving within two probe intervals and says why.
func TestUserCacheSilentFeed(t *testing.T) {
	silent := func(ctx context.Context, db *sql.DB, channel string, notify func(string)) error {
		return pglisten.Listen(ctx, db, channel, func(p string) {
			if !strings.HasPrefix(p, "simplejwt-probe-") {
				notify(p)
			}
		})
	}
	svc := newUserCacheService(t, silent, nil)
	listened := time.Now()
	svc.waitFor(t, "the bypass", func() bool { return !svc.j.UserCacheListening() })
	t.Logf("user cache: silent feed bypassed %s after it listened (probe every 50ms)", time.Since(listened))
	svc.waitFor(t, "the warning", func() bool { return strings.Contains(svc.log.String(), "did not deliver its probe") })
}

// TestUserCacheOff: without PostgreSQL, a GORM user store or the trigger, the cache never
// serves and Auth reads the database as without it.
// memberUser is a custom user model on auth_user (models.User's columns and methods).
type memberUser struct{ models.User }

func TestUserCacheOff(t *testing.T) {
	cases := []struct {
		name, dialect string
		want          error
		log           string
		model         func() models.UserModel
	}{
		{"sqlite", "sqlite", ginjwt.ErrUserCacheOff, "needs PostgreSQL", nil},
		{"custom user store", "memory", ginjwt.ErrUserCacheOff, "needs the GORM user store", nil},
		{"custom user model", "postgres", ginjwt.ErrUserCacheOff, "holds the built-in models.User only",
			func() models.UserModel { return new(memberUser) }},
		{"no trigger", "postgres", ginjwt.ErrUserNotifyMissing, "run models.MigrateUserNotify", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log := &logBuffer{}
			svc := newDBService(t, tc.dialect, func(s *ginjwt.Settings) {
				s.UserCacheFeed = pglisten.Listen
				s.Logger = slog.New(slog.NewTextHandler(log, nil))
				s.User.New = tc.model
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := svc.j.FollowUsers(ctx); !errors.Is(err, tc.want) {
				t.Fatalf("FollowUsers = %v, want %v", err, tc.want)
			}
			if svc.j.UserCacheListening() {
				t.Fatal("the cache serves")
			}
			if !strings.Contains(log.String(), tc.log) {
				t.Errorf("log lacks %q:\n%s", tc.log, log)
			}
			if code, body := svc.me(svc.login(t)["access"]); code != http.StatusNoContent {
				t.Fatalf("Auth: %d %s", code, body)
			}
		})
	}
}

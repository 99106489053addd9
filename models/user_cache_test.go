package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// lookupUsers is modelstest.Users with the narrow lookup models.AuthCache reads through: its
// GetByID, after during (when set) has run in the middle of the "query".
type lookupUsers struct {
	*modelstest.Users
	mu     sync.Mutex
	during func()
}

func (s *lookupUsers) GetByIDForAuth(ctx context.Context, id string, password bool) (models.AuthUser, error) {
	s.mu.Lock()
	during := s.during
	s.mu.Unlock()
	if during != nil {
		during()
	}
	u, err := s.Users.GetByID(ctx, id)
	if err != nil || password {
		return u, err
	}
	u.(*models.User).Password = ""
	return u, nil
}

func (s *lookupUsers) setDuring(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.during = f
}

var t0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func newCacheFixture(t *testing.T, opts models.AuthCacheOptions) (*models.AuthCache, *lookupUsers, *modelstest.Clock) {
	t.Helper()
	users := &lookupUsers{Users: modelstest.NewUsers(modelstest.UsersOptions{})}
	users.Add(t, 1, "alice", "alice-pw", true)
	users.Add(t, 2, "bob", "bob-pw", true)
	clock := modelstest.NewClock(t0)
	opts.Now = clock.Now
	return models.NewAuthCache(users, opts), users, clock
}

// get reads id through c and fails the test on an error.
func get(t *testing.T, c *models.AuthCache, id string, password bool) *models.User {
	t.Helper()
	u, err := c.GetByIDForAuth(context.Background(), id, password)
	if err != nil {
		t.Fatalf("GetByIDForAuth(%s): %v", id, err)
	}
	return u.(*models.User)
}

// TestAuthCacheRules: each rule of models.AuthCache, by the number of lookups the source sees.
func TestAuthCacheRules(t *testing.T) {
	cases := []struct {
		name string
		opts models.AuthCacheOptions
		// run reads and changes things and returns the lookups it expects the source to see.
		run func(t *testing.T, c *models.AuthCache, users *lookupUsers, clock *modelstest.Clock) int64
	}{
		{"bypassed before the feed listens", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			get(t, c, "1", false)
			get(t, c, "1", false)
			if c.Len() != 0 || c.Listening() {
				t.Errorf("stored %d before listening", c.Len())
			}
			return 2
		}},
		{"served while listening", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			for range 3 {
				get(t, c, "1", false)
			}
			return 1
		}},
		{"a notification removes its user only", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			get(t, c, "1", false)
			get(t, c, "2", false)
			c.Notify("1")
			get(t, c, "1", false)
			get(t, c, "2", false)
			return 3
		}},
		{"an empty notification (TRUNCATE, LISTEN again) empties it", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			get(t, c, "1", false)
			c.Notify("")
			get(t, c, "1", false)
			return 2
		}},
		{"bypassed and emptied after the feed stops", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			get(t, c, "1", false)
			c.Stop()
			if c.Len() != 0 || c.Listening() {
				t.Errorf("after Stop: %d entries, listening %v", c.Len(), c.Listening())
			}
			get(t, c, "1", false)
			get(t, c, "1", false)
			c.Notify("")
			get(t, c, "1", false)
			get(t, c, "1", false)
			return 4
		}},
		{"max age on the injected clock", models.AuthCacheOptions{MaxAge: 10 * time.Second}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, clock *modelstest.Clock) int64 {
			c.Notify("")
			get(t, c, "1", false)
			clock.Advance(9 * time.Second)
			get(t, c, "1", false)
			clock.Advance(time.Second)
			get(t, c, "1", false) // read again: 10 s old
			clock.Advance(-time.Minute)
			get(t, c, "1", false) // the clock went back: not trusted
			return 3
		}},
		{"bounded size", models.AuthCacheOptions{MaxEntries: 1}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			get(t, c, "1", false)
			get(t, c, "2", false) // replaces 1
			if c.Len() != 1 {
				t.Errorf("Len %d, want 1", c.Len())
			}
			get(t, c, "2", false)
			get(t, c, "1", false)
			return 3
		}},
		{"unknown users are not cached", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			for range 2 {
				if _, err := c.GetByIDForAuth(context.Background(), "99", false); !errors.Is(err, models.ErrUserNotFound) {
					t.Errorf("err %v, want ErrUserNotFound", err)
				}
			}
			return 2
		}},
		{"errors are not cached", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, users *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			users.FailWith(models.ErrUnavailable, "GetByID")
			if _, err := c.GetByIDForAuth(context.Background(), "1", false); !errors.Is(err, models.ErrUnavailable) {
				t.Errorf("err %v, want ErrUnavailable", err)
			}
			users.FailWith(nil)
			get(t, c, "1", false)
			get(t, c, "1", false)
			return 2
		}},
		{"a non-canonical id text is not cached", models.AuthCacheOptions{}, func(t *testing.T, c *models.AuthCache, _ *lookupUsers, _ *modelstest.Clock) int64 {
			c.Notify("")
			for range 2 {
				_, _ = c.GetByIDForAuth(context.Background(), "01", false)
			}
			return 2
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, users, clock := newCacheFixture(t, tc.opts)
			want := tc.run(t, c, users, clock)
			if got := users.Lookups(); got != want {
				t.Errorf("source lookups %d, want %d", got, want)
			}
		})
	}
}

// TestAuthCacheCopies: a hit is a fresh *User with only Auth's fields, the password hash only
// when asked; changing it changes nothing the next caller reads.
func TestAuthCacheCopies(t *testing.T) {
	c, _, _ := newCacheFixture(t, models.AuthCacheOptions{})
	c.Notify("")
	first := get(t, c, "1", true)
	if first.Password == "" || first.Username != "alice" || !first.IsActive || first.ID != 1 {
		t.Fatalf("fill: %+v", first)
	}
	hash := first.Password
	first.IsActive, first.Username, first.Password = false, "mallory", "x"
	again := get(t, c, "1", true)
	if again == first || !again.IsActive || again.Username != "alice" || again.Password != hash {
		t.Fatalf("hit shares the caller's copy: %+v", again)
	}
	if u := get(t, c, "1", false); u.Password != "" {
		t.Fatalf("password returned unasked: %q", u.Password)
	}
}

// TestAuthCacheFillRace: a read that was under way when a user changed (its row read before the
// COMMIT, the notification heard before the read returns) is not stored, so the next call
// reads the new row; the same after a Stop during the read.
func TestAuthCacheFillRace(t *testing.T) {
	cases := []struct {
		name   string
		during func(c *models.AuthCache, users *lookupUsers)
	}{
		{"notification of that user", func(c *models.AuthCache, _ *lookupUsers) { c.Notify("1") }},
		{"notification of another user", func(c *models.AuthCache, _ *lookupUsers) { c.Notify("2") }},
		{"feed stopped", func(c *models.AuthCache, _ *lookupUsers) { c.Stop(); c.Notify("") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, users, _ := newCacheFixture(t, models.AuthCacheOptions{})
			c.Notify("")
			users.setDuring(func() {
				users.setDuring(nil)
				tc.during(c, users)
			})
			get(t, c, "1", false) // the racing read: returned, not stored
			if c.Len() != 0 {
				t.Fatalf("the racing read was stored (%d entries)", c.Len())
			}
			get(t, c, "1", false) // stored
			get(t, c, "1", false) // hit
			if got := users.Lookups(); got != 2 {
				t.Fatalf("source lookups %d, want 2", got)
			}
		})
	}
}

// TestAuthCacheConcurrent: readers, notifications and stops at once (run with -race).
func TestAuthCacheConcurrent(t *testing.T) {
	c, _, _ := newCacheFixture(t, models.AuthCacheOptions{MaxEntries: 1})
	c.Notify("")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 200 {
				id := []string{"1", "2"}[(i+j)%2]
				if u, err := c.GetByIDForAuth(context.Background(), id, j%2 == 0); err != nil || u.(*models.User).Username == "" {
					t.Errorf("GetByIDForAuth(%s): %v %v", id, u, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for j := range 200 {
			switch j % 3 {
			case 0:
				c.Notify("1")
			case 1:
				c.Stop()
			default:
				c.Notify("")
			}
		}
	})
	wg.Wait()
}

// BenchmarkAuthCacheHit: one hit (a read lock, a map lookup, a copy of the narrow user).
//
//	go test ./models/ -run '^$' -bench AuthCacheHit -count 3
func BenchmarkAuthCacheHit(b *testing.B) {
	users := &lookupUsers{Users: modelstest.NewUsers(modelstest.UsersOptions{})}
	users.Add(b, 1, "alice", "alice-pw", true)
	c := models.NewAuthCache(users, models.AuthCacheOptions{Now: modelstest.NewClock(t0).Now})
	c.Notify("")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetByIDForAuth(ctx, "1", true); err != nil {
			b.Fatal(err)
		}
	}
	if users.Lookups() != 1 {
		b.Fatalf("source lookups %d, want 1", users.Lookups())
	}
}

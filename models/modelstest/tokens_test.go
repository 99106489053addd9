package modelstest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func rec(jti, user string, exp time.Time) models.TokenRecord {
	return models.TokenRecord{JTI: jti, UserID: user, Token: "token-" + jti, CreatedAt: exp.Add(-time.Hour), ExpiresAt: exp}
}

// race runs f in n goroutines released together and counts the true answers and the errors.
func race(n int, f func(i int) (bool, error)) (won []int, lost int, errs []error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			ok, err := f(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case ok:
				won = append(won, i)
			default:
				lost++
			}
		})
	}
	close(start)
	wg.Wait()
	return won, lost, errs
}

// TestTokens is GormTokenStore's contract on the map: get-or-create, one winner among concurrent
// blacklists and rotations, blacklisting per user, the flush cutoff, the clock's blacklist times.
func TestTokens(t *testing.T) {
	ctx := context.Background()
	clock := modelstest.NewClock(epoch)
	s := modelstest.NewTokens(clock.Now)
	if err := s.Outstand(ctx, rec("a", "1", epoch.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	_ = s.Outstand(ctx, models.TokenRecord{JTI: "a", UserID: "2", Token: "other", ExpiresAt: epoch})
	if got, _ := s.Get("a"); got.UserID != "1" || got.Token != "token-a" {
		t.Fatalf("Outstand overwrote: %+v", got)
	}
	won, lost, errs := race(100, func(int) (bool, error) { return s.Blacklist(ctx, rec("race", "1", epoch.Add(time.Hour))) })
	if len(won) != 1 || lost != 99 || len(errs) != 0 {
		t.Fatalf("blacklist race: %d created, %d not, %v", len(won), lost, errs)
	}
	if got, ok := s.Get("race"); !ok || !got.BlacklistedAt.Equal(epoch) || got.CreatedAt.IsZero() {
		t.Fatalf("race record %+v; want blacklisted at the clock's time", got)
	}
	won, lost, errs = race(100, func(i int) (bool, error) {
		return s.Rotate(ctx, rec("a", "1", epoch.Add(time.Hour)), rec(fmt.Sprint("next-", i), "1", epoch.Add(time.Hour)))
	})
	if len(won) != 1 || lost != 99 || len(errs) != 0 {
		t.Fatalf("rotate race: %d rotated, %d not, %v", len(won), lost, errs)
	}
	for i := range 100 {
		if _, ok := s.Get(fmt.Sprint("next-", i)); ok != (i == won[0]) {
			t.Errorf("next-%d recorded = %v; only the winner's successor should be", i, ok)
		}
	}
	_ = s.Outstand(ctx, rec("b", "1", epoch.Add(time.Hour)))
	_ = s.Outstand(ctx, rec("c", "2", epoch.Add(time.Hour)))
	clock.Advance(time.Minute)
	if n, _ := s.BlacklistAllForUser(ctx, "1"); n != 2 { // the successor and b; a and race are already
		t.Fatalf("BlacklistAllForUser = %d, want 2", n)
	}
	if bl, _ := s.IsBlacklisted(ctx, "c"); bl {
		t.Fatal("another user's token was blacklisted")
	}
	if got, _ := s.Get("b"); !got.BlacklistedAt.Equal(epoch.Add(time.Minute)) {
		t.Fatalf("b blacklisted at %v; want the clock's time", got.BlacklistedAt)
	}
	_ = s.Outstand(ctx, rec("old", "1", epoch.Add(-time.Second)))
	_ = s.Outstand(ctx, rec("edge", "1", epoch))
	if _, err := s.FlushExpired(ctx, epoch, -time.Second); !errors.Is(err, models.ErrNegativeLeeway) {
		t.Fatalf("negative leeway: %v", err)
	}
	if n, _ := s.FlushExpired(ctx, epoch, 0); n != 2 {
		t.Fatalf("FlushExpired = %d, want 2 (old, and edge at exactly the cutoff)", n)
	}
	if out, black := s.Counts(); out != 5 || black != 4 {
		t.Fatalf("Counts = %d, %d; want 5 records (a, race, the successor, b, c), 4 blacklisted", out, black)
	}
}

// TestFailWith: an injected error reaches the named methods only, and FailWith(nil) ends it.
func TestFailWith(t *testing.T) {
	ctx := context.Background()
	down := fmt.Errorf("%w: connection refused", models.ErrUnavailable)
	s := modelstest.NewTokens(nil)
	s.FailWith(down, "Blacklist")
	if _, err := s.Blacklist(ctx, rec("a", "", epoch)); !errors.Is(err, down) {
		t.Fatalf("Blacklist = %v, want the injected error", err)
	}
	if err := s.Outstand(ctx, rec("a", "", epoch)); err != nil {
		t.Fatalf("Outstand = %v; only Blacklist fails", err)
	}
	s.FailWith(down)
	if _, err := s.IsBlacklisted(ctx, "a"); !errors.Is(err, down) {
		t.Fatalf("IsBlacklisted = %v, want the injected error", err)
	}
	s.FailWith(nil)
	if created, err := s.Blacklist(ctx, rec("a", "", epoch)); !created || err != nil {
		t.Fatalf("after FailWith(nil): Blacklist = %v, %v", created, err)
	}

	users := modelstest.NewUsers(modelstest.UsersOptions{})
	alice := users.Add(t, 0, "alice", alicePassword, true)
	users.FailWith(down, "UpdateLastLogin")
	if _, err := users.Authenticate(ctx, "alice", alicePassword); err != nil {
		t.Fatalf("Authenticate = %v; only UpdateLastLogin fails", err)
	}
	if err := users.UpdateLastLogin(ctx, alice, epoch); !errors.Is(err, down) {
		t.Fatalf("UpdateLastLogin = %v, want the injected error", err)
	}
	if n, _ := users.LastLogins(); n != 0 || users.Lookups() != 1 {
		t.Fatalf("%d last logins, %d lookups; want 0, 1", n, users.Lookups())
	}
	users.FailWith(nil)
	if err := users.UpdateLastLogin(ctx, alice, epoch); err != nil {
		t.Fatal(err)
	}
	if n, at := users.LastLogins(); n != 1 || !at.Equal(epoch) {
		t.Fatalf("LastLogins = %d, %v", n, at)
	}
}

func TestClock(t *testing.T) {
	c := modelstest.NewClock(epoch)
	if !c.Now().Equal(epoch) || !c.Advance(time.Second).Equal(epoch.Add(time.Second)) || !c.Now().Equal(epoch.Add(time.Second)) {
		t.Fatal("Advance")
	}
	c.Set(epoch)
	if !c.Now().Equal(epoch) {
		t.Fatal("Set")
	}
}

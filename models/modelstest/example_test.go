package modelstest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/hashers/hasherstest"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// A login test on the shared fakes: the hasher runs counted, a database outage injected, the
// clock set by hand.
func ExampleUsers() {
	ctx := context.Background()
	counted, runs := hasherstest.CountingHasher(hashers.PBKDF2SHA256(1000))
	users := modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(counted)})
	alice := models.NewUser("alice") // in a test: users.Add(t, 0, "alice", "alice-password-1", true)
	_ = alice.SetPasswordWith(users.Hashers(), "alice-password-1")
	_ = users.Create(ctx, alice)

	for _, password := range []string{"alice-password-1", "wrong"} {
		runs.Store(0)
		_, err := users.Authenticate(ctx, "alice", password)
		fmt.Printf("%q: err=%v hasher runs=%d\n", password, err, runs.Load())
	}

	users.FailWith(fmt.Errorf("%w: connection refused", models.ErrUnavailable), "GetByID")
	_, err := users.GetByID(ctx, "1")
	fmt.Println("outage:", errors.Is(err, models.ErrUnavailable), "lookups:", users.Lookups())

	clock := modelstest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	store := modelstest.NewTokens(clock.Now)
	clock.Advance(time.Minute)
	_, _ = store.Blacklist(ctx, models.TokenRecord{JTI: "j1", ExpiresAt: clock.Now().Add(time.Hour)})
	rec, _ := store.Get("j1")
	fmt.Println("blacklisted at:", rec.BlacklistedAt.Format(time.TimeOnly))
	// Output:
	// "alice-password-1": err=<nil> hasher runs=1
	// "wrong": err=models: invalid credentials hasher runs=1
	// outage: true lookups: 3
	// blacklisted at: 00:01:00
}

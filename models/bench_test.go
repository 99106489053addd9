package models

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// go test ./models -run '^$' -bench . -benchmem

// benchUserStore is a user store on a SQLite file (WAL, Open's settings) with 1,000 users, and
// the user_id claim of one of them.
func benchUserStore(b *testing.B) (*GormUserStore, string) {
	tdb := newTestDB(b, "sqlite", true)
	users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]*User, 0, 1000)
	for i := range 1000 {
		batch = append(batch, NewUser(fmt.Sprintf("user%04d", i)))
	}
	if err := tdb.DB.CreateInBatches(batch, 200).Error; err != nil {
		b.Fatal(err)
	}
	return users, users.UserID(batch[500])
}

func benchGetByID(b *testing.B, ctx context.Context) {
	users, id := benchUserStore(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := users.GetByID(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUserStoreGetByID is JWTAuthentication's per-request user lookup on a SQLite file
// (WAL, Open's settings) with 1,000 users.
func BenchmarkUserStoreGetByID(b *testing.B) { benchGetByID(b, context.Background()) }

// BenchmarkUserStoreGetByIDRequestContext is BenchmarkUserStoreGetByID with a cancellable
// context, as a server's request has: go-sqlite3 then runs each statement beside a watcher of the
// context, as it does for every call with a deadline (a context that can never end, as
// context.Background(), lets it skip that).
func BenchmarkUserStoreGetByIDRequestContext(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	benchGetByID(b, ctx)
}

// BenchmarkTokenStoreIsBlacklisted is the blacklist check of sliding-token auth and of refresh,
// on a SQLite file with 10,000 outstanding tokens of which 1,000 are blacklisted.
func BenchmarkTokenStoreIsBlacklisted(b *testing.B) {
	tdb := newTestDB(b, "sqlite", true)
	ctx := context.Background()
	tokens := NewTokenStore(tdb.DB, nil)
	exp := NewDjangoTime(time.Now().Add(time.Hour))
	rows := make([]OutstandingToken, 0, 10000)
	for i := range 10000 {
		rows = append(rows, OutstandingToken{JTI: fmt.Sprintf("%032x", i), Token: "t", ExpiresAt: exp})
	}
	if err := tdb.DB.CreateInBatches(rows, 500).Error; err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 10000; i += 10 {
		if _, err := tokens.Blacklist(ctx, TokenRecord{JTI: rows[i].JTI, ExpiresAt: exp.Time}); err != nil {
			b.Fatal(err)
		}
	}
	// Alternate a blacklisted jti and one that is not.
	jtis := [2]string{rows[5000].JTI, rows[5001].JTI}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		want := i%2 == 0
		if bl, err := tokens.IsBlacklisted(ctx, jtis[i%2]); err != nil || bl != want {
			b.Fatal(bl, err)
		}
		i++
	}
}

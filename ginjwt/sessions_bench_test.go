package ginjwt_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

// BenchmarkAuthStatelessRevocations is BenchmarkAuthStateless on an instance with sessions on
// and n live revocations loaded at start (half of sessions, half of users), the token carrying
// a sid that is not revoked: the cost of the in-memory revocation check. Target: 10,000 within
// 1.1× of none, no allocation more.
//
//	go test ./ginjwt/ -run '^$' -bench 'BenchmarkAuthStateless' -benchtime 20000x -count 3
func BenchmarkAuthStatelessRevocations(b *testing.B) {
	for _, n := range []int{0, 10000} {
		b.Run(fmt.Sprintf("revocations=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db, err := dburl.Open(ctx, filepath.Join(b.TempDir(), "bench.sqlite3"))
			if err != nil {
				b.Fatal(err)
			}
			if err := models.Migrate(ctx, db); err != nil {
				b.Fatal(err)
			}
			if err := models.MigrateSessions(ctx, db); err != nil {
				b.Fatal(err)
			}
			exp := time.Now().Add(time.Hour).UnixMicro()
			err = db.Transaction(func(tx *gorm.DB) error {
				for i := range n {
					kind := models.RevokeSession
					if i%2 == 1 {
						kind = models.RevokeUser
					}
					if err := tx.Exec(`INSERT INTO simplejwt_revocation (kind, "key", not_before, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`,
						kind, fmt.Sprintf("%032x", i+1000000), time.Now().UnixMicro(), exp, time.Now().UnixMicro()).Error; err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			s := ginjwt.DefaultSettings()
			s.SigningKey, s.Sessions, s.Now = key, true, time.Now
			j, err := ginjwt.New(db, s)
			if err != nil {
				b.Fatal(err)
			}
			if got := j.Revocations(); got != n {
				b.Fatalf("Revocations = %d, want %d", got, n)
			}
			authz := "Bearer " + mint(b, j, tokens.AccessToken, "1", func(t *tokens.Token) {
				t.Set(tokens.SessionClaim, "0123456789abcdef0123456789abcdef")
			})
			runAuthBench(b, benchEngine(j.AuthStateless()), authz, http.StatusNoContent)
		})
	}
}

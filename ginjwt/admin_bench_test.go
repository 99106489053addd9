package ginjwt_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// BenchmarkAdminList is one page (50 rows) of the admin's token list on SQLite with 10,000
// outstanding tokens of 100 users, a tenth blacklisted: the first page, a deep page, and a
// search by username.
func BenchmarkAdminList(b *testing.B) {
	ctx := context.Background()
	db, err := dburl.Open(ctx, filepath.Join(b.TempDir(), "bench.sqlite3"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	if err := models.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	h := hashers.New(hashers.PBKDF2SHA256(1000))
	users, err := models.NewUserStore(db, models.UserStoreOptions{Hashers: h})
	if err != nil {
		b.Fatal(err)
	}
	staff := models.NewUser("staff")
	staff.IsStaff = true
	_ = staff.SetPasswordWith(h, "staff-password")
	if err := users.Create(ctx, staff); err != nil {
		b.Fatal(err)
	}
	base := time.Now().UTC().Truncate(time.Second)
	var ids []int64
	for u := range 100 {
		user := models.NewUser(fmt.Sprintf("user%03d", u))
		if err := users.Create(ctx, user); err != nil {
			b.Fatal(err)
		}
		rows := make([]models.OutstandingToken, 100)
		for i := range rows {
			created := models.NewDjangoTime(base.Add(time.Duration(u*100+i) * time.Second))
			rows[i] = models.OutstandingToken{UserID: &user.ID, JTI: fmt.Sprintf("%032x", u*100+i), Token: "x",
				CreatedAt: &created, ExpiresAt: models.NewDjangoTime(created.Add(24 * time.Hour))}
		}
		if err := db.CreateInBatches(rows, 100).Error; err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(rows); i += 10 {
			ids = append(ids, rows[i].ID)
		}
	}
	if _, err := models.BlacklistOutstandingIDs(ctx, db, ids, models.NewDjangoTime(base)); err != nil {
		b.Fatal(err)
	}
	s := ginjwt.DefaultSettings()
	s.SigningKey = key
	s.User = models.UserStoreOptions{Hashers: h}
	s.AccessTokenLifetime = 24 * time.Hour // outlives the benchmark
	j, err := ginjwt.New(db, s)
	if err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Any("/admin/tokens/*admin", j.Admin(ginjwt.AdminConfig{}))
	tok, err := j.Tokens().ForUser(ctx, tokens.AccessToken, tokens.Subject{ID: users.UserID(staff)})
	if err != nil {
		b.Fatal(err)
	}
	access, err := tok.Encode()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, query string }{{"first", ""}, {"page100", "?p=100"}, {"search", "?q=user042"}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/admin/tokens/"+bc.query, nil)
				req.AddCookie(&http.Cookie{Name: "simplejwt_admin", Value: access})
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}

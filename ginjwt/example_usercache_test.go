package ginjwt_test

import (
	"context"
	"log"
	"os"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation/pglisten"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

// The user cache on PostgreSQL: install the trigger that announces every change of auth_user
// (once, like a migration; Django's own writes announce themselves through it), set
// UserCacheFeed, and run FollowUsers beside the server. Auth then reads a user from the
// database once and serves it from memory until its row changes; a deactivation, a password
// change or a deletion is refused as soon as its NOTIFY arrives, and while the LISTEN
// connection is down every request reads the database as without the cache.
//
// It needs a PostgreSQL server, so it is compiled but not run.
func ExampleJWT_FollowUsers() {
	ctx := context.Background()
	db, err := dburl.Open(ctx, os.Getenv("DATABASE_URL")) // postgres://…
	if err != nil {
		log.Fatal(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		log.Fatal(err)
	}
	if err := models.MigrateUserNotify(ctx, db, models.UserStoreOptions{}); err != nil {
		log.Fatal(err)
	}
	s := ginjwt.DefaultSettings()
	s.SigningKey = os.Getenv("SIMPLE_JWT_SIGNING_KEY")
	s.UserCacheFeed = pglisten.Listen
	j, err := ginjwt.New(db, s)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		if err := j.FollowUsers(ctx); err != nil {
			log.Print(err) // ErrUserNotifyMissing: the cache never serves
		}
	}()

	router := gin.New()
	router.Use(j.Auth())
	j.RegisterRoutes(router.Group("/api/token"))
	log.Fatal(router.Run(":8000"))
}

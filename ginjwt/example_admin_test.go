package ginjwt_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// Admin mounts the staff-only token admin at a path of your choice: here /admin/tokens/, on
// a SQLite database. An anonymous visitor gets the login form (with Django's CSRF token).
func ExampleJWT_Admin() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "admin-example-")
	defer os.RemoveAll(dir)
	db, err := dburl.Open(ctx, filepath.Join(dir, "db.sqlite3"))
	if err != nil {
		panic(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		panic(err)
	}
	s := ginjwt.DefaultSettings()
	s.SigningKey = "example-signing-key-0123456789abcdef-0123"
	s.User = models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))}
	j, err := ginjwt.New(db, s)
	if err != nil {
		panic(err)
	}

	router := gin.New()
	router.Any("/admin/tokens/*admin", j.Admin(ginjwt.AdminConfig{}))

	w := httptest.NewRecorder()
	router.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/admin/tokens/", nil))
	body := w.Body.String()
	fmt.Println(w.Code, strings.Contains(body, `<label for="id_password">Password:</label>`),
		strings.Contains(body, `name="csrfmiddlewaretoken"`))
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
	// Output:
	// 200 true true
}

package ginjwt_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// The examples run on Django's tables in an in-memory SQLite database, with a fixed key and an
// injected clock, so that their output never changes.

// exampleNow is the examples' clock: tokens are issued and checked at this instant.
var exampleNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// exampleKey is the examples' HS256 secret.
const exampleKey = "example-signing-key-0123456789abcdef-0123"

// exampleDB opens a private in-memory SQLite database (one connection: each connection to
// ":memory:" is a database of its own) and creates Django's auth_user and token_blacklist
// tables. A service opens its own database the same way, with the one driver it uses.
func exampleDB() *gorm.DB {
	db, err := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		panic(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(1)
	if err := models.Migrate(context.Background(), db); err != nil {
		panic(err)
	}
	return db
}

// exampleSettings are the settings of the examples: the key, the clock, and a cheap PBKDF2
// (Django's default count is for production).
func exampleSettings() ginjwt.Settings {
	s := ginjwt.DefaultSettings()
	s.SigningKey = exampleKey
	s.Now = func() time.Time { return exampleNow }
	s.User = models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))}
	return s
}

// exampleUser creates a user with a password on db, as `example createuser` does.
func exampleUser(db *gorm.DB, username, password string) *models.User {
	users, err := models.NewUserStore(db, exampleSettings().User)
	if err != nil {
		panic(err)
	}
	u := models.NewUser(username)
	if err := u.SetPasswordWith(users.Hashers(), password); err != nil {
		panic(err)
	}
	if err := users.Create(context.Background(), u); err != nil {
		panic(err)
	}
	return u
}

// deleteUser deletes a user, as Django's User.delete() does (its outstanding tokens go with it).
func deleteUser(db *gorm.DB, id string) {
	users, err := models.NewUserStore(db, exampleSettings().User)
	if err != nil {
		panic(err)
	}
	if _, err := users.Delete(context.Background(), id); err != nil {
		panic(err)
	}
}

// get sends GET path with the token (none when "") and prints the answer.
func get(h http.Handler, path, access string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if access != "" {
		req.Header.Set("Authorization", "Bearer "+access)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println("GET", path+":", w.Code, strings.TrimSpace(w.Body.String()))
}

// login obtains a pair from /api/token/ and returns it.
func login(h http.Handler, username, password string) map[string]any {
	status, pair := post(h, "/api/token/", `{"username":"`+username+`","password":"`+password+`"}`)
	if status != http.StatusOK {
		panic(fmt.Sprint("login: ", status, pair))
	}
	return pair
}

// Auth on the whole router is DRF's JWTAuthentication: a valid access token puts its user,
// loaded from auth_user, on the request; IsAuthenticated refuses anonymous requests; a token
// whose user was deleted is refused.
func ExampleJWT_Auth() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	j, err := ginjwt.New(db, exampleSettings())
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.Use(j.Auth())
	j.RegisterRoutes(router.Group("/api/token"))
	router.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[*models.User](c)
		c.JSON(http.StatusOK, gin.H{"id": u.ID, "username": u.Username})
	})

	access := login(router, "alice", "alice-password-1")["access"].(string)
	get(router, "/api/me/", access)
	get(router, "/api/me/", "")
	get(router, "/api/me/", "not-a-token")
	deleteUser(db, "1")
	get(router, "/api/me/", access)
	// Output:
	// GET /api/me/: 200 {"id":1,"username":"alice"}
	// GET /api/me/: 401 {"detail":"Authentication credentials were not provided."}
	// GET /api/me/: 401 {"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid"}]}
	// GET /api/me/: 401 {"detail":"User not found","code":"user_not_found"}
}

// AuthStateless is JWTStatelessUserAuthentication: the user is a models.TokenUser built from
// the claims and the database is never touched. The authentication of a route is the one
// nearest to its handler, as a DRF view's authentication_classes: under Auth on the whole
// router, a route with AuthStateless is stateless, so a deleted user's token still passes there.
func ExampleJWT_AuthStateless() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	j, err := ginjwt.New(db, exampleSettings())
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.Use(j.Auth())
	j.RegisterRoutes(router.Group("/api/token"))
	router.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[*models.User](c)
		c.String(http.StatusOK, "database user %s", u.Username)
	})
	router.GET("/api/me/stateless/", j.AuthStateless(), j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[models.TokenUser](c)
		c.String(http.StatusOK, "token user %s", u.ID)
	})

	access := login(router, "alice", "alice-password-1")["access"].(string)
	deleteUser(db, "1")
	get(router, "/api/me/", access)
	get(router, "/api/me/stateless/", access)
	// Output:
	// GET /api/me/: 401 {"detail":"User not found","code":"user_not_found"}
	// GET /api/me/stateless/: 200 token user 1
}

// UserAs is the typed UserFrom: it returns false, and never panics, when the request is
// anonymous or its user is of another type (a TokenUser on a stateless route asked for as a
// *models.User). UserFrom returns the user as the models.AuthUser interface.
func ExampleUserAs() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	j, err := ginjwt.New(db, exampleSettings())
	if err != nil {
		panic(err)
	}
	router := gin.New()
	j.RegisterRoutes(router.Group("/api/token"))
	who := func(c *gin.Context) {
		if u, ok := ginjwt.UserAs[*models.User](c); ok {
			c.String(http.StatusOK, "*models.User %s", u.Username)
			return
		}
		if u, ok := ginjwt.UserAs[models.TokenUser](c); ok {
			c.String(http.StatusOK, "models.TokenUser %s", u.ID)
			return
		}
		u, ok := ginjwt.UserFrom(c)
		c.String(http.StatusOK, "anonymous: %v %v", u, ok)
	}
	router.GET("/db", j.Auth(), who)
	router.GET("/stateless", j.AuthStateless(), who)

	access := login(router, "alice", "alice-password-1")["access"].(string)
	get(router, "/db", access)
	get(router, "/stateless", access)
	get(router, "/db", "")
	// Output:
	// GET /db: 200 *models.User alice
	// GET /stateless: 200 models.TokenUser 1
	// GET /db: 200 anonymous: <nil> false
}

// TokenFrom returns the validated token of the request (DRF's request.auth): its claims,
// and its type.
func ExampleTokenFrom() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	j, err := ginjwt.New(db, exampleSettings())
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.Use(j.Auth())
	j.RegisterRoutes(router.Group("/api/token"))
	router.GET("/claims", j.IsAuthenticated(), func(c *gin.Context) {
		tok, _ := ginjwt.TokenFrom(c)
		id, _ := tok.UserID()
		typ, _ := tok.GetString("token_type")
		exp, _ := tok.Get("exp")
		c.String(http.StatusOK, "user_id=%s token_type=%s exp=%v", id, typ, exp)
	})

	access := login(router, "alice", "alice-password-1")["access"].(string)
	get(router, "/claims", access)
	fmt.Println("exp is now + ACCESS_TOKEN_LIFETIME:", exampleNow.Add(5*time.Minute).Unix())
	// Output:
	// GET /claims: 200 user_id=1 token_type=access exp=1772366700
	// exp is now + ACCESS_TOKEN_LIFETIME: 1772366700
}

// Settings.TokenSources are where Auth looks for the token, in order (go-chi/jwtauth's
// extractors): here a cookie first, then simplejwt's Authorization header. A source that finds
// nothing returns ("", nil) and the next one is tried.
func ExampleSettings_tokenSources() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	s := exampleSettings()
	cookie := func(r *http.Request) (string, error) {
		c, err := r.Cookie("access")
		if err != nil {
			return "", nil // no cookie: try the next source
		}
		return c.Value, nil
	}
	s.TokenSources = []ginjwt.TokenSource{cookie, s.HeaderSource()}
	j, err := ginjwt.New(db, s)
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.Use(j.Auth())
	j.RegisterRoutes(router.Group("/api/token"))
	router.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[*models.User](c)
		c.String(http.StatusOK, u.Username)
	})
	access := login(router, "alice", "alice-password-1")["access"].(string)

	req := httptest.NewRequest(http.MethodGet, "/api/me/", nil)
	req.AddCookie(&http.Cookie{Name: "access", Value: access})
	w := httptest.NewRecorder()
	router.ServeHTTP(w, req)
	fmt.Println("cookie:", w.Code, w.Body.String())
	get(router, "/api/me/", access) // the header still works
	// Output:
	// cookie: 200 alice
	// GET /api/me/: 200 alice
}

package ginjwt_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views"
)

// Creating a user is Django's create_user: models.NewUser gives Django's defaults (active,
// joined now, an unusable password), SetPasswordWith hashes with the store's PASSWORD_HASHERS,
// Create inserts the row into auth_user. The user can then log in.
func Example_createUser() {
	ctx := context.Background()
	db := exampleDB() // your *gorm.DB, after models.Migrate
	s := exampleSettings()

	users, err := models.NewUserStore(db, s.User)
	if err != nil {
		panic(err)
	}
	alice := models.NewUser("alice")
	alice.Email = "alice@example.com"
	if err := alice.SetPasswordWith(users.Hashers(), "alice-password-1"); err != nil {
		panic(err)
	}
	if err := users.Create(ctx, alice); err != nil {
		panic(err)
	}
	fmt.Println("id:", alice.ID, "hash:", strings.SplitN(alice.Password, "$", 3)[:2])
	err = users.Create(ctx, models.NewUser("alice"))
	fmt.Println("again:", errors.Is(err, models.ErrUserExists))

	j, err := ginjwt.New(db, s)
	if err != nil {
		panic(err)
	}
	router := gin.New()
	j.RegisterRoutes(router.Group("/api/token"))
	status, _ := post(router, "/api/token/", `{"username":"alice","password":"alice-password-1"}`)
	fmt.Println("login:", status)
	// Output:
	// id: 1 hash: [pbkdf2_sha256 1000]
	// again: true
	// login: 200
}

// With ROTATE_REFRESH_TOKENS, a refresh answers a new refresh token too; with
// BLACKLIST_AFTER_ROTATION the one it replaces is blacklisted, so it cannot be used twice.
func ExampleSettings_rotation() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	s := exampleSettings()
	s.RotateRefreshTokens = true
	s.BlacklistAfterRotation = true
	j, err := ginjwt.New(db, s)
	if err != nil {
		panic(err)
	}
	router := gin.New()
	j.RegisterRoutes(router.Group("/api/token"))

	first := login(router, "alice", "alice-password-1")["refresh"].(string)
	status, body := post(router, "/api/token/refresh/", `{"refresh":"`+first+`"}`)
	second := body["refresh"].(string)
	fmt.Println("refresh:", status, slices.Sorted(maps.Keys(body)), "new refresh token:", second != first)
	status, body = post(router, "/api/token/refresh/", `{"refresh":"`+first+`"}`)
	fmt.Println("the old one again:", status, body["detail"])
	status, _ = post(router, "/api/token/refresh/", `{"refresh":"`+second+`"}`)
	fmt.Println("the new one:", status)
	// Output:
	// refresh: 200 [access refresh] new refresh token: true
	// the old one again: 401 Token is blacklisted
	// the new one: 200
}

// RS256: the service with the users signs with the private key; a resource server verifies with
// the public key alone, as a stateless verifier (New without a database). A token signed with
// HS256 and the public key as the secret (the algorithm-confusion attack) is refused: the
// algorithm is pinned by the settings.
func ExampleNew_rs256() {
	key, err := rsa.GenerateKey(rand.Reader, 2048) // in production: read from a secret
	if err != nil {
		panic(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	private := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	der, _ = x509.MarshalPKIXPublicKey(&key.PublicKey)
	public := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))

	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	s := exampleSettings()
	s.Algorithm, s.SigningKey = "RS256", private
	issuer, err := ginjwt.New(db, s)
	if err != nil {
		panic(err)
	}
	auth := gin.New()
	issuer.RegisterRoutes(auth.Group("/api/token"))
	access := login(auth, "alice", "alice-password-1")["access"].(string)
	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(access, ".")[0])
	fmt.Println("header:", string(header))

	v := ginjwt.DefaultSettings()
	v.Algorithm, v.VerifyingKey = "RS256", public
	v.Now = s.Now
	verifier, err := ginjwt.New(nil, v)
	if err != nil {
		panic(err)
	}
	api := gin.New()
	api.Use(verifier.Auth())
	api.GET("/api/orders/", verifier.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[models.TokenUser](c)
		c.String(http.StatusOK, "orders of user %s", u.ID)
	})
	get(api, "/api/orders/", access)

	hs := ginjwt.DefaultSettings()
	hs.SigningKey, hs.Now, hs.NoTokenBlacklist = public, s.Now, true
	if _, err := ginjwt.New(nil, hs); errors.Is(err, tokens.ErrAsymmetricSecret) {
		fmt.Println("the public key as an HMAC secret: refused at start")
	}
	// Output:
	// header: {"alg":"RS256","typ":"JWT"}
	// GET /api/orders/: 200 orders of user 1
	// the public key as an HMAC secret: refused at start
}

// New with neither a database nor a UserStore is a stateless verifier, for a service that only
// checks tokens (here with the shared HMAC secret): Auth is AuthStateless, the user is the
// token's models.TokenUser, and RegisterRoutes mounts only what needs no user, when named.
func ExampleNew_statelessVerifier() {
	db := exampleDB()
	exampleUser(db, "alice", "alice-password-1")
	issuer, err := ginjwt.New(db, exampleSettings())
	if err != nil {
		panic(err)
	}
	auth := gin.New()
	issuer.RegisterRoutes(auth.Group("/api/token"))
	access := login(auth, "alice", "alice-password-1")["access"].(string)

	s := ginjwt.DefaultSettings()
	s.SigningKey = exampleKey
	s.Now = func() time.Time { return exampleNow }
	verifier, err := ginjwt.New(nil, s) // no database
	if err != nil {
		panic(err)
	}
	api := gin.New()
	api.Use(verifier.Auth())
	verifier.RegisterRoutes(api.Group("/api/token"), views.TokenVerify)
	api.GET("/api/me/", verifier.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserAs[models.TokenUser](c)
		c.String(http.StatusOK, "token user %s", u.ID)
	})
	get(api, "/api/me/", access)
	status, body := post(api, "/api/token/verify/", `{"token":"`+access+`"}`)
	fmt.Println("verify:", status, body)
	fmt.Println("users:", verifier.Users())

	defer func() { fmt.Println("RegisterRoutes with the defaults:", recover() != nil) }()
	verifier.RegisterRoutes(gin.New())
	// Output:
	// GET /api/me/: 200 token user 1
	// verify: 200 map[]
	// users: <nil>
	// RegisterRoutes with the defaults: true
}

// RegisterRoutes adds the routes simplejwt's documentation shows: obtain pair, refresh and
// verify, plus blacklist when the token blacklist is installed (it is, on a database, unless
// NoTokenBlacklist), and the sliding routes only when AUTH_TOKEN_CLASSES holds SlidingToken.
// Names choose the endpoints explicitly.
func ExampleJWT_RegisterRoutes() {
	db := exampleDB()
	routes := func(mutate func(*ginjwt.Settings), only ...views.EndpointName) []string {
		s := exampleSettings()
		if mutate != nil {
			mutate(&s)
		}
		j, err := ginjwt.New(db, s)
		if err != nil {
			panic(err)
		}
		r := gin.New()
		j.RegisterRoutes(r.Group("/api/token"), only...)
		var paths []string
		for _, rt := range r.Routes() {
			if rt.Method == http.MethodPost {
				paths = append(paths, rt.Path)
			}
		}
		slices.Sort(paths)
		return paths
	}
	fmt.Println("defaults:", routes(nil))
	fmt.Println("without the blacklist:", routes(func(s *ginjwt.Settings) { s.NoTokenBlacklist = true }))
	fmt.Println("with sliding tokens:", routes(func(s *ginjwt.Settings) {
		s.AuthTokenClasses = []tokens.Class{tokens.AccessToken, tokens.SlidingToken}
	}))
	fmt.Println("named:", routes(nil, views.TokenObtainPair, views.TokenRefresh))
	// Output:
	// defaults: [/api/token/ /api/token/blacklist/ /api/token/refresh/ /api/token/verify/]
	// without the blacklist: [/api/token/ /api/token/refresh/ /api/token/verify/]
	// with sliding tokens: [/api/token/ /api/token/blacklist/ /api/token/refresh/ /api/token/sliding/ /api/token/sliding/refresh/ /api/token/verify/]
	// named: [/api/token/ /api/token/refresh/]
}

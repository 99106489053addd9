package ginjwt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// post sends a JSON body and returns status and decoded body.
func post(h http.Handler, path, body string) (int, map[string]any) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

// New builds an instance: the usage of the three lines, without globals. Here the users and the
// blacklist live in memory (models/modelstest's test doubles); a service passes its *gorm.DB
// instead (see dburl.Open, models.Migrate).
func ExampleNew() {
	users := modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	alice := models.NewUser("alice")
	_ = alice.SetPasswordWith(users.Hashers(), "alice-password-1")
	_ = users.Create(context.Background(), alice)

	s := ginjwt.DefaultSettings()
	s.SigningKey = "example-signing-key-0123456789abcdef-0123"
	s.UserStore, s.TokenStore = users, modelstest.NewTokens(nil)
	j, err := ginjwt.New(nil, s)
	if err != nil {
		panic(err)
	}

	router := gin.New()
	router.Use(j.Auth())
	j.RegisterRoutes(router.Group("/api/token"))
	router.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserFrom(c)
		c.JSON(http.StatusOK, gin.H{"username": u.(*models.User).Username})
	})

	status, pair := post(router, "/api/token/", `{"username":"alice","password":"alice-password-1"}`)
	fmt.Println("obtain:", status)

	req := httptest.NewRequest(http.MethodGet, "/api/me/", nil)
	req.Header.Set("Authorization", "Bearer "+pair["access"].(string))
	w := httptest.NewRecorder()
	router.ServeHTTP(w, req)
	fmt.Println("me:", w.Code, w.Body.String())

	status, _ = post(router, "/api/token/blacklist/", `{"refresh":"`+pair["refresh"].(string)+`"}`)
	fmt.Println("blacklist:", status)
	status, body := post(router, "/api/token/refresh/", `{"refresh":"`+pair["refresh"].(string)+`"}`)
	fmt.Println("refresh after blacklist:", status, body["detail"])
	// Output:
	// obtain: 200
	// me: 200 {"username":"alice"}
	// blacklist: 200
	// refresh after blacklist: 401 Token is blacklisted
}

// Custom claims: the Go counterpart of overriding get_token in a TokenObtainPairSerializer
// subclass and pointing TOKEN_OBTAIN_SERIALIZER at it:
//
//	class MyTokenObtainPairSerializer(TokenObtainPairSerializer):
//	    @classmethod
//	    def get_token(cls, user):
//	        token = super().get_token(user)
//	        token["name"] = user.username
//	        return token
func ExampleSettings_customClaims() {
	users := modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	bob := models.NewUser("bob")
	_ = bob.SetPasswordWith(users.Hashers(), "bob-password-1")
	_ = users.Create(context.Background(), bob)

	s := ginjwt.DefaultSettings()
	s.SigningKey = "example-signing-key-0123456789abcdef-0123"
	s.UserStore, s.NoTokenBlacklist = users, true
	s.Serializers[views.TokenObtainPair] = &serializers.TokenObtainPair{
		GetToken: func(ctx context.Context, env *serializers.Env, u models.AuthUser, t *tokens.Token) (*tokens.Token, error) {
			t.Set("name", u.(*models.User).Username)
			return t, nil
		},
	}
	j, _ := ginjwt.New(nil, s)
	router := gin.New()
	j.RegisterRoutes(router.Group("/api/token"))

	_, pair := post(router, "/api/token/", `{"username":"bob","password":"bob-password-1"}`)
	access, _ := j.Tokens().Parse(context.Background(), tokens.AccessToken, pair["access"].(string))
	name, _ := access.GetString("name")
	fmt.Println("name claim in the access token:", name)
	// Output:
	// name claim in the access token: bob
}

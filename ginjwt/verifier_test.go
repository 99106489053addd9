package ginjwt_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/views"
)

// ecKeys returns a fresh P-256 key pair as PEM: private (PKCS #8) and public (PKIX).
func ecKeys(t testing.TB) (private, public string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))
}

// TestStatelessVerifier: New with neither a database nor a UserStore is a verifier. Auth is
// AuthStateless there (any user id the token names, deleted or not, is a TokenUser), nothing
// looks a user up, and a resource server needs only the public key.
func TestStatelessVerifier(t *testing.T) {
	private, public := ecKeys(t)
	clock := func() time.Time { return now }
	// The issuer: the service with the users and the private key.
	is := ginjwt.DefaultSettings()
	is.Algorithm, is.SigningKey = "ES256", private
	is.UserStore, is.NoTokenBlacklist, is.Now = newUsers(), true, clock
	issuer, err := ginjwt.New(nil, is)
	if err != nil {
		t.Fatal(err)
	}
	// The resource server: the public key alone.
	vs := ginjwt.DefaultSettings()
	vs.Algorithm, vs.VerifyingKey, vs.Now = "ES256", public, clock
	v, err := ginjwt.New(nil, vs)
	if err != nil {
		t.Fatalf("New(nil, settings) without a user store: %v", err)
	}
	if v.Users() != nil {
		t.Errorf("Users() = %v, want nil", v.Users())
	}

	r := gin.New()
	r.Use(v.Auth())
	r.GET("/me", v.IsAuthenticated(), func(c *gin.Context) {
		u, ok := ginjwt.UserAs[models.TokenUser](c)
		c.String(http.StatusOK, fmt.Sprint(ok, " ", u.ID))
	})
	r.GET("/open", func(c *gin.Context) {
		_, ok := ginjwt.UserFrom(c)
		c.String(http.StatusOK, fmt.Sprint("authenticated=", ok))
	})
	alice := "Bearer " + mint(t, issuer, tokens.AccessToken, "1", nil)
	gone := "Bearer " + mint(t, issuer, tokens.AccessToken, "99", nil) // no user 99 anywhere
	forged := "Bearer " + mint(t, newJWT(t, newUsers(), nil), tokens.AccessToken, "1", nil)
	cases := []struct {
		name, path, authz string
		status            int
		body              string
	}{
		{"a user's token", "/me", alice, 200, "true 1"},
		{"a token of a user no one knows", "/me", gone, 200, "true 99"},
		{"a token signed with another key", "/me", forged, 401, ""},
		{"no token: IsAuthenticated refuses", "/me", "", 401, `{"detail":"Authentication credentials were not provided."}`},
		{"no token: anonymous", "/open", "", 200, "authenticated=false"},
		{"a token on an open route", "/open", alice, 200, "authenticated=true"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(r, tc.path, tc.authz)
			if w.Code != tc.status || tc.body != "" && w.Body.String() != tc.body {
				t.Errorf("%d %s, want %d %s", w.Code, w.Body, tc.status, tc.body)
			}
		})
	}

	// AuthenticateRequest asked for a database user still answers statelessly; User says why not.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", alice)
	u, tok, err := v.AuthenticateRequest(req, false)
	if _, ok := u.(models.TokenUser); !ok || tok == nil || err != nil {
		t.Errorf("AuthenticateRequest: %T %v %v", u, tok, err)
	}
	if _, err := v.User(context.Background(), tok); !errors.Is(err, ginjwt.ErrNoUserStore) {
		t.Errorf("User on a verifier: %v", err)
	}
	// Signing needs the private key: the verifier cannot issue tokens.
	if tok, err := v.Tokens().ForUser(context.Background(), tokens.AccessToken, tokens.Subject{ID: "1"}); err == nil {
		if raw, err := tok.Encode(); err == nil {
			t.Errorf("a verifier with only the public key signed a token: %s", raw)
		}
	}
}

// TestStatelessVerifierRoutes: RegisterRoutes on a verifier refuses, at setup with a clear
// panic, its defaults and the endpoints that log users in; it mounts verify (and blacklist
// with a TokenStore) when named.
func TestStatelessVerifierRoutes(t *testing.T) {
	verifier := func(store tokens.TokenStore) *ginjwt.JWT {
		s := ginjwt.DefaultSettings()
		s.SigningKey, s.TokenStore, s.Now = key, store, func() time.Time { return now }
		j, err := ginjwt.New(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	cases := []struct {
		name  string
		store bool
		only  []views.EndpointName
		panic string // "" when it mounts
	}{
		{"defaults", false, nil, "stateless verifier (New had neither a database nor Settings.UserStore), so it cannot serve the token routes"},
		{"defaults with a token store", true, nil, "cannot serve the token routes"},
		{"obtain pair", false, []views.EndpointName{views.TokenObtainPair}, "token_obtain_pair needs a user store"},
		{"refresh", true, []views.EndpointName{views.TokenVerify, views.TokenRefresh}, "token_refresh needs a user store"},
		{"sliding", false, []views.EndpointName{views.TokenRefreshSliding}, "token_refresh_sliding needs"},
		{"blacklist without a store", false, []views.EndpointName{views.TokenBlacklist}, "token_blacklist needs"},
		{"verify", false, []views.EndpointName{views.TokenVerify}, ""},
		{"verify and blacklist with a store", true, []views.EndpointName{views.TokenVerify, views.TokenBlacklist}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var store tokens.TokenStore
			if tc.store {
				store = modelstest.NewTokens(nil)
			}
			j := verifier(store)
			r := gin.New()
			func() {
				defer func() {
					p := recover()
					if tc.panic == "" && p != nil || tc.panic != "" && !strings.Contains(fmt.Sprint(p), tc.panic) {
						t.Errorf("panic %v, want one saying %q", p, tc.panic)
					}
				}()
				j.RegisterRoutes(r.Group("/api/token"), tc.only...)
			}()
			if tc.panic != "" {
				if n := len(r.Routes()); n != 0 {
					t.Errorf("%d routes mounted before the panic", n)
				}
				return
			}
			raw := mint(t, newJWT(t, newUsers(), nil), tokens.RefreshToken, "1", nil)
			req := httptest.NewRequest(http.MethodPost, "/api/token/verify/", strings.NewReader(`{"token":"`+raw+`"}`))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != http.StatusOK || w.Body.String() != "{}" {
				t.Errorf("verify: %d %s", w.Code, w.Body)
			}
			if tc.store {
				req := httptest.NewRequest(http.MethodPost, "/api/token/blacklist/", strings.NewReader(`{"refresh":"`+raw+`"}`))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					t.Errorf("blacklist: %d %s", w.Code, w.Body)
				}
			}
		})
	}
}

package ginjwt_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/views"
)

// JWKS publishes the public keys, here an Ed25519 signing key without SIGNING_KEY_ID: its kid is
// the key's RFC 7638 thumbprint, which the issued tokens carry too.
func ExampleJWT_JWKS() {
	seed := make([]byte, ed25519.SeedSize) // a fixed key, for a fixed output
	der, _ := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(seed))

	s := ginjwt.DefaultSettings()
	s.Algorithm = "EdDSA"
	s.SigningKey = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	s.PublishJWKS = true
	s.UserStore = modelstest.NewUsers(modelstest.UsersOptions{})
	s.NoTokenBlacklist = true
	j, err := ginjwt.New(nil, s)
	if err != nil {
		panic(err)
	}
	r := gin.New()
	r.GET("/.well-known/jwks.json", views.NoAuthentication, j.JWKS())

	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	fmt.Println(w.Code, w.Header().Get("Cache-Control"))
	fmt.Println(w.Body)
	// Output:
	// 200 public, max-age=300
	// {"keys":[{"kty":"OKP","use":"sig","alg":"EdDSA","kid":"9ZP03Nu8GrXPAUkbKNxHOKBzxPX83SShgFkRNK-f2lw","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"}]}
}

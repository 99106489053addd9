package ginjwt_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/views"
)

// TestJWKSHandler: the JWK set with its cache headers; If-None-Match with the ETag (alone, in a
// list, weak, or *) gives 304 without a body, a stale one 200; HEAD has the headers and no
// body; HMAC publishes an empty set; the handler runs without authentication under a
// router-wide Auth.
func TestJWKSHandler(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ec)
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	serve := func(j *ginjwt.JWT) *gin.Engine {
		r := gin.New()
		r.Use(j.Auth())
		h := j.JWKS()
		r.GET("/.well-known/jwks.json", views.NoAuthentication, h)
		r.HEAD("/.well-known/jwks.json", views.NoAuthentication, h)
		return r
	}
	get := func(h http.Handler, method string, headers ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/.well-known/jwks.json", nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	es := serve(newJWT(t, newUsers(), func(s *ginjwt.Settings) {
		s.Algorithm, s.SigningKey, s.PublishJWKS = "ES256", ecPEM, true
	}))
	first := get(es, http.MethodGet)
	etag := first.Header().Get("ETag")
	var set struct{ Keys []map[string]string }
	if err := json.Unmarshal(first.Body.Bytes(), &set); err != nil || len(set.Keys) != 1 || set.Keys[0]["kty"] != "EC" || set.Keys[0]["d"] != "" {
		t.Fatalf("body %s (%v)", first.Body, err)
	}
	weak := "W/" + etag
	for _, tt := range []struct {
		name, method string
		headers      []string
		status       int
		body         bool
	}{
		{"plain GET", http.MethodGet, nil, 200, true},
		{"invalid bearer ignored", http.MethodGet, []string{"Authorization", "Bearer nope"}, 200, true},
		{"If-None-Match equal", http.MethodGet, []string{"If-None-Match", etag}, 304, false},
		{"If-None-Match weak", http.MethodGet, []string{"If-None-Match", weak}, 304, false},
		{"If-None-Match in a list", http.MethodGet, []string{"If-None-Match", `"old", ` + etag}, 304, false},
		{"If-None-Match *", http.MethodGet, []string{"If-None-Match", "*"}, 304, false},
		{"If-None-Match stale", http.MethodGet, []string{"If-None-Match", `"stale"`}, 200, true},
		{"If-None-Match unquoted", http.MethodGet, []string{"If-None-Match", strings.Trim(etag, `"`)}, 200, true},
		{"If-None-Match malformed before", http.MethodGet, []string{"If-None-Match", `"a" "b", ` + etag}, 200, true},
		{"HEAD", http.MethodHead, nil, 200, false},
		{"HEAD If-None-Match", http.MethodHead, []string{"If-None-Match", etag}, 304, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := get(es, tt.method, tt.headers...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if got := w.Header().Get("Cache-Control"); got != "public, max-age=300" {
				t.Errorf("Cache-Control %q", got)
			}
			if got := w.Header().Get("ETag"); got != etag || !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
				t.Errorf("ETag %q, want %q", got, etag)
			}
			if tt.body != (w.Body.Len() > 0) {
				t.Errorf("body %q, want body=%v", w.Body, tt.body)
			}
			if tt.body && (w.Body.String() != first.Body.String() || w.Header().Get("Content-Type") != "application/json") {
				t.Errorf("body %s (%s), want %s", w.Body, w.Header().Get("Content-Type"), first.Body)
			}
			if tt.method == http.MethodHead && tt.status == 200 && w.Header().Get("Content-Length") != first.Header().Get("Content-Length") {
				t.Errorf("HEAD Content-Length %q, GET %q", w.Header().Get("Content-Length"), first.Header().Get("Content-Length"))
			}
		})
	}

	t.Run("HMAC: empty set", func(t *testing.T) {
		w := get(serve(newJWT(t, newUsers(), func(s *ginjwt.Settings) { s.PublishJWKS = true })), http.MethodGet)
		if w.Code != 200 || w.Body.String() != `{"keys":[]}` {
			t.Errorf("%d %s, want 200 {\"keys\":[]}", w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), key) {
			t.Error("the secret leaked")
		}
	})
	t.Run("same keys, same ETag", func(t *testing.T) {
		other := serve(newJWT(t, newUsers(), func(s *ginjwt.Settings) {
			s.Algorithm, s.SigningKey, s.PublishJWKS = "ES256", ecPEM, true
		}))
		if got := get(other, http.MethodGet).Header().Get("ETag"); got != etag {
			t.Errorf("ETag %q on a second instance, want %q", got, etag)
		}
	})
}

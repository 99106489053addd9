package ginjwt

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// This file is the issuer-side JWKS endpoint: the public keys of tokens.Manager.PublicKeySet,
// served so that other services (a Django project with simplejwt's JWK_URL, PyJWT's
// PyJWKClient, an API gateway) verify this instance's tokens without sharing a key.

// JWKSMaxAge is how long clients and caches may keep the JWK set (Cache-Control max-age). A
// rotation publishes the new key before tokens carry it only if it is added this long before
// use; simplejwt's and PyJWT's clients also refetch on an unknown kid.
const JWKSMaxAge = 5 * time.Minute

// JWKS returns the handler of the JWK set (RFC 7517) of this instance's public keys: the
// signing key and every VERIFYING_KEYS entry, for RS*, PS*, ES* and EdDSA (see
// tokens.Manager.PublicKeySet; with HMAC the set is empty, {"keys":[]}). Turn on
// Settings.PublishJWKS so that issued tokens carry the kid the set names them by. Mount it
// without authentication, for GET and HEAD:
//
//	r.GET("/.well-known/jwks.json", views.NoAuthentication, j.JWKS())
//
// The response is application/json with Cache-Control "public, max-age=300" and a strong ETag
// (a hash of the body, so every instance with the same keys answers the same); a request whose
// If-None-Match matches it gets 304 with no body. The set is computed once, here: the keys of
// an instance never change.
func (j *JWT) JWKS() gin.HandlerFunc {
	set, err := j.tokens.PublicKeySet()
	var body []byte
	if err == nil {
		body, err = json.Marshal(set)
	}
	if err != nil {
		// The keys were parsed and checked by New: a failure here is a bug, answered as one.
		err = fmt.Errorf("ginjwt: JWKS: %w", err)
		return func(c *gin.Context) { j.renderer.Error(c, err) }
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	cacheControl := fmt.Sprintf("public, max-age=%d", int(JWKSMaxAge.Seconds()))
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Cache-Control", cacheControl)
		h.Set("ETag", etag)
		if etagMatches(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			c.Writer.WriteHeaderNow()
			return
		}
		h.Set("Content-Length", fmt.Sprint(len(body)))
		if c.Request.Method == http.MethodHead {
			h.Set("Content-Type", "application/json")
			c.Status(http.StatusOK)
			c.Writer.WriteHeaderNow()
			return
		}
		c.Data(http.StatusOK, "application/json", body)
	}
}

// etagMatches reports whether an If-None-Match header value matches etag with the weak
// comparison of RFC 9110 §13.1.2: "*", or a comma-separated list of entity tags (W/ prefixes
// ignored) one of which has etag's opaque value. A malformed list matches nothing from the
// point where it goes wrong, so the full response is sent.
func etagMatches(header, etag string) bool {
	header = strings.TrimSpace(header)
	if header == "*" {
		return true
	}
	for header != "" {
		header = strings.TrimLeft(header, " \t,")
		if header == "" {
			break
		}
		header = strings.TrimPrefix(header, "W/")
		if header == "" || header[0] != '"' {
			return false
		}
		end := strings.IndexByte(header[1:], '"')
		if end < 0 {
			return false
		}
		tag := header[:end+2]
		if tag == etag {
			return true
		}
		header = strings.TrimLeft(header[end+2:], " \t")
		if header != "" && header[0] != ',' {
			return false
		}
	}
	return false
}

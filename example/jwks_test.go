package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestJWKSRoute: /.well-known/jwks.json exists only with SIMPLE_JWT_PUBLISH_JWKS=true, takes no
// authentication, and answers other methods with DRF's 405 and its Allow.
func TestJWKSRoute(t *testing.T) {
	t.Parallel()
	priv, _, _ := jwksKey(t, "ES256")
	off := newService(t, "SIMPLE_JWT_ALGORITHM", "ES256", "SIMPLE_JWT_SIGNING_KEY", priv)
	off.do("GET", jwksPath, "", "").expect(t, "GET off", http.StatusNotFound, `{"detail":"Not found."}`)

	s := newService(t, "SIMPLE_JWT_ALGORITHM", "ES256", "SIMPLE_JWT_SIGNING_KEY", priv, "SIMPLE_JWT_PUBLISH_JWKS", "true")
	res := s.do("GET", jwksPath, "Bearer not-a-token", "")
	var set struct{ Keys []map[string]string }
	if res.status != http.StatusOK || json.Unmarshal([]byte(res.body), &set) != nil || len(set.Keys) != 1 || set.Keys[0]["kty"] != "EC" {
		t.Fatalf("GET: %d %s", res.status, res.body)
	}
	if res.header.Get("ETag") == "" || res.header.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("headers %v", res.header)
	}
	_, access := s.obtain()
	if kid := jwksHeader(t, access)["kid"]; kid != set.Keys[0]["kid"] {
		t.Errorf("token kid %v, published %s", kid, set.Keys[0]["kid"])
	}
	if h := s.do("HEAD", jwksPath, "", ""); h.status != http.StatusOK || h.body != "" {
		t.Errorf("HEAD: %d %q", h.status, h.body)
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS"} {
		r := s.do(m, jwksPath, "", "")
		r.expect(t, m, http.StatusMethodNotAllowed, `{"detail":"Method \"`+m+`\" not allowed."}`)
		if r.header.Get("Allow") != allowJWKS {
			t.Errorf("%s: Allow %q", m, r.header.Get("Allow"))
		}
	}
}

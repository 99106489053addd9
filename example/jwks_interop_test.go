package main

// The JWKS proof with real clients: the Go example publishes its public keys
// (SIMPLE_JWT_PUBLISH_JWKS=true, GET /.well-known/jwks.json) and
//
//   - PyJWT's PyJWKClient (Debian's python3-jwt) verifies the access tokens it issued, for RS256,
//     ES256, PS256 and EdDSA;
//   - the Django simplejwt of testdata/djangoproject, holding no key and configured with
//     SIMPLE_JWT_JWK_URL pointing at the Go example, accepts them on its protected views (a
//     Django resource server trusting a Go issuer) — for RS256 and ES256: simplejwt 5.2.2's
//     ALLOWED_ALGORITHMS has no PS* and no EdDSA;
//   - after a key rotation (a new key with SIGNING_KEY_ID, the old one in VERIFYING_KEYS under
//     the kid its tokens carry, its thumbprint) tokens of both keys verify from the new set;
//   - negative controls: a token with the published kid signed by another key is refused by
//     PyJWT, by Django and by the Go example.
//
// Each check is counted per algorithm and client; the test logs the totals
// ("jwks[RS256]: …"). Run alone: go test ./example/ -run '^TestJWKSInterop$' -v

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// jwksPyJWT verifies each token of argv[3:] with PyJWKClient(argv[1]) and algorithm argv[2],
// printing one JSON result per token.
const jwksPyJWT = `
import json, sys, jwt
url, alg = sys.argv[1], sys.argv[2]
client = jwt.PyJWKClient(url)
out = []
for tok in sys.argv[3:]:
    try:
        key = client.get_signing_key_from_jwt(tok)
        claims = jwt.decode(tok, key.key, algorithms=[alg])
        out.append({"ok": True, "kid": key.key_id, "user_id": str(claims["user_id"])})
    except Exception as e:
        out.append({"ok": False, "error": type(e).__name__ + ": " + str(e)})
print(json.dumps(out))
`

// jwksDjangoAlgorithms are the algorithms Debian's simplejwt 5.2.2 accepts.
var jwksDjangoAlgorithms = map[string]bool{"RS256": true, "ES256": true}

// jwksTally counts one algorithm's checks: accepted and refused, per client.
type jwksTally struct {
	pyAccepted, pyRefused, djAccepted, djRefused, goAccepted, goRefused int
}

func (c jwksTally) String() string {
	return fmt.Sprintf("PyJWKClient %d verified + %d refused, Django %d accepted + %d refused, Go %d accepted + %d refused",
		c.pyAccepted, c.pyRefused, c.djAccepted, c.djRefused, c.goAccepted, c.goRefused)
}

// jwksKey is a fresh key pair for alg as PEM, with the signer.
func jwksKey(t *testing.T, alg string) (privPEM, pubPEM string, signer crypto.Signer) {
	t.Helper()
	var err error
	switch alg {
	case "RS256", "PS256":
		signer, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "EdDSA":
		_, signer, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(signer)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), signer
}

// jwksHeader decodes a token's header.
func jwksHeader(t *testing.T, token string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	var h map[string]any
	if err != nil || json.Unmarshal(raw, &h) != nil {
		t.Fatalf("jwks: token header %q: %v", raw, err)
	}
	return h
}

// jwksForge re-signs token's claims with signer under kid: the published kid, the wrong key.
func jwksForge(t *testing.T, alg, kid, token string, signer crypto.Signer) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.GetSigningMethod(alg), jwt.MapClaims(interopClaims(t, token)))
	tok.Header["kid"] = kid
	s, err := tok.SignedString(signer)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWKSInterop(t *testing.T) {
	interopRequireDjango(t)
	runSh := interopRunSh(t)
	bin := interopExampleBinary(t)
	db := interopNewSQLite(t)
	env := interopEnv{db: db, key: "jwks-interop-unused-hmac-key-" + interopRandomHex(16)}
	if out, errOut, err := interopCommand(t, env.environ(), runSh, "migrate"); err != nil {
		t.Fatalf("jwks: migrate: %v\n%s%s", err, out, errOut)
	}
	user := "jwks-" + interopRandomHex(4)
	out, errOut, err := interopCommand(t, env.environ(), runSh, "createuser", user, interopPassword)
	if err != nil {
		t.Fatalf("jwks: createuser: %v\n%s%s", err, out, errOut)
	}
	userID := strings.TrimSpace(out)

	tallies := map[string]*jwksTally{}
	algs := []string{"RS256", "ES256", "PS256", "EdDSA"}
	t.Cleanup(func() {
		for _, alg := range algs {
			if c := tallies[alg]; c != nil {
				t.Logf("jwks[%s]: %v", alg, c)
			}
		}
	})
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			c := &jwksTally{}
			tallies[alg] = c
			withDjango := jwksDjangoAlgorithms[alg]
			if !withDjango {
				t.Logf("jwks[%s]: no Django check: simplejwt 5.2.2 refuses the algorithm (ALLOWED_ALGORITHMS)", alg)
			}
			// servers starts the Go example with settings and, for Django's algorithms, a Django
			// server holding no key whose JWK_URL is the example's JWKS. They stop when p ends.
			servers := func(p *testing.T, settings ...string) (gosrv, django *interopServer) {
				goAddr := interopFreeAddr(p)
				goEnv := env.environ(append([]string{"ADDR=" + goAddr, "SIMPLE_JWT_ALGORITHM=" + alg, "SIMPLE_JWT_PUBLISH_JWKS=true"}, settings...)...)
				gosrv = interopStartServer(p, p, "go("+alg+")", goAddr, goEnv, bin)
				gosrv.ready(p)
				if withDjango {
					djAddr := interopFreeAddr(p)
					djEnv := env.environ("SIMPLE_JWT_ALGORITHM="+alg, "SIMPLE_JWT_JWK_URL="+gosrv.base+jwksPath,
						"SIMPLE_JWT_SIGNING_KEY=django-holds-no-key")
					django = interopStartServer(p, p, "django("+alg+")", djAddr, djEnv, runSh, "serve", djAddr)
					django.ready(p)
				}
				return gosrv, django
			}
			// pyjwt runs PyJWKClient on tokens and checks each against want.
			pyjwt := func(p *testing.T, gosrv *interopServer, want []bool, toks ...string) {
				out, errOut, err := interopCommand(p, env.environ(), interopPython, append([]string{"-c", jwksPyJWT, gosrv.base + jwksPath, alg}, toks...)...)
				var res []struct {
					OK     bool   `json:"ok"`
					UserID string `json:"user_id"`
					Error  string `json:"error"`
				}
				if err != nil || json.Unmarshal([]byte(out), &res) != nil || len(res) != len(toks) {
					p.Fatalf("jwks: PyJWKClient: %v\n%s%s", err, out, errOut)
				}
				for i, r := range res {
					switch {
					case want[i] && r.OK && r.UserID == userID:
						c.pyAccepted++
					case !want[i] && !r.OK:
						c.pyRefused++
					default:
						p.Errorf("jwks[%s]: PyJWKClient on token %d: %+v, want ok=%v", alg, i, r, want[i])
					}
				}
			}
			// serve checks a token on a server's protected views: 200 with the user, or 401.
			serve := func(p *testing.T, s *interopServer, accepted, refused *int, token string, want bool) {
				for _, path := range []string{"/api/me/stateless/", "/api/me/"} {
					r := s.get(p, path, token)
					switch {
					case want && r.status == http.StatusOK && fmt.Sprint(r.json()["id"]) == userID:
						*accepted++
					case !want && r.status == http.StatusUnauthorized:
						*refused++
					default:
						p.Errorf("jwks[%s]: %s %s: %v, want accepted=%v", alg, s.name, path, r, want)
					}
				}
			}

			oldPriv, oldPub, _ := jwksKey(t, alg)
			_, _, stranger := jwksKey(t, alg)
			var oldToken, oldKID string
			t.Run("published", func(p *testing.T) {
				gosrv, django := servers(p, "SIMPLE_JWT_SIGNING_KEY="+oldPriv)
				set := gosrv.get(p, jwksPath, "")
				var doc struct{ Keys []map[string]any }
				if set.status != 200 || json.Unmarshal(set.body, &doc) != nil || len(doc.Keys) != 1 {
					p.Fatalf("jwks: %v", set)
				}
				oldToken = gosrv.obtain(p, user, interopPassword, false).str("access")
				oldKID, _ = jwksHeader(p, oldToken)["kid"].(string)
				if oldKID == "" || oldKID != doc.Keys[0]["kid"] {
					p.Fatalf("jwks: token kid %q, published %v", oldKID, doc.Keys[0]["kid"])
				}
				forged := jwksForge(p, alg, oldKID, oldToken, stranger)
				pyjwt(p, gosrv, []bool{true, false}, oldToken, forged)
				serve(p, gosrv, &c.goAccepted, &c.goRefused, forged, false)
				if django != nil {
					serve(p, django, &c.djAccepted, &c.djRefused, oldToken, true)
					serve(p, django, &c.djAccepted, &c.djRefused, forged, false)
				}
			})
			if oldToken == "" {
				return
			}
			t.Run("rotated", func(p *testing.T) {
				newPriv, _, _ := jwksKey(p, alg)
				newKID := "k2-" + strings.ToLower(alg)
				gosrv, django := servers(p, "SIMPLE_JWT_SIGNING_KEY="+newPriv, "SIMPLE_JWT_SIGNING_KEY_ID="+newKID,
					"SIMPLE_JWT_VERIFYING_KEYS="+oldKID+"="+oldPub)
				newToken := gosrv.obtain(p, user, interopPassword, false).str("access")
				if kid := jwksHeader(p, newToken)["kid"]; kid != newKID {
					p.Fatalf("jwks: new token kid %v, want %s", kid, newKID)
				}
				forged := jwksForge(p, alg, newKID, newToken, stranger)
				pyjwt(p, gosrv, []bool{true, true, false}, oldToken, newToken, forged)
				serve(p, gosrv, &c.goAccepted, &c.goRefused, oldToken, true)
				serve(p, gosrv, &c.goAccepted, &c.goRefused, forged, false)
				if django != nil {
					serve(p, django, &c.djAccepted, &c.djRefused, oldToken, true)
					serve(p, django, &c.djAccepted, &c.djRefused, newToken, true)
					serve(p, django, &c.djAccepted, &c.djRefused, forged, false)
				}
			})
		})
	}
}

package tokens

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/MicahParks/jwkset"
)

// This file owns the issuer-side JWK set: what PublishJWKS publishes and the key ids it
// publishes them under. The JSON encoding of each key is jwkset's (the library keyfunc already
// brings in for JWK_URL); the choice of keys, their kid and the RFC 7638 thumbprint are ours.

// PublicKeySet returns the JWK set of the public keys that verify this manager's tokens, for
// verifiers such as PyJWT's PyJWKClient or simplejwt's JWK_URL: first the primary key (the
// public half of SigningKey, or VerifyingKey), then every VerifyingKeys entry in the order of
// their kids. Each key has kty, its public members, "use": "sig", "alg": the configured
// algorithm, and "kid": SigningKeyID (the primary key), the VerifyingKeys kid (the others), or
// else the key's RFC 7638 thumbprint; never a private member. An HMAC algorithm, or a manager
// that verifies only through JWK_URL, gives an empty set ({"keys": []}).
//
// The kid of the primary key is the one issued tokens carry when PublishJWKS is on (see
// Settings.PublishJWKS); with PublishJWKS off and no SigningKeyID, tokens carry no kid and a
// JWKS client cannot pick their key.
func (m *Manager) PublicKeySet() (jwkset.JWKSMarshal, error) {
	b := m.backend
	set := jwkset.JWKSMarshal{Keys: []jwkset.JWKMarshal{}}
	if algorithms[b.alg].hmac {
		return set, nil
	}
	seen := map[string]bool{}
	add := func(kid string, key any) error {
		jwk, err := publicJWK(b.alg, kid, key)
		if err != nil {
			return err
		}
		if !seen[jwk.KID] {
			seen[jwk.KID] = true
			set.Keys = append(set.Keys, jwk)
		}
		return nil
	}
	if b.verifyKey != nil {
		if err := add(b.signKID, b.verifyKey); err != nil {
			return jwkset.JWKSMarshal{}, fmt.Errorf("tokens: publishing the primary key: %w", err)
		}
	}
	for _, kid := range slices.Sorted(maps.Keys(b.extraKeys)) {
		if err := add(kid, b.extraKeys[kid]); err != nil {
			return jwkset.JWKSMarshal{}, fmt.Errorf("tokens: publishing VERIFYING_KEYS[%q]: %w", kid, err)
		}
	}
	return set, nil
}

// errPrivateMember guards against a jwkset change that would let a private member through.
var errPrivateMember = errors.New("a private member would be published")

// publicJWK encodes the public key pub (a public key, never a private one: the backend keeps
// the public halves apart) as a JWK for alg, under kid or, when kid is empty, its thumbprint.
func publicJWK(alg, kid string, pub any) (jwkset.JWKMarshal, error) {
	jwk, err := jwkset.NewJWKFromKey(pub, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
		ALG: jwkset.ALG(alg), KID: kid, USE: jwkset.UseSig,
	}})
	if err != nil {
		return jwkset.JWKMarshal{}, err
	}
	mk := jwk.Marshal()
	if mk.D != "" || mk.P != "" || mk.Q != "" || mk.DP != "" || mk.DQ != "" || mk.QI != "" || mk.K != "" || len(mk.OTH) > 0 {
		return jwkset.JWKMarshal{}, errPrivateMember
	}
	if mk.KID == "" {
		if mk.KID, err = thumbprint(mk); err != nil {
			return jwkset.JWKMarshal{}, err
		}
	}
	return mk, nil
}

// thumbprint is the RFC 7638 JWK thumbprint of a public JWK: SHA-256 over the required members
// in lexicographic order, without whitespace, base64url-encoded without padding.
func thumbprint(k jwkset.JWKMarshal) (string, error) {
	var canonical string
	switch k.KTY {
	case jwkset.KtyRSA:
		canonical = `{"e":"` + k.E + `","kty":"RSA","n":"` + k.N + `"}`
	case jwkset.KtyEC:
		canonical = `{"crv":"` + string(k.CRV) + `","kty":"EC","x":"` + k.X + `","y":"` + k.Y + `"}`
	case jwkset.KtyOKP:
		canonical = `{"crv":"` + string(k.CRV) + `","kty":"OKP","x":"` + k.X + `"}`
	default:
		return "", fmt.Errorf("tokens: no thumbprint for kty %q", k.KTY)
	}
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// publishedKID is the kid issued tokens carry with PublishJWKS and no SigningKeyID: the
// thumbprint of the primary public key; "" for HMAC or without a primary key.
func publishedKID(alg string, verifyKey any) (string, error) {
	if algorithms[alg].hmac || verifyKey == nil {
		return "", nil
	}
	jwk, err := publicJWK(alg, "", verifyKey)
	if err != nil {
		return "", err
	}
	return jwk.KID, nil
}

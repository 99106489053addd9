package ginjwt_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// TestPublicKeyAsSigningKey: a public key given as SIGNING_KEY, from Go or from the
// environment, stops New with a sentence that names the setting and the fix (before: "asn1:
// structure error: tags don't match"); following the fix, the same key in VERIFYING_KEY makes a
// stateless verifier.
func TestPublicKeyAsSigningKey(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	_, ecPub := ecKeys(t)
	const fix = "signing needs the private key: put the public key in SIMPLE_JWT_VERIFYING_KEY (Settings.VerifyingKey) to verify only"
	cases := []struct {
		name, alg, key string
		fromEnv        bool
		says           string
	}{
		{"RSA public key, Go", "RS256", rsaPub, false, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): holds a PEM RSA public key, but " + fix},
		{"RSA public key, environment", "RS256", rsaPub, true, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): holds a PEM RSA public key, but " + fix},
		{"EC public key, Go", "ES256", ecPub, false, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): holds a PEM EC public key, but " + fix},
		{"RSA public key for ES256", "ES256", rsaPub, true, "SIMPLE_JWT_SIGNING_KEY (Settings.SigningKey): is a PEM RSA public key; ES256 needs a PEM EC private key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := ginjwt.DefaultSettings()
			s.UserStore, s.NoTokenBlacklist = newUsers(), true
			if tc.fromEnv {
				var err error
				s, err = ginjwt.SettingsFromEnv(s, lookupFrom(map[string]string{
					"SIMPLE_JWT_ALGORITHM": tc.alg, "SIMPLE_JWT_SIGNING_KEY": tc.key,
				}))
				if err != nil {
					t.Fatal(err)
				}
			} else {
				s.Algorithm, s.SigningKey = tc.alg, tc.key
			}
			_, err := ginjwt.New(nil, s)
			if !errors.Is(err, tokens.ErrKeyMismatch) || err.Error() != tc.says {
				t.Errorf("New: %v\nwant %s", err, tc.says)
			}
			if err != nil && (strings.Contains(err.Error(), "asn1") || strings.Contains(err.Error(), "MII")) {
				t.Errorf("the message shows a parser's words or the key: %v", err)
			}
		})
	}
	s := ginjwt.DefaultSettings()
	s.Algorithm, s.VerifyingKey = "RS256", rsaPub
	if _, err := ginjwt.New(nil, s); err != nil {
		t.Errorf("the public key as VERIFYING_KEY, no user store: %v", err)
	}
}

package tokens_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// testKeys are asymmetric keys of every family, made once for the key-material tests.
type testKeys struct {
	rsa  *rsa.PrivateKey
	ec   *ecdsa.PrivateKey
	ed   ed25519.PrivateKey
	cert []byte // a self-signed certificate of rsa, DER
}

func newTestKeys(t *testing.T) testKeys {
	t.Helper()
	var k testKeys
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	if _, k.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "simplejwt"},
		NotBefore: fixedNow, NotAfter: fixedNow.Add(time.Hour)}
	if k.cert, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.rsa.PublicKey, k.rsa); err != nil {
		t.Fatal(err)
	}
	return k
}

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// sshBlob is an SSH public key in the wire format (RFC 4253 §6.6): the key type as a
// length-prefixed string, then key data.
func sshBlob(keyType string, data []byte) string {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(keyType)))
	b = append(b, keyType...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	return base64.StdEncoding.EncodeToString(append(b, data...))
}

// settingErrors flattens what Validate returned into its *SettingErrors, in order.
func settingErrors(t *testing.T, err error) []*tokens.SettingError {
	t.Helper()
	var out []*tokens.SettingError
	var walk func(error)
	walk = func(err error) {
		var se *tokens.SettingError
		if errors.As(err, &se) && se == err {
			out = append(out, se)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		t.Errorf("%T %q is not a *SettingError", err, err)
	}
	if err != nil {
		walk(err)
	}
	return out
}

// keyCase is one setting of key material that Validate must refuse.
type keyCase struct {
	name   string
	alg    string
	set    func(*tokens.Settings)
	secret string // what must not appear in the message
	key    string // the setting named: Python key and Go field
	field  string
	want   error
	says   string // a piece of the message
}

func checkKeyCases(t *testing.T, cases []keyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tokens.DefaultSettings()
			s.SigningKey = testKey
			if tc.alg != "" {
				s.Algorithm, s.SigningKey = tc.alg, ""
			}
			tc.set(&s)
			err := s.WithDefaults().Validate()
			if !errors.Is(err, tc.want) || !errors.Is(err, tokens.ErrInvalidSettings) {
				t.Fatalf("Validate: %v, want %v", err, tc.want)
			}
			if _, err := tokens.NewManager(context.Background(), s, tokens.Options{}); !errors.Is(err, tc.want) {
				t.Errorf("NewManager: %v, want %v", err, tc.want)
			}
			ses := settingErrors(t, err)
			if len(ses) != 1 || ses[0].Key != tc.key || ses[0].Field != tc.field {
				t.Fatalf("got %q, want one error for SIMPLE_JWT_%s (Settings.%s)", err, tc.key, tc.field)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "SIMPLE_JWT_"+tc.key+" (Settings."+tc.field+"): ") || !strings.Contains(msg, tc.says) {
				t.Errorf("message %q: want it to name SIMPLE_JWT_%s (Settings.%s) and say %q", msg, tc.key, tc.field, tc.says)
			}
			if secret := strings.TrimSpace(tc.secret); len(secret) >= 4 && strings.Contains(msg, secret) {
				t.Errorf("message %q shows the key material", msg)
			}
			for _, line := range strings.Split(tc.secret, "\n") {
				if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(msg, line) {
					t.Errorf("message %q shows a line of the key material", msg)
				}
			}
			if strings.Contains(msg, "asn1") {
				t.Errorf("message %q speaks ASN.1", msg)
			}
		})
	}
}

// pemBody is a PEM block without its BEGIN and END lines.
func pemBody(p string) string {
	lines := strings.Split(strings.TrimSpace(p), "\n")
	return strings.Join(lines[1:len(lines)-1], "\n")
}

func signingKey(v string) func(*tokens.Settings) {
	return func(s *tokens.Settings) { s.SigningKey = v }
}

// TestHMACSecretRefused: an HMAC algorithm refuses asymmetric material (PyJWT's
// prepare_key), weak secrets and file paths as its secret, in SIGNING_KEY and in every
// VerifyingKeys entry. Before, an RSA public key was a valid HS256 secret: anyone holding the
// public key could mint tokens.
func TestHMACSecretRefused(t *testing.T) {
	t.Parallel()
	k := newTestKeys(t)
	rsaPKCS1 := pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa))
	pkixRSA, _ := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	pkcs8EC, _ := x509.MarshalPKCS8PrivateKey(k.ec)
	sec1EC, _ := x509.MarshalECPrivateKey(k.ec)
	pkcs8Ed, _ := x509.MarshalPKCS8PrivateKey(k.ed)
	rsaPub := pemBlock("PUBLIC KEY", pkixRSA)
	edPub := k.ed.Public().(ed25519.PublicKey)
	ed25519Line := "ssh-ed25519 " + sshBlob("ssh-ed25519", edPub) + " alice@laptop"
	ecdsaBlob := sshBlob("ecdsa-sha2-nistp256", append([]byte("\x00\x00\x00\x08nistp256\x00\x00\x00\x41\x04"), make([]byte, 64)...))
	jwkRSA, _ := json.Marshal(map[string]string{"kty": "RSA", "n": base64.RawURLEncoding.EncodeToString(k.rsa.N.Bytes()), "e": "AQAB"})
	jwkEC := `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}`
	openSSH := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"
	encrypted := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
	ssh2 := "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"alice@laptop\"\n" + sshBlob("ssh-ed25519", edPub) + "\n---- END SSH2 PUBLIC KEY ----\n"

	asym := map[string]string{
		"RSA public key (PEM)":                  rsaPub,
		"RSA public key with CRLF":              strings.ReplaceAll(rsaPub, "\n", "\r\n"),
		"RSA public key after some text":        "key for the API:\n" + rsaPub,
		"RSA public key (PKCS #1 PEM)":          pemBlock("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&k.rsa.PublicKey)),
		"RSA private key (PKCS #1 PEM)":         rsaPKCS1,
		"RSA private key (PKCS #8 PEM)":         pemOf(t, k.rsa),
		"EC private key (SEC 1 PEM)":            pemBlock("EC PRIVATE KEY", sec1EC),
		"EC private key (PKCS #8 PEM)":          pemBlock("PRIVATE KEY", pkcs8EC),
		"Ed25519 private key (PEM)":             pemBlock("PRIVATE KEY", pkcs8Ed),
		"Ed25519 public key (PEM)":              pubPEM(t, edPub),
		"x509 certificate (PEM)":                pemBlock("CERTIFICATE", k.cert),
		"encrypted private key (PEM)":           encrypted,
		"OpenSSH private key":                   openSSH,
		"SSH2 public key (RFC 4716)":            ssh2,
		"ssh-ed25519 public key":                ed25519Line,
		"ssh-rsa public key":                    "ssh-rsa " + sshBlob("ssh-rsa", append([]byte{0, 0, 0, 3, 1, 0, 1, 0, 0, 1, 1}, k.rsa.N.Bytes()...)),
		"ecdsa-sha2-nistp256 public key":        "ecdsa-sha2-nistp256 " + ecdsaBlob + " bob@host",
		"sk-ssh-ed25519 public key":             "sk-ssh-ed25519@openssh.com " + sshBlob("sk-ssh-ed25519@openssh.com", edPub) + " yubikey",
		"ssh-ed25519 certificate":               "ssh-ed25519-cert-v01@openssh.com " + sshBlob("ssh-ed25519-cert-v01@openssh.com", make([]byte, 64)),
		"authorized_keys line with options":     `from="10.0.0.0/8",no-pty ` + ed25519Line,
		"SSH public key blob alone":             sshBlob("ssh-ed25519", edPub),
		"SSH type with a mangled blob":          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI***truncated-by-the-terminal",
		"JWK (RSA public)":                      string(jwkRSA),
		"JWK (EC private) with spaces":          "  " + jwkEC + "\n",
		"JWK set":                               `{"keys":[` + string(jwkRSA) + `]}`,
		"RSA public key (DER bytes)":            string(pkixRSA),
		"certificate (DER bytes)":               string(k.cert),
		"RSA private key (DER bytes)":           string(x509.MarshalPKCS1PrivateKey(k.rsa)),
		"RSA public key (PEM body, no armour)":  base64.StdEncoding.EncodeToString(pkixRSA),
		"certificate (PEM body, wrapped lines)": pemBody(pemBlock("CERTIFICATE", k.cert)),
	}
	var cases []keyCase
	for name, v := range asym {
		cases = append(cases, keyCase{name: name, set: signingKey(v), secret: v, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrAsymmetricSecret, says: "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret"})
	}
	oct := `{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString([]byte(testKey)) + `"}`
	cases = append(cases,
		keyCase{name: "JWK (oct)", set: signingKey(oct), secret: oct, key: "SIGNING_KEY", field: "SigningKey", want: tokens.ErrKeyMismatch, says: `"k"`},
		keyCase{name: "VerifyingKeys entry: RSA public key", set: func(s *tokens.Settings) { s.VerifyingKeys = map[string]string{"old": rsaPub} },
			secret: rsaPub, key: "VERIFYING_KEYS", field: `VerifyingKeys["old"]`, want: tokens.ErrAsymmetricSecret, says: "should not be used as an HMAC secret"},
		keyCase{name: "kid-less VerifyingKeys entry: SSH key", set: func(s *tokens.Settings) { s.VerifyingKeys = map[string]string{"": ed25519Line} },
			secret: ed25519Line, key: "VERIFYING_KEYS", field: `VerifyingKeys[""]`, want: tokens.ErrAsymmetricSecret, says: "asymmetric"},
	)

	weak := []struct{ name, v, says string }{
		{"spaces", strings.Repeat(" ", 64), "whitespace"},
		{"mixed whitespace", strings.Repeat(" \t\r\n", 16), "whitespace"},
		{"one character", strings.Repeat("a", 64), "one character repeated"},
		{"one digit", strings.Repeat("0", 32), "one character repeated"},
		{"two characters alternating", strings.Repeat("ab", 32), "repeats a 2-character pattern"},
		{"a word repeated", strings.Repeat("secret-", 8), "repeats a 7-character pattern"},
		{"hex digits repeated", strings.Repeat("0123456789abcdef", 4), "repeats a 16-character pattern"},
		{"a half repeated", "Zq7mN2xV9bK4pL8w" + "Zq7mN2xV9bK4pL8w", "repeats a 16-character pattern"},
		{"a pattern cut short", strings.Repeat("xyz", 12)[:35], "repeats a 3-character pattern"},
		{"almost one character", strings.Repeat("a", 40) + "b", "only 2 distinct characters"},
		{"three characters", strings.Repeat("abc", 10) + "cba" + strings.Repeat("b", 5), "only 3 distinct characters"},
		{"too short", "short", "needs at least 32"},
		{"31 bytes", testKey[:31], "is 31 bytes; HS256 needs at least 32"},
	}
	for _, w := range weak {
		cases = append(cases, keyCase{name: "weak: " + w.name, set: signingKey(w.v), secret: w.v, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrWeakSecret, says: w.says})
	}
	cases = append(cases,
		keyCase{name: "weak VerifyingKeys entry", set: func(s *tokens.Settings) { s.VerifyingKeys = map[string]string{"k0": strings.Repeat("x", 48)} },
			secret: strings.Repeat("x", 48), key: "VERIFYING_KEYS", field: `VerifyingKeys["k0"]`, want: tokens.ErrWeakSecret, says: "one character repeated"},
		keyCase{name: "HS512 and a 44-byte secret", set: func(s *tokens.Settings) { s.Algorithm = "HS512"; s.SigningKey = testKey[:44] },
			key: "SIGNING_KEY", field: "SigningKey", want: tokens.ErrWeakSecret, says: "HS512 needs at least 64"},
	)

	paths := []string{
		"/run/secrets/simplejwt-signing-key",
		"/run/secrets/simplejwt_signing_key_production",
		"/var/lib/simplejwt/secrets/signing.key",
		"/etc/simplejwt/secrets/jwtsigningkey/current",
		"/Users/Alice/Secrets/SIMPLEJWT/signingkey2026",
		"./secrets/simplejwt-signing-key-production",
		"../config/keys/simplejwt-signing-key.txt",
		"~/keys/simplejwt-signing-key-production",
		"  /run/secrets/simplejwt-signing-key\n",
	}
	for _, p := range paths {
		cases = append(cases, keyCase{name: "path " + p, set: signingKey(p), secret: p, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyIsPath, says: "SIMPLE_JWT_SIGNING_KEY_FILE"})
	}
	cases = append(cases, keyCase{name: "VerifyingKeys entry: path", set: func(s *tokens.Settings) {
		s.VerifyingKeys = map[string]string{"old": "/run/secrets/simplejwt-old-signing-key"}
	}, secret: "/run/secrets/simplejwt-old-signing-key", key: "VERIFYING_KEYS", field: `VerifyingKeys["old"]`, want: tokens.ErrKeyIsPath, says: "kid=@path"})
	checkKeyCases(t, cases)
	t.Logf("%d HMAC key cases", len(cases))
}

// TestRandomSecretsAccepted: the key checks never refuse a real random secret, whatever its
// encoding: hex, base64 with + / and =, base64url, raw bytes, generated passwords. The std-base64
// secrets that begin with "/" (1 in 64 of them) are the ones a path heuristic could mistake.
func TestRandomSecretsAccepted(t *testing.T) {
	t.Parallel()
	rng := mrand.New(mrand.NewChaCha8([32]byte{'s', 'i', 'm', 'p', 'l', 'e', 'j', 'w', 't'}))
	randBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	password := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	printable := func() string {
		var b strings.Builder
		for c := byte('!'); c <= '~'; c++ {
			b.WriteByte(c)
		}
		return b.String()
	}()
	encodings := []struct {
		name string
		make func() string
	}{
		{"hex", func() string { return hex.EncodeToString(randBytes(16 + rng.IntN(49))) }},
		{"base64", func() string { return base64.StdEncoding.EncodeToString(randBytes(24 + rng.IntN(41))) }},
		{"base64 unpadded", func() string { return base64.RawStdEncoding.EncodeToString(randBytes(24 + rng.IntN(41))) }},
		{"base64url", func() string { return base64.URLEncoding.EncodeToString(randBytes(24 + rng.IntN(41))) }},
		{"base64url unpadded", func() string { return base64.RawURLEncoding.EncodeToString(randBytes(24 + rng.IntN(41))) }},
		{"base64 starting with /", func() string {
			b := randBytes(24 + rng.IntN(41))
			b[0] |= 0xFC // the first sextet is 63: "/"
			return base64.StdEncoding.EncodeToString(b)
		}},
		{"base64 unpadded starting with /", func() string {
			b := randBytes(24 + rng.IntN(41))
			b[0] |= 0xFC
			return base64.RawStdEncoding.EncodeToString(b)
		}},
		{"raw bytes", func() string { return string(randBytes(32 + rng.IntN(33))) }},
		{"alphanumeric password", func() string { return password(alnum, 32+rng.IntN(33)) }},
		{"printable password", func() string { return password(printable, 32+rng.IntN(33)) }},
		{"printable password starting with /", func() string { return "/" + password(printable, 31+rng.IntN(33)) }},
	}
	const perEncoding = 10000
	for _, e := range encodings {
		for range perEncoding {
			secret := e.make()
			s := tokens.DefaultSettings()
			s.SigningKey = secret
			s.VerifyingKeys = map[string]string{"old": secret}
			if err := s.WithDefaults().Validate(); err != nil {
				t.Fatalf("%s secret %q refused: %v", e.name, secret, err)
			}
		}
	}
	t.Logf("%d random secrets in %d encodings accepted", perEncoding*len(encodings), len(encodings))
}

// TestAsymmetricKeyRefused: the asymmetric algorithms say what is wrong with a key in words:
// a public key or certificate as SIGNING_KEY (before: "asn1: structure error: tags don't
// match"), a private key as a verifying key (refused, not reduced to its public half: a
// verifying key is handed to every verifier), a key of another family, SSH keys, JWKs,
// encrypted keys, text that is no key, and paths.
func TestAsymmetricKeyRefused(t *testing.T) {
	t.Parallel()
	k := newTestKeys(t)
	rsaPriv, ecPriv, edPriv := pemOf(t, k.rsa), pemOf(t, k.ec), pemOf(t, k.ed)
	rsaPub, ecPub := pubPEM(t, &k.rsa.PublicKey), pubPEM(t, &k.ec.PublicKey)
	cert := pemBlock("CERTIFICATE", k.cert)
	verifying := func(v string) func(*tokens.Settings) {
		return func(s *tokens.Settings) { s.SigningKey, s.VerifyingKey = rsaPriv, v }
	}
	extra := func(v string) func(*tokens.Settings) {
		return func(s *tokens.Settings) { s.SigningKey, s.VerifyingKeys = rsaPriv, map[string]string{"k0": v} }
	}
	pkixRSA, _ := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	ssh := "ssh-ed25519 " + sshBlob("ssh-ed25519", k.ed.Public().(ed25519.PublicKey))
	cases := []keyCase{
		{name: "RSA public key as SIGNING_KEY", alg: "RS256", set: signingKey(rsaPub), secret: rsaPub, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "holds a PEM RSA public key, but signing needs the private key: put the public key in SIMPLE_JWT_VERIFYING_KEY (Settings.VerifyingKey)"},
		{name: "EC public key as SIGNING_KEY", alg: "ES256", set: signingKey(ecPub), secret: ecPub, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "holds a PEM EC public key"},
		{name: "certificate as SIGNING_KEY", alg: "PS256", set: signingKey(cert), secret: cert, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "holds an x509 certificate (PEM), but signing needs the private key"},
		{name: "EC key for RS256", alg: "RS256", set: signingKey(ecPriv), secret: ecPriv, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "is a PEM EC private key; RS256 needs a PEM RSA private key"},
		{name: "RSA key for EdDSA", alg: "EdDSA", set: signingKey(rsaPriv), secret: rsaPriv, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "EdDSA needs a PEM Ed25519 private key"},
		{name: "Ed25519 key for ES384", alg: "ES384", set: signingKey(edPriv), secret: edPriv, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "ES384 needs a PEM EC private key"},
		{name: "HMAC secret for RS256", alg: "RS256", set: signingKey(testKey), secret: testKey, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "is not a PEM RSA private key (RS256 needs one)"},
		{name: "SSH key for EdDSA", alg: "EdDSA", set: signingKey(ssh), secret: ssh, key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "is an SSH key; EdDSA needs a PEM Ed25519 private key (convert it"},
		{name: "JWK for RS256", alg: "RS256", set: signingKey(`{"kty":"RSA","n":"AQAB","e":"AQAB"}`), key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "is a JWK (JSON); RS256 needs a PEM RSA private key"},
		{name: "encrypted key", alg: "RS256", set: signingKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"),
			key: "SIGNING_KEY", field: "SigningKey", want: tokens.ErrKeyMismatch, says: "is an encrypted private key; decrypt it first"},
		{name: "DER public key", alg: "RS256", set: verifying(string(pkixRSA)), key: "VERIFYING_KEY", field: "VerifyingKey",
			want: tokens.ErrKeyMismatch, says: "is a DER RSA public key; RS256 needs it PEM-encoded"},
		{name: "a CSR", alg: "RS256", set: signingKey(pemBlock("CERTIFICATE REQUEST", []byte("not really"))), key: "SIGNING_KEY", field: "SigningKey",
			want: tokens.ErrKeyMismatch, says: "is a PEM CERTIFICATE REQUEST block, not a PEM RSA private key"},
		{name: "path as SIGNING_KEY", alg: "RS256", set: signingKey("/run/secrets/jwt-private.pem"), secret: "/run/secrets/jwt-private.pem",
			key: "SIGNING_KEY", field: "SigningKey", want: tokens.ErrKeyIsPath, says: "SIMPLE_JWT_SIGNING_KEY_FILE"},
		{name: "private key as VERIFYING_KEY", alg: "RS256", set: verifying(rsaPriv), secret: rsaPriv, key: "VERIFYING_KEY", field: "VerifyingKey",
			want: tokens.ErrKeyMismatch, says: "holds a private key; a verifying key must be public: give its public half (openssl pkey -in key.pem -pubout)"},
		{name: "EC public key for RS256 verifying", alg: "RS256", set: verifying(ecPub), secret: ecPub, key: "VERIFYING_KEY", field: "VerifyingKey",
			want: tokens.ErrKeyMismatch, says: "is a PEM EC public key; RS256 needs a PEM RSA public key or certificate"},
		{name: "path as VERIFYING_KEY", alg: "RS256", set: verifying("./keys/jwt-public.pem"), secret: "./keys/jwt-public.pem",
			key: "VERIFYING_KEY", field: "VerifyingKey", want: tokens.ErrKeyIsPath, says: "SIMPLE_JWT_VERIFYING_KEY_FILE"},
		{name: "private key in VerifyingKeys", alg: "RS256", set: extra(rsaPriv), secret: rsaPriv, key: "VERIFYING_KEYS", field: `VerifyingKeys["k0"]`,
			want: tokens.ErrKeyMismatch, says: "holds a private key"},
		{name: "text in VerifyingKeys", alg: "RS256", set: extra("old-key"), key: "VERIFYING_KEYS", field: `VerifyingKeys["k0"]`,
			want: tokens.ErrKeyMismatch, says: "is not a PEM RSA public key or certificate"},
	}
	checkKeyCases(t, cases)

	// What is accepted: a private key to sign, its public key, or a certificate, to verify.
	for _, tc := range []struct {
		alg, sign, verify string
	}{
		{"RS256", rsaPriv, rsaPub}, {"RS384", rsaPKCS1PEM(k.rsa), cert}, {"ES256", ecPriv, ecPub}, {"EdDSA", edPriv, pubPEM(t, k.ed.Public())},
		{"ES256", pemBlock("EC PRIVATE KEY", mustSEC1(t, k.ec)), ""}, {"RS256", "", rsaPub},
	} {
		s := tokens.DefaultSettings()
		s.Algorithm, s.SigningKey, s.VerifyingKey = tc.alg, tc.sign, tc.verify
		if _, err := tokens.NewManager(context.Background(), s, tokens.Options{}); err != nil {
			t.Errorf("%s: %v", tc.alg, err)
		}
	}
	t.Logf("%d asymmetric key cases", len(cases))
}

func rsaPKCS1PEM(k *rsa.PrivateKey) string {
	return pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
}

func mustSEC1(t *testing.T, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

package tokens

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// This file owns the checks of key material: what an HMAC secret may not be (PyJWT's
// prepare_key refusals, and more), and what the asymmetric algorithms accept as a private or
// public key. Validate runs them on SigningKey, VerifyingKey and every VerifyingKeys entry, so
// they hold for settings filled in code and for those read from the environment alike. Their
// messages never contain the key material.

// The key-material errors, wrapped by the *SettingError that Validate returns for a key.
var (
	// ErrAsymmetricSecret: an HMAC secret is a PEM block, an x509 certificate, an SSH key, a
	// JWK or a DER key: whoever holds the public half could sign tokens. The text is PyJWT's.
	//
	//lint:ignore ST1005 PyJWT's own message, which operators search for.
	ErrAsymmetricSecret = errors.New("The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret")
	// ErrWeakSecret: an HMAC secret is shorter than the hash output (RFC 7518 §3.2), only
	// whitespace, one character repeated, a short pattern repeated, or made of 3 characters or fewer.
	ErrWeakSecret = errors.New("tokens: weak HMAC secret")
	// ErrKeyIsPath: a key looks like the path of a file rather than key material.
	ErrKeyIsPath = errors.New("tokens: key looks like a file path")
	// ErrKeyMismatch: the key is of the wrong kind for its setting or algorithm (a public key
	// as SIGNING_KEY, a private key as VERIFYING_KEY, an EC key for RS256, an SSH key or a JWK
	// where PEM is needed, text that is no PEM key at all).
	ErrKeyMismatch = errors.New("tokens: key does not fit the setting")
)

// keyErr is a key-material error: a message of its own, matched by errors.Is against kind.
type keyErr struct {
	kind error
	msg  string
}

func (e *keyErr) Error() string { return e.msg }
func (e *keyErr) Unwrap() error { return e.kind }

func keyErrorf(kind error, format string, args ...any) error {
	return &keyErr{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// keyRole is what a setting does with its key, which decides the error messages.
type keyRole struct {
	signing bool   // SIGNING_KEY: a private key (or the HMAC secret used to sign)
	fileVar string // how to give it as a file, for the path message
}

var (
	signingRole   = keyRole{signing: true, fileVar: "name the file in SIMPLE_JWT_SIGNING_KEY_FILE"}
	verifyingRole = keyRole{fileVar: "name the file in SIMPLE_JWT_VERIFYING_KEY_FILE"}
	extraKeyRole  = keyRole{fileVar: "write kid=@path in SIMPLE_JWT_VERIFYING_KEYS"}
)

// checkKey checks the key material of one setting for alg.
func checkKey(alg algorithm, algName, key string, role keyRole) error {
	if looksLikePath(key) {
		return keyErrorf(ErrKeyIsPath, "looks like a file path, not a key: pass the file's contents, or %s", role.fileVar)
	}
	m := inspectKey(key)
	if alg.hmac {
		return checkSecret(algName, key, m)
	}
	return checkAsymmetric(alg, algName, m, role)
}

// checkSecret refuses what must not be an HMAC secret for algName: asymmetric material, weak
// secrets.
func checkSecret(algName, key string, m material) error {
	switch {
	case m.kind == kindJWK && m.oct:
		return keyErrorf(ErrKeyMismatch, `is a JWK: give the secret itself (its "k" member, base64url-decoded), not the JSON`)
	case m.kind != kindSecret:
		return keyErrorf(ErrAsymmetricSecret, "%s (it is %s)", ErrAsymmetricSecret, m)
	}
	if weak := weakness(key); weak != "" {
		return keyErrorf(ErrWeakSecret, "%s; use a random secret (e.g. openssl rand -base64 %d)", weak, algorithms[algName].minKey)
	}
	if n := algorithms[algName].minKey; len(key) < n {
		return keyErrorf(ErrWeakSecret, "is %d bytes; %s needs at least %d (RFC 7518 §3.2)", len(key), algName, n)
	}
	return nil
}

// checkAsymmetric checks that a PEM key of the algorithm's family is where it belongs: a
// private key for signing, a public key (or certificate) for verifying. A private key given to
// verify is refused rather than reduced to its public half: a verifying key is handed to every
// verifier, and a private key there is a leak to fix, not to work around.
func checkAsymmetric(alg algorithm, algName string, m material, role keyRole) error {
	want := "a PEM " + alg.family() + " private key"
	if !role.signing {
		want = "a PEM " + alg.family() + " public key or certificate"
	}
	switch m.kind {
	case kindSecret:
		return keyErrorf(ErrKeyMismatch, "is not %s (%s needs one)", want, algName)
	case kindSSH:
		return keyErrorf(ErrKeyMismatch, "is an SSH key; %s needs %s (convert it: ssh-keygen -p -m PEM for a private key, ssh-keygen -e -m PKCS8 for a public one)", algName, want)
	case kindJWK:
		return keyErrorf(ErrKeyMismatch, "is a JWK (JSON); %s needs %s", algName, want)
	case kindEncrypted:
		return keyErrorf(ErrKeyMismatch, "is an encrypted private key; decrypt it first (openssl pkey -in key.pem -out plain.pem)")
	case kindOther:
		return keyErrorf(ErrKeyMismatch, "is %s, not %s", m, want)
	}
	if m.der {
		return keyErrorf(ErrKeyMismatch, "is %s; %s needs it PEM-encoded", m, algName)
	}
	if m.family != "" && m.family != alg.family() {
		return keyErrorf(ErrKeyMismatch, "is %s; %s needs %s", m, algName, want)
	}
	if role.signing && m.kind == kindPublic {
		return keyErrorf(ErrKeyMismatch, "holds %s, but signing needs the private key: put the public key in SIMPLE_JWT_VERIFYING_KEY (Settings.VerifyingKey) to verify only", m)
	}
	if !role.signing && m.kind == kindPrivate {
		return keyErrorf(ErrKeyMismatch, "holds a private key; a verifying key must be public: give its public half (openssl pkey -in key.pem -pubout), and keep the private key only where tokens are signed")
	}
	return nil
}

// family names the key family an asymmetric algorithm needs.
func (a algorithm) family() string {
	switch {
	case a.rsa:
		return "RSA"
	case a.eddsa:
		return "Ed25519"
	default:
		return "EC"
	}
}

// keyKind is what a piece of key material is.
type keyKind int

const (
	kindSecret    keyKind = iota // nothing recognisable: an HMAC secret
	kindPrivate                  // a private key
	kindPublic                   // a public key or a certificate
	kindEncrypted                // an encrypted private key
	kindSSH                      // an SSH key (OpenSSH, RFC 4716, authorized_keys)
	kindJWK                      // a JWK or JWK set (JSON)
	kindOther                    // PEM of another type (CSR, CRL, parameters) or malformed PEM
)

// material describes key material without holding any of it.
type material struct {
	kind   keyKind
	family string // RSA, EC, Ed25519; "" when unknown
	cert   bool   // an x509 certificate
	der    bool   // DER bytes (or their base64) rather than PEM
	oct    bool   // a JWK of kty "oct" (a symmetric key)
	pemTyp string // the PEM type, for kindOther
}

// String describes the material for error messages ("a PEM RSA public key").
func (m material) String() string {
	enc := "PEM"
	if m.der {
		enc = "DER"
	}
	fam := ""
	if m.family != "" {
		fam = m.family + " "
	}
	switch m.kind {
	case kindPrivate:
		return "a " + enc + " " + fam + "private key"
	case kindPublic:
		if m.cert {
			return "an x509 certificate (" + enc + ")"
		}
		return "a " + enc + " " + fam + "public key"
	case kindEncrypted:
		return "an encrypted PEM private key"
	case kindSSH:
		return "an SSH key"
	case kindJWK:
		return "a JWK (JSON)"
	case kindOther:
		if m.pemTyp == "" {
			return "malformed PEM"
		}
		return "a PEM " + m.pemTyp + " block"
	}
	return "a secret"
}

// inspectKey tells what key is: PEM (any "-----BEGIN"), RFC 4716 SSH keys ("---- BEGIN"),
// OpenSSH public keys and authorized_keys lines, JWKs, DER keys and certificates (raw or
// base64). Each test needs a structure that random secrets do not have by chance: an SSH key
// is recognised by its type name followed by a blob, or by a blob that decodes to a
// length-prefixed key type; DER must parse completely.
func inspectKey(key string) material {
	if strings.Contains(key, "-----BEGIN") {
		return inspectPEM(key)
	}
	if strings.Contains(key, "---- BEGIN SSH2") || isSSHKey(key) {
		return material{kind: kindSSH}
	}
	if m, ok := inspectJWK(key); ok {
		return m
	}
	if m, ok := inspectDER([]byte(key)); ok {
		return m
	}
	compact := strings.Join(strings.Fields(key), "")
	if len(compact) >= 64 {
		if der, err := base64.StdEncoding.DecodeString(compact); err == nil {
			if m, ok := inspectDER(der); ok {
				return m
			}
		}
	}
	return material{kind: kindSecret}
}

func inspectPEM(key string) material {
	block, _ := pem.Decode([]byte(key[strings.Index(key, "-----BEGIN"):]))
	if block == nil {
		return material{kind: kindOther}
	}
	if _, ok := block.Headers["DEK-Info"]; ok {
		return material{kind: kindEncrypted}
	}
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		return material{kind: kindEncrypted}
	case "OPENSSH PRIVATE KEY", "SSH2 ENCRYPTED PRIVATE KEY", "SSH2 PUBLIC KEY":
		return material{kind: kindSSH}
	case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
		if m, ok := inspectDER(block.Bytes); ok {
			m.der = false
			return m
		}
		// A block whose body does not parse: say what the header claims.
		m := material{kind: kindPublic, cert: block.Type == "CERTIFICATE"}
		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			m.kind = kindPrivate
		}
		if fam, _, ok := strings.Cut(block.Type, " "); ok && (fam == "RSA" || fam == "EC") {
			m.family = fam
		}
		return m
	}
	return material{kind: kindOther, pemTyp: block.Type}
}

// inspectDER recognises a DER private key (PKCS #1, SEC 1, PKCS #8), public key (PKIX,
// PKCS #1) or certificate.
func inspectDER(der []byte) (material, bool) {
	if len(der) < 32 || der[0] != 0x30 {
		return material{}, false
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return material{kind: kindPrivate, family: keyFamily(k), der: true}, true
	}
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return material{kind: kindPrivate, family: "RSA", der: true}, true
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return material{kind: kindPrivate, family: "EC", der: true}, true
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		return material{kind: kindPublic, family: keyFamily(k), der: true}, true
	}
	if _, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return material{kind: kindPublic, family: "RSA", der: true}, true
	}
	if c, err := x509.ParseCertificate(der); err == nil {
		return material{kind: kindPublic, family: keyFamily(c.PublicKey), cert: true, der: true}, true
	}
	return material{}, false
}

func keyFamily(k any) string {
	switch k.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey:
		return "RSA"
	case *ecdsa.PrivateKey, *ecdsa.PublicKey:
		return "EC"
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "Ed25519"
	}
	return ""
}

// inspectJWK recognises a JSON object with "kty" (a JWK) or "keys" (a JWK set).
func inspectJWK(key string) (material, bool) {
	key = strings.TrimSpace(key)
	if !strings.HasPrefix(key, "{") {
		return material{}, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(key), &obj) != nil {
		return material{}, false
	}
	if kty, ok := obj["kty"]; ok {
		return material{kind: kindJWK, oct: string(kty) == `"oct"`}, true
	}
	if _, ok := obj["keys"]; ok {
		return material{kind: kindJWK}, true
	}
	return material{}, false
}

// sshKeyTypes are the public key algorithms of OpenSSH (PROTOCOL, PROTOCOL.u2f).
var sshKeyTypes = []string{
	"ssh-rsa", "ssh-dss", "ssh-ed25519", "ssh-ed448",
	"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
}

func isSSHKeyType(s string) bool {
	s = strings.TrimSuffix(s, "-cert-v01@openssh.com")
	for _, t := range sshKeyTypes {
		if s == t {
			return true
		}
	}
	return false
}

// isSSHKey recognises an OpenSSH public key or authorized_keys line: a key type followed by
// more text ("ssh-ed25519 AAAA… comment", options first allowed), or a base64 blob that
// decodes to a length-prefixed key type (the wire format, RFC 4253 §6.6). A type name alone
// or inside a word is not enough: "sk-…" API keys stay secrets.
func isSSHKey(key string) bool {
	for _, line := range strings.Split(key, "\n") {
		fields := strings.Fields(line)
		for i, f := range fields {
			if isSSHKeyType(f) && i+1 < len(fields) || isSSHBlob(f) {
				return true
			}
		}
	}
	return false
}

func isSSHBlob(f string) bool {
	if len(f) < 16 {
		return false
	}
	f = f[:len(f)/4*4]
	if len(f) > 80 {
		f = f[:80]
	}
	b, err := base64.StdEncoding.DecodeString(f)
	if err != nil || len(b) < 4 {
		return false
	}
	n := int(binary.BigEndian.Uint32(b))
	return n >= 7 && 4+n <= len(b) && isSSHKeyType(string(b[4:4+n]))
}

// weakness says what makes secret weak (without showing it), or "".
func weakness(secret string) string {
	if strings.TrimSpace(secret) == "" {
		return "is only whitespace"
	}
	p := period(secret)
	switch {
	case p == 1:
		return "is one character repeated"
	case 2*p <= len(secret):
		return fmt.Sprintf("repeats a %d-character pattern", p)
	}
	var seen [256]bool
	distinct := 0
	for i := 0; i < len(secret); i++ {
		if !seen[secret[i]] {
			seen[secret[i]] = true
			distinct++
		}
	}
	if distinct <= 3 {
		return fmt.Sprintf("uses only %d distinct characters", distinct)
	}
	return ""
}

// period returns the smallest p such that s[i] == s[i+p] for every i (len(s) when s does not
// repeat), from the Knuth–Morris–Pratt failure function.
func period(s string) int {
	fail := make([]int, len(s))
	for i, k := 1, 0; i < len(s); i++ {
		for k > 0 && s[i] != s[k] {
			k = fail[k-1]
		}
		if s[i] == s[k] {
			k++
		}
		fail[i] = k
	}
	if len(s) == 0 {
		return 0
	}
	return len(s) - fail[len(s)-1]
}

// pathWord is one word of a file name: lower case ("secrets"), capitalised ("Secrets"), all
// capitals ("JWT"), or camelCase with humps of three letters or more ("jwtSigningKey",
// "JWTKey"), then digits ("key2026"); isPathWord also caps the humps at maxHumps. Random
// base64 mixes cases and digits throughout and reads like none of these.
var pathWord = regexp.MustCompile(`^(?:[A-Z]+|[A-Z]?[a-z]+)?(?:[A-Z][a-z]{2,})*[0-9]*$`)

// maxHumps is the most lower-to-upper case changes a word of a file name has
// ("jwtSigningKeyFile" has 3).
const maxHumps = 3

func isPathWord(w string) bool {
	humps := 0
	for i := 1; i < len(w); i++ {
		if 'a' <= w[i-1] && w[i-1] <= 'z' && 'A' <= w[i] && w[i] <= 'Z' {
			humps++
		}
	}
	return humps <= maxHumps && pathWord.MatchString(w)
}

// looksLikePath reports whether key (surrounding space ignored) reads as a file path: it
// starts with "/", "./", "../" or "~/", holds only letters, digits and the separators "/",
// ".", "_", "-", "~", "@", and each word between separators reads as a word of a file name
// (isPathWord).
//
// Hex and base64url secrets never start so. A base64 secret starts with "/" once in 64, and
// then nearly always holds "+" or "=" or a word that reads like no file name: of 20,000,000
// random 24-byte secrets base64-encoded (unpadded) with their first character forced to "/",
// 2 read as a path, and none of 20,000,000 of 32 or of 48 bytes; for a random 24-byte base64
// secret that is about 1 in 640 million. TestRandomSecretsAccepted runs 20,000 such secrets
// on every test run. A path with a word of another shape ("HS256key") is not recognised, and
// is refused only if it is otherwise unfit as a key.
func looksLikePath(key string) bool {
	key = strings.TrimSpace(key)
	if !strings.HasPrefix(key, "/") && !strings.HasPrefix(key, "./") && !strings.HasPrefix(key, "../") && !strings.HasPrefix(key, "~/") {
		return false
	}
	words := 0
	for w := range strings.FieldsFuncSeq(key, isPathSeparator) {
		if !isPathWord(w) {
			return false
		}
		words++
	}
	return words > 0
}

func isPathSeparator(r rune) bool { return strings.ContainsRune("/._~@-", r) }

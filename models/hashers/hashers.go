package hashers

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// MaxPasswordLength caps passwords (bytes) before hashing: Django's 4096-byte lesson (CVE-2013-1443).
const MaxPasswordLength = 4096

// ErrPasswordTooLong is returned for a password longer than MaxPasswordLength bytes.
var ErrPasswordTooLong = errors.New("hashers: password too long")

var errInvalidSalt = errors.New("hashers: salt must be provided and cannot contain $")

const (
	unusablePasswordPrefix       = "!"
	unusablePasswordSuffixLength = 40
	// saltLength is Django's salt size: ceil(128 / log2(62)) characters of [a-zA-Z0-9].
	saltLength  = 22
	saltEntropy = 128
)

// Hasher is one of Django's password hashers. Implementations must be safe for concurrent use.
type Hasher interface {
	// Algorithm is the hasher's name and the prefix of its hashes: "pbkdf2_sha256", ...
	Algorithm() string
	// Encode is Django's encode(): the hash of password with salt, in the hasher's format.
	Encode(password, salt string) (string, error)
	// Verify reports whether password matches encoded, comparing in constant time. It never
	// panics and returns false for anything it cannot parse.
	Verify(password, encoded string) bool
	// MustUpdate is Django's must_update: encoded (a hash of this hasher's algorithm) was made
	// with other parameters or too weak a salt and should be re-hashed after a successful check.
	MustUpdate(encoded string) bool
}

// Salter is implemented by hashers whose salts are not Django's default 22 characters of
// [a-zA-Z0-9]: bcrypt ("$2b$12$" and 22 characters of its alphabet) and the unsalted legacy
// hashers (""). It is Django's salt().
type Salter interface {
	Salt() string
}

// RuntimeHardener is Django's harden_runtime: after a failed check of a hash whose cost
// parameters are below the hasher's (fewer PBKDF2 iterations, a lower bcrypt cost, less argon2
// or scrypt work), spend the work the lower cost saved, so that a weak stored hash does not make
// a wrong guess measurably faster. This package's PBKDF2, bcrypt, argon2 and scrypt hashers
// implement it (Django's argon2 and scrypt hashers do nothing here); the legacy digests have no
// cost parameter, and CheckPassword runs the preferred hasher for them instead.
type RuntimeHardener interface {
	HardenRuntime(password, encoded string)
}

// checker is implemented by this package's hashers: check is Verify that also reports whether
// encoded was well formed (and within the work limits), i.e. whether the hash actually ran.
type checker interface {
	check(password, encoded string) (ok, wellFormed bool)
}

// meter counts the work a hasher does, in its own unit: PBKDF2 iterations, bcrypt key
// expansions (2^cost per hash), argon2 passes × KiB, scrypt N × r × p. It is nil, and costs
// nothing, except in the tests that prove the hardening by counting work instead of timing it.
type meter struct{ work *atomic.Int64 }

func (m meter) spend(n int64) {
	if m.work != nil {
		m.work.Add(n)
	}
}

// List is an ordered list of hashers, Django's PASSWORD_HASHERS: the first hashes new
// passwords, all of them verify. It is immutable and safe for concurrent use.
type List struct {
	list  []Hasher
	byAlg map[string]Hasher
}

// New returns the list preferred, others... . When two hashers share an algorithm name the
// earlier one is used. It panics on a nil hasher.
func New(preferred Hasher, others ...Hasher) *List {
	all := append([]Hasher{preferred}, others...)
	l := &List{byAlg: make(map[string]Hasher, len(all))}
	for i, x := range all {
		if x == nil {
			panic(fmt.Sprintf("hashers: New: hasher %d is nil", i))
		}
		if _, dup := l.byAlg[x.Algorithm()]; dup {
			continue
		}
		l.byAlg[x.Algorithm()] = x
		l.list = append(l.list, x)
	}
	return l
}

// Default is Django's default PASSWORD_HASHERS with Django's default parameters, the list of
// the zero Config: PBKDF2 (SHA-256, DefaultPBKDF2Iterations), PBKDF2 SHA-1, Argon2,
// BCryptSHA256 and Scrypt, in that order. The legacy hashers that Django dropped from its
// default (salted MD5, salted and unsalted SHA-1, unsalted MD5, plain bcrypt) are not in it: a
// hash of theirs verifies only when they are configured, e.g. Default().With(MD5()), and
// otherwise never matches, at the cost of an unknown user's check (as in Django, where
// identify_hasher fails for a hasher that is not installed).
func Default() *List {
	l, err := FromConfig(Config{})
	if err != nil {
		panic(err) // Django's defaults are valid
	}
	return l
}

// With returns a new list: l followed by others, which verify (and are re-hashed with the
// preferred hasher on login) but never hash new passwords. It is how the legacy hashers of an
// old database are enabled: Default().With(MD5(), UnsaltedMD5()).
func (l *List) With(others ...Hasher) *List {
	return New(l.list[0], append(l.list[1:len(l.list):len(l.list)], others...)...)
}

// Preferred returns the hasher that hashes new passwords (the first one).
func (l *List) Preferred() Hasher { return l.list[0] }

// Identify is Django's identify_hasher: the hasher for encoded, by its prefix (and Django's
// special cases for unsalted MD5 and SHA-1), and false when there is none in the list.
func (l *List) Identify(encoded string) (Hasher, bool) {
	x, ok := l.byAlg[identifyAlgorithm(encoded)]
	return x, ok
}

func identifyAlgorithm(encoded string) string {
	// Ancient versions of Django created plain MD5 passwords and accepted MD5 passwords with
	// an empty salt; likewise SHA-1. Django counts characters (Python str), so do we.
	n := utf8.RuneCountInString(encoded)
	switch {
	case n == 32 && !strings.Contains(encoded, "$"), n == 37 && strings.HasPrefix(encoded, "md5$$"):
		return "unsalted_md5"
	case n == 46 && strings.HasPrefix(encoded, "sha1$$"):
		return "unsalted_sha1"
	}
	alg, _, _ := strings.Cut(encoded, "$")
	return alg
}

// MakePassword is Django's make_password(password): the preferred hasher's hash of password
// with a fresh salt from crypto/rand (22 characters of [a-zA-Z0-9], or the hasher's own kind
// of salt when it is a Salter). It returns ErrPasswordTooLong above MaxPasswordLength bytes.
func (l *List) MakePassword(password string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	p := l.Preferred()
	return p.Encode(password, saltFor(p))
}

// CheckPassword is Django's check_password / verify_password. It finds the hasher by the
// prefix of encoded and verifies password with it. When encoded is unusable ("!..."), empty,
// of an unknown or unconfigured kind, malformed, or password is longer than MaxPasswordLength,
// it instead hashes a random password once with the preferred hasher — so that such users
// cost the same time as real ones (Django #20760, CVE-2024-39329) — and returns ok == false.
// err is ErrPasswordTooLong in the last case (after that run) and nil otherwise.
//
// mustUpdate reports, for a correct password only, that the caller should store
// MakePassword(password) instead: the hash is of another algorithm than the preferred one, or
// the preferred hasher's MustUpdate says so.
//
// A wrong password costs at least one run of the preferred hasher, whatever the stored hash,
// so that response times do not tell which accounts hold legacy or cheap hashes:
//   - a hash of the preferred algorithm at a lower cost: the hasher's HardenRuntime spends the
//     difference (Django's harden_runtime, which this package also implements for argon2 and
//     scrypt; a preferred hasher of your own needs a RuntimeHardener for this);
//   - a hash of another algorithm: its hasher's HardenRuntime, if it has one, spends what the
//     stored hash's cost saved against that hasher's configured cost, and then the preferred
//     hasher runs once. Django does neither: it hardens only hashes of the preferred algorithm,
//     so a salted MD5 hash answers a wrong password in microseconds next to PBKDF2's tenths of
//     a second. The price is that a wrong password against a hash of another algorithm costs
//     that hasher's run plus the preferred one's, until the account logs in and is re-hashed.
func (l *List) CheckPassword(password, encoded string) (ok bool, mustUpdate bool, err error) {
	if len(password) > MaxPasswordLength {
		l.fakeRun()
		return false, false, ErrPasswordTooLong
	}
	if !IsPasswordUsable(encoded) {
		l.fakeRun()
		return false, false, nil
	}
	hasher, found := l.Identify(encoded)
	if !found {
		l.fakeRun()
		return false, false, nil
	}
	var wellFormed bool
	if c, isChecker := hasher.(checker); isChecker {
		ok, wellFormed = c.check(password, encoded)
	} else {
		ok, wellFormed = hasher.Verify(password, encoded), true
	}
	if !wellFormed {
		l.fakeRun()
		return false, false, nil
	}
	preferred := l.Preferred()
	changed := hasher.Algorithm() != preferred.Algorithm()
	if !ok {
		if hr, isHardener := hasher.(RuntimeHardener); isHardener {
			hr.HardenRuntime(password, encoded)
		}
		if changed {
			l.fakeRun()
		}
		return false, false, nil
	}
	return true, changed || preferred.MustUpdate(encoded), nil
}

// fakeRun is Django's make_password(get_random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH)).
func (l *List) fakeRun() {
	p := l.Preferred()
	_, _ = p.Encode(randomString(unusablePasswordSuffixLength), saltFor(p))
}

func saltFor(h Hasher) string {
	if s, ok := h.(Salter); ok {
		return s.Salt()
	}
	return randomString(saltLength)
}

// IsPasswordUsable reports whether encoded can ever match a password: false for "" (no
// password; Django's None, for which Django's is_password_usable says True but check_password
// still fails) and for Django's unusable passwords, which start with "!".
func IsPasswordUsable(encoded string) bool {
	return encoded != "" && !strings.HasPrefix(encoded, unusablePasswordPrefix)
}

// MakeUnusablePassword is Django's make_password(None): "!" followed by 40 random characters
// of [a-zA-Z0-9].
func MakeUnusablePassword() string {
	return unusablePasswordPrefix + randomString(unusablePasswordSuffixLength)
}

const randomStringChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomString is Django's get_random_string(n): n characters of [a-zA-Z0-9] from crypto/rand,
// uniformly (bytes >= 248 = 4*62 are rejected to avoid modulo bias).
func randomString(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		_, _ = rand.Read(buf) // never fails (Go 1.24+: it crashes the program instead)
		for _, b := range buf {
			if b < 248 {
				out = append(out, randomStringChars[b%62])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

// mustUpdateSalt is Django's must_update_salt(salt, 128): the salt, of n characters, carries
// less than 128 bits of entropy at log2(62) bits per character (fewer than 22 characters).
func mustUpdateSalt(n int) bool {
	return float64(n)*math.Log2(float64(len(randomStringChars))) < saltEntropy
}

// checkSalt is Django's _check_encode_args for the salt.
func checkSalt(salt string) error {
	if salt == "" || strings.Contains(salt, "$") {
		return errInvalidSalt
	}
	return nil
}

// equal compares two encoded strings in constant time (Django's constant_time_compare).
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// parseDecimal parses a canonical non-negative decimal (digits only, no sign, no leading zero)
// not above max.
func parseDecimal(s string, max uint64) (uint64, bool) {
	if s == "" || len(s) > 20 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if d > max || v > (max-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

package models

// Django's password hashers (django.contrib.auth.hashers), byte-compatible with Django: a hash
// made here verifies in Django and the other way round, and Encode with a fixed salt gives the
// very string Django's make_password gives.
//
// Formats (the part before the first "$" names the hasher):
//
//	pbkdf2_sha256$<iterations>$<salt>$<std base64, padded, of 32 bytes>
//	pbkdf2_sha1$<iterations>$<salt>$<std base64, padded, of 20 bytes>
//	argon2$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt, base64 unpadded>$<hash, base64 unpadded>
//	bcrypt_sha256$$2b$<cost>$<22-char salt><31-char hash>   (bcrypt of the hex SHA-256 of the password)
//	bcrypt$$2b$<cost>$<22-char salt><31-char hash>
//	scrypt$<N>$<salt>$<r>$<p>$<std base64, padded, of 64 bytes>
//	md5$<salt>$<hex>, sha1$<salt>$<hex>, sha1$$<hex>, md5$$<hex> and a bare 32-char MD5 hex
//
// Note the scrypt field order: N comes before the salt (Django's
// ScryptPasswordHasher.encode: "%s$%d$%s$%d$%d$%s" % (algorithm, n, salt, r, p, hash)).
//
// Verification is Django's: the stored string is parsed, the password is encoded again with the
// stored salt and parameters, and the two strings are compared in constant time. Non-canonical
// spellings (leading zeros, "+1", base64 with stray bits) therefore never verify, as in Django.
//
// Where this port differs from Django, on purpose:
//   - Hashes whose parameters would make verification absurdly expensive (PBKDF2 iterations
//     above 100,000,000, bcrypt cost above 18, argon2 above 512 MiB, scrypt above OpenSSL's
//     32 MiB — each raised to the hasher's own configured cost when that is higher) are
//     treated as malformed: they never verify, and CheckPassword spends the preferred hasher's
//     time on them instead. Django would compute them (or raise).
//   - Malformed stored hashes (wrong field count, bad numbers, bad base64) return false where
//     Django raises ValueError, and CheckPassword runs the preferred hasher once for them, as
//     for unusable and unknown ones.
//   - Plain bcrypt (the "bcrypt" hasher, not bcrypt_sha256) refuses passwords longer than 72
//     bytes or containing NUL: Verify returns false (after spending bcrypt's time) and Encode
//     returns an error. Django's bcrypt library silently truncates at 72 bytes, so a Django
//     "bcrypt$" hash of a longer password verifies here only with its first 72 bytes.
//   - argon2 hashes of version 0x10 (no "v=" field; argon2-cffi before 16.0, 2016) and argon2d
//     hashes are not supported (golang.org/x/crypto/argon2 implements v=19 argon2i and
//     argon2id only); they never verify and CheckPassword treats them as malformed.
//   - argon2 tags of any length verify. New hashes have 32-byte tags (argon2-cffi >= 21.2, as
//     Django 6.0 installs); Django with an older argon2-cffi (Debian 12's 21.1) makes 16-byte
//     ones, which MustUpdate reports, as Django 6.0's must_update does.
//   - Passwords longer than MaxPasswordLength bytes are refused (Django 1.5.4's cap for
//     CVE-2013-1443; today's Django has none).

import (
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	//lint:ignore SA1019 bcrypt is Blowfish's key schedule; Django's bcrypt hashes need it.
	"golang.org/x/crypto/blowfish"
	"golang.org/x/crypto/scrypt"
)

// DefaultPBKDF2Iterations is Django 6.0's count.
const DefaultPBKDF2Iterations = 1_200_000

// MaxPasswordLength caps passwords (bytes) before hashing: Django's 4096-byte lesson (CVE-2013-1443).
const MaxPasswordLength = 4096

// Django's defaults for the other hashers.
const (
	DefaultArgon2TimeCost    = 2      // Argon2PasswordHasher.time_cost
	DefaultArgon2MemoryCost  = 102400 // Argon2PasswordHasher.memory_cost, KiB
	DefaultArgon2Parallelism = 8      // Argon2PasswordHasher.parallelism
	DefaultBCryptCost        = 12     // BCryptSHA256PasswordHasher.rounds
	DefaultScryptN           = 1 << 14
	DefaultScryptR           = 8
	DefaultScryptP           = 1
)

// The most work a stored hash may ask for before it is treated as malformed. Each hasher
// raises its own limit to its configured cost when that is higher.
const (
	maxPBKDF2Iterations = 100_000_000
	maxBCryptCost       = 18                                                   // 64 × Django's 12
	maxArgon2MemoryKiB  = 512 * 1024                                           // 512 MiB
	maxArgon2Work       = 64 * DefaultArgon2TimeCost * DefaultArgon2MemoryCost // t × m
	maxArgon2HashLen    = 1024
	maxScryptMemory     = 32 << 20                                              // OpenSSL's limit for hashlib.scrypt(maxmem=0), Django's setting
	maxScryptWork       = 64 * DefaultScryptN * DefaultScryptR * DefaultScryptP // N × r × p
)

const (
	unusablePasswordPrefix       = "!"
	unusablePasswordSuffixLength = 40
	// saltLength is Django's salt size: ceil(128 / log2(62)) characters of [a-zA-Z0-9].
	saltLength  = 22
	saltEntropy = 128
)

var (
	errInvalidSalt    = errors.New("models: salt must be provided and cannot contain $")
	errSaltNotEmpty   = errors.New("models: salt must be empty")
	errArgon2Salt     = errors.New("models: argon2 salt must be at least 8 bytes")
	errBCryptSalt     = errors.New("models: invalid bcrypt salt")
	errBCryptPassword = errors.New("models: bcrypt: password longer than 72 bytes or containing NUL")
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

// RuntimeHardener is Django's harden_runtime: after a failed check of a hash that must be
// updated, spend the work the stored hash's lower cost saved, so that weak stored hashes do not
// make wrong guesses measurably faster. PBKDF2 and bcrypt implement it.
type RuntimeHardener interface {
	HardenRuntime(password, encoded string)
}

// checker is implemented by this package's hashers: check is Verify that also reports whether
// encoded was well formed (and within the work limits), i.e. whether the hash actually ran.
type checker interface {
	check(password, encoded string) (ok, wellFormed bool)
}

// ---------------------------------------------------------------------------------------------
// Hashers: Django's PASSWORD_HASHERS, check_password and make_password.

// Hashers is an ordered list of hashers, Django's PASSWORD_HASHERS: the first hashes new
// passwords, all of them verify. It is immutable and safe for concurrent use.
type Hashers struct {
	list  []Hasher
	byAlg map[string]Hasher
}

// NewHashers returns the list preferred, others... . When two hashers share an algorithm name
// the earlier one is used. It panics on a nil hasher.
func NewHashers(preferred Hasher, others ...Hasher) *Hashers {
	all := append([]Hasher{preferred}, others...)
	h := &Hashers{byAlg: make(map[string]Hasher, len(all))}
	for i, x := range all {
		if x == nil {
			panic(fmt.Sprintf("models: NewHashers: hasher %d is nil", i))
		}
		if _, dup := h.byAlg[x.Algorithm()]; dup {
			continue
		}
		h.byAlg[x.Algorithm()] = x
		h.list = append(h.list, x)
	}
	return h
}

// DefaultHashers is Django 6.0's PASSWORD_HASHERS — PBKDF2 (SHA-256, 1,200,000 iterations),
// PBKDF2 SHA-1, Argon2, BCryptSHA256, Scrypt, with Django's default parameters — followed by
// hashers that only matter for verifying old databases: salted MD5, unsalted MD5, salted SHA-1,
// unsalted SHA-1 (the last three were removed in Django 5.1) and plain bcrypt.
func DefaultHashers() *Hashers {
	return NewHashers(
		PBKDF2SHA256(DefaultPBKDF2Iterations),
		PBKDF2SHA1(DefaultPBKDF2Iterations),
		Argon2(DefaultArgon2TimeCost, DefaultArgon2MemoryCost, DefaultArgon2Parallelism),
		BCryptSHA256(DefaultBCryptCost),
		Scrypt(DefaultScryptN, DefaultScryptR, DefaultScryptP),
		MD5(),
		UnsaltedMD5(),
		SHA1(),
		UnsaltedSHA1(),
		BCrypt(DefaultBCryptCost),
	)
}

// Preferred returns the hasher that hashes new passwords (the first one).
func (h *Hashers) Preferred() Hasher { return h.list[0] }

// Identify is Django's identify_hasher: the hasher for encoded, by its prefix (and Django's
// special cases for unsalted MD5 and SHA-1), and false when there is none in the list.
func (h *Hashers) Identify(encoded string) (Hasher, bool) {
	x, ok := h.byAlg[identifyAlgorithm(encoded)]
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
func (h *Hashers) MakePassword(password string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	p := h.Preferred()
	return p.Encode(password, saltFor(p))
}

// CheckPassword is Django's check_password / verify_password. It finds the hasher by the
// prefix of encoded and verifies password with it. When encoded is unusable ("!..."), empty,
// of an unknown or unsupported kind, malformed, or password is longer than MaxPasswordLength,
// it instead hashes a random password once with the preferred hasher — so that such users
// cost the same time as real ones (Django #20760, CVE-2024-39329) — and returns ok == false.
// err is ErrPasswordTooLong in the last case (after that run) and nil otherwise.
//
// mustUpdate reports, for a correct password only, that the caller should store
// MakePassword(password) instead: the hash is of another algorithm than the preferred one, or
// the preferred hasher's MustUpdate says so. As in Django, a wrong password against a hash the
// preferred hasher would update runs its HardenRuntime, if it has one.
func (h *Hashers) CheckPassword(password, encoded string) (ok bool, mustUpdate bool, err error) {
	if len(password) > MaxPasswordLength {
		h.fakeRun()
		return false, false, ErrPasswordTooLong
	}
	if !IsPasswordUsable(encoded) {
		h.fakeRun()
		return false, false, nil
	}
	hasher, found := h.Identify(encoded)
	if !found {
		h.fakeRun()
		return false, false, nil
	}
	var wellFormed bool
	if c, isChecker := hasher.(checker); isChecker {
		ok, wellFormed = c.check(password, encoded)
	} else {
		ok, wellFormed = hasher.Verify(password, encoded), true
	}
	if !wellFormed {
		h.fakeRun()
		return false, false, nil
	}
	preferred := h.Preferred()
	changed := hasher.Algorithm() != preferred.Algorithm()
	must := changed || preferred.MustUpdate(encoded)
	if !ok && !changed && must {
		if hr, isHardener := hasher.(RuntimeHardener); isHardener {
			hr.HardenRuntime(password, encoded)
		}
	}
	return ok, ok && must, nil
}

// fakeRun is Django's make_password(get_random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH)).
func (h *Hashers) fakeRun() {
	p := h.Preferred()
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

// ---------------------------------------------------------------------------------------------
// PBKDF2 (PBKDF2PasswordHasher, PBKDF2SHA1PasswordHasher)

type pbkdf2Hasher struct {
	algorithm     string
	newHash       func() hash.Hash
	iterations    int
	maxIterations int
}

// PBKDF2SHA256 is Django's PBKDF2PasswordHasher ("pbkdf2_sha256") with the given iteration
// count for new hashes (DefaultPBKDF2Iterations in Django 6.0). Any stored count from 1 to
// 100,000,000 (or iterations, if higher) verifies. It panics if iterations < 1.
func PBKDF2SHA256(iterations int) Hasher { return newPBKDF2("pbkdf2_sha256", sha256.New, iterations) }

// PBKDF2SHA1 is Django's PBKDF2SHA1PasswordHasher ("pbkdf2_sha1").
func PBKDF2SHA1(iterations int) Hasher { return newPBKDF2("pbkdf2_sha1", sha1.New, iterations) }

func newPBKDF2(alg string, h func() hash.Hash, iterations int) *pbkdf2Hasher {
	if iterations < 1 {
		panic(fmt.Sprintf("models: %s: iterations must be at least 1, got %d", alg, iterations))
	}
	return &pbkdf2Hasher{algorithm: alg, newHash: h, iterations: iterations,
		maxIterations: max(maxPBKDF2Iterations, iterations)}
}

func (h *pbkdf2Hasher) Algorithm() string { return h.algorithm }

func (h *pbkdf2Hasher) Encode(password, salt string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	return h.encode(password, salt, h.iterations)
}

func (h *pbkdf2Hasher) encode(password, salt string, iterations int) (string, error) {
	dk, err := pbkdf2.Key(h.newHash, password, []byte(salt), iterations, h.newHash().Size())
	if err != nil {
		return "", err
	}
	return h.algorithm + "$" + strconv.Itoa(iterations) + "$" + salt + "$" +
		base64.StdEncoding.EncodeToString(dk), nil
}

// decode is Django's decode: algorithm$iterations$salt$hash (the hash may contain "$").
func (h *pbkdf2Hasher) decode(encoded string) (iterations int, salt string, ok bool) {
	rest, ok := strings.CutPrefix(encoded, h.algorithm+"$")
	if !ok {
		return 0, "", false
	}
	it, rest, ok := strings.Cut(rest, "$")
	if !ok {
		return 0, "", false
	}
	salt, _, ok = strings.Cut(rest, "$")
	if !ok || salt == "" {
		return 0, "", false
	}
	n, ok := parseDecimal(it, uint64(h.maxIterations))
	if !ok || n < 1 {
		return 0, "", false
	}
	return int(n), salt, true
}

func (h *pbkdf2Hasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	iterations, salt, ok := h.decode(encoded)
	if !ok {
		return false, false
	}
	encoded2, err := h.encode(password, salt, iterations)
	if err != nil {
		return false, false
	}
	return equal(encoded, encoded2), true
}

func (h *pbkdf2Hasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

func (h *pbkdf2Hasher) MustUpdate(encoded string) bool {
	iterations, salt, ok := h.decode(encoded)
	if !ok {
		return true
	}
	return iterations != h.iterations || mustUpdateSalt(utf8.RuneCountInString(salt))
}

// HardenRuntime runs the iterations the stored hash is short of this hasher's count.
func (h *pbkdf2Hasher) HardenRuntime(password, encoded string) {
	iterations, salt, ok := h.decode(encoded)
	if !ok || len(password) > MaxPasswordLength {
		return
	}
	if extra := h.iterations - iterations; extra > 0 {
		_, _ = h.encode(password, salt, extra)
	}
}

// ---------------------------------------------------------------------------------------------
// Argon2 (Argon2PasswordHasher)

type argon2Hasher struct {
	time, memory uint32
	threads      uint8
	maxMemory    uint32
	maxWork      uint64
}

// argon2HashLen is argon2-cffi's DEFAULT_HASH_LENGTH, which Django uses.
const argon2HashLen = 32

// Argon2 is Django's Argon2PasswordHasher ("argon2"), argon2id version 19 with the given time
// cost, memory cost (KiB) and parallelism (Django: 2, 102400, 8). Stored argon2id and argon2i
// hashes of version 19 verify. It panics on parameters argon2 refuses (time or parallelism 0,
// memory below 8 × parallelism).
func Argon2(timeCost, memoryCost uint32, parallelism uint8) Hasher {
	if timeCost < 1 || parallelism < 1 || memoryCost < 8*uint32(parallelism) {
		panic(fmt.Sprintf("models: argon2: invalid parameters t=%d m=%d p=%d", timeCost, memoryCost, parallelism))
	}
	return &argon2Hasher{time: timeCost, memory: memoryCost, threads: parallelism,
		maxMemory: max(maxArgon2MemoryKiB, memoryCost),
		maxWork:   max(maxArgon2Work, uint64(timeCost)*uint64(memoryCost))}
}

func (h *argon2Hasher) Algorithm() string { return "argon2" }

type argon2Params struct {
	variant      string // "argon2id" or "argon2i"
	memory, time uint32
	threads      uint8
	salt         []byte
	hashLen      int
}

func (h *argon2Hasher) Encode(password, salt string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	if len(salt) < 8 { // argon2's ARGON2_MIN_SALT_LENGTH; argon2-cffi raises for shorter salts
		return "", errArgon2Salt
	}
	return h.encode(password, argon2Params{variant: "argon2id", memory: h.memory, time: h.time,
		threads: h.threads, salt: []byte(salt), hashLen: argon2HashLen}), nil
}

func (h *argon2Hasher) encode(password string, p argon2Params) string {
	var dk []byte
	if p.variant == "argon2i" {
		dk = argon2.Key([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(p.hashLen))
	} else {
		dk = argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(p.hashLen))
	}
	return fmt.Sprintf("argon2$%s$v=19$m=%d,t=%d,p=%d$%s$%s", p.variant, p.memory, p.time, p.threads,
		base64.RawStdEncoding.EncodeToString(p.salt), base64.RawStdEncoding.EncodeToString(dk))
}

// decode parses argon2$<variant>$v=19$m=<m>,t=<t>,p=<p>$<salt>$<hash> within the limits.
func (h *argon2Hasher) decode(encoded string) (argon2Params, bool) {
	var p argon2Params
	rest, ok := strings.CutPrefix(encoded, "argon2$")
	if !ok {
		return p, false
	}
	f := strings.Split(rest, "$")
	if len(f) != 5 || (f[0] != "argon2id" && f[0] != "argon2i") || f[1] != "v=19" {
		return p, false
	}
	p.variant = f[0]
	ms, rest, ok1 := strings.Cut(f[2], ",")
	ts, ps, ok2 := strings.Cut(rest, ",")
	ms, ok3 := strings.CutPrefix(ms, "m=")
	ts, ok4 := strings.CutPrefix(ts, "t=")
	ps, ok5 := strings.CutPrefix(ps, "p=")
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return p, false
	}
	m, ok1 := parseDecimal(ms, uint64(h.maxMemory))
	t, ok2 := parseDecimal(ts, math.MaxUint32)
	par, ok3 := parseDecimal(ps, math.MaxUint8)
	if !ok1 || !ok2 || !ok3 || t < 1 || par < 1 || m < 8*par || t > h.maxWork/m {
		return p, false
	}
	p.memory, p.time, p.threads = uint32(m), uint32(t), uint8(par)
	salt, err1 := base64.RawStdEncoding.DecodeString(f[3])
	sum, err2 := base64.RawStdEncoding.DecodeString(f[4])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(sum) < 4 || len(sum) > maxArgon2HashLen {
		return p, false
	}
	p.salt, p.hashLen = salt, len(sum)
	return p, true
}

func (h *argon2Hasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	p, ok := h.decode(encoded)
	if !ok {
		return false, false
	}
	return equal(encoded, h.encode(password, p)), true
}

func (h *argon2Hasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

// MustUpdate: the variant, time, memory, parallelism or hash length differ from this hasher's,
// or the salt has fewer than 22 bytes (Django compares argon2-cffi Parameters and the salt).
func (h *argon2Hasher) MustUpdate(encoded string) bool {
	p, ok := h.decode(encoded)
	if !ok {
		return true
	}
	return p.variant != "argon2id" || p.time != h.time || p.memory != h.memory ||
		p.threads != h.threads || p.hashLen != argon2HashLen || mustUpdateSalt(len(p.salt))
}

// ---------------------------------------------------------------------------------------------
// bcrypt (BCryptSHA256PasswordHasher, BCryptPasswordHasher)

type bcryptHasher struct {
	algorithm string
	prehash   bool // bcrypt_sha256: bcrypt the hex SHA-256 of the password
	cost      int
	maxCost   int
}

// BCryptSHA256 is Django's BCryptSHA256PasswordHasher ("bcrypt_sha256"): bcrypt, with the given
// cost (Django: 12), of the hex-encoded SHA-256 of the password, so no password is truncated.
// It panics unless 4 <= cost <= 31.
func BCryptSHA256(cost int) Hasher { return newBCrypt("bcrypt_sha256", true, cost) }

// BCrypt is Django's BCryptPasswordHasher ("bcrypt"): plain bcrypt. Unlike Django's, which
// silently uses only the first 72 bytes, it refuses passwords longer than 72 bytes or
// containing NUL (Verify false, Encode error). Prefer BCryptSHA256.
func BCrypt(cost int) Hasher { return newBCrypt("bcrypt", false, cost) }

func newBCrypt(alg string, prehash bool, cost int) *bcryptHasher {
	if cost < 4 || cost > 31 {
		panic(fmt.Sprintf("models: %s: cost must be between 4 and 31, got %d", alg, cost))
	}
	return &bcryptHasher{algorithm: alg, prehash: prehash, cost: cost, maxCost: max(maxBCryptCost, cost)}
}

func (h *bcryptHasher) Algorithm() string { return h.algorithm }

const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

var bcryptEncoding = base64.NewEncoding(bcryptAlphabet).WithPadding(base64.NoPadding)

// Salt is Django's salt(): bcrypt.gensalt(cost), "$2b$<cost>$" and 16 random bytes in
// bcrypt's base64 (22 characters).
func (h *bcryptHasher) Salt() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("$2b$%02d$%s", h.cost, bcryptEncoding.EncodeToString(b[:]))
}

type bcryptSalt struct {
	minor byte // 'a', 'b' or 'y'
	cost  int
	salt  []byte // 16 bytes
}

// parseBCryptSalt reads the first 29 characters of s, "$2b$12$" and 22 characters, as the
// bcrypt C library does (the low 4 bits of the 22nd character are ignored).
func (h *bcryptHasher) parseSalt(s string) (bcryptSalt, bool) {
	var b bcryptSalt
	if len(s) < 29 || s[0] != '$' || s[1] != '2' || s[3] != '$' || s[6] != '$' {
		return b, false
	}
	switch s[2] {
	case 'a', 'b', 'y':
		b.minor = s[2]
	default:
		return b, false
	}
	if s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9' {
		return b, false
	}
	b.cost = int(s[4]-'0')*10 + int(s[5]-'0')
	if b.cost < 4 || b.cost > h.maxCost {
		return b, false
	}
	enc := s[7:29]
	for i := 0; i < len(enc); i++ {
		if strings.IndexByte(bcryptAlphabet, enc[i]) < 0 {
			return b, false
		}
	}
	salt, err := bcryptEncoding.DecodeString(enc)
	if err != nil || len(salt) != 16 {
		return b, false
	}
	b.salt = salt
	return b, true
}

// key is what goes into bcrypt: the hex SHA-256 of the password for bcrypt_sha256, the
// password itself (at most 72 bytes, no NUL) for bcrypt.
func (h *bcryptHasher) key(password string) ([]byte, bool) {
	if h.prehash {
		sum := sha256.Sum256([]byte(password))
		return []byte(hex.EncodeToString(sum[:])), true
	}
	if len(password) > 72 || strings.IndexByte(password, 0) >= 0 {
		return nil, false
	}
	return []byte(password), true
}

// Encode is Django's encode with salt from Salt ("$2b$12$..."; only its first 29 characters
// are read and the cost is the salt's, as in Django). A bare 22-character salt in bcrypt's
// alphabet is also accepted and used with "$2b$" and this hasher's cost.
func (h *bcryptHasher) Encode(password, salt string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	if len(salt) == 22 {
		salt = fmt.Sprintf("$2b$%02d$%s", h.cost, salt)
	}
	s, ok := h.parseSalt(salt)
	if !ok {
		return "", errBCryptSalt
	}
	key, ok := h.key(password)
	if !ok {
		return "", errBCryptPassword
	}
	return h.encode(key, s), nil
}

func (h *bcryptHasher) encode(key []byte, s bcryptSalt) string {
	sum := bcryptRaw(key, s.cost, s.salt)
	return fmt.Sprintf("%s$$2%c$%02d$%s%s", h.algorithm, s.minor, s.cost,
		bcryptEncoding.EncodeToString(s.salt), bcryptEncoding.EncodeToString(sum))
}

var bcryptMagic = []byte("OrpheanBeholderScryDoubt")

// bcryptRaw is the bcrypt core (as golang.org/x/crypto/bcrypt, which cannot take a salt): the
// 23 bytes of the hash of key (with its C NUL terminator) under salt at 2^cost rounds.
func bcryptRaw(key []byte, cost int, salt []byte) []byte {
	ckey := make([]byte, len(key)+1)
	copy(ckey, key)
	c, err := blowfish.NewSaltedCipher(ckey, salt)
	if err != nil { // only for an empty key, and ckey has at least the NUL
		panic(err)
	}
	for i, rounds := uint64(0), uint64(1)<<uint(cost); i < rounds; i++ {
		blowfish.ExpandKey(ckey, c)
		blowfish.ExpandKey(salt, c)
	}
	data := make([]byte, len(bcryptMagic))
	copy(data, bcryptMagic)
	for i := 0; i < 24; i += 8 {
		for j := 0; j < 64; j++ {
			c.Encrypt(data[i:i+8], data[i:i+8])
		}
	}
	return data[:23] // C bcrypt encodes only 23 of the 24 bytes
}

// decode splits <algorithm>$<60-char bcrypt string>.
func (h *bcryptHasher) decode(encoded string) (bcryptSalt, bool) {
	rest, ok := strings.CutPrefix(encoded, h.algorithm+"$")
	if !ok {
		return bcryptSalt{}, false
	}
	return h.parseSalt(rest)
}

func (h *bcryptHasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	s, ok := h.decode(encoded)
	if !ok {
		return false, false
	}
	key, usable := h.key(password)
	if !usable {
		// Plain bcrypt and a password it refuses: spend the same time anyway (the stored
		// hash exists, and its user must not be told apart from others by timing).
		_ = h.encode([]byte(strings.ReplaceAll(password[:min(len(password), 72)], "\x00", "x")), s)
		return false, true
	}
	return equal(encoded, h.encode(key, s)), true
}

func (h *bcryptHasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

// MustUpdate: the cost differs from this hasher's (Django's must_update compares the rounds).
func (h *bcryptHasher) MustUpdate(encoded string) bool {
	s, ok := h.decode(encoded)
	return !ok || s.cost != h.cost
}

// HardenRuntime runs the hash 2^(cost - stored cost) - 1 more times at the stored cost.
func (h *bcryptHasher) HardenRuntime(password, encoded string) {
	s, ok := h.decode(encoded)
	if !ok || s.cost >= h.cost || len(password) > MaxPasswordLength {
		return
	}
	key, usable := h.key(password)
	if !usable {
		key = []byte(strings.ReplaceAll(password[:min(len(password), 72)], "\x00", "x"))
	}
	for diff := (1 << (h.cost - s.cost)) - 1; diff > 0; diff-- {
		_ = h.encode(key, s)
	}
}

// ---------------------------------------------------------------------------------------------
// scrypt (ScryptPasswordHasher, Django 4.0+)

type scryptHasher struct {
	n, r, p   int
	maxMemory int64
	maxWork   int64
}

// Scrypt is Django's ScryptPasswordHasher ("scrypt", Django 4.0+): scrypt with work factor N,
// block size r and parallelism p (Django: 2**14, 8, 1) and a 64-byte key. Like Django, which
// calls hashlib.scrypt with maxmem=0, it refuses parameters needing more than OpenSSL's 32 MiB
// (128·r·(N+p+2) bytes), unless its own parameters need more. It panics on parameters scrypt
// refuses.
func Scrypt(n, r, p int) Hasher {
	mem, ok := scryptMemory(n, r, p)
	if !ok || int64(p) > math.MaxInt64/(int64(n)*int64(r)) {
		panic(fmt.Sprintf("models: scrypt: invalid parameters N=%d r=%d p=%d", n, r, p))
	}
	return &scryptHasher{n: n, r: r, p: p,
		maxMemory: max(maxScryptMemory, mem),
		maxWork:   max(maxScryptWork, int64(n)*int64(r)*int64(p))}
}

// scryptMemory checks the parameters as OpenSSL's EVP_PBE_scrypt does and returns the memory
// it would need (its B and V buffers).
func scryptMemory(n, r, p int) (int64, bool) {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 || int64(r)*int64(p) >= 1<<30 || r > 1<<24 || p > 1<<24 {
		return 0, false
	}
	if 16*r <= 63 && uint64(n) >= uint64(1)<<(16*uint(r)) {
		return 0, false
	}
	// 128·r·(N+2) + 128·r·p, refusing anything near int64 overflow.
	if n > 1<<40 || int64(r) > (1<<56)/(int64(n)+2+int64(p)) {
		return 0, false
	}
	return 128 * int64(r) * (int64(n) + 2 + int64(p)), true
}

func (h *scryptHasher) Algorithm() string { return "scrypt" }

func (h *scryptHasher) Encode(password, salt string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	return h.encode(password, salt, h.n, h.r, h.p)
}

func (h *scryptHasher) encode(password, salt string, n, r, p int) (string, error) {
	dk, err := scrypt.Key([]byte(password), []byte(salt), n, r, p, 64)
	if err != nil {
		return "", err
	}
	return "scrypt$" + strconv.Itoa(n) + "$" + salt + "$" + strconv.Itoa(r) + "$" + strconv.Itoa(p) +
		"$" + base64.StdEncoding.EncodeToString(dk), nil
}

// decode is Django's decode: scrypt$N$salt$r$p$hash, exactly six fields.
func (h *scryptHasher) decode(encoded string) (n, r, p int, salt string, ok bool) {
	f := strings.Split(encoded, "$")
	if len(f) != 6 || f[0] != "scrypt" || f[2] == "" {
		return 0, 0, 0, "", false
	}
	nn, ok1 := parseDecimal(f[1], 1<<40)
	rr, ok2 := parseDecimal(f[3], 1<<24)
	pp, ok3 := parseDecimal(f[4], 1<<24)
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, 0, "", false
	}
	n, r, p = int(nn), int(rr), int(pp)
	mem, ok := scryptMemory(n, r, p)
	if !ok || mem > h.maxMemory || int64(p) > h.maxWork/(int64(n)*int64(r)) {
		return 0, 0, 0, "", false
	}
	return n, r, p, f[2], true
}

func (h *scryptHasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	n, r, p, salt, ok := h.decode(encoded)
	if !ok {
		return false, false
	}
	encoded2, err := h.encode(password, salt, n, r, p)
	if err != nil {
		return false, false
	}
	return equal(encoded, encoded2), true
}

func (h *scryptHasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

// MustUpdate: N, r or p differ from this hasher's (Django does not check scrypt salts).
func (h *scryptHasher) MustUpdate(encoded string) bool {
	n, r, p, _, ok := h.decode(encoded)
	return !ok || n != h.n || r != h.r || p != h.p
}

// ---------------------------------------------------------------------------------------------
// Legacy digests: MD5PasswordHasher, SHA1PasswordHasher, UnsaltedMD5PasswordHasher,
// UnsaltedSHA1PasswordHasher. Insecure; here to verify (and upgrade) old hashes.

type saltedDigestHasher struct {
	algorithm string
	newHash   func() hash.Hash
}

// MD5 is Django's MD5PasswordHasher ("md5$<salt>$<hex md5(salt+password)>"). Insecure: use it
// only to verify old hashes, which CheckPassword then reports as needing an update.
func MD5() Hasher { return &saltedDigestHasher{"md5", md5.New} }

// SHA1 is Django's SHA1PasswordHasher ("sha1$<salt>$<hex sha1(salt+password)>"), removed in
// Django 5.1. Insecure; verify-only in spirit.
func SHA1() Hasher { return &saltedDigestHasher{"sha1", sha1.New} }

func (h *saltedDigestHasher) Algorithm() string { return h.algorithm }

func (h *saltedDigestHasher) Encode(password, salt string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	if err := checkSalt(salt); err != nil {
		return "", err
	}
	return h.encode(password, salt), nil
}

func (h *saltedDigestHasher) encode(password, salt string) string {
	d := h.newHash()
	d.Write([]byte(salt))
	d.Write([]byte(password))
	return h.algorithm + "$" + salt + "$" + hex.EncodeToString(d.Sum(nil))
}

// decode is Django's decode: algorithm$salt$hash (the hash may contain "$").
func (h *saltedDigestHasher) decode(encoded string) (string, bool) {
	rest, ok := strings.CutPrefix(encoded, h.algorithm+"$")
	if !ok {
		return "", false
	}
	salt, _, ok := strings.Cut(rest, "$")
	return salt, ok && salt != ""
}

func (h *saltedDigestHasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	salt, ok := h.decode(encoded)
	if !ok {
		return false, false
	}
	return equal(encoded, h.encode(password, salt)), true
}

func (h *saltedDigestHasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

// MustUpdate: the salt is weaker than 128 bits (Django's must_update_salt).
func (h *saltedDigestHasher) MustUpdate(encoded string) bool {
	salt, ok := h.decode(encoded)
	return !ok || mustUpdateSalt(utf8.RuneCountInString(salt))
}

type unsaltedHasher struct {
	algorithm string
	prefix    string // what Encode puts before the hex digest
	newHash   func() hash.Hash
}

// UnsaltedMD5 is Django's UnsaltedMD5PasswordHasher ("unsalted_md5"): a bare 32-character hex
// MD5, also accepted as "md5$$<hex>". Removed in Django 5.1; verify-only in spirit.
func UnsaltedMD5() Hasher { return &unsaltedHasher{"unsalted_md5", "", md5.New} }

// UnsaltedSHA1 is Django's UnsaltedSHA1PasswordHasher ("unsalted_sha1"): "sha1$$<hex>".
// Removed in Django 5.1; verify-only in spirit.
func UnsaltedSHA1() Hasher { return &unsaltedHasher{"unsalted_sha1", "sha1$$", sha1.New} }

func (h *unsaltedHasher) Algorithm() string { return h.algorithm }

// Salt is "": these hashers take no salt.
func (h *unsaltedHasher) Salt() string { return "" }

func (h *unsaltedHasher) Encode(password, salt string) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrPasswordTooLong
	}
	if salt != "" {
		return "", errSaltNotEmpty
	}
	return h.encode(password), nil
}

func (h *unsaltedHasher) encode(password string) string {
	d := h.newHash()
	d.Write([]byte(password))
	return h.prefix + hex.EncodeToString(d.Sum(nil))
}

func (h *unsaltedHasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	if h.algorithm == "unsalted_md5" && len(encoded) == 37 && strings.HasPrefix(encoded, "md5$$") {
		encoded = encoded[5:]
	}
	return equal(encoded, h.encode(password)), true
}

func (h *unsaltedHasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

// MustUpdate is false, as in Django (CheckPassword still asks for an update, since these are
// never the preferred hasher in practice).
func (h *unsaltedHasher) MustUpdate(string) bool { return false }

// ---------------------------------------------------------------------------------------------
// CountingHasher

type countingHasher struct {
	h Hasher
	n *atomic.Int64
}

// CountingHasher wraps h and counts its runs — Encode and Verify calls, and the internal
// checks CheckPassword makes of well-formed hashes — so tests can assert that every login path
// runs the hasher exactly once (enumeration resistance, SECURITY.md 0.5 and 4.1). HardenRuntime
// is forwarded but not counted. The wrapper keeps h's algorithm, salts and update rules.
func CountingHasher(h Hasher) (Hasher, *atomic.Int64) {
	n := new(atomic.Int64)
	return &countingHasher{h: h, n: n}, n
}

func (c *countingHasher) Algorithm() string { return c.h.Algorithm() }

func (c *countingHasher) Encode(password, salt string) (string, error) {
	c.n.Add(1)
	return c.h.Encode(password, salt)
}

func (c *countingHasher) Verify(password, encoded string) bool {
	c.n.Add(1)
	return c.h.Verify(password, encoded)
}

func (c *countingHasher) MustUpdate(encoded string) bool { return c.h.MustUpdate(encoded) }

func (c *countingHasher) Salt() string { return saltFor(c.h) }

func (c *countingHasher) HardenRuntime(password, encoded string) {
	if hr, ok := c.h.(RuntimeHardener); ok {
		hr.HardenRuntime(password, encoded)
	}
}

func (c *countingHasher) check(password, encoded string) (ok, wellFormed bool) {
	if ch, isChecker := c.h.(checker); isChecker {
		ok, wellFormed = ch.check(password, encoded)
		if wellFormed {
			c.n.Add(1)
		}
		return ok, wellFormed
	}
	c.n.Add(1)
	return c.h.Verify(password, encoded), true
}

package hashers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"
	//lint:ignore SA1019 bcrypt is Blowfish's key schedule; Django's bcrypt hashes need it.
	"golang.org/x/crypto/blowfish"
)

// BCryptSHA256PasswordHasher and BCryptPasswordHasher.
//
// golang.org/x/crypto/bcrypt checks every stored hash here (CompareHashAndPassword keeps the
// stored "$2b$" or "$2y$" and compares in constant time) and runs the hardening. It cannot
// make Django's strings, though: GenerateFromPassword draws its own salt and writes "$2a$",
// and no function takes a salt, while Django's encode(password, salt) — make_password with a
// salt — is one fixed string. So Encode keeps the smallest core that takes a salt (bcryptRaw:
// Blowfish's expensive key schedule and 64 encryptions of "OrpheanBeholderScryDoubt"), and the
// tests check it against x/crypto both ways.

// DefaultBCryptCost is Django's BCryptSHA256PasswordHasher.rounds.
const DefaultBCryptCost = 12

// maxBCryptCost: a stored hash asking for more is treated as malformed (unless the hasher's
// own cost is higher). 2^18 is 64 times Django's 2^12.
const maxBCryptCost = 18

var (
	errBCryptSalt     = errors.New("hashers: invalid bcrypt salt")
	errBCryptPassword = errors.New("hashers: bcrypt: password longer than 72 bytes or containing NUL")
)

type bcryptHasher struct {
	algorithm string
	prehash   bool // bcrypt_sha256: bcrypt the hex SHA-256 of the password
	cost      int
	maxCost   int
	meter
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
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		panic(fmt.Sprintf("hashers: %s: cost must be between 4 and 31, got %d", alg, cost))
	}
	return &bcryptHasher{algorithm: alg, prehash: prehash, cost: cost, maxCost: max(maxBCryptCost, cost)}
}

func (h *bcryptHasher) Algorithm() string { return h.algorithm }

const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

var bcryptEncoding = base64.NewEncoding(bcryptAlphabet).WithPadding(base64.NoPadding)

// bcryptLen is the length of "$2b$12$", a 22-character salt and a 31-character hash.
const bcryptLen = 60

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

// parseSalt reads the first 29 characters of s, "$2b$12$" and 22 characters, as the bcrypt C
// library does (the low 4 bits of the 22nd character are ignored).
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
	if b.cost < bcrypt.MinCost || b.cost > h.maxCost {
		return b, false
	}
	if !inBCryptAlphabet(s[7:29]) {
		return b, false
	}
	salt, err := bcryptEncoding.DecodeString(s[7:29])
	if err != nil || len(salt) != 16 {
		return b, false
	}
	b.salt = salt
	return b, true
}

func inBCryptAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(bcryptAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
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

// standIn is what plain bcrypt hashes instead of a password it refuses, so that refusing it
// costs the same time as checking it.
func standIn(password string) []byte {
	return []byte(strings.ReplaceAll(password[:min(len(password), 72)], "\x00", "x"))
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
	h.spend(1 << s.cost)
	sum := bcryptRaw(key, s.cost, s.salt)
	return fmt.Sprintf("%s$$2%c$%02d$%s%s", h.algorithm, s.minor, s.cost,
		bcryptEncoding.EncodeToString(s.salt), bcryptEncoding.EncodeToString(sum)), nil
}

var bcryptMagic = []byte("OrpheanBeholderScryDoubt")

// bcryptRaw is the bcrypt core that takes a salt (see the top of this file): the 23 bytes of
// the hash of key (with its C NUL terminator) under salt at 2^cost rounds.
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

// decode splits <algorithm>$<bcrypt string> and checks the bcrypt string as Django's
// verification would find it: exactly 60 characters of bcrypt's alphabet, a cost within the
// limits and a canonical salt (bcrypt re-encodes the salt it read, so a salt with stray low
// bits never compares equal). It returns the salt and the bcrypt string.
func (h *bcryptHasher) decode(encoded string) (bcryptSalt, string, bool) {
	rest, ok := strings.CutPrefix(encoded, h.algorithm+"$")
	if !ok || len(rest) != bcryptLen || !inBCryptAlphabet(rest[29:]) {
		return bcryptSalt{}, "", false
	}
	s, ok := h.parseSalt(rest)
	if !ok || bcryptEncoding.EncodeToString(s.salt) != rest[7:29] {
		return bcryptSalt{}, "", false
	}
	return s, rest, true
}

// compare is x/crypto's check of key against the bcrypt string stored (of cost s.cost).
func (h *bcryptHasher) compare(s bcryptSalt, stored string, key []byte) bool {
	h.spend(1 << s.cost)
	return bcrypt.CompareHashAndPassword([]byte(stored), key) == nil
}

func (h *bcryptHasher) check(password, encoded string) (ok, wellFormed bool) {
	if len(password) > MaxPasswordLength {
		return false, false
	}
	s, stored, ok := h.decode(encoded)
	if !ok {
		return false, false
	}
	key, usable := h.key(password)
	if !usable {
		// Plain bcrypt and a password it refuses: spend the same time anyway (the stored
		// hash exists, and its user must not be told apart from others by timing).
		_ = h.compare(s, stored, standIn(password))
		return false, true
	}
	return h.compare(s, stored, key), true
}

func (h *bcryptHasher) Verify(password, encoded string) bool {
	ok, _ := h.check(password, encoded)
	return ok
}

// MustUpdate: the cost differs from this hasher's (Django's must_update compares the rounds).
func (h *bcryptHasher) MustUpdate(encoded string) bool {
	s, _, ok := h.decode(encoded)
	return !ok || s.cost != h.cost
}

// HardenRuntime runs the hash 2^(cost - stored cost) - 1 more times at the stored cost.
func (h *bcryptHasher) HardenRuntime(password, encoded string) {
	s, stored, ok := h.decode(encoded)
	if !ok || s.cost >= h.cost || len(password) > MaxPasswordLength {
		return
	}
	key, usable := h.key(password)
	if !usable {
		key = standIn(password)
	}
	for diff := (1 << (h.cost - s.cost)) - 1; diff > 0; diff-- {
		_ = h.compare(s, stored, key)
	}
}

package hashers

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
	"unicode/utf8"
)

// Legacy digests: MD5PasswordHasher, SHA1PasswordHasher, UnsaltedMD5PasswordHasher,
// UnsaltedSHA1PasswordHasher. Insecure; here to verify (and upgrade) old hashes.

var errSaltNotEmpty = errors.New("hashers: salt must be empty")

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

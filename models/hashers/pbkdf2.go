package hashers

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PBKDF2PasswordHasher and PBKDF2SHA1PasswordHasher.

// DefaultPBKDF2Iterations is the iteration count of new PBKDF2 hashes in the newest Django
// release, 6.1. DjangoPBKDF2Iterations gives the other releases' counts; Config.PBKDF2Iterations
// sets it.
const DefaultPBKDF2Iterations = 1_500_000

// maxPBKDF2Iterations: a stored hash asking for more is treated as malformed (unless the
// hasher's own count is higher).
const maxPBKDF2Iterations = 100_000_000

type pbkdf2Hasher struct {
	algorithm     string
	newHash       func() hash.Hash
	iterations    int
	maxIterations int
	meter
}

// PBKDF2SHA256 is Django's PBKDF2PasswordHasher ("pbkdf2_sha256") with the given iteration
// count for new hashes (DefaultPBKDF2Iterations in Django 6.1; DjangoPBKDF2Iterations for
// the others). Any stored count from 1 to 100,000,000 (or iterations, if higher) verifies. It
// panics if iterations < 1.
func PBKDF2SHA256(iterations int) Hasher { return newPBKDF2("pbkdf2_sha256", sha256.New, iterations) }

// PBKDF2SHA1 is Django's PBKDF2SHA1PasswordHasher ("pbkdf2_sha1").
func PBKDF2SHA1(iterations int) Hasher { return newPBKDF2("pbkdf2_sha1", sha1.New, iterations) }

func newPBKDF2(alg string, h func() hash.Hash, iterations int) *pbkdf2Hasher {
	if iterations < 1 {
		panic(fmt.Sprintf("hashers: %s: iterations must be at least 1, got %d", alg, iterations))
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
	h.spend(int64(iterations))
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

package hashers

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// ScryptPasswordHasher (Django 4.0+).

// Django's defaults (ScryptPasswordHasher.work_factor, block_size, parallelism).
const (
	DefaultScryptN = 1 << 14
	DefaultScryptR = 8
	DefaultScryptP = 1
)

// The most a stored hash may ask for before it is treated as malformed (each raised to the
// hasher's own parameters when those are higher).
const (
	maxScryptMemory = 32 << 20                                              // OpenSSL's limit for hashlib.scrypt(maxmem=0), Django's setting
	maxScryptWork   = 64 * DefaultScryptN * DefaultScryptR * DefaultScryptP // N × r × p
)

type scryptHasher struct {
	n, r, p   int
	maxMemory int64
	maxWork   int64
	meter
}

// Scrypt is Django's ScryptPasswordHasher ("scrypt", Django 4.0+): scrypt with work factor N,
// block size r and parallelism p (Django: 2**14, 8, 1) and a 64-byte key. Like Django, which
// calls hashlib.scrypt with maxmem=0, it refuses parameters needing more than OpenSSL's 32 MiB
// (128·r·(N+p+2) bytes), unless its own parameters need more. It panics on parameters scrypt
// refuses.
func Scrypt(n, r, p int) Hasher {
	mem, ok := scryptMemory(n, r, p)
	if !ok || int64(p) > math.MaxInt64/(int64(n)*int64(r)) {
		panic(fmt.Sprintf("hashers: scrypt: invalid parameters N=%d r=%d p=%d", n, r, p))
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
	h.spend(int64(n) * int64(r) * int64(p))
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

// HardenRuntime spends the work (N × r × p) that the stored hash is short of this hasher's: one
// scrypt at this hasher's r and p with the smallest power-of-two N that brings the total to at
// least this hasher's N × r × p (at most its N, so at most its memory). Django's
// ScryptPasswordHasher does nothing here.
func (h *scryptHasher) HardenRuntime(password, encoded string) {
	n, r, p, salt, ok := h.decode(encoded)
	if !ok || len(password) > MaxPasswordLength {
		return
	}
	have, want := int64(n)*int64(r)*int64(p), int64(h.n)*int64(h.r)*int64(h.p)
	if have >= want {
		return
	}
	perN := int64(h.r) * int64(h.p)
	extraN := 2 // scrypt's smallest N
	for int64(extraN)*perN < want-have {
		extraN *= 2
	}
	_, _ = h.encode(password, salt, extraN, h.r, h.p)
}

package hashers

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2PasswordHasher.

// Django's defaults (Argon2PasswordHasher.time_cost, memory_cost in KiB, parallelism).
const (
	DefaultArgon2TimeCost    = 2
	DefaultArgon2MemoryCost  = 102400
	DefaultArgon2Parallelism = 8
)

// The most work a stored hash may ask for before it is treated as malformed (each raised to
// the hasher's own parameters when those are higher).
const (
	maxArgon2MemoryKiB = 512 * 1024                                           // 512 MiB
	maxArgon2Work      = 64 * DefaultArgon2TimeCost * DefaultArgon2MemoryCost // t × m
	maxArgon2HashLen   = 1024
)

var errArgon2Salt = errors.New("hashers: argon2 salt must be at least 8 bytes")

type argon2Hasher struct {
	time, memory uint32
	threads      uint8
	maxMemory    uint32
	maxWork      uint64
	meter
}

// argon2HashLen is argon2-cffi's DEFAULT_HASH_LENGTH, which Django uses.
const argon2HashLen = 32

// Argon2 is Django's Argon2PasswordHasher ("argon2"), argon2id version 19 with the given time
// cost, memory cost (KiB) and parallelism (Django: 2, 102400, 8). Stored argon2id and argon2i
// hashes of version 19 verify. It panics on parameters argon2 refuses (time or parallelism 0,
// memory below 8 × parallelism).
func Argon2(timeCost, memoryCost uint32, parallelism uint8) Hasher {
	if timeCost < 1 || parallelism < 1 || memoryCost < 8*uint32(parallelism) {
		panic(fmt.Sprintf("hashers: argon2: invalid parameters t=%d m=%d p=%d", timeCost, memoryCost, parallelism))
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
	h.spend(int64(p.time) * int64(p.memory))
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

// HardenRuntime spends the work (passes × memory) that the stored hash is short of this
// hasher's: passes at this hasher's memory and parallelism, as many as bring the total to at
// least this hasher's time × memory (at most its time cost). Django's Argon2PasswordHasher
// does nothing here ("too complicated").
func (h *argon2Hasher) HardenRuntime(password, encoded string) {
	p, ok := h.decode(encoded)
	if !ok || len(password) > MaxPasswordLength {
		return
	}
	have, want := uint64(p.time)*uint64(p.memory), uint64(h.time)*uint64(h.memory)
	if have >= want {
		return
	}
	passes := (want - have + uint64(h.memory) - 1) / uint64(h.memory)
	_ = h.encode(password, argon2Params{variant: "argon2id", memory: h.memory, time: uint32(passes),
		threads: h.threads, salt: p.salt, hashLen: argon2HashLen})
}

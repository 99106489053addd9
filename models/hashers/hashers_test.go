package hashers

import (
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// cheapHashers verify every format; the preferred one is cheap so fake runs cost little.
func cheapHashers() *List {
	return New(PBKDF2SHA256(1000), PBKDF2SHA1(1000), Argon2(1, 64, 2), BCryptSHA256(4),
		Scrypt(1024, 8, 1), MD5(), UnsaltedMD5(), SHA1(), UnsaltedSHA1(), BCrypt(4))
}

func short(s string) string {
	if len(s) > 24 {
		return fmt.Sprintf("%.24q…(%d bytes)", s, len(s))
	}
	return fmt.Sprintf("%q", s)
}

// ---------------------------------------------------------------------------------------------
// Enumeration resistance

// TestCheckPasswordRuns: whatever the stored hash and password, CheckPassword runs each hasher
// at most once: the preferred one for anything that is not a well-formed hash of a configured
// hasher (Django #20760, CVE-2024-39329), the stored hash's hasher for one that is, and, for a
// wrong password against another algorithm's hash, both (see TestWrongPasswordWork).
func TestCheckPasswordRuns(t *testing.T) {
	pbkdf2H, nPBKDF2 := counting(PBKDF2SHA256(1000))
	argonH, nArgon := counting(Argon2(1, 64, 2))
	bcryptH, nBcrypt := counting(BCrypt(4))
	md5H, nMD5 := counting(MD5())
	hs := New(pbkdf2H, argonH, bcryptH, md5H)
	counters := map[string]*atomic.Int64{"pbkdf2_sha256": nPBKDF2, "argon2": nArgon, "bcrypt": nBcrypt, "md5": nMD5}

	const pw = "correct horse"
	good, _ := hs.MakePassword(pw)
	argonHash, _ := argonH.Encode(pw, "Dj4ngoS4ltTw3ntyTw0Chr")
	bcryptHash, _ := bcryptH.Encode(pw, bcryptH.(Salter).Salt())
	md5Hash, _ := md5H.Encode(pw, "Dj4ngoS4ltTw3ntyTw0Chr")
	tooLong := strings.Repeat("p", MaxPasswordLength+1)

	const pref = "pbkdf2_sha256"
	tests := []struct {
		name, password, encoded string
		ok                      bool
		err                     error
		ran                     []string // the hashers that must have run, once each
	}{
		{"empty hash", pw, "", false, nil, []string{pref}},
		{"unusable", pw, "!unusable", false, nil, []string{pref}},
		{"unusable made", pw, MakeUnusablePassword(), false, nil, []string{pref}},
		{"garbage", pw, "garbage", false, nil, []string{pref}},
		{"unknown prefix", pw, "unknown$x$y", false, nil, []string{pref}},
		{"hasher not installed", pw, "scrypt$16384$salt$8$1$AAAA", false, nil, []string{pref}},
		{"malformed pbkdf2", pw, "pbkdf2_sha256$garbage", false, nil, []string{pref}},
		{"pbkdf2 iterations over the cap", pw, "pbkdf2_sha256$999999999999$salt$AAAA", false, nil, []string{pref}},
		{"pbkdf2 zero iterations", pw, "pbkdf2_sha256$0$salt$AAAA", false, nil, []string{pref}},
		{"argon2 absurd memory", pw, "argon2$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA", false, nil, []string{pref}},
		{"argon2 version 16", pw, "argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAA", false, nil, []string{pref}},
		{"bcrypt cost 31", pw, "bcrypt$$2b$31$" + strings.Repeat("a", 53), false, nil, []string{pref}},
		{"password too long", tooLong, good, false, ErrPasswordTooLong, []string{pref}},
		{"too long, unusable", tooLong, "!x", false, ErrPasswordTooLong, []string{pref}},
		{"wrong password", "wrong", good, false, nil, []string{pref}},
		{"empty password", "", good, false, nil, []string{pref}},
		{"right password", pw, good, true, nil, []string{pref}},
		{"argon2 right", pw, argonHash, true, nil, []string{"argon2"}},
		{"argon2 wrong", "wrong", argonHash, false, nil, []string{"argon2", pref}},
		{"bcrypt right", pw, bcryptHash, true, nil, []string{"bcrypt"}},
		{"bcrypt wrong", "wrong", bcryptHash, false, nil, []string{"bcrypt", pref}},
		{"bcrypt 73 bytes", strings.Repeat("b", 73), bcryptHash, false, nil, []string{"bcrypt", pref}},
		{"bcrypt NUL", "a\x00b", bcryptHash, false, nil, []string{"bcrypt", pref}},
		{"md5 right", pw, md5Hash, true, nil, []string{"md5"}},
		{"md5 wrong", "wrong", md5Hash, false, nil, []string{"md5", pref}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range counters {
				n.Store(0)
			}
			ok, _, err := hs.CheckPassword(tt.password, tt.encoded)
			if ok != tt.ok || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Errorf("CheckPassword = %v, %v; want %v, %v", ok, err, tt.ok, tt.err)
			}
			for alg, n := range counters {
				want := int64(0)
				if slices.Contains(tt.ran, alg) {
					want = 1
				}
				if got := n.Load(); got != want {
					t.Errorf("%s ran %d times, want %d", alg, got, want)
				}
			}
		})
	}
}

// metered turns on h's work meter (see meter) and returns it.
func metered(t testing.TB, h Hasher) *atomic.Int64 {
	t.Helper()
	n := new(atomic.Int64)
	switch x := h.(type) {
	case *pbkdf2Hasher:
		x.work = n
	case *bcryptHasher:
		x.work = n
	case *argon2Hasher:
		x.work = n
	case *scryptHasher:
		x.work = n
	default:
		t.Fatalf("%T has no work meter", h)
	}
	return n
}

// TestWrongPasswordWork proves, by counting work rather than timing it, that a wrong password
// costs at least what it costs against a current hash, whatever the stored hash: the preferred
// hasher's full work (PBKDF2 iterations) for a legacy digest, an unknown user or an unconfigured
// hasher; the missing iterations, rounds, passes or N for a weaker hash of the same family; and
// for another algorithm, that family's configured work plus one preferred run. A right password
// is never hardened (Django's rule): the login succeeds and the store re-hashes.
func TestWrongPasswordWork(t *testing.T) {
	const pw, salt = "lètmein", "Dj4ngoS4ltTw3ntyTw0Chr"
	// The configured hashers, each with its meter; the preferred one also counted.
	pbkdf2 := PBKDF2SHA256(2000)
	pbkdf2Work := metered(t, pbkdf2)
	preferred, preferredRuns := counting(pbkdf2)
	sha1 := PBKDF2SHA1(2000)
	sha1Work := metered(t, sha1)
	argon := Argon2(2, 64, 2)
	argonWork := metered(t, argon)
	bsha := BCryptSHA256(6)
	bshaWork := metered(t, bsha)
	bplain := BCrypt(6)
	bplainWork := metered(t, bplain)
	scr := Scrypt(1024, 8, 1)
	scryptWork := metered(t, scr)
	list := New(preferred, sha1, argon, bsha, scr, MD5(), UnsaltedMD5(), SHA1(), UnsaltedSHA1(), bplain)
	work := map[string]*atomic.Int64{"pbkdf2_sha256": pbkdf2Work, "pbkdf2_sha1": sha1Work, "argon2": argonWork,
		"bcrypt_sha256": bshaWork, "bcrypt": bplainWork, "scrypt": scryptWork}
	// What one run at the configured parameters costs, per family.
	full := map[string]int64{"pbkdf2_sha256": 2000, "pbkdf2_sha1": 2000, "argon2": 2 * 64,
		"bcrypt_sha256": 1 << 6, "bcrypt": 1 << 6, "scrypt": 1024 * 8}

	enc := func(h Hasher, salt string) string {
		t.Helper()
		e, err := h.Encode(pw, salt)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	const bsalt = "$2b$04$Ro0CUfOqk6cXEKf3dyaM7O"
	tests := []struct {
		name, password, encoded string
		want                    map[string]int64 // work per family; the others must stay at 0
		preferredRuns           int64
	}{
		{"current hash", "wrong", enc(PBKDF2SHA256(2000), salt), map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"unknown user", "wrong", "", map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"unconfigured hasher", "wrong", "unknown$x$y", map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"fewer iterations", "wrong", enc(PBKDF2SHA256(500), salt), map[string]int64{"pbkdf2_sha256": 500 + 1500}, 1},
		{"fewer iterations, right password", pw, enc(PBKDF2SHA256(500), salt), map[string]int64{"pbkdf2_sha256": 500}, 1},
		{"more iterations", "wrong", enc(PBKDF2SHA256(3000), salt), map[string]int64{"pbkdf2_sha256": 3000}, 1},
		{"salted md5", "wrong", enc(MD5(), salt), map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"unsalted md5", "wrong", enc(UnsaltedMD5(), ""), map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"md5$$", "wrong", "md5$$" + enc(UnsaltedMD5(), ""), map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"salted sha1", "wrong", enc(SHA1(), salt), map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"unsalted sha1", "wrong", enc(UnsaltedSHA1(), ""), map[string]int64{"pbkdf2_sha256": 2000}, 1},
		{"legacy md5, right password", pw, enc(MD5(), salt), map[string]int64{}, 0},
		{"pbkdf2_sha1, fewer iterations", "wrong", enc(PBKDF2SHA1(500), salt),
			map[string]int64{"pbkdf2_sha1": 500 + 1500, "pbkdf2_sha256": 2000}, 1},
		{"pbkdf2_sha1, configured iterations", "wrong", enc(PBKDF2SHA1(2000), salt),
			map[string]int64{"pbkdf2_sha1": 2000, "pbkdf2_sha256": 2000}, 1},
		{"bcrypt_sha256, lower cost", "wrong", enc(BCryptSHA256(4), bsalt),
			map[string]int64{"bcrypt_sha256": 1<<4 + 3<<4, "pbkdf2_sha256": 2000}, 1},
		{"bcrypt_sha256, configured cost", "wrong", enc(BCryptSHA256(6), "$2b$06$Ro0CUfOqk6cXEKf3dyaM7O"),
			map[string]int64{"bcrypt_sha256": 1 << 6, "pbkdf2_sha256": 2000}, 1},
		{"plain bcrypt, lower cost", "wrong", enc(BCrypt(4), bsalt),
			map[string]int64{"bcrypt": 1 << 6, "pbkdf2_sha256": 2000}, 1},
		{"plain bcrypt, 73-byte password", strings.Repeat("x", 73), enc(BCrypt(4), bsalt),
			map[string]int64{"bcrypt": 1 << 6, "pbkdf2_sha256": 2000}, 1},
		{"argon2, one pass", "wrong", enc(Argon2(1, 64, 2), salt),
			map[string]int64{"argon2": 64 + 64, "pbkdf2_sha256": 2000}, 1},
		{"argon2, less memory", "wrong", enc(Argon2(1, 16, 2), salt),
			map[string]int64{"argon2": 16 + 2*64, "pbkdf2_sha256": 2000}, 1},
		{"argon2, configured", "wrong", enc(Argon2(2, 64, 2), salt),
			map[string]int64{"argon2": 2 * 64, "pbkdf2_sha256": 2000}, 1},
		{"scrypt, smaller N", "wrong", enc(Scrypt(256, 8, 1), salt),
			map[string]int64{"scrypt": 256*8 + 1024*8, "pbkdf2_sha256": 2000}, 1},
		{"scrypt, smaller r", "wrong", enc(Scrypt(1024, 2, 1), salt),
			map[string]int64{"scrypt": 1024*2 + 1024*8, "pbkdf2_sha256": 2000}, 1},
		{"scrypt, configured", "wrong", enc(Scrypt(1024, 8, 1), salt),
			map[string]int64{"scrypt": 1024 * 8, "pbkdf2_sha256": 2000}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range work {
				w.Store(0)
			}
			preferredRuns.Store(0)
			ok, _, err := list.CheckPassword(tt.password, tt.encoded)
			if ok != (tt.password == pw) || err != nil {
				t.Fatalf("CheckPassword = %v, %v", ok, err)
			}
			for alg, w := range work {
				if got := w.Load(); got != tt.want[alg] {
					t.Errorf("%s work = %d, want %d", alg, got, tt.want[alg])
				}
				if !ok && tt.want[alg] > 0 && w.Load() < full[alg] {
					t.Errorf("%s work = %d, below one configured run (%d)", alg, w.Load(), full[alg])
				}
			}
			if !ok && pbkdf2Work.Load() < full["pbkdf2_sha256"] {
				t.Errorf("a wrong password cost %d PBKDF2 iterations, below the preferred hasher's %d", pbkdf2Work.Load(), full["pbkdf2_sha256"])
			}
			if got := preferredRuns.Load(); got != tt.preferredRuns {
				t.Errorf("the preferred hasher ran %d times, want %d", got, tt.preferredRuns)
			}
		})
	}

	// The same-algorithm hardening of argon2 and scrypt as preferred hashers (Django does
	// nothing for them): a wrong password against a weaker hash reaches the configured work
	// with no second full run.
	for _, tt := range []struct {
		preferred Hasher
		weak      string
		want      int64
	}{
		{Argon2(3, 64, 1), enc(Argon2(1, 64, 1), salt), 64 + 2*64},
		{Argon2(2, 128, 1), enc(Argon2(1, 64, 1), salt), 64 + 2*128}, // one pass of 128 KiB would leave it short
		{Scrypt(2048, 8, 1), enc(Scrypt(1024, 8, 1), salt), 1024*8 + 1024*8},
		{Scrypt(2048, 8, 1), enc(Scrypt(16, 8, 1), salt), 16*8 + 2048*8},
		{BCryptSHA256(7), enc(BCryptSHA256(5), bsalt), 1 << 7},
	} {
		w := metered(t, tt.preferred)
		l := New(tt.preferred)
		if ok, _, _ := l.CheckPassword("wrong", tt.weak); ok || w.Load() != tt.want {
			t.Errorf("%s preferred, stored %s: ok %v, work %d; want %d", tt.preferred.Algorithm(), tt.weak, ok, w.Load(), tt.want)
		}
	}
	PBKDF2SHA256(10).(RuntimeHardener).HardenRuntime("x", "malformed") // no panic, no work
}

// ---------------------------------------------------------------------------------------------
// must_update

func TestMustUpdate(t *testing.T) {
	const strong = "Dj4ngoS4ltTw3ntyTw0Chr" // 22 characters: 131 bits
	const weak21 = "Dj4ngoS4ltTw3ntyTw0Ch"  // 21 characters: 125 bits
	enc := func(h Hasher, salt string) string {
		t.Helper()
		if salt == "" {
			salt = saltFor(h)
		}
		e, err := h.Encode("pw", salt)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	p1000 := PBKDF2SHA256(1000)
	a := Argon2(1, 64, 2)
	b := BCryptSHA256(4)
	s := Scrypt(1024, 8, 1)
	tests := []struct {
		name    string
		h       Hasher
		encoded string
		want    bool
	}{
		{"pbkdf2 same", p1000, enc(p1000, strong), false},
		{"pbkdf2 fewer iterations", p1000, enc(PBKDF2SHA256(999), strong), true},
		{"pbkdf2 more iterations (Django rehashes downward too)", p1000, enc(PBKDF2SHA256(1001), strong), true},
		{"pbkdf2 21-char salt", p1000, enc(p1000, weak21), true},
		{"pbkdf2 12-char salt (Django < 3.2)", p1000, enc(p1000, "abcdefghijkl"), true},
		{"pbkdf2 22 multi-byte characters", p1000, enc(p1000, strings.Repeat("é", 22)), false},
		{"pbkdf2 malformed", p1000, "pbkdf2_sha256$x", true},
		{"pbkdf2_sha1 same", PBKDF2SHA1(1000), enc(PBKDF2SHA1(1000), strong), false},
		{"argon2 same", a, enc(a, strong), false},
		{"argon2 time", a, enc(Argon2(2, 64, 2), strong), true},
		{"argon2 memory", a, enc(Argon2(1, 128, 2), strong), true},
		{"argon2 parallelism", a, enc(Argon2(1, 64, 1), strong), true},
		{"argon2 weak salt", a, enc(a, weak21), true},
		{"argon2i", a, "argon2$argon2i$v=19$m=64,t=1,p=2$" + base64.RawStdEncoding.EncodeToString([]byte(strong)) + "$" + base64.RawStdEncoding.EncodeToString(make([]byte, 32)), true},
		{"argon2 16-byte tag", a, "argon2$argon2id$v=19$m=64,t=1,p=2$" + base64.RawStdEncoding.EncodeToString([]byte(strong)) + "$" + base64.RawStdEncoding.EncodeToString(make([]byte, 16)), true},
		{"argon2 malformed", a, "argon2$argon2id$v=19$m=64", true},
		{"bcrypt same", b, enc(b, ""), false},
		{"bcrypt cost differs", b, enc(BCryptSHA256(5), ""), true},
		{"bcrypt malformed", b, "bcrypt_sha256$$2b$04$", true},
		{"plain bcrypt same", BCrypt(4), enc(BCrypt(4), ""), false},
		{"scrypt same", s, enc(s, strong), false},
		{"scrypt weak salt is not checked (Django)", s, enc(s, "seasalt"), false},
		{"scrypt N", s, enc(Scrypt(2048, 8, 1), strong), true},
		{"scrypt r", s, enc(Scrypt(1024, 4, 1), strong), true},
		{"scrypt p", s, enc(Scrypt(1024, 8, 2), strong), true},
		{"scrypt malformed", s, "scrypt$1024$salt$8$1", true},
		{"md5 strong salt", MD5(), enc(MD5(), strong), false},
		{"md5 weak salt", MD5(), enc(MD5(), "seasalt"), true},
		{"sha1 weak salt", SHA1(), enc(SHA1(), "seasalt"), true},
		{"unsalted md5", UnsaltedMD5(), enc(UnsaltedMD5(), ""), false},
	}
	for _, tt := range tests {
		if got := tt.h.MustUpdate(tt.encoded); got != tt.want {
			t.Errorf("%s: MustUpdate(%s) = %v, want %v", tt.name, tt.encoded, got, tt.want)
		}
	}

	// CheckPassword's mustUpdate: only on success; another algorithm always.
	hs := New(p1000, PBKDF2SHA1(1000), MD5())
	for _, tt := range []struct {
		name, password, encoded string
		ok, must                bool
	}{
		{"same hasher, same params", "pw", enc(p1000, strong), true, false},
		{"same hasher, weak salt", "pw", enc(p1000, "seasalt"), true, true},
		{"other algorithm", "pw", enc(PBKDF2SHA1(1000), strong), true, true},
		{"legacy md5", "pw", enc(MD5(), strong), true, true},
		{"wrong password, other algorithm", "nope", enc(MD5(), strong), false, false},
		{"wrong password, weak params", "nope", enc(PBKDF2SHA256(10), strong), false, false},
	} {
		ok, must, err := hs.CheckPassword(tt.password, tt.encoded)
		if ok != tt.ok || must != tt.must || err != nil {
			t.Errorf("%s: CheckPassword = %v, %v, %v; want %v, %v", tt.name, ok, must, err, tt.ok, tt.must)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// API

func TestMakePassword(t *testing.T) {
	hs := New(PBKDF2SHA256(1000))
	saltRE := regexp.MustCompile(`^pbkdf2_sha256\$1000\$([a-zA-Z0-9]{22})\$[A-Za-z0-9+/]{43}=$`)
	seen := map[string]bool{}
	for range 20 {
		e, err := hs.MakePassword("lètmein")
		if err != nil {
			t.Fatal(err)
		}
		m := saltRE.FindStringSubmatch(e)
		if m == nil {
			t.Fatalf("MakePassword = %q", e)
		}
		if seen[m[1]] {
			t.Fatalf("salt %q repeated", m[1])
		}
		seen[m[1]] = true
		if ok, must, err := hs.CheckPassword("lètmein", e); !ok || must || err != nil {
			t.Errorf("CheckPassword(own hash) = %v, %v, %v", ok, must, err)
		}
	}
	if _, err := hs.MakePassword(strings.Repeat("x", MaxPasswordLength+1)); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("MakePassword(4097 bytes) error = %v", err)
	}
	e, err := hs.MakePassword(strings.Repeat("x", MaxPasswordLength))
	if err != nil {
		t.Fatalf("MakePassword(4096 bytes): %v", err)
	}
	if ok, _, _ := hs.CheckPassword(strings.Repeat("x", MaxPasswordLength), e); !ok {
		t.Error("4096-byte password does not verify")
	}

	// Each hasher's own kind of salt.
	for _, h := range []Hasher{BCryptSHA256(4), BCrypt(4), UnsaltedMD5(), UnsaltedSHA1(), Argon2(1, 64, 2), Scrypt(1024, 8, 1), MD5(), SHA1()} {
		e, err := New(h).MakePassword("pw")
		if err != nil || !h.Verify("pw", e) {
			t.Errorf("%s: MakePassword = %q, %v", h.Algorithm(), e, err)
		}
		if h.MustUpdate(e) {
			t.Errorf("%s: fresh hash must be updated: %s", h.Algorithm(), e)
		}
	}
	if s := BCrypt(12).(Salter).Salt(); !regexp.MustCompile(`^\$2b\$12\$[./A-Za-z0-9]{21}[.Oeu]$`).MatchString(s) {
		t.Errorf("bcrypt salt %q", s)
	}
}

func TestUnusablePasswords(t *testing.T) {
	u := MakeUnusablePassword()
	if !regexp.MustCompile(`^![a-zA-Z0-9]{40}$`).MatchString(u) {
		t.Errorf("MakeUnusablePassword() = %q", u)
	}
	if u == MakeUnusablePassword() {
		t.Error("unusable passwords repeat")
	}
	for _, tt := range []struct {
		encoded string
		usable  bool
	}{
		{"", false}, {"!", false}, {u, false}, {"!pbkdf2_sha256$1$a$b", false},
		{"pbkdf2_sha256$1$a$b", true}, {"garbage", true}, {" !", true},
	} {
		if got := IsPasswordUsable(tt.encoded); got != tt.usable {
			t.Errorf("IsPasswordUsable(%q) = %v", tt.encoded, got)
		}
	}
	hs := cheapHashers()
	for _, pw := range []string{"", "!", u, u[1:]} {
		if ok, _, _ := hs.CheckPassword(pw, u); ok {
			t.Errorf("CheckPassword(%q, unusable) = true", pw)
		}
	}
}

func TestDefaultList(t *testing.T) {
	d := Default()
	var algs []string
	for _, h := range d.list {
		algs = append(algs, h.Algorithm())
	}
	want := "pbkdf2_sha256 pbkdf2_sha1 argon2 bcrypt_sha256 scrypt" // Django's default PASSWORD_HASHERS
	if got := strings.Join(algs, " "); got != want {
		t.Errorf("Default() = %s", got)
	}
	withLegacy := d.With(MD5(), UnsaltedMD5(), PBKDF2SHA1(5), BCrypt(12))
	algs = algs[:0]
	for _, h := range withLegacy.list {
		algs = append(algs, h.Algorithm())
	}
	if got := strings.Join(algs, " "); got != want+" md5 unsalted_md5 bcrypt" || withLegacy.Preferred() != d.Preferred() ||
		withLegacy.byAlg["pbkdf2_sha1"] != d.byAlg["pbkdf2_sha1"] || len(d.list) != 5 {
		t.Errorf("Default().With(…) = %s; Default() now has %d", got, len(d.list))
	}
	if p := d.Preferred().(*pbkdf2Hasher); p.iterations != DefaultPBKDF2Iterations || p.algorithm != "pbkdf2_sha256" {
		t.Errorf("preferred = %+v", p)
	}
	if a := d.byAlg["argon2"].(*argon2Hasher); a.time != 2 || a.memory != 102400 || a.threads != 8 {
		t.Errorf("argon2 = %+v", a)
	}
	if s := d.byAlg["scrypt"].(*scryptHasher); s.n != 16384 || s.r != 8 || s.p != 1 {
		t.Errorf("scrypt = %+v", s)
	}
	if b := d.byAlg["bcrypt_sha256"].(*bcryptHasher); b.cost != 12 || !b.prehash {
		t.Errorf("bcrypt_sha256 = %+v", b)
	}

	first, second := PBKDF2SHA256(1000), PBKDF2SHA256(2000)
	hs := New(first, MD5(), second)
	if len(hs.list) != 2 || hs.byAlg["pbkdf2_sha256"] != first || hs.Preferred() != first {
		t.Error("duplicate algorithm not dropped")
	}
	for _, tt := range []struct{ encoded, alg string }{
		{"88a434c88cca4e900f7874cd98123f43", "unsalted_md5"},
		{"md5$$88a434c88cca4e900f7874cd98123f43", "unsalted_md5"},
		{"md5$$88a434c88cca4e900f7874cd98123f4", "md5"},
		{"sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b", "unsalted_sha1"},
		{"sha1$salt$6d13", "sha1"},
		{strings.Repeat("é", 31) + "1", "unsalted_md5"}, // 32 characters (63 bytes), as Django counts
		{"", ""}, {"$", ""}, {"x", "x"}, {"bcrypt$$2b$12$...", "bcrypt"},
	} {
		if got := identifyAlgorithm(tt.encoded); got != tt.alg {
			t.Errorf("identifyAlgorithm(%q) = %q, want %q", tt.encoded, got, tt.alg)
		}
	}
	mustPanic(t, "nil hasher", func() { New(nil) })
	mustPanic(t, "nil other", func() { New(MD5(), nil) })
}

// TestLegacyHashersOnlyWhenConfigured: a hash of a hasher that is not in the list (the legacy
// ones, by default) never verifies, even with the right password, and its check costs exactly
// what an unknown user's does: one run of the preferred hasher, and nothing else. Configured
// with With, the same hashes verify and ask to be re-hashed.
func TestLegacyHashersOnlyWhenConfigured(t *testing.T) {
	const pw = "lètmein"
	legacy := []struct {
		h       Hasher
		encoded string
	}{
		{MD5(), "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3"},
		{UnsaltedMD5(), "88a434c88cca4e900f7874cd98123f43"},
		{UnsaltedMD5(), "md5$$88a434c88cca4e900f7874cd98123f43"},
		{SHA1(), "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8"},
		{UnsaltedSHA1(), "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b"},
		{BCrypt(4), "bcrypt$$2b$04$Ro0CUfOqk6cXEKf3dyaM7OwbyFdfKnImxgum4u7KTrLnuq4r.EG.6"}, // Python bcrypt
	}
	preferred, runs := counting(PBKDF2SHA256(1000))
	defaults := New(preferred, PBKDF2SHA1(1000), Argon2(1, 64, 2), BCryptSHA256(4), Scrypt(1024, 8, 1))
	runs.Store(0)
	_, _, _ = defaults.CheckPassword(pw, "") // an unknown user
	unknownUser := runs.Load()
	if unknownUser != 1 {
		t.Fatalf("an unknown user's check ran the preferred hasher %d times", unknownUser)
	}
	for _, tt := range legacy {
		if !tt.h.Verify(pw, tt.encoded) {
			t.Fatalf("%s does not verify its own vector %s", tt.h.Algorithm(), tt.encoded)
		}
		counted, legacyRuns := counting(tt.h)
		for _, pass := range []string{pw, "wrong"} {
			runs.Store(0)
			if ok, must, err := defaults.CheckPassword(pass, tt.encoded); ok || must || err != nil {
				t.Errorf("default list, %s, %q: CheckPassword = %v, %v, %v; want false", tt.h.Algorithm(), pass, ok, must, err)
			}
			if runs.Load() != unknownUser {
				t.Errorf("default list, %s, %q: the preferred hasher ran %d times, an unknown user's check %d",
					tt.h.Algorithm(), pass, runs.Load(), unknownUser)
			}
		}
		configured := defaults.With(counted)
		runs.Store(0)
		if ok, must, err := configured.CheckPassword(pw, tt.encoded); !ok || !must || err != nil {
			t.Errorf("With(%s): CheckPassword = %v, %v, %v; want true, true", tt.h.Algorithm(), ok, must, err)
		}
		if legacyRuns.Load() != 1 || runs.Load() != 0 {
			t.Errorf("With(%s): %s ran %d times, the preferred %d", tt.h.Algorithm(), tt.h.Algorithm(), legacyRuns.Load(), runs.Load())
		}
	}
}

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s: no panic", name)
		}
	}()
	f()
}

func TestConstructorsRefuseInvalidParameters(t *testing.T) {
	mustPanic(t, "pbkdf2 0", func() { PBKDF2SHA256(0) })
	mustPanic(t, "pbkdf2_sha1 -1", func() { PBKDF2SHA1(-1) })
	mustPanic(t, "argon2 t=0", func() { Argon2(0, 64, 1) })
	mustPanic(t, "argon2 p=0", func() { Argon2(1, 64, 0) })
	mustPanic(t, "argon2 m<8p", func() { Argon2(1, 63, 8) })
	mustPanic(t, "bcrypt 3", func() { BCrypt(3) })
	mustPanic(t, "bcrypt 32", func() { BCryptSHA256(32) })
	mustPanic(t, "scrypt N=3", func() { Scrypt(3, 8, 1) })
	mustPanic(t, "scrypt N=1", func() { Scrypt(1, 8, 1) })
	mustPanic(t, "scrypt r=0", func() { Scrypt(1024, 0, 1) })
	mustPanic(t, "scrypt N >= 2^(16r)", func() { Scrypt(1<<16, 1, 1) })
	mustPanic(t, "scrypt huge", func() { Scrypt(1<<40, 1<<20, 1<<20) })
	// A hasher configured above the default work limits still verifies its own hashes.
	if h := PBKDF2SHA256(maxPBKDF2Iterations + 1).(*pbkdf2Hasher); h.maxIterations != maxPBKDF2Iterations+1 {
		t.Error("pbkdf2 limit not raised to the hasher's own count")
	}
	if h := Scrypt(1<<15, 8, 1).(*scryptHasher); h.maxMemory < 128*8*(1<<15+3) {
		t.Error("scrypt limit not raised to the hasher's own memory")
	}
}

func TestEncodeArguments(t *testing.T) {
	for _, h := range []Hasher{PBKDF2SHA256(1), PBKDF2SHA1(1), Scrypt(16, 1, 1), MD5(), SHA1()} {
		for _, salt := range []string{"", "sea$salt", "$"} {
			if e, err := h.Encode("pw", salt); err == nil {
				t.Errorf("%s.Encode(salt %q) = %q", h.Algorithm(), salt, e)
			}
		}
		if _, err := h.Encode(strings.Repeat("x", MaxPasswordLength+1), "salt"); !errors.Is(err, ErrPasswordTooLong) {
			t.Errorf("%s: too long: %v", h.Algorithm(), err)
		}
	}
	for _, h := range []Hasher{UnsaltedMD5(), UnsaltedSHA1()} {
		if _, err := h.Encode("pw", "salt"); err == nil {
			t.Errorf("%s accepted a salt", h.Algorithm())
		}
	}
	if _, err := Argon2(1, 64, 1).Encode("pw", "1234567"); err == nil {
		t.Error("argon2 accepted a 7-byte salt")
	}
	if e, err := Argon2(1, 64, 1).Encode("pw", "a$b$c$d!"); err != nil || !Argon2(1, 64, 1).Verify("pw", e) {
		t.Errorf("argon2 with $ in the salt: %q, %v", e, err) // base64 makes any salt safe, as in Django
	}
}

// TestMalformedHashes: bad stored strings never verify, never panic, and never make
// CheckPassword return an error.
func TestMalformedHashes(t *testing.T) {
	hs := cheapHashers()
	p, _ := PBKDF2SHA256(1000).Encode("pw", "Dj4ngoS4ltTw3ntyTw0Chr")
	a, _ := Argon2(1, 64, 2).Encode("pw", "Dj4ngoS4ltTw3ntyTw0Chr")
	b, _ := BCryptSHA256(4).Encode("pw", "$2b$04$Ro0CUfOqk6cXEKf3dyaM7O")
	s, _ := Scrypt(1024, 8, 1).Encode("pw", "Dj4ngoS4ltTw3ntyTw0Chr")
	m, _ := MD5().Encode("pw", "Dj4ngoS4ltTw3ntyTw0Chr")
	bad := []string{
		"pbkdf2_sha256", "pbkdf2_sha256$", "pbkdf2_sha256$$$", "pbkdf2_sha256$1000$$x",
		"pbkdf2_sha256$-1000$salt$x", "pbkdf2_sha256$+1000" + p[len("pbkdf2_sha256$1000"):],
		"pbkdf2_sha256$01000" + p[len("pbkdf2_sha256$1000"):], "pbkdf2_sha256$1_000" + p[len("pbkdf2_sha256$1000"):],
		"pbkdf2_sha256$1e3" + p[len("pbkdf2_sha256$1000"):], "pbkdf2_sha256$18446744073709551617$s$h",
		strings.TrimSuffix(p, "="), p + "\n", p + "$", " " + p, strings.ToUpper(p[:1]) + p[1:],
		"argon2", "argon2$", "argon2$argon2id", "argon2$argon2d$v=19$m=64,t=1,p=2$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$m=64,t=0,p=2$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$m=7,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$m=64,t=1,p=256$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$m=64,t=4294967295,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdA$AAAAAAAAAAAAAAAAAAAAAA", // 4-byte salt
		"argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$AAA",               // 2-byte tag
		"argon2$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$!!!!",
		"argon2$argon2id$v=20$m=64,t=1,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		a + "=", a + "\n", strings.Replace(a, "m=64", "m=064", 1), strings.Replace(a, "argon2id", "argon2i", 1),
		"bcrypt_sha256", "bcrypt_sha256$", "bcrypt_sha256$$2b$", "bcrypt_sha256$$2b$99$" + b[len("bcrypt_sha256$$2b$04$"):],
		b[:len(b)-1], b + "x", strings.Replace(b, "$2b$", "$2x$", 1), strings.Replace(b, "$04$", "$4$", 1),
		"bcrypt$" + b[len("bcrypt_sha256$"):], // a bcrypt_sha256 hash relabelled as plain bcrypt
		"scrypt", "scrypt$", "scrypt$1024$salt$8$1", s + "$", strings.Replace(s, "$1024$", "$1000$", 1),
		strings.Replace(s, "$1024$", "$0$", 1), strings.Replace(s, "$8$1$", "$0$1$", 1),
		"scrypt$1073741824$salt$8$1$AAAA", "scrypt$16384$salt$8$100000$AAAA", "scrypt$2$salt$1$1073741823$AAAA",
		"md5", "md5$", "md5$$", "md5$$x", strings.ToUpper(m), m + " ", "sha1$", "sha1$$",
		"unsalted_md5$x", "\x00", "$$$$$$$$$$$$", strings.Repeat("$", 10000), strings.Repeat("a", 1<<20),
	}
	for _, enc := range bad {
		for _, h := range hs.list {
			if h.Verify("pw", enc) {
				t.Errorf("%s.Verify(pw, %s) = true", h.Algorithm(), short(enc))
			}
			_ = h.MustUpdate(enc)
			if hr, ok := h.(RuntimeHardener); ok {
				hr.HardenRuntime("pw", enc)
			}
		}
		if ok, _, err := hs.CheckPassword("pw", enc); ok || err != nil {
			t.Errorf("CheckPassword(pw, %s) = %v, %v", short(enc), ok, err)
		}
	}
	for _, good := range []string{p, a, b, s, m} {
		if ok, _, _ := hs.CheckPassword("pw", good); !ok {
			t.Errorf("control %s does not verify", good)
		}
	}
}

// TestConcurrentUse: one List serves many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	hs := cheapHashers()
	enc, _ := hs.MakePassword("pw")
	done := make(chan bool)
	for i := range 8 {
		go func() {
			ok, _, _ := hs.CheckPassword("pw", enc)
			bad, _, _ := hs.CheckPassword(fmt.Sprint("pw", i), enc)
			_, err := hs.MakePassword("x")
			done <- ok && !bad && err == nil
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent check failed")
		}
	}
}

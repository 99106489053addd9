package hashers

import (
	"errors"
	"strings"
	"testing"
)

// fuzzHashers verify every format but refuse anything costly, so that each fuzz input takes
// microseconds: the work limits are lowered far below the production ones.
func fuzzHashers() *List {
	p256 := PBKDF2SHA256(10).(*pbkdf2Hasher)
	p1 := PBKDF2SHA1(10).(*pbkdf2Hasher)
	p256.maxIterations, p1.maxIterations = 2000, 2000
	a := Argon2(1, 16, 2).(*argon2Hasher)
	a.maxMemory, a.maxWork = 256, 512
	bs := BCryptSHA256(4).(*bcryptHasher)
	b := BCrypt(4).(*bcryptHasher)
	bs.maxCost, b.maxCost = 5, 5
	s := Scrypt(16, 8, 1).(*scryptHasher)
	s.maxMemory, s.maxWork = 1<<20, 1<<14
	return New(p256, p1, a, bs, s, MD5(), UnsaltedMD5(), SHA1(), UnsaltedSHA1(), b)
}

// fuzzSecret is the password of the seed hashes. The fuzzer may find it in the seeds; what it
// cannot do is make a hash that a password it never saw matches: unknowable below.
const (
	fuzzSecret = "fuzz-secret-Ωmega"
	unknowable = "n0t-in-any-seed:7c1e4f0a9b"
)

// FuzzCheckPassword: CheckPassword and every hasher method never panic on any stored string or
// password, never report an error other than ErrPasswordTooLong for an over-long password,
// never ask to update a hash that did not verify, and never accept a password that the stored
// string was not made from.
func FuzzCheckPassword(f *testing.F) {
	hs := fuzzHashers()
	for _, h := range hs.list {
		enc, err := h.Encode(fuzzSecret, saltFor(h))
		if err != nil {
			f.Fatalf("%s: %v", h.Algorithm(), err)
		}
		f.Add(fuzzSecret, enc)
		f.Add("wrong", enc)
		f.Add(fuzzSecret, enc[:len(enc)/2])
	}
	for _, enc := range []string{
		"", "!", MakeUnusablePassword(), "garbage", "unknown$x$y", "$", "$$$$$$",
		"pbkdf2_sha256$1000$salt$", "pbkdf2_sha256$99999999999999999999$s$h",
		"argon2$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
		"argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0",
		"bcrypt_sha256$$2b$31$Ro0CUfOqk6cXEKf3dyaM7O", "bcrypt$$2y$04$Ro0CUfOqk6cXEKf3dyaM7O",
		"scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==",
		"scrypt$2$s$1$1073741823$AAAA", "md5$$88a434c88cca4e900f7874cd98123f43",
		"88a434c88cca4e900f7874cd98123f43", "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b",
	} {
		f.Add("lètmein", enc)
	}
	f.Add(strings.Repeat("p", MaxPasswordLength+1), "md5$salt$0")

	f.Fuzz(func(t *testing.T, password, encoded string) {
		ok, must, err := hs.CheckPassword(password, encoded)
		if err != nil && !(errors.Is(err, ErrPasswordTooLong) && len(password) > MaxPasswordLength) {
			t.Fatalf("CheckPassword error %v", err)
		}
		if must && !ok {
			t.Fatal("mustUpdate without a correct password")
		}
		if ok {
			// It verified: then it is a hash of this password, and of no other.
			if len(password) > MaxPasswordLength {
				t.Fatal("over-long password accepted")
			}
			if other, _, _ := hs.CheckPassword(password+"\x01", encoded); other {
				t.Fatalf("%q and its extension both verify against %q", password, encoded)
			}
		}
		if u, _, _ := hs.CheckPassword(unknowable, encoded); u && password != unknowable {
			t.Fatalf("a password the input never contained verifies against %q", encoded)
		}
		for _, h := range hs.list {
			if h.Verify(password, encoded) && !ok {
				// Verify may accept what CheckPassword rejects only through identification.
				if x, found := hs.Identify(encoded); found && x == h {
					t.Fatalf("%s.Verify accepts what CheckPassword rejects: %q", h.Algorithm(), encoded)
				}
			}
			_ = h.MustUpdate(encoded)
			if hr, isHardener := h.(RuntimeHardener); isHardener {
				hr.HardenRuntime(password, encoded)
			}
		}
	})
}

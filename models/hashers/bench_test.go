package hashers

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"testing"
)

const (
	benchPassword = "lètmein"
	benchSalt     = "Dj4ngoS4ltTw3ntyTw0Chr"
)

// BenchmarkPBKDF2SHA256Default is a login's cost: Verify at DefaultPBKDF2Iterations (Django
// 6.1's 1,500,000). Compare with BenchmarkRawPBKDF2SHA256Default: the hasher's parsing, base64
// and constant-time comparison must add under 5%.
func BenchmarkPBKDF2SHA256Default(b *testing.B) {
	benchVerify(b, PBKDF2SHA256(DefaultPBKDF2Iterations), benchSalt)
}

// BenchmarkRawPBKDF2SHA256Default is the standard library's PBKDF2 alone, the floor.
func BenchmarkRawPBKDF2SHA256Default(b *testing.B) {
	salt := []byte(benchSalt)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pbkdf2.Key(sha256.New, benchPassword, salt, DefaultPBKDF2Iterations, 32); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckPasswordDefault: Default().CheckPassword on a current hash.
func BenchmarkCheckPasswordDefault(b *testing.B) {
	hs := Default()
	enc, err := hs.MakePassword(benchPassword)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, _ := hs.CheckPassword(benchPassword, enc); !ok {
			b.Fatal("no match")
		}
	}
}

// BenchmarkCheckPasswordUnusable: the fake run for an unusable hash costs what a real check does.
func BenchmarkCheckPasswordUnusable(b *testing.B) {
	hs := Default()
	enc := MakeUnusablePassword()
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, _ := hs.CheckPassword(benchPassword, enc); ok {
			b.Fatal("match")
		}
	}
}

func benchVerify(b *testing.B, h Hasher, salt string) {
	enc, err := h.Encode(benchPassword, salt)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !h.Verify(benchPassword, enc) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkArgon2Default(b *testing.B) {
	benchVerify(b, Argon2(DefaultArgon2TimeCost, DefaultArgon2MemoryCost, DefaultArgon2Parallelism), benchSalt)
}

func BenchmarkBCryptSHA256Default(b *testing.B) {
	h := BCryptSHA256(DefaultBCryptCost)
	benchVerify(b, h, h.(Salter).Salt())
}

func BenchmarkScryptDefault(b *testing.B) {
	benchVerify(b, Scrypt(DefaultScryptN, DefaultScryptR, DefaultScryptP), benchSalt)
}

// BenchmarkWrongPassword is a failed login's hashing against each kind of stored hash, with
// Django's default hashers and every legacy one configured: the time an attacker measures
// for a wrong password. Run it as
//
//	go test ./models/hashers -run '^$' -bench WrongPassword -benchtime 3x
//
// and compare each line with "default" (a current hash) and "unknown_user".
func BenchmarkWrongPassword(b *testing.B) {
	list := Default().With(MD5(), UnsaltedMD5(), SHA1(), UnsaltedSHA1(), BCrypt(DefaultBCryptCost))
	enc := func(h Hasher, salt string) string {
		e, err := h.Encode(benchPassword, salt)
		if err != nil {
			b.Fatal(err)
		}
		return e
	}
	const bcryptSalt = "Ro0CUfOqk6cXEKf3dyaM7O"
	cases := []struct{ name, encoded string }{
		{"default", enc(list.Preferred(), benchSalt)},
		{"unknown_user", ""},
		{"pbkdf2_sha256_260000", enc(PBKDF2SHA256(260_000), benchSalt)}, // Django 3.2's count
		{"pbkdf2_sha1_260000", enc(PBKDF2SHA1(260_000), benchSalt)},
		{"md5", enc(MD5(), benchSalt)},
		{"unsalted_md5", enc(UnsaltedMD5(), "")},
		{"sha1", enc(SHA1(), benchSalt)},
		{"bcrypt_12", enc(BCrypt(12), bcryptSalt)},
		{"bcrypt_sha256_12", enc(BCryptSHA256(12), bcryptSalt)},
		{"bcrypt_sha256_8", enc(BCryptSHA256(8), bcryptSalt)},
		{"argon2_default", enc(Argon2(DefaultArgon2TimeCost, DefaultArgon2MemoryCost, DefaultArgon2Parallelism), benchSalt)},
		{"argon2_t1_m8MiB", enc(Argon2(1, 8192, DefaultArgon2Parallelism), benchSalt)},
		{"scrypt_default", enc(Scrypt(DefaultScryptN, DefaultScryptR, DefaultScryptP), benchSalt)},
		{"scrypt_N1024", enc(Scrypt(1024, DefaultScryptR, DefaultScryptP), benchSalt)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ok, _, _ := list.CheckPassword("wrong", c.encoded); ok {
					b.Fatal("wrong password accepted")
				}
			}
		})
	}
}

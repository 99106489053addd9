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

// BenchmarkPBKDF2SHA256Default is a login's cost: Verify at Django 6.0's 1,200,000 iterations.
// Compare with BenchmarkRawPBKDF2SHA256Default: the hasher's parsing, base64 and constant-time
// comparison must add under 5%.
func BenchmarkPBKDF2SHA256Default(b *testing.B) {
	h := PBKDF2SHA256(DefaultPBKDF2Iterations)
	enc, err := h.Encode(benchPassword, benchSalt)
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

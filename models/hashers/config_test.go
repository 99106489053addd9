package hashers

import (
	"errors"
	"strings"
	"testing"
)

func algorithms(l *List) string {
	var algs []string
	for _, h := range l.list {
		algs = append(algs, h.Algorithm())
	}
	return strings.Join(algs, " ")
}

func TestFromConfig(t *testing.T) {
	const dj = "django.contrib.auth.hashers."
	tests := []struct {
		name       string
		config     Config
		algs       string
		iterations int // of both PBKDF2 hashers, when listed
	}{
		{"zero: Django's defaults", Config{}, "pbkdf2_sha256 pbkdf2_sha1 argon2 bcrypt_sha256 scrypt", 1_500_000},
		{"iterations", Config{PBKDF2Iterations: 1000}, "pbkdf2_sha256 pbkdf2_sha1 argon2 bcrypt_sha256 scrypt", 1000},
		{"defaults and legacy", Config{PasswordHashers: append(DefaultPasswordHashers(), dj+"MD5PasswordHasher", dj+"UnsaltedMD5PasswordHasher")},
			"pbkdf2_sha256 pbkdf2_sha1 argon2 bcrypt_sha256 scrypt md5 unsalted_md5", 1_500_000},
		{"every name, argon2 preferred", Config{PBKDF2Iterations: 260_000, PasswordHashers: []string{dj + "Argon2PasswordHasher",
			dj + "PBKDF2PasswordHasher", dj + "PBKDF2SHA1PasswordHasher", dj + "BCryptSHA256PasswordHasher", dj + "BCryptPasswordHasher",
			dj + "ScryptPasswordHasher", dj + "MD5PasswordHasher", dj + "SHA1PasswordHasher", dj + "UnsaltedSHA1PasswordHasher",
			dj + "UnsaltedMD5PasswordHasher"}},
			"argon2 pbkdf2_sha256 pbkdf2_sha1 bcrypt_sha256 bcrypt scrypt md5 sha1 unsalted_sha1 unsalted_md5", 260_000},
	}
	for _, tt := range tests {
		l, err := FromConfig(tt.config)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := algorithms(l); got != tt.algs {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.algs)
		}
		for _, alg := range []string{"pbkdf2_sha256", "pbkdf2_sha1"} {
			if p := l.byAlg[alg].(*pbkdf2Hasher); p.iterations != tt.iterations {
				t.Errorf("%s: %s has %d iterations, want %d", tt.name, alg, p.iterations, tt.iterations)
			}
		}
		if b, ok := l.byAlg["bcrypt_sha256"].(*bcryptHasher); !ok || b.cost != DefaultBCryptCost {
			t.Errorf("%s: bcrypt_sha256 = %+v", tt.name, l.byAlg["bcrypt_sha256"])
		}
	}
	if got, want := algorithms(Default()), algorithms(New(PBKDF2SHA256(1), PBKDF2SHA1(1), Argon2(1, 8, 1), BCryptSHA256(4), Scrypt(2, 1, 1))); got != want {
		t.Errorf("Default() = %s", got)
	}
	if p := Default().Preferred().(*pbkdf2Hasher); p.iterations != DefaultPBKDF2Iterations || DefaultPBKDF2Iterations != 1_500_000 {
		t.Errorf("Default() hashes with %d iterations, DefaultPBKDF2Iterations = %d; want Django 6.1's 1,500,000", p.iterations, DefaultPBKDF2Iterations)
	}

	for _, tt := range []struct {
		name   string
		config Config
		want   string // in the message
	}{
		{"unknown name", Config{PasswordHashers: []string{dj + "PBKDF2PasswordHasher", "myproject.hashers.Custom"}}, `"myproject.hashers.Custom"`},
		{"class name alone", Config{PasswordHashers: []string{"MD5PasswordHasher"}}, `"MD5PasswordHasher"`},
		{"blank", Config{PasswordHashers: []string{""}}, `""`},
		{"crypt", Config{PasswordHashers: []string{dj + "CryptPasswordHasher"}}, "CryptPasswordHasher (crypt(3), removed in Django 5.0) is not supported"},
		{"twice", Config{PasswordHashers: []string{dj + "MD5PasswordHasher", dj + "MD5PasswordHasher"}}, "MD5PasswordHasher twice"},
		{"negative iterations", Config{PBKDF2Iterations: -1}, "PBKDF2 iterations -1"},
		{"absurd iterations", Config{PBKDF2Iterations: 100_000_001}, "PBKDF2 iterations 100000001"},
	} {
		l, err := FromConfig(tt.config)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) || l != nil {
			t.Errorf("%s: FromConfig = %v, %v; want ErrInvalidConfig naming %s", tt.name, l, err, tt.want)
		}
	}
	if _, err := FromConfig(Config{PBKDF2Iterations: 100_000_000}); err != nil {
		t.Errorf("100,000,000 iterations: %v", err)
	}
}

func TestDjangoPBKDF2Iterations(t *testing.T) {
	for version, want := range map[string]int{
		"3.2": 260_000, "4.0": 320_000, "4.1": 390_000, "4.2": 600_000, "5.0": 720_000, "5.1": 870_000,
		"5.2": 1_000_000, "6.0": 1_200_000, "6.1": 1_500_000, "5.2.7": 1_000_000, "4.2.16": 600_000, "3.2.25": 260_000,
	} {
		if got, err := DjangoPBKDF2Iterations(version); got != want || err != nil {
			t.Errorf("DjangoPBKDF2Iterations(%q) = %d, %v; want %d", version, got, err, want)
		}
	}
	for _, version := range []string{"", "5", "5.", "5.2.", "5.2.x", "5.2.7.1", "6.1a1", "v5.2", " 5.2", "2.2", "3.1", "7.0", "5.10"} {
		if got, err := DjangoPBKDF2Iterations(version); !errors.Is(err, ErrInvalidConfig) || got != 0 {
			t.Errorf("DjangoPBKDF2Iterations(%q) = %d, %v; want ErrInvalidConfig", version, got, err)
		}
	}
	// The installed Django (Debian's) agrees with the table.
	if got, err := DjangoPBKDF2Iterations(loadGolden(t).Django); err != nil || got != loadGolden(t).DefaultPBKDF2Iterations {
		t.Errorf("the golden file's Django %s makes %d iterations; the table says %d (%v)",
			loadGolden(t).Django, loadGolden(t).DefaultPBKDF2Iterations, got, err)
	}
}

// FuzzConfig: FromConfig and DjangoPBKDF2Iterations never panic, and every error wraps
// ErrInvalidConfig; a list FromConfig accepts has one hasher per name.
func FuzzConfig(f *testing.F) {
	f.Add(strings.Join(DefaultPasswordHashers(), ","), 1000, "5.2")
	f.Add("django.contrib.auth.hashers.MD5PasswordHasher,django.contrib.auth.hashers.MD5PasswordHasher", 0, "6.1.0")
	f.Add("django.contrib.auth.hashers.CryptPasswordHasher", -1, "x.y")
	f.Fuzz(func(t *testing.T, names string, iterations int, version string) {
		var c Config
		if names != "" {
			c.PasswordHashers = strings.Split(names, ",")
		}
		c.PBKDF2Iterations = iterations
		l, err := FromConfig(c)
		if err != nil && !errors.Is(err, ErrInvalidConfig) {
			t.Fatalf("FromConfig error %v does not wrap ErrInvalidConfig", err)
		}
		if err == nil && len(c.PasswordHashers) > 0 && len(l.list) != len(c.PasswordHashers) {
			t.Fatalf("%d names gave %d hashers", len(c.PasswordHashers), len(l.list))
		}
		if n, err := DjangoPBKDF2Iterations(version); (err == nil) != (n > 0) || (err != nil && !errors.Is(err, ErrInvalidConfig)) {
			t.Fatalf("DjangoPBKDF2Iterations(%q) = %d, %v", version, n, err)
		}
	})
}

package hashers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Django's settings for the hashers: PASSWORD_HASHERS by dotted class name, and the PBKDF2
// iteration count by Django version.

// ErrInvalidConfig is wrapped by every error FromConfig and DjangoPBKDF2Iterations return.
var ErrInvalidConfig = errors.New("hashers: invalid configuration")

// Django's dotted class names of its hashers.
const (
	djangoPrefix = "django.contrib.auth.hashers."

	djPBKDF2PasswordHasher       = djangoPrefix + "PBKDF2PasswordHasher"
	djPBKDF2SHA1PasswordHasher   = djangoPrefix + "PBKDF2SHA1PasswordHasher"
	djArgon2PasswordHasher       = djangoPrefix + "Argon2PasswordHasher"
	djBCryptSHA256PasswordHasher = djangoPrefix + "BCryptSHA256PasswordHasher"
	djScryptPasswordHasher       = djangoPrefix + "ScryptPasswordHasher"
	djBCryptPasswordHasher       = djangoPrefix + "BCryptPasswordHasher"
	djMD5PasswordHasher          = djangoPrefix + "MD5PasswordHasher"
	djSHA1PasswordHasher         = djangoPrefix + "SHA1PasswordHasher"         // removed in Django 5.1
	djUnsaltedSHA1PasswordHasher = djangoPrefix + "UnsaltedSHA1PasswordHasher" // removed in Django 5.1
	djUnsaltedMD5PasswordHasher  = djangoPrefix + "UnsaltedMD5PasswordHasher"  // removed in Django 5.1
	cryptPasswordHasher          = djangoPrefix + "CryptPasswordHasher"        // removed in Django 5.0
)

// DefaultPasswordHashers returns Django's default PASSWORD_HASHERS, the list Default() is
// made of: PBKDF2, PBKDF2-SHA1, Argon2, BCrypt-SHA256, Scrypt. Append a legacy hasher's name to
// enable it.
func DefaultPasswordHashers() []string {
	return []string{djPBKDF2PasswordHasher, djPBKDF2SHA1PasswordHasher, djArgon2PasswordHasher,
		djBCryptSHA256PasswordHasher, djScryptPasswordHasher}
}

// Config is the part of Django's settings that chooses the password hashers. Its zero value
// is Django's defaults (Default()).
type Config struct {
	// PasswordHashers is Django's PASSWORD_HASHERS: dotted class names, the first one hashing
	// new passwords and all of them verifying, e.g. DefaultPasswordHashers() followed by
	// "django.contrib.auth.hashers.MD5PasswordHasher" for a database with salted MD5 hashes.
	// Empty means DefaultPasswordHashers(). Each hasher has Django's default parameters,
	// except PBKDF2's iteration count.
	PasswordHashers []string
	// PBKDF2Iterations is the iteration count of new PBKDF2 hashes (SHA-256 and SHA-1), Django's
	// djPBKDF2PasswordHasher.iterations; 0 means DefaultPBKDF2Iterations. Next to a Django
	// service on the same database, use that Django's count (DjangoPBKDF2Iterations): with
	// different counts, each side re-hashes on login every password the other one made. Any
	// count verifies; at most 100,000,000.
	PBKDF2Iterations int
}

// FromConfig returns the list c describes. Its errors wrap ErrInvalidConfig and name the
// setting: an unknown or unsupported class name, a name given twice, an iteration count out
// of range.
func FromConfig(c Config) (*List, error) {
	iterations := c.PBKDF2Iterations
	if iterations == 0 {
		iterations = DefaultPBKDF2Iterations
	}
	if iterations < 1 || iterations > maxPBKDF2Iterations {
		return nil, fmt.Errorf("%w: PBKDF2 iterations %d: want 1 to %d", ErrInvalidConfig, c.PBKDF2Iterations, maxPBKDF2Iterations)
	}
	names := c.PasswordHashers
	if len(names) == 0 {
		names = DefaultPasswordHashers()
	}
	list := make([]Hasher, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		h, err := djangoHasher(name, iterations)
		if err != nil {
			return nil, err
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: PASSWORD_HASHERS lists %s twice", ErrInvalidConfig, name)
		}
		seen[name] = true
		list = append(list, h)
	}
	return New(list[0], list[1:]...), nil
}

// djangoHasher is the hasher Django's class name stands for, with Django's default parameters
// and the given PBKDF2 iteration count.
func djangoHasher(name string, iterations int) (Hasher, error) {
	switch name {
	case djPBKDF2PasswordHasher:
		return PBKDF2SHA256(iterations), nil
	case djPBKDF2SHA1PasswordHasher:
		return PBKDF2SHA1(iterations), nil
	case djArgon2PasswordHasher:
		return Argon2(DefaultArgon2TimeCost, DefaultArgon2MemoryCost, DefaultArgon2Parallelism), nil
	case djBCryptSHA256PasswordHasher:
		return BCryptSHA256(DefaultBCryptCost), nil
	case djScryptPasswordHasher:
		return Scrypt(DefaultScryptN, DefaultScryptR, DefaultScryptP), nil
	case djBCryptPasswordHasher:
		return BCrypt(DefaultBCryptCost), nil
	case djMD5PasswordHasher:
		return MD5(), nil
	case djSHA1PasswordHasher:
		return SHA1(), nil
	case djUnsaltedSHA1PasswordHasher:
		return UnsaltedSHA1(), nil
	case djUnsaltedMD5PasswordHasher:
		return UnsaltedMD5(), nil
	case cryptPasswordHasher:
		return nil, fmt.Errorf("%w: PASSWORD_HASHERS: %s (crypt(3), removed in Django 5.0) is not supported", ErrInvalidConfig, name)
	}
	return nil, fmt.Errorf("%w: PASSWORD_HASHERS: unknown hasher %q: want Django's dotted class names, such as %q",
		ErrInvalidConfig, name, djMD5PasswordHasher)
}

// djangoIterations are djPBKDF2PasswordHasher.iterations by Django release.
var djangoIterations = [...]struct {
	version    string
	iterations int
}{
	{"3.2", 260_000},
	{"4.0", 320_000},
	{"4.1", 390_000},
	{"4.2", 600_000},
	{"5.0", 720_000},
	{"5.1", 870_000},
	{"5.2", 1_000_000},
	{"6.0", 1_200_000},
	{"6.1", 1_500_000},
}

// DjangoPBKDF2Iterations returns the PBKDF2 iteration count of new hashes in the given Django
// release ("5.2" or "5.2.7"):
//
//	Django  3.2      4.0      4.1      4.2      5.0      5.1      5.2        6.0        6.1
//	        260,000  320,000  390,000  600,000  720,000  870,000  1,000,000  1,200,000  1,500,000
//
// Use it for Config.PBKDF2Iterations when a Django service shares the database.
func DjangoPBKDF2Iterations(version string) (int, error) {
	major, rest, _ := strings.Cut(version, ".")
	minor, patch, hasPatch := strings.Cut(rest, ".")
	if hasPatch {
		if _, err := strconv.ParseUint(patch, 10, 16); err != nil {
			minor = "" // not a release number: refused below
		}
	}
	for _, d := range djangoIterations {
		if d.version == major+"."+minor {
			return d.iterations, nil
		}
	}
	return 0, fmt.Errorf("%w: Django %q: want a release from %s to %s", ErrInvalidConfig, version,
		djangoIterations[0].version, djangoIterations[len(djangoIterations)-1].version)
}

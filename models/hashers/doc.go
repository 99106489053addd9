// Package hashers is Django's django.contrib.auth.hashers: the password hashers of Django's
// PASSWORD_HASHERS setting, byte-compatible with Django. A hash made here verifies in Django and
// the other way round, and Encode with a fixed salt gives the very string Django's
// make_password gives. It imports only the standard library and golang.org/x/crypto.
//
// A List is PASSWORD_HASHERS: New(preferred, others...), or Default(), Django's default list
// (PBKDF2, PBKDF2-SHA1, Argon2, BCrypt-SHA256, Scrypt). The legacy hashers (MD5, SHA-1,
// unsalted, plain bcrypt) verify only when configured: Default().With(MD5()). Its MakePassword
// and CheckPassword are Django's make_password and check_password; IsPasswordUsable and
// MakeUnusablePassword are Django's functions of the same names. Each hasher family has its
// file: pbkdf2.go, argon2.go, bcrypt.go, scrypt.go and legacy.go (MD5, SHA-1, unsalted).
//
// Formats (the part before the first "$" names the hasher):
//
//	pbkdf2_sha256$<iterations>$<salt>$<std base64, padded, of 32 bytes>
//	pbkdf2_sha1$<iterations>$<salt>$<std base64, padded, of 20 bytes>
//	argon2$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt, base64 unpadded>$<hash, base64 unpadded>
//	bcrypt_sha256$$2b$<cost>$<22-char salt><31-char hash>   (bcrypt of the hex SHA-256 of the password)
//	bcrypt$$2b$<cost>$<22-char salt><31-char hash>
//	scrypt$<N>$<salt>$<r>$<p>$<std base64, padded, of 64 bytes>
//	md5$<salt>$<hex>, sha1$<salt>$<hex>, sha1$$<hex>, md5$$<hex> and a bare 32-char MD5 hex
//
// Note the scrypt field order: N comes before the salt (Django's
// ScryptPasswordHasher.encode: "%s$%d$%s$%d$%d$%s" % (algorithm, n, salt, r, p, hash)).
//
// The primitives are the standard library's (PBKDF2, SHA-1, MD5) and golang.org/x/crypto's
// (argon2, scrypt, bcrypt). One exception: golang.org/x/crypto/bcrypt checks bcrypt hashes but
// cannot make Django's — it takes no salt and writes "$2a$" where Django writes "$2b$" — so
// Encode, which must give Django's string for a given salt, runs a small bcrypt core of its
// own on x/crypto's Blowfish (bcrypt.go), tested against x/crypto both ways.
//
// Verification is Django's: the stored string is parsed, the password is encoded again with the
// stored salt and parameters, and the two strings are compared in constant time. Non-canonical
// spellings (leading zeros, "+1", base64 with stray bits) therefore never verify, as in Django.
//
// Timing: a failed check never costs less than one run of the preferred hasher, so response
// times tell neither unknown users nor accounts with legacy or cheap hashes from the others.
// Django closes the first gap and part of the second (harden_runtime for weaker hashes of the
// preferred algorithm); CheckPassword closes the rest (see its documentation).
//
// Where this port differs from Django, on purpose:
//   - Hashes whose parameters would make verification absurdly expensive (PBKDF2 iterations
//     above 100,000,000, bcrypt cost above 18, argon2 above 512 MiB, scrypt above OpenSSL's
//     32 MiB — each raised to the hasher's own configured cost when that is higher) are
//     treated as malformed: they never verify, and CheckPassword spends the preferred hasher's
//     time on them instead. Django would compute them (or raise).
//   - Malformed stored hashes (wrong field count, bad numbers, bad base64) return false where
//     Django raises ValueError, and CheckPassword runs the preferred hasher once for them, as
//     for unusable and unknown ones.
//   - Plain bcrypt (the "bcrypt" hasher, not bcrypt_sha256) refuses passwords longer than 72
//     bytes or containing NUL: Verify returns false (after spending bcrypt's time) and Encode
//     returns an error. Django's bcrypt library silently truncates at 72 bytes, so a Django
//     "bcrypt$" hash of a longer password verifies here only with its first 72 bytes.
//   - argon2 hashes of version 0x10 (no "v=" field; argon2-cffi before 16.0, 2016) and argon2d
//     hashes are not supported (golang.org/x/crypto/argon2 implements v=19 argon2i and
//     argon2id only); they never verify and CheckPassword treats them as malformed.
//   - argon2 tags of any length verify. New hashes have 32-byte tags (argon2-cffi >= 21.2, as
//     Django 6.0 installs); Django with an older argon2-cffi (Debian 12's 21.1) makes 16-byte
//     ones, which MustUpdate reports, as Django 6.0's must_update does.
//   - Passwords longer than MaxPasswordLength bytes are refused (Django 1.5.4's cap for
//     CVE-2013-1443; today's Django has none).
package hashers

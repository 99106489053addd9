package csrf

import (
	"crypto/rand"
	"crypto/subtle"
)

// Django's token format (django/middleware/csrf.py): the secret is 32 characters of
// CSRF_ALLOWED_CHARS; a token handed to a page is the secret masked with a fresh 32-character
// mask, 64 characters in all (mask + cipher), so that the page's bytes change with every
// response (BREACH).
const (
	// SecretLength is CSRF_SECRET_LENGTH.
	SecretLength = 32
	// TokenLength is CSRF_TOKEN_LENGTH, the length of a masked token.
	TokenLength = 2 * SecretLength
	// allowedChars is CSRF_ALLOWED_CHARS = string.ascii_letters + string.digits: lower case
	// first. The order is the cipher's alphabet, so it must be Django's.
	allowedChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	nChars       = len(allowedChars)
)

// charIndex maps a byte to its index in allowedChars, or -1.
var charIndex = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := range nChars {
		t[allowedChars[i]] = int8(i)
	}
	return t
}()

// newSecret is Django's _get_new_csrf_string: 32 characters drawn uniformly from allowedChars
// with crypto/rand (rejection sampling: bytes 248..255 are drawn again, so that 248 = 4*62 maps
// evenly).
func newSecret() [SecretLength]byte {
	var out [SecretLength]byte
	var buf [2 * SecretLength]byte
	n := 0
	for n < SecretLength {
		rand.Read(buf[:]) // never returns an error (crypto/rand, Go 1.24+)
		for _, b := range buf {
			if int(b) >= 4*nChars {
				continue
			}
			out[n] = allowedChars[int(b)%nChars]
			if n++; n == SecretLength {
				break
			}
		}
	}
	return out
}

// maskSecret is Django's _mask_cipher_secret: the secret masked with a fresh mask. secret must
// be 32 allowed characters.
func maskSecret(secret []byte) string {
	mask := newSecret()
	return maskWith(secret, &mask)
}

// maskWith is the cipher of _mask_cipher_secret: the mask, then each secret character shifted
// by the mask character's index.
func maskWith(secret []byte, mask *[SecretLength]byte) string {
	var token [TokenLength]byte
	copy(token[:SecretLength], mask[:])
	for i := range SecretLength {
		x, y := int(charIndex[secret[i]]), int(charIndex[mask[i]])
		token[SecretLength+i] = allowedChars[(x+y)%nChars]
	}
	return string(token[:])
}

// unmaskToken is Django's _unmask_cipher_token: token is 64 allowed characters, its first
// half the mask; the result is the secret. Python's negative index wraps, hence the +nChars.
func unmaskToken(token string) [SecretLength]byte {
	var secret [SecretLength]byte
	for i := range SecretLength {
		x, y := int(charIndex[token[SecretLength+i]]), int(charIndex[token[i]])
		secret[i] = allowedChars[(x-y+nChars)%nChars]
	}
	return secret
}

// formatProblem is Django's _check_token_format on a value of n characters (Python's count:
// see pychars.go), ok when every character is in allowedChars: "" when the value is a secret
// or a masked token, else the InvalidTokenFormat phrase.
func formatProblem(n int, ok bool) string {
	if n != SecretLength && n != TokenLength {
		return reasonIncorrectLength
	}
	if !ok {
		return reasonInvalidCharacters
	}
	return ""
}

// allAllowed reports whether s is made only of allowedChars.
func allAllowed(s string) bool {
	for i := 0; i < len(s); i++ {
		if charIndex[s[i]] < 0 {
			return false
		}
	}
	return true
}

// checkFormat is formatProblem for an ASCII-projected value (one byte per Python character).
func checkFormat(s string) string { return formatProblem(len(s), allAllowed(s)) }

// toSecret turns a well-formed value (secret or masked token, checked by checkFormat) into the
// secret: Django's _get_secret for the cookie, and the unmasking half of _does_token_match.
func toSecret(s string) [SecretLength]byte {
	if len(s) == TokenLength {
		return unmaskToken(s)
	}
	var secret [SecretLength]byte
	copy(secret[:], s)
	return secret
}

// tokenMatches is Django's _does_token_match: the request's token (secret or masked token,
// well formed) against the cookie's secret, compared in constant time.
func tokenMatches(requestToken string, secret *[SecretLength]byte) bool {
	got := toSecret(requestToken)
	return subtle.ConstantTimeCompare(got[:], secret[:]) == 1
}

package tokens

import (
	"strings"
	"unicode/utf8"
)

// MaxJTILength is the length of token_blacklist_outstandingtoken.jti, Django's
// CharField(max_length=255): 255 characters (Unicode code points), not bytes.
const MaxJTILength = 255

// ValidJTI reports whether jti can identify a token: what the jti column stores, a non-empty
// string of valid UTF-8 of at most MaxJTILength characters, without NUL (PostgreSQL refuses
// NUL in text). Every jti check (verification, outstanding, blacklisting) goes through it.
func ValidJTI(jti string) bool {
	return jti != "" && len(jti) <= utf8.UTFMax*MaxJTILength && utf8.ValidString(jti) &&
		!strings.ContainsRune(jti, 0) && utf8.RuneCountInString(jti) <= MaxJTILength
}

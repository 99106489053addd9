package csrf

import (
	"strings"
	"testing"
)

// Golden vectors from Django's _mask_cipher_secret with the mask fixed (see csrf_test.go).
func TestMaskGolden(t *testing.T) {
	secret := []byte("Secr3tSecr3tSecr3tSecr3tSecr3t0K")
	cases := []struct{ mask, token string }{
		{"zyxwvutsrqponmlkjihgfedcbaZYX987", "zyxwvutsrqponmlkjihgfedcbaZYX987hCzNoNbwtHiH5qnBcBZkhv6vTe1fQsYH"},
		{"0123456789ABCDEFGHIJKLMNOPQRSTUV", "0123456789ABCDEFGHIJKLMNOPQRSTUVI54kXoObaqtUkHGWz0qNM2F6wTS8LcKv"},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + string(secret)}, // index 0: identity
	}
	for _, tc := range cases {
		var mask [SecretLength]byte
		copy(mask[:], tc.mask)
		if got := maskWith(secret, &mask); got != tc.token {
			t.Errorf("mask %s:\n got %s\nwant %s", tc.mask, got, tc.token)
		}
		if got := unmaskToken(tc.token); string(got[:]) != string(secret) {
			t.Errorf("unmask %s = %s", tc.token, got[:])
		}
	}
}

// TestMaskRoundTrip: every fresh mask of every kind of secret unmasks to it, every token is 64
// allowed characters, and two masks of one secret differ.
func TestMaskRoundTrip(t *testing.T) {
	secrets := [][]byte{
		[]byte(strings.Repeat("a", 32)), []byte(strings.Repeat("9", 32)), []byte(strings.Repeat("Z", 32)),
		[]byte(allowedChars[:32]), []byte(allowedChars[30:]),
	}
	for range 200 {
		s := newSecret()
		secrets = append(secrets, s[:])
	}
	for _, secret := range secrets {
		a, b := maskSecret(secret), maskSecret(secret)
		if len(a) != TokenLength || !allAllowed(a) {
			t.Fatalf("token %q: not 64 allowed characters", a)
		}
		if a == b {
			t.Fatalf("two masks of %s are equal: %s", secret, a)
		}
		for _, tok := range []string{a, b} {
			if got := unmaskToken(tok); string(got[:]) != string(secret) {
				t.Fatalf("unmask(mask(%s)) = %s", secret, got[:])
			}
			got := toSecret(tok)
			if !tokenMatches(tok, &got) || !tokenMatches(string(secret), &got) {
				t.Fatalf("token %s does not match its secret", tok)
			}
		}
	}
}

// TestNewSecret: 32 allowed characters, every one of the 62 drawn, no repeat.
func TestNewSecret(t *testing.T) {
	seen := map[byte]int{}
	secrets := map[string]bool{}
	for range 500 {
		s := newSecret()
		if !allAllowed(string(s[:])) {
			t.Fatalf("secret %q has a character outside [a-zA-Z0-9]", s[:])
		}
		if secrets[string(s[:])] {
			t.Fatalf("secret %s drawn twice", s[:])
		}
		secrets[string(s[:])] = true
		for _, c := range s {
			seen[c]++
		}
	}
	if len(seen) != nChars {
		t.Fatalf("%d distinct characters in 16000 draws, want %d", len(seen), nChars)
	}
	// 16000 draws over 62 characters: about 258 each. A bias of the modulo (e.g. bytes
	// 248..255 not redrawn) would put the first 8 near 290; allow a wide band.
	for c, n := range seen {
		if n < 180 || n > 340 {
			t.Errorf("character %q drawn %d times of 16000", c, n)
		}
	}
}

// TestCheckFormat is _check_token_format: length first, then characters.
func TestCheckFormat(t *testing.T) {
	cases := map[string]string{
		"":                               reasonIncorrectLength,
		strings.Repeat("a", 31):          reasonIncorrectLength,
		strings.Repeat("a", 32):          "",
		strings.Repeat("a", 33):          reasonIncorrectLength,
		strings.Repeat("a", 64):          "",
		strings.Repeat("a", 65):          reasonIncorrectLength,
		strings.Repeat("-", 31):          reasonIncorrectLength,
		strings.Repeat("-", 32):          reasonInvalidCharacters,
		strings.Repeat("a", 63) + "=":    reasonInvalidCharacters,
		strings.Repeat("a", 63) + "\x80": reasonInvalidCharacters,
	}
	for in, want := range cases {
		if got := checkFormat(in); got != want {
			t.Errorf("checkFormat(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProjectUTF8 counts characters as CPython's decode("utf-8", "replace") does (maximal
// subparts), checked against CPython 3.11.
func TestProjectUTF8(t *testing.T) {
	cases := map[string]int{
		"abc": 3, "é": 1, "€": 1, "😀": 1,
		"\xe2\x82A": 2, "\xf0\x90\x80": 1, "\xed\xa0\x80": 3, "\xe0\x80\x80": 3,
		"\xf4\x90\x80\x80": 4, "\xc0\xaf": 2, "\xf0\x90\x80A": 2, "\xff": 1, "\x80\x80": 2,
	}
	for in, want := range cases {
		if got := len(projectUTF8(in)); got != want {
			t.Errorf("projectUTF8(%q): %d characters, want %d", in, got, want)
		}
	}
	if got := pyStrip(projectUTF8("\u00a0\u3000ab\u2029\x1f")); got != "ab" {
		t.Errorf("strip of Unicode spaces: %q", got)
	}
	if got := projectUTF8("a\u200bb"); got != "a\x80b" {
		t.Errorf("zero-width space is not whitespace for Python: %q", got)
	}
}

// TestPyUnquote is http.cookies._unquote.
func TestPyUnquote(t *testing.T) {
	cases := map[string]string{
		`abc`:        `abc`,
		`"abc"`:      `abc`,
		`"`:          `"`,
		`""`:         ``,
		`"a\"b"`:     `a"b`,
		`"\101\102"`: `AB`,
		`"\400"`:     `400`,
		`"\12"`:      `12`,
		`"a\\b"`:     `a\b`,
		"\"a\\\nb\"": "a\\\nb",
		`"a\"`:       `a\`,
		`"\377"`:     "\xff",
		`"abc`:       `"abc`,
		`"\1012"`:    `A2`,
	}
	for in, want := range cases {
		if got := pyUnquote(in); got != want {
			t.Errorf("pyUnquote(%q) = %q, want %q", in, got, want)
		}
	}
}

package hashers

import (
	"strings"
	"testing"

	xbcrypt "golang.org/x/crypto/bcrypt"
)

// bcrypt

// TestBCrypt72Bytes: plain bcrypt refuses passwords over 72 bytes (x/crypto would silently
// truncate on compare), counting bytes, not characters; bcrypt_sha256 has no limit.
func TestBCrypt72Bytes(t *testing.T) {
	h := BCrypt(4)
	salt := "$2b$04$Ro0CUfOqk6cXEKf3dyaM7O"
	p72 := strings.Repeat("é", 36) // 36 characters, 72 bytes
	p73 := p72 + "x"
	split := strings.Repeat("a", 71) + "é" // 73 bytes: the 72nd byte is the first half of "é"

	e72, err := h.Encode(p72, salt)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Verify(p72, e72) {
		t.Error("72-byte password does not verify")
	}
	if h.Verify(p73, e72) {
		t.Error("72-byte hash accepted the 73-byte extension")
	}
	// x/crypto's bcrypt alone accepts it: this is what we guard against.
	if xbcrypt.CompareHashAndPassword([]byte(strings.TrimPrefix(e72, "bcrypt$")), []byte(p73)) != nil {
		t.Log("x/crypto/bcrypt no longer truncates; the guard is still right")
	}
	for _, p := range []string{p73, split, strings.Repeat("a", 4096), "nul\x00inside"} {
		if _, err := h.Encode(p, salt); err == nil {
			t.Errorf("Encode(%s) succeeded", short(p))
		}
		if h.Verify(p, e72) {
			t.Errorf("Verify(%s) = true", short(p))
		}
	}
	e71, _ := h.Encode(strings.Repeat("a", 71), salt)
	if h.Verify(split, e71) || h.Verify(strings.Repeat("a", 71)+"\xc3", e71) {
		t.Error("71-byte hash accepted a longer password")
	}

	s := BCryptSHA256(4)
	e, err := s.Encode(p73, salt)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Verify(p73, e) || s.Verify(p72, e) || s.Verify(p73[:72], e) {
		t.Error("bcrypt_sha256 does not tell the 73-byte password from its 72-byte prefix")
	}
	if e, err := s.Encode("nul\x00inside", salt); err != nil || !s.Verify("nul\x00inside", e) || s.Verify("nul", e) {
		t.Errorf("bcrypt_sha256 with NUL: %v", err)
	}
}

// TestBCryptMatchesXCrypto cross-checks our bcrypt core (x/crypto/bcrypt cannot take a salt)
// with golang.org/x/crypto/bcrypt both ways.
func TestBCryptMatchesXCrypto(t *testing.T) {
	h := BCrypt(4)
	for _, pw := range []string{"", "a", "lètmein", strings.Repeat("z", 72), "\U0001F511"} {
		enc, err := h.Encode(pw, h.(Salter).Salt())
		if err != nil {
			t.Fatal(err)
		}
		if err := xbcrypt.CompareHashAndPassword([]byte(strings.TrimPrefix(enc, "bcrypt$")), []byte(pw)); err != nil {
			t.Errorf("x/crypto rejects our %s for %q: %v", enc, pw, err)
		}
		x, err := xbcrypt.GenerateFromPassword([]byte(pw), 5)
		if err != nil {
			t.Fatal(err)
		}
		if !h.Verify(pw, "bcrypt$"+string(x)) {
			t.Errorf("we reject x/crypto's %s for %q", x, pw)
		}
		if h.Verify(pw+"!", "bcrypt$"+string(x)) {
			t.Errorf("we accept a wrong password for x/crypto's %s", x)
		}
	}
	// Salts: Django's ("$2b$12$..."), a full hash (only 29 characters are read), 2a and 2y,
	// a bare 22-character salt, and the canonical re-encoding of a salt's last character.
	pw := "lètmein"
	a, _ := h.Encode(pw, "$2b$04$Ro0CUfOqk6cXEKf3dyaM7O")
	b, _ := h.Encode(pw, a[len("bcrypt$"):])
	c, _ := h.Encode(pw, "Ro0CUfOqk6cXEKf3dyaM7O")
	if a != b || a != c {
		t.Errorf("salt forms disagree: %s %s %s", a, b, c)
	}
	for _, minor := range []string{"a", "y"} {
		e, err := h.Encode(pw, "$2"+minor+"$04$Ro0CUfOqk6cXEKf3dyaM7O")
		if err != nil || !strings.HasPrefix(e, "bcrypt$$2"+minor+"$04$") || e[11:] != a[11:] || !h.Verify(pw, e) {
			t.Errorf("$2%s$: %s, %v", minor, e, err)
		}
	}
	d, _ := h.Encode(pw, "$2b$04$abcdefghijklmnopqrstuv") // 'v' has stray low bits: becomes 'u'
	if !strings.HasPrefix(d, "bcrypt$$2b$04$abcdefghijklmnopqrstuu") {
		t.Errorf("non-canonical salt kept: %s", d)
	}
	for _, bad := range []string{"", "$2b$04$", "$2x$04$Ro0CUfOqk6cXEKf3dyaM7O", "$2b$03$Ro0CUfOqk6cXEKf3dyaM7O",
		"$2b$4$$Ro0CUfOqk6cXEKf3dyaM7O", "$2b$04$Ro0CUfOqk6cXEKf3dyaM7!", "$3b$04$Ro0CUfOqk6cXEKf3dyaM7O",
		"$2b$04$Ro0CUfOqk6cXEKf3dyaM\n7O", "$2b$31$Ro0CUfOqk6cXEKf3dyaM7O"} {
		if e, err := h.Encode(pw, bad); err == nil {
			t.Errorf("Encode with salt %q = %s", bad, e)
		}
	}
}

// TestBCryptVerifyIsStrict: x/crypto's CompareHashAndPassword alone accepts a stored string
// with trailing characters and a salt whose last character has stray low bits (it hashes with
// the bits it reads and compares the salt text it was given). Django does not (its bcrypt
// re-encodes the salt, so the strings differ), and neither does Verify, which checks the
// string's shape before asking x/crypto.
func TestBCryptVerifyIsStrict(t *testing.T) {
	const pw = "lètmein"
	var askDjangoAbout []djangoCheckReq
	for _, h := range []Hasher{BCrypt(4), BCryptSHA256(4)} {
		good, err := h.Encode(pw, "$2b$04$abcdefghijklmnopqrstuu")
		if err != nil || !h.Verify(pw, good) {
			t.Fatalf("%s: own hash %q, %v", h.Algorithm(), good, err)
		}
		prefix := h.Algorithm() + "$"
		strayBits := strings.Replace(good, "qrstuu", "qrstuv", 1) // 'v' = 'u' + a stray low bit
		askDjangoAbout = append(askDjangoAbout, djangoCheckReq{pw, good}, djangoCheckReq{pw, strayBits}, djangoCheckReq{pw, good + "x"})
		for name, bad := range map[string]string{
			"stray salt bits":    strayBits,
			"trailing character": good + "x",
			"$2x$ minor":         strings.Replace(good, "$2b$", "$2x$", 1),
		} {
			if h.Verify(pw, bad) {
				t.Errorf("%s: Verify(%s) = true", h.Algorithm(), name)
			}
			if h.MustUpdate(bad) != true {
				t.Errorf("%s: MustUpdate(%s) = false", h.Algorithm(), name)
			}
		}
		key := []byte(pw)
		if h.Algorithm() == "bcrypt_sha256" {
			key, _ = h.(*bcryptHasher).key(pw)
		}
		// What the shape check guards against: x/crypto alone accepts both.
		for _, bad := range []string{strayBits, good + "x"} {
			if xbcrypt.CompareHashAndPassword([]byte(strings.TrimPrefix(bad, prefix)), key) != nil {
				t.Logf("x/crypto/bcrypt now refuses %q itself; the shape check is still right", bad)
			}
		}
	}
	// And Django agrees: its own hash verifies, the two variants do not.
	requireDjango(t)
	ans := askDjango(t, askDjangoAbout, []djangoMakeReq{})
	for i, c := range askDjangoAbout {
		if want := i%3 == 0; ans.Check[i].OK != want {
			t.Errorf("Django check_password(%q) = %v, want %v", c.Encoded, ans.Check[i].OK, want)
		}
	}
}

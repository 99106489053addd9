package locale

import (
	"net/http"
	"strings"
	"testing"
)

// TestSetHeadersShared: the header values SetHeaders shares between responses are never
// written through: adding to them copies.
func TestSetHeadersShared(t *testing.T) {
	c := mustNew(t, Config{})
	lang := c.Select("de-AT")
	h := http.Header{}
	lang.SetHeaders(h)
	h.Add("Vary", "Cookie")
	h.Add("Content-Language", "x")
	if varyAcceptLanguage[0] != "Accept-Language" || len(lang.t.contentLanguage) != 1 || lang.t.contentLanguage[0] != "de" {
		t.Fatalf("shared values changed: %q %q", varyAcceptLanguage, lang.t.contentLanguage)
	}
	h2 := http.Header{}
	c.Select("de-AT").SetHeaders(h2)
	if got := h2.Values("Vary"); len(got) != 1 || got[0] != "Accept-Language" || h2.Get("Content-Language") != "de" {
		t.Fatalf("second response: %v", h2)
	}
}

// TestSelectCached: a cached choice is the choice (the golden tests run every case through
// the cache too), and the cache stops growing at its bound.
func TestSelectCached(t *testing.T) {
	c := mustNew(t, Config{})
	for range 2 {
		if got := c.Select("fr-CA,fr;q=0.9").Code(); got != "fr" {
			t.Fatalf("got %q", got)
		}
	}
	for i := range maxSelections + 10 {
		c.Select("xx-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + ",de")
	}
	if n := len(c.selected.m); n > maxSelections {
		t.Fatalf("cache holds %d", n)
	}
	long := "de," + strings.Repeat("x", maxCachedValue)
	c2 := mustNew(t, Config{})
	if got := c2.Select(long).Code(); got != "de" {
		t.Fatalf("long value: %q", got)
	}
	if _, cached := c2.selected.get(long); cached {
		t.Fatal("a value over 500 bytes was cached")
	}
}

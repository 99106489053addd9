package locale

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkGettextEnglish is the fast path: English (and localization off) costs no lookup and
// no allocation.
func BenchmarkGettextEnglish(b *testing.B) {
	l := mustNew(b, Config{}).Default()
	b.ReportAllocs()
	for b.Loop() {
		if l.Gettext("Token is blacklisted") != "Token is blacklisted" {
			b.Fatal("translated")
		}
	}
}

func BenchmarkGettextOff(b *testing.B) {
	var l Language
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Gettext("Token is blacklisted")
	}
}

func BenchmarkGettextGerman(b *testing.B) {
	l := mustNew(b, Config{}).Select("de")
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Gettext("Token is blacklisted")
	}
}

func BenchmarkSelect(b *testing.B) {
	c := mustNew(b, Config{})
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Select("de-AT,de;q=0.9,en-US;q=0.8,en;q=0.7")
	}
}

func BenchmarkFromRequest(b *testing.B) {
	c := mustNew(b, Config{})
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", "de-AT,de;q=0.9,en;q=0.7")
	r.Header.Set("Cookie", "sessionid=abc; csrftoken=def")
	b.ReportAllocs()
	for b.Loop() {
		_ = c.FromRequest(r)
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mustNew(b, Config{LanguageCode: "de"})
	}
}

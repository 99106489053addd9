package views_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// Benchmarks of the token views end to end (gin engine, body parsing, serializer, rendering),
// with the fake stores and PBKDF2-SHA256 at 1,000 iterations so that the hasher does not hide
// the rest. Run: go test -run '^$' -bench . -benchmem ./views/

func benchRequest(b *testing.B, h *harness, path, body string) {
	b.Helper()
	r, err := http.NewRequest(http.MethodPost, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.ContentLength = int64(len(body))
	br := strings.NewReader(body)
	b.ReportAllocs()
	for b.Loop() {
		br.Reset(body)
		r.Body = io.NopCloser(br)
		w := httptest.NewRecorder()
		h.engine.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

func BenchmarkObtainPair(b *testing.B) {
	h := newHarness(b)
	benchRequest(b, h, obtain, `{"username":"alice","password":"alice-password-1"}`)
}

func BenchmarkVerify(b *testing.B) {
	h := newHarness(b)
	benchRequest(b, h, "/api/token/verify/", field("token", h.mint(b, tokens.AccessToken, "1", time.Time{}, nil)))
}

func BenchmarkRefresh(b *testing.B) {
	h := newHarness(b)
	benchRequest(b, h, "/api/token/refresh/", field("refresh", h.mint(b, tokens.RefreshToken, "1", time.Time{}, nil)))
}

func BenchmarkObtainBadJSON(b *testing.B) {
	h := newHarness(b)
	b.ReportAllocs()
	for b.Loop() {
		w := h.postJSON(obtain, `{"username": "alice",`)
		if w.Code != 400 {
			b.Fatal(w.Code)
		}
	}
}

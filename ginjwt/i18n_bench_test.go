package ginjwt_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// BenchmarkAuthStatelessLocale is BenchmarkAuthStateless behind Locale with LocaleMiddleware
// on, for a browser's English request (Accept-Language: en-US,en;q=0.9): the choice of the
// language and Django's two headers, on the success path. The response headers are cleared on
// each request, as a new response has none.
func BenchmarkAuthStatelessLocale(b *testing.B) {
	for _, bc := range []struct {
		name string
		ls   ginjwt.LocaleSettings
	}{
		{"off", ginjwt.LocaleSettings{}},
		{"LANGUAGE_CODE=de", ginjwt.LocaleSettings{LanguageCode: "de"}},
		{"middleware", ginjwt.LocaleSettings{LocaleMiddleware: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			j := newJWT(b, newUsers(), func(s *ginjwt.Settings) { s.Now = time.Now; s.LocaleSettings = bc.ls })
			authz := "Bearer " + mint(b, j, tokens.AccessToken, "1", nil)
			r := gin.New()
			r.GET("/me", j.Locale(), j.AuthStateless(), func(c *gin.Context) { c.Status(http.StatusNoContent) })
			req := httptest.NewRequest(http.MethodGet, "/me", nil)
			ctx, cancel := context.WithCancel(req.Context())
			defer cancel()
			req = req.WithContext(ctx)
			req.Header.Set("Authorization", authz)
			req.Header.Set("Accept-Language", "en-US,en;q=0.9")
			w := &statusWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code = 0
				r.ServeHTTP(w, req)
				if w.code != http.StatusNoContent {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}

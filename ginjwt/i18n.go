package ginjwt

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/locale"
	"github.com/gin-simplejwt/simplejwt/views"
)

// LocaleSettings are Django's i18n settings, for the messages of the error bodies (package
// locale has the catalogs). The zero value is a Django project with LANGUAGE_CODE "en-us" and
// without LocaleMiddleware: every message stays English and nothing changes on the wire.
type LocaleSettings struct {
	// LANGUAGE_CODE (env LANGUAGE_CODE, Django's name), default "en-us": the language of the
	// messages without LocaleMiddleware, the last resort of its choice with it.
	LanguageCode string
	// LocaleMiddleware (env SIMPLE_JWT_LOCALE_MIDDLEWARE), default false: Django's
	// LocaleMiddleware. The django_language cookie, then Accept-Language ("de-AT" → "de",
	// quality values), then LANGUAGE_CODE choose the language, and every response of Locale's
	// routes carries Content-Language and Vary: Accept-Language.
	LocaleMiddleware bool
}

// enabled reports whether a request can get anything but the English messages and headers.
func (s LocaleSettings) enabled() bool {
	return s.LocaleMiddleware || s.LanguageCode != "" && s.LanguageCode != locale.DefaultLanguageCode
}

// newCatalog builds the catalog of s, nil when localization is off.
func (s LocaleSettings) newCatalog() (*locale.Catalog, error) {
	if !s.enabled() {
		return nil, nil
	}
	cat, err := locale.New(locale.Config{LanguageCode: s.LanguageCode})
	if err != nil {
		return nil, fmt.Errorf("ginjwt: %w", err)
	}
	return cat, nil
}

// Locale is Django's LocaleMiddleware (with Settings.LocaleMiddleware) or LANGUAGE_CODE
// (without it): it chooses the request's language once, for the error bodies of every renderer
// (views.SetLanguage), and with the middleware sets Content-Language and Vary: Accept-Language
// as Django's process_response does. Mount it first on your router, as Django lists
// LocaleMiddleware in MIDDLEWARE: r.Use(j.Locale()); then the token views, Auth's 401s and
// your own routes' errors are localized. With the
// settings' zero value it does nothing; an English request costs no allocation for the choice.
func (j *JWT) Locale() gin.HandlerFunc {
	cat := j.locale
	switch {
	case cat == nil:
		return func(*gin.Context) {}
	case !j.settings.LocaleMiddleware:
		lang := cat.Default()
		return func(c *gin.Context) { views.SetLanguage(c, lang) }
	}
	// Choosing twice (Locale mounted on the router and by RegisterRoutes) gives the same
	// language and headers: SetHeaders keeps Content-Language and Vary once.
	return func(c *gin.Context) {
		lang := cat.FromRequest(c.Request)
		views.SetLanguage(c, lang)
		lang.SetHeaders(c.Writer.Header())
	}
}

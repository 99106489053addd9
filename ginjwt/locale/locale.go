package locale

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Config is Django's i18n settings, by their Python names.
type Config struct {
	// LanguageCode is LANGUAGE_CODE: the language of every response when LocaleMiddleware is
	// off, the last resort of its selection when on, and the fallback catalog of the other
	// languages. "" means "en-us".
	LanguageCode string
	// Languages is LANGUAGES (its codes): the languages a request may select. nil means
	// Django's global list (GlobalLanguages).
	Languages []string
	// CookieName is LANGUAGE_COOKIE_NAME, the cookie LocaleMiddleware reads before
	// Accept-Language (Django's set_language view writes it). "" means "django_language".
	CookieName string
}

// ErrConfig is wrapped by the errors of New: a setting Django's system checks reject.
var ErrConfig = errors.New("locale: invalid settings")

// Catalog is the embedded catalogs resolved for one Config: Django's translations and
// LocaleMiddleware's choice of language. It is built once (New) and safe for concurrent use.
type Catalog struct {
	cats        *catalogs
	langs       languages
	defaultCode string
	cookieName  string
	// translations are resolved once for every language of the LANGUAGES setting and for
	// LANGUAGE_CODE, each with and without the default-language fallback (whether a language
	// falls back depends on the case it was selected in: "EN-gb" does, "en-gb" does not).
	translations map[translationKey]*translation
	msgids       []string // every msgid of the catalogs
	// selected caches the choice for an Accept-Language value (requests without the language
	// cookie): browsers send few distinct values, and the choice depends on nothing else.
	selected selectionCache
}

type translationKey struct {
	code     string // lower-cased
	fallback bool
}

// New checks cfg as Django's system checks do (translation.E001, E002 and E004) and resolves
// the translations of every language.
func New(cfg Config) (*Catalog, error) {
	cats, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	return newCatalog(cats, cfg)
}

func newCatalog(cats *catalogs, cfg Config) (*Catalog, error) {
	c := &Catalog{cats: cats, defaultCode: cfg.LanguageCode, cookieName: cfg.CookieName}
	if c.defaultCode == "" {
		c.defaultCode = DefaultLanguageCode
	}
	if c.cookieName == "" {
		c.cookieName = DefaultCookieName
	}
	codes := cfg.Languages
	if codes == nil {
		codes = globalLanguages[:]
	}
	if !validLanguageCode(c.defaultCode) {
		return nil, fmt.Errorf("%w: LANGUAGE_CODE %q is not a valid language code (translation.E001)", ErrConfig, c.defaultCode)
	}
	for _, code := range codes {
		if !validLanguageCode(code) {
			return nil, fmt.Errorf("%w: LANGUAGES has an invalid language code %q (translation.E002)", ErrConfig, code)
		}
	}
	c.langs = cats.newLanguages(codes)
	if _, ok := cats.supportedVariant(c.langs, c.defaultCode); !ok {
		return nil, fmt.Errorf("%w: LANGUAGE_CODE %q is not in LANGUAGES (translation.E004)", ErrConfig, c.defaultCode)
	}
	c.msgids = cats.msgids()
	c.translations = map[translationKey]*translation{}
	for _, code := range append(append([]string(nil), c.langs.order...), c.defaultCode) {
		for _, fallback := range []bool{false, true} {
			key := translationKey{asciiLower(code), fallback}
			if _, done := c.translations[key]; done {
				continue
			}
			fallbackTo := ""
			if fallback {
				fallbackTo = c.defaultCode
			}
			c.translations[key] = cats.resolve(code, fallbackTo, c.msgids)
		}
	}
	return c, nil
}

// LanguageCode returns LANGUAGE_CODE as configured.
func (c *Catalog) LanguageCode() string { return c.defaultCode }

// Default returns the language of a Django project without LocaleMiddleware: LANGUAGE_CODE.
func (c *Catalog) Default() Language { return c.activate(c.defaultCode) }

// Activate returns the language as Django's translation.activate(code) installs it: the
// catalogs of code's locale, then LANGUAGE_CODE's (unless code is LANGUAGE_CODE or English).
// The languages of LANGUAGES and LANGUAGE_CODE are resolved by New; another code is resolved on
// each call. ok is false, and the Language zero, for a code that is not a language code.
func (c *Catalog) Activate(code string) (Language, bool) {
	if !validLanguageCode(code) {
		return Language{}, false
	}
	return c.activate(code), true
}

func (c *Catalog) activate(code string) Language {
	// DjangoTranslation._add_fallback compares the code as activated, case included.
	fallback := code != c.defaultCode && !strings.HasPrefix(code, "en")
	t := c.translations[translationKey{asciiLower(code), fallback}]
	if t == nil {
		fallbackTo := ""
		if fallback {
			fallbackTo = c.defaultCode
		}
		t = c.cats.resolve(code, fallbackTo, c.msgids)
	}
	return Language{code: code, t: t}
}

// FromRequest is LocaleMiddleware's choice of language for r (Django's
// get_language_from_request without i18n_patterns): the LANGUAGE_COOKIE_NAME cookie when it
// names a language of LANGUAGES (or a variant of one), else the first range of
// Accept-Language, by quality, that has a supported variant ("*" ends the search), else
// LANGUAGE_CODE's.
func (c *Catalog) FromRequest(r *http.Request) Language {
	cookie, ok := cookieValue(r.Header.Values("Cookie"), c.cookieName)
	if ok {
		return c.activate(c.selectCode(cookie, ok, r.Header.Get("Accept-Language")))
	}
	return c.Select(r.Header.Get("Accept-Language"))
}

// Select is FromRequest for a request with this Accept-Language value and no language cookie.
func (c *Catalog) Select(acceptLanguage string) Language {
	if lang, ok := c.selected.get(acceptLanguage); ok {
		return lang
	}
	lang := c.activate(c.selectCode("", false, acceptLanguage))
	c.selected.put(acceptLanguage, lang)
	return lang
}

func (c *Catalog) selectCode(cookie string, hasCookie bool, accept string) string {
	if hasCookie && c.langs.set[cookie] && c.langs.checked[cookie] {
		return cookie
	}
	if code, ok := c.cats.supportedVariant(c.langs, cookie); ok {
		return code
	}
	for _, r := range ParseAcceptLanguage(accept) {
		if r.Tag == "*" {
			break
		}
		if !validLanguageCode(r.Tag) {
			continue
		}
		if code, ok := c.cats.supportedVariant(c.langs, r.Tag); ok {
			return code
		}
	}
	if code, ok := c.cats.supportedVariant(c.langs, c.defaultCode); ok {
		return code
	}
	return c.defaultCode
}

// Package locale is Django's translation machinery for the messages a client of gin-simplejwt
// can see, and Django's LocaleMiddleware's choice of language.
//
// The catalogs are upstream's, embedded (see data/README.md): simplejwt's (the 25 locales of
// its HEAD), and the entries of Django REST framework's and Django's catalogs that translate
// our messages (Messages lists them, each with its catalog). They are read with
// github.com/leonelquinteros/gotext, compiled as Django reads them (msgfmt leaves fuzzy entries
// out: most of simplejwt's catalogs keep "Token is invalid" English for that reason).
//
// A Catalog is built once from Django's settings (Config: LANGUAGE_CODE, LANGUAGES,
// LANGUAGE_COOKIE_NAME) and is safe for concurrent use:
//
//	cat, err := locale.New(locale.Config{LanguageCode: "de"})
//	lang := cat.FromRequest(r)      // with LocaleMiddleware; cat.Default() without
//	detail := lang.Gettext("Token is blacklisted")
//	lang.SetHeaders(w.Header())     // Content-Language, Vary: Accept-Language
//
// What Django does, and so this package:
//   - The language: the django_language cookie, then Accept-Language ranges by quality, each
//     mapped to a supported variant (get_supported_language_variant: "de-AT" → "de",
//     "zh-TW" → "zh-hant" through LANG_INFO, "zh-hans-cn" → "zh-hans", "fr-fr" → the first
//     listed "fr-…" when "fr" is not listed), then LANGUAGE_CODE's variant. A language counts
//     when it is listed and a catalog exists for it; Django ships one for every entry of its
//     global LANGUAGES, so with the default settings every listed language can be chosen, even
//     one no embedded catalog translates (its messages then come from LANGUAGE_CODE's catalogs,
//     or stay English). The default LANGUAGE_CODE "en-us" is not listed: its variant "en" is
//     what a request without preferences gets, and what Content-Language says.
//   - The catalogs of a language are found as Python's gettext finds them: "ru" uses ru_RU
//     (simplejwt's) and ru (DRF's), "zh-hans" zh_Hans, "pt" pt_PT then pt.
//   - The catalogs merge as DjangoTranslation merges them (DRF's over Django's for "This field
//     is required."), and every language but LANGUAGE_CODE and English falls back to
//     LANGUAGE_CODE's translation.
//   - A message with fields is translated, then formatted with Python's str.format (Format).
//     DRF's throttling message calls ngettext on already translated and formatted strings, so
//     its plural is "wait == 1" in every language (see the NGettext example).
//
// Django's behaviour is the one of its newest release (5.x); the tests compare every answer
// with Debian's Django 3.2.25, whose translation and selection code is the same (it carries the
// later security fixes), with DRF 3.14 and with simplejwt 5.2.2 and simplejwt HEAD's catalogs
// (testdata/gen_golden.py). Where simplejwt HEAD translates differently from 5.2.2 the package
// follows HEAD, simplejwt's newest release being the reference.
//
// For English, and for the zero Language (localization off), Gettext returns its argument
// without a lookup or an allocation.
package locale

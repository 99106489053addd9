package locale

import "strings"

// GlobalLanguages returns Django's global LANGUAGES setting (django/conf/global_settings.py of
// Django 5.x): the language codes Django ships a catalog for, in Django's order, which is the
// order its "fr-fr → fr-ca" fallback walks.
func GlobalLanguages() []string {
	return append([]string(nil), globalLanguages[:]...)
}

var globalLanguages = [...]string{
	"af", "ar", "ar-dz", "ast", "az", "bg", "be", "bn", "br", "bs", "ca", "ckb", "cs", "cy",
	"da", "de", "dsb", "el", "en", "en-au", "en-gb", "eo", "es", "es-ar", "es-co", "es-mx",
	"es-ni", "es-ve", "et", "eu", "fa", "fi", "fr", "fy", "ga", "gd", "gl", "he", "hi", "hr",
	"hsb", "hu", "hy", "ia", "id", "ig", "io", "is", "it", "ja", "ka", "kab", "kk", "km", "kn",
	"ko", "ky", "lb", "lt", "lv", "mk", "ml", "mn", "mr", "ms", "my", "nb", "ne", "nl", "nn",
	"os", "pa", "pl", "pt", "pt-br", "ro", "ru", "sk", "sl", "sq", "sr", "sr-latn", "sv", "sw",
	"ta", "te", "tg", "th", "tk", "tr", "tt", "udm", "ug", "uk", "ur", "uz", "vi", "zh-hans",
	"zh-hant",
}

// langInfoFallbacks are the "fallback" entries of Django's LANG_INFO
// (django/conf/locale/__init__.py), which get_supported_language_variant tries right after the
// code itself.
var langInfoFallbacks = map[string][]string{
	"zh-cn": {"zh-hans"},
	"zh-hk": {"zh-hant"},
	"zh-mo": {"zh-hant"},
	"zh-my": {"zh-hans"},
	"zh-sg": {"zh-hans"},
	"zh-tw": {"zh-hant"},
}

// DefaultLanguageCode is Django's default LANGUAGE_CODE.
const DefaultLanguageCode = "en-us"

// DefaultCookieName is Django's default LANGUAGE_COOKIE_NAME.
const DefaultCookieName = "django_language"

// languageCodeMaxLength is Django's LANGUAGE_CODE_MAX_LENGTH: the longest Accept-Language value
// or language code it parses.
const languageCodeMaxLength = 500

// validLanguageCode is Django's language_code_re,
// ^[a-z]{1,8}(?:-[a-z0-9]{1,8})*(?:@[a-z0-9]{1,20})?$ with re.IGNORECASE, on a Latin-1 string
// (no non-ASCII Latin-1 letter matches [a-z] case-insensitively). Python's $ also matches before
// a final "\n"; a code ending in "\n" is in no LANGUAGES list, so that never changes an answer.
func validLanguageCode(s string) bool {
	main, mod, hasMod := strings.Cut(s, "@")
	if hasMod && !run(mod, 1, 20, isASCIIAlnum) {
		return false
	}
	first, rest, _ := strings.Cut(main, "-")
	if !run(first, 1, 8, isASCIILetter) {
		return false
	}
	if rest == "" {
		return !strings.Contains(main, "-")
	}
	for part := range strings.SplitSeq(rest, "-") {
		if !run(part, 1, 8, isASCIIAlnum) {
			return false
		}
	}
	return true
}

// run reports whether s has lo to hi bytes, each accepted by ok.
func run(s string, lo, hi int, ok func(byte) bool) bool {
	return len(s) >= lo && len(s) <= hi && span(s, 0, hi, ok) == len(s)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// languages is a LANGUAGES setting as Django's get_languages() holds it: the codes lower-cased,
// in order, the first of duplicates kept; and check_for_language's answer for each.
type languages struct {
	order   []string
	set     map[string]bool
	checked map[string]bool
}

func (c *catalogs) newLanguages(codes []string) languages {
	l := languages{set: map[string]bool{}, checked: map[string]bool{}}
	for _, code := range codes {
		code = asciiLower(code)
		if !l.set[code] {
			l.set[code] = true
			l.order = append(l.order, code)
			l.checked[code] = c.checkForLanguage(code)
		}
	}
	return l
}

// supported is the test get_supported_language_variant applies to each candidate: listed in
// LANGUAGES (without case) and check_for_language. A lower-case code is answered from the
// answers computed once; check_for_language reads a code in another case the same way except
// for a code of more than three letters without "-", so those are checked again.
func (c *catalogs) supported(langs languages, code string) bool {
	lower := asciiLower(code)
	if !langs.set[lower] {
		return false
	}
	if lower == code {
		return langs.checked[code]
	}
	return c.checkForLanguage(code)
}

// checkForLanguage is Django's check_for_language: a well-formed code for which some catalog
// exists, looked up the way gettext.find does ("de-at" counts because of "de").
func (c *catalogs) checkForLanguage(code string) bool {
	if !validLanguageCode(code) {
		return false
	}
	for _, name := range c.catalogNames(toLocale(code)) {
		if c.dirs[name] {
			return true
		}
	}
	return false
}

// supportedVariant is Django's get_supported_language_variant(code, strict=False): the code, a
// LANG_INFO fallback or a shorter prefix ("zh-hant-tw" → "zh-hant" → "zh") that LANGUAGES lists
// and a catalog exists for, else the first LANGUAGES entry of the same generic language
// ("fr-fr" → "fr-ca" when only "fr-ca" is listed). The code keeps the case it was given.
func (c *catalogs) supportedVariant(langs languages, code string) (string, bool) {
	if code == "" {
		return "", false
	}
	if len(code) > languageCodeMaxLength {
		i := strings.LastIndexByte(code[:languageCodeMaxLength], '-')
		if i <= 0 {
			return "", false
		}
		code = code[:i]
	}
	// The candidates, in order: the code, its LANG_INFO fallbacks, its prefixes from the
	// longest ("zh-hant-tw" → "zh-hant" → "zh"); the generic code is the last of them.
	fallbacks := langInfoFallbacks[code]
	generic := code
	if len(fallbacks) > 0 {
		generic = fallbacks[len(fallbacks)-1]
	}
	if i := strings.IndexByte(code, '-'); i >= 0 {
		generic = code[:i]
	}
	if c.supported(langs, code) {
		return code, true
	}
	for _, f := range fallbacks {
		if c.supported(langs, f) {
			return f, true
		}
	}
	for i := len(code); ; {
		i = strings.LastIndexByte(code[:i], '-')
		if i < 0 {
			break
		}
		if c.supported(langs, code[:i]) {
			return code[:i], true
		}
	}
	for _, s := range langs.order {
		if len(s) > len(generic) && s[len(generic)] == '-' && strings.HasPrefix(s, generic) {
			return s, true
		}
	}
	return "", false
}

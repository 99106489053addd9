package locale

import "strings"

// This file is the part of Python's gettext module (and Django's to_locale/to_language) that
// decides which catalog files a language uses.

// toLocale is Django's to_locale: "en-us" → "en_US", "sr-latn" → "sr_Latn", "zh-hant-tw" →
// "zh_Hant-tw", "de" → "de".
func toLocale(language string) string {
	lower := asciiLower(language)
	lang, country, found := strings.Cut(lower, "-")
	if !found || country == "" {
		if len(language) <= 3 {
			return lower
		}
		return asciiLower(language[:3]) + language[3:]
	}
	country, tail, hasTail := strings.Cut(country, "-")
	if len(country) > 2 {
		country = pyTitle(country)
	} else {
		country = strings.ToUpper(country)
	}
	if hasTail {
		country += "-" + tail
	}
	return lang + "_" + country
}

// toLanguage is Django's to_language: "en_US" → "en-us"; what get_language() returns and what
// LocaleMiddleware sends as Content-Language.
func toLanguage(locale string) string {
	if p := strings.IndexByte(locale, '_'); p >= 0 {
		return asciiLower(locale[:p]) + "-" + asciiLower(locale[p+1:])
	}
	return asciiLower(locale)
}

// pyTitle is Python's str.title() for ASCII: a letter is upper-cased when the character before
// it is not a letter, lower-cased otherwise ("latn" → "Latn", "ab1cd" → "Ab1Cd").
func pyTitle(s string) string {
	b := []byte(s)
	prevCased := false
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			if !prevCased {
				b[i] = c - 'a' + 'A'
			}
			prevCased = true
		case c >= 'A' && c <= 'Z':
			if prevCased {
				b[i] = c - 'A' + 'a'
			}
			prevCased = true
		default:
			prevCased = false
		}
	}
	return string(b)
}

// catalogNames returns the catalog directory names that Python's gettext.find tries for a
// locale, most specific first: _expand_lang(locale.normalize(loc)) without the variants that
// carry an encoding or a modifier (no catalog directory has one). "ru" → ["ru_RU", "ru"],
// "zh_Hans" → ["zh_Hans", "zh"], "de_AT" → ["de_AT", "de"].
func (c *catalogs) catalogNames(loc string) []string {
	norm := c.normalize(loc)
	// _expand_lang splits the modifier, then the encoding, then the territory.
	if i := strings.IndexByte(norm, '@'); i >= 0 {
		norm = norm[:i]
	}
	if i := strings.IndexByte(norm, '.'); i >= 0 {
		norm = norm[:i]
	}
	if lang, _, ok := strings.Cut(norm, "_"); ok {
		return []string{norm, lang}
	}
	return []string{norm}
}

// normalize is Python's locale.normalize for names without an encoding (a Django locale name
// never has one): the lower-cased name, with its modifier, looked up in locale_alias; then,
// for a name with a modifier, the name without it. A name the table does not know is returned
// as it was given, case included ("zh_Hans" stays "zh_Hans").
func (c *catalogs) normalize(loc string) string {
	code := asciiLower(loc)
	langname, modifier, hasMod := strings.Cut(code, "@")
	if v, ok := c.alias[code]; ok {
		return v
	}
	if hasMod {
		if v, ok := c.alias[langname]; ok {
			if !strings.Contains(v, "@") {
				return v + "@" + modifier // _append_modifier (its "euro" case only changes the encoding)
			}
			if _, defMod, _ := strings.Cut(v, "@"); asciiLower(defMod) == modifier {
				return v
			}
		}
	}
	return loc
}

// asciiLower lower-cases ASCII letters only. Request headers and cookies reach Django decoded
// as Latin-1, and no Latin-1 character lower-cases to an ASCII one, so this is Python's
// str.lower() for every comparison with the ASCII language codes.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

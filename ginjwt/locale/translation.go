package locale

// Language is a language activated as Django's translation.activate does: the code the
// selection gave and its resolved translations. The zero Language is localization off: every
// message stays as it is and no header is set. Languages are small values, safe to copy and to
// use from any goroutine.
type Language struct {
	code string // the code as selected ("pt-BR" from a cookie keeps its case)
	t    *translation
}

// translation is a DjangoTranslation resolved for every msgid of the embedded catalogs.
type translation struct {
	// msgs maps a msgid to its translation, for the msgids whose translation differs from
	// them; nil when there is none (English, or a language no catalog translates).
	msgs map[string]string
	// chain is the lookup order of the catalogs, for NGettext.
	chain []*moCatalog
	// contentLanguage is the Content-Language header value of a Language whose code resolves
	// here ([]string{Code()}, shared: SetHeaders stores it as it is), set by activate.
	contentLanguage []string
}

// Code returns Django's get_language() for the language: the code lower-cased with "_" as "-"
// ("pt-br"), which LocaleMiddleware sends as Content-Language. It is "" for the zero Language.
func (l Language) Code() string { return toLanguage(l.code) }

// Gettext is Django's gettext: the translation of msgid in the language, or msgid itself when
// no catalog translates it. For English, and for the zero Language, it returns msgid without a
// lookup or an allocation.
//
// A message with fields is translated first and formatted after (Format), as upstream does:
// Format(l.Gettext(`Method "{method}" not allowed.`), Named("method", "GET")).
func (l Language) Gettext(msgid string) string {
	if l.t == nil || l.t.msgs == nil {
		return msgid
	}
	if s, ok := l.t.msgs[msgid]; ok {
		return s
	}
	return msgid
}

// NGettext is Django's ngettext: the plural entry for singular in the first catalog of the
// language that has one, its form chosen by that catalog's Plural-Forms for n; singular when
// n == 1 and plural otherwise when none has. n is evaluated as an unsigned 32-bit number, as
// gotext does (Python evaluates negative n as is). The embedded catalogs have no plural entries:
// DRF's throttling message is two singular msgids ("Expected available in {wait} second." and
// "… seconds."), translated and formatted before DRF calls ngettext on the results, which
// therefore picks by n == 1 alone in every language.
func (l Language) NGettext(singular, plural string, n int) string {
	if l.t != nil {
		for _, cat := range l.t.chain {
			if cat.plurals[singular] && cat.mo.IsTranslatedN(singular, n) {
				return cat.mo.GetN(singular, plural, n)
			}
		}
	}
	if n == 1 {
		return singular
	}
	return plural
}

// resolve builds DjangoTranslation(code) for the catalogs. fallbackTo is the default
// language (LANGUAGE_CODE) whose translation Django adds as the last fallback of a language that
// is neither the default nor English (its code does not start with "en"), or "" for none.
//
// For each source in merge order, gettext.find gives the existing catalogs among the names the
// locale expands to ("ru" → ru_RU, ru): the first is merged into the translation's own catalog
// (later sources win), the others become gettext fallbacks in that order, and the default
// language's translation is the last fallback.
func (c *catalogs) resolve(code, fallbackTo string, msgids []string) *translation {
	chain := c.chain(code)
	if fallbackTo != "" {
		chain = append(chain, c.chain(fallbackTo)...)
	}
	t := &translation{chain: chain, contentLanguage: []string{toLanguage(code)}[:1:1]}
	for _, id := range msgids {
		for _, cat := range chain {
			if s, ok := cat.msgs[id]; ok {
				if s != id {
					if t.msgs == nil {
						t.msgs = map[string]string{}
					}
					t.msgs[id] = s
				}
				break
			}
		}
	}
	return t
}

// chain is the lookup order of DjangoTranslation(code) without its default-language fallback.
func (c *catalogs) chain(code string) []*moCatalog {
	names := c.catalogNames(toLocale(code))
	var primaries, fallbacks []*moCatalog
	for _, src := range mergeOrder {
		var found []*moCatalog
		for _, name := range names {
			if cat, ok := c.bySource[src][name]; ok {
				found = append(found, cat)
			}
		}
		if len(found) == 0 {
			continue
		}
		primaries = append([]*moCatalog{found[0]}, primaries...)
		fallbacks = append(fallbacks, found[1:]...)
	}
	return append(primaries, fallbacks...)
}

// Translates reports whether the language translates any message: false for English, for a
// language no catalog translates, and for the zero Language. A caller may skip the lookups
// (and keep nothing per request) when it is false.
func (l Language) Translates() bool { return l.t != nil && l.t.msgs != nil }

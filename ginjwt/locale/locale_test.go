package locale

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func mustNew(t testing.TB, cfg Config) *Catalog {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewChecksSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", Config{}, true},
		{"LANGUAGE_CODE de", Config{LanguageCode: "de"}, true},
		{"LANGUAGE_CODE with a region Django does not list", Config{LanguageCode: "de-at"}, true},
		{"LANGUAGE_CODE zh (zh-hans is listed)", Config{LanguageCode: "zh"}, true},
		{"LANGUAGE_CODE mixed case", Config{LanguageCode: "pt-BR"}, true},
		{"LANGUAGE_CODE not a code (E001)", Config{LanguageCode: "de_DE"}, false},
		{"LANGUAGE_CODE not in LANGUAGES (E004)", Config{LanguageCode: "xx"}, false},
		{"LANGUAGE_CODE outside custom LANGUAGES (E004)", Config{LanguageCode: "fr", Languages: []string{"en", "de"}}, false},
		{"invalid LANGUAGES entry (E002)", Config{Languages: []string{"en", "de_DE"}}, false},
		{"custom LANGUAGES", Config{LanguageCode: "en", Languages: []string{"en", "de"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("New(%+v) = %v", tc.cfg, err)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	c := mustNew(t, Config{})
	for _, tc := range []struct{ accept, want string }{
		{"", "en"}, // LANGUAGE_CODE en-us is not listed; its variant en is
		{"de-AT", "de"},
		{"zh-Hans", "zh-hans"},
		{"zh-TW", "zh-hant"}, // LANG_INFO fallback
		{"zh-hant-tw", "zh-hant"},
		{"pt-BR", "pt-br"},
		{"pt-PT", "pt"},
		{"es-419", "es"},
		{"fr;q=0.5, ru", "ru"},
		{"xx, *, de", "en"}, // "*" ends the search
		{"de;q=0", "de"},    // Django does not drop q=0
		{"de;q=1.5", "en"},  // an invalid value is ignored whole
	} {
		if got := c.Select(tc.accept).Code(); got != tc.want {
			t.Errorf("Select(%q) = %q, want %q", tc.accept, got, tc.want)
		}
	}
}

func TestFromRequestCookie(t *testing.T) {
	c := mustNew(t, Config{LanguageCode: "de", CookieName: "lang"})
	for _, tc := range []struct{ cookie, accept, want string }{
		{"lang=fr", "ru", "fr"},
		{"lang=fr; lang=it", "", "it"},   // the last cookie of a name wins
		{`lang="d\145"`, "", "de"},       // Python's cookie unquoting
		{"lang=xx", "ru", "ru"},          // not a language: Accept-Language decides
		{"django_language=fr", "", "de"}, // another cookie name
		{"lang=PT-br", "", "pt-br"},      // kept as given, sent lower-cased
		{"lang=zh-cn", "", "zh-hans"},    // a variant of a listed language
		{"other=1;lang = es ; x=2", "", "es"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", tc.cookie)
		r.Header.Set("Accept-Language", tc.accept)
		if got := c.FromRequest(r).Code(); got != tc.want {
			t.Errorf("Cookie %q, Accept-Language %q: %q, want %q", tc.cookie, tc.accept, got, tc.want)
		}
	}
}

func TestGettext(t *testing.T) {
	en := mustNew(t, Config{})
	de := mustNew(t, Config{LanguageCode: "de"})
	for _, tc := range []struct {
		cat        *Catalog
		lang, id   string
		want       string
		identityEN bool
	}{
		{en, "de", "This field is required.", "Dieses Feld ist erforderlich.", false},
		{en, "af", "This field is required.", "Dié veld is verpligtend.", false},               // Django's catalog: DRF has no af
		{en, "ja", "Token is blacklisted", "Token is blacklisted", false},                      // no simplejwt ja: English
		{de, "ja", "Token is blacklisted", "Token steht auf der Blacklist", false},             // LANGUAGE_CODE's catalog as fallback
		{de, "en", "Token is blacklisted", "Token is blacklisted", true},                       // English never falls back
		{en, "fr", "Token is invalid", "Token is invalid", false},                              // fuzzy in simplejwt's fr catalog
		{en, "ru", "Token is invalid or expired", "Токен недействителен или просрочен", false}, // ru → ru_RU
		{en, "fa", "Token is expired", "توکن منقضی شده است", false},
	} {
		l, ok := tc.cat.Activate(tc.lang)
		if !ok {
			t.Fatalf("Activate(%q) failed", tc.lang)
		}
		if got := l.Gettext(tc.id); got != tc.want {
			t.Errorf("LANGUAGE_CODE %s, %s: Gettext(%q) = %q, want %q", tc.cat.LanguageCode(), tc.lang, tc.id, got, tc.want)
		}
	}
	if got := (Language{}).Gettext("Not found."); got != "Not found." {
		t.Errorf("zero Language: %q", got)
	}
}

// TestEnglishIsIdentity: every English variant of LANGUAGES translates every msgid to itself,
// which is what lets Gettext return at once for English.
func TestEnglishIsIdentity(t *testing.T) {
	for _, code := range []string{"en-us", "de"} {
		c := mustNew(t, Config{LanguageCode: code})
		for _, lang := range []string{"en", "en-au", "en-gb", "en-us"} {
			l, _ := c.Activate(lang)
			if l.t == nil || l.t.msgs != nil {
				t.Errorf("LANGUAGE_CODE %s, %s: translations %v, want none", code, lang, l.t)
			}
		}
	}
}

func TestNGettext(t *testing.T) {
	mo, err := os.ReadFile("testdata/plural/django.mo")
	if err != nil {
		t.Fatal(err)
	}
	alias, err := fs.ReadFile(embedded, "data/python/locale_alias.txt")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"x/drf/locale/ru/LC_MESSAGES/django.mo": {Data: mo},
		"x/simplejwt/locale":                    {Mode: fs.ModeDir},
		"x/django/locale":                       {Mode: fs.ModeDir},
		"x/python/locale_alias.txt":             {Data: alias},
	}
	cats, err := loadCatalogs(fsys, "x")
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCatalog(cats, Config{})
	if err != nil {
		t.Fatal(err)
	}
	ru, _ := c.Activate("ru")
	for n, want := range map[int]string{1: "{n} токен", 2: "{n} токена", 5: "{n} токенов", 11: "{n} токенов", 21: "{n} токен", 22: "{n} токена"} {
		if got := ru.NGettext("{n} token", "{n} tokens", n); got != want {
			t.Errorf("ru NGettext(%d) = %q, want %q", n, got, want)
		}
	}
	if got := ru.NGettext("{n} apple", "{n} apples", 1); got != "{n} apple" {
		t.Errorf("untranslated, n=1: %q", got)
	}
	if got := ru.NGettext("{n} apple", "{n} apples", 0); got != "{n} apples" {
		t.Errorf("untranslated, n=0: %q", got)
	}
	if got := ru.Gettext("This field is required."); got != "Обязательное поле." {
		t.Errorf("singular entry: %q", got)
	}
	if got := ru.Gettext("{n} token"); got != "{n} token" {
		t.Errorf("a plural entry is not a singular one: %q", got)
	}
}

func TestActivate(t *testing.T) {
	c := mustNew(t, Config{LanguageCode: "de-at"})
	if l := c.Default(); l.Code() != "de-at" || l.Gettext("Not found.") != "Nicht gefunden." {
		t.Errorf("Default() = %q, %q", l.Code(), l.Gettext("Not found."))
	}
	if _, ok := c.Activate("not a code"); ok {
		t.Error("Activate accepted an invalid code")
	}
	// Not "en…" as given, so it falls back to LANGUAGE_CODE's catalogs, as in Django; DRF's
	// English catalog still answers first for the msgids it has.
	l, ok := c.Activate("EN-gb")
	if !ok || l.Code() != "en-gb" || l.Gettext("Token is blacklisted") != "Token steht auf der Blacklist" || l.Gettext("Not found.") != "Not found." {
		t.Errorf("Activate(EN-gb) = %q, %q, %q", l.Code(), l.Gettext("Token is blacklisted"), l.Gettext("Not found."))
	}
	if l, _ := c.Activate("en-gb"); l.Gettext("Token is blacklisted") != "Token is blacklisted" {
		t.Errorf("Activate(en-gb) fell back to LANGUAGE_CODE")
	}
}

func TestSetHeaders(t *testing.T) {
	c := mustNew(t, Config{})
	for _, tc := range []struct {
		vary, contentLanguage []string
		wantVary, wantCL      []string
	}{
		{nil, nil, []string{"Accept-Language"}, []string{"de"}},
		{[]string{"Accept"}, nil, []string{"Accept, Accept-Language"}, []string{"de"}},
		{[]string{"Accept", "Cookie"}, nil, []string{"Accept, Cookie, Accept-Language"}, []string{"de"}},
		{[]string{"accept-language"}, []string{"fr"}, []string{"accept-language"}, []string{"fr"}},
		{[]string{"*"}, nil, []string{"*"}, []string{"de"}},
	} {
		h := http.Header{}
		if tc.vary != nil {
			h["Vary"] = tc.vary
		}
		if tc.contentLanguage != nil {
			h["Content-Language"] = tc.contentLanguage
		}
		c.Select("de").SetHeaders(h)
		if !reflect.DeepEqual(h["Vary"], tc.wantVary) || !reflect.DeepEqual(h["Content-Language"], tc.wantCL) {
			t.Errorf("Vary %q: got Vary %q Content-Language %q, want %q %q", tc.vary, h["Vary"], h["Content-Language"], tc.wantVary, tc.wantCL)
		}
	}
	h := http.Header{}
	Language{}.SetHeaders(h)
	if len(h) != 0 {
		t.Errorf("zero Language set %v", h)
	}
}

func TestParseAcceptLanguage(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []LanguageRange
	}{
		{"", nil},
		{"de", []LanguageRange{{"de", 1}}},
		{"DE-at, en;q=0.5", []LanguageRange{{"de-at", 1}, {"en", 0.5}}},
		{"fr;q=0.5,ru;q=0.5,de;q=0.8", []LanguageRange{{"de", 0.8}, {"fr", 0.5}, {"ru", 0.5}}},
		{"de ; Q=0.5 , fr", []LanguageRange{{"fr", 1}, {"de", 0.5}}},
		{"de,\xa0fr", []LanguageRange{{"de", 1}, {"fr", 1}}}, // Latin-1 NBSP is \s for Python
		{"de,", []LanguageRange{{"de", 1}}},
		{"*", []LanguageRange{{"*", 1}}},
		{"de;q=0.", []LanguageRange{{"de", 0}}},
		{"de;q=1.5", nil},
		{"de;q=.5", nil},
		{"de fr", nil},
		{",de", nil},
		{"abcdefghi", nil},
		{"de ", nil},
		{"de\xe9", nil},
		{strings.Repeat("x", 501), nil},
		{"de," + strings.Repeat("x", 600), []LanguageRange{{"de", 1}}},
	} {
		if got := ParseAcceptLanguage(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseAcceptLanguage(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		tmpl string
		args []Arg
		want string
		err  bool
	}{
		{`Method "{method}" not allowed.`, []Arg{Named("method", "GET")}, `Method "GET" not allowed.`, false},
		{"U+{code_point:X}.", []Arg{Named("code_point", 0xD800)}, "U+D800.", false},
		{"{n:x} {n:d} {n}", []Arg{Named("n", -255)}, "-ff -255 -255", false},
		{"Token has no '{}' claim", []Arg{Positional("exp")}, "Token has no 'exp' claim", false},
		{"{1} {0}", []Arg{Positional("a"), Positional("b")}, "b a", false},
		{"{{literal}} {}", []Arg{Positional(1)}, "{literal} 1", false},
		{"no fields", nil, "no fields", false},
		{"{missing}", nil, "", true},
		{"{} {0}", []Arg{Positional("a")}, "", true},
		{"{0} {}", []Arg{Positional("a")}, "", true},
		{"{}", nil, "", true},
		{"{a.b}", []Arg{Named("a", "x")}, "", true},
		{"{a!r}", []Arg{Named("a", "x")}, "", true},
		{"{a:X}", []Arg{Named("a", "x")}, "", true},
		{"unclosed {", nil, "", true},
		{"single }", nil, "", true},
		{"{a}", []Arg{Named("a", 1.5)}, "", true},
	} {
		got, err := Format(tc.tmpl, tc.args...)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("Format(%q) = %q, %v; want %q, error %v", tc.tmpl, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, ErrFormat) {
			t.Errorf("Format(%q): %v does not wrap ErrFormat", tc.tmpl, err)
		}
	}
}

func TestToLocale(t *testing.T) {
	for in, want := range map[string]string{
		"en-us": "en_US", "sr-latn": "sr_Latn", "zh-hant-tw": "zh_Hant-tw", "de": "de",
		"EN-US": "en_US", "es-419": "es_419", "ab-c1d2": "ab_C1D2", "abc-ab1cd": "abc_Ab1Cd",
		"DEUTSCH": "deuTSCH", "de-": "de-",
	} {
		if got := toLocale(in); got != want {
			t.Errorf("toLocale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCatalogNames(t *testing.T) {
	cats, err := loadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string][]string{
		"ru": {"ru_RU", "ru"}, "zh_Hans": {"zh_Hans", "zh"}, "de_AT": {"de_AT", "de"},
		"sr_Latn": {"sr_Latn", "sr"}, "ast": {"ast"}, "iw": {"he_IL", "he"}, "sr@latin": {"sr_RS", "sr"},
	} {
		if got := cats.catalogNames(in); !reflect.DeepEqual(got, want) {
			t.Errorf("catalogNames(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCookieValue(t *testing.T) {
	for _, tc := range []struct {
		headers []string
		want    string
		ok      bool
	}{
		{nil, "", false},
		{[]string{"a=1"}, "", false},
		{[]string{"django_language=de"}, "de", true},
		{[]string{"django_language="}, "", true},
		{[]string{`django_language="fr"`}, "fr", true},
		{[]string{`django_language="a\"b\\c"`}, `a"b\c`, true},
		{[]string{`django_language="\150\151"`}, "hi", true},
		{[]string{"django_language=de", "django_language=fr"}, "fr", true},
		{[]string{" django_language\t=\xa0it\x85"}, "it", true},
	} {
		got, ok := cookieValue(tc.headers, "django_language")
		if got != tc.want || ok != tc.ok {
			t.Errorf("cookieValue(%q) = %q, %v; want %q, %v", tc.headers, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzParseAcceptLanguage: no panic; every tag is lower-case and well formed, every quality in
// [0, 1], sorted; and an input accepted is accepted again with its ranges written back.
func FuzzParseAcceptLanguage(f *testing.F) {
	for _, s := range []string{"", "de", "de-AT, en;q=0.5", "*", "de;q=0.", "de,\xa0fr", "x;q=1.000,y;q=0.123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ParseAcceptLanguage(s)
		for i, r := range got {
			if r.Tag != "*" && !validLanguageCode(r.Tag) || r.Tag != strings.ToLower(r.Tag) {
				t.Fatalf("%q: bad tag %q", s, r.Tag)
			}
			if r.Q < 0 || r.Q > 1 || i > 0 && got[i-1].Q < r.Q {
				t.Fatalf("%q: bad qualities %v", s, got)
			}
		}
		if len(got) > 0 {
			parts := make([]string, len(got))
			for i, r := range got {
				parts[i] = r.Tag
			}
			if again := ParseAcceptLanguage(strings.Join(parts, ",")); len(again) != len(got) {
				t.Fatalf("%q: %v, but its tags give %v", s, got, again)
			}
		}
	})
}

// FuzzFromRequest: any Cookie and Accept-Language give a language of LANGUAGES (or
// LANGUAGE_CODE), and never panic.
func FuzzFromRequest(f *testing.F) {
	f.Add("django_language=de", "fr;q=0.5, ru")
	f.Add(`django_language="d\145"`, "")
	f.Add("", strings.Repeat("de-", 200))
	c := mustNew(f, Config{LanguageCode: "de"})
	f.Fuzz(func(t *testing.T, cookie, accept string) {
		r := &http.Request{Header: http.Header{"Cookie": {cookie}, "Accept-Language": {accept}}}
		l := c.FromRequest(r)
		if l.t == nil || !c.langs.set[l.Code()] && l.Code() != "de" {
			t.Fatalf("Cookie %q Accept-Language %q: %q", cookie, accept, l.Code())
		}
	})
}

package locale

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// golden is testdata/golden.json, written by testdata/gen_golden.py from the real Django 3.2,
// DRF 3.14 and simplejwt (5.2.2, and HEAD's catalogs through Django's own machinery).
type golden struct {
	Versions     map[string]string `json:"versions"`
	Translations map[string]struct {
		Base      string                       `json:"base"`
		Languages map[string]map[string]string `json:"languages"`
	} `json:"translations"`
	Select []struct {
		LanguageCode    string   `json:"language_code"`
		Languages       []string `json:"languages"`
		AcceptLanguage  string   `json:"accept_language"`
		Cookie          *string  `json:"cookie"`
		Vary            *string  `json:"vary"`
		ContentLanguage *string  `json:"content_language"`
		Want            struct {
			Language        string  `json:"language"`
			ContentLanguage *string `json:"content_language"`
			Vary            *string `json:"vary"`
		} `json:"want"`
	} `json:"select"`
}

func loadGolden(t testing.TB) *golden {
	t.Helper()
	data, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// variant returns the answers of one variant ("head/de") by language, its diffs applied to its
// base.
func (g *golden) variant(t testing.TB, name string) map[string]map[string]string {
	t.Helper()
	v, ok := g.Translations[name]
	if !ok {
		t.Fatalf("golden has no variant %q", name)
	}
	out := map[string]map[string]string{}
	if v.Base == "" {
		for _, lang := range goldenLanguages() {
			out[lang] = overlay(v.Languages["en"], v.Languages[lang])
		}
		return out
	}
	for lang, cases := range g.variant(t, v.Base) {
		out[lang] = overlay(cases, v.Languages[lang])
	}
	return out
}

// overlay returns base with diff's entries put over it.
func overlay(base, diff map[string]string) map[string]string {
	m := make(map[string]string, len(base))
	for k, s := range base {
		m[k] = s
	}
	for k, s := range diff {
		m[k] = s
	}
	return m
}

// goldenLanguages are the languages gen_golden.py activates: Django's global LANGUAGES and
// EXTRA_LANGUAGES.
func goldenLanguages() []string {
	return append(GlobalLanguages(), "en-us", "pt-BR", "EN-gb", "de-at", "zh")
}

// goldenCase computes one case of gen_golden.py the way the Go code builds the message.
func goldenCase(t testing.TB, l Language, name string) string {
	t.Helper()
	must := func(s string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	throttled := func(wait float64) string {
		w := int(math.Ceil(wait))
		one := must(Format(l.Gettext("Expected available in {wait} second."), Named("wait", w)))
		many := must(Format(l.Gettext("Expected available in {wait} seconds."), Named("wait", w)))
		return l.Gettext("Request was throttled.") + " " + l.NGettext(one, many, w)
	}
	if id, ok := strings.CutPrefix(name, "gettext:"); ok {
		return l.Gettext(id)
	}
	// The cases that are one msgid, translated.
	plain := map[string]string{
		"drf:Throttled(None)":           "Request was throttled.",
		"drf:NotAuthenticated":          "Authentication credentials were not provided.",
		"drf:PermissionDenied":          "You do not have permission to perform this action.",
		"drf:NotFound":                  "Not found.",
		"drf:ParseError":                "Malformed request.",
		"drf:APIException":              "A server error occurred.",
		"drf:CharField(required)":       "This field is required.",
		"drf:CharField(null)":           "This field may not be null.",
		"drf:CharField(blank)":          "This field may not be blank.",
		"drf:CharField(invalid)":        "Not a valid string.",
		"drf:CharField(null character)": "Null characters are not allowed.",
	}
	if id, ok := plain[name]; ok {
		return l.Gettext(id)
	}
	// The cases that format one msgid.
	formatted := map[string]struct {
		id  string
		arg Arg
	}{
		"drf:MethodNotAllowed(GET)":            {`Method "{method}" not allowed.`, Named("method", "GET")},
		"drf:UnsupportedMediaType(text/plain)": {`Unsupported media type "{media_type}" in request.`, Named("media_type", "text/plain")},
		"drf:CharField(max_length=5)":          {"Ensure this field has no more than {max_length} characters.", Named("max_length", 5)},
		"drf:CharField(surrogate)":             {"Surrogate characters are not allowed: U+{code_point:X}.", Named("code_point", 0xD800)},
		"drf:Serializer(list)":                 {"Invalid data. Expected a dictionary, but got {datatype}.", Named("datatype", "list")},
		"simplejwt:claim missing(refresh_exp)": {"Token has no '{}' claim", Positional("refresh_exp")},
		"simplejwt:claim expired(refresh_exp)": {"Token '{}' claim has expired", Positional("refresh_exp")},
	}
	if f, ok := formatted[name]; ok {
		return must(Format(l.Gettext(f.id), f.arg))
	}
	switch name {
	case "drf:Throttled(0.2)":
		return throttled(0.2)
	case "drf:Throttled(1)":
		return throttled(1)
	case "drf:Throttled(5)":
		return throttled(5)
	}
	t.Fatalf("gen_golden.py has a case this test does not know: %q", name)
	return ""
}

// TestGoldenHead: with simplejwt HEAD's catalogs, Django itself answers every case in every
// language exactly as the package does, for LANGUAGE_CODE en-us and de.
func TestGoldenHead(t *testing.T) {
	g := loadGolden(t)
	for _, code := range []string{"en-us", "de"} {
		want := g.variant(t, "head/"+code)
		cat, err := New(Config{LanguageCode: code})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, lang := range goldenLanguages() {
			l, ok := cat.Activate(lang)
			if !ok {
				t.Fatalf("Activate(%q) failed", lang)
			}
			for name, w := range want[lang] {
				n++
				if got := goldenCase(t, l, name); got != w {
					t.Errorf("LANGUAGE_CODE=%s %s %s:\n got %q\nwant %q", code, lang, name, got, w)
				}
			}
		}
		t.Logf("LANGUAGE_CODE=%s: %d cases in %d languages match Django with simplejwt HEAD's catalogs", code, n, len(goldenLanguages()))
	}
}

// TestGolden522: against the real simplejwt 5.2.2, the package answers every case alike except
// where simplejwt HEAD's catalogs translate differently (the package follows HEAD); those
// differences are exactly the ones between the two Django runs, and only simplejwt's messages
// are among them.
func TestGolden522(t *testing.T) {
	g := loadGolden(t)
	perLocale := map[string]int{}
	for _, code := range []string{"en-us", "de"} {
		old, head := g.variant(t, "5.2.2/"+code), g.variant(t, "head/"+code)
		cat, err := New(Config{LanguageCode: code})
		if err != nil {
			t.Fatal(err)
		}
		same, differ := 0, 0
		for _, lang := range goldenLanguages() {
			l, _ := cat.Activate(lang)
			for name, w := range old[lang] {
				got := goldenCase(t, l, name)
				if head[lang][name] != w {
					differ++
					if !strings.HasPrefix(name, "simplejwt:") && !simplejwtMsgid(name) {
						t.Errorf("%s %s: HEAD differs from 5.2.2 on a message that is not simplejwt's", lang, name)
					}
					continue
				}
				same++
				if code == "en-us" {
					perLocale[lang]++
				}
				if got != w {
					t.Errorf("LANGUAGE_CODE=%s %s %s:\n got %q\nwant %q (simplejwt 5.2.2)", code, lang, name, got, w)
				}
			}
		}
		t.Logf("LANGUAGE_CODE=%s: %d cases match Django with simplejwt 5.2.2 byte for byte; %d follow HEAD's catalogs instead", code, same, differ)
	}
	langs := make([]string, 0, len(perLocale))
	for l := range perLocale {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	var b strings.Builder
	for _, l := range langs {
		fmt.Fprintf(&b, " %s=%d", l, perLocale[l])
	}
	t.Logf("cases matched against 5.2.2 per language (LANGUAGE_CODE=en-us):%s", b.String())
}

func simplejwtMsgid(name string) bool {
	id, ok := strings.CutPrefix(name, "gettext:")
	if !ok {
		return false
	}
	cats, err := loadEmbedded()
	if err != nil {
		return false
	}
	for _, cat := range cats.bySource[SimpleJWT] {
		if _, ok := cat.msgs[id]; ok {
			return true
		}
	}
	// A msgid of 5.2.2 that HEAD no longer translates anywhere.
	for _, m := range messages {
		if m.ID == id {
			return m.Source == SimpleJWT
		}
	}
	return true
}

// TestGoldenSelect: LocaleMiddleware's choice of language, Content-Language and Vary, for each
// Cookie, Accept-Language, LANGUAGE_CODE and LANGUAGES of gen_golden.py, as the real Django
// middleware answered.
func TestGoldenSelect(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Select {
		cat, err := New(Config{LanguageCode: c.LanguageCode, Languages: c.Languages})
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", latin1(c.AcceptLanguage))
		if c.Cookie != nil {
			r.Header.Set("Cookie", latin1(*c.Cookie))
		}
		l := cat.FromRequest(r)
		h := httptest.NewRecorder().Header()
		if c.Vary != nil {
			h.Set("Vary", *c.Vary)
		}
		if c.ContentLanguage != nil {
			h.Set("Content-Language", *c.ContentLanguage)
		}
		l.SetHeaders(h)
		got := [3]string{l.Code(), header(h, "Content-Language"), header(h, "Vary")}
		want := [3]string{c.Want.Language, deref(c.Want.ContentLanguage), deref(c.Want.Vary)}
		if got != want {
			t.Errorf("LANGUAGE_CODE=%q LANGUAGES=%q Cookie=%q Accept-Language=%q Vary=%q:\n got %q\nwant %q",
				c.LanguageCode, c.Languages, deref(c.Cookie), c.AcceptLanguage, deref(c.Vary), got, want)
		}
	}
	t.Logf("%d requests answered as Django's LocaleMiddleware does", len(g.Select))
}

func header(h map[string][]string, name string) string {
	v, ok := h[name]
	if !ok {
		return "<absent>"
	}
	return strings.Join(v, "\n")
}

func deref(s *string) string {
	if s == nil {
		return "<absent>"
	}
	return *s
}

// latin1 turns a string decoded as Latin-1 (as Django holds a header) back into its bytes.
func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

// TestGoldenFresh regenerates the golden file with the real Django and compares it. It needs
// Debian's python3-django, python3-djangorestframework, python3-djangorestframework-simplejwt and
// msgfmt; without them it skips.
func TestGoldenFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: not running Django")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import django, rest_framework, rest_framework_simplejwt").Run(); err != nil {
		t.Skip("Debian's Django, DRF and simplejwt are not installed for /usr/bin/python3: cannot regenerate testdata/golden.json")
	}
	if _, err := exec.LookPath("msgfmt"); err != nil {
		t.Skip("msgfmt (gettext) is not installed: cannot regenerate testdata/golden.json")
	}
	out, err := exec.Command("/usr/bin/python3", "testdata/gen_golden.py", "--check").CombinedOutput()
	if err != nil {
		t.Fatalf("gen_golden.py --check: %v\n%s", err, out)
	}
}

package locale

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/leonelquinteros/gotext"
)

// The catalogs as Django reads them: the .mo files compiled from the .po files beside them
// (data/README.md says where each comes from and how to regenerate it).
//
//go:embed data/simplejwt/locale/*/LC_MESSAGES/django.mo
//go:embed data/drf/locale/*/LC_MESSAGES/django.mo
//go:embed data/django/locale/*/LC_MESSAGES/django.mo
//go:embed data/python/locale_alias.txt
var embedded embed.FS

// Source names the upstream catalog that translates a message.
type Source int

// The catalogs, and Untranslated for the messages upstream never marks for translation (they
// stay English in every language, as in Django).
const (
	Untranslated Source = iota
	// SimpleJWT is djangorestframework-simplejwt's catalog (its HEAD).
	SimpleJWT
	// DRF is Django REST framework's catalog.
	DRF
	// Django is Django's own catalog (django/conf/locale).
	Django
)

func (s Source) String() string {
	switch s {
	case SimpleJWT:
		return "simplejwt"
	case DRF:
		return "drf"
	case Django:
		return "django"
	}
	return "untranslated"
}

// mergeOrder is the order in which Django's DjangoTranslation merges the catalogs: Django's own
// first, then the apps in reverse INSTALLED_APPS order (rest_framework is listed before
// rest_framework_simplejwt, as simplejwt's docs show). A catalog merged later wins for a msgid
// two catalogs translate; the tests check that only DRF and Django share msgids, so the order
// between simplejwt and DRF never shows.
var mergeOrder = [...]Source{Django, SimpleJWT, DRF}

// newerDjangoCatalogs are the languages of Django's global LANGUAGES that gained their catalog
// after the Django release the embedded Django catalogs come from (3.2): Django has a catalog
// for them, so they are selectable, but none of their translations is embedded.
var newerDjangoCatalogs = []string{"ckb", "ms", "ug"}

// moCatalog is one compiled catalog: the singular entries, and the gotext catalog for the plural
// entries (gotext evaluates the catalog's Plural-Forms).
type moCatalog struct {
	name    string            // "drf/de", for messages
	msgs    map[string]string // msgid → msgstr, singular entries
	plurals map[string]bool   // msgids of plural entries
	mo      *gotext.Mo
}

// catalogs holds every embedded catalog, by source and then by locale directory name ("pt_BR").
type catalogs struct {
	bySource map[Source]map[string]*moCatalog
	// dirs is every locale directory of every source plus newerDjangoCatalogs: what Django's
	// check_for_language looks for.
	dirs  map[string]bool
	alias map[string]string // CPython's locale.locale_alias
}

var loadEmbedded = sync.OnceValues(func() (*catalogs, error) { return loadCatalogs(embedded, "data") })

// loadCatalogs reads <root>/<source>/locale/<loc>/LC_MESSAGES/django.mo for every source and
// <root>/python/locale_alias.txt from fsys.
func loadCatalogs(fsys fs.FS, root string) (*catalogs, error) {
	c := &catalogs{bySource: map[Source]map[string]*moCatalog{}, dirs: map[string]bool{}}
	for _, src := range mergeOrder {
		dir := path.Join(root, src.String(), "locale")
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("locale: %s catalogs: %w", src, err)
		}
		byLoc := map[string]*moCatalog{}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			name := path.Join(dir, e.Name(), "LC_MESSAGES", "django.mo")
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("locale: %w", err)
			}
			cat, err := parseMo(src.String()+"/"+e.Name(), data)
			if err != nil {
				return nil, err
			}
			byLoc[e.Name()] = cat
			c.dirs[e.Name()] = true
		}
		c.bySource[src] = byLoc
	}
	for _, d := range newerDjangoCatalogs {
		c.dirs[d] = true
	}
	alias, err := fs.ReadFile(fsys, path.Join(root, "python", "locale_alias.txt"))
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	if c.alias, err = parseAlias(alias); err != nil {
		return nil, err
	}
	return c, nil
}

// parseMo reads a compiled catalog with gotext. gotext does not report a malformed file, so a
// catalog without its header entry (which msgfmt always writes) is an error.
func parseMo(name string, data []byte) (*moCatalog, error) {
	mo := gotext.NewMo()
	mo.Parse(data)
	trs := mo.GetDomain().GetTranslations()
	if h, ok := trs[""]; !ok || !strings.Contains(h.Get(), "charset=UTF-8") {
		return nil, fmt.Errorf("locale: %s: not a UTF-8 gettext catalog", name)
	}
	cat := &moCatalog{name: name, msgs: map[string]string{}, plurals: map[string]bool{}, mo: mo}
	for id, tr := range trs {
		switch {
		case id == "":
		case tr.PluralID != id || len(tr.Trs) > 1:
			// gotext gives a singular entry its msgid as PluralID; a plural entry has another
			// msgid_plural or more than one form (so one whose msgid_plural repeats the msgid in
			// a one-form language would pass for singular: no catalog has one).
			cat.plurals[id] = true
		default:
			// msgfmt leaves untranslated entries out, so an entry always has its msgstr.
			cat.msgs[id] = tr.Trs[0]
		}
	}
	return cat, nil
}

// parseAlias reads "key value" lines; '#' starts a comment line.
func parseAlias(data []byte) (map[string]string, error) {
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("locale: locale_alias.txt: bad line %q", line)
		}
		m[k] = v
	}
	return m, sc.Err()
}

// msgids returns every singular msgid of every catalog, sorted.
func (c *catalogs) msgids() []string {
	seen := map[string]bool{}
	for _, byLoc := range c.bySource {
		for _, cat := range byLoc {
			for id := range cat.msgs {
				seen[id] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

package locale

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// poMsgids returns every msgid of the .po files of a source (translated or not, fuzzy
// included): what the source's catalog "has".
func poMsgids(t *testing.T, source Source) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("data", source.String(), "locale", "*", "LC_MESSAGES", "django.po"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .po files for %s: %v", source, err)
	}
	ids := map[string]bool{}
	msgid := regexp.MustCompile(`^msgid "(.*)"$`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Join continued strings ("..." lines) to the keyword line before them.
		var lines []string
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			l := sc.Text()
			if strings.HasPrefix(l, `"`) && len(lines) > 0 {
				prev := lines[len(lines)-1]
				lines[len(lines)-1] = prev[:len(prev)-1] + l[1:]
				continue
			}
			lines = append(lines, l)
		}
		for _, l := range lines {
			if m := msgid.FindStringSubmatch(l); m != nil && m[1] != "" {
				ids[strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\n`, "\n").Replace(m[1])] = true
			}
		}
	}
	return ids
}

// TestMessagesInTheirCatalog: every message of the table is a msgid of its source catalog, and
// every untranslated one is a msgid of none of the embedded ones. (That upstream's complete
// catalogs do not translate them either is shown by the golden files: Django answers them in
// English in every language.)
func TestMessagesInTheirCatalog(t *testing.T) {
	ids := map[Source]map[string]bool{}
	for _, s := range mergeOrder {
		ids[s] = poMsgids(t, s)
	}
	seen := map[string]bool{}
	for _, m := range Messages() {
		if seen[m.ID] {
			t.Errorf("%q is listed twice", m.ID)
		}
		seen[m.ID] = true
		if m.Source == Untranslated {
			for s, set := range ids {
				if set[m.ID] {
					t.Errorf("%q is listed as untranslated, but %s's catalog has it", m.ID, s)
				}
			}
			continue
		}
		if !ids[m.Source][m.ID] {
			t.Errorf("%q: not in %s's catalog", m.ID, m.Source)
		}
	}
	t.Logf("%d messages: %d simplejwt, %d DRF, %d Django, %d untranslated", len(messages),
		count(SimpleJWT), count(DRF), count(Django), count(Untranslated))
}

func count(s Source) int {
	n := 0
	for _, m := range messages {
		if m.Source == s {
			n++
		}
	}
	return n
}

// TestKeepList: data/keep.txt (what gen_catalogs.py extracts from DRF's and Django's catalogs)
// is the table's DRF and Django messages.
func TestKeepList(t *testing.T) {
	data, err := os.ReadFile("data/keep.txt")
	if err != nil {
		t.Fatal(err)
	}
	var keep, table []string
	for l := range strings.SplitSeq(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			keep = append(keep, l)
		}
	}
	for _, m := range messages {
		if m.Source == DRF || m.Source == Django {
			table = append(table, m.ID)
		}
	}
	sort.Strings(keep)
	sort.Strings(table)
	if strings.Join(keep, "\n") != strings.Join(table, "\n") {
		t.Errorf("data/keep.txt:\n%s\ntable:\n%s", strings.Join(keep, "\n"), strings.Join(table, "\n"))
	}
}

// TestCatalogPreconditions checks what the package's model of Django relies on:
//   - only DRF and Django translate a msgid in common (DRF, merged later, wins; the merge order
//     of the others never shows);
//   - no catalog has a plural entry (Python's gettext would also answer a singular lookup of a
//     plural msgid with one of its forms; Gettext does not model that);
//   - no translation of a table message has a '%' (Django's validators apply message % params
//     to them, which is then the identity) and every one formats with the msgid's fields.
func TestCatalogPreconditions(t *testing.T) {
	cats, err := loadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]map[string]Source{} // msgid → locale dir → source
	for src, byLoc := range cats.bySource {
		for loc, cat := range byLoc {
			if len(cat.plurals) > 0 {
				t.Errorf("%s has plural entries", cat.name)
			}
			for id := range cat.msgs {
				if owner[id] == nil {
					owner[id] = map[string]Source{}
				}
				if other, ok := owner[id][loc]; ok && !(other == DRF && src == Django || other == Django && src == DRF) {
					t.Errorf("%q is translated by both %s and %s in %s", id, other, src, loc)
				}
				owner[id][loc] = src
			}
		}
	}
	args := []Arg{Named("max_length", 5), Named("code_point", 0xD800), Named("datatype", "list"),
		Named("method", "GET"), Named("media_type", "text/plain"), Named("wait", 2), Positional("exp")}
	n := 0
	for _, m := range messages {
		for _, byLoc := range cats.bySource {
			for _, cat := range byLoc {
				s, ok := cat.msgs[m.ID]
				if !ok {
					continue
				}
				n++
				if strings.Contains(s, "%") {
					t.Errorf("%s: %q has a %%: %q", cat.name, m.ID, s)
				}
				if _, err := Format(s, args...); err != nil {
					t.Errorf("%s: %q does not format: %q: %v", cat.name, m.ID, s, err)
				}
			}
		}
	}
	t.Logf("%d translations of the table's messages checked", n)
}

// TestCompiledCatalogs: each embedded .mo is msgfmt's compilation of the .po beside it (fuzzy
// entries left out, as Django's compilemessages does). Needs msgfmt and msgunfmt.
func TestCompiledCatalogs(t *testing.T) {
	if _, err := exec.LookPath("msgfmt"); err != nil {
		t.Skip("msgfmt (gettext) is not installed")
	}
	if _, err := exec.LookPath("msgunfmt"); err != nil {
		t.Skip("msgunfmt (gettext) is not installed")
	}
	files, _ := filepath.Glob("data/*/locale/*/LC_MESSAGES/django.po")
	dir := t.TempDir()
	for _, po := range files {
		fresh := filepath.Join(dir, "fresh.mo")
		if out, err := exec.Command("msgfmt", "--check-format", "-o", fresh, po).CombinedOutput(); err != nil {
			t.Fatalf("msgfmt %s: %v\n%s", po, err, out)
		}
		a, err1 := exec.Command("msgunfmt", strings.TrimSuffix(po, ".po")+".mo").Output()
		b, err2 := exec.Command("msgunfmt", fresh).Output()
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: the .mo beside it is not its compilation (run data/gen_catalogs.py): %v %v", po, err1, err2)
		}
	}
	t.Logf("%d catalogs checked", len(files))
}

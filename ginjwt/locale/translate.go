package locale

import "strings"

// Translate is Gettext for a message as a client would read it, fields filled in: the text
// itself when a catalog has it as a msgid ("Token is blacklisted"), else the message of
// Messages whose template it fills ("Token has no 'jti' claim" fills "Token has no '{}' claim";
// `Method "GET" not allowed.` fills `Method "{method}" not allowed.`) translated, with the
// field's text put back in its place, as upstream translates the template before it formats.
// Other text is returned as it is. For English, and for the zero Language, it returns text
// without a lookup.
func (l Language) Translate(text string) string {
	if !l.Translates() {
		return text
	}
	if s, ok := l.t.msgs[text]; ok {
		return s
	}
	for _, t := range templates {
		if len(text) < len(t.prefix)+len(t.suffix) || !strings.HasPrefix(text, t.prefix) || !strings.HasSuffix(text, t.suffix) {
			continue
		}
		tr, ok := l.t.msgs[t.id]
		if !ok || !strings.Contains(tr, t.field) {
			return text
		}
		return strings.Replace(tr, t.field, text[len(t.prefix):len(text)-len(t.suffix)], 1)
	}
	return text
}

// template is a translated message with one field: the text before and after it, and the
// field as the msgid writes it ("{method}", "{}").
type template struct {
	id, prefix, field, suffix string
}

// templates are the translated messages of the table with exactly one field, longest prefix
// first (so that a message is matched by the most specific template).
var templates = func() []template {
	var out []template
	for _, m := range messages {
		if m.Source == Untranslated || strings.Count(m.ID, "{") != 1 {
			continue
		}
		open := strings.IndexByte(m.ID, '{')
		end := strings.IndexByte(m.ID, '}')
		if end < open {
			continue
		}
		out = append(out, template{id: m.ID, prefix: m.ID[:open], field: m.ID[open : end+1], suffix: m.ID[end+1:]})
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].prefix)+len(out[j].suffix) > len(out[j-1].prefix)+len(out[j-1].suffix); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}()

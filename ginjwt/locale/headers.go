package locale

import (
	"net/http"
	"strings"
)

// SetHeaders adds the headers LocaleMiddleware.process_response adds for the language: Vary
// gains Accept-Language (Django's patch_vary_headers: kept once whatever its case, the
// existing values first, "*" alone when any is "*") and Content-Language is set to Code()
// unless the response already has one. The zero Language sets nothing.
func (l Language) SetHeaders(h http.Header) {
	if l.t == nil {
		return
	}
	if _, ok := h["Vary"]; ok {
		PatchVary(h, "Accept-Language")
	} else {
		h["Vary"] = varyAcceptLanguage
	}
	if _, ok := h["Content-Language"]; !ok {
		if cl := l.t.contentLanguage; len(cl) == 1 && cl[0] == l.Code() {
			h["Content-Language"] = cl
		} else {
			h["Content-Language"] = []string{l.Code()}
		}
	}
}

// varyAcceptLanguage is the Vary of a response that had none. Header values are shared
// read-only: capacity equals length, so an Add copies instead of writing into them.
var varyAcceptLanguage = []string{"Accept-Language"}[:1:1]

// PatchVary is Django's patch_vary_headers: the names are appended to Vary unless present
// (compared without case); several Vary lines are read as one, the result is one line,
// ", "-separated, and a "*" among the values makes the header "*".
func PatchVary(h http.Header, names ...string) {
	var vary []string
	if values, ok := h["Vary"]; ok {
		// re.split(r"\s*,\s*", value): the spaces around each comma go, those at the ends stay.
		parts := strings.Split(strings.Join(values, ","), ",")
		for i, p := range parts {
			if i > 0 {
				p = p[len(p)-len(pyStripLeft(p)):]
			}
			if i < len(parts)-1 {
				p = p[:len(pyStripRight(p))]
			}
			vary = append(vary, p)
		}
	}
	existing := make(map[string]bool, len(vary))
	for _, v := range vary {
		existing[strings.ToLower(v)] = true
	}
	for _, n := range names {
		if !existing[strings.ToLower(n)] {
			vary = append(vary, n)
		}
	}
	for _, v := range vary {
		if v == "*" {
			h["Vary"] = []string{"*"}
			return
		}
	}
	h["Vary"] = []string{strings.Join(vary, ", ")}
}

package views

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/locale"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// languageKey is the gin context key of the request's language (SetLanguage).
const languageKey = "github.com/gin-simplejwt/simplejwt/views.language"

// SetLanguage records the language chosen for the request (by ginjwt's Locale middleware:
// Django's LocaleMiddleware, or LANGUAGE_CODE without it), which every Renderer then uses for
// the messages of the error bodies. A language that translates nothing (English) is not
// stored: the renderer then sends the messages as they are, and the request costs nothing.
func SetLanguage(c *gin.Context, lang locale.Language) {
	if lang.Translates() {
		c.Set(languageKey, lang)
	}
}

// LanguageOf returns the language SetLanguage recorded, or the zero Language (messages as
// they are).
func LanguageOf(c *gin.Context) locale.Language {
	if v, ok := c.Get(languageKey); ok {
		if lang, ok := v.(locale.Language); ok {
			return lang
		}
	}
	return locale.Language{}
}

// patchVaryLocale keeps Django's order of Vary when LocaleMiddleware has already added
// Accept-Language: DRF's response carries "Vary: Accept" before the middleware's
// process_response patches it, so the header is one line "Accept, Accept-Language" (with the
// names the view added in between). Without Accept-Language in Vary it does addVary alone, so
// nothing changes when the middleware is off.
func patchVaryLocale(h http.Header, value string) {
	values := h.Values("Vary")
	has := false
	for _, v := range values {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Accept-Language") {
				has = true
			}
		}
	}
	if !has {
		addVary(h, value)
		return
	}
	var kept []string
	for _, v := range values {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" && !strings.EqualFold(f, "Accept-Language") {
				kept = append(kept, f)
			}
		}
	}
	delete(h, "Vary")
	if len(kept) > 0 {
		h["Vary"] = []string{strings.Join(kept, ", ")}
	}
	locale.PatchVary(h, value, "Accept-Language")
}

// localize returns the body of a known client error in lang (which translates), as upstream
// builds it: each message translated before its fields are filled in, the codes unchanged.
// ok is false for an error whose body has no translatable text.
func localize(lang locale.Language, known error) (body []byte, ok bool) {
	switch e := known.(type) {
	case *tokens.AuthenticationFailed:
		msgs := make([]tokens.Message, len(e.Messages))
		for i, m := range e.Messages {
			m.Message = lang.Translate(m.Message)
			msgs[i] = m
		}
		return authFailedJSON(lang.Translate(e.Detail), e.Code, msgs), true
	case *tokens.TokenError:
		return authFailedJSON(lang.Translate(e.Detail), tokens.CodeTokenNotValid, nil), true
	case *serializers.ValidationError:
		out := new(serializers.ValidationError)
		for _, f := range e.Fields() {
			for _, m := range e.Messages(f) {
				out.Add(f, lang.Translate(m))
			}
		}
		return out.AppendJSON(nil), true
	case *APIError:
		return detailJSON(lang.Translate(e.Detail)), true
	case *throttle.Throttled:
		return detailJSON(throttledDetail(lang, e)), true
	}
	return nil, false
}

// DRF's Throttled messages (rest_framework/exceptions.py).
const (
	msgThrottled             = "Request was throttled."
	msgThrottledWaitSingular = "Expected available in {wait} second."
	msgThrottledWaitPlural   = "Expected available in {wait} seconds."
	throttledWaitPlaceholder = "{wait}"
)

// throttledDetail is DRF's Throttled(wait).detail in lang: default_detail, then, when the
// wait is known, ngettext(_(singular).format(wait=w), _(plural).format(wait=w), w) with
// w = ceil(wait). The two strings are translated and formatted before ngettext sees them, so no
// catalog has them as a plural entry and the choice is w == 1 in every language.
func throttledDetail(lang locale.Language, e *throttle.Throttled) string {
	detail := lang.Gettext(msgThrottled)
	if e.Wait <= 0 {
		return detail
	}
	n := e.Seconds()
	w := strconv.Itoa(n)
	singular := strings.Replace(lang.Gettext(msgThrottledWaitSingular), throttledWaitPlaceholder, w, 1)
	plural := strings.Replace(lang.Gettext(msgThrottledWaitPlural), throttledWaitPlaceholder, w, 1)
	return detail + " " + lang.NGettext(singular, plural, n)
}

package locale_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/gin-simplejwt/simplejwt/ginjwt/locale"
)

// LocaleMiddleware's choice of language, the translated body and the response headers.
func Example() {
	cat, err := locale.New(locale.Config{LanguageCode: "en-us"})
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest("POST", "/api/token/", nil)
	r.Header.Set("Accept-Language", "de-AT,de;q=0.9,en;q=0.5")
	lang := cat.FromRequest(r)

	detail, _ := locale.Format(lang.Gettext(`Method "{method}" not allowed.`), locale.Named("method", "GET"))
	w := httptest.NewRecorder()
	w.Header().Set("Vary", "Accept")
	lang.SetHeaders(w.Header())

	fmt.Println(lang.Code())
	fmt.Println(detail)
	fmt.Println(w.Header().Get("Content-Language"), "|", w.Header().Get("Vary"))
	// Output:
	// de
	// Methode "GET" nicht erlaubt.
	// de | Accept, Accept-Language
}

// Without LocaleMiddleware every response is in LANGUAGE_CODE; a language no catalog covers
// falls back to LANGUAGE_CODE's catalogs, as in Django.
func ExampleCatalog_Default() {
	cat, _ := locale.New(locale.Config{LanguageCode: "de"})
	fmt.Println(cat.Default().Gettext("Token is blacklisted"))
	ja := cat.Select("ja")
	fmt.Println(ja.Code(), ja.Gettext("This field is required."), ja.Gettext("Token is blacklisted"))
	// Output:
	// Token steht auf der Blacklist
	// ja この項目は必須です。 Token steht auf der Blacklist
}

// DRF's throttling message: the two halves translated and formatted first, then ngettext on
// the results, which picks by wait == 1 in every language.
func ExampleLanguage_NGettext() {
	cat, _ := locale.New(locale.Config{})
	ru := cat.Select("ru")
	wait := 5
	one, _ := locale.Format(ru.Gettext("Expected available in {wait} second."), locale.Named("wait", wait))
	many, _ := locale.Format(ru.Gettext("Expected available in {wait} seconds."), locale.Named("wait", wait))
	fmt.Println(ru.Gettext("Request was throttled.") + " " + ru.NGettext(one, many, wait))
	// Output:
	// Запрос был проигнорирован. Expected available in 5 seconds.
}

package views_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/locale"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// TestRendererLocalized: each kind of error body in French (simplejwt's, DRF's catalogs), the
// fields of a message put back after its template is translated, codes and the untranslated
// messages unchanged; and the same errors without a language, as before. The Django golden
// (ginjwt/locale TestDjangoGolden) checks the bodies against Django itself.
func TestRendererLocalized(t *testing.T) {
	cat, err := locale.New(locale.Config{})
	if err != nil {
		t.Fatal(err)
	}
	fr := cat.Select("fr")
	tests := []struct {
		name     string
		err      error
		french   string
		original string
	}{
		{"claim template", &tokens.TokenError{Detail: "Token has no 'jti' claim", Kind: tokens.ErrClaimMissing},
			`{"detail":"Le jeton n'a pas le privilège 'jti'","code":"token_not_valid"}`,
			`{"detail":"Token has no 'jti' claim","code":"token_not_valid"}`},
		{"messages entries", &tokens.AuthenticationFailed{Detail: tokens.MsgNoValidTokenType, Code: tokens.CodeTokenNotValid,
			Messages: []tokens.Message{{TokenClass: "AccessToken", TokenType: "access", Message: "Token 'nbf' claim has expired"}}},
			`{"detail":"Le type de jeton fourni n'est pas valide","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Le privilège 'nbf' du jeton a expiré"}]}`,
			`{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token 'nbf' claim has expired"}]}`},
		{"field errors", serializers.NewValidationError("username", "This field is required.").Add("password", "No data provided"),
			`{"username":["Ce champ est obligatoire."],"password":["No data provided"]}`,
			`{"username":["This field is required."],"password":["No data provided"]}`},
		{"server error", errors.New("boom"),
			`{"detail":"Une erreur du serveur est survenue."}`, `{"detail":"A server error occurred."}`},
		{"untranslated upstream", views.ErrBodyTooLarge,
			`{"detail":"Request body too large."}`, `{"detail":"Request body too large."}`},
		{"throttled, plural", &throttle.Throttled{Wait: 58500 * time.Millisecond},
			`{"detail":"Requête ralentie. Expected available in 59 seconds."}`,
			`{"detail":"Request was throttled. Expected available in 59 seconds."}`},
		{"throttled, singular", &throttle.Throttled{Wait: time.Second},
			`{"detail":"Requête ralentie. Expected available in 1 second."}`,
			`{"detail":"Request was throttled. Expected available in 1 second."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []locale.Language{fr, {}} {
				w := httptest.NewRecorder()
				c, _ := gin.CreateTestContext(w)
				c.Request = httptest.NewRequest(http.MethodPost, "/", nil)
				views.SetLanguage(c, lang)
				(&views.Renderer{Logger: quietLogger()}).Error(c, tt.err)
				want := tt.original
				if lang.Translates() {
					want = tt.french
				}
				if got := w.Body.String(); got != want {
					t.Errorf("%q: got %s, want %s", lang.Code(), got, want)
				}
			}
		})
	}
}

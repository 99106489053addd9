package ginjwt_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// querySource is a custom TokenSource: ?access_token=…
func querySource(r *http.Request) (string, error) { return r.URL.Query().Get("access_token"), nil }

var errRefused = &tokens.AuthenticationFailed{Detail: "Refused by the source", Code: "refused"}

func TestTokenSources(t *testing.T) {
	type request struct {
		path    string
		headers map[string][]string
	}
	base := newJWT(t, newUsers(), nil)
	good := mint(t, base, tokens.AccessToken, "1", nil)
	cases := []struct {
		name   string
		mutate func(*ginjwt.Settings)
		req    request
		status int
		body   string
	}{
		{"default: the header", nil, request{"/me", map[string][]string{"Authorization": {"Bearer " + good}}}, 200, "user 1"},
		{"default: no header is anonymous", nil, request{"/me", nil}, 401, notProvided},
		{"default: another scheme is anonymous", nil, request{"/me", map[string][]string{"Authorization": {"Basic " + good}}}, 401, notProvided},
		{"default: two headers", nil, request{"/me", map[string][]string{"Authorization": {"Bearer " + good, "Bearer " + good}}}, 401, badHeader},
		{"default: scheme without token", nil, request{"/me", map[string][]string{"Authorization": {"Bearer"}}}, 401, badHeader},
		{"default: query is not a source", nil, request{"/me?access_token=" + good, nil}, 401, notProvided},
		{
			"AUTH_HEADER_NAME and AUTH_HEADER_TYPES",
			func(s *ginjwt.Settings) {
				s.AuthHeaderName, s.AuthHeaderTypes = "HTTP_X_ACCESS_TOKEN", []string{"JWT", "Token"}
			},
			request{"/me", map[string][]string{"X-Access-Token": {"Token " + good}, "Authorization": {"Bearer garbage"}}}, 200, "user 1",
		},
		{
			"header source made before the defaults",
			func(s *ginjwt.Settings) { s.TokenSources = []ginjwt.TokenSource{ginjwt.Settings{}.HeaderSource()} },
			request{"/me", map[string][]string{"Authorization": {"Bearer " + good}}}, 200, "user 1",
		},
		{
			"header first, then query: query used without a header",
			func(s *ginjwt.Settings) { s.TokenSources = []ginjwt.TokenSource{s.HeaderSource(), querySource} },
			request{"/me?access_token=" + good, nil}, 200, "user 1",
		},
		{
			"header first, then query: the header wins",
			func(s *ginjwt.Settings) { s.TokenSources = []ginjwt.TokenSource{s.HeaderSource(), querySource} },
			request{"/me?access_token=" + good, map[string][]string{"Authorization": {"Bearer garbage"}}}, 401, oneMessage("Token is invalid"),
		},
		{
			"a bad header ends the search",
			func(s *ginjwt.Settings) { s.TokenSources = []ginjwt.TokenSource{s.HeaderSource(), querySource} },
			request{"/me?access_token=" + good, map[string][]string{"Authorization": {"Bearer a b"}}}, 401, badHeader,
		},
		{
			"a source's error is rendered",
			func(s *ginjwt.Settings) {
				s.TokenSources = []ginjwt.TokenSource{func(*http.Request) (string, error) { return "", errRefused }, s.HeaderSource()}
			},
			request{"/me", map[string][]string{"Authorization": {"Bearer " + good}}}, 401, `{"detail":"Refused by the source","code":"refused"}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := engine(newJWT(t, newUsers(), tc.mutate))
			req := httptest.NewRequest(http.MethodGet, tc.req.path, nil)
			for k, vs := range tc.req.headers {
				req.Header[k] = vs
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tc.status, tc.body)
			}
			if w.Code == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestHeaderSourceErrorIsSimplejwts(t *testing.T) {
	src := ginjwt.DefaultSettings().HeaderSource()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header["Authorization"] = []string{"Bearer a", "Bearer b"}
	_, err := src(req)
	var af *tokens.AuthenticationFailed
	if !errors.As(err, &af) || af.Code != tokens.CodeBadAuthorizationHeader {
		t.Errorf("two headers: %v", err)
	}
}

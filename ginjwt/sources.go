package ginjwt

import (
	"net/http"
	"slices"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// This file is where a request's token comes from: simplejwt's get_header and get_raw_token,
// as the first of a list of extractors in the style of go-chi/jwtauth.

// TokenSource finds the raw token of a request. It returns ("", nil) when the request carries
// nothing for this source, and the next source is tried; a token, or an error, ends the search.
// An error is rendered as it is: return a *tokens.AuthenticationFailed for simplejwt's 401
// (views.APIError for another status). A source must be safe for concurrent use.
//
// Settings.TokenSources lists them; the default is the Authorization header alone
// (Settings.HeaderSource).
type TokenSource func(r *http.Request) (string, error)

// HeaderSource returns simplejwt's source of tokens: the AUTH_HEADER_NAME header (Django's META
// form, "HTTP_AUTHORIZATION" by default) whose first word is one of AUTH_HEADER_TYPES
// ("Bearer"). A header with another scheme, or no header, is "nothing here"; a second header
// of that name, or a header of our scheme without exactly one token after it, is simplejwt's 401
// "Authorization header must contain two space-delimited values". It reads the settings when
// called: change AuthHeaderName or AuthHeaderTypes first.
func (s Settings) HeaderSource() TokenSource {
	name := s.HeaderName()
	types := slices.Clone(s.AuthHeaderTypes)
	if len(types) == 0 {
		types = tokens.DefaultSettings().AuthHeaderTypes
	}
	return func(r *http.Request) (string, error) {
		values := r.Header.Values(name)
		switch len(values) {
		case 0:
			return "", nil
		case 1:
			return rawToken(values[0], types)
		default:
			// Two Authorization headers: no guessing which one counts.
			return "", errBadHeader
		}
	}
}

// tokenSources returns s.TokenSources, or the header alone when none are set, followed by the
// access cookie when JWT_AUTH_COOKIE is set (dj-rest-auth's JWTCookieAuthentication: the
// header wins).
func (s Settings) tokenSources(t *cookies.Transport) []TokenSource {
	if len(s.TokenSources) > 0 {
		return slices.Clone(s.TokenSources)
	}
	if t != nil && s.Cookies.Cookie != "" {
		return []TokenSource{s.HeaderSource(), t.Source}
	}
	return []TokenSource{s.HeaderSource()}
}

// CookieSource returns the source of the JWT_AUTH_COOKIE cookie, for your own TokenSources
// list: the access cookie's token, with Django's CSRF check on unsafe methods when
// JWT_AUTH_COOKIE_USE_CSRF is on (DRF's 403 {"detail":"CSRF Failed: …"}), and the token-free
// cross-origin layer. Put it after HeaderSource: a request with an Authorization header needs
// no CSRF check. Nil without cookie settings.
func (j *JWT) CookieSource() TokenSource {
	if j.cookies == nil || j.settings.Cookies.Cookie == "" {
		return nil
	}
	return j.cookies.Source
}

// rawToken finds the token in the TokenSources: "" when none has one.
func (j *JWT) rawToken(r *http.Request) (string, error) {
	for _, src := range j.sources {
		if raw, err := src(r); raw != "" || err != nil {
			return raw, err
		}
	}
	return "", nil
}

// RawToken is get_raw_token: the header split on runs of ASCII whitespace (Python's
// bytes.split()); no parts or a first part that is not one of AUTH_HEADER_TYPES (compared
// case-sensitively) gives "" and no error, as "not our credentials"; otherwise exactly two
// parts are required.
func (j *JWT) RawToken(header string) (string, error) {
	return rawToken(header, j.settings.AuthHeaderTypes)
}

func rawToken(header string, types []string) (string, error) {
	first, rest := nextField(header)
	if first == "" {
		return "", nil
	}
	if !slices.Contains(types, first) {
		return "", nil
	}
	tok, rest := nextField(rest)
	if tok == "" {
		return "", errBadHeader
	}
	if extra, _ := nextField(rest); extra != "" {
		return "", errBadHeader
	}
	return tok, nil
}

func isPySpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

// nextField returns the first whitespace-separated field of s and what follows it.
func nextField(s string) (field, rest string) {
	i := 0
	for i < len(s) && isPySpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isPySpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

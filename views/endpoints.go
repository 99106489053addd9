package views

import (
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// This file is the one table of the endpoints: simplejwt's token views, the cookie transport's
// CSRF route and the sessions' routes, one row each with a Kind. The serializer settings, their
// defaults, the views, Routes, ginjwt.RegisterRoutes, the OpenAPI document and the environment
// loader all read it: adding an endpoint is one name and one row.

// EndpointName is the URL name simplejwt's documentation gives a token endpoint
// ("token_obtain_pair"); it names the endpoint in RegisterRoutes and in the serializer settings.
type EndpointName string

// The token endpoints, in the order of the table.
const (
	TokenObtainPair     EndpointName = "token_obtain_pair"
	TokenRefresh        EndpointName = "token_refresh"
	TokenVerify         EndpointName = "token_verify"
	TokenBlacklist      EndpointName = "token_blacklist"
	TokenObtainSliding  EndpointName = "token_obtain_sliding"
	TokenRefreshSliding EndpointName = "token_refresh_sliding"
)

// EndpointKind is the kind of a row of the table, which decides who serves it.
type EndpointKind uint8

const (
	// KindToken: a token view of simplejwt's views.py (POST, a serializer, a SIMPLE_JWT
	// serializer setting): Routes and Register serve it.
	KindToken EndpointKind = iota
	// KindCookie: a GET view of the cookie transport (package views/cookies, ginjwt's
	// Settings.Cookies), no serializer.
	KindCookie
	// KindSession: a view of the sessions feature (ginjwt's Settings.Sessions), authenticated
	// by an access token, no serializer: RegisterSessions serves it.
	KindSession
)

// Endpoint is one row of the table: a view and where it goes.
type Endpoint struct {
	Name EndpointName
	Kind EndpointKind
	// Path is relative to the group the routes go on, as simplejwt's documented urls: "/refresh/"
	// (gin's syntax for parameters: "/sessions/:id/").
	Path string
	// Allow is the Allow header of a cookie or session view (a token view's is "POST, OPTIONS").
	Allow string
	// Setting is the SIMPLE_JWT key of a token view's serializer: "TOKEN_REFRESH_SERIALIZER".
	Setting string
	// View is DRF's name of the view, reported by OPTIONS: "Token Refresh".
	View string
	// Description is the view's docstring, reported by OPTIONS.
	Description string
	// Summary is one line for API documents.
	Summary string
	// Serializer makes the default serializer of a token view's setting.
	Serializer func() serializers.Serializer
	// Response is the fields of a token view's 200 body with its default serializer
	// (simplejwt's validate() return values), for API documents.
	Response []string
	// Sliding: the endpoint issues or refreshes sliding tokens, which only a service with
	// SlidingToken among AUTH_TOKEN_CLASSES accepts.
	Sliding bool
	// Blacklist: the endpoint is simplejwt's token_blacklist app at work.
	Blacklist bool
	// Login: the endpoint takes a username and a password (the obtain views): it is the one
	// throttled as a login (View.Login).
	Login bool
}

var endpoints = [...]Endpoint{
	{
		Name: TokenObtainPair, Path: "/", Setting: "TOKEN_OBTAIN_SERIALIZER", View: "Token Obtain Pair",
		Description: "Takes a set of user credentials and returns an access and refresh JSON web\n" +
			"token pair to prove the authentication of those credentials.",
		Summary:    "Obtain an access and a refresh token for a username and password.",
		Serializer: func() serializers.Serializer { return &serializers.TokenObtainPair{} },
		Response:   []string{"refresh", "access"},
		Login:      true,
	},
	{
		Name: TokenRefresh, Path: "/refresh/", Setting: "TOKEN_REFRESH_SERIALIZER", View: "Token Refresh",
		Description: "Takes a refresh type JSON web token and returns an access type JSON web\n" +
			"token if the refresh token is valid.",
		Summary:    "Obtain a new access token (and, with rotation, a new refresh token) for a refresh token.",
		Serializer: func() serializers.Serializer { return &serializers.TokenRefresh{} },
		Response:   []string{"access"},
	},
	{
		Name: TokenVerify, Path: "/verify/", Setting: "TOKEN_VERIFY_SERIALIZER", View: "Token Verify",
		Description: "Takes a token and indicates if it is valid.  This view provides no\n" +
			"information about a token's fitness for a particular use.",
		Summary:    "Check that a token is valid.",
		Serializer: func() serializers.Serializer { return &serializers.TokenVerify{} },
		Response:   []string{},
	},
	{
		Name: TokenBlacklist, Path: "/blacklist/", Setting: "TOKEN_BLACKLIST_SERIALIZER", View: "Token Blacklist",
		Description: "Takes a token and blacklists it. Must be used with the\n" +
			"`rest_framework_simplejwt.token_blacklist` app installed.",
		Summary:    "Blacklist a refresh token (log out).",
		Serializer: func() serializers.Serializer { return &serializers.TokenBlacklist{} },
		Response:   []string{},
		Blacklist:  true,
	},
	{
		Name: TokenObtainSliding, Path: "/sliding/", Setting: "SLIDING_TOKEN_OBTAIN_SERIALIZER", View: "Token Obtain Sliding",
		Description: "Takes a set of user credentials and returns a sliding JSON web token to\n" +
			"prove the authentication of those credentials.",
		Summary:    "Obtain a sliding token for a username and password.",
		Serializer: func() serializers.Serializer { return &serializers.TokenObtainSliding{} },
		Response:   []string{"token"},
		Sliding:    true,
		Login:      true,
	},
	{
		Name: TokenRefreshSliding, Path: "/sliding/refresh/", Setting: "SLIDING_TOKEN_REFRESH_SERIALIZER", View: "Token Refresh Sliding",
		Description: "Takes a sliding JSON web token and returns a new, refreshed version if the\n" +
			"token's refresh period has not expired.",
		Summary:    "Extend a sliding token within its refresh lifetime.",
		Serializer: func() serializers.Serializer { return &serializers.TokenRefreshSliding{} },
		Response:   []string{"token"},
		Sliding:    true,
	},
	{
		Name: TokenCSRF, Kind: KindCookie, Path: "/csrf/", Allow: "GET, HEAD", View: "Token CSRF",
		Description: "Sets the CSRF cookie and returns a masked CSRF token for the X-CSRFToken\n" +
			"header of the next unsafe request (cookie transport with CSRF only).",
		Summary: "Get the CSRF cookie and a masked CSRF token (cookie transport).",
	},
	{
		Name: TokenSessions, Kind: KindSession, Path: "/sessions/", Allow: "GET, DELETE, HEAD, OPTIONS", View: "Token Sessions",
		Description: "Lists the caller's live sessions, newest first (GET), or ends every one of them\n" +
			"(DELETE: log out everywhere).",
		Summary: "List your sessions, or log out everywhere.",
	},
	{
		Name: TokenSession, Kind: KindSession, Path: "/sessions/:id/", Allow: "DELETE, OPTIONS", View: "Token Session",
		Description: "Ends one of the caller's sessions: its refresh tokens are blacklisted and its\n" +
			"access tokens refused from now on.",
		Summary: "End one of your sessions.",
	},
}

// rows returns the rows of kind k, in the table's order.
func rows(k EndpointKind) []Endpoint {
	var out []Endpoint
	for _, e := range endpoints {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// Lookup returns the row of name, whatever its kind.
func Lookup(name EndpointName) (Endpoint, bool) {
	for _, e := range endpoints {
		if e.Name == name {
			return e, true
		}
	}
	return Endpoint{}, false
}

// byName returns the row of name if it is of kind k.
func byName(name EndpointName, k EndpointKind) (Endpoint, bool) {
	if e, ok := Lookup(name); ok && e.Kind == k {
		return e, true
	}
	return Endpoint{}, false
}

// Endpoints returns the token endpoints (KindToken rows), in simplejwt's order: obtain pair,
// refresh, verify, blacklist, sliding obtain, sliding refresh.
func Endpoints() []Endpoint { return rows(KindToken) }

// AllEndpoints returns the name of every token endpoint (KindToken), in the table's order.
func AllEndpoints() []EndpointName {
	var names []EndpointName
	for _, e := range rows(KindToken) {
		names = append(names, e.Name)
	}
	return names
}

// EndpointByName returns the row of name if it is a token endpoint (KindToken).
func EndpointByName(name EndpointName) (Endpoint, bool) { return byName(name, KindToken) }

// TokenCSRF is the GET route that gives a browser app its CSRF cookie and a masked token
// (Django's get_token with ensure_csrf_cookie): the cookie transport's row (KindCookie).
// ginjwt.RegisterRoutes adds it when cookies and CSRF are configured.
const TokenCSRF EndpointName = "token_csrf"

// CookieEndpoint is a KindCookie row of the table.
type CookieEndpoint = Endpoint

// CookieEndpoints returns the cookie transport's rows (KindCookie).
func CookieEndpoints() []CookieEndpoint { return rows(KindCookie) }

// CookieEndpointByName returns the row of name if it is a KindCookie row.
func CookieEndpointByName(name EndpointName) (CookieEndpoint, bool) { return byName(name, KindCookie) }

// NewView returns the endpoint's view around s; nil s means the default serializer.
func (e Endpoint) NewView(env *serializers.Env, s serializers.Serializer) View {
	if s == nil {
		s = e.Serializer()
	}
	return View{Name: e.View, Description: e.Description, Env: env, Serializer: s, Endpoint: e.Name, Login: e.Login}
}

// The endpoints of the sessions feature (ginjwt's Settings.Sessions), KindSession rows: DRF
// views with an authentication (an access token) and the IsAuthenticated permission, and no
// serializer.
const (
	TokenSessions EndpointName = "token_sessions" // GET: list; DELETE: log out everywhere
	TokenSession  EndpointName = "token_session"  // DELETE: end one session
)

// SessionEndpoint is a KindSession row of the table.
type SessionEndpoint = Endpoint

// SessionEndpoints returns the sessions' rows (KindSession).
func SessionEndpoints() []SessionEndpoint { return rows(KindSession) }

// SessionEndpointByName returns the row of name if it is a KindSession row.
func SessionEndpointByName(name EndpointName) (SessionEndpoint, bool) {
	return byName(name, KindSession)
}

package views

import (
	"bytes"
	"io"
	"net/http"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
)

// Transport carries tokens besides the JSON body: dj-rest-auth's cookies (package
// views/cookies). The token views ask it around their serializer and never know a cookie's
// name; a nil Transport is simplejwt's body alone, byte for byte.
type Transport interface {
	// Request runs before the serializer with the parsed body. It may refuse the request (a
	// CSRF failure: the error is rendered and nothing else happens), complete data (the
	// refresh token of a cookie), or answer itself: a non-nil body is the 200 answer and the
	// serializer does not run (a logout without any token).
	Request(w http.ResponseWriter, r *http.Request, e EndpointName, data *pyjson.Object) (*pyjson.Object, error)
	// Response runs after the serializer (or Request's own answer) with the 200 body, or with
	// the error that will be rendered (body nil). It sets or clears cookies on w and returns
	// the body to send (the same one, or nil on error).
	Response(w http.ResponseWriter, r *http.Request, e EndpointName, body *pyjson.Object, err error) *pyjson.Object
}

// OptionalFields is implemented by a Transport that supplies body fields itself (the refresh
// token from a cookie): OPTIONS reports them as not required, as dj-rest-auth's
// CookieTokenRefreshSerializer declares refresh with required=False.
type OptionalFields interface {
	OptionalFields(e EndpointName) []string
}

// replayBody reads r's body (up to maxBytes+1 bytes, what ParseBody reads at most) and puts
// back a body that yields the same bytes; the returned function puts it back again, so that the
// Transport's CSRF check can read the csrfmiddlewaretoken field after ParseBody. A read error
// is returned by the replayed body after its bytes, as the original body returned it.
func replayBody(r *http.Request, maxBytes int64) func() {
	if r.Body == nil || r.Body == http.NoBody {
		return func() {}
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBodyBytes
	}
	orig := r.Body
	buf, err := io.ReadAll(io.LimitReader(orig, maxBytes+1))
	replay := func() {
		var rest io.Reader = orig
		if err != nil {
			rest = errReader{err}
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(buf), rest), orig}
	}
	replay()
	return replay
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

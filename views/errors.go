package views

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// APIError is a DRF APIException that renders as {"detail": Detail} with Status. Detail is
// client-facing text; never build one from an internal error's message.
type APIError struct {
	Status int
	Detail string
}

func (e *APIError) Error() string { return e.Detail }

// The fixed DRF exceptions. Match them with errors.Is.
var (
	// ErrNotAuthenticated is DRF's NotAuthenticated, raised by IsAuthenticated for an
	// anonymous request: 401 {"detail":"Authentication credentials were not provided."}.
	ErrNotAuthenticated = &APIError{Status: http.StatusUnauthorized, Detail: "Authentication credentials were not provided."}
	// ErrPermissionDenied is DRF's PermissionDenied: 403.
	ErrPermissionDenied = &APIError{Status: http.StatusForbidden, Detail: "You do not have permission to perform this action."}
	// ErrNotFound is Django's Http404 as DRF renders it: 404 {"detail":"Not found."}. The
	// session views answer it for a session that is not the caller's.
	ErrNotFound = &APIError{Status: http.StatusNotFound, Detail: "Not found."}
	// ErrBodyTooLarge answers a body over the views' cap: 413. DRF has no such exception
	// (Django answers an HTML 400 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE); this is the
	// port's JSON answer. *http.MaxBytesError renders the same.
	ErrBodyTooLarge = &APIError{Status: http.StatusRequestEntityTooLarge, Detail: "Request body too large."}
	// ErrUnavailable answers a database outage (models.ErrUnavailable) or a request deadline:
	// 503 with Retry-After. Never a 401: "wrong password" would be a lie.
	ErrUnavailable = &APIError{Status: http.StatusServiceUnavailable, Detail: "Service temporarily unavailable."}
	// ErrServer answers anything unexpected: 500, the cause logged and never sent.
	ErrServer = &APIError{Status: http.StatusInternalServerError, Detail: "A server error occurred."}
)

// ParseError is DRF's ParseError: 400 {"detail": detail}.
func ParseError(detail string) *APIError {
	return &APIError{Status: http.StatusBadRequest, Detail: detail}
}

// UnsupportedMediaType is DRF's UnsupportedMediaType for the Content-Type header as sent:
// 415 {"detail":"Unsupported media type \"text/plain\" in request."}.
func UnsupportedMediaType(contentType string) *APIError {
	return &APIError{Status: http.StatusUnsupportedMediaType,
		Detail: `Unsupported media type "` + contentType + `" in request.`}
}

// MethodNotAllowedError is DRF's MethodNotAllowed: 405 {"detail":"Method \"GET\" not allowed."}.
func MethodNotAllowedError(method string) *APIError {
	return &APIError{Status: http.StatusMethodNotAllowed, Detail: `Method "` + method + `" not allowed.`}
}

// Header values the renderer sends.
const (
	// defaultWWWAuthenticate is simplejwt's authenticate_header with the default
	// AUTH_HEADER_TYPES: '{AUTH_HEADER_TYPES[0]} realm="api"'.
	defaultWWWAuthenticate = `Bearer realm="api"`
	// AllowPost is the Allow header of the token views.
	AllowPost = "POST, OPTIONS"
	// retryAfter is the Retry-After of a 503, in seconds.
	retryAfter = "5"
)

// WWWAuthenticate returns simplejwt's authenticate_header for an auth scheme:
// `Bearer realm="api"`.
func WWWAuthenticate(scheme string) string { return scheme + ` realm="api"` }

// Renderer writes DRF-shaped JSON responses: the one place where errors become HTTP. ginjwt's
// middleware and the token views both use it, so that every 401, 415 or 503 of the service has
// the same bytes and headers. The zero Renderer is usable.
type Renderer struct {
	// WWWAuthenticate is sent with every 401; defaultWWWAuthenticate when empty.
	WWWAuthenticate string
	// Allow, when set, is sent with every response, as DRF's APIView does.
	Allow string
	// NoStore sends Cache-Control: no-store (token responses, RFC 6749 §5.1).
	NoStore bool
	// Logger receives the causes of 500s and 503s; slog.Default() when nil.
	Logger *slog.Logger
}

// RenderError renders err with a Renderer whose WWW-Authenticate header is wwwAuthenticate
// (`Bearer realm="api"`; defaultWWWAuthenticate when empty) and aborts the gin chain. See
// Renderer.Error for the mapping.
func RenderError(c *gin.Context, wwwAuthenticate string, err error) {
	(&Renderer{WWWAuthenticate: wwwAuthenticate}).Error(c, err)
}

// Error renders err and aborts the gin chain:
//
//   - *tokens.TokenError: 401 {"detail": Detail, "code": "token_not_valid"} (simplejwt's views
//     turn a TokenError into InvalidToken);
//   - *tokens.AuthenticationFailed: 401 {"detail", "code", "messages"}, code and messages
//     left out when empty;
//   - *serializers.ValidationError: 400 with the messages by field;
//   - *APIError (ErrNotAuthenticated, ParseError, UnsupportedMediaType, MethodNotAllowedError,
//     …): its status, {"detail": Detail};
//   - *http.MaxBytesError: 413 as ErrBodyTooLarge;
//   - *throttle.Throttled: DRF's 429 {"detail":"Request was throttled. Expected available in
//     59 seconds."} with Retry-After when the wait is known;
//   - anything wrapping models.ErrUnavailable, context.DeadlineExceeded or context.Canceled:
//     503 {"detail":"Service temporarily unavailable."} with Retry-After: 5, the cause logged
//     (for a *models.DBError: the operation, the database and the driver's error);
//   - anything else: 500 {"detail":"A server error occurred."}, the cause logged, never sent.
//
// The first of these found walking err's chain (errors.Unwrap, depth first) decides, so an
// AuthenticationFailed whose cause is a TokenError renders as the AuthenticationFailed. Every
// 401 carries WWW-Authenticate. Responses are application/json with Vary: Accept.
//
// When the request has a language (SetLanguage, by ginjwt's Locale), "detail", each
// "messages" entry's "message", the field errors and the throttling text are translated
// through the upstream catalogs (package locale), the codes never; otherwise the bytes are the
// ones above.
func (rd *Renderer) Error(c *gin.Context, err error) {
	rd.Render(c, err)
}

// Render is Error, and reports what it sent: the status, the metrics Result and the 401's
// code. This is the one place where an error gets its HTTP shape and its Result.
func (rd *Renderer) Render(c *gin.Context, err error) Outcome {
	out, body := rd.classify(c, err)
	if lang := LanguageOf(c); lang.Translates() {
		// Only here, on the error path, does a request pay for its language.
		if known := findAPIError(err); known != nil {
			if b, ok := localize(lang, known); ok {
				body = b
			}
		} else if out.Status == ErrServer.Status {
			body = detailJSON(lang.Translate(ErrServer.Detail))
		}
	}
	rd.Write(c, out.Status, body)
	c.Abort()
	return out
}

// classify maps err to its Outcome and body.
func (rd *Renderer) classify(c *gin.Context, err error) (Outcome, []byte) {
	if known := findAPIError(err); known != nil {
		switch e := known.(type) {
		case *tokens.AuthenticationFailed:
			out := Outcome{Status: http.StatusUnauthorized, Result: ResultUnauthorized, Code: e.Code}
			switch {
			case e.Code == tokens.CodeTokenNotValid:
				out.Result = ResultTokenNotValid
			case errors.Is(e, serializers.ErrNoActiveAccount):
				out.Result = ResultInvalidCredentials
			}
			return out, authFailedJSON(e.Detail, e.Code, e.Messages)
		case *tokens.TokenError:
			return Outcome{Status: http.StatusUnauthorized, Result: ResultTokenNotValid, Code: tokens.CodeTokenNotValid},
				authFailedJSON(e.Detail, tokens.CodeTokenNotValid, nil)
		case *serializers.ValidationError:
			return Outcome{Status: http.StatusBadRequest, Result: ResultBadRequest}, e.AppendJSON(nil)
		case *APIError:
			return Outcome{Status: e.Status, Result: resultOfStatus(e.Status)}, detailJSON(e.Detail)
		case *http.MaxBytesError:
			return Outcome{Status: ErrBodyTooLarge.Status, Result: ResultBadRequest}, detailJSON(ErrBodyTooLarge.Detail)
		case *throttle.Throttled:
			// A store failure behind it (a fail-closed limiter) was logged by the limiter.
			if ra := e.RetryAfter(); ra != "" && !c.Writer.Written() {
				c.Writer.Header().Set("Retry-After", ra)
			}
			return Outcome{Status: http.StatusTooManyRequests, Result: ResultThrottled}, e.AppendJSON(make([]byte, 0, 80))
		}
	}
	ctx := c.Request.Context()
	if errors.Is(err, models.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		rd.log().LogAttrs(ctx, slog.LevelWarn, "simplejwt: service unavailable", causeAttrs(c, err)...)
		return Outcome{Status: ErrUnavailable.Status, Result: ResultUnavailable}, detailJSON(ErrUnavailable.Detail)
	}
	rd.log().LogAttrs(ctx, slog.LevelError, "simplejwt: server error", causeAttrs(c, err)...)
	return Outcome{Status: ErrServer.Status, Result: ResultError}, detailJSON(ErrServer.Detail)
}

// causeAttrs are the log attributes of a 5xx: the request, the error, and for a database
// failure the operation, the database and the driver's error (models.DBError's LogValue, its
// passwords masked), which the error's own text leaves out.
func causeAttrs(c *gin.Context, err error) []slog.Attr {
	attrs := []slog.Attr{slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path)}
	var dbErr *models.DBError
	if errors.As(err, &dbErr) {
		return append(attrs, slog.String("error", err.Error()), slog.Any("database", dbErr))
	}
	return append(attrs, slog.Any("error", err))
}

// findAPIError returns the first error in err's tree that has a client-facing rendering.
func findAPIError(err error) error {
	for depth := 0; err != nil && depth < 64; depth++ {
		switch err.(type) {
		case *tokens.AuthenticationFailed, *tokens.TokenError, *serializers.ValidationError, *APIError, *http.MaxBytesError, *throttle.Throttled:
			return err
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if found := findAPIError(e); found != nil {
					return found
				}
			}
			return nil
		default:
			return nil
		}
	}
	return nil
}

func (rd *Renderer) log() *slog.Logger {
	if rd.Logger != nil {
		return rd.Logger
	}
	return slog.Default()
}

// JSON renders body with status.
func (rd *Renderer) JSON(c *gin.Context, status int, body *pyjson.Object) {
	b, err := body.AppendJSON(make([]byte, 0, 256), false)
	if err != nil {
		rd.Error(c, err)
		return
	}
	rd.Write(c, status, b)
}

// Write sends status and the JSON body with the renderer's headers. A response already
// started is left alone.
func (rd *Renderer) Write(c *gin.Context, status int, body []byte) {
	if c.Writer.Written() {
		rd.log().WarnContext(c.Request.Context(), "simplejwt: response already written", slog.Int("status", status))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "application/json")
	rd.setHeaders(h, status)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(status)
	c.Writer.WriteHeaderNow()
	if c.Request.Method != http.MethodHead {
		_, _ = c.Writer.Write(body)
	}
}

// NoContent sends 204 No Content with the renderer's headers (no body, no Content-Type). A
// response already started is left alone.
func (rd *Renderer) NoContent(c *gin.Context) {
	if c.Writer.Written() {
		rd.log().WarnContext(c.Request.Context(), "simplejwt: response already written", slog.Int("status", http.StatusNoContent))
		return
	}
	rd.setHeaders(c.Writer.Header(), http.StatusNoContent)
	c.Status(http.StatusNoContent)
	c.Writer.WriteHeaderNow()
}

// setHeaders sets the renderer's headers of a response with status: Vary (Accept added to
// what the locale middleware put there), Allow, Cache-Control, and WWW-Authenticate or
// Retry-After for a 401 or a 503.
func (rd *Renderer) setHeaders(h http.Header, status int) {
	patchVaryLocale(h, "Accept")
	if rd.Allow != "" {
		h.Set("Allow", rd.Allow)
	}
	if rd.NoStore {
		h.Set("Cache-Control", "no-store")
	}
	switch status {
	case http.StatusUnauthorized:
		wa := rd.WWWAuthenticate
		if wa == "" {
			wa = defaultWWWAuthenticate
		}
		h.Set("WWW-Authenticate", wa)
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", retryAfter)
	}
}

// addVary adds value to the Vary header unless present (Django's patch_vary_headers).
func addVary(h http.Header, value string) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), value) {
				return
			}
		}
	}
	h.Add("Vary", value)
}

func detailJSON(detail string) []byte {
	b, _ := pyjson.NewObject().Set("detail", detail).AppendJSON(make([]byte, 0, 64), false)
	return b
}

// authFailedJSON is simplejwt's DetailDictMixin body: detail, code, messages in that order.
func authFailedJSON(detail, code string, messages []tokens.Message) []byte {
	b := pyjson.NewObject().Set("detail", detail)
	if code != "" {
		b.Set("code", code)
	}
	if len(messages) > 0 {
		list := make([]any, len(messages))
		for i, m := range messages {
			list[i] = pyjson.NewObject().
				Set("token_class", m.TokenClass).
				Set("token_type", m.TokenType).
				Set("message", m.Message)
		}
		b.Set("messages", list)
	}
	out, _ := b.AppendJSON(make([]byte, 0, 128), false)
	return out
}

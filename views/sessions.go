package views

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/models"
)

// SessionsAPI is the sessions feature as the session views use it; *ginjwt.JWT implements it.
type SessionsAPI interface {
	Sessions(ctx context.Context, userID string) ([]models.Session, error)
	EndSession(ctx context.Context, userID, sid string) error
	EndAllSessions(ctx context.Context, userID string) error
}

// SessionViews are the views of the sessions table (SessionEndpoints).
type SessionViews struct {
	API SessionsAPI
	// Caller returns the authenticated caller's user id claim and the session of the token the
	// request was authenticated with ("" for a token without one); ok false for an anonymous
	// request (Auth lets only authenticated ones through).
	Caller func(c *gin.Context) (userID, sid string, ok bool)
	// Auth is the authentication and permission of every method of the views, in order (DRF
	// checks them before it looks for the method's handler, so an anonymous PUT is a 401).
	Auth []gin.HandlerFunc
	// WWWAuthenticate is sent with 401s (DefaultWWWAuthenticate when empty).
	WWWAuthenticate string
	Logger          *slog.Logger
}

// RegisterSessions adds the routes of the sessions table (only those named, when only is not
// empty) to r: their methods, OPTIONS, and 405 with DRF's Allow for the others, each behind
// v.Auth.
func RegisterSessions(r gin.IRoutes, v SessionViews, only ...EndpointName) {
	for _, e := range rows(KindSession) {
		if len(only) > 0 && !slices.Contains(only, e.Name) {
			continue
		}
		rd := &Renderer{WWWAuthenticate: v.WWWAuthenticate, Allow: e.Allow, NoStore: true, Logger: v.Logger}
		handlers := map[string]gin.HandlerFunc{http.MethodOptions: v.options(e, rd)}
		switch e.Name {
		case TokenSessions:
			handlers[http.MethodGet] = v.list(rd)
			handlers[http.MethodHead] = handlers[http.MethodGet]
			handlers[http.MethodDelete] = v.endAll(rd)
		case TokenSession:
			handlers[http.MethodDelete] = v.end(rd)
		}
		allow := func(c *gin.Context) { c.Header("Allow", e.Allow) } // on every answer, 401s too, as DRF
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace} {
			h := handlers[m]
			if h == nil {
				h = func(c *gin.Context) { rd.Error(c, MethodNotAllowedError(c.Request.Method)) }
			}
			r.Handle(m, e.Path, slices.Concat([]gin.HandlerFunc{allow}, v.Auth, []gin.HandlerFunc{h})...)
		}
	}
}

// authed is a handler of the caller's own sessions: a panic becomes a JSON 500, and without an
// authenticated caller the answer is 401; h gets the caller's user id and session id.
func (v SessionViews) authed(rd *Renderer, h func(c *gin.Context, uid, sid string)) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer recoverJSON(c, rd)
		uid, sid, ok := v.Caller(c)
		if !ok || uid == "" {
			rd.Error(c, ErrNotAuthenticated)
			return
		}
		h(c, uid, sid)
	}
}

// list answers GET /sessions/: [{"id","created_at","last_used_at","user_agent","ip","current"}].
func (v SessionViews) list(rd *Renderer) gin.HandlerFunc {
	return v.authed(rd, func(c *gin.Context, uid, sid string) {
		list, err := v.API.Sessions(c.Request.Context(), uid)
		if err != nil {
			rd.Error(c, err)
			return
		}
		b := []byte{'['}
		for i, s := range list {
			if i > 0 {
				b = append(b, ',')
			}
			o := pyjson.NewObject().
				Set("id", s.ID).
				Set("created_at", DateTime(s.CreatedAt)).
				Set("last_used_at", DateTime(s.LastUsedAt)).
				Set("user_agent", s.UserAgent).
				Set("ip", s.IP).
				Set("current", s.ID == sid)
			if b, err = o.AppendJSON(b, false); err != nil {
				rd.Error(c, err)
				return
			}
		}
		rd.Write(c, http.StatusOK, append(b, ']'))
	})
}

// end answers DELETE /sessions/<id>/: 204, or 404 for a session that is not the caller's.
func (v SessionViews) end(rd *Renderer) gin.HandlerFunc {
	return v.authed(rd, func(c *gin.Context, uid, _ string) {
		err := v.API.EndSession(c.Request.Context(), uid, c.Param("id"))
		if errors.Is(err, models.ErrSessionNotFound) {
			err = ErrNotFound
		}
		if err != nil {
			rd.Error(c, err)
			return
		}
		noContent(c, rd)
	})
}

// endAll answers DELETE /sessions/: 204, every session of the caller ended.
func (v SessionViews) endAll(rd *Renderer) gin.HandlerFunc {
	return v.authed(rd, func(c *gin.Context, uid, _ string) {
		if err := v.API.EndAllSessions(c.Request.Context(), uid); err != nil {
			rd.Error(c, err)
			return
		}
		noContent(c, rd)
	})
}

// noContent is the sessions views' 204: the renderer's headers, never stored by a cache.
func noContent(c *gin.Context, rd *Renderer) {
	c.Header("Cache-Control", "no-store")
	rd.NoContent(c)
}

// options answers OPTIONS: DRF's SimpleMetadata of a view without a serializer (no "actions").
func (v SessionViews) options(e SessionEndpoint, rd *Renderer) gin.HandlerFunc {
	body := pyjson.NewObject().
		Set("name", e.View).
		Set("description", e.Description).
		Set("renders", Renders()).
		Set("parses", Parses())
	return v.authed(rd, func(c *gin.Context, _, _ string) { rd.JSON(c, http.StatusOK, body) })
}

// DateTime is DRF's DateTimeField representation of a UTC time: ISO 8601, microseconds when
// not zero, "Z" for UTC ("2026-12-05T23:50:19.123456Z").
func DateTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	s := t.Format("2006-01-02T15:04:05.000000")
	if t.Nanosecond() == 0 {
		s = t.Format("2006-01-02T15:04:05")
	}
	return s + "Z"
}

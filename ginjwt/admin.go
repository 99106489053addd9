package ginjwt

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/throttle"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/views"
	"github.com/gin-simplejwt/simplejwt/views/csrf"
)

// AdminConfig configures the admin page (JWT.Admin). The zero value is the default.
type AdminConfig struct {
	// Cookie names the admin's login cookie (the access token of the pair the login form
	// obtained), HttpOnly and SameSite=Lax, scoped to the mount path. "" is "simplejwt_admin".
	Cookie string
	// Secure sets the cookie's Secure flag (always set on a TLS request).
	Secure bool
	// PageSize is the number of tokens per page; 0 is 50.
	PageSize int
	// CSRF configures Django's CSRF protection of the admin's forms when the cookie transport
	// has none of its own (with it, the transport's protection and cookie are shared).
	CSRF csrf.Config
	// IsStaff decides who may use the page; nil is Django's is_staff (and is_active) of a
	// *models.User.
	IsStaff func(models.AuthUser) bool
}

//go:embed admin/*.html
var adminFS embed.FS

var adminTemplates = template.Must(template.New("admin").Funcs(template.FuncMap{
	"when": func(t *models.DjangoTime) string {
		if t == nil {
			return "—"
		}
		return adminTime(t.Time)
	},
	"ptr":   func(t models.DjangoTime) *models.DjangoTime { return &t },
	"deref": func(s *string) string { return *s },
	"time":  adminTime,
}).ParseFS(adminFS, "admin/*.html"))

// adminTime is how the admin pages show a time: UTC to the second, "—" for none.
func adminTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// admin is one mounted admin page.
type admin struct {
	j       *JWT
	cfg     AdminConfig
	protect *csrf.Protection
	log     *slog.Logger
}

// adminPage is what every template receives.
type adminPage struct {
	Title   string
	Prefix  string // the mount path, with its trailing slash
	CSRF    string // the masked token for the forms' csrfmiddlewaretoken
	User    string // the staff user's username, "" when anonymous
	Message string
	Error   string
	Data    any
}

// Admin returns the handler of the token admin page, the counterpart of Django admin's
// token_blacklist pages: the outstanding tokens searchable by username and jti, paginated,
// with the user, created, expires and blacklisted columns; blacklisting selected tokens; a
// user's sessions with "end session" and "log out everywhere" (with Settings.Sessions); and
// flushing expired tokens. Mount it on every method under a wildcard at the path of your choice:
//
//	r.Any("/admin/tokens/*admin", j.Admin(ginjwt.AdminConfig{}))
//
// Only staff users (is_staff) may use it; others get 403, and anonymous users a login form
// that obtains a pair through the TOKEN_OBTAIN_SERIALIZER and keeps the access token in an
// HttpOnly SameSite=Lax cookie (the admin is logged out when it expires: ACCESS_TOKEN_LIFETIME).
// Every POST, the login included, needs Django's CSRF token and a same-origin Origin header;
// every action shows a confirmation page first. Admin panics at setup on an instance without
// the GORM stores (a stateless verifier, or a custom UserStore/TokenStore).
func (j *JWT) Admin(cfg AdminConfig) gin.HandlerFunc {
	if j.db == nil || j.users == nil || j.tokens.Store() == nil {
		panic("ginjwt: Admin needs the GORM user and token stores (New with a database, the token blacklist on)")
	}
	if cfg.Cookie == "" {
		cfg.Cookie = "simplejwt_admin"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 50
	}
	if cfg.IsStaff == nil {
		cfg.IsStaff = func(u models.AuthUser) bool {
			mu, ok := u.(*models.User)
			return ok && mu.IsStaff && mu.IsActive
		}
	}
	protect := j.cookies.CSRF()
	if protect == nil {
		c := cfg.CSRF
		if c.Now == nil {
			c.Now = j.tokens.Now
		}
		var err error
		if protect, err = csrf.New(c); err != nil {
			panic("ginjwt: AdminConfig.CSRF: " + err.Error())
		}
	}
	a := &admin{j: j, cfg: cfg, protect: protect, log: j.tokens.Logger()}
	return a.serve
}

// mount splits the request path into the mount prefix and the admin's own path ("/…").
func mount(c *gin.Context) (prefix, sub string) {
	full := c.FullPath()
	if i := strings.LastIndexByte(full, '*'); i >= 0 {
		sub = c.Param(full[i+1:])
		prefix = strings.TrimSuffix(c.Request.URL.Path, sub) + "/"
		prefix = strings.ReplaceAll(prefix, "//", "/")
		return prefix, sub
	}
	return strings.TrimSuffix(c.Request.URL.Path, "/") + "/", "/"
}

func (a *admin) serve(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	prefix, sub := mount(c)
	page := &adminPage{Prefix: prefix}
	r := c.Request
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		// DRF's 405 body, as every route of the example answers one.
		h.Set("Allow", "GET, HEAD, POST")
		a.j.renderer.Error(c, views.MethodNotAllowedError(r.Method))
		return
	}
	if r.Method == http.MethodPost {
		if err := a.protect.Check(r); err != nil {
			var ce *csrf.Error
			reason := "CSRF verification failed."
			if errors.As(err, &ce) {
				reason = "CSRF verification failed. Request aborted. " + ce.Reason
			}
			a.render(c, http.StatusForbidden, "error", page, reason)
			return
		}
	}
	page.CSRF = a.protect.Token(c.Writer, r)

	user, err := a.user(c)
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	if user == nil {
		if sub == "/login/" && r.Method == http.MethodPost {
			a.login(c, page)
			return
		}
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = http.StatusForbidden
		}
		page.Data = map[string]string{"Next": ""}
		a.render(c, status, "login", page, "Log in")
		return
	}
	page.User = username(user)
	if sub == "/logout/" && r.Method == http.MethodPost {
		a.logout(c, prefix)
		return
	}
	if !a.cfg.IsStaff(user) {
		a.render(c, http.StatusForbidden, "forbidden", page, "Forbidden")
		return
	}
	switch {
	case sub == "/" && r.Method != http.MethodPost:
		a.list(c, page)
	case sub == "/login/" && r.Method == http.MethodPost:
		c.Redirect(http.StatusSeeOther, prefix)
	case sub == "/blacklist/" && r.Method == http.MethodPost:
		a.blacklist(c, page)
	case sub == "/sessions/" && r.Method != http.MethodPost:
		a.sessions(c, page)
	case (sub == "/sessions/end/" || sub == "/sessions/end-all/") && r.Method == http.MethodPost:
		a.endSessions(c, page, sub == "/sessions/end-all/")
	case sub == "/flush/" && r.Method == http.MethodPost:
		a.flush(c, page)
	default:
		a.render(c, http.StatusNotFound, "error", page, "Not found")
	}
}

// user is the admin's user, read in full (Auth's lookup reads only the columns its checks
// need, not is_staff): nil when anonymous, the token is not valid or the user is gone.
func (a *admin) user(c *gin.Context) (models.AuthUser, error) {
	u, err := a.authenticated(c)
	if err != nil || u == nil {
		return u, err
	}
	ctx := models.WithBudget(c.Request.Context(), a.j.settings.DatabaseTimeout)
	full, err := a.j.users.GetByID(ctx, a.j.users.UserID(u))
	if errors.Is(err, models.ErrUserNotFound) {
		return nil, nil
	}
	return full, err
}

// authenticated is the authenticated user: from the admin cookie, else from the request's own
// credentials (the cookie transport's access cookie); nil when anonymous or the token is not valid.
func (a *admin) authenticated(c *gin.Context) (models.AuthUser, error) {
	r := c.Request
	if ck, err := r.Cookie(a.cfg.Cookie); err == nil && ck.Value != "" {
		ctx := models.WithBudget(r.Context(), a.j.settings.DatabaseTimeout)
		tok, err := a.j.ValidatedToken(ctx, ck.Value)
		if err == nil {
			var u models.AuthUser
			if u, err = a.j.User(ctx, tok); err == nil {
				return u, nil
			}
		}
		if !authFailure(err) {
			return nil, err
		}
	}
	if a.j.cookies == nil {
		return nil, nil
	}
	u, _, err := a.j.AuthenticateRequest(r, false)
	if err != nil && authFailure(err) {
		return nil, nil
	}
	return u, err
}

// authFailure reports an invalid token or user (anonymous), as opposed to a store failure.
func authFailure(err error) bool {
	var te *tokens.TokenError
	var af *tokens.AuthenticationFailed
	return err == nil || errors.As(err, &te) || errors.As(err, &af) || errors.Is(err, tokens.ErrNoStore)
}

func (a *admin) unavailable(c *gin.Context, page *adminPage, err error) {
	a.log.ErrorContext(c.Request.Context(), "ginjwt: admin: store error", "err", err)
	a.render(c, http.StatusServiceUnavailable, "error", page, "Service unavailable: the database could not be reached. Try again.")
}

func (a *admin) render(c *gin.Context, status int, name string, page *adminPage, title string) {
	page.Title = title
	c.Writer.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if c.Request.Method == http.MethodHead {
		return
	}
	if err := adminTemplates.ExecuteTemplate(c.Writer, name, page); err != nil {
		a.log.ErrorContext(c.Request.Context(), "ginjwt: admin: template", "template", name, "err", err)
	}
}

// setCookie sets (value != "") or deletes one of the admin's cookies: the access token (for
// ACCESS_TOKEN_LIFETIME), or the refresh token (REFRESH_TOKEN_LIFETIME), only for logout.
func (a *admin) setCookie(c *gin.Context, prefix, name, value string) {
	ck := &http.Cookie{
		Name: name, Value: value, Path: prefix, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.cfg.Secure || c.Request.TLS != nil,
	}
	if value == "" {
		ck.MaxAge, ck.Expires = -1, time.Unix(0, 0).UTC()
	} else {
		life := a.j.settings.AccessTokenLifetime
		if name != a.cfg.Cookie {
			life = a.j.settings.RefreshTokenLifetime
		}
		ck.MaxAge, ck.Expires = int(life/time.Second), a.j.tokens.Now().Add(life).UTC()
	}
	c.Writer.Header().Add("Set-Cookie", ck.String())
}

// login runs the TOKEN_OBTAIN_SERIALIZER on the form's username and password.
func (a *admin) login(c *gin.Context, page *adminPage) {
	r := c.Request
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	// The obtain view's throttles: DRF's token_obtain scope, then the failed-login counts per
	// username and per address (Settings.Throttle), so the form is no way round them.
	finishCtx := context.WithoutCancel(r.Context())
	var attempt *throttle.LoginAttempt
	if l := a.j.limiter; l != nil {
		err := l.Check(c, throttle.Scoped(throttle.ScopeTokenObtain))
		if err == nil {
			attempt, err = l.BeginLogin(r, strings.TrimSpace(username))
		}
		var th *throttle.Throttled
		if errors.As(err, &th) {
			if ra := th.RetryAfter(); ra != "" {
				c.Writer.Header().Set("Retry-After", ra)
			}
			page.Error = th.Detail()
			page.Data = map[string]string{"Username": username}
			a.render(c, http.StatusTooManyRequests, "login", page, "Log in")
			return
		}
		defer attempt.Finish(finishCtx, throttle.LoginAbandoned)
	}
	data := pyjson.NewObject().Set(a.j.env.UsernameField, username).Set("password", password)
	ctx := models.WithBudget(r.Context(), a.j.settings.DatabaseTimeout)
	body, err := a.j.settings.Serializers[views.TokenObtainPair].Validate(ctx, a.j.env, r, data)
	var failed *tokens.AuthenticationFailed
	switch {
	case err == nil:
		attempt.Finish(finishCtx, throttle.LoginSucceeded)
	case errors.As(err, &failed):
		attempt.Finish(finishCtx, throttle.LoginFailed)
	}
	access := ""
	if err == nil {
		if v, ok := body.Get("access"); ok {
			access, _ = v.(string)
		}
	}
	if err != nil || access == "" {
		var dbErr *models.DBError
		if errors.As(err, &dbErr) {
			a.unavailable(c, page, err)
			return
		}
		page.Error = "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive."
		page.Data = map[string]string{"Username": username}
		a.render(c, http.StatusOK, "login", page, "Log in")
		return
	}
	a.setCookie(c, page.Prefix, a.cfg.Cookie, access)
	if v, ok := body.Get("refresh"); ok {
		if refresh, _ := v.(string); refresh != "" {
			a.setCookie(c, page.Prefix, a.cfg.Cookie+"_refresh", refresh)
		}
	}
	c.Redirect(http.StatusSeeOther, page.Prefix)
}

// logout blacklists the refresh token of the admin's login (TOKEN_BLACKLIST_SERIALIZER, which
// also ends its session), clears both cookies and shows the login form.
func (a *admin) logout(c *gin.Context, prefix string) {
	if ck, err := c.Request.Cookie(a.cfg.Cookie + "_refresh"); err == nil && ck.Value != "" {
		ctx := models.WithBudget(c.Request.Context(), a.j.settings.DatabaseTimeout)
		data := pyjson.NewObject().Set("refresh", ck.Value)
		if _, err := a.j.settings.Serializers[views.TokenBlacklist].Validate(ctx, a.j.env, c.Request, data); err != nil && !authFailure(err) {
			a.log.WarnContext(ctx, "ginjwt: admin: logout could not blacklist the refresh token", "err", err)
		}
	}
	a.setCookie(c, prefix, a.cfg.Cookie, "")
	a.setCookie(c, prefix, a.cfg.Cookie+"_refresh", "")
	c.Redirect(http.StatusSeeOther, prefix)
}

// tokenList is the list page's data.
type tokenList struct {
	Query      string
	Rows       []models.TokenRow
	Total      int64
	Page, Last int
	Prev, Next string // links, "" when none
	Sessions   bool
}

func (a *admin) pageLink(prefix, q string, p int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if p > 1 {
		v.Set("p", strconv.Itoa(p))
	}
	if len(v) == 0 {
		return prefix
	}
	return prefix + "?" + v.Encode()
}

func (a *admin) list(c *gin.Context, page *adminPage) {
	q := strings.TrimSpace(c.Query("q"))
	p, _ := strconv.Atoi(c.Query("p"))
	if p < 1 {
		p = 1
	}
	ctx := models.WithBudget(c.Request.Context(), a.j.settings.DatabaseTimeout)
	rows, total, err := models.ListOutstandingTokens(ctx, a.j.db, models.TokenQuery{Users: a.userColumns(), Search: q, Offset: (p - 1) * a.cfg.PageSize, Limit: a.cfg.PageSize})
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	last := int((total + int64(a.cfg.PageSize) - 1) / int64(a.cfg.PageSize))
	if last < 1 {
		last = 1
	}
	d := &tokenList{Query: q, Rows: rows, Total: total, Page: p, Last: last, Sessions: a.j.sessions != nil}
	if p > 1 {
		d.Prev = a.pageLink(page.Prefix, q, p-1)
	}
	if p < last {
		d.Next = a.pageLink(page.Prefix, q, p+1)
	}
	page.Message = doneMessage(c.Query("done"), c.Query("n"))
	page.Data = d
	a.render(c, http.StatusOK, "list", page, "Outstanding tokens")
}

// doneMessage is the message shown after an action redirected back to the list.
func doneMessage(done, n string) string {
	count, err := strconv.Atoi(n)
	if err != nil || count < 0 {
		count = 0
	}
	switch done {
	case "blacklisted":
		return "Blacklisted " + strconv.Itoa(count) + " token(s)."
	case "flushed":
		return "Flushed " + strconv.Itoa(count) + " expired token(s)."
	case "ended":
		return "The session was ended."
	case "ended-all":
		return "The user was logged out everywhere."
	}
	return ""
}

// confirmation is the confirmation page's data: the form to post again with confirm=yes.
type confirmation struct {
	Action  string
	Hidden  [][2]string
	Summary string
	Rows    []models.TokenRow
	Button  string
	Cancel  string
}

func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

func (a *admin) blacklist(c *gin.Context, page *adminPage) {
	r := c.Request
	_ = r.ParseForm()
	var ids []int64
	for _, v := range r.PostForm["token"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		page.Error = "Select at least one token to blacklist."
		a.render(c, http.StatusBadRequest, "error", page, "No tokens selected")
		return
	}
	ctx := models.WithBudget(r.Context(), a.j.settings.DatabaseTimeout)
	if !confirmed(r) {
		rows, err := models.OutstandingTokensByID(ctx, a.j.db, a.userColumns(), ids)
		if err != nil {
			a.unavailable(c, page, err)
			return
		}
		d := &confirmation{Action: page.Prefix + "blacklist/", Rows: rows, Button: "Yes, blacklist them", Cancel: page.Prefix,
			Summary: "Blacklist these " + strconv.Itoa(len(rows)) + " token(s)? Their holders can no longer refresh them."}
		for _, row := range rows {
			d.Hidden = append(d.Hidden, [2]string{"token", strconv.FormatInt(row.ID, 10)})
		}
		page.Data = d
		a.render(c, http.StatusOK, "confirm", page, "Confirm: blacklist tokens")
		return
	}
	n, err := models.BlacklistOutstandingIDs(ctx, a.j.db, ids, models.NewDjangoTime(a.j.tokens.Now()))
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	a.log.InfoContext(ctx, "ginjwt: admin: blacklisted tokens", "by", page.User, "count", n)
	c.Redirect(http.StatusSeeOther, page.Prefix+"?done=blacklisted&n="+strconv.FormatInt(n, 10))
}

// userColumns is the user table the token list joins: the GORM store's (a custom user model's
// table and USERNAME_FIELD), else Django's auth_user.
func (a *admin) userColumns() models.UserColumns {
	if gu, ok := a.j.users.(*models.GormUserStore); ok {
		return gu.Columns()
	}
	return models.UserColumns{}
}

// sessionList is the sessions page's data.
type sessionList struct {
	UserID, Username string
	Sessions         []models.Session
}

func (a *admin) sessionUser(ctx context.Context, id string) (models.AuthUser, error) {
	u, err := a.j.users.GetByID(ctx, id)
	if errors.Is(err, models.ErrUserNotFound) {
		return nil, nil
	}
	return u, err
}

func (a *admin) sessions(c *gin.Context, page *adminPage) {
	if a.j.sessions == nil {
		a.render(c, http.StatusNotFound, "error", page, "Sessions are off (Settings.Sessions)")
		return
	}
	id := c.Query("user")
	ctx := models.WithBudget(c.Request.Context(), a.j.settings.DatabaseTimeout)
	u, err := a.sessionUser(ctx, id)
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	if u == nil {
		a.render(c, http.StatusNotFound, "error", page, "No such user")
		return
	}
	list, err := a.j.Sessions(c.Request.Context(), id)
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	page.Message = doneMessage(c.Query("done"), "")
	page.Data = &sessionList{UserID: id, Username: username(u), Sessions: list}
	a.render(c, http.StatusOK, "sessions", page, "Sessions of "+username(u))
}

func (a *admin) endSessions(c *gin.Context, page *adminPage, all bool) {
	if a.j.sessions == nil {
		a.render(c, http.StatusNotFound, "error", page, "Sessions are off (Settings.Sessions)")
		return
	}
	r := c.Request
	id, sid := r.PostFormValue("user"), r.PostFormValue("session")
	ctx := r.Context()
	u, err := a.sessionUser(models.WithBudget(ctx, a.j.settings.DatabaseTimeout), id)
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	if u == nil || (!all && sid == "") {
		a.render(c, http.StatusNotFound, "error", page, "No such user or session")
		return
	}
	back := page.Prefix + "sessions/?user=" + url.QueryEscape(id)
	if !confirmed(r) {
		d := &confirmation{Hidden: [][2]string{{"user", id}}, Cancel: back}
		if all {
			d.Action, d.Button = page.Prefix+"sessions/end-all/", "Yes, log "+username(u)+" out everywhere"
			d.Summary = "Log " + username(u) + " out everywhere? Every session ends and every token issued to them until now is refused."
		} else {
			d.Action, d.Button = page.Prefix+"sessions/end/", "Yes, end this session"
			d.Hidden = append(d.Hidden, [2]string{"session", sid})
			d.Summary = "End session " + sid + " of " + username(u) + "? Its tokens are refused from now on."
		}
		page.Data = d
		a.render(c, http.StatusOK, "confirm", page, "Confirm: end sessions")
		return
	}
	done := "ended"
	if all {
		done, err = "ended-all", a.j.EndAllSessions(ctx, id)
	} else {
		err = a.j.EndSession(ctx, id, sid)
	}
	if errors.Is(err, models.ErrSessionNotFound) {
		a.render(c, http.StatusNotFound, "error", page, "No such session")
		return
	}
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	a.log.InfoContext(ctx, "ginjwt: admin: ended sessions", "by", page.User, "all", all)
	c.Redirect(http.StatusSeeOther, back+"&done="+done)
}

func (a *admin) flush(c *gin.Context, page *adminPage) {
	r := c.Request
	if !confirmed(r) {
		page.Data = &confirmation{Action: page.Prefix + "flush/", Button: "Yes, flush expired tokens", Cancel: page.Prefix,
			Summary: "Delete every outstanding token (and its blacklist row) that expired more than LEEWAY ago? Such tokens can never be accepted again."}
		a.render(c, http.StatusOK, "confirm", page, "Confirm: flush expired tokens")
		return
	}
	n, err := a.j.FlushExpiredTokens(r.Context())
	if err != nil {
		a.unavailable(c, page, err)
		return
	}
	a.log.InfoContext(r.Context(), "ginjwt: admin: flushed expired tokens", "by", page.User, "count", n)
	c.Redirect(http.StatusSeeOther, page.Prefix+"?done=flushed&n="+strconv.FormatInt(n, 10))
}

// username is the user's username for display (GetUsername, else its String).
func username(u models.AuthUser) string {
	if n, ok := u.(interface{ GetUsername() string }); ok {
		return n.GetUsername()
	}
	return fmt.Sprint(u)
}

package views_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

const obtain = "/api/token/"

// TestObtainSecurity sends hostile credentials to the obtain endpoint. Besides status and body, it
// asserts that no token was issued and nothing was written for the refused cases, and counts
// the hasher runs and the queries.
func TestObtainSecurity(t *testing.T) {
	fieldErr := func(field, msg string) string { return `{"` + field + `":["` + msg + `"]}` }
	type ecase struct {
		id, name    string
		ctype, body string
		status      int
		want        string // exact body; "" means: do not compare
		queries     int    // -1: do not check
		hasherRuns  int    // -1: do not check
		wantIssued  bool
	}
	long := strings.Repeat("a", 151)
	cases := []ecase{
		{id: "E1", name: "sql_quote", body: `{"username":"admin' --","password":"x"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E1", name: "sql_or", body: `{"username":"' OR '1'='1","password":"' OR '1'='1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E1", name: "sql_drop", body: `{"username":"\"; DROP TABLE users;--","password":"x"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E1", name: "like_wildcards", body: `{"username":"%","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E1", name: "like_underscore", body: `{"username":"alic_","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E2", name: "missing_both", body: `{}`, status: 400, want: `{"username":["This field is required."],"password":["This field is required."]}`, queries: 0, hasherRuns: 0},
		{id: "E2", name: "username_empty", body: `{"username":"","password":"x"}`, status: 400, want: fieldErr("username", "This field may not be blank."), queries: 0, hasherRuns: 0},
		{id: "E2", name: "username_spaces", body: `{"username":" \t\u00a0 ","password":"x"}`, status: 400, want: fieldErr("username", "This field may not be blank."), queries: 0, hasherRuns: 0},
		{id: "E2", name: "password_missing", body: `{"username":"alice"}`, status: 400, want: fieldErr("password", "This field is required."), queries: 0, hasherRuns: 0},
		{id: "E3", name: "username_null", body: `{"username":null,"password":"x"}`, status: 400, want: fieldErr("username", "This field may not be null."), queries: 0, hasherRuns: 0},
		{id: "E3", name: "username_true", body: `{"username":true,"password":"x"}`, status: 400, want: fieldErr("username", "Not a valid string."), queries: 0, hasherRuns: 0},
		{id: "E3", name: "username_list", body: `{"username":["admin"],"password":"x"}`, status: 400, want: fieldErr("username", "Not a valid string."), queries: 0, hasherRuns: 0},
		{id: "E3", name: "username_object", body: `{"username":{"$ne":null},"password":"x"}`, status: 400, want: fieldErr("username", "Not a valid string."), queries: 0, hasherRuns: 0},
		// DRF's CharField accepts numbers as text: 123 is the username "123", which no user has.
		{id: "E3", name: "username_number", body: `{"username":123,"password":"x"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E3", name: "password_object", body: `{"username":"alice","password":{"$gt":""}}`, status: 400, want: fieldErr("password", "Not a valid string."), queries: 0, hasherRuns: 0},
		{id: "E4", name: "fullwidth", body: `{"username":"ａｌｉｃｅ","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E4", name: "zero_width", body: `{"username":"alice\u200b","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E4", name: "case", body: `{"username":"Alice","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E4", name: "dotless_i", body: `{"username":"al\u0131ce","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E4", name: "rtl_override", body: `{"username":"\u202ealice","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E4", name: "nfd", body: `{"username":"alice\u0301","password":"alice-password-1"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E4", name: "nul", body: `{"username":"alice\u0000","password":"alice-password-1"}`, status: 400, want: fieldErr("username", "Null characters are not allowed."), queries: 0, hasherRuns: 0},
		{id: "E4", name: "lone_surrogate", body: `{"username":"alice\ud800","password":"alice-password-1"}`, status: 400, want: fieldErr("username", "Surrogate characters are not allowed: U+D800."), queries: 0, hasherRuns: 0},
		{id: "E6", name: "empty_password", body: `{"username":"nohash","password":""}`, status: 400, want: fieldErr("password", "This field may not be blank."), queries: 0, hasherRuns: 0},
		{id: "E6", name: "any_password_empty_hash", body: `{"username":"nohash","password":"x"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E6", name: "unusable_hash", body: `{"username":"unusable","password":"!"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E7", name: "password_prefix_plus_extra", body: `{"username":"alice","password":"alice-password-1` + strings.Repeat("x", 80) + `"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E8", name: "password_over_4096_bytes", body: `{"username":"alice","password":"` + strings.Repeat("é", 2100) + `"}`, status: 400, want: fieldErr("password", "Ensure this field has no more than 4096 characters."), queries: 0, hasherRuns: 0},
		{id: "E8", name: "password_1MB", body: `{"username":"alice","password":"` + strings.Repeat("x", 1<<20) + `"}`, status: 413, want: `{"detail":"Request body too large."}`, queries: 0, hasherRuns: 0},
		{id: "E9", name: "username_151", body: `{"username":"` + long + `","password":"x"}`, status: 400, want: fieldErr("username", "Ensure this field has no more than 150 characters."), queries: 0, hasherRuns: 0},
		{id: "E9", name: "username_150_multibyte", body: `{"username":"` + strings.Repeat("ж", 150) + `","password":"x"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E9", name: "username_10KB", body: `{"username":"` + strings.Repeat("a", 10<<10) + `","password":"x"}`, status: 400, want: fieldErr("username", "Ensure this field has no more than 150 characters."), queries: 0, hasherRuns: 0},
		{id: "E10", name: "list", body: `[]`, status: 400, want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}`, queries: 0, hasherRuns: 0},
		{id: "E10", name: "string", body: `"x"`, status: 400, want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}`, queries: 0, hasherRuns: 0},
		{id: "E10", name: "int", body: `123`, status: 400, want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got int."]}`, queries: 0, hasherRuns: 0},
		{id: "E10", name: "float", body: `1.5`, status: 400, want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got float."]}`, queries: 0, hasherRuns: 0},
		{id: "E10", name: "null", body: `null`, status: 400, want: `{"non_field_errors":["No data provided"]}`, queries: 0, hasherRuns: 0},
		{id: "E10", name: "true", body: `true`, status: 400, want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got bool."]}`, queries: 0, hasherRuns: 0},
		{id: "E11", name: "truncated", body: `{"username":`, status: 400, want: `{"detail":"JSON parse error - Expecting value: line 1 column 13 (char 12)"}`, queries: 0, hasherRuns: 0},
		{id: "E11", name: "trailing_garbage", body: `{}{}`, status: 400, want: `{"detail":"JSON parse error - Extra data: line 1 column 3 (char 2)"}`, queries: 0, hasherRuns: 0},
		{id: "E11", name: "bom", body: "\ufeff{}", status: 400, want: `{"detail":"JSON parse error - Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"}`, queries: 0, hasherRuns: 0},
		{id: "E11", name: "invalid_utf8", body: "{\"username\":\"\xff\"}", status: 400, want: `{"detail":"JSON parse error - 'utf-8' codec can't decode byte 0xff in position 13: invalid start byte"}`, queries: 0, hasherRuns: 0},
		{id: "E11", name: "nan", body: `{"username":"alice","password":NaN}`, status: 400, want: `{"detail":"JSON parse error - Out of range float values are not JSON compliant: 'NaN'"}`, queries: 0, hasherRuns: 0},
		{id: "E11", name: "deep_nesting", body: strings.Repeat("[", 20000), status: 400, want: `{"detail":"JSON parse error - maximum recursion depth exceeded while decoding a JSON array from a unicode string"}`, queries: 0, hasherRuns: 0},
		{id: "E12", name: "duplicate_last_wins", body: `{"username":"alice","password":"alice-password-1","username":"admin"}`, status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E12", name: "duplicate_last_wins_ok", body: `{"username":"admin","password":"x","username":"alice","password":"alice-password-1"}`, status: 200, queries: 1, hasherRuns: 1, wantIssued: true},
		{id: "E12", name: "case_variant", body: `{"USERNAME":"alice","Password":"alice-password-1"}`, status: 400, want: `{"username":["This field is required."],"password":["This field is required."]}`, queries: 0, hasherRuns: 0},
		{id: "E13", name: "text_plain", ctype: "text/plain", body: `{"username":"alice","password":"alice-password-1"}`, status: 415, want: `{"detail":"Unsupported media type \"text/plain\" in request."}`, queries: 0, hasherRuns: 0},
		{id: "E13", name: "xml", ctype: "application/xml", body: `<u>alice</u>`, status: 415, want: `{"detail":"Unsupported media type \"application/xml\" in request."}`, queries: 0, hasherRuns: 0},
		{id: "E13", name: "missing", ctype: "-", body: `{"username":"alice","password":"alice-password-1"}`, status: 415, want: `{"detail":"Unsupported media type \"\" in request."}`, queries: 0, hasherRuns: 0},
		{id: "E13", name: "json_with_params", ctype: "text/plain; charset=\"utf-8\"", body: `{}`, status: 415, want: `{"detail":"Unsupported media type \"text/plain; charset=\"utf-8\"\" in request."}`, queries: 0, hasherRuns: 0},
		{id: "E13", name: "json_uppercase", ctype: "Application/JSON; Charset=UTF-8", body: `{"username":"alice","password":"alice-password-1"}`, status: 200, queries: 1, hasherRuns: 1, wantIssued: true},
		{id: "E13", name: "latin1", ctype: "application/json; charset=latin-1", body: "{\"username\":\"al\xefce\",\"password\":\"x\"}", status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E13", name: "ascii_error", ctype: "application/json; charset=us-ascii", body: "{\"username\":\"\xff\"}", status: 400, want: `{"detail":"JSON parse error - 'ascii' codec can't decode byte 0xff in position 13: ordinal not in range(128)"}`, queries: 0, hasherRuns: 0},
		{id: "E14", name: "form_ok", ctype: "application/x-www-form-urlencoded", body: "username=alice&password=alice-password-1", status: 200, queries: 1, hasherRuns: 1, wantIssued: true},
		{id: "E14", name: "form_percent_plus", ctype: "application/x-www-form-urlencoded", body: "username=%61lice&password=alice%2Dpassword-1+", status: 200, queries: 1, hasherRuns: 1, wantIssued: true},
		{id: "E14", name: "form_wrong", ctype: "application/x-www-form-urlencoded", body: "username=alice&password=nope", status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E14", name: "form_blank", ctype: "application/x-www-form-urlencoded", body: "username&password=", status: 400, want: `{"username":["This field may not be blank."],"password":["This field may not be blank."]}`, queries: 0, hasherRuns: 0},
		{id: "E14", name: "form_bad_escapes", ctype: "application/x-www-form-urlencoded", body: "username=%zz&password=%ff", status: 401, want: noAcct, queries: 1, hasherRuns: 1},
		{id: "E14", name: "form_semicolon_not_separator", ctype: "application/x-www-form-urlencoded", body: "username=alice;password=x", status: 400, want: fieldErr("password", "This field is required."), queries: 0, hasherRuns: 0},
		{id: "E14", name: "multipart_no_boundary", ctype: "multipart/form-data", body: "x", status: 400, want: `{"detail":"Multipart form parse error - Invalid boundary in multipart: None"}`, queries: 0, hasherRuns: 0},
		{id: "E14", name: "multipart_garbage", ctype: "multipart/form-data; boundary=abc", body: "garbage", status: 400, want: `{"username":["This field is required."],"password":["This field is required."]}`, queries: 0, hasherRuns: 0},
		{id: "E14", name: "multipart_file_part", ctype: "multipart/form-data; boundary=abc",
			body:   "--abc\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n--abc\r\nContent-Disposition: form-data; name=\"password\"; filename=\"p.txt\"\r\n\r\nalice-password-1\r\n--abc--\r\n",
			status: 400, want: fieldErr("password", "Not a valid string."), queries: 0, hasherRuns: 0},
		{id: "E14", name: "multipart_truncated", ctype: "multipart/form-data; boundary=abc",
			body:   "--abc\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n--abc\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nalice-password-1",
			status: 200, queries: 1, hasherRuns: 1, wantIssued: true},
		{id: "E14", name: "multipart_capitalised", ctype: "Multipart/Form-Data; boundary=abc", body: "x", status: 400, want: `{"detail":"Multipart form parse error - Invalid Content-Type: Multipart/Form-Data; boundary=abc"}`, queries: 0, hasherRuns: 0},
		{id: "E14", name: "multipart_wildcard", ctype: "multipart/*; boundary=abc", body: "x", status: 400, want: `{"username":["This field is required."],"password":["This field is required."]}`, queries: 0, hasherRuns: 0},
		{id: "E13", name: "star_star_is_json", ctype: "*/*", body: `{"username":"alice"}`, status: 400, want: fieldErr("password", "This field is required."), queries: 0, hasherRuns: 0},
		{id: "E13", name: "application_star_is_json", ctype: "application/*", body: `[]`, status: 400, want: `{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}`, queries: 0, hasherRuns: 0},
		{id: "E15", name: "extra_fields", body: `{"username":"alice","password":"alice-password-1","is_staff":true,"user_id":1,"is_superuser":true}`, status: 200, queries: 1, hasherRuns: 1, wantIssued: true},
	}
	for _, c := range cases {
		t.Run(c.id+"/"+c.name, func(t *testing.T) {
			h := newHarness(t)
			h.addUser(t, 10, "nohash", "", true)
			h.addUser(t, 11, "unusable", "!", true)
			h.addUser(t, 12, strings.Repeat("ж", 149)+"x", "x", true)
			h.hasherRuns.Store(0)
			outBefore, _ := h.store.Counts()
			ctype := c.ctype
			switch ctype {
			case "":
				ctype = "application/json"
			case "-":
				ctype = ""
			}
			w := h.do(http.MethodPost, obtain, ctype, c.body)
			if w.Code != c.status || (c.want != "" && w.Body.String() != c.want) {
				t.Fatalf("got %d %s\nwant %d %s", w.Code, w.Body, c.status, c.want)
			}
			if c.queries >= 0 && int(h.users.Lookups()) != c.queries {
				t.Errorf("%d user queries, want %d", h.users.Lookups(), c.queries)
			}
			if c.hasherRuns >= 0 && int(h.hasherRuns.Load()) != c.hasherRuns {
				t.Errorf("hasher ran %d times, want %d", h.hasherRuns.Load(), c.hasherRuns)
			}
			outAfter, _ := h.store.Counts()
			if issued := jwtPattern.MatchString(w.Body.String()); issued != c.wantIssued || (outAfter > outBefore) != c.wantIssued {
				t.Errorf("token issued = %v (outstanding %d → %d), want %v", issued, outBefore, outAfter, c.wantIssued)
			}
			if n, _ := h.users.LastLogins(); n != 0 {
				t.Error("last_login updated with UPDATE_LAST_LOGIN off")
			}
			if w.Code != 200 {
				assertNoLeak(t, w.Body.String())
			}
		})
	}
}

// TestLoginFailureIndistinguishable is E5 / G2: unknown user, wrong password, inactive user,
// empty hash, unusable hash and unknown hash format answer the same bytes and headers, and run
// the hasher exactly once each.
func TestLoginFailureIndistinguishable(t *testing.T) {
	h := newHarness(t)
	h.addUser(t, 10, "nohash", "", true)
	h.addUser(t, 11, "unusable", "!", true)
	h.addUser(t, 12, "garbage", "x", true)
	h.users.SetHash(t, "garbage", "unknown_algo$1$salt$hash")
	var first *httptest.ResponseRecorder
	for _, body := range []string{
		`{"username":"nobody","password":"alice-password-1"}`,
		`{"username":"alice","password":"wrong-password"}`,
		`{"username":"bob","password":"bob-password-1"}`,
		`{"username":"nohash","password":"x"}`,
		`{"username":"unusable","password":"x"}`,
		`{"username":"garbage","password":"x"}`,
	} {
		h.hasherRuns.Store(0)
		w := h.postJSON(obtain, body)
		if runs := h.hasherRuns.Load(); runs != 1 {
			t.Errorf("%s: hasher ran %d times, want 1", body, runs)
		}
		if first == nil {
			first = w
			if w.Code != 401 || w.Body.String() != noAcct {
				t.Fatalf("got %d %s", w.Code, w.Body)
			}
			continue
		}
		if w.Code != first.Code || !bytes.Equal(w.Body.Bytes(), first.Body.Bytes()) {
			t.Errorf("%s: %d %s differs from %d %s", body, w.Code, w.Body, first.Code, first.Body)
		}
		for k, v := range first.Header() {
			if got := w.Header().Values(k); strings.Join(got, ",") != strings.Join(v, ",") {
				t.Errorf("%s: header %s %v differs from %v", body, k, got, v)
			}
		}
	}
}

// TestLoginHooks covers UPDATE_LAST_LOGIN, ON_LOGIN_SUCCESS, ON_LOGIN_FAILED (with Django's
// credential masking) and USER_AUTHENTICATION_RULE.
func TestLoginHooks(t *testing.T) {
	t.Run("update_last_login_default", func(t *testing.T) {
		now := time.Unix(1795477898, 0)
		h := newHarness(t, withNow(func() time.Time { return now }), withSettings(func(s *tokens.Settings) { s.UpdateLastLogin = true }))
		if w := h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`); w.Code != 200 {
			t.Fatal(w.Code, w.Body)
		}
		if w := h.postJSON("/api/token/sliding/", `{"username":"alice","password":"alice-password-1"}`); w.Code != 200 {
			t.Fatal(w.Code, w.Body)
		}
		if n, _ := h.users.LastLogins(); n != 2 {
			t.Errorf("last_login updated %d times, want 2", n)
		}
		if _, at := h.users.LastLogins(); !at.Equal(now) {
			t.Errorf("last_login = %v, want %v", at, now)
		}
		if w := h.postJSON(obtain, `{"username":"alice","password":"wrong"}`); w.Code != 401 || lastLogins(h) != 2 {
			t.Errorf("failed login: %d, last_login updates %d", w.Code, lastLogins(h))
		}
	})
	t.Run("on_login_success_only_with_update_last_login", func(t *testing.T) {
		for _, update := range []bool{false, true} {
			var calls int
			h := newHarness(t, withSettings(func(s *tokens.Settings) { s.UpdateLastLogin = update }),
				withEnv(func(e *serializers.Env) {
					e.OnLoginSuccess = func(_ context.Context, u models.AuthUser, r *http.Request) error {
						calls++
						if r == nil || u == nil {
							t.Error("hook without request or user")
						}
						return nil
					}
				}))
			h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`)
			if want, n := map[bool]int{false: 0, true: 1}[update], lastLogins(h); calls != want || n != 0 {
				t.Errorf("UPDATE_LAST_LOGIN=%v: hook called %d times, want %d; default ran %d", update, calls, want, n)
			}
		}
	})
	t.Run("on_login_success_error", func(t *testing.T) {
		h := newHarness(t, withSettings(func(s *tokens.Settings) { s.UpdateLastLogin = true }))
		h.env.OnLoginSuccess = func(context.Context, models.AuthUser, *http.Request) error {
			return errors.New("hook failed: secret internals")
		}
		w := h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`)
		if w.Code != 500 || w.Body.String() != `{"detail":"A server error occurred."}` {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
	})
	t.Run("on_login_failed", func(t *testing.T) {
		var got []map[string]string
		h := newHarness(t, withEnv(func(e *serializers.Env) {
			e.OnLoginFailed = func(_ context.Context, c map[string]string, r *http.Request) {
				if r == nil {
					t.Error("no request")
				}
				got = append(got, c)
			}
		}))
		h.postJSON(obtain, `{"username":"alice","password":"wrong"}`)
		h.postJSON(obtain, `{"username":"bob","password":"bob-password-1"}`)
		h.postJSON(obtain, `{"username":"alice"}`)                               // field error: no call
		h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`) // success: no call
		want := []map[string]string{
			{"username": "alice", "password": "********************"},
			{"username": "bob", "password": "********************"},
		}
		if len(got) != len(want) {
			t.Fatalf("hook calls %v, want %v", got, want)
		}
		for i := range want {
			for k, v := range want[i] {
				if got[i][k] != v || len(got[i]) != len(want[i]) {
					t.Errorf("call %d: %v, want %v", i, got[i], want[i])
				}
			}
		}
	})
	t.Run("custom_username_field", func(t *testing.T) {
		h := newHarness(t, withEnv(func(e *serializers.Env) { e.UsernameField = "email_address" }))
		w := h.postJSON(obtain, `{"email_address":"alice","password":"alice-password-1"}`)
		if w.Code != 200 {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
		w = h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`)
		if w.Code != 400 || w.Body.String() != `{"email_address":["This field is required."]}` {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
		w = h.do(http.MethodOptions, obtain, "", "")
		if !strings.Contains(w.Body.String(), `"email_address":{"type":"string","required":true,"read_only":false,"label":"Email address"}`) {
			t.Errorf("OPTIONS: %s", w.Body)
		}
	})
	t.Run("authentication_rule", func(t *testing.T) {
		h := newHarness(t, withEnv(func(e *serializers.Env) {
			e.Rule = func(u models.AuthUser) bool { return u != nil && u.(*models.User).Username != "alice" }
		}))
		if w := h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`); w.Code != 401 || w.Body.String() != noAcct {
			t.Errorf("obtain: %d %s", w.Code, w.Body)
		}
		r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
		if w := h.postJSON("/api/token/refresh/", field("refresh", r)); w.Code != 401 || w.Body.String() != noAcctT {
			t.Errorf("refresh: %d %s", w.Code, w.Body)
		}
	})
	t.Run("check_user_is_active_false", func(t *testing.T) {
		h := newHarness(t, withSettings(func(s *tokens.Settings) { s.AllowInactiveUsers = true }))
		// Django's ModelBackend still refuses inactive users at login ...
		if w := h.postJSON(obtain, `{"username":"bob","password":"bob-password-1"}`); w.Code != 401 {
			t.Errorf("obtain: %d %s", w.Code, w.Body)
		}
		// ... but refresh lets them through when CHECK_USER_IS_ACTIVE is off.
		r := h.mint(t, tokens.RefreshToken, "2", time.Time{}, nil)
		if w := h.postJSON("/api/token/refresh/", field("refresh", r)); w.Code != 200 {
			t.Errorf("refresh: %d %s", w.Code, w.Body)
		}
	})
}

// TestRevokeOnPasswordChange is D5/D6 for refresh and sliding refresh (simplejwt HEAD #928).
func TestRevokeOnPasswordChange(t *testing.T) {
	for _, ep := range []struct {
		path, field string
		class       tokens.Class
	}{{"/api/token/refresh/", "refresh", tokens.RefreshToken}, {"/api/token/sliding/refresh/", "token", tokens.SlidingToken}} {
		t.Run(ep.field, func(t *testing.T) {
			h := newHarness(t, withSettings(func(s *tokens.Settings) { s.CheckRevokeToken = true }))
			login := obtain
			key := "refresh"
			if ep.class == tokens.SlidingToken {
				login, key = "/api/token/sliding/", "token"
			}
			w := h.postJSON(login, `{"username":"alice","password":"alice-password-1"}`)
			var pair map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &pair); err != nil || w.Code != 200 {
				t.Fatal(w.Code, w.Body, err)
			}
			if p := payloadOf(t, pair[key]); p["hash_password"] != h.env.Tokens.RevokeHash(h.alice.Password) {
				t.Fatalf("revoke claim %v", p["hash_password"])
			}
			if w := h.postJSON(ep.path, field(ep.field, pair[key])); w.Code != 200 {
				t.Fatalf("before the change: %d %s", w.Code, w.Body)
			}
			h.setPassword(t, "alice", "new-password-2")
			w = h.postJSON(ep.path, field(ep.field, pair[key]))
			if w.Code != 401 || w.Body.String() != `{"detail":"The user's password has been changed."}` || w.Header().Get("WWW-Authenticate") != hdrWWW {
				t.Fatalf("after the change: %d %s", w.Code, w.Body)
			}
			jti := payloadOf(t, pair[key])["jti"].(string)
			if black, _ := h.store.IsBlacklisted(context.Background(), jti); !black {
				t.Error("the token was not blacklisted")
			}
			if w := h.postJSON(ep.path, field(ep.field, pair[key])); w.Body.String() != black {
				t.Errorf("again: %d %s", w.Code, w.Body)
			}
		})
	}
	t.Run("disabled", func(t *testing.T) { // D6: parity, the token keeps working
		h := newHarness(t)
		r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
		h.setPassword(t, "alice", "new-password-2")
		if w := h.postJSON("/api/token/refresh/", field("refresh", r)); w.Code != 200 {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
	})
	t.Run("without_store", func(t *testing.T) {
		h := newHarness(t, withoutStore(), withSettings(func(s *tokens.Settings) { s.CheckRevokeToken = true }))
		r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, func(tok *tokens.Token) { tok.Set("hash_password", "stale") })
		if w := h.postJSON("/api/token/refresh/", field("refresh", r)); w.Code != 401 || w.Body.String() != `{"detail":"The user's password has been changed."}` {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
	})
}

// TestDatabaseOutage: a database failure is a 503 with Retry-After and a fixed
// body, never a 401, never the driver's text, and no token is issued.
func TestDatabaseOutage(t *testing.T) {
	const unavailable = `{"detail":"Service temporarily unavailable."}`
	type oc struct {
		name        string
		settings    func(*tokens.Settings)
		usersDown   bool
		storeDown   bool
		path, field string
		class       tokens.Class
		body        string
	}
	login := `{"username":"alice","password":"alice-password-1"}`
	cases := []oc{
		{name: "obtain/users_down", usersDown: true, path: obtain, body: login},
		{name: "obtain/store_down", storeDown: true, path: obtain, body: login},
		{name: "obtain_sliding/users_down", usersDown: true, path: "/api/token/sliding/", body: login},
		{name: "obtain/last_login_down", usersDown: true, path: obtain, body: login, settings: func(s *tokens.Settings) { s.UpdateLastLogin = true }},
		{name: "refresh/users_down", usersDown: true, path: "/api/token/refresh/", field: "refresh", class: tokens.RefreshToken},
		{name: "refresh/store_down", storeDown: true, path: "/api/token/refresh/", field: "refresh", class: tokens.RefreshToken},
		{name: "refresh_rotate/store_down", storeDown: true, path: "/api/token/refresh/", field: "refresh", class: tokens.RefreshToken,
			settings: func(s *tokens.Settings) { s.RotateRefreshTokens, s.BlacklistAfterRotation = true, true }},
		{name: "sliding_refresh/store_down", storeDown: true, path: "/api/token/sliding/refresh/", field: "token", class: tokens.SlidingToken},
		{name: "verify/store_down", storeDown: true, path: "/api/token/verify/", field: "token", class: tokens.RefreshToken,
			settings: func(s *tokens.Settings) { s.BlacklistAfterRotation = true }},
		{name: "blacklist/store_down", storeDown: true, path: "/api/token/blacklist/", field: "refresh", class: tokens.RefreshToken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var opts []harnessOpt
			if c.settings != nil {
				opts = append(opts, withSettings(c.settings))
			}
			h := newHarness(t, opts...)
			body := c.body
			if c.class != 0 {
				body = field(c.field, h.mint(t, c.class, "1", time.Time{}, nil))
			}
			if c.name == "obtain/last_login_down" {
				// Authentication works, the last_login write fails.
				h.env.OnLoginSuccess = func(ctx context.Context, u models.AuthUser, _ *http.Request) error {
					return h.users.UpdateLastLogin(ctx, u, time.Now())
				}
				h.users.FailWith(errDown, "UpdateLastLogin")
			} else {
				failIf(h.users, c.usersDown)
			}
			failIf(h.store, c.storeDown)
			w := h.postJSON(c.path, body)
			if w.Code != 503 || w.Body.String() != unavailable || w.Header().Get("Retry-After") != "5" {
				t.Fatalf("got %d %s (Retry-After %q)", w.Code, w.Body, w.Header().Get("Retry-After"))
			}
			if w.Header().Get("Content-Type") != "application/json" || w.Header().Get("Allow") != views.AllowPost {
				t.Errorf("headers %v", w.Header())
			}
			assertNoLeak(t, w.Body.String())
		})
	}
	t.Run("verify_without_blacklist_check_works", func(t *testing.T) {
		h := newHarness(t)
		tok := h.mint(t, tokens.AccessToken, "1", time.Time{}, nil)
		failIf(h.users, true)
		failIf(h.store, true)
		if w := h.postJSON("/api/token/verify/", field("token", tok)); w.Code != 200 {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		h := newHarness(t)
		h.env.Users = slowUsers{h.users}
		r := httptest.NewRequest(http.MethodPost, obtain, strings.NewReader(login))
		r.Header.Set("Content-Type", "application/json")
		ctx, cancel := context.WithTimeout(r.Context(), time.Millisecond)
		defer cancel()
		w := httptest.NewRecorder()
		h.engine.ServeHTTP(w, r.WithContext(ctx))
		if w.Code != 503 || w.Body.String() != unavailable {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
	})
}

// slowUsers waits for the context, as a database call past its deadline does.
type slowUsers struct{ *modelstest.Users }

func (u slowUsers) Authenticate(ctx context.Context, _, _ string) (models.AuthUser, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestConcurrentRefresh is simplejwt's issue #985 (a refresh token reused by racing requests): 100 goroutines released together refresh one
// token with rotation and BLACKLIST_AFTER_ROTATION: exactly one 200, 99 401 "Token is
// blacklisted", nothing else; one blacklist row for the token and one new outstanding token.
func TestConcurrentRefresh(t *testing.T) {
	const n = 100
	for rep := 0; rep < 5; rep++ {
		h := newHarness(t, modes[2].opt())
		r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
		outBefore, blackBefore := h.store.Counts()
		body := field("refresh", r)
		start := make(chan struct{})
		codes := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				w := h.postJSON("/api/token/refresh/", body)
				codes[i], bodies[i] = w.Code, w.Body.String()
			}()
		}
		close(start)
		wg.Wait()
		var ok, unauthorized, other int
		for i, c := range codes {
			switch {
			case c == 200:
				ok++
			case c == 401 && bodies[i] == black:
				unauthorized++
			default:
				other++
				t.Errorf("unexpected %d %s", c, bodies[i])
			}
		}
		if ok != 1 || unauthorized != n-1 || other != 0 {
			t.Fatalf("200×%d 401×%d other×%d, want 1, %d, 0", ok, unauthorized, other, n-1)
		}
		outAfter, blackAfter := h.store.Counts()
		if outAfter-outBefore != 1 || blackAfter-blackBefore != 1 {
			t.Errorf("outstanding +%d, blacklisted +%d; want +1, +1", outAfter-outBefore, blackAfter-blackBefore)
		}
	}
}

// TestConcurrentBlacklist is D11: two logouts of one token at once: both pass verification,
// one row is created, no 5xx.
func TestConcurrentBlacklist(t *testing.T) {
	h := newHarness(t)
	r := h.mint(t, tokens.RefreshToken, "1", time.Time{}, nil)
	var wg sync.WaitGroup
	codes := make(chan int, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- h.postJSON("/api/token/blacklist/", field("refresh", r)).Code
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 && c != 401 {
			t.Errorf("status %d", c)
		}
	}
	if _, blacklisted := h.store.Counts(); blacklisted != 1 {
		t.Errorf("%d blacklist rows, want 1", blacklisted)
	}
}

// TestSlidingRefreshKeepsJTI: a refreshed sliding token keeps jti and refresh_exp and gets new
// exp and iat; blacklisting the jti stops every copy (D16).
func TestSlidingRefreshKeepsJTI(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	h := newHarness(t, withNow(func() time.Time { return clock() }))
	tok := h.mint(t, tokens.SlidingToken, "1", time.Time{}, nil)
	now = now.Add(2 * time.Minute)
	w := h.postJSON("/api/token/sliding/refresh/", field("token", tok))
	if w.Code != 200 {
		t.Fatal(w.Code, w.Body)
	}
	var out map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	before, after := payloadOf(t, tok), payloadOf(t, out["token"])
	if before["jti"] != after["jti"] || before["refresh_exp"] != after["refresh_exp"] {
		t.Errorf("jti/refresh_exp changed: %v → %v", before, after)
	}
	if before["exp"] == after["exp"] || before["iat"] == after["iat"] {
		t.Errorf("exp/iat not renewed: %v → %v", before, after)
	}
	if _, err := h.store.Blacklist(context.Background(), tokens.TokenRecord{JTI: after["jti"].(string)}); err != nil {
		t.Fatal(err)
	}
	if w := h.postJSON("/api/token/sliding/refresh/", field("token", out["token"])); w.Body.String() != black {
		t.Errorf("refreshed copy after blacklisting: %d %s", w.Code, w.Body)
	}
}

// TestHTTPLevel checks the HTTP layer of the token routes: F9 (405 with Allow), F10 (OPTIONS, no
// database access), F12 (panic → fixed 500), F13 (Cache-Control and Content-Type).
func TestHTTPLevel(t *testing.T) {
	t.Run("F9_head", func(t *testing.T) {
		h := newHarness(t)
		w := h.do(http.MethodHead, obtain, "", "")
		if w.Code != 405 || w.Header().Get("Allow") != "POST, OPTIONS" || w.Body.Len() != 0 {
			t.Errorf("got %d %q %v", w.Code, w.Body, w.Header())
		}
	})
	t.Run("F10_options_no_db", func(t *testing.T) {
		h := newHarness(t)
		failIf(h.users, true)
		failIf(h.store, true)
		if w := h.do(http.MethodOptions, obtain, "text/plain", "garbage"); w.Code != 200 || w.Header().Get("Cache-Control") != "" {
			t.Errorf("got %d %v", w.Code, w.Header())
		}
		if h.users.Lookups() != 0 {
			t.Error("OPTIONS queried users")
		}
	})
	t.Run("F12_panic", func(t *testing.T) {
		h := newHarness(t)
		views.Register(h.engine.Group("/panic"), views.NewRoute("/", "panic", views.View{
			Env: h.env, Serializer: &serializers.TokenObtainPair{
				GetToken: func(context.Context, *serializers.Env, models.AuthUser, *tokens.Token) (*tokens.Token, error) {
					panic("boom: secret internals")
				},
			},
		}))
		w := h.postJSON("/panic/", `{"username":"alice","password":"alice-password-1"}`)
		if w.Code != 500 || w.Body.String() != `{"detail":"A server error occurred."}` || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
		assertNoLeak(t, w.Body.String())
		// And the recovery middleware alone, around a plain handler.
		h.engine.GET("/boom", func(c *gin.Context) { panic("boom") })
		w = h.do(http.MethodGet, "/boom", "", "")
		if w.Code != 500 || w.Body.String() != `{"detail":"A server error occurred."}` {
			t.Errorf("middleware: got %d %s", w.Code, w.Body)
		}
	})
	t.Run("F13_headers", func(t *testing.T) {
		h := newHarness(t)
		w := h.postJSON(obtain, `{"username":"alice","password":"alice-password-1"}`)
		if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("headers %v", w.Header())
		}
		if w.Header().Get("Content-Length") != itoa(w.Body.Len()) {
			t.Errorf("Content-Length %q for %d bytes", w.Header().Get("Content-Length"), w.Body.Len())
		}
	})
	t.Run("E8_content_length_over_cap", func(t *testing.T) {
		h := newHarness(t)
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		_ = mw.WriteField("username", "alice")
		_ = mw.WriteField("password", strings.Repeat("x", 70<<10))
		_ = mw.Close()
		w := h.do(http.MethodPost, obtain, mw.FormDataContentType(), mp.String())
		if w.Code != 413 || w.Body.String() != `{"detail":"Request body too large."}` {
			t.Errorf("got %d %s", w.Code, w.Body)
		}
		// A body without Content-Length (chunked) is capped while reading.
		r := httptest.NewRequest(http.MethodPost, obtain, struct{ io.Reader }{strings.NewReader(strings.Repeat(" ", 100<<10))})
		r.ContentLength = -1
		r.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.engine.ServeHTTP(rec, r)
		if rec.Code != 413 {
			t.Errorf("chunked: got %d %s", rec.Code, rec.Body)
		}
	})
}

// lastLogins is how many times the store's UpdateLastLogin ran.
func lastLogins(h *harness) int64 {
	n, _ := h.users.LastLogins()
	return n
}

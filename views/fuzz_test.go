package views_test

import (
	"net/http"
	"testing"
)

// FuzzParseBody sends any bytes under any Content-Type to the obtain view: it never panics
// and answers one of 200, 400, 401, 413, 415, always with a JSON body that leaks nothing.
func FuzzParseBody(f *testing.F) {
	types := []string{"application/json", "application/json; charset=latin-1", "application/json; charset=ascii",
		"application/x-www-form-urlencoded", "multipart/form-data; boundary=abc", "multipart/form-data",
		"text/plain", "", "*/*", "application/*", "Multipart/Form-Data; boundary=abc"}
	seeds := []string{`{"username":"alice","password":"alice-password-1"}`, `{}`, `[]`, `null`, `{"username":`,
		"\ufeff{}", "{\"username\":\"\xff\"}", `{"username":"a\ud800","password":NaN}`, "username=alice&password=alice-password-1",
		"--abc\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n--abc--\r\n", `[[[[[[[[`,
		`{"username":1e400,"password":-0}`, `{"username":"alice","password":"alice-password-1","username":"x"}`}
	for _, s := range seeds {
		for _, ct := range types {
			f.Add([]byte(s), ct)
		}
	}
	h := newHarness(f)
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		w := h.do(http.MethodPost, obtain, ctype, string(body))
		switch w.Code {
		case 200, 400, 401, 413, 415:
		default:
			t.Fatalf("status %d for %q (%q): %s", w.Code, body, ctype, w.Body)
		}
		if w.Header().Get("Content-Type") != "application/json" || w.Body.Len() == 0 || w.Body.Bytes()[0] != '{' {
			t.Fatalf("not a JSON object: %q", w.Body)
		}
		if w.Code != 200 {
			assertNoLeakExcept(t, w.Body.String(), ctype)
		}
	})
}

package csrf

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode/utf8"
)

// formField is the form field that carries the token (Django's {% csrf_token %}).
const formField = "csrfmiddlewaretoken"

// formToken is request.POST.get("csrfmiddlewaretoken", "") as _check_token reads it, projected
// (one byte per Python character): for a POST with an application/x-www-form-urlencoded or
// multipart/form-data body (DRF's is_form_media_type), the last value of the field, else "".
//
// The body is read up to MaxFormBytes and put back, so the handler reads it whole. A larger
// body, or one that cannot be read, is not searched: "" (the token must then come in the
// header), as Django's UnreadablePostError path does.
func (p *Protection) formToken(r *http.Request) string {
	if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
		return ""
	}
	mediaType, params := formMediaType(r.Header.Get("Content-Type"))
	if mediaType == "" {
		return ""
	}
	body, ok := peekBody(r, p.cfg.MaxFormBytes)
	if !ok {
		return ""
	}
	if mediaType == "multipart/form-data" {
		return multipartValue(body, params["boundary"], p.cfg.MaxFormBytes)
	}
	return urlencodedValue(body)
}

// formMediaType returns the lower-cased media type when it is one of the two form types, with
// its parameters.
func formMediaType(contentType string) (string, map[string]string) {
	base, _, _ := strings.Cut(contentType, ";")
	base = strings.ToLower(strings.TrimSpace(base))
	if base != "application/x-www-form-urlencoded" && base != "multipart/form-data" {
		return "", nil
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		params = nil
	}
	return base, params
}

// peekBody reads r.Body up to limit bytes and puts back a body that yields the same bytes
// (and then whatever the original body still holds). ok is false when the body is larger than
// limit or its read failed.
func peekBody(r *http.Request, limit int64) ([]byte, bool) {
	orig := r.Body
	buf, err := io.ReadAll(io.LimitReader(orig, limit+1))
	r.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(buf), orig), orig: orig}
	if err != nil || int64(len(buf)) > limit {
		return nil, false
	}
	return buf, true
}

// replayBody is the body put back by peekBody: the bytes read, then the rest; Close closes the
// original body.
type replayBody struct {
	io.Reader
	orig io.ReadCloser
}

func (b *replayBody) Close() error { return b.orig.Close() }

// urlencodedValue is QueryDict(body).get("csrfmiddlewaretoken", "") with Django's decoding:
// the body as UTF-8 (latin-1 when it is not valid UTF-8), split on "&", each pair on its first
// "=", "+" as space, %XX escapes decoded as UTF-8 with errors="replace"; the last value wins.
func urlencodedValue(body []byte) string {
	s := string(body)
	latin1 := !utf8.ValidString(s)
	value := ""
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		name, val, _ := strings.Cut(pair, "=")
		if pair == "" || pyUnquotePlus(name, latin1) != formField {
			continue
		}
		value = pyUnquotePlus(val, latin1)
	}
	return value
}

// pyUnquotePlus is urllib.parse.unquote_plus(s, errors="replace"), projected: '+' is a space,
// each run of %XX escapes and ASCII is decoded as UTF-8 with "replace", a bad escape stays as
// it is. Characters outside ASCII are one character each (latin1) or as UTF-8 decodes them.
func pyUnquotePlus(s string, latin1 bool) string {
	if !strings.ContainsAny(s, "+%") && isASCII(s) {
		return s
	}
	var out, run []byte
	flush := func() {
		out = append(out, projectUTF8(string(run))...)
		run = run[:0]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			run = append(run, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1:i+3]):
			run = append(run, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case c < utf8.RuneSelf:
			run = append(run, c)
		case latin1:
			flush()
			out = append(out, 0x80) // one latin-1 character, never alphanumeric
		default:
			flush()
			_, n := utf8.DecodeRuneInString(s[i:]) // s is valid UTF-8 here
			out = append(out, 0x80)
			i += n - 1
		}
	}
	flush()
	return string(out)
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// multipartValue is the last csrfmiddlewaretoken field (not a file) of a multipart/form-data
// body, decoded as UTF-8 with "replace" and projected; "" when the body does not parse.
func multipartValue(body []byte, boundary string, limit int64) string {
	if boundary == "" {
		return ""
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	value := ""
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			return value
		}
		if part.FormName() == formField && part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, limit))
			if err != nil {
				return value
			}
			value = projectUTF8(string(b))
		}
		part.Close()
	}
}

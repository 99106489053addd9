package views

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/serializers"
)

// DefaultMaxBodyBytes caps request bodies of the token views. Their bodies are a few hundred
// bytes; Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE) is 2.5 MB, far more than a login needs
// and enough to make PBKDF2 or the JSON decoder work hard (Django CVE-2013-1443).
const DefaultMaxBodyBytes = 64 << 10

// The media types the token views parse, in DRF's order (DEFAULT_PARSER_CLASSES), and the ones
// they render (DEFAULT_RENDERER_CLASSES, as OPTIONS reports them).
var (
	parses  = [...]string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}
	renders = [...]string{"application/json", "text/html"}
)

// Parses returns the media types the token views parse, in DRF's order
// (DEFAULT_PARSER_CLASSES): what an OPTIONS response lists as "parses".
func Parses() []string { return slices.Clone(parses[:]) }

// Renders returns the media types the token views render (DEFAULT_RENDERER_CLASSES): what an
// OPTIONS response lists as "renders".
func Renders() []string { return slices.Clone(renders[:]) }

// ParseBody reads r's body as DRF's request.data does with the default parsers, into an
// ordered object (never nil without an error), reading at most maxBytes (DefaultMaxBodyBytes
// when <= 0).
//
//   - An empty body is empty data, whatever the Content-Type (the fields then answer "This
//     field is required.").
//   - The Content-Type selects the parser as DRF does (case-insensitively, parameters
//     ignored; "*/*" and "application/*" select JSON); any other type, or none, is 415
//     {"detail":"Unsupported media type \"text/plain\" in request."} (the header as sent).
//   - JSON is decoded as Python's json would, with the charset parameter honoured for utf-8,
//     ascii and latin-1; a syntax or decoding error is 400 {"detail":"JSON parse error -
//     <Python's message>"}. Duplicate keys: the last value wins. A top-level value that is not
//     an object is a *serializers.ValidationError, as DRF's serializer raises it:
//     {"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}, or
//     ["No data provided"] for null.
//   - Forms are decoded as Django's QueryDict: '&'-separated, '+' and %XX decoded, invalid
//     UTF-8 replaced, the last value of a repeated key wins; in multipart bodies file parts are
//     serializers.UploadedFile values (content discarded) and malformed or truncated bodies
//     yield the parts read so far, as Django's parser does; a missing or invalid boundary is
//     400 {"detail":"Multipart form parse error - Invalid boundary in multipart: None"}.
//   - A body over the cap is *http.MaxBytesError (413), checked from Content-Length before
//     reading when it is known.
func ParseBody(r *http.Request, maxBytes int64) (*pyjson.Object, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBodyBytes
	}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return pyjson.NewObject(), nil
	}
	if r.ContentLength > maxBytes {
		return nil, &http.MaxBytesError{Limit: maxBytes}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, mbe
		}
		return nil, ParseError("Malformed request.")
	}
	if int64(len(body)) > maxBytes {
		return nil, &http.MaxBytesError{Limit: maxBytes}
	}
	return parseBytes(r.Header.Get("Content-Type"), body)
}

// parseBytes selects the parser for contentType and runs it on body.
func parseBytes(contentType string, body []byte) (*pyjson.Object, error) {
	if len(body) == 0 {
		return pyjson.NewObject(), nil
	}
	mt := parseMediaType(contentType)
	var parser string
	for _, p := range parses {
		if mediaTypeMatches(p, mt) {
			parser = p
			break
		}
	}
	c := pyjson.LookupCodec(mt.params["charset"])
	switch parser {
	case "application/json":
		return parseJSON(body, c)
	case "application/x-www-form-urlencoded":
		return parseForm(body, c), nil
	case "multipart/form-data":
		return parseMultipart(contentType, body, c)
	}
	return nil, UnsupportedMediaType(contentType)
}

// mediaType is DRF's _MediaType: the type lower-cased, split on '/', and the parameters.
type mediaType struct {
	main, sub string
	params    map[string]string
}

// parseMediaType is Django's parse_header_parameters (as DRF uses it): the first part lower
// cased, then name=value parameters with lower-cased names and optionally quoted values.
func parseMediaType(line string) mediaType {
	parts := splitParams(line)
	full := strings.ToLower(parts[0])
	mt := mediaType{params: map[string]string{}}
	mt.main, mt.sub, _ = strings.Cut(full, "/")
	for _, p := range parts[1:] {
		name, value, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
			value = strings.ReplaceAll(value, `\\`, `\`)
			value = strings.ReplaceAll(value, `\"`, `"`)
		}
		mt.params[name] = value
	}
	return mt
}

// splitParams is Python's cgi._parseparam: split on ';' outside double quotes, strip each part.
func splitParams(line string) []string {
	s := ";" + line
	var out []string
	for len(s) > 0 && s[0] == ';' {
		s = s[1:]
		end := strings.IndexByte(s, ';')
		for end > 0 && (strings.Count(s[:end], `"`)-strings.Count(s[:end], `\"`))%2 == 1 {
			next := strings.IndexByte(s[end+1:], ';')
			if next < 0 {
				end = -1
				break
			}
			end += 1 + next
		}
		if end < 0 {
			end = len(s)
		}
		out = append(out, strings.TrimSpace(s[:end]))
		s = s[end:]
	}
	return out
}

// mediaTypeMatches is DRF's media_type_matches(parserType, requestType): "*" on either side
// matches anything; the parser type has no parameters, so those of the request do not matter.
func mediaTypeMatches(parserType string, req mediaType) bool {
	main, sub, _ := strings.Cut(parserType, "/")
	if sub != "*" && req.sub != "*" && req.sub != sub {
		return false
	}
	if main != "*" && req.main != "*" && req.main != main {
		return false
	}
	return true
}

// parseJSON is DRF's JSONParser followed by the type check of Serializer.to_internal_value.
func parseJSON(body []byte, c pyjson.Codec) (*pyjson.Object, error) {
	v, err := pyjson.Loads(body, c)
	if err != nil {
		return nil, ParseError("JSON parse error - " + err.Error())
	}
	switch x := v.(type) {
	case *pyjson.Object:
		return x, nil
	case nil:
		// Serializer.errors: "Provide a more descriptive error than 'this field may not be
		// null', when no data is passed."
		return nil, serializers.NewValidationError(serializers.NonFieldErrors, "No data provided")
	}
	return nil, serializers.NewValidationError(serializers.NonFieldErrors,
		"Invalid data. Expected a dictionary, but got "+pyjson.TypeName(v)+".")
}

// parseForm is Django's QueryDict(body, encoding): the body is decoded with the charset (as
// ISO-8859-1 if that fails), split on '&' (empty items skipped, a name without '=' has the
// value ""), '+' means a space and %XX sequences are decoded with errors='replace'.
func parseForm(body []byte, c pyjson.Codec) *pyjson.Object {
	qs, ok := c.Decode(body)
	if !ok {
		qs = pyjson.Latin1.DecodeReplace(body)
	}
	d := pyjson.NewObject()
	for _, item := range strings.Split(qs, "&") {
		if item == "" {
			continue
		}
		name, value, _ := strings.Cut(item, "=")
		d.Set(unquotePlus(name, c), unquotePlus(value, c))
	}
	return d
}

// unquotePlus is Python's urllib.parse.unquote(s.replace('+', ' '), encoding, 'replace'):
// %XX sequences (either case) become bytes, decoded with the charset per run of ASCII text;
// anything else, invalid escapes included, is kept as it is.
func unquotePlus(s string, c pyjson.Codec) string {
	s = strings.ReplaceAll(s, "+", " ")
	if !strings.Contains(s, "%") {
		return s
	}
	var out strings.Builder
	var run []byte
	flush := func() {
		if len(run) > 0 {
			out.WriteString(c.DecodeReplace(run))
			run = run[:0]
		}
	}
	for i := 0; i < len(s); {
		ch := s[i]
		if ch >= 0x80 {
			flush()
			j := i
			for j < len(s) && s[j] >= 0x80 {
				j++
			}
			out.WriteString(s[i:j])
			i = j
			continue
		}
		if ch == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			run = append(run, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 3
			continue
		}
		run = append(run, ch)
		i++
	}
	flush()
	return out.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// validBoundary is Python's cgi.valid_boundary.
var validBoundary = regexp.MustCompile(`^[ -~]{0,200}[!-~]$`)

// parseMultipart is DRF's MultiPartParser over Django's MultiPartParser.
func parseMultipart(contentType string, body []byte, c pyjson.Codec) (*pyjson.Object, error) {
	if !strings.HasPrefix(contentType, "multipart/") {
		return nil, ParseError("Multipart form parse error - Invalid Content-Type: " + contentType)
	}
	boundary, ok := parseMediaType(contentType).params["boundary"]
	if !ok {
		return nil, ParseError("Multipart form parse error - Invalid boundary in multipart: None")
	}
	if !validBoundary.MatchString(boundary) {
		return nil, ParseError("Multipart form parse error - Invalid boundary in multipart: " + boundary)
	}
	d := pyjson.NewObject()
	var files []serializers.UploadedFile
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			break // end of the body, or garbage: keep what was read, as Django does
		}
		_, params := parseDisposition(part.Header.Get("Content-Disposition"))
		name, hasName := params["name"]
		data, err := io.ReadAll(part)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if !hasName {
			continue
		}
		pc := c
		if cs, ok := parseMediaType(part.Header.Get("Content-Type")).params["charset"]; ok {
			pc = pyjson.LookupCodec(cs)
		}
		if strings.EqualFold(strings.TrimSpace(part.Header.Get("Content-Transfer-Encoding")), "base64") {
			if dec, derr := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(data))); derr == nil {
				data = dec
			}
		}
		name = strings.TrimSpace(pc.DecodeReplace([]byte(name)))
		if filename := params["filename"]; filename != "" {
			files = append(files, serializers.UploadedFile{
				FieldName:   name,
				Filename:    pc.DecodeReplace([]byte(filename)),
				ContentType: part.Header.Get("Content-Type"),
				Size:        int64(len(data)),
			})
		} else {
			d.Set(name, pc.DecodeReplace(data))
		}
		if err != nil {
			break
		}
	}
	// DRF merges the files into request.data after the fields.
	for _, f := range files {
		d.Set(f.FieldName, f)
	}
	return d, nil
}

// parseDisposition parses a Content-Disposition value.
func parseDisposition(v string) (string, map[string]string) {
	mt := parseMediaType(v)
	return mt.main, mt.params
}

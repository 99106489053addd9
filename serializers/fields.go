package serializers

import (
	"fmt"
	"strings"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
)

// UploadedFile stands for a file part of a multipart body (Django's UploadedFile). Its content
// is not kept. DRF merges files into request.data, so a CharField given one answers
// "Not a valid string.".
type UploadedFile struct {
	FieldName   string
	Filename    string
	ContentType string
	Size        int64
}

// Field describes one serializer field: what DRF's SimpleMetadata reports for OPTIONS, and what
// Char validates. Type is DRF's metadata type name ("string" for a CharField).
type Field struct {
	Name      string
	Label     string // "" means DRF's default: Name with "_" as " ", capitalized
	Type      string // "" means "string"
	Required  bool
	ReadOnly  bool
	WriteOnly bool // not reported by OPTIONS (DRF's SimpleMetadata ignores it)
}

// DisplayLabel returns Label, or DRF's default label for Name.
func (f Field) DisplayLabel() string {
	if f.Label != "" {
		return f.Label
	}
	return fieldLabel(f.Name)
}

// fieldLabel is DRF's default label for a field name: field_name.replace('_', ' ').capitalize().
func fieldLabel(name string) string { return pyjson.Capitalize(strings.ReplaceAll(name, "_", " ")) }

// DisplayType returns Type, or "string".
func (f Field) DisplayType() string {
	if f.Type != "" {
		return f.Type
	}
	return "string"
}

// DRF's field error messages.
const (
	MsgRequired      = "This field is required."
	MsgNull          = "This field may not be null."
	MsgBlank         = "This field may not be blank."
	MsgInvalidString = "Not a valid string."
	MsgNullChars     = "Null characters are not allowed."
)

// MsgMaxLength is DRF's max_length message.
func MsgMaxLength(n int) string {
	return fmt.Sprintf("Ensure this field has no more than %d characters.", n)
}

// MsgSurrogate is DRF's ProhibitSurrogateCharactersValidator message.
func MsgSurrogate(cp rune) string {
	return fmt.Sprintf("Surrogate characters are not allowed: U+%X.", cp)
}

// Char validates the value of f in data (a parsed request body, DRF's request.data) as DRF's
// CharField() with its defaults (allow_blank=False,
// trim_whitespace=True, allow_null=False) and returns it. Read-only fields are skipped. On a
// problem it adds DRF's messages under f.Name to errs and returns false:
//
//   - missing: "This field is required." (nothing when !f.Required);
//   - null: "This field may not be null.";
//   - empty or only whitespace (Python's str.strip): "This field may not be blank.";
//   - a bool, list, object or file: "Not a valid string." — numbers are accepted and turned
//     into Python's str() of them ("12", "1.5", "1e+16");
//   - after stripping, a NUL character: "Null characters are not allowed.", and a lone
//     surrogate: "Surrogate characters are not allowed: U+D800." (both can be reported).
func (f Field) Char(data *pyjson.Object, errs *ValidationError) (string, bool) {
	return f.CharMaxLength(data, 0, errs)
}

// CharMaxLength is Char with DRF's max_length: a value longer than maxLength characters (Python's
// len, after stripping) adds "Ensure this field has no more than N characters." before the other
// validators' messages, as DRF orders them. maxLength <= 0 means no limit. Unlike DRF's
// max_length it is not advertised by OPTIONS: simplejwt declares no max_length, and the default
// serializers use it only as a cap against oversized input.
func (f Field) CharMaxLength(data *pyjson.Object, maxLength int, errs *ValidationError) (string, bool) {
	if f.ReadOnly {
		return "", false
	}
	v, ok := data.Get(f.Name)
	if !ok {
		if f.Required {
			errs.Add(f.Name, MsgRequired)
		}
		return "", false
	}
	var s string
	switch x := v.(type) {
	case nil:
		errs.Add(f.Name, MsgNull)
		return "", false
	case string:
		s = x
	case pyjson.Number:
		s = x.String()
	default:
		errs.Add(f.Name, MsgInvalidString)
		return "", false
	}
	s = pyjson.Strip(s)
	if s == "" {
		errs.Add(f.Name, MsgBlank)
		return "", false
	}
	valid := true
	if maxLength > 0 && (len(s) > maxLength && pyjson.Len(s) > maxLength) {
		errs.Add(f.Name, MsgMaxLength(maxLength))
		valid = false
	}
	if strings.IndexByte(s, 0) >= 0 {
		errs.Add(f.Name, MsgNullChars)
		valid = false
	}
	if cp, bad := pyjson.FirstSurrogate(s); bad {
		errs.Add(f.Name, MsgSurrogate(cp))
		valid = false
	}
	return s, valid
}

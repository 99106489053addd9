package serializers

import (
	"errors"
	"strings"

	"github.com/gin-simplejwt/simplejwt/ginjwt/pyjson"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// NonFieldErrors is DRF's NON_FIELD_ERRORS_KEY: the key of errors that concern the whole input,
// such as verify's "Token is blacklisted".
const NonFieldErrors = "non_field_errors"

// ValidationError is DRF's serializers.ValidationError as a serializer raises it: messages by
// field, in the order the fields were validated, rendered as the 400 body
// {"username":["This field is required."],"password":[...]}. Messages are client-facing text
// from a closed set; never put an internal error's text in one.
//
// Match it with errors.As. The zero value is empty and ready to use.
type ValidationError struct {
	entries []fieldErrors
}

type fieldErrors struct {
	field    string
	messages []string
}

// NewValidationError returns a ValidationError holding one message for field (NonFieldErrors
// for a non-field error).
func NewValidationError(field, message string) *ValidationError {
	return new(ValidationError).Add(field, message)
}

// Add appends message to the messages of field and returns e.
func (e *ValidationError) Add(field, message string) *ValidationError {
	for i := range e.entries {
		if e.entries[i].field == field {
			e.entries[i].messages = append(e.entries[i].messages, message)
			return e
		}
	}
	e.entries = append(e.entries, fieldErrors{field: field, messages: []string{message}})
	return e
}

// Empty reports whether no message was added.
func (e *ValidationError) Empty() bool { return e == nil || len(e.entries) == 0 }

// Err returns e, or nil when it is empty, so that a serializer can end its field checks with
// `if err := errs.Err(); err != nil { return nil, err }`.
func (e *ValidationError) Err() error {
	if e.Empty() {
		return nil
	}
	return e
}

// Fields returns the fields that have messages, in order.
func (e *ValidationError) Fields() []string {
	out := make([]string, len(e.entries))
	for i := range e.entries {
		out[i] = e.entries[i].field
	}
	return out
}

// Messages returns the messages of field.
func (e *ValidationError) Messages(field string) []string {
	for i := range e.entries {
		if e.entries[i].field == field {
			return append([]string(nil), e.entries[i].messages...)
		}
	}
	return nil
}

// Error lists the messages: "username: This field is required.; password: ...".
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, fe := range e.entries {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.field)
		b.WriteString(": ")
		b.WriteString(strings.Join(fe.messages, " "))
	}
	return b.String()
}

// AppendJSON appends the 400 body as DRF's JSONRenderer writes it.
func (e *ValidationError) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	for i, fe := range e.entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = pyjson.AppendString(dst, fe.field, false)
		dst = append(dst, ':', '[')
		for j, m := range fe.messages {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = pyjson.AppendString(dst, m, false)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// MarshalJSON implements json.Marshaler with DRF's encoding.
func (e *ValidationError) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

// Causes attached to the 401s that the serializers raise, for errors.Is and for logs. The
// client sees only the AuthenticationFailed's Detail (DRF's AuthenticationFailed, unlike
// simplejwt's, renders no code).
var (
	// ErrNoActiveAccount: login failed (unknown user, wrong password, refused by the
	// authentication rule), or the user of a refresh token is gone or refused.
	ErrNoActiveAccount = errors.New("serializers: no active account")
	// ErrPasswordChanged: CHECK_REVOKE_TOKEN found that the user's password has changed since
	// the refresh token was issued.
	ErrPasswordChanged = errors.New("serializers: the user's password has been changed")
)

func noActiveAccount() error {
	return &tokens.AuthenticationFailed{Detail: tokens.MsgNoActiveAccount, Cause: ErrNoActiveAccount}
}

func noActiveAccountForToken() error {
	return &tokens.AuthenticationFailed{Detail: tokens.MsgNoActiveAccountToken, Cause: ErrNoActiveAccount}
}

func passwordChanged() error {
	return &tokens.AuthenticationFailed{Detail: tokens.MsgPasswordChanged, Cause: ErrPasswordChanged}
}

// blacklisted is simplejwt's TokenError("Token is blacklisted"): 401 with code token_not_valid.
func blacklisted() error {
	return tokens.NewTokenError(tokens.ErrBlacklisted, nil)
}

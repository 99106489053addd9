package tokens

import "errors"

// The token errors, one sentinel per simplejwt message. Each sentinel's Error() is the exact
// client-facing text, so a *TokenError built on it renders simplejwt's body unchanged. Match
// them with errors.Is; never compare strings.
var (
	// ErrTokenInvalid: bad signature, malformed token, wrong algorithm, bad aud/iss, future
	// nbf/iat, malformed claims ("Token is invalid"; 5.2.2 said "Token is invalid or expired").
	ErrTokenInvalid = errors.New(MsgTokenInvalid)
	// ErrTokenExpired: exp has passed, leeway included ("Token is expired").
	ErrTokenExpired = errors.New(MsgTokenExpired)
	// ErrNoID: the jti claim is missing or is not what ValidJTI accepts.
	ErrNoID = errors.New(MsgNoID)
	// ErrNoType: the token type claim is missing.
	ErrNoType = errors.New(MsgNoType)
	// ErrWrongType: the token type claim names another class.
	ErrWrongType = errors.New(MsgWrongType)
	// ErrBlacklisted: the token's jti is blacklisted.
	ErrBlacklisted = errors.New(MsgBlacklisted)
	// ErrClaimMissing: a required time claim ("exp", "refresh_exp") is absent; the message
	// names it ("Token has no 'refresh_exp' claim").
	ErrClaimMissing = errors.New("Token has no claim")
	// ErrClaimExpired: a time claim checked by CheckExp has passed ("Token 'refresh_exp' claim
	// has expired").
	ErrClaimExpired = errors.New("Token claim has expired")
	// ErrNoSigningKey: the backend was configured to verify only.
	ErrNoSigningKey = errors.New("tokens: no signing key configured")
	// ErrNoStore: an operation of simplejwt's token_blacklist app was asked for without a
	// TokenStore (the app is "not installed").
	ErrNoStore = errors.New("tokens: no token store configured")
)

// TokenError is simplejwt's TokenError: a client-safe Detail (what the views render, as
// {"detail": Detail, "code": "token_not_valid"}), a Kind sentinel to match with errors.Is, and
// the underlying cause, kept for logs only.
type TokenError struct {
	Detail string
	Kind   error
	Cause  error
}

func (e *TokenError) Error() string {
	if e.Cause != nil {
		return e.Detail + ": " + e.Cause.Error()
	}
	return e.Detail
}

// Unwrap exposes the kind and the cause to errors.Is and errors.As.
func (e *TokenError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Kind, e.Cause}
	}
	return []error{e.Kind}
}

// NewTokenError returns a TokenError of kind (one of the sentinels above) with its message as
// Detail and cause kept for logs.
func NewTokenError(kind error, cause error) *TokenError { return tokenErr(kind, cause) }

func tokenErr(kind error, cause error) *TokenError {
	return &TokenError{Detail: kind.Error(), Kind: kind, Cause: cause}
}

func claimMissing(claim string) *TokenError {
	return &TokenError{Detail: formatMsg(MsgClaimMissing, claim), Kind: ErrClaimMissing}
}

func claimExpired(claim string) *TokenError {
	if claim == "exp" {
		// PyJWT raises ExpiredSignatureError before check_exp runs, so "exp" reads as expired.
		return tokenErr(ErrTokenExpired, nil)
	}
	return &TokenError{Detail: formatMsg(MsgClaimExpired, claim), Kind: ErrClaimExpired}
}

// AuthenticationFailed is DRF's AuthenticationFailed with simplejwt's DetailDictMixin: the 401
// body {"detail": Detail, "code": Code, "messages": Messages}, keys in that order, code and
// messages left out when empty (DRF's own AuthenticationFailed, raised by the serializers, has
// no code). Cause is for logs only.
type AuthenticationFailed struct {
	Detail   string
	Code     string
	Messages []Message
	Cause    error
}

// Message is one entry of the "messages" list: which token class failed and why.
type Message struct {
	TokenClass string `json:"token_class"`
	TokenType  string `json:"token_type"`
	Message    string `json:"message"`
}

func (e *AuthenticationFailed) Error() string {
	if e.Cause != nil {
		return e.Detail + ": " + e.Cause.Error()
	}
	return e.Detail
}

func (e *AuthenticationFailed) Unwrap() error { return e.Cause }

// Authentication failure codes, as simplejwt spells them.
const (
	CodeTokenNotValid          = "token_not_valid"
	CodeBadAuthorizationHeader = "bad_authorization_header"
	CodeUserNotFound           = "user_not_found"
	CodeUserInactive           = "user_inactive"
	CodePasswordChanged        = "password_changed"
	CodeNoActiveAccount        = "no_active_account"
)

// InvalidToken is simplejwt's InvalidToken: an AuthenticationFailed with code token_not_valid.
func InvalidToken(detail string, cause error, messages ...Message) *AuthenticationFailed {
	return &AuthenticationFailed{Detail: detail, Code: CodeTokenNotValid, Messages: messages, Cause: cause}
}

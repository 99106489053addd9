package tokens

import "strings"

// simplejwt's client-facing messages, each defined here once: the text a client reads in
// "detail" (and in each "messages" entry) and the msgid of simplejwt's translation catalog.
// The token errors, the authentication (ginjwt) and the serializers all refer to these.
// A message with "{}" is a str.format template: the claim name goes in its place.
const (
	// tokens.py and backends.py (TokenError).
	MsgTokenInvalid     = "Token is invalid"
	MsgTokenExpired     = "Token is expired"
	MsgNoID             = "Token has no id"
	MsgNoType           = "Token has no type"
	MsgWrongType        = "Token has wrong type"
	MsgBlacklisted      = "Token is blacklisted"
	MsgClaimMissing     = "Token has no '{}' claim"
	MsgClaimExpired     = "Token '{}' claim has expired"
	MsgNoTypeOrLifetime = "Cannot create token with no type or lifetime"

	// authentication.py (AuthenticationFailed, InvalidToken).
	MsgBadAuthorizationHeader = "Authorization header must contain two space-delimited values"
	MsgNoValidTokenType       = "Given token not valid for any token type"
	MsgNoUserID               = "Token contained no recognizable user identification"
	MsgUserNotFound           = "User not found"
	MsgUserInactive           = "User is inactive"
	MsgPasswordChanged        = "The user's password has been changed."

	// serializers.py (DRF's AuthenticationFailed, without a code in the body).
	MsgNoActiveAccount      = "No active account found with the given credentials"
	MsgNoActiveAccountToken = "No active account found for the given token."
)

// formatMsg is Python's msgid.format(arg) for the messages with one "{}".
func formatMsg(msgid, arg string) string { return strings.Replace(msgid, "{}", arg, 1) }

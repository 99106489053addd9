// Package tokens is simplejwt's token machinery without gin or a database: settings.py's token
// keys (Settings), backends.py (Backend: signing and decoding on golang-jwt, the algorithm pinned
// by the settings), tokens.py (Manager, Token and the token classes) and exceptions.py's token
// errors (TokenError, AuthenticationFailed). The token_blacklist app is reached through one small
// interface, TokenStore, that package models implements on Django's tables.
//
// # Making and checking tokens
//
// A Manager holds what simplejwt's tokens reach through Django's globals: the settings, the
// backend, the clock and the TokenStore when the blacklist app is installed. Build one per
// configuration with NewManager; it is safe for concurrent use.
//
//	m, err := tokens.NewManager(ctx, tokens.Settings{SigningKey: key}, tokens.Options{})
//	refresh, err := m.ForUser(ctx, tokens.RefreshToken, tokens.Subject{ID: "1"})
//	access, err := refresh.AccessToken()
//	raw, err := access.Encode()
//	tok, err := m.Parse(ctx, tokens.AccessToken, raw)
//
// The token_blacklist app's operations are the Manager's, taking the context: Outstand,
// IsBlacklisted, Blacklist and Rotate (blacklist and outstand the successor in one
// transaction). A Token is a value that does no I/O: Renew and Slide change its claims only.
//
// A Token keeps its claims in order (Claims), so a payload encodes to the bytes PyJWT would
// produce for the same claims, and decodes lazily, so the authentication path reads only the
// claims it needs.
//
// # Compatibility with simplejwt
//
// Tokens issued here verify under simplejwt with the same settings and the reverse, with three
// deliberate differences: the algorithm is pinned (a token's header never chooses it), claims
// must have their JSON types (a string "exp" is refused where PyJWT would coerce it), and the
// CHECK_REVOKE_TOKEN claim is an HMAC of the password hash under the signing key rather than its
// unsalted MD5 (see Manager.RevokeHash).
//
// # Errors
//
// Every verification failure is a *TokenError whose Kind is one of the sentinels (ErrTokenInvalid,
// ErrTokenExpired, ErrNoID, …) and whose Detail is simplejwt's client-facing text; match them
// with errors.Is. A TokenStore failure is returned as it is, so that a database outage answers
// 503 and never 401.
package tokens

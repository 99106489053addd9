// Package serializers is simplejwt's serializers.py: the validation behind each token view, with
// DRF's field semantics and simplejwt's messages, byte for byte.
//
// Each TOKEN_*_SERIALIZER setting takes a Serializer. The defaults are TokenObtainPair,
// TokenObtainSliding, TokenRefresh, TokenRefreshSliding, TokenVerify and TokenBlacklist; they
// follow simplejwt's newest code (HEAD, the future 6.0) where it differs from 5.5.1: refresh and
// sliding refresh check the user, a deleted user is a 401, CHECK_REVOKE_TOKEN applies to
// refresh, ON_LOGIN_SUCCESS and ON_LOGIN_FAILED exist.
//
// # Customising
//
// Go has no virtual dispatch through embedding: a type that embeds TokenObtainPair and redefines
// a method is not called by it. The default serializers instead take hooks, in the style of
// log/slog's ReplaceAttr, that receive what the default built and return the replacement:
//
//   - TokenObtainPair.GetToken (and TokenObtainSliding.GetToken) stands for a get_token
//     override: add custom claims to the token before it is encoded;
//   - TokenObtainPair.Response (and TokenObtainSliding.Response) stands for a validate
//     override that calls super(): add fields, such as user data, to the response body.
//
// For anything else, implement Serializer; Field.Char gives DRF's CharField semantics and
// ValidationError DRF's 400 body.
//
// # Dependencies
//
// A serializer holds no configuration: each call receives an *Env with the token manager
// (settings, keys, clock, token store), the user store and the user-related settings, so one
// value serves every instance of ginjwt.
//
// # Differences from simplejwt
//
//   - Rotation with BLACKLIST_AFTER_ROTATION consumes the token atomically: of concurrent
//     refreshes of one token exactly one succeeds (see TokenRefresh).
//   - The login fields are capped (MaxUsernameLength characters, hashers.MaxPasswordLength
//     bytes) with DRF's max_length message and no database query; simplejwt has no cap.
//   - A refresh token whose user claim cannot name a user is refused with 401 "No active
//     account found for the given token." instead of reaching the database; tokens without jti
//     are refused with 401 "Token has no id" where simplejwt answers 500.
//   - The revoke claim is an HMAC of the password hash, not its MD5 (see tokens.Manager.RevokeHash).
package serializers

package tokens

import (
	"context"
	"time"
)

// TokenStore is what simplejwt's token_blacklist app does for the tokens: OutstandingToken and
// BlacklistedToken rows keyed by jti. models.GormTokenStore implements it on Django's tables;
// modelstest.Tokens in memory, for tests.
type TokenStore interface {
	// Outstand records an issued refresh or sliding token (get_or_create on jti). The row's
	// user is looked up by USER_ID_FIELD from UserID and left NULL when absent.
	Outstand(ctx context.Context, t TokenRecord) error
	// Blacklist blacklists the token with t.JTI, creating its outstanding row first if it has
	// none (a token issued by a service that did not record it). It is atomic: of any number
	// of concurrent calls for one jti exactly one returns created == true.
	Blacklist(ctx context.Context, t TokenRecord) (created bool, err error)
	// IsBlacklisted reports whether a blacklist row exists for jti.
	IsBlacklisted(ctx context.Context, jti string) (bool, error)
	// Rotate is refresh-token rotation with BLACKLIST_AFTER_ROTATION as one atomic step: it
	// blacklists old as Blacklist does and outstands next as Outstand does, in one database
	// transaction, so both are recorded or neither is. rotated is false, and nothing is
	// written, when old is already blacklisted; of any number of concurrent calls for one old
	// jti exactly one returns true. After an error nothing is written: the client may present
	// old again.
	Rotate(ctx context.Context, old, next TokenRecord) (rotated bool, err error)
}

// TokenRecord is what the token machinery hands a TokenStore: the facts of one refresh or
// sliding token. UserID is the user_id claim as text; the store resolves it to the user's pk.
type TokenRecord struct {
	JTI       string
	UserID    string
	Token     string
	CreatedAt time.Time // zero means NULL (tokens first seen at blacklist time)
	ExpiresAt time.Time
}

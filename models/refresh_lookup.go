package models

import (
	"context"
	"database/sql"
	"errors"
)

// RefreshLookup is offered by a TokenStore whose database holds the users too: the two questions
// a refresh asks the database, whether its token is blacklisted and who its user is, answered in
// one round trip instead of two.
type RefreshLookup interface {
	// LookupRefresh reports whether jti is blacklisted and returns the user whose USER_ID_FIELD
	// is userID as AuthLookup's GetByIDForAuth returns it (nil when there is none). ok is false
	// when the store cannot answer both at once (its users are not the built-in User on its own
	// database, or its statements run through GORM): the caller then asks IsBlacklisted and the
	// user store in turn.
	LookupRefresh(ctx context.Context, jti, userID string, password bool) (blacklisted bool, user AuthUser, ok bool, err error)
	// Users is the user store whose users LookupRefresh reads.
	Users() UserPKResolver
}

// Users returns the resolver the store was built with (TokenStoreOptions.Users).
func (s *GormTokenStore) Users() UserPKResolver { return s.users }

// refreshQuery is LookupRefresh's prepared statement: the narrow user row of GetByIDForAuth
// with the blacklist count as one more column,
//
//	SELECT id, username, is_active[, password],
//	       (SELECT COUNT(*) FROM blacklist b JOIN outstanding o ON o.id = b.token_id WHERE o.jti = ?)
//	FROM auth_user WHERE id = ? LIMIT 1
type refreshQuery struct {
	lazyStmt
	user *authQuery
}

// setupRefreshQueries builds the two refresh queries (without and with the password) when the
// users are the built-in User on the store's own database and statements are prepared.
func (s *GormTokenStore) setupRefreshQueries() {
	if s.sameDBUsers == nil || s.sqlDB == nil {
		return
	}
	for i, a := range s.sameDBUsers.auth {
		if a == nil {
			return
		}
		q := placeholders(s.sql.dialect, "SELECT "+a.cols+", ("+blacklistedQuery+"?)"+a.where+"? LIMIT 1")
		s.refresh[i] = &refreshQuery{lazyStmt: lazyStmt{query: q, sqlite: s.sql.dialect == "sqlite"}, user: a}
	}
}

// LookupRefresh implements RefreshLookup. When no user matches, the blacklist is read on its
// own (a second round trip, for a token whose user is gone).
func (s *GormTokenStore) LookupRefresh(ctx context.Context, jti, userID string, password bool) (blacklisted bool, user AuthUser, ok bool, err error) {
	q := s.refresh[0]
	if password {
		q = s.refresh[1]
	}
	if q == nil || !onPool(s.db, s.sqlDB) {
		return false, nil, false, nil
	}
	v, named := s.sameDBUsers.lookupArg(userID)
	if !validJTI(jti) || !named {
		// No query can find such a user (or such a jti): the blacklist alone decides.
		blacklisted, err = s.IsBlacklisted(ctx, jti)
		return blacklisted, nil, true, err
	}
	u, n, err := s.lookupRefresh(ctx, q, jti, v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		blacklisted, err = s.IsBlacklisted(ctx, jti)
		return blacklisted, nil, true, err
	case err != nil:
		return false, nil, true, err
	}
	return n > 0, u, true, nil
}

// lookupRefresh runs q for jti and the user id v: the user and the blacklist count, or
// sql.ErrNoRows when no user matches.
func (s *GormTokenStore) lookupRefresh(ctx context.Context, q *refreshQuery, jti string, v any) (_ *User, n int64, err error) {
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	release, err := gated(ctx, s.info)
	if err != nil {
		return nil, 0, unavailable("check refresh", err)
	}
	defer release()
	u, err := q.user.scanWith(ctx, &q.lazyStmt, s.sqlDB, []any{jti, v}, &n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, unavailable("check refresh", err)
	}
	return u, n, err
}

var _ RefreshLookup = (*GormTokenStore)(nil)

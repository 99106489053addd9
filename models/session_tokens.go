package models

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"gorm.io/gorm"
)

// BlacklistSession blacklists every live outstanding token of the user (user_id claim userID)
// whose payload carries claim == sessionID: the refresh tokens of one session, so that a Django
// peer sharing the tables refuses them too. It returns how many it newly blacklisted. The
// payloads are the ones this service (or Django) stored when it issued the tokens; they are read
// without verifying signatures, which is fine for rows the services wrote themselves.
func (s *GormTokenStore) BlacklistSession(ctx context.Context, userID, claim, sessionID string) (n int64, err error) {
	if s.users == nil || sessionID == "" {
		return 0, nil
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	pk, found, err := s.users.ResolveUserPK(ctx, userID)
	if err != nil || !found {
		return 0, err
	}
	var rows []struct {
		ID    int64
		Token string
	}
	err = s.session(ctx).Raw("SELECT o.id, o.token FROM "+OutstandingTokenTable+" o WHERE o.user_id = ? AND o.expires_at > ? AND NOT EXISTS (SELECT 1 FROM "+
		BlacklistedTokenTable+" b WHERE b.token_id = o.id)", pk, NewDjangoTime(s.now())).Scan(&rows).Error
	if err != nil {
		return 0, unavailable("find session tokens", err)
	}
	var ids []int64
	for _, r := range rows {
		if payloadClaim(r.Token, claim) == sessionID {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	q := blacklistSelected(s.db, "o.id IN ?")
	err = retry(ctx, s.db, "blacklist session tokens", func() error {
		return write(ctx, s.db, s.info, func(tx *gorm.DB) error {
			res := tx.Exec(q, NewDjangoTime(s.now()), ids)
			n = res.RowsAffected
			return res.Error
		})
	})
	return n, unavailable("blacklist session tokens", err)
}

// payloadClaim returns the string claim of a JWT's payload, "" when absent or unreadable.
func payloadClaim(token, claim string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var m map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(payload))
	if d.Decode(&m) != nil {
		return ""
	}
	var v string
	if json.Unmarshal(m[claim], &v) != nil {
		return ""
	}
	return v
}

// BlacklistedAt returns when the token jti was blacklisted; found is false when it is not.
// Reuse detection reads it to tell a replay within the grace period from a late one.
func (s *GormTokenStore) BlacklistedAt(ctx context.Context, jti string) (at DjangoTime, found bool, err error) {
	if !validJTI(jti) {
		return DjangoTime{}, false, nil
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	var rows []struct{ BlacklistedAt DjangoTime }
	err = s.session(ctx).Raw("SELECT b.blacklisted_at FROM "+BlacklistedTokenTable+" b INNER JOIN "+
		OutstandingTokenTable+" o ON o.id = b.token_id WHERE o.jti = ?", jti).Scan(&rows).Error
	if err != nil {
		return DjangoTime{}, false, unavailable("read blacklist", err)
	}
	if len(rows) == 0 {
		return DjangoTime{}, false, nil
	}
	return rows[0].BlacklistedAt, true, nil
}

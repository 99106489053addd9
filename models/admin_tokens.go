package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// TokenRow is one outstanding token as the admin page lists it: Django admin's
// OutstandingTokenAdmin columns (jti, user, created_at, expires_at) plus whether it is
// blacklisted and when.
type TokenRow struct {
	ID     int64  `gorm:"column:id"`
	JTI    string `gorm:"column:jti"`
	UserID *int64 `gorm:"column:user_id"` // the user's primary key
	// UserKey is the user's USER_ID_FIELD value as text: the user_id claim, which names the user
	// to the sessions and to "log out everywhere" (nil for a deleted user).
	UserKey       *string     `gorm:"column:user_key"`
	Username      *string     `gorm:"column:username"`
	CreatedAt     *DjangoTime `gorm:"column:created_at"`
	ExpiresAt     DjangoTime  `gorm:"column:expires_at"`
	BlacklistedAt *DjangoTime `gorm:"column:blacklisted_at"`
}

// TokenQuery selects outstanding tokens: Search matches the username or the jti (a
// case-insensitive substring, as Django admin's search_fields "user__username", "jti"), Offset
// and Limit page through them, newest first (id descending).
type TokenQuery struct {
	Users  UserColumns // the zero value is Django's auth_user
	Search string
	Offset int
	Limit  int
}

// escapeLike escapes LIKE's wildcards so that a search is a plain substring ('!' is the escape).
func escapeLike(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// ListOutstandingTokens returns one page of the outstanding tokens q selects and how many it
// selects in all. The username comes from auth_user (a LEFT JOIN: a deleted user's rows stay).
func ListOutstandingTokens(ctx context.Context, db *gorm.DB, q TokenQuery) ([]TokenRow, int64, error) {
	base := func() *gorm.DB {
		tx := db.WithContext(ctx).Table(OutstandingTokenTable + " o").
			Joins(q.Users.join(db)).
			Joins("LEFT JOIN " + BlacklistedTokenTable + " b ON b.token_id = o.id")
		if s := strings.TrimSpace(q.Search); s != "" {
			pat := "%" + escapeLike(strings.ToLower(s)) + "%"
			tx = tx.Where("LOWER("+q.Users.usernameColumn(db)+") LIKE ? ESCAPE '!' OR LOWER(o.jti) LIKE ? ESCAPE '!'", pat, pat)
		}
		return tx
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, unavailable("count outstanding tokens", err)
	}
	var rows []TokenRow
	tx := base().Select("o.id, o.jti, o.user_id, " + q.Users.usernameColumn(db) + " AS username, " + q.Users.column(db, q.Users.ID, "id") + " AS user_key, o.created_at, o.expires_at, b.blacklisted_at").
		Order("o.id DESC").Offset(q.Offset)
	if q.Limit > 0 {
		tx = tx.Limit(q.Limit)
	}
	if err := tx.Scan(&rows).Error; err != nil {
		return nil, 0, unavailable("list outstanding tokens", err)
	}
	return rows, total, nil
}

// OutstandingTokensByID returns the outstanding tokens with these ids (those that exist), newest
// first, as ListOutstandingTokens shows them.
func OutstandingTokensByID(ctx context.Context, db *gorm.DB, users UserColumns, ids []int64) ([]TokenRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []TokenRow
	err := db.WithContext(ctx).Table(OutstandingTokenTable+" o").
		Joins(users.join(db)).
		Joins("LEFT JOIN "+BlacklistedTokenTable+" b ON b.token_id = o.id").
		Select("o.id, o.jti, o.user_id, "+users.usernameColumn(db)+" AS username, "+users.column(db, users.ID, "id")+" AS user_key, o.created_at, o.expires_at, b.blacklisted_at").
		Where("o.id IN ?", ids).Order("o.id DESC").Scan(&rows).Error
	return rows, unavailable("read outstanding tokens", err)
}

// BlacklistOutstandingIDs blacklists the outstanding tokens with these ids, at now, and returns
// how many it newly blacklisted (Django admin's "blacklist" of selected rows; already
// blacklisted and missing ids are skipped). It is one INSERT ... SELECT.
func BlacklistOutstandingIDs(ctx context.Context, db *gorm.DB, ids []int64, now DjangoTime) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res := db.WithContext(ctx).Exec(blacklistSelected(db, "o.id IN ?"), now, ids)
	return res.RowsAffected, unavailable("blacklist tokens", res.Error)
}

// UserColumns names the user table as the token list joins it: the table, its primary key
// (what token_blacklist_outstandingtoken.user_id references), its username column and its
// USER_ID_FIELD column (the user_id claim's).
type UserColumns struct {
	Table, PK, Username, ID string
}

// Columns returns the store's user table, primary key, USERNAME_FIELD and USER_ID_FIELD columns.
func (s *GormUserStore) Columns() UserColumns {
	return UserColumns{Table: s.table, PK: s.pkField.DBName, Username: s.usernameField.DBName, ID: s.idField.DBName}
}

// join is the LEFT JOIN of the user table (auth_user by default) as u, quoted.
func (c UserColumns) join(db *gorm.DB) string {
	if c.Table == "" {
		c = UserColumns{Table: "auth_user", PK: "id", Username: "username"}
	}
	q := func(name string) string {
		var b strings.Builder
		db.Dialector.QuoteTo(&b, name)
		return b.String()
	}
	return "LEFT JOIN " + q(c.Table) + " u ON u." + q(c.PK) + " = o.user_id"
}

// usernameColumn is u.<USERNAME_FIELD>, quoted.
func (c UserColumns) usernameColumn(db *gorm.DB) string { return c.column(db, c.Username, "username") }

// column is u.<name>, quoted: def (Django's auth_user column) for the zero UserColumns or an
// unnamed column.
func (c UserColumns) column(db *gorm.DB, name, def string) string {
	if c.Table == "" || name == "" {
		name = def
	}
	var b strings.Builder
	db.Dialector.QuoteTo(&b, name)
	return "u." + b.String()
}

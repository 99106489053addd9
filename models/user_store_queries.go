package models

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// GetByID returns the user whose IDField equals the user_id claim id. Text that cannot be a
// value of the column ("", "abc", "1 OR 1=1", a number out of range) is ErrUserNotFound without
// a query.
func (s *GormUserStore) GetByID(ctx context.Context, id string) (AuthUser, error) {
	v, ok := s.lookupArg(id)
	if !ok {
		return nil, ErrUserNotFound
	}
	m, found, err := s.find(ctx, "get user", s.idField.DBName, v)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrUserNotFound
	}
	return m, nil
}

// GetByUsername returns the user whose UsernameField is exactly username (no password check, no
// hasher run: for admin tools such as a "changepassword" command, not for logins). Text that
// cannot be a username is ErrUserNotFound without a query.
func (s *GormUserStore) GetByUsername(ctx context.Context, username string) (AuthUser, error) {
	if !validText(username, s.maxUsername) {
		return nil, ErrUserNotFound
	}
	m, found, err := s.findUsername(ctx, "get user", username)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ErrUserNotFound
	}
	return m, nil
}

// SetPassword is Django's set_password followed by save(update_fields=["password"]): it hashes
// raw with the preferred hasher and writes only the password column of u's row (and u). It
// returns ErrPasswordTooLong above hashers.MaxPasswordLength bytes, ErrUserNotFound when u has no row.
func (s *GormUserStore) SetPassword(ctx context.Context, u UserModel, raw string) error {
	if reflect.TypeOf(u) != s.modelType {
		return fmt.Errorf("models: SetPassword: got %T, want %s", u, s.modelType)
	}
	encoded, err := s.hashers.MakePassword(raw)
	if err != nil {
		return err
	}
	pk, _ := s.pkField.ValueOf(ctx, reflect.ValueOf(u))
	var rows int64
	err = s.write(ctx, "set password", func(tx *gorm.DB) error {
		res := tx.Table(s.table).Where(eq(s.pkField.DBName, pk)).UpdateColumn(s.passwordField.DBName, encoded)
		rows = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return unavailable("set password", err)
	}
	if rows == 0 {
		return ErrUserNotFound
	}
	u.SetPasswordHash(encoded)
	return nil
}

// UserID returns the IDField value of u as the user_id claim text: for this store's model type
// and any other GORM model with that column, and for TokenUser (its ID). It returns "" for a
// user it cannot read (nil, or a type without the column).
func (s *GormUserStore) UserID(u AuthUser) string {
	switch x := u.(type) {
	case nil:
		return ""
	case TokenUser:
		return x.ID
	case *TokenUser:
		if x == nil {
			return ""
		}
		return x.ID
	}
	v, ok := s.fieldValue(u, s.idField.DBName)
	if !ok {
		return ""
	}
	return s.formatID(v)
}

// fieldValue reads column name of u, a pointer to a GORM model struct.
func (s *GormUserStore) fieldValue(u any, column string) (any, bool) {
	rv := reflect.ValueOf(u)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, false
	}
	sch := s.schema
	if rv.Type() != s.modelType {
		cached, ok := s.schemas.Load(rv.Type())
		if !ok {
			parsed, err := schema.Parse(u, &sync.Map{}, s.db.NamingStrategy)
			if err != nil {
				return nil, false
			}
			cached, _ = s.schemas.LoadOrStore(rv.Type(), parsed)
		}
		sch = cached.(*schema.Schema)
	}
	f := sch.LookUpField(column)
	if f == nil {
		return nil, false
	}
	v, _ := f.ValueOf(context.Background(), rv)
	return v, true
}

// UpdateLastLogin sets last_login to at (Django's update_last_login), updating only that column
// and only forward in time: a row whose last_login is already later is left alone, so
// concurrent logins never move it backwards. u must be a user this store returned (or any model
// with the primary key column). With LastLoginField "-" it does nothing.
func (s *GormUserStore) UpdateLastLogin(ctx context.Context, u AuthUser, at time.Time) error {
	if s.lastLogin == nil {
		return nil
	}
	pk, ok := s.fieldValue(u, s.pkField.DBName)
	if !ok || !lookupValue(pk) {
		return ErrUserNotFound
	}
	when := NewDjangoTime(at)
	col := clause.Column{Name: s.lastLogin.DBName}
	var rows int64
	err := s.write(ctx, "update last_login", func(tx *gorm.DB) error {
		res := tx.Table(s.table).
			Where(eq(s.pkField.DBName, pk)).
			Where(clause.Or(
				clause.Eq{Column: col, Value: nil},
				clause.Lt{Column: col, Value: when},
			)).
			UpdateColumn(s.lastLogin.DBName, when)
		rows = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return unavailable("update last_login", err)
	}
	if rv := reflect.ValueOf(u); rv.Type() == s.modelType {
		if rows > 0 {
			var value any = when
			if s.lastLogin.FieldType.Kind() == reflect.Pointer {
				value = &when
			}
			_ = s.lastLogin.Set(ctx, rv, value)
		}
	}
	return nil
}

// ResolveUserPK is the UserPKResolver a GormTokenStore uses: the primary key of the user whose
// IDField equals the user_id claim, found == false when there is none (or when the text cannot
// be an id).
func (s *GormUserStore) ResolveUserPK(ctx context.Context, userID string) (pk any, found bool, err error) {
	v, ok := s.lookupArg(userID)
	if !ok {
		return nil, false, nil
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	m := s.newModel()
	res := s.session(ctx).Table(s.table).Select([]string{s.pkField.DBName}).
		Where(eq(s.idField.DBName, v)).Limit(1).Find(m)
	if res.Error != nil {
		return nil, false, unavailable("resolve user", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, false, nil
	}
	pk, _ = s.pkField.ValueOf(ctx, reflect.ValueOf(m))
	return pk, true, nil
}

// buildPKSubquery is ResolveUserPK as SQL, for a write on the same database to find user_id
// itself: `(SELECT pk FROM table WHERE USER_ID_FIELD = ? LIMIT 1)`, NULL when no user matches.
func (s *GormUserStore) buildPKSubquery() string {
	var b strings.Builder
	b.WriteString("(SELECT ")
	s.db.Dialector.QuoteTo(&b, s.pkField.DBName)
	b.WriteString(" FROM ")
	s.db.Dialector.QuoteTo(&b, s.table)
	b.WriteString(" WHERE ")
	s.db.Dialector.QuoteTo(&b, s.idField.DBName)
	b.WriteString(" = ? LIMIT 1)")
	return b.String()
}

// lookupArg is the value pkSubquery's parameter takes for userID; false when userID cannot name
// a user (ResolveUserPK's "not found" without a query).
func (s *GormUserStore) lookupArg(userID string) (any, bool) {
	v, err := s.parseID(userID)
	if err != nil || !lookupValue(v) {
		return nil, false
	}
	return v, true
}

package models

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"

	"gorm.io/gorm/schema"
)

// AuthLookup is offered by a UserStore that can load, for JWTAuthentication (ginjwt's Auth),
// only what its checks read, in one narrow query. ginjwt uses it when the store offers it.
type AuthLookup interface {
	// GetByIDForAuth is GetByID for the authentication of a request: the user it returns may
	// carry only its id, primary key, username and is_active, and its password hash only when
	// password is true (CHECK_REVOKE_TOKEN). GormUserStore reads it from the database on
	// every call; AuthCache serves it from memory only while every change of the user table is
	// announced to it, so neither serves a deactivated user or a changed password once the
	// change is committed (AuthCache: once its announcement has arrived).
	GetByIDForAuth(ctx context.Context, id string, password bool) (AuthUser, error)
}

// authQuery is one of the two prepared statements of GetByIDForAuth (with and without the
// password column) and the model fields its columns are scanned into.
type authQuery struct {
	lazyStmt
	fields []*schema.Field
}

// setupAuthQueries builds GetByIDForAuth's queries when the narrow lookup is sound: the model is
// the built-in User (whose GetIsActive is its is_active column and nothing else: a custom model's
// may read more, so custom models keep the full GetByID), the dialect is SQLite, PostgreSQL or
// MySQL/MariaDB, and the handle is a plain *sql.DB. Otherwise GetByIDForAuth is GetByID.
func (s *GormUserStore) setupAuthQueries() {
	if s.modelType != reflect.TypeFor[*User]() {
		return
	}
	sqlDB, placeholder, ok := preparable(s.db)
	if !ok {
		return
	}
	active := s.schema.LookUpField("is_active")
	if active == nil || active.DBName == "" {
		return
	}
	base := []*schema.Field{s.idField, s.pkField, s.usernameField, active}
	for i, withPassword := range []bool{false, true} {
		fields := make([]*schema.Field, 0, 5)
		for _, f := range append(base, s.passwordField) {
			if f == s.passwordField && !withPassword {
				continue
			}
			if !slicesContainsField(fields, f) {
				fields = append(fields, f)
			}
		}
		var b strings.Builder
		b.WriteString("SELECT ")
		for j, f := range fields {
			if f.Serializer != nil {
				return
			}
			if j > 0 {
				b.WriteString(", ")
			}
			s.db.Dialector.QuoteTo(&b, f.DBName)
		}
		b.WriteString(" FROM ")
		s.db.Dialector.QuoteTo(&b, s.table)
		b.WriteString(" WHERE ")
		s.db.Dialector.QuoteTo(&b, s.idField.DBName)
		b.WriteString(" = " + placeholder + " LIMIT 1")
		s.auth[i] = &authQuery{lazyStmt: lazyStmt{query: b.String()}, fields: fields}
	}
	s.sqlDB = sqlDB
}

func slicesContainsField(fields []*schema.Field, f *schema.Field) bool {
	for _, g := range fields {
		if g.DBName == f.DBName {
			return true
		}
	}
	return false
}

// GetByIDForAuth is AuthLookup: for the built-in User, one prepared
// `SELECT id, username, is_active[, password] FROM auth_user WHERE id = ? LIMIT 1` (the table
// and columns of the store's options); the other fields of the user it returns are zero. It
// keeps GetByID's rules: the store's Timeout and the request's budget (WithBudget), a failure a
// *DBError matching ErrUnavailable, ErrUserNotFound without a query for text that cannot be an id.
func (s *GormUserStore) GetByIDForAuth(ctx context.Context, id string, password bool) (_ AuthUser, err error) {
	q := s.auth[0]
	if password {
		q = s.auth[1]
	}
	if q == nil || !onPool(s.db, s.sqlDB) {
		return s.GetByID(ctx, id)
	}
	v, err := s.parseID(id)
	if err != nil || !lookupValue(v) {
		return nil, ErrUserNotFound
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	st, err := q.prepared(ctx, s.sqlDB)
	if err != nil {
		return nil, unavailable("get user", err)
	}
	u := new(User)
	rv := reflect.ValueOf(u)
	var buf [5]any
	dest := buf[:len(q.fields)]
	for i, f := range q.fields {
		dest[i] = f.ReflectValueOf(ctx, rv).Addr().Interface()
	}
	if err := st.QueryRowContext(ctx, v).Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrUserNotFound
		}
		return nil, unavailable("get user", err)
	}
	return u, nil
}

var _ AuthLookup = (*GormUserStore)(nil)

package models

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
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
	// cols is the quoted column list and where the rest of the query, from " FROM" to the id
	// comparison without its placeholder: the parts a combined query reuses (RefreshLookup).
	cols, where string
}

// setupAuthQueries builds GetByIDForAuth's queries when the narrow lookup is sound: the model is
// the built-in User (whose GetIsActive is its is_active column and nothing else: a custom model's
// may read more, so custom models keep the full GetByID), the dialect is SQLite, PostgreSQL or
// MySQL/MariaDB, and the handle is a plain *sql.DB. Otherwise GetByIDForAuth is GetByID.
func (s *GormUserStore) setupAuthQueries() {
	if s.modelType != reflect.TypeFor[*User]() {
		return
	}
	sqlDB, ok := preparable(s.db)
	if !ok {
		return
	}
	// The built-in User's columns: is_active exists and no field has a serializer.
	var base []*schema.Field
	for _, f := range []*schema.Field{s.idField, s.pkField, s.usernameField, s.schema.LookUpField("is_active")} {
		if !slices.ContainsFunc(base, func(g *schema.Field) bool { return g.DBName == f.DBName }) {
			base = append(base, f)
		}
	}
	for i, fields := range [][]*schema.Field{base, append(slices.Clip(base), s.passwordField)} {
		var cols, where strings.Builder
		for j, f := range fields {
			if j > 0 {
				cols.WriteString(", ")
			}
			s.db.Dialector.QuoteTo(&cols, f.DBName)
		}
		where.WriteString(" FROM ")
		s.db.Dialector.QuoteTo(&where, s.table)
		where.WriteString(" WHERE ")
		s.db.Dialector.QuoteTo(&where, s.idField.DBName)
		where.WriteString(" = ")
		q := placeholders(s.db.Dialector.Name(), "SELECT "+cols.String()+where.String()+"? LIMIT 1")
		s.auth[i] = &authQuery{lazyStmt: lazyStmt{query: q, sqlite: s.db.Dialector.Name() == "sqlite"},
			fields: fields, cols: cols.String(), where: where.String()}
	}
	s.sqlDB = sqlDB
}

// GetByIDForAuth is AuthLookup: for the built-in User, one
// `SELECT id, username, is_active[, password] FROM auth_user WHERE id = ? LIMIT 1` (the table
// and columns of the store's options; prepared: see lazyStmt.scanRow); the
// other fields of the user it returns are zero. It
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
	v, ok := s.lookupArg(id)
	if !ok {
		return nil, ErrUserNotFound
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	u, err := q.scanWith(ctx, &q.lazyStmt, s.sqlDB, []any{v})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrUserNotFound
		}
		return nil, unavailable("get user", err)
	}
	return u, nil
}

// scanWith runs st (q's query, or one that starts with q's columns) with args on db and reads
// its row into a new User (q's fields) and the columns after them into extra.
func (q *authQuery) scanWith(ctx context.Context, st *lazyStmt, db *sql.DB, args []any, extra ...any) (*User, error) {
	u := new(User)
	rv := reflect.ValueOf(u)
	var buf [6]any
	dest := buf[:0]
	for _, f := range q.fields {
		dest = append(dest, f.ReflectValueOf(ctx, rv).Addr().Interface())
	}
	if err := st.scanRow(ctx, db, append(dest, extra...), args...); err != nil {
		return nil, err
	}
	return u, nil
}

var _ AuthLookup = (*GormUserStore)(nil)

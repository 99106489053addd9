package models

import (
	"context"
	"reflect"

	"gorm.io/gorm"
)

// Authenticate is Django's authenticate() on the table: ModelBackend's rules (one hasher run on
// every failure, re-hash on login with a compare-and-swap of the password column, inactive users
// refused after the password check) over the store's exact-match username lookup.
func (s *GormUserStore) Authenticate(ctx context.Context, username, password string) (AuthUser, error) {
	return s.backend.Authenticate(ctx, username, password)
}

// gormPasswords is GormUserStore's PasswordStore.
type gormPasswords struct{ s *GormUserStore }

// FindByUsername finds the user whose UsernameField is exactly username: after the `=` lookup
// the stored value is compared byte for byte, so that a case- or space-insensitive collation
// (MySQL's) cannot match another spelling.
func (p gormPasswords) FindByUsername(ctx context.Context, username string) (UserModel, bool, error) {
	return p.s.findUsername(ctx, "authenticate", username)
}

// SwapPassword is UPDATE … SET password = next WHERE pk = ? AND password = old, then, when no
// row changed, a read of the stored hash. Unconditional writes, as Django's
// save(update_fields=["password"]), let concurrent logins each believe their own hash is stored
// while only the last one is.
func (p gormPasswords) SwapPassword(ctx context.Context, u UserModel, old, next string) (string, bool, error) {
	s := p.s
	pk, _ := s.pkField.ValueOf(ctx, reflect.ValueOf(u))
	var updated int64
	err := s.write(ctx, "update password", func(tx *gorm.DB) error {
		res := tx.Table(s.table).Where(eq(s.pkField.DBName, pk)).
			Where(eq(s.passwordField.DBName, old)).
			UpdateColumn(s.passwordField.DBName, next)
		updated = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return "", false, unavailable("update password", err)
	}
	if updated > 0 {
		return next, true, nil
	}
	current, found, err := s.find(ctx, "authenticate", s.pkField.DBName, pk)
	if err != nil || !found {
		return "", false, err
	}
	return current.GetPassword(), true, nil
}

// findUsername is the exact-match lookup by UsernameField.
func (s *GormUserStore) findUsername(ctx context.Context, op, username string) (UserModel, bool, error) {
	m, found, err := s.find(ctx, op, s.usernameField.DBName, username)
	if err != nil || !found {
		return nil, false, err
	}
	stored, _ := s.usernameField.ValueOf(ctx, reflect.ValueOf(m))
	if stored != any(username) {
		return nil, false, nil // a case- or space-insensitive collation matched another spelling
	}
	return m, true, nil
}

package models

import (
	"context"
	"reflect"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// djangoUserTable is Django's default AUTH_USER_MODEL table, and djangoUserChildren the tables
// of Django's own apps whose user_id refers to it with CASCADE.
const djangoUserTable = "auth_user"

var djangoUserChildren = []string{"auth_user_groups", "auth_user_user_permissions", "django_admin_log"}

// Delete deletes the user whose IDField is id (the user_id claim as text, as for GetByID) the
// way Django's user.delete() does for the apps this package knows: the user's outstanding
// tokens keep their rows with user_id set to NULL (SET_NULL; their blacklist rows stay, so a
// blacklisted token stays refused), and, when the store's table is Django's auth_user, the
// user's rows in auth_user_groups, auth_user_user_permissions and django_admin_log are
// deleted (CASCADE); each only when the table exists. For another table (a custom
// AUTH_USER_MODEL) the tables that refer to it, Django's included, are the caller's business:
// their names depend on the model.
// It reports whether a user was deleted; text that cannot be an id deletes nothing.
//
// Delete is administrative: it runs under ctx alone, without the store's Timeout, and a busy
// SQLite database is retried for up to 10 s.
func (s *GormUserStore) Delete(ctx context.Context, id string) (deleted bool, err error) {
	v, err := s.parseID(id)
	if err != nil || !lookupValue(v) {
		return false, nil
	}
	err = retry(ctx, s.db, "delete user", func() error {
		deleted = false
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var err error
			deleted, err = s.deleteIn(ctx, tx, v)
			return err
		})
	})
	if err != nil {
		return false, named(s.db, unavailable("delete user", err))
	}
	return deleted, nil
}

// deleteIn deletes, inside the transaction tx, the user whose IDField is v and what refers to it.
func (s *GormUserStore) deleteIn(ctx context.Context, tx *gorm.DB, v any) (bool, error) {
	m := s.newModel()
	res := tx.Table(s.table).Select([]string{s.pkField.DBName}).Where(eq(s.idField.DBName, v)).Limit(1).Find(m)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	pk, _ := s.pkField.ValueOf(ctx, reflect.ValueOf(m))
	var children []string
	if s.table == djangoUserTable {
		children = djangoUserChildren
	}
	ok, err := hasTable(tx, OutstandingTokenTable)
	if err != nil {
		return false, err
	}
	if ok {
		if err := tx.Exec("UPDATE "+OutstandingTokenTable+" SET user_id = NULL WHERE user_id = ?", pk).Error; err != nil {
			return false, err
		}
	}
	for _, child := range children {
		ok, err := hasTable(tx, child)
		if err != nil {
			return false, err
		}
		if ok {
			if err := tx.Exec("DELETE FROM "+child+" WHERE user_id = ?", pk).Error; err != nil {
				return false, err
			}
		}
	}
	res = tx.Exec("DELETE FROM ? WHERE ? = ?", clause.Table{Name: s.table}, clause.Column{Name: s.pkField.DBName}, pk)
	return res.RowsAffected > 0, res.Error
}

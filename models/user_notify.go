package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// This file is the announcement of user changes on PostgreSQL, which AuthCache needs: a trigger
// on the user table NOTIFYs UserChannel with the user's id whenever a row is updated or deleted,
// whoever writes it (Django's admin, `manage.py changepassword`, a Django peer's ORM, this
// package's own stores, psql). NOTIFY is transactional: the notification leaves at COMMIT, and
// a rolled-back change announces nothing.

// UserChannel is the PostgreSQL NOTIFY channel a change of a user row is announced on
// (MigrateUserNotify): its payload is the row's old USER_ID_FIELD value as text
// (OLD.<id column>::text), or empty after a TRUNCATE of the table (every user changed).
const UserChannel = "simplejwt_user"

// The trigger function MigrateUserNotify installs, and its triggers on the user table.
const (
	userNotifyFunction = "simplejwt_user_notify"
	userNotifyTrigger  = "simplejwt_user_notify"
	userNotifyTruncate = "simplejwt_user_notify_truncate"
)

// ErrNotPostgres: the user-change announcement needs PostgreSQL's LISTEN/NOTIFY.
var ErrNotPostgres = errors.New("models: the database is not PostgreSQL")

// userNotifyFunctionDDL announces a changed row: the id column is the trigger's argument, read
// from OLD by name, so one function serves any user table. pg_notify runs at COMMIT.
const userNotifyFunctionDDL = `CREATE OR REPLACE FUNCTION "` + userNotifyFunction + `"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
	id text;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM pg_notify('` + UserChannel + `', '');
	ELSE
		EXECUTE format('SELECT ($1).%I::text', TG_ARGV[0]) INTO id USING OLD;
		PERFORM pg_notify('` + UserChannel + `', coalesce(id, ''));
	END IF;
	RETURN NULL;
END
$fn$`

// userNotifyTarget is the quoted user table and the id column of the store opts describe.
func userNotifyTarget(db *gorm.DB, opts UserStoreOptions) (table, idColumn string, err error) {
	if db.Dialector.Name() != "postgres" {
		return "", "", ErrNotPostgres
	}
	s, err := NewUserStore(db, opts)
	if err != nil {
		return "", "", err
	}
	var b strings.Builder
	db.Dialector.QuoteTo(&b, s.table)
	return b.String(), s.idField.DBName, nil
}

// MigrateUserNotify installs, on PostgreSQL, the trigger that announces every UPDATE and DELETE
// of a row of the user table opts describe (auth_user by default) on UserChannel, with the row's
// USER_ID_FIELD value (opts.IDField) as payload, and every TRUNCATE with an empty payload. It
// is what AuthCache's invalidation hears (ginjwt's Settings.UserCacheFeed). Idempotent: the
// function is replaced and the triggers recreated, in one transaction. It adds a function
// (simplejwt_user_notify) and two triggers and alters no column: Django's migrations are
// unaffected. ErrNotPostgres elsewhere. RemoveUserNotify undoes it.
func MigrateUserNotify(ctx context.Context, db *gorm.DB, opts UserStoreOptions) error {
	table, id, err := userNotifyTarget(db, opts)
	if err != nil {
		return err
	}
	stmts := []string{
		userNotifyFunctionDDL,
		`DROP TRIGGER IF EXISTS "` + userNotifyTrigger + `" ON ` + table,
		`CREATE TRIGGER "` + userNotifyTrigger + `" AFTER UPDATE OR DELETE ON ` + table +
			` FOR EACH ROW EXECUTE FUNCTION "` + userNotifyFunction + `"('` + id + `')`,
		`DROP TRIGGER IF EXISTS "` + userNotifyTruncate + `" ON ` + table,
		`CREATE TRIGGER "` + userNotifyTruncate + `" AFTER TRUNCATE ON ` + table +
			` FOR EACH STATEMENT EXECUTE FUNCTION "` + userNotifyFunction + `"('` + id + `')`,
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return named(db, unavailable("migrate user notify", err))
}

// RemoveUserNotify drops the triggers MigrateUserNotify installed on the user table, and the
// function when no other table's trigger uses it. Idempotent. ErrNotPostgres elsewhere.
func RemoveUserNotify(ctx context.Context, db *gorm.DB, opts UserStoreOptions) error {
	table, _, err := userNotifyTarget(db, opts)
	if err != nil {
		return err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, s := range []string{
			`DROP TRIGGER IF EXISTS "` + userNotifyTrigger + `" ON ` + table,
			`DROP TRIGGER IF EXISTS "` + userNotifyTruncate + `" ON ` + table,
		} {
			if err := tx.Exec(s).Error; err != nil {
				return err
			}
		}
		var users int64
		if err := tx.Raw(`SELECT COUNT(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = ?`,
			userNotifyFunction).Row().Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return nil
		}
		return tx.Exec(`DROP FUNCTION IF EXISTS "` + userNotifyFunction + `"()`).Error
	})
	return named(db, unavailable("remove user notify", err))
}

// UserNotifyInstalled reports whether MigrateUserNotify's row trigger is installed and enabled
// on the user table opts describe, naming opts.IDField's column: without it, no change is
// announced and a cache must not serve. ErrNotPostgres elsewhere.
func UserNotifyInstalled(ctx context.Context, db *gorm.DB, opts UserStoreOptions) (bool, error) {
	table, id, err := userNotifyTarget(db, opts)
	if err != nil {
		return false, err
	}
	var n int64
	err = db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
		WHERE t.tgrelid = to_regclass(?) AND t.tgname = ? AND p.proname = ? AND t.tgenabled <> 'D'
		AND t.tgnargs = 1 AND encode(t.tgargs, 'escape') = ?`,
		table, userNotifyTrigger, userNotifyFunction, id+`\000`).Row().Scan(&n)
	if err != nil {
		return false, named(db, unavailable("check user notify", err))
	}
	return n > 0, nil
}

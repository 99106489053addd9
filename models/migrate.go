package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Migrate creates the tables this package uses when they are absent, exactly as Django's own
// migrations would have left them, and records those migrations in django_migrations so that
// Django's `manage.py migrate` later finds nothing to do for them. It never alters, and never
// writes to, a table that exists: on a database Django made, Migrate is a no-op.
//
// What it creates, per unit, only when every table of the unit is absent:
//
//   - token_blacklist: token_blacklist_outstandingtoken and token_blacklist_blacklistedtoken, as
//     simplejwt's migrations 0001-0013 leave them, referencing auth_user(id). Recorded as
//     token_blacklist 0001_initial ... 0008_migrate_to_bigautofield,
//     0010_fix_migrate_to_bigautofield, 0011_linearizes_history,
//     0012_alter_outstandingtoken_user and 0013_alter_blacklistedtoken_options_and_more (there
//     is no 0009). 0013 exists from simplejwt 5.5.1 on and only changes verbose names; older
//     releases (Debian ships 5.2.2) ignore a recorded migration they do not have.
//   - auth: Django's whole auth app (auth_user, auth_group, auth_permission and the three
//     many-to-many tables), with contenttypes' django_content_type when that is absent too,
//     recorded as auth 0001-0012 and contenttypes 0001-0002, the current last migrations of
//     both apps (Django 3.2 to 6.0). Why the whole app and not auth_user alone: Django's
//     migrations create auth_user together with the other auth tables, so a database holding
//     only auth_user can never be migrated by Django ("table auth_user already exists"), while
//     recording auth as applied without its other tables would leave Django without them. With
//     the whole app created and recorded, a database that a Go service started can later be
//     handed to a Django project, whose migrate then applies nothing here (Django's
//     post_migrate fills django_content_type and auth_permission).
//   - django_migrations itself, when it is absent and something above is created.
//
// Column types, constraints and index names are Django's for each dialect (sqlite, postgres,
// mysql; PostgreSQL ids are identity columns, as Django ≥ 4.1 makes them). A custom user model
// (AUTH_USER_MODEL) is Django's business: when auth_user is absent but the auth app is recorded
// as applied, Migrate creates no token_blacklist tables and returns an error saying so; let
// Django's migrate create them.
//
// Run Migrate from one process at startup: it checks, then creates, and two concurrent runs on
// an empty database may both try to create the same table (the loser gets an error; on SQLite
// and PostgreSQL its work is rolled back, MySQL cannot roll back DDL).
func Migrate(ctx context.Context, db *gorm.DB) error {
	dialect := db.Dialector.Name()
	ddl, ok := migrationDDL[dialect]
	if !ok {
		return fmt.Errorf("models: Migrate: unsupported dialect %q", dialect)
	}
	run := func(tx *gorm.DB) error { return migrate(tx, dialect, ddl) }
	var err error
	if dialect == "mysql" {
		err = run(db.WithContext(ctx)) // DDL commits implicitly on MySQL
	} else {
		// A SQLite file locked by another process is retried (see retry).
		err = retry(ctx, db, "migrate", func() error { return db.WithContext(ctx).Transaction(run) })
	}
	if err != nil {
		var plain migrateError
		if errors.As(err, &plain) {
			return err
		}
		return named(db, unavailable("migrate", err))
	}
	return nil
}

// migrateError is a Migrate refusal that is not a database failure.
type migrateError struct{ msg string }

func (e migrateError) Error() string { return e.msg }

// hasTable is GORM's Migrator().HasTable with the error returned: HasTable reads a failed query
// as "absent", and Migrate must not decide to create a table because the database hiccuped.
func hasTable(tx *gorm.DB, table string) (bool, error) {
	var q string
	switch tx.Dialector.Name() {
	case "sqlite":
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	case "postgres":
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA() AND table_name = ? AND table_type = 'BASE TABLE'"
	case "mysql":
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ? AND table_type = 'BASE TABLE'"
	default:
		return tx.Migrator().HasTable(table), nil
	}
	var n int64
	if err := tx.Raw(q, table).Row().Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

func migrate(tx *gorm.DB, dialect string, ddl dialectDDL) error {
	p, err := planMigration(tx)
	if err != nil || !p.createCT && !p.createAuth && !p.createTB {
		return err
	}
	return p.apply(tx, ddl)
}

// migrationPlan is what migrate creates: the apps whose tables are all absent and none of whose
// migrations is recorded.
type migrationPlan struct {
	hasMigrations                  bool // django_migrations exists
	createCT, createAuth, createTB bool // contenttypes, auth, token_blacklist
	recorded                       map[string]map[string]bool
}

// planMigration reads which tables and migration rows exist and decides what to create; it
// refuses the states it cannot complete without guessing.
func planMigration(tx *gorm.DB) (p migrationPlan, err error) {
	has := func(table string) bool {
		ok, hasErr := hasTable(tx, table)
		if hasErr != nil && err == nil {
			err = hasErr
		}
		return ok
	}
	if p.hasMigrations = has("django_migrations"); err != nil {
		return p, err
	}
	if p.recorded, err = recordedMigrations(tx, p.hasMigrations); err != nil {
		return p, err
	}
	noneOf := func(tables ...string) bool {
		for _, t := range tables {
			if has(t) {
				return false
			}
		}
		return true
	}
	p.createAuth = noneOf(authTables...) && len(p.recorded["auth"]) == 0
	p.createCT = p.createAuth && !has("django_content_type") && len(p.recorded["contenttypes"]) == 0
	hasOT, hasBT := has(OutstandingTokenTable), has(BlacklistedTokenTable)
	if hasOT != hasBT {
		return p, migrateError{"models: Migrate: only one of the token_blacklist tables exists; refusing to guess"}
	}
	p.createTB = !hasOT
	if err != nil {
		return p, err
	}
	if p.createTB && !p.createAuth && !has("auth_user") {
		return p, migrateError{"models: Migrate: auth_user is absent but the auth app is present (a custom AUTH_USER_MODEL?); " +
			"let Django's migrate create the token_blacklist tables"}
	}
	return p, nil
}

// recordedMigrations reads django_migrations' rows of the three apps (none when the table is
// absent), by app and name.
func recordedMigrations(tx *gorm.DB, hasMigrations bool) (map[string]map[string]bool, error) {
	recorded := map[string]map[string]bool{}
	if !hasMigrations {
		return recorded, nil
	}
	var rows []struct{ App, Name string }
	if err := tx.Raw("SELECT app, name FROM django_migrations WHERE app IN (?, ?, ?)",
		"contenttypes", "auth", "token_blacklist").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if recorded[r.App] == nil {
			recorded[r.App] = map[string]bool{}
		}
		recorded[r.App][r.Name] = true
	}
	return recorded, nil
}

// apply runs the plan: the apps' DDL, then their django_migrations rows.
func (p migrationPlan) apply(tx *gorm.DB, ddl dialectDDL) error {
	var stmts []string
	var rows [][2]string
	if !p.hasMigrations {
		stmts = append(stmts, ddl.djangoMigrations...)
	}
	if p.createCT {
		stmts = append(stmts, ddl.contenttypes...)
		rows = appendRows(rows, "contenttypes", contenttypesMigrations, p.recorded)
	}
	if p.createAuth {
		stmts = append(stmts, ddl.auth...)
		rows = appendRows(rows, "auth", authMigrations, p.recorded)
	}
	if p.createTB {
		stmts = append(stmts, ddl.tokenBlacklist...)
		rows = appendRows(rows, "token_blacklist", tokenBlacklistMigrations, p.recorded)
	}
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return err
		}
	}
	applied := NewDjangoTime(time.Now())
	for _, r := range rows {
		if err := tx.Exec("INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)",
			r[0], r[1], applied).Error; err != nil {
			return err
		}
	}
	return nil
}

func appendRows(rows [][2]string, app string, names []string, recorded map[string]map[string]bool) [][2]string {
	for _, n := range names {
		if !recorded[app][n] {
			rows = append(rows, [2]string{app, n})
		}
	}
	return rows
}

// The migrations Migrate records (see Migrate).
var (
	contenttypesMigrations = []string{"0001_initial", "0002_remove_content_type_name"}
	authMigrations         = []string{
		"0001_initial",
		"0002_alter_permission_name_max_length",
		"0003_alter_user_email_max_length",
		"0004_alter_user_username_opts",
		"0005_alter_user_last_login_null",
		"0006_require_contenttypes_0002",
		"0007_alter_validators_add_error_messages",
		"0008_alter_user_username_max_length",
		"0009_alter_user_last_name_max_length",
		"0010_alter_group_name_max_length",
		"0011_update_proxy_permissions",
		"0012_alter_user_first_name_max_length",
	}
	tokenBlacklistMigrations = []string{
		"0001_initial",
		"0002_outstandingtoken_jti_hex",
		"0003_auto_20171017_2007",
		"0004_auto_20171017_2013",
		"0005_remove_outstandingtoken_jti",
		"0006_auto_20171017_2113",
		"0007_auto_20171017_2214",
		"0008_migrate_to_bigautofield",
		"0010_fix_migrate_to_bigautofield",
		"0011_linearizes_history",
		"0012_alter_outstandingtoken_user",
		"0013_alter_blacklistedtoken_options_and_more",
	}
	authTables = []string{
		"auth_permission", "auth_group", "auth_group_permissions",
		"auth_user", "auth_user_groups", "auth_user_user_permissions",
	}
)

type dialectDDL struct {
	djangoMigrations, contenttypes, auth, tokenBlacklist []string
}

// migrationDDL is the schema Django's migrations leave, per dialect. SQLite's statements are
// those Django 3.2 left in sqlite_master (column order included: Django rebuilds SQLite tables
// on ALTER); PostgreSQL's and MySQL's are Django's CREATE TABLE statements for the final state,
// with the constraint and index names Django gave them (they carry hashes of historical names,
// such as jti_hex). Checked against Django in migrate_test.go.
var migrationDDL = map[string]dialectDDL{
	"sqlite": {
		djangoMigrations: []string{
			`CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL)`,
		},
		contenttypes: []string{
			`CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL)`,
			`CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model")`,
		},
		auth: []string{
			`CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)`,
			`CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)`,
			`CREATE TABLE "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)`,
			`CREATE UNIQUE INDEX "auth_group_permissions_group_id_permission_id_0cd325b0_uniq" ON "auth_group_permissions" ("group_id", "permission_id")`,
			`CREATE INDEX "auth_group_permissions_group_id_b120cbf9" ON "auth_group_permissions" ("group_id")`,
			`CREATE INDEX "auth_group_permissions_permission_id_84c5c92e" ON "auth_group_permissions" ("permission_id")`,
			`CREATE UNIQUE INDEX "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id")`,
			`CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id")`,
			`CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id")`,
			`CREATE UNIQUE INDEX "auth_user_user_permissions_user_id_permission_id_14a6b632_uniq" ON "auth_user_user_permissions" ("user_id", "permission_id")`,
			`CREATE INDEX "auth_user_user_permissions_user_id_a95ead1b" ON "auth_user_user_permissions" ("user_id")`,
			`CREATE INDEX "auth_user_user_permissions_permission_id_1fbb5f2c" ON "auth_user_user_permissions" ("permission_id")`,
			`CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL)`,
			`CREATE UNIQUE INDEX "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename")`,
			`CREATE INDEX "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id")`,
			`CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)`,
			`CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)`,
		},
		tokenBlacklist: []string{
			`CREATE TABLE "token_blacklist_blacklistedtoken" ("blacklisted_at" datetime NOT NULL, "token_id" bigint NOT NULL UNIQUE REFERENCES "token_blacklist_outstandingtoken" ("id") DEFERRABLE INITIALLY DEFERRED, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)`,
			`CREATE TABLE "token_blacklist_outstandingtoken" ("token" text NOT NULL, "created_at" datetime NULL, "expires_at" datetime NOT NULL, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "jti" varchar(255) NOT NULL UNIQUE, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)`,
			`CREATE INDEX "token_blacklist_outstandingtoken_user_id_83bc629a" ON "token_blacklist_outstandingtoken" ("user_id")`,
		},
	},
	"postgres": {
		djangoMigrations: []string{
			`CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" timestamp with time zone NOT NULL)`,
		},
		contenttypes: []string{
			`CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL)`,
			`ALTER TABLE "django_content_type" ADD CONSTRAINT "django_content_type_app_label_model_76bd3d3b_uniq" UNIQUE ("app_label", "model")`,
		},
		auth: []string{
			`CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" varchar(255) NOT NULL, "content_type_id" integer NOT NULL, "codename" varchar(100) NOT NULL)`,
			`CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" varchar(150) NOT NULL UNIQUE)`,
			`CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "group_id" integer NOT NULL, "permission_id" integer NOT NULL)`,
			`CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, "is_superuser" boolean NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" boolean NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL)`,
			`CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "user_id" integer NOT NULL, "group_id" integer NOT NULL)`,
			`CREATE TABLE "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "user_id" integer NOT NULL, "permission_id" integer NOT NULL)`,
			`ALTER TABLE "auth_permission" ADD CONSTRAINT "auth_permission_content_type_id_codename_01ab375a_uniq" UNIQUE ("content_type_id", "codename")`,
			`ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissions_group_id_permission_id_0cd325b0_uniq" UNIQUE ("group_id", "permission_id")`,
			`ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_user_id_group_id_94350c0c_uniq" UNIQUE ("user_id", "group_id")`,
			`ALTER TABLE "auth_user_user_permissions" ADD CONSTRAINT "auth_user_user_permissions_user_id_permission_id_14a6b632_uniq" UNIQUE ("user_id", "permission_id")`,
			`CREATE INDEX "auth_group_name_a6ea08ec_like" ON "auth_group" ("name" varchar_pattern_ops)`,
			`CREATE INDEX "auth_group_permissions_group_id_b120cbf9" ON "auth_group_permissions" ("group_id")`,
			`CREATE INDEX "auth_group_permissions_permission_id_84c5c92e" ON "auth_group_permissions" ("permission_id")`,
			`CREATE INDEX "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id")`,
			`CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id")`,
			`CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id")`,
			`CREATE INDEX "auth_user_user_permissions_permission_id_1fbb5f2c" ON "auth_user_user_permissions" ("permission_id")`,
			`CREATE INDEX "auth_user_user_permissions_user_id_a95ead1b" ON "auth_user_user_permissions" ("user_id")`,
			`CREATE INDEX "auth_user_username_6821ab7c_like" ON "auth_user" ("username" varchar_pattern_ops)`,
			`ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissio_permission_id_84c5c92e_fk_auth_perm" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissions_group_id_b120cbf9_fk_auth_group_id" FOREIGN KEY ("group_id") REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "auth_permission" ADD CONSTRAINT "auth_permission_content_type_id_2f476e4b_fk_django_co" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_group_id_97559544_fk_auth_group_id" FOREIGN KEY ("group_id") REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_user_id_6a12ed8b_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "auth_user_user_permissions" ADD CONSTRAINT "auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "auth_user_user_permissions" ADD CONSTRAINT "auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED`,
		},
		tokenBlacklist: []string{
			`CREATE TABLE "token_blacklist_outstandingtoken" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "token" text NOT NULL, "created_at" timestamp with time zone NULL, "expires_at" timestamp with time zone NOT NULL, "user_id" integer NULL, "jti" varchar(255) NOT NULL)`,
			`CREATE TABLE "token_blacklist_blacklistedtoken" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "blacklisted_at" timestamp with time zone NOT NULL, "token_id" bigint NOT NULL UNIQUE)`,
			`ALTER TABLE "token_blacklist_outstandingtoken" ADD CONSTRAINT "token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_uniq" UNIQUE ("jti")`,
			`CREATE INDEX "token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_like" ON "token_blacklist_outstandingtoken" ("jti" varchar_pattern_ops)`,
			`CREATE INDEX "token_blacklist_outstandingtoken_user_id_83bc629a" ON "token_blacklist_outstandingtoken" ("user_id")`,
			`ALTER TABLE "token_blacklist_outstandingtoken" ADD CONSTRAINT "token_blacklist_outs_user_id_83bc629a_fk_auth_user" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED`,
			`ALTER TABLE "token_blacklist_blacklistedtoken" ADD CONSTRAINT "token_blacklist_blacklistedtoken_token_id_3cc7fe56_fk" FOREIGN KEY ("token_id") REFERENCES "token_blacklist_outstandingtoken" ("id") DEFERRABLE INITIALLY DEFERRED`,
		},
	},
	"mysql": {
		djangoMigrations: []string{
			"CREATE TABLE `django_migrations` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `app` varchar(255) NOT NULL, `name` varchar(255) NOT NULL, `applied` datetime(6) NOT NULL)",
		},
		contenttypes: []string{
			"CREATE TABLE `django_content_type` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `app_label` varchar(100) NOT NULL, `model` varchar(100) NOT NULL)",
			"ALTER TABLE `django_content_type` ADD CONSTRAINT `django_content_type_app_label_model_76bd3d3b_uniq` UNIQUE (`app_label`, `model`)",
		},
		auth: []string{
			"CREATE TABLE `auth_permission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(255) NOT NULL, `content_type_id` integer NOT NULL, `codename` varchar(100) NOT NULL)",
			"CREATE TABLE `auth_group` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(150) NOT NULL UNIQUE)",
			"CREATE TABLE `auth_group_permissions` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `group_id` integer NOT NULL, `permission_id` integer NOT NULL)",
			"CREATE TABLE `auth_user` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `password` varchar(128) NOT NULL, `last_login` datetime(6) NULL, `is_superuser` bool NOT NULL, `username` varchar(150) NOT NULL UNIQUE, `first_name` varchar(150) NOT NULL, `last_name` varchar(150) NOT NULL, `email` varchar(254) NOT NULL, `is_staff` bool NOT NULL, `is_active` bool NOT NULL, `date_joined` datetime(6) NOT NULL)",
			"CREATE TABLE `auth_user_groups` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `user_id` integer NOT NULL, `group_id` integer NOT NULL)",
			"CREATE TABLE `auth_user_user_permissions` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `user_id` integer NOT NULL, `permission_id` integer NOT NULL)",
			"ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_codename_01ab375a_uniq` UNIQUE (`content_type_id`, `codename`)",
			"ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissions_group_id_permission_id_0cd325b0_uniq` UNIQUE (`group_id`, `permission_id`)",
			"ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_user_id_group_id_94350c0c_uniq` UNIQUE (`user_id`, `group_id`)",
			"ALTER TABLE `auth_user_user_permissions` ADD CONSTRAINT `auth_user_user_permissions_user_id_permission_id_14a6b632_uniq` UNIQUE (`user_id`, `permission_id`)",
			"ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_2f476e4b_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`)",
			"ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissio_permission_id_84c5c92e_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`)",
			"ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissions_group_id_b120cbf9_fk_auth_group_id` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`)",
			"ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_group_id_97559544_fk_auth_group_id` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`)",
			"ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_user_id_6a12ed8b_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)",
			"ALTER TABLE `auth_user_user_permissions` ADD CONSTRAINT `auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`)",
			"ALTER TABLE `auth_user_user_permissions` ADD CONSTRAINT `auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)",
		},
		tokenBlacklist: []string{
			"CREATE TABLE `token_blacklist_outstandingtoken` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `token` longtext NOT NULL, `created_at` datetime(6) NULL, `expires_at` datetime(6) NOT NULL, `user_id` integer NULL, `jti` varchar(255) NOT NULL)",
			"CREATE TABLE `token_blacklist_blacklistedtoken` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `blacklisted_at` datetime(6) NOT NULL, `token_id` bigint NOT NULL UNIQUE)",
			"ALTER TABLE `token_blacklist_outstandingtoken` ADD CONSTRAINT `token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_uniq` UNIQUE (`jti`)",
			"ALTER TABLE `token_blacklist_outstandingtoken` ADD CONSTRAINT `token_blacklist_outs_user_id_83bc629a_fk_auth_user` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)",
			"ALTER TABLE `token_blacklist_blacklistedtoken` ADD CONSTRAINT `token_blacklist_blacklistedtoken_token_id_3cc7fe56_fk` FOREIGN KEY (`token_id`) REFERENCES `token_blacklist_outstandingtoken` (`id`)",
		},
	},
}

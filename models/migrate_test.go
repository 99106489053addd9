package models

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

var updateDjangoSchema = flag.Bool("update-django-schema", false,
	"rewrite testdata/django_schema_* from databases migrated by Django (needs /usr/bin/python3 with Django)")

// schemaFile is the committed snapshot of the schema Django's migrations make, per dialect:
// for SQLite an executable SQL dump (sqlite_master's statements), for the others a normalized
// listing (see schemaSnapshot).
func schemaFile(dialect string) string {
	if dialect == "sqlite" {
		return filepath.Join("testdata", "django_schema_sqlite.sql")
	}
	return filepath.Join("testdata", "django_schema_"+dialect+".txt")
}

// schemaSnapshot describes a database's tables, columns, constraints and indexes as sorted
// lines, comparable between two databases of one dialect.
func schemaSnapshot(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var lines []string
	switch db.Dialector.Name() {
	case "sqlite":
		return sqliteMaster(t, db)
	case "postgres":
		queries := []string{
			`SELECT 'column ' || table_name || '.' || column_name || ' #' ||
			   row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position) || ' ' || data_type ||
			   COALESCE('(' || character_maximum_length || ')', '') || ' null=' || is_nullable || ' ' ||
			   CASE WHEN is_identity = 'YES' OR column_default LIKE 'nextval(%' THEN 'auto' ELSE COALESCE(column_default, '-') END
			 FROM information_schema.columns WHERE table_schema = current_schema()`,
			`SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
			 FROM pg_constraint WHERE connamespace = current_schema()::regnamespace`,
			`SELECT 'index ' || tablename || ' ' || indexname || ' ' || replace(indexdef, current_schema() || '.', '')
			 FROM pg_indexes WHERE schemaname = current_schema()`,
		}
		for _, q := range queries {
			var part []string
			if err := db.Raw(q).Scan(&part).Error; err != nil {
				t.Fatal(err)
			}
			lines = append(lines, part...)
		}
	case "mysql":
		var tables []string
		if err := db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()").Scan(&tables).Error; err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			var name, ddl string
			if err := db.Raw("SHOW CREATE TABLE `"+table+"`").Row().Scan(&name, &ddl); err != nil {
				t.Fatal(err)
			}
			ddl = ddl[:strings.LastIndex(ddl, ")")+1] // drop ENGINE, AUTO_INCREMENT=n, charset: server defaults
			for i, l := range strings.Split(ddl, "\n") {
				lines = append(lines, fmt.Sprintf("%s %02d: %s", table, i, strings.TrimSpace(l)))
			}
		}
	}
	slices.Sort(lines)
	return lines
}

// readSchemaFile returns the committed snapshot as schemaSnapshot lines; for SQLite it loads the
// dump into a fresh database first.
func readSchemaFile(t *testing.T, dialect string) []string {
	t.Helper()
	data, err := os.ReadFile(schemaFile(dialect))
	if err != nil {
		t.Fatal(err)
	}
	if dialect != "sqlite" {
		return strings.Split(strings.TrimSpace(string(data)), "\n")
	}
	return sqliteMaster(t, loadSQLiteDump(t).DB)
}

// loadSQLiteDump creates a SQLite database from testdata/django_schema_sqlite.sql.
func loadSQLiteDump(t *testing.T) *testDB {
	t.Helper()
	data, err := os.ReadFile(schemaFile("sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	tdb := newTestDB(t, "sqlite", false)
	for _, stmt := range strings.Split(string(data), ";\n") {
		var sqlLines []string
		for _, l := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(l, "--") {
				sqlLines = append(sqlLines, l)
			}
		}
		if s := strings.TrimSpace(strings.Join(sqlLines, "\n")); s != "" {
			if err := tdb.DB.Exec(s).Error; err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	return tdb
}

func writeSchemaFile(t *testing.T, tdb *testDB) {
	t.Helper()
	var out strings.Builder
	if tdb.Dialect == "sqlite" {
		out.WriteString("-- The schema Django's migrations make on SQLite (contenttypes, auth, simplejwt's token_blacklist),\n" +
			"-- as sqlite_master holds it. Regenerate: go test ./models -run TestDjangoSchemaFiles -update-django-schema\n")
		var stmts []string
		if err := tdb.DB.Raw("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").Scan(&stmts).Error; err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			out.WriteString(s + ";\n")
		}
	} else {
		out.WriteString(strings.Join(schemaSnapshot(t, tdb.DB), "\n") + "\n")
	}
	if err := os.WriteFile(schemaFile(tdb.Dialect), []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func migrationRows(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	q := "SELECT app || '.' || name FROM django_migrations"
	if db.Dialector.Name() == "mysql" {
		q = "SELECT CONCAT(app, '.', name) FROM django_migrations" // || is OR in MySQL
	}
	var rows []string
	if err := db.Raw(q).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	slices.Sort(rows)
	return rows
}

func diffLines(a, b []string) string {
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// ----------------------------------------------------------------------------------------------

// TestMigrateFresh: on an empty database Migrate makes Django's schema (as committed in
// testdata) and records Django's migrations; a second run changes nothing.
func TestMigrateFresh(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		got := schemaSnapshot(t, tdb.DB)
		if want := readSchemaFile(t, tdb.Dialect); !slices.Equal(got, want) {
			t.Fatalf("Go's schema differs from Django's (%s):\n%s", schemaFile(tdb.Dialect), diffLines(want, got))
		}
		rows := migrationRows(t, tdb.DB)
		if len(rows) != 26 || !slices.Contains(rows, "token_blacklist.0013_alter_blacklistedtoken_options_and_more") ||
			slices.Contains(rows, "token_blacklist.0009_auto_20210525_2224") || !slices.Contains(rows, "auth.0012_alter_user_first_name_max_length") {
			t.Fatalf("django_migrations = %q", rows)
		}
		if err := Migrate(context.Background(), tdb.DB); err != nil {
			t.Fatal(err)
		}
		if again := schemaSnapshot(t, tdb.DB); !slices.Equal(got, again) {
			t.Fatalf("second Migrate changed the schema:\n%s", diffLines(got, again))
		}
		if again := migrationRows(t, tdb.DB); !slices.Equal(rows, again) {
			t.Fatalf("second Migrate recorded %q", again)
		}
	})
}

// TestDjangoSchemaFiles checks (or with -update-django-schema rewrites) the committed schema
// snapshots against databases migrated by Django itself.
func TestDjangoSchemaFiles(t *testing.T) {
	forEachDB(t, false, func(t *testing.T, tdb *testDB) {
		needDjango(t, tdb.Dialect)
		tdb.django(t, nil, "migrate")
		if *updateDjangoSchema {
			writeSchemaFile(t, tdb)
			t.Logf("wrote %s", schemaFile(tdb.Dialect))
		}
		got := schemaSnapshot(t, tdb.DB)
		if want := readSchemaFile(t, tdb.Dialect); !slices.Equal(got, want) {
			t.Fatalf("%s is stale against this Django (run with -update-django-schema):\n%s", schemaFile(tdb.Dialect), diffLines(want, got))
		}
	})
}

// TestMigrateOnDjangoSchemaFromDump is (b) without Python: a database made from the committed
// Django dump is left alone by Migrate, and the stores work on it.
func TestMigrateOnDjangoSchemaFromDump(t *testing.T) {
	tdb := loadSQLiteDump(t)
	before := sqliteMaster(t, tdb.DB)
	if err := Migrate(context.Background(), tdb.DB); err != nil {
		t.Fatal(err)
	}
	if after := sqliteMaster(t, tdb.DB); !slices.Equal(before, after) {
		t.Fatalf("Migrate changed a Django schema:\n%s", diffLines(before, after))
	}
	if rows := migrationRows(t, tdb.DB); len(rows) != 0 {
		t.Fatalf("Migrate recorded %q on a database whose tables all exist", rows)
	}
	exerciseStores(t, tdb)
}

// exerciseStores runs a short session through both stores on tdb.
func exerciseStores(t *testing.T, tdb *testDB) {
	t.Helper()
	ctx := context.Background()
	f := newTokenFixture(t, tdb)
	_ = f.alice.SetPasswordWith(f.users.Hashers(), "pw")
	if err := tdb.DB.Model(f.alice).UpdateColumn("password", f.alice.Password).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.users.Authenticate(ctx, "alice", "pw"); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	r := rec("exercise", f.users.UserID(f.alice), time.Now().Add(-time.Minute))
	if created, err := f.tokens.Blacklist(ctx, r); err != nil || !created {
		t.Fatalf("Blacklist = %v, %v", created, err)
	}
	if n, err := f.tokens.FlushExpired(ctx, time.Now(), 0); err != nil || n != 1 {
		t.Fatalf("FlushExpired = %d, %v", n, err)
	}
}

// TestDjangoMadeSchema is (b): Django's own migrations make the schema; Migrate then changes
// nothing, and Go and Django read and write each other's rows.
func TestDjangoMadeSchema(t *testing.T) {
	forEachDB(t, false, func(t *testing.T, tdb *testDB) {
		needDjango(t, tdb.Dialect)
		ctx := context.Background()
		tdb.django(t, nil, "migrate")
		before, rowsBefore := schemaSnapshot(t, tdb.DB), migrationRows(t, tdb.DB)
		if err := Migrate(ctx, tdb.DB); err != nil {
			t.Fatal(err)
		}
		if after := schemaSnapshot(t, tdb.DB); !slices.Equal(before, after) {
			t.Fatalf("Migrate changed Django's schema:\n%s", diffLines(before, after))
		}
		if rows := migrationRows(t, tdb.DB); !slices.Equal(rowsBefore, rows) {
			t.Fatalf("Migrate wrote django_migrations:\n%s", diffLines(rowsBefore, rows))
		}

		// A user Django made (PBKDF2 at Django 3.2's 260,000 iterations) logs in through Go,
		// which re-hashes to its own preferred hasher; Django still accepts the new hash.
		var bob struct{ ID int64 }
		tdb.django(t, &bob, "create-user", "bob", "bob's password")
		tdb.django(t, nil, "create-user", "ivan", "ivan's password", "inactive")
		h, runs := countedHashers()
		users, _ := NewUserStore(tdb.DB, UserStoreOptions{Hashers: h})
		u, err := users.Authenticate(ctx, "bob", "bob's password")
		if err != nil {
			t.Fatalf("Go could not authenticate a Django user: %v", err)
		}
		if u.(*User).ID != bob.ID || !strings.HasPrefix(u.GetPassword(), "pbkdf2_sha256$10$") || runs.Load() != 2 {
			t.Fatalf("got %+v after %d hasher runs; want bob re-hashed at 10 iterations (check + make)", u, runs.Load())
		}
		if _, err := users.Authenticate(ctx, "ivan", "ivan's password"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("inactive Django user: %v", err)
		}
		if err := users.UpdateLastLogin(ctx, u, time.Now()); err != nil {
			t.Fatal(err)
		}
		var auth struct {
			OK bool
			ID int64
		}
		tdb.django(t, &auth, "authenticate", "bob", "bob's password")
		if !auth.OK || auth.ID != bob.ID {
			t.Fatalf("Django rejects the hash Go wrote: %+v", auth)
		}

		// Go writes outstanding and blacklist rows; Django's ORM reads them. The times count from
		// now (the row must outlive Django's flush below); the fraction .409586 checks that
		// Django reads back Go's text for a created_at with microseconds.
		tokens := NewTokenStore(tdb.DB, users)
		created := time.Now().UTC().Truncate(time.Second).Add(409586 * time.Microsecond)
		exp := created.Add(24 * time.Hour).Truncate(time.Second)
		r := TokenRecord{JTI: "go-made", UserID: users.UserID(u), Token: "eyJ.go", CreatedAt: created, ExpiresAt: exp}
		if err := tokens.Outstand(ctx, r); err != nil {
			t.Fatal(err)
		}
		var row struct {
			UserID    *int64 `json:"user_id"`
			Token     string
			CreatedAt string `json:"created_at"`
			ExpiresAt string `json:"expires_at"`
		}
		tdb.django(t, &row, "outstanding", "go-made")
		if row.UserID == nil || *row.UserID != bob.ID || row.Token != "eyJ.go" ||
			row.CreatedAt != created.Format("2006-01-02T15:04:05.000000-07:00") || row.ExpiresAt != exp.Format("2006-01-02T15:04:05-07:00") {
			t.Fatalf("Django read %+v", row)
		}
		if c, err := tokens.Blacklist(ctx, r); err != nil || !c {
			t.Fatalf("Blacklist = %v, %v", c, err)
		}
		var bl bool
		if tdb.django(t, &bl, "blacklisted", "go-made"); !bl {
			t.Fatal("Django does not see Go's blacklist row")
		}

		// Django writes an outstanding row; Go blacklists it.
		tdb.django(t, nil, "outstand", "django-made", fmt.Sprint(bob.ID), fmt.Sprint(time.Now().Add(time.Hour).Unix()))
		if c, err := tokens.Blacklist(ctx, TokenRecord{JTI: "django-made", ExpiresAt: time.Now().Add(time.Hour)}); err != nil || !c {
			t.Fatalf("Blacklist(django-made) = %v, %v", c, err)
		}
		if tdb.django(t, &bl, "blacklisted", "django-made"); !bl {
			t.Fatal("Django does not see the blacklisting of its own row")
		}

		// Django's flushexpiredtokens removes a row Go wrote once it expired (on SQLite this
		// depends on Go writing Django's text format), and Go's flush removes Django's.
		if err := tokens.Outstand(ctx, TokenRecord{JTI: "go-expired", Token: "t", ExpiresAt: time.Now().Add(-time.Second)}); err != nil {
			t.Fatal(err)
		}
		if _, err := tokens.Blacklist(ctx, TokenRecord{JTI: "go-expired", ExpiresAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		tdb.django(t, nil, "flush")
		var gone any
		if tdb.django(t, &gone, "outstanding", "go-expired"); gone != nil {
			t.Fatalf("Django's flush left Go's expired row: %v", gone)
		}
		tdb.django(t, nil, "outstand", "django-expired", "", fmt.Sprint(time.Now().Add(-time.Hour).Unix()))
		if n, err := tokens.FlushExpired(ctx, time.Now(), 0); err != nil || n != 1 {
			t.Fatalf("Go's flush of Django's expired row = %d, %v", n, err)
		}

		// Django deleting bob keeps his tokens (SET_NULL) and Go still refuses the blacklisted one.
		tdb.django(t, nil, "delete-user", fmt.Sprint(bob.ID))
		if isBL, err := tokens.IsBlacklisted(ctx, "go-made"); err != nil || !isBL {
			t.Fatalf("after Django deleted the user: IsBlacklisted = %v, %v", isBL, err)
		}
	})
}

// TestGoMadeSchemaThenDjango is (c): Go's Migrate on an empty database, then Django's migrate
// has nothing to apply, runs cleanly, and the data Go wrote is intact and readable by Django.
func TestGoMadeSchemaThenDjango(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		needDjango(t, tdb.Dialect)
		ctx := context.Background()
		h, _ := countedHashers()
		users, _ := NewUserStore(tdb.DB, UserStoreOptions{Hashers: h})
		alice := NewUser("alice")
		_ = alice.SetPasswordWith(h, "alice pw")
		if err := users.Create(ctx, alice); err != nil {
			t.Fatal(err)
		}
		tokens := NewTokenStore(tdb.DB, users)
		if err := tokens.Outstand(ctx, rec("go-1", users.UserID(alice), time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}

		var plan []string
		if tdb.django(t, &plan, "plan"); len(plan) != 0 {
			t.Fatalf("Django would apply %q on a database Go migrated", plan)
		}
		var shown map[string]map[string]bool
		tdb.django(t, &shown, "showmigrations")
		for app, migs := range shown {
			for name, applied := range migs {
				if !applied {
					t.Errorf("showmigrations: %s.%s not applied", app, name)
				}
			}
		}
		var out struct{ Output string }
		tdb.django(t, &out, "migrate")
		if !strings.Contains(out.Output, "No migrations to apply") {
			t.Fatalf("Django's migrate output:\n%s", out.Output)
		}
		var auth struct {
			OK bool
			ID int64
		}
		if tdb.django(t, &auth, "authenticate", "alice", "alice pw"); !auth.OK || auth.ID != alice.ID {
			t.Fatalf("Django cannot authenticate Go's user: %+v", auth)
		}
		var row map[string]any
		if tdb.django(t, &row, "outstanding", "go-1"); row == nil || row["user_id"] != float64(alice.ID) {
			t.Fatalf("Django read %v", row)
		}
		// Django's post_migrate filled content types and permissions into Go's tables.
		var perms int64
		tdb.DB.Raw("SELECT COUNT(*) FROM auth_permission").Scan(&perms)
		if perms == 0 {
			t.Fatal("Django's post_migrate could not fill auth_permission")
		}
	})
}

// TestMigrateAddsBlacklistToDjangoProject: a Django project without simplejwt's blacklist app
// (auth and contenttypes migrated by Django); Migrate adds only the token_blacklist tables and
// their migration records, and Django then agrees nothing is left to apply.
func TestMigrateAddsBlacklistToDjangoProject(t *testing.T) {
	forEachDB(t, false, func(t *testing.T, tdb *testDB) {
		needDjango(t, tdb.Dialect)
		tdb.django(t, nil, "migrate", "auth")
		before := migrationRows(t, tdb.DB)
		if err := Migrate(context.Background(), tdb.DB); err != nil {
			t.Fatal(err)
		}
		added := diffLines(before, migrationRows(t, tdb.DB))
		if strings.Count(added, "+ token_blacklist.") != 12 || strings.Contains(added, "auth.") || strings.Contains(added, "- ") {
			t.Fatalf("Migrate recorded:\n%s", added)
		}
		var plan []string
		if tdb.django(t, &plan, "plan"); len(plan) != 0 {
			t.Fatalf("Django would still apply %q", plan)
		}
		want := readSchemaFile(t, tdb.Dialect)
		if got := schemaSnapshot(t, tdb.DB); !slices.Equal(got, want) {
			t.Fatalf("schema differs from Django's:\n%s", diffLines(want, got))
		}
	})
}

func TestMigrateRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("one token table", func(t *testing.T) {
		tdb := newTestDB(t, "sqlite", true)
		tdb.DB.Exec("DROP TABLE " + BlacklistedTokenTable)
		err := Migrate(ctx, tdb.DB)
		if err == nil || errors.Is(err, ErrUnavailable) {
			t.Fatalf("Migrate = %v, want a refusal", err)
		}
	})
	t.Run("custom user model", func(t *testing.T) {
		tdb := newTestDB(t, "sqlite", false)
		ddl := migrationDDL["sqlite"]
		for _, s := range ddl.djangoMigrations {
			tdb.DB.Exec(s)
		}
		tdb.DB.Exec("INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2020-01-01 00:00:00')")
		err := Migrate(ctx, tdb.DB)
		if err == nil || errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "AUTH_USER_MODEL") {
			t.Fatalf("Migrate = %v, want a refusal naming AUTH_USER_MODEL", err)
		}
		var n int64
		tdb.DB.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'token_blacklist%' OR name = 'auth_user'").Scan(&n)
		if n != 0 {
			t.Fatal("Migrate created tables before refusing")
		}
	})
	t.Run("existing auth_user not made by Django", func(t *testing.T) {
		tdb := newTestDB(t, "sqlite", false)
		tdb.DB.Exec(`CREATE TABLE auth_user (id integer primary key, username text, password text, is_active bool, last_login datetime)`)
		if err := Migrate(ctx, tdb.DB); err != nil {
			t.Fatal(err)
		}
		var sql string
		tdb.DB.Raw("SELECT sql FROM sqlite_master WHERE name = 'auth_user'").Scan(&sql)
		if !strings.Contains(sql, "username text") {
			t.Fatalf("Migrate altered an existing auth_user: %s", sql)
		}
		if rows := migrationRows(t, tdb.DB); len(rows) != 12 || !strings.HasPrefix(rows[0], "token_blacklist.") {
			t.Fatalf("recorded %q; want only token_blacklist's", rows)
		}
	})
}

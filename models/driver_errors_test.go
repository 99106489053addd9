package models

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// liteCodeError is an error of a SQLite driver that gives its code by a method, as
// modernc.org/sqlite's *Error does (the extended result code).
type liteCodeError int

func (e liteCodeError) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e liteCodeError) Code() int     { return int(e) }

// TestClassifyDriverErrors: the drivers' errors are told apart without their types, through
// each of their wrappings.
func TestClassifyDriverErrors(t *testing.T) {
	on := func(d gorm.Dialector) *gorm.DB { return &gorm.DB{Config: &gorm.Config{Dialector: d}} }
	lite, pg, my := on(sqlite.Open("x.db")), on(postgres.New(postgres.Config{DSN: "x"})), on(gormmysql.New(gormmysql.Config{DSN: "x"}))
	cases := []struct {
		name string
		db   *gorm.DB
		err  error
		want errorKind
	}{
		{"sqlite busy", lite, sqlite3.Error{Code: sqlite3.ErrBusy, ExtendedCode: 5}, errBusy},
		{"sqlite busy snapshot", lite, sqlite3.Error{Code: sqlite3.ErrBusy, ExtendedCode: 517}, errBusy},
		{"sqlite locked", lite, sqlite3.Error{Code: sqlite3.ErrLocked, ExtendedCode: 6}, errBusy},
		{"sqlite unique", lite, sqlite3.Error{Code: sqlite3.ErrConstraint, ExtendedCode: sqlite3.ErrConstraintUnique}, errUnique},
		{"sqlite primary key", lite, sqlite3.Error{Code: sqlite3.ErrConstraint, ExtendedCode: sqlite3.ErrConstraintPrimaryKey}, errUnique},
		{"sqlite foreign key", lite, &sqlite3.Error{Code: sqlite3.ErrConstraint, ExtendedCode: sqlite3.ErrConstraintForeignKey}, errForeignKey},
		{"sqlite not null", lite, sqlite3.Error{Code: sqlite3.ErrConstraint, ExtendedCode: sqlite3.ErrConstraintNotNull}, errOther},
		{"sqlite io", lite, sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrRead}, errOther},
		{"sqlite by method busy", lite, liteCodeError(5), errBusy},
		{"sqlite by method unique", lite, liteCodeError(2067), errUnique},
		{"postgres deadlock", pg, &pgconn.PgError{Code: "40P01"}, errTransient},
		{"postgres serialization", pg, &pgconn.PgError{Code: "40001"}, errTransient},
		{"postgres unique", pg, &pgconn.PgError{Code: "23505"}, errUnique},
		{"postgres foreign key", pg, &pgconn.PgError{Code: "23503"}, errForeignKey},
		{"postgres undefined table", pg, &pgconn.PgError{Code: "42P01"}, errOther},
		{"mysql deadlock", my, &mysql.MySQLError{Number: 1213}, errTransient},
		{"mysql lock wait", my, &mysql.MySQLError{Number: 1205}, errTransient},
		{"mysql duplicate", my, &mysql.MySQLError{Number: 1062}, errUnique},
		{"mysql parent row", my, &mysql.MySQLError{Number: 1451}, errForeignKey},
		{"mysql child row", my, &mysql.MySQLError{Number: 1452}, errForeignKey},
		{"mysql no table", my, &mysql.MySQLError{Number: 1146}, errOther},
		{"gorm duplicated key", my, gorm.ErrDuplicatedKey, errUnique},
		{"gorm foreign key", lite, fmt.Errorf("x: %w", gorm.ErrForeignKeyViolated), errForeignKey},
		{"wrapped", pg, fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23505"}), errUnique},
		{"joined", lite, errors.Join(context.DeadlineExceeded, sqlite3.Error{Code: sqlite3.ErrBusy}), errBusy},
		{"in a DBError", my, &DBError{Op: "x", Err: &mysql.MySQLError{Number: 1213}}, errTransient},
		{"another dialect's error", lite, &mysql.MySQLError{Number: 1062}, errOther},
		{"plain", pg, errors.New("boom"), errOther},
		{"nil", pg, nil, errOther},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := classify(c.db, c.err); got != c.want {
				t.Errorf("classify(%s, %v) = %d, want %d", c.db.Dialector.Name(), c.err, got, c.want)
			}
		})
	}
}

// TestClassifyRealErrors: the violations the stores rely on, raised by each database, are
// recognised.
func TestClassifyRealErrors(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		at := NewDjangoTime(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
		insert := "INSERT INTO " + OutstandingTokenTable + " (jti, token, expires_at) VALUES ('j', 't', ?)"
		if err := tdb.DB.Exec(insert, at).Error; err != nil {
			t.Fatal(err)
		}
		dup := tdb.DB.Exec(insert, at).Error
		if got := classify(tdb.DB, dup); got != errUnique {
			t.Errorf("duplicate jti: %v classified %d, want unique", dup, got)
		}
		orphan := tdb.DB.Exec("INSERT INTO "+BlacklistedTokenTable+" (token_id, blacklisted_at) VALUES (999999, ?)", at).Error
		if got := classify(tdb.DB, orphan); got != errForeignKey {
			t.Errorf("blacklist row without its token: %v classified %d, want foreign key", orphan, got)
		}
		bad := tdb.DB.Exec("SELECT * FROM no_such_table").Error
		if got := classify(tdb.DB, bad); bad == nil || got != errOther {
			t.Errorf("missing table: %v classified %d, want other", bad, got)
		}
	})
}

// TestNoDatabaseDriver: package models links no database driver, so that a program that brings
// its own *gorm.DB links only its own (models/dburl has all three).
func TestNoDatabaseDriver(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/gin-simplejwt/simplejwt/models").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !strings.Contains(string(out), "gorm.io/gorm\n") {
		t.Fatalf("go list -deps listed %d packages, not models' dependencies:\n%s", len(deps), out)
	}
	for _, dep := range deps {
		for _, driver := range []string{"github.com/jackc/", "github.com/go-sql-driver/", "gorm.io/driver/", "github.com/mattn/go-sqlite3", "github.com/lib/pq", "modernc.org/sqlite", "github.com/glebarez/"} {
			if strings.HasPrefix(dep, driver) {
				t.Errorf("models depends on the driver package %s", dep)
			}
		}
	}
}

package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// ErrUserExists: Create was given a user whose username (or another unique column) is taken.
var ErrUserExists = errors.New("models: user already exists")

// UserModel is what GormUserStore needs from a user type: your own GORM model plugs in when its
// pointer implements this (Django's AUTH_USER_MODEL). The store reads the id, username and
// password columns through GORM's schema of the model, so only these methods are required.
type UserModel interface {
	AuthUser
	// SetPasswordHash replaces the encoded password hash in memory; the store saves the column
	// itself (re-hash on login).
	SetPasswordHash(encoded string)
}

// GormUserStore is the UserStore on a GORM database: Django's get_user_model() and ModelBackend.
// It is safe for concurrent use. Every call runs on db.WithContext(ctx); every database failure
// is a *DBError matching ErrUnavailable.
//
// Security notes:
//   - column and table names are validated at construction (^[A-Za-z_][A-Za-z0-9_]*$) and every
//     lookup is an explicit `"column" = ?` condition, so no zero value can drop the WHERE
//     (GORM's Where(&User{}) with a zero field would match every row) and no input reaches the
//     SQL text;
//   - ids and usernames that cannot be values of their column (wrong type, NUL, invalid UTF-8,
//     too long, out of the integer column's range) are refused before any query: PostgreSQL would otherwise fail on NUL and
//     invalid UTF-8 and turn a bad credential into a 503;
//   - usernames match exactly: after the `=` lookup the stored value is compared byte for byte,
//     so MySQL's case- and trailing-space-insensitive collations cannot log "Admin " in as
//     "admin" (Django on MySQL would);
//   - every Authenticate failure runs the hasher exactly once (see Authenticate).
type GormUserStore struct {
	db            *gorm.DB
	table         string
	newModel      func() UserModel
	modelType     reflect.Type // the pointer type New returns
	schema        *schema.Schema
	idField       *schema.Field
	pkField       *schema.Field
	usernameField *schema.Field
	passwordField *schema.Field
	lastLogin     *schema.Field // nil: UpdateLastLogin does nothing
	hashers       *hashers.List
	allowInactive bool
	parseID       func(string) (any, error)
	formatID      func(any) string
	maxUsername   int
	timeout       time.Duration
	info          *dbInfo
	backend       ModelBackend
	schemas       sync.Map      // reflect.Type → *schema.Schema, for UserID of other model types
	auth          [2]*authQuery // GetByIDForAuth without and with the password; nil: GetByID
	sqlDB         *sql.DB       // where the auth queries are prepared
	pkSubquery    string        // the pk by USER_ID_FIELD as a scalar subquery (see ResolveUserPK)
}

// NewUserStore returns a UserStore on db. It returns an error when opts name a column the model
// does not have, or a name that is not a plain SQL identifier.
func NewUserStore(db *gorm.DB, opts UserStoreOptions) (*GormUserStore, error) {
	if db == nil {
		return nil, errors.New("models: NewUserStore: nil *gorm.DB")
	}
	opts = opts.withDefaults()
	s := &GormUserStore{
		db:            db,
		newModel:      opts.New,
		hashers:       opts.Hashers,
		allowInactive: opts.AllowInactive,
		parseID:       opts.ParseID,
		formatID:      opts.FormatID,
		maxUsername:   opts.MaxUsernameLength,
		timeout:       opts.Timeout,
		info:          infoOf(db),
	}
	if err := s.parseModel(opts.Table); err != nil {
		return nil, fmt.Errorf("models: NewUserStore: %w", err)
	}
	if err := s.resolveColumns(opts); err != nil {
		return nil, fmt.Errorf("models: NewUserStore: %w", err)
	}
	s.setupAuthQueries()
	s.pkSubquery = s.buildPKSubquery()
	s.backend = ModelBackend{Store: gormPasswords{s}, Hashers: s.hashers, AllowInactive: s.allowInactive, MaxUsernameLength: s.maxUsername}
	return s, nil
}

// start begins one call: see startCall.
func (s *GormUserStore) start(ctx context.Context) (context.Context, call) {
	return startCall(ctx, s.timeout, s.info)
}

// write runs f as one writing call (see write), its failure a *DBError of op.
func (s *GormUserStore) write(ctx context.Context, op string, f func(tx *gorm.DB) error) (err error) {
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	return unavailable(op, retry(ctx, s.db, op, func() error { return write(ctx, s.db, s.info, f) }))
}

func (s *GormUserStore) session(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Session(&gorm.Session{SkipDefaultTransaction: true})
}

func eq(column string, v any) clause.Eq {
	return clause.Eq{Column: clause.Column{Name: column}, Value: v}
}

// find loads the user whose column equals v into a new model; found is false when there is none.
func (s *GormUserStore) find(ctx context.Context, op, column string, v any) (_ UserModel, _ bool, err error) {
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	m := s.newModel()
	res := s.session(ctx).Table(s.table).Where(eq(column, v)).Limit(1).Find(m)
	if res.Error != nil {
		return nil, false, unavailable(op, res.Error)
	}
	return m, res.RowsAffected > 0, nil
}

// Create inserts u (a value of the store's model type). A taken username is ErrUserExists.
func (s *GormUserStore) Create(ctx context.Context, u UserModel) error {
	if reflect.TypeOf(u) != s.modelType {
		return fmt.Errorf("models: Create: got %T, want %s", u, s.modelType)
	}
	err := s.write(ctx, "create user", func(tx *gorm.DB) error { return tx.Table(s.table).Create(u).Error })
	if err != nil {
		if isUniqueViolation(s.db, err) {
			return ErrUserExists
		}
		return unavailable("create user", err)
	}
	return nil
}

// Hashers returns the store's hashers.
func (s *GormUserStore) Hashers() *hashers.List { return s.hashers }

// Table returns the user table's name.
func (s *GormUserStore) Table() string { return s.table }

var (
	_ UserStore      = (*GormUserStore)(nil)
	_ UserPKResolver = (*GormUserStore)(nil)
	_ AuthUser       = (*User)(nil)
	_ fmt.Stringer   = (*User)(nil)
)

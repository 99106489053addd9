package models

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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

// UserStoreOptions configures NewUserStore. The zero value is Django's default user: auth_user,
// USER_ID_FIELD "id", USERNAME_FIELD "username", hashers.Default(), ModelBackend.
type UserStoreOptions struct {
	// New returns a new, empty user model (a pointer to a GORM model struct). Default:
	// func() UserModel { return new(User) }.
	New func() UserModel
	// Table is the user table. Default: the model's table name (TableName(), "auth_user" for User).
	// It may be schema-qualified ("accounts.users").
	Table string
	// IDField is simplejwt's USER_ID_FIELD: the column the user_id claim names. Default "id".
	IDField string
	// UsernameField is Django's USERNAME_FIELD: the column Authenticate looks users up by.
	// Default "username".
	UsernameField string
	// PasswordField is the column of the encoded password hash. Default "password".
	PasswordField string
	// LastLoginField is the column UpdateLastLogin sets. Default "last_login"; "-" for none
	// (UpdateLastLogin then does nothing).
	LastLoginField string
	// Hashers is Django's PASSWORD_HASHERS. Default hashers.Default().
	Hashers *hashers.List
	// AllowInactive is Django's AllowAllUsersModelBackend: inactive users may authenticate.
	// The default (false) is ModelBackend, which refuses them after the password check.
	AllowInactive bool
	// ParseID converts the user_id claim (text) to a value of the IDField column, or returns
	// an error when the text cannot be one; GetByID then answers ErrUserNotFound without a
	// query. Default: integer columns accept canonical decimal text only ("1", not "01",
	// "+1", "1.0" or " 1"; the token layer turns the JSON number 1.0 into "1"); string columns
	// accept non-empty valid UTF-8 without NUL, up to the column's size. Other column types
	// need a ParseID. The result must be a single value (not a slice or map).
	ParseID func(text string) (any, error)
	// FormatID is the inverse of ParseID: the claim text for a value of the IDField column.
	// Default: decimal for integers, the string itself for strings.
	FormatID func(value any) string
	// MaxUsernameLength is the longest username, in characters, that is looked up at all.
	// Default: the username column's size tag, or 150 (Django's max_length) when it has none.
	MaxUsernameLength int
	// Timeout is the deadline of each call (see DefaultTimeout, the default): the wait for a
	// pooled connection, for locks and for retries together. Authenticate's password hash is
	// not counted.
	Timeout time.Duration
}

// GormUserStore is the UserStore on a GORM database: Django's get_user_model() and ModelBackend.
// It is safe for concurrent use. Every call runs on db.WithContext(ctx); every database failure
// is a *DBError matching ErrUnavailable.
//
// Security notes:
//   - column and table names are validated at construction (^[A-Za-z_][A-Za-z0-9_]*$) and every
//     lookup is an explicit `"column" = ?` condition, so no zero value can drop the WHERE
//     (SECURITY.md 0.3) and no input reaches the SQL text;
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
	schemas       sync.Map // reflect.Type → *schema.Schema, for UserID of other model types
}

var identifierRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func validIdentifier(name string) bool { return identifierRE.MatchString(name) }

func validTableName(name string) bool {
	parts := strings.Split(name, ".")
	if len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if !validIdentifier(p) {
			return false
		}
	}
	return true
}

// NewUserStore returns a UserStore on db. It returns an error when opts name a column the model
// does not have, or a name that is not a plain SQL identifier.
func NewUserStore(db *gorm.DB, opts UserStoreOptions) (*GormUserStore, error) {
	if db == nil {
		return nil, errors.New("models: NewUserStore: nil *gorm.DB")
	}
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
	if s.newModel == nil {
		s.newModel = func() UserModel { return new(User) }
	}
	if s.hashers == nil {
		s.hashers = defaultHashers()
	}
	sample := s.newModel()
	if sample == nil {
		return nil, errors.New("models: NewUserStore: New returned nil")
	}
	s.modelType = reflect.TypeOf(sample)
	if s.modelType.Kind() != reflect.Pointer || s.modelType.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("models: NewUserStore: New must return a pointer to a struct, not %s", s.modelType)
	}
	sch, err := schema.Parse(sample, &sync.Map{}, db.NamingStrategy)
	if err != nil {
		return nil, fmt.Errorf("models: NewUserStore: %w", err)
	}
	s.schema = sch
	s.table = opts.Table
	if s.table == "" {
		s.table = sch.Table
	}
	if !validTableName(s.table) {
		return nil, fmt.Errorf("models: NewUserStore: invalid table name %q", s.table)
	}

	field := func(option, name, def string) (*schema.Field, error) {
		if name == "" {
			name = def
		}
		if !validIdentifier(name) {
			return nil, fmt.Errorf("models: NewUserStore: %s %q is not a valid column name", option, name)
		}
		f := sch.LookUpField(name)
		if f == nil || f.DBName == "" {
			return nil, fmt.Errorf("models: NewUserStore: %s %q is not a column of %s", option, name, sch.Name)
		}
		return f, nil
	}
	if s.idField, err = field("IDField", opts.IDField, "id"); err != nil {
		return nil, err
	}
	if s.usernameField, err = field("UsernameField", opts.UsernameField, "username"); err != nil {
		return nil, err
	}
	if s.passwordField, err = field("PasswordField", opts.PasswordField, "password"); err != nil {
		return nil, err
	}
	if opts.LastLoginField != "-" {
		if s.lastLogin, err = field("LastLoginField", opts.LastLoginField, "last_login"); err != nil {
			return nil, err
		}
	}
	s.pkField = sch.PrioritizedPrimaryField
	if s.pkField == nil {
		s.pkField = s.idField
	}
	if !validIdentifier(s.pkField.DBName) {
		return nil, fmt.Errorf("models: NewUserStore: primary key %q is not a valid column name", s.pkField.DBName)
	}
	if s.usernameField.FieldType.Kind() != reflect.String {
		return nil, fmt.Errorf("models: NewUserStore: UsernameField %q must be a string column", s.usernameField.DBName)
	}
	if s.maxUsername <= 0 {
		s.maxUsername = s.usernameField.Size
		if s.maxUsername <= 0 {
			s.maxUsername = defaultMaxUsername
		}
	}
	if s.parseID == nil {
		if s.parseID, err = defaultParseID(s.idField); err != nil {
			return nil, err
		}
	}
	if s.formatID == nil {
		s.formatID = formatIDValue
	}
	s.backend = ModelBackend{Store: gormPasswords{s}, Hashers: s.hashers, AllowInactive: s.allowInactive, MaxUsernameLength: s.maxUsername}
	return s, nil
}

// defaultParseID is ParseID for integer and string id columns.
func defaultParseID(f *schema.Field) (func(string) (any, error), error) {
	t := f.FieldType
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	errBadID := errors.New("models: not a valid user id")
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := columnBits(f, t)
		return func(text string) (any, error) {
			n, err := strconv.ParseInt(text, 10, bits)
			if err != nil || strconv.FormatInt(n, 10) != text {
				return nil, errBadID
			}
			return n, nil
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		bits := columnBits(f, t)
		return func(text string) (any, error) {
			n, err := strconv.ParseUint(text, 10, bits)
			if err != nil || strconv.FormatUint(n, 10) != text {
				return nil, errBadID
			}
			return n, nil
		}, nil
	case reflect.String:
		size := f.Size
		if size <= 0 {
			size = 255
		}
		return func(text string) (any, error) {
			if !validText(text, size) {
				return nil, errBadID
			}
			return text, nil
		}, nil
	default:
		return nil, fmt.Errorf("models: NewUserStore: IDField %q has type %s; set UserStoreOptions.ParseID", f.DBName, f.FieldType)
	}
}

// columnBits is the width of an integer column: the field's size tag when it narrows the Go
// type (User.ID is int64 on a 32-bit column), else the Go type's.
func columnBits(f *schema.Field, t reflect.Type) int {
	if f.Size > 0 && f.Size < t.Bits() {
		return f.Size
	}
	return t.Bits()
}

// validText reports whether s can be compared with a text column: non-empty, valid UTF-8,
// no NUL, at most max characters.
func validText(s string, max int) bool {
	return s != "" && len(s) <= 4*max && utf8.ValidString(s) && !strings.ContainsRune(s, 0) &&
		utf8.RuneCountInString(s) <= max
}

func formatIDValue(v any) string {
	switch x := reflect.ValueOf(v); x.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(x.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(x.Uint(), 10)
	case reflect.String:
		return x.String()
	case reflect.Pointer:
		if x.IsNil() {
			return ""
		}
		return formatIDValue(x.Elem().Interface())
	default:
		if s, ok := v.(fmt.Stringer); ok {
			return s.String()
		}
		return fmt.Sprint(v)
	}
}

// lookupValue checks a ParseID result: one plain value, never something GORM would expand into
// several (a slice becomes IN (...)) or splice into the SQL (an expression or a *gorm.DB).
func lookupValue(v any) bool {
	switch v.(type) {
	case nil, clause.Expression, *gorm.DB, []any:
		return false
	case []byte:
		return true
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Slice, reflect.Map, reflect.Func, reflect.Chan, reflect.Interface:
		return false
	}
	return true
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

// GetByID returns the user whose IDField equals the user_id claim id. Text that cannot be a
// value of the column ("", "abc", "1 OR 1=1", a number out of range) is ErrUserNotFound without
// a query.
func (s *GormUserStore) GetByID(ctx context.Context, id string) (AuthUser, error) {
	v, err := s.parseID(id)
	if err != nil || !lookupValue(v) {
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
	v, err := s.parseID(userID)
	if err != nil || !lookupValue(v) {
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

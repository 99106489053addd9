package models

import (
	"cmp"
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

// withDefaults fills the options that have a default independent of the model.
func (o UserStoreOptions) withDefaults() UserStoreOptions {
	if o.New == nil {
		o.New = func() UserModel { return new(User) }
	}
	if o.Hashers == nil {
		o.Hashers = defaultHashers()
	}
	if o.FormatID == nil {
		o.FormatID = formatIDValue
	}
	return o
}

// parseModel reads the model's GORM schema and the table (table, or the model's own).
func (s *GormUserStore) parseModel(table string) error {
	sample := s.newModel()
	if sample == nil {
		return errors.New("the New option returned nil")
	}
	s.modelType = reflect.TypeOf(sample)
	if s.modelType.Kind() != reflect.Pointer || s.modelType.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("the New option must return a pointer to a struct, not %s", s.modelType)
	}
	sch, err := schema.Parse(sample, &sync.Map{}, s.db.NamingStrategy)
	if err != nil {
		return err
	}
	s.schema, s.table = sch, table
	if s.table == "" {
		s.table = sch.Table
	}
	if !validTableName(s.table) {
		return fmt.Errorf("invalid table name %q", s.table)
	}
	return nil
}

// resolveColumns finds the configured columns in the schema and the defaults that depend on
// them: the primary key, the longest username, ParseID.
func (s *GormUserStore) resolveColumns(opts UserStoreOptions) (err error) {
	for _, c := range []struct {
		option, name, def string
		field             **schema.Field
	}{
		{"IDField", opts.IDField, "id", &s.idField},
		{"UsernameField", opts.UsernameField, "username", &s.usernameField},
		{"PasswordField", opts.PasswordField, "password", &s.passwordField},
		{"LastLoginField", opts.LastLoginField, "last_login", &s.lastLogin},
	} {
		if c.name == "-" && c.option == "LastLoginField" {
			continue
		}
		if *c.field, err = s.column(c.option, c.name, c.def); err != nil {
			return err
		}
	}
	if s.pkField = s.schema.PrioritizedPrimaryField; s.pkField == nil {
		s.pkField = s.idField
	}
	if !validIdentifier(s.pkField.DBName) {
		return fmt.Errorf("primary key %q is not a valid column name", s.pkField.DBName)
	}
	if s.usernameField.FieldType.Kind() != reflect.String {
		return fmt.Errorf("UsernameField %q must be a string column", s.usernameField.DBName)
	}
	if s.maxUsername <= 0 {
		s.maxUsername = s.usernameField.Size
		if s.maxUsername <= 0 {
			s.maxUsername = defaultMaxUsername
		}
	}
	if s.parseID == nil {
		s.parseID, err = defaultParseID(s.idField)
	}
	return err
}

// column is the schema field of the column name (def when name is ""), option naming the
// UserStoreOptions field in errors.
func (s *GormUserStore) column(option, name, def string) (*schema.Field, error) {
	name = cmp.Or(name, def)
	if !validIdentifier(name) {
		return nil, fmt.Errorf("%s %q is not a valid column name", option, name)
	}
	f := s.schema.LookUpField(name)
	if f == nil || f.DBName == "" {
		return nil, fmt.Errorf("%s %q is not a column of %s", option, name, s.schema.Name)
	}
	return f, nil
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
		return nil, fmt.Errorf("IDField %q has type %s; set UserStoreOptions.ParseID", f.DBName, f.FieldType)
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

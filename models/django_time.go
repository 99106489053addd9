package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// djangoTimeLayout is Python's str(datetime) for a naive UTC datetime: what Django's SQLite
// backend writes. The fraction is omitted when it is zero, exactly as Python does.
const (
	djangoTimeLayout     = "2006-01-02 15:04:05"
	djangoTimeLayoutFrac = "2006-01-02 15:04:05.000000"
)

// DjangoTime is a time stored the way Django stores a DateTimeField with USE_TZ=True: in UTC,
// to the microsecond. On SQLite that is the text "YYYY-MM-DD HH:MM:SS.ffffff" (a space, no zone,
// the fraction omitted when it is zero, as Python's str(datetime) does), and Django compares
// those texts as text (flushexpiredtokens runs `expires_at <= '2026-11-24 00:14:00.409586'`), so
// any other spelling would sort wrongly. On PostgreSQL (timestamptz) and MySQL (datetime(6)) it
// is bound as a time.Time in UTC.
//
// The zero DjangoTime is the zero time.Time. Use *DjangoTime for a nullable column.
type DjangoTime struct {
	time.Time
}

// NewDjangoTime returns t in UTC, truncated to the microsecond (Python's precision).
func NewDjangoTime(t time.Time) DjangoTime {
	return DjangoTime{Time: t.UTC().Truncate(time.Microsecond)}
}

// DjangoTimePtr is NewDjangoTime for a nullable column; the zero time gives nil.
func DjangoTimePtr(t time.Time) *DjangoTime {
	if t.IsZero() {
		return nil
	}
	d := NewDjangoTime(t)
	return &d
}

// String returns the Django text form.
func (t DjangoTime) String() string {
	u := t.Time.UTC().Truncate(time.Microsecond)
	if u.Nanosecond() == 0 {
		return u.Format(djangoTimeLayout)
	}
	return u.Format(djangoTimeLayoutFrac)
}

// Value returns the Django text form (right for SQLite, and read correctly by MySQL). Through
// GORM, GormValue is used instead and binds a time.Time on PostgreSQL and MySQL.
func (t DjangoTime) Value() (driver.Value, error) {
	return t.String(), nil
}

// GormValue binds the text form on SQLite and a UTC time.Time elsewhere.
func (t DjangoTime) GormValue(_ context.Context, db *gorm.DB) clause.Expr {
	dialect := "sqlite"
	if db != nil && db.Dialector != nil {
		dialect = db.Dialector.Name()
	}
	return clause.Expr{SQL: "?", Vars: []any{t.bind(dialect)}}
}

// bind is the value t is bound as on dialect: the text form on SQLite, a UTC time.Time elsewhere.
func (t DjangoTime) bind(dialect string) any {
	if dialect != "sqlite" {
		return t.Time.UTC().Truncate(time.Microsecond)
	}
	return t.String()
}

// GormDBDataType gives Django's column type, for models that AutoMigrate a DjangoTime.
func (DjangoTime) GormDBDataType(db *gorm.DB, _ *schema.Field) string {
	switch db.Dialector.Name() {
	case "postgres":
		return "timestamp with time zone"
	case "mysql":
		return "datetime(6)"
	default:
		return "datetime"
	}
}

// Scan reads a time.Time (PostgreSQL, MySQL with parseTime, SQLite columns declared datetime)
// or Django's text (SQLite), in any of the spellings SQLite's own date functions accept.
func (t *DjangoTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case nil:
		t.Time = time.Time{}
		return nil
	default:
		return fmt.Errorf("models: cannot read %T as a datetime", src)
	}
}

var djangoTimeParseLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

func (t *DjangoTime) parse(s string) error {
	s = strings.TrimSpace(s)
	for _, layout := range djangoTimeParseLayouts {
		if v, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("models: cannot read %q as a datetime", s)
}

package models

import (
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// User is Django's django.contrib.auth.models.User on its auth_user table. Columns are addressed
// by name (Django's physical column order differs between databases and history); the types are
// Django's auth_user (Django ≥ 3.2): varchar(128) password, varchar(150) username/first_name/last_name,
// varchar(254) email, bool flags, and datetimes stored as Django stores them (DjangoTime).
//
// ID is an int64 in Go but the column is Django's 32-bit integer (the size:32 tag): ids outside
// that range are refused before any query (PostgreSQL would reject them as parameters).
//
// The Password field holds the encoded hash ("pbkdf2_sha256$..."), never a raw password: use
// SetPassword. A *User is an AuthUser.
type User struct {
	ID          int64       `gorm:"column:id;primaryKey;autoIncrement;size:32"` // Django's AutoField: integer
	Password    string      `gorm:"column:password;size:128;not null"`
	LastLogin   *DjangoTime `gorm:"column:last_login"`
	IsSuperuser bool        `gorm:"column:is_superuser;not null"`
	Username    string      `gorm:"column:username;size:150;not null;unique"`
	FirstName   string      `gorm:"column:first_name;size:150;not null"`
	LastName    string      `gorm:"column:last_name;size:150;not null"`
	Email       string      `gorm:"column:email;size:254;not null"`
	IsStaff     bool        `gorm:"column:is_staff;not null"`
	IsActive    bool        `gorm:"column:is_active;not null"`
	DateJoined  DjangoTime  `gorm:"column:date_joined;not null"`
}

// NewUser returns a user as Django's create_user makes one before its password is set: active
// (is_active defaults to True in Django, false in a Go zero value), joined now, with an unusable
// password. Set the password with SetPassword.
func NewUser(username string) *User {
	u := &User{Username: username, IsActive: true, DateJoined: NewDjangoTime(time.Now())}
	u.SetUnusablePassword()
	return u
}

// BeforeCreate fills Django's defaults that a Go zero value would get wrong: date_joined
// (default=timezone.now) and the password ("" would be a usable-looking empty hash; Django
// stores an unusable one). It is a GORM hook.
func (u *User) BeforeCreate(*gorm.DB) error {
	if u.DateJoined.IsZero() {
		u.DateJoined = NewDjangoTime(time.Now())
	}
	if u.Password == "" {
		u.SetUnusablePassword()
	}
	return nil
}

// TableName is Django's db_table for auth.User.
func (*User) TableName() string { return "auth_user" }

// defaultHashers is the list that User's password methods use when none is given: Django's
// default PASSWORD_HASHERS (hashers.Default), built once. It is never reassigned. Pass your own
// with SetPasswordWith/CheckPasswordWith, or to a store through UserStoreOptions.Hashers.
var defaultHashers = sync.OnceValue(hashers.Default)

// SetPassword is Django's set_password: it stores the hash of raw made by the default hashers
// (hashers.Default: PBKDF2-SHA256 with Django 6.1's iteration count). The row is not saved.
// It returns ErrPasswordTooLong above hashers.MaxPasswordLength bytes.
func (u *User) SetPassword(raw string) error { return u.SetPasswordWith(defaultHashers(), raw) }

// SetPasswordWith is SetPassword with the given hashers' preferred hasher.
func (u *User) SetPasswordWith(h *hashers.List, raw string) error {
	encoded, err := h.MakePassword(raw)
	if err != nil {
		return err
	}
	u.Password = encoded
	return nil
}

// CheckPassword is Django's check_password without the re-hash: it reports whether raw matches
// the stored hash, using the default hashers. An unusable or empty hash never matches (and
// still costs one hash, as Django). Stores re-hash on login; see GormUserStore.Authenticate.
func (u *User) CheckPassword(raw string) (bool, error) {
	return u.CheckPasswordWith(defaultHashers(), raw)
}

// CheckPasswordWith is CheckPassword with the given hashers.
func (u *User) CheckPasswordWith(h *hashers.List, raw string) (bool, error) {
	ok, _, err := h.CheckPassword(raw, u.Password)
	return ok, err
}

// IsPasswordUsable is Django's has_usable_password.
func (u *User) IsPasswordUsable() bool { return hashers.IsPasswordUsable(u.Password) }

// SetUnusablePassword is Django's set_unusable_password: "!" and 40 random characters.
func (u *User) SetUnusablePassword() { u.Password = hashers.MakeUnusablePassword() }

// GetIsActive reports is_active (AuthUser).
func (u *User) GetIsActive() bool { return u.IsActive }

// GetPassword returns the encoded password hash (AuthUser).
func (u *User) GetPassword() string { return u.Password }

// SetPasswordHash stores an already encoded hash (UserModel); stores use it to re-hash.
func (u *User) SetPasswordHash(encoded string) { u.Password = encoded }

// GetUsername returns the username (Django's get_username for USERNAME_FIELD "username").
func (u *User) GetUsername() string { return u.Username }

// String is Django's __str__: the username.
func (u *User) String() string { return u.Username }

var _ UserModel = (*User)(nil)

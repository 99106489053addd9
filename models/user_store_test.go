package models_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// CustomUser is a Django custom user model (AUTH_USER_MODEL = "accounts.CustomUser") with a UUID
// primary key and USERNAME_FIELD = "email", as Django lays it out on SQLite and MySQL: the UUID
// is char(32), hex without dashes.
type CustomUser struct {
	ID        string             `gorm:"column:id;primaryKey;type:char(32)"`
	Email     string             `gorm:"column:email;size:254;not null;uniqueIndex"`
	Password  string             `gorm:"column:password;size:128;not null"`
	LastLogin *models.DjangoTime `gorm:"column:last_login"`
	IsActive  bool               `gorm:"column:is_active;not null"`
}

func (*CustomUser) TableName() string          { return "accounts_customuser" }
func (u *CustomUser) GetIsActive() bool        { return u.IsActive }
func (u *CustomUser) GetPassword() string      { return u.Password }
func (u *CustomUser) SetPasswordHash(p string) { u.Password = p }

// parseUUID accepts a UUID with or without dashes and returns Django's stored form (32
// lower-case hex digits); anything else is not an id.
func parseUUID(text string) (any, error) {
	s := strings.ToLower(strings.ReplaceAll(text, "-", ""))
	if b, err := hex.DecodeString(s); err != nil || len(b) != 16 ||
		(len(text) == 36 && text[8] != '-') {
		return nil, errors.New("not a UUID")
	}
	return s, nil
}

// formatUUID is the user_id claim of a stored id: the dashed form, as str(uuid) in Python.
func formatUUID(v any) string {
	s := v.(string)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// ExampleNewUserStore_customModel plugs a custom GORM user model into GormUserStore: its own
// table, a UUID primary key as USER_ID_FIELD, and email as USERNAME_FIELD.
func ExampleNewUserStore_customModel() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	db, err := dburl.Open(ctx, filepath.Join(dir, "db.sqlite3"))
	if err != nil {
		panic(err)
	}
	if err := db.AutoMigrate(&CustomUser{}); err != nil {
		panic(err)
	}

	users, err := models.NewUserStore(db, models.UserStoreOptions{
		New:           func() models.UserModel { return new(CustomUser) },
		IDField:       "id",    // USER_ID_FIELD
		UsernameField: "email", // USERNAME_FIELD
		ParseID:       parseUUID,
		FormatID:      formatUUID,
		// Cheap hashing for the example; leave Hashers nil for Django's defaults.
		Hashers: hashers.New(hashers.PBKDF2SHA256(1000)),
	})
	if err != nil {
		panic(err)
	}

	hash, _ := users.Hashers().MakePassword("s3cret")
	ada := &CustomUser{ID: "0f8fad5bd9cb469fa16570867728950e", Email: "ada@example.com", Password: hash, IsActive: true}
	if err := users.Create(ctx, ada); err != nil {
		panic(err)
	}

	u, err := users.Authenticate(ctx, "ada@example.com", "s3cret")
	fmt.Println("authenticate:", u.(*CustomUser).Email, err)
	claim := users.UserID(u)
	fmt.Println("user_id claim:", claim)
	_ = users.UpdateLastLogin(ctx, u, time.Now())

	back, err := users.GetByID(ctx, claim)
	fmt.Println("GetByID:", back.(*CustomUser).Email, back.(*CustomUser).LastLogin != nil, err)

	_, err = users.Authenticate(ctx, "ADA@example.com", "s3cret")
	fmt.Println("other case:", err)
	_, err = users.GetByID(ctx, "1 OR 1=1")
	fmt.Println("GetByID(\"1 OR 1=1\"):", err)
	// Output:
	// authenticate: ada@example.com <nil>
	// user_id claim: 0f8fad5b-d9cb-469f-a165-70867728950e
	// GetByID: ada@example.com true <nil>
	// other case: models: invalid credentials
	// GetByID("1 OR 1=1"): models: user not found
}

// ExampleMigrate creates Django's tables on a new database and uses the default stores.
func ExampleMigrate() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	db, err := dburl.Open(ctx, "sqlite:///"+filepath.Join(dir, "db.sqlite3"))
	if err != nil {
		panic(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		panic(err)
	}
	users, _ := models.NewUserStore(db, models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
	tokens := models.NewTokenStore(db, users)

	alice := models.NewUser("alice")
	_ = alice.SetPasswordWith(users.Hashers(), "pw")
	_ = users.Create(ctx, alice)

	rec := models.TokenRecord{JTI: "4d2b8a", UserID: users.UserID(alice), Token: "eyJ...", ExpiresAt: time.Now().Add(24 * time.Hour)}
	_ = tokens.Outstand(ctx, rec)
	first, _ := tokens.Blacklist(ctx, rec)
	second, _ := tokens.Blacklist(ctx, rec)
	blacklisted, _ := tokens.IsBlacklisted(ctx, "4d2b8a")
	fmt.Println(first, second, blacklisted)
	// Output: true false true
}

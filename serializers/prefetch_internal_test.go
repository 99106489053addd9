package serializers

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// TestUserPrefetchChosen: the refresh reads the blacklist and the user in one query exactly when
// it can answer as the two reads would — the GORM token store on the database of Env.Users (the
// built-in User), the default USER_AUTHENTICATION_RULE — and otherwise asks in turn.
func TestUserPrefetchChosen(t *testing.T) {
	ctx := context.Background()
	db, err := dburl.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite3"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	opts := models.UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))}
	users, err := models.NewUserStore(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	other, err := models.NewUserStore(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	manager := func(store tokens.TokenStore) *tokens.Manager {
		s := tokens.DefaultSettings()
		s.SigningKey = "prefetch-test-signing-key-0123456789abcdef"
		m, err := tokens.NewManager(ctx, s, tokens.Options{Store: store})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	tests := []struct {
		name string
		env  *Env
		want bool
	}{
		{"GORM stores on one database, default rule", &Env{Tokens: manager(models.NewTokenStore(db, users)), Users: users}, true},
		{"a custom rule reads the whole row", &Env{Tokens: manager(models.NewTokenStore(db, users)), Users: users,
			Rule: func(u models.AuthUser) bool { return u != nil }}, false},
		{"the token store resolves another user store", &Env{Tokens: manager(models.NewTokenStore(db, other)), Users: users}, false},
		{"a token store without the combined read", &Env{Tokens: manager(modelstest.NewTokens(nil)), Users: users}, false},
		{"a user store without the narrow lookup", &Env{Tokens: manager(models.NewTokenStore(db, users)),
			Users: modelstest.NewUsers(modelstest.UsersOptions{Hashers: opts.Hashers})}, false},
	}
	for _, tc := range tests {
		if got := newUserPrefetch(tc.env) != nil; got != tc.want {
			t.Errorf("%s: one read = %v, want %v", tc.name, got, tc.want)
		}
	}
}

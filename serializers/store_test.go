package serializers_test

import (
	"context"
	"log/slog"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// The stores of this package's examples and tests are models/modelstest's: users in memory with
// Django's password format (PBKDF2 at few iterations), and the token blacklist in memory.

func newUserStore() *modelstest.Users {
	return modelstest.NewUsers(modelstest.UsersOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1000))})
}

// addUser adds a user with a hash of password; it panics on error (examples have no *testing.T).
func addUser(users *modelstest.Users, id int64, username, email, password string, active bool) *models.User {
	u := models.NewUser(username)
	u.ID, u.Email, u.IsActive = id, email, active
	if err := u.SetPasswordWith(users.Hashers(), password); err != nil {
		panic(err)
	}
	if err := users.Create(context.Background(), u); err != nil {
		panic(err)
	}
	return u
}

func newTokenStore() *modelstest.Tokens { return modelstest.NewTokens(nil) }

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

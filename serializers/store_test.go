package serializers_test

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// A small in-memory user store (Django's password format, PBKDF2 at few iterations) and token
// store for the examples and tests of this package.

type User struct {
	ID       string
	Username string
	Email    string
	Password string // Django's encoded hash
	Active   bool
}

func (u *User) GetIsActive() bool   { return u.Active }
func (u *User) GetPassword() string { return u.Password }

type userStore struct {
	mu        sync.Mutex
	hashers   *hashers.List
	users     map[string]*User // by username
	lastLogin map[string]time.Time
}

func newUserStore() *userStore {
	return &userStore{hashers: hashers.New(hashers.PBKDF2SHA256(1000)), users: map[string]*User{}, lastLogin: map[string]time.Time{}}
}

func (s *userStore) add(id, username, email, password string, active bool) *User {
	encoded, err := s.hashers.MakePassword(password)
	if err != nil {
		panic(err)
	}
	u := &User{ID: id, Username: username, Email: email, Password: encoded, Active: active}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[username] = u
	return u
}

func (s *userStore) GetByID(_ context.Context, id string) (models.AuthUser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.ID == id {
			return u, nil
		}
	}
	return nil, models.ErrUserNotFound
}

func (s *userStore) Authenticate(_ context.Context, username, password string) (models.AuthUser, error) {
	s.mu.Lock()
	u := s.users[username]
	s.mu.Unlock()
	encoded := ""
	if u != nil {
		encoded = u.Password
	}
	ok, _, err := s.hashers.CheckPassword(password, encoded)
	if err != nil {
		return nil, err
	}
	if u == nil || !ok || !u.Active {
		return nil, models.ErrInvalidCredentials
	}
	return u, nil
}

func (s *userStore) UserID(u models.AuthUser) string { return u.(*User).ID }

func (s *userStore) UpdateLastLogin(_ context.Context, u models.AuthUser, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastLogin[u.(*User).ID] = at
	return nil
}

type tokenStore struct {
	mu          sync.Mutex
	outstanding map[string]bool
	black       map[string]bool
}

func newTokenStore() *tokenStore {
	return &tokenStore{outstanding: map[string]bool{}, black: map[string]bool{}}
}

func (s *tokenStore) Outstand(_ context.Context, t tokens.TokenRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outstanding[t.JTI] = true
	return nil
}

func (s *tokenStore) Blacklist(_ context.Context, t tokens.TokenRecord) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outstanding[t.JTI] = true
	if s.black[t.JTI] {
		return false, nil
	}
	s.black[t.JTI] = true
	return true, nil
}

func (s *tokenStore) Rotate(_ context.Context, old, next tokens.TokenRecord) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.black[old.JTI] {
		return false, nil
	}
	s.outstanding[old.JTI], s.black[old.JTI], s.outstanding[next.JTI] = true, true, true
	return true, nil
}

func (s *tokenStore) IsBlacklisted(_ context.Context, jti string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.black[jti], nil
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

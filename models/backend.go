package models

import (
	"context"
	"fmt"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// PasswordStore is what ModelBackend needs from a user table: a lookup by username and a
// conditional write of the password hash. GormUserStore has one; a store of your own gets
// Django's authenticate() with its timing rules by implementing these two methods.
type PasswordStore interface {
	// FindByUsername returns the user whose username is exactly username (byte for byte, whatever
	// the collation), and found == false when there is none. username is already valid text.
	FindByUsername(ctx context.Context, username string) (u UserModel, found bool, err error)
	// SwapPassword writes next as u's stored hash only while the store still holds old (a
	// compare-and-swap), and returns the hash stored afterwards: next when the swap happened,
	// the other writer's hash when not, and found == false when u is gone.
	SwapPassword(ctx context.Context, u UserModel, old, next string) (stored string, found bool, err error)
}

// ModelBackend is Django's ModelBackend (AllowAllUsersModelBackend with AllowInactive): the one
// owner of the login rules every UserStore's Authenticate follows.
type ModelBackend struct {
	Store   PasswordStore
	Hashers *hashers.List // nil: hashers.Default()
	// AllowInactive lets inactive users authenticate (AllowAllUsersModelBackend).
	AllowInactive bool
	// MaxUsernameLength is the longest username, in characters, looked up at all. Default 150.
	MaxUsernameLength int
}

// Authenticate is Django's authenticate(username=..., password=...). Every failure is
// ErrInvalidCredentials (or the store's ErrUnavailable) after the hashers ran once: a username
// that cannot be one (empty, too long, NUL, invalid UTF-8: not even looked up), an unknown user,
// a user with an unusable, empty or unknown hash (the hashers hash a random password for those),
// a wrong password, and an inactive user (checked after the password). So response times do not
// tell them apart (Django #20760, CVE-2024-39329).
//
// On success, when the stored hash is of another algorithm or other parameters than the
// preferred hasher's (Django's must_update), the password is re-hashed and stored with
// SwapPassword, only while the store still holds the hash that was checked. Of concurrent logins
// one re-hash wins and the others return the user with the hash it wrote (after checking the
// password against it), so the returned user always carries the stored hash, against which
// CHECK_REVOKE_TOKEN's claim is signed. When the password changed meanwhile, or the user is
// gone, the login fails. A failure to store is returned (fail closed). Like Django, this
// happens before the is_active check.
//
// The password is used exactly as given: simplejwt's serializer trims surrounding whitespace
// (DRF CharField trim_whitespace) before calling this; this layer does not.
func (b ModelBackend) Authenticate(ctx context.Context, username, password string) (AuthUser, error) {
	h := b.hashers()
	var u UserModel
	if validText(username, b.maxUsername()) {
		var found bool
		var err error
		if u, found, err = b.Store.FindByUsername(ctx, username); err != nil {
			return nil, err
		} else if !found {
			u = nil
		}
	}
	if u == nil {
		_, _, _ = h.CheckPassword(password, "")
		return nil, ErrInvalidCredentials
	}
	ok, mustUpdate, err := h.CheckPassword(password, u.GetPassword())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
	}
	if !ok {
		return nil, ErrInvalidCredentials
	}
	if mustUpdate {
		if err := b.rehash(ctx, u, password); err != nil {
			return nil, err
		}
	}
	if !u.GetIsActive() && !b.AllowInactive {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// rehash replaces the hash that Authenticate checked (u's) by a new hash of password, only if
// the store still holds the checked one. When another writer changed it first (a concurrent
// login's re-hash, or a password change), the password is checked against the stored hash: if
// it verifies (the concurrent re-hash of the same password) that hash becomes u's; if not, or
// the user is gone, the login fails with ErrInvalidCredentials. (A login that loses to a
// password change fails after three hasher runs, check, re-hash and re-check, rather than one:
// it tells nothing its caller did not know, the password having been right a moment before.)
func (b ModelBackend) rehash(ctx context.Context, u UserModel, password string) error {
	h := b.hashers()
	encoded, err := h.MakePassword(password)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidCredentials, err)
	}
	stored, found, err := b.Store.SwapPassword(ctx, u, u.GetPassword(), encoded)
	switch {
	case err != nil:
		return err
	case !found:
		return ErrInvalidCredentials
	case stored != encoded:
		if ok, _, err := h.CheckPassword(password, stored); err != nil || !ok {
			return ErrInvalidCredentials
		}
	}
	u.SetPasswordHash(stored)
	return nil
}

func (b ModelBackend) hashers() *hashers.List {
	if b.Hashers == nil {
		return defaultHashers()
	}
	return b.Hashers
}

func (b ModelBackend) maxUsername() int {
	if b.MaxUsernameLength <= 0 {
		return defaultMaxUsername
	}
	return b.MaxUsernameLength
}

// defaultMaxUsername is Django's AbstractUser.username max_length.
const defaultMaxUsername = 150

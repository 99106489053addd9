package tokens_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// rotateStore answers Rotate as told and remembers what it was given; IsBlacklisted says no.
// The other methods are not reached. It is a script, not a store (modelstest.Tokens is the
// shared one): "not rotated although not blacklisted" is the race a real store cannot be put in.
type rotateStore struct {
	tokens.TokenStore
	rotated   bool
	err       error
	old, next tokens.TokenRecord
}

func (s *rotateStore) IsBlacklisted(context.Context, string) (bool, error) { return false, nil }

func (s *rotateStore) Rotate(_ context.Context, old, next tokens.TokenRecord) (bool, error) {
	s.old, s.next = old, next
	return s.rotated, s.err
}

// TestTokenRotate: the token becomes its successor (new jti, exp and iat from its current
// time) only when the store rotated; when the token was already blacklisted or the store
// failed, it is left exactly as it was, so the client's retry presents the same token.
func TestTokenRotate(t *testing.T) {
	errDown := errors.New("database down")
	tests := []struct {
		name    string
		store   *rotateStore // nil: no store
		class   tokens.Class
		wantRot bool
		wantErr error
	}{
		{"rotated", &rotateStore{rotated: true}, tokens.RefreshToken, true, nil},
		{"already blacklisted", &rotateStore{}, tokens.RefreshToken, false, nil},
		{"store failure", &rotateStore{err: errDown}, tokens.RefreshToken, false, errDown},
		{"no store", nil, tokens.RefreshToken, false, tokens.ErrNoStore},
		{"access token", &rotateStore{rotated: true}, tokens.AccessToken, false, tokens.ErrWrongType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tokens.DefaultSettings()
			s.SigningKey = testKey
			s.RefreshTokenLifetime = time.Hour
			opts := tokens.Options{Now: func() time.Time { return fixedNow }}
			if tc.store != nil {
				opts.Store = tc.store
			}
			m, err := tokens.NewManager(context.Background(), s, opts)
			if err != nil {
				t.Fatal(err)
			}
			issued, _ := m.New(tc.class)
			issued.Set("user_id", "7")
			raw, _ := issued.Encode()
			later := fixedNow.Add(time.Minute)
			m2, _ := tokens.NewManager(context.Background(), s, tokens.Options{Store: opts.Store, Now: func() time.Time { return later }})
			tok, err := m2.Parse(context.Background(), tc.class, raw)
			if err != nil {
				t.Fatal(err)
			}
			oldJTI, _ := tok.JTI()

			rotated, err := m2.Rotate(context.Background(), tok)
			if rotated != tc.wantRot || !errors.Is(err, tc.wantErr) {
				t.Fatalf("Rotate = %v, %v; want %v, %v", rotated, err, tc.wantRot, tc.wantErr)
			}
			after, _ := tok.Encode()
			newJTI, _ := tok.JTI()
			if !tc.wantRot {
				if after != raw {
					t.Fatalf("the token changed although it was not rotated")
				}
				return
			}
			exp, _, _ := tok.NumericDate("exp")
			iat, _, _ := tok.NumericDate("iat")
			if newJTI == oldJTI || len(newJTI) != 32 || int64(exp) != later.Add(time.Hour).Unix() || int64(iat) != later.Unix() {
				t.Fatalf("successor: jti %q (was %q), exp %v, iat %v", newJTI, oldJTI, exp, iat)
			}
			st := tc.store
			if st.old.JTI != oldJTI || st.old.Token != raw || !st.old.CreatedAt.IsZero() || st.old.UserID != "7" ||
				st.old.ExpiresAt.Unix() != fixedNow.Add(time.Hour).Unix() {
				t.Errorf("old record %+v", st.old)
			}
			if st.next.JTI != newJTI || st.next.Token != after || !st.next.CreatedAt.Equal(later) || st.next.UserID != "7" ||
				st.next.ExpiresAt.Unix() != later.Add(time.Hour).Unix() {
				t.Errorf("next record %+v", st.next)
			}
		})
	}
}

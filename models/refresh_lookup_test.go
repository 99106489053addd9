package models

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestLookupRefresh: LookupRefresh answers what IsBlacklisted and GetByIDForAuth answer in turn,
// for every kind of token and user, with and without the password; a store that runs through
// GORM declines (ok false).
func TestLookupRefresh(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		f := newTokenFixture(t, tdb)
		f.bob.IsActive = false
		if err := tdb.DB.Model(f.bob).Update("is_active", false).Error; err != nil {
			t.Fatal(err)
		}
		if err := f.users.SetPassword(ctx, f.alice, "alice-password-1"); err != nil {
			t.Fatal(err)
		}
		exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		f.tokens.now = func() time.Time { return exp.Add(-24 * time.Hour) } // no real clock
		alice, bob := f.users.UserID(f.alice), f.users.UserID(f.bob)
		for _, r := range []TokenRecord{rec("black", alice, exp), rec("black-gone", "424242", exp)} {
			if created, err := f.tokens.Blacklist(ctx, r); err != nil || !created {
				t.Fatalf("Blacklist(%s) = %v, %v", r.JTI, created, err)
			}
		}
		if err := f.tokens.Outstand(ctx, rec("live", alice, exp)); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, jti, userID string
			wantBlack         bool
			wantUser          *User // nil: none
		}{
			{"live token, active user", "live", alice, false, f.alice},
			{"blacklisted token, its user", "black", alice, true, f.alice},
			{"unrecorded token, inactive user", "never-seen", bob, false, f.bob},
			{"blacklisted token, user gone", "black-gone", "424242", true, nil},
			{"live token, user gone", "live", "424242", false, nil},
			{"user id that cannot be one", "black", "1 OR 1=1", true, nil},
			{"jti that cannot be stored", string([]byte{0xff}), alice, false, f.alice},
		}
		for _, tc := range tests {
			for _, password := range []bool{false, true} {
				black, user, ok, err := f.tokens.LookupRefresh(ctx, tc.jti, tc.userID, password)
				if err != nil || !ok {
					t.Fatalf("%s: ok %v, err %v", tc.name, ok, err)
				}
				// The same questions asked in turn.
				wantBlack, err := f.tokens.IsBlacklisted(ctx, tc.jti)
				if err != nil || wantBlack != tc.wantBlack {
					t.Fatalf("%s: IsBlacklisted = %v, %v; the table says %v", tc.name, wantBlack, err, tc.wantBlack)
				}
				if black != wantBlack {
					t.Errorf("%s (password %v): blacklisted = %v, want %v", tc.name, password, black, wantBlack)
				}
				if tc.jti == string([]byte{0xff}) {
					// IsBlacklisted's rule for a jti no row can hold: not blacklisted, and
					// no user read (the token layer refuses such a token first).
					if user != nil {
						t.Errorf("%s: user %v for an unstorable jti", tc.name, user)
					}
					continue
				}
				want, err := f.users.GetByIDForAuth(ctx, tc.userID, password)
				switch {
				case tc.wantUser == nil && (err == nil || user != nil):
					t.Errorf("%s: user %v (GetByIDForAuth: %v), want none", tc.name, user, err)
				case tc.wantUser != nil && (err != nil || user == nil):
					t.Errorf("%s: user %v, GetByIDForAuth %v", tc.name, user, err)
				case tc.wantUser != nil:
					got, w := user.(*User), want.(*User)
					if got.ID != w.ID || got.Username != w.Username || got.IsActive != w.IsActive || got.Password != w.Password {
						t.Errorf("%s (password %v): user %+v, GetByIDForAuth %+v", tc.name, password, got, w)
					}
					if !password && got.Password != "" || password && got.Password == "" && tc.wantUser == f.alice {
						t.Errorf("%s (password %v): password %q", tc.name, password, got.Password)
					}
				}
			}
		}

		viaGORM := NewTokenStore(tdb.DB.Session(&gorm.Session{PrepareStmt: true}), f.users)
		if _, _, ok, err := viaGORM.LookupRefresh(ctx, "live", alice, false); ok || err != nil {
			t.Fatalf("through GORM: ok %v, err %v; want the store to decline", ok, err)
		}
	})
}

package models

import (
	"context"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// TestTokenRowUserKey: a listed token names its user by USER_ID_FIELD (the user_id claim the
// sessions and "log out everywhere" take), not by the primary key it references, whether that
// field is the pk or another column; a token without a user has none.
func TestTokenRowUserKey(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		hs := hashers.New(hashers.PBKDF2SHA256(1))
		exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, tc := range []struct{ idField, want string }{{"id", ""}, {"username", "carol"}} {
			users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hs, IDField: tc.idField})
			if err != nil {
				t.Fatal(err)
			}
			carol := NewUser("carol-" + tc.idField)
			if tc.idField == "username" {
				carol = NewUser("carol")
			}
			if err := users.Create(ctx, carol); err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "" {
				want = users.UserID(carol)
			}
			store := NewTokenStore(tdb.DB, users)
			store.now = func() time.Time { return exp.Add(-time.Hour) }
			for _, r := range []TokenRecord{rec("k-"+tc.idField, want, exp), rec("k-none-"+tc.idField, "", exp)} {
				if err := store.Outstand(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			rows, _, err := ListOutstandingTokens(ctx, tdb.DB, TokenQuery{Users: users.Columns(), Search: "k-"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]*string{}
			for _, r := range rows {
				got[r.JTI] = r.UserKey
			}
			if k := got["k-"+tc.idField]; k == nil || *k != want {
				t.Errorf("USER_ID_FIELD %s: user key %v, want %q (pk %d)", tc.idField, k, want, carol.ID)
			}
			if k := got["k-none-"+tc.idField]; k != nil {
				t.Errorf("USER_ID_FIELD %s: a token without a user has user key %q", tc.idField, *k)
			}
		}
	})
}

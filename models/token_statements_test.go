package models

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// resolverOnly hides every method of a user store but ResolveUserPK: a UserPKResolver that the
// token store cannot read as SQL.
type resolverOnly struct{ UserPKResolver }

// TestTokenStoreUserRef: the user_id a write stores is the same whichever way the store finds
// it — the outstanding insert's own subquery (the GORM user store on the same database, with
// prepared statements or through GORM), or a resolver run before the transaction — for the
// default USER_ID_FIELD and for one that is not the primary key, through Outstand, Blacklist and
// Rotate, and a user that cannot be found is NULL each time.
func TestTokenStoreUserRef(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		hs := hashers.New(hashers.PBKDF2SHA256(1))
		byPK, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hs})
		if err != nil {
			t.Fatal(err)
		}
		byName, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hs, IDField: "username"})
		if err != nil {
			t.Fatal(err)
		}
		carol := NewUser("carol")
		if err := byPK.Create(ctx, carol); err != nil {
			t.Fatal(err)
		}
		viaGORM := tdb.DB.Session(&gorm.Session{PrepareStmt: true}) // ConnPool no longer the *sql.DB
		stores := []struct {
			name     string
			store    *GormTokenStore
			claim    string // carol's user_id claim for this store
			subquery bool
		}{
			{"subquery, prepared", NewTokenStore(tdb.DB, byPK), byPK.UserID(carol), true},
			{"subquery, USER_ID_FIELD username", NewTokenStore(tdb.DB, byName), "carol", true},
			{"subquery through GORM", NewTokenStore(viaGORM, byPK), byPK.UserID(carol), true},
			{"resolver before the transaction", NewTokenStore(tdb.DB, resolverOnly{byPK}), byPK.UserID(carol), false},
			{"resolver, USER_ID_FIELD username", NewTokenStore(tdb.DB, resolverOnly{byName}), "carol", false},
		}
		for i, st := range stores {
			st.store.now = func() time.Time { return exp.Add(-24 * time.Hour) } // no real clock
			t.Run(st.name, func(t *testing.T) {
				if got := st.store.sameDBUsers != nil; got != st.subquery {
					t.Fatalf("subquery = %v, want %v", got, st.subquery)
				}
				prefix := string(rune('a'+i)) + "-"
				writes := []struct {
					name  string
					jti   string
					write func(r TokenRecord) error
				}{
					{"Outstand", "o", func(r TokenRecord) error { return st.store.Outstand(ctx, r) }},
					{"Blacklist", "b", func(r TokenRecord) error { _, err := st.store.Blacklist(ctx, r); return err }},
					{"Rotate (the new row)", "r", func(r TokenRecord) error {
						old := rec(r.JTI+"-old", r.UserID, exp)
						if ok, err := st.store.Rotate(ctx, old, r); err != nil || !ok {
							t.Fatalf("Rotate = %v, %v", ok, err)
						}
						return nil
					}},
				}
				for _, w := range writes {
					for _, u := range []struct {
						claim string
						want  *int64
					}{{st.claim, &carol.ID}, {"no-such-user", nil}, {"424242", nil}} {
						r := rec(prefix+w.jti+"-"+u.claim, u.claim, exp)
						if err := w.write(r); err != nil {
							t.Fatalf("%s %q: %v", w.name, u.claim, err)
						}
						var row OutstandingToken
						if err := tdb.DB.Where("jti = ?", r.JTI).Take(&row).Error; err != nil {
							t.Fatalf("%s %q: %v", w.name, u.claim, err)
						}
						if (row.UserID == nil) != (u.want == nil) || (row.UserID != nil && *row.UserID != *u.want) {
							t.Fatalf("%s %q: user_id = %v, want %v", w.name, u.claim, row.UserID, u.want)
						}
					}
				}
			})
		}
	})
}

// TestPlaceholders: PostgreSQL's numbered placeholders, the others' ? kept.
func TestPlaceholders(t *testing.T) {
	tests := []struct{ dialect, in, want string }{
		{"postgres", "INSERT INTO t (a, b) VALUES (?, (SELECT id FROM u WHERE x = ? LIMIT 1))", "INSERT INTO t (a, b) VALUES ($1, (SELECT id FROM u WHERE x = $2 LIMIT 1))"},
		{"postgres", "SELECT 1", "SELECT 1"},
		{"sqlite", "SELECT id FROM t WHERE jti = ?", "SELECT id FROM t WHERE jti = ?"},
		{"mysql", "VALUES (?, ?)", "VALUES (?, ?)"},
	}
	for _, tc := range tests {
		if got := placeholders(tc.dialect, tc.in); got != tc.want {
			t.Errorf("placeholders(%s, %q) = %q, want %q", tc.dialect, tc.in, got, tc.want)
		}
	}
}

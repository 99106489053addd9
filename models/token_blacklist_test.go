package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// tokenFixture is a migrated database with users alice (active) and bob, and both stores.
type tokenFixture struct {
	*testDB
	users  *GormUserStore
	tokens *GormTokenStore
	alice  *User
	bob    *User
}

func newTokenFixture(t *testing.T, tdb *testDB) *tokenFixture {
	t.Helper()
	ctx := context.Background()
	users, err := NewUserStore(tdb.DB, UserStoreOptions{Hashers: hashers.New(hashers.PBKDF2SHA256(1))})
	if err != nil {
		t.Fatal(err)
	}
	f := &tokenFixture{testDB: tdb, users: users, tokens: NewTokenStore(tdb.DB, users)}
	f.alice, f.bob = NewUser("alice"), NewUser("bob")
	for _, u := range []*User{f.alice, f.bob} {
		if err := users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *tokenFixture) outstanding(t *testing.T, jti string) (OutstandingToken, bool) {
	t.Helper()
	var rows []OutstandingToken
	if err := f.DB.Where("jti = ?", jti).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return OutstandingToken{}, false
	}
	return rows[0], true
}

func (f *tokenFixture) count(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := f.DB.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func rec(jti, userID string, exp time.Time) TokenRecord {
	return TokenRecord{JTI: jti, UserID: userID, Token: "token-" + jti, CreatedAt: exp.Add(-time.Hour), ExpiresAt: exp}
}

func TestTokenStoreOutstand(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		ctx := context.Background()
		exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		aliceID := f.users.UserID(f.alice)

		tests := []struct {
			name     string
			rec      TokenRecord
			wantUser *int64
		}{
			{"known user", rec("a1", aliceID, exp), &f.alice.ID},
			{"unknown user is NULL", rec("a2", "999999", exp), nil},
			{"malformed user id is NULL", rec("a3", "1 OR 1=1", exp), nil},
			{"no user id", rec("a4", "", exp), nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := f.tokens.Outstand(ctx, tc.rec); err != nil {
					t.Fatal(err)
				}
				row, ok := f.outstanding(t, tc.rec.JTI)
				if !ok {
					t.Fatal("no row")
				}
				if (row.UserID == nil) != (tc.wantUser == nil) || (row.UserID != nil && *row.UserID != *tc.wantUser) {
					t.Fatalf("user_id = %v, want %v", row.UserID, tc.wantUser)
				}
				if row.Token != tc.rec.Token || !row.ExpiresAt.Equal(exp) || row.CreatedAt == nil || !row.CreatedAt.Equal(tc.rec.CreatedAt) {
					t.Fatalf("row = %+v", row)
				}
			})
		}

		// get_or_create: a second Outstand with other facts changes nothing.
		if err := f.tokens.Outstand(ctx, TokenRecord{JTI: "a1", UserID: f.users.UserID(f.bob), Token: "other", ExpiresAt: exp.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		row, _ := f.outstanding(t, "a1")
		if row.Token != "token-a1" || *row.UserID != f.alice.ID {
			t.Fatalf("Outstand overwrote an existing row: %+v", row)
		}
		if n := f.count(t, OutstandingTokenTable); n != 4 {
			t.Fatalf("%d outstanding rows, want 4", n)
		}
	})
}

func TestTokenStoreBlacklist(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		aliceID := f.users.UserID(f.alice)

		if err := f.tokens.Outstand(ctx, rec("known", aliceID, exp)); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name        string
			rec         TokenRecord
			wantCreated bool
		}{
			{"outstanding token", rec("known", aliceID, exp), true},
			{"again", rec("known", aliceID, exp), false},
			{"never recorded: outstanding row made first", TokenRecord{JTI: "unseen", UserID: aliceID, Token: "t", ExpiresAt: exp}, true},
			{"never recorded, again", TokenRecord{JTI: "unseen", UserID: aliceID, Token: "t", ExpiresAt: exp}, false},
		}
		for _, st := range steps {
			created, err := f.tokens.Blacklist(ctx, st.rec)
			if err != nil || created != st.wantCreated {
				t.Fatalf("%s: Blacklist = %v, %v; want %v, nil", st.name, created, err, st.wantCreated)
			}
		}
		row, ok := f.outstanding(t, "unseen")
		if !ok || row.CreatedAt != nil || row.UserID == nil || *row.UserID != f.alice.ID {
			t.Fatalf("outstanding row made by Blacklist = %+v (want created_at NULL, user alice)", row)
		}
		for jti, want := range map[string]bool{"known": true, "unseen": true, "other": false, "": false, strings.Repeat("x", 300): false, "a\x00b": false} {
			got, err := f.tokens.IsBlacklisted(ctx, jti)
			if err != nil || got != want {
				t.Errorf("IsBlacklisted(%.20q) = %v, %v; want %v", jti, got, err, want)
			}
		}
		if n := f.count(t, BlacklistedTokenTable); n != 2 {
			t.Fatalf("%d blacklist rows, want 2", n)
		}
		var bl BlacklistedToken
		if err := f.DB.Where("token_id = ?", row.ID).First(&bl).Error; err != nil {
			t.Fatal(err)
		}
		if time.Since(bl.BlacklistedAt.Time) > time.Minute || bl.BlacklistedAt.Location() != time.UTC {
			t.Fatalf("blacklisted_at = %v", bl.BlacklistedAt)
		}
	})
}

func TestTokenStoreInvalidJTI(t *testing.T) {
	for name, ts := range map[string]TokenStore{"gorm": NewTokenStore(newTestDB(t, "sqlite", true).DB, nil)} {
		for _, jti := range []string{"", strings.Repeat("j", 256), "bad\x00jti", "\xff\xfe"} {
			if err := ts.Outstand(context.Background(), TokenRecord{JTI: jti, ExpiresAt: time.Now()}); !errors.Is(err, ErrInvalidJTI) {
				t.Errorf("%s: Outstand(%.10q) = %v, want ErrInvalidJTI", name, jti, err)
			}
			if _, err := ts.Blacklist(context.Background(), TokenRecord{JTI: jti, ExpiresAt: time.Now()}); !errors.Is(err, ErrInvalidJTI) {
				t.Errorf("%s: Blacklist(%.10q) = %v, want ErrInvalidJTI", name, jti, err)
			}
		}
		if err := ts.Outstand(context.Background(), TokenRecord{JTI: strings.Repeat("é", 255), ExpiresAt: time.Now()}); err != nil {
			t.Errorf("%s: 255 characters (510 bytes) must fit varchar(255): %v", name, err)
		}
	}
}

// TestTokenStoreConcurrentBlacklist is (a): 100 goroutines released together blacklist one jti:
// exactly one is created, 99 are not, none fails, and there is one blacklist row.
func TestTokenStoreConcurrentBlacklist(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		for round, outstandFirst := range []bool{false, true} {
			jti := fmt.Sprintf("race-%d", round)
			r := rec(jti, f.users.UserID(f.alice), time.Now().Add(time.Hour))
			if outstandFirst {
				if err := f.tokens.Outstand(context.Background(), r); err != nil {
					t.Fatal(err)
				}
			}
			created, notCreated, errs := raceBlacklist(f.tokens, r, 100)
			if created != 1 || notCreated != 99 || len(errs) != 0 {
				t.Fatalf("outstandFirst=%v: created=%d notCreated=%d errors=%v; want 1, 99, none", outstandFirst, created, notCreated, errs)
			}
			var n int64
			f.DB.Raw("SELECT COUNT(*) FROM "+BlacklistedTokenTable+" b JOIN "+OutstandingTokenTable+" o ON o.id = b.token_id WHERE o.jti = ?", jti).Scan(&n)
			if n != 1 {
				t.Fatalf("%d blacklist rows for %s, want 1", n, jti)
			}
		}
		if n := f.count(t, OutstandingTokenTable); n != 2 {
			t.Fatalf("%d outstanding rows, want 2", n)
		}
	})
}

// TestTokenStoreRotate: Rotate blacklists the old token and outstands the new one, and when
// the old one is already blacklisted (or a record is invalid) it writes nothing at all.
func TestTokenStoreRotate(t *testing.T) {
	check := func(t *testing.T, ts TokenStore, userID string) {
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		if err := ts.Outstand(ctx, rec("issued", userID, exp)); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name        string
			old, next   TokenRecord
			wantRotated bool
			wantErr     error
			blacklisted map[string]bool // after the step; a jti absent from the map is not checked
		}{
			{"outstanding token", rec("issued", userID, exp), rec("next-1", userID, exp.Add(time.Minute)), true, nil,
				map[string]bool{"issued": true, "next-1": false}},
			{"again: already blacklisted", rec("issued", userID, exp), rec("next-2", userID, exp), false, nil,
				map[string]bool{"issued": true}},
			{"the successor", rec("next-1", userID, exp), rec("next-3", userID, exp), true, nil,
				map[string]bool{"next-1": true, "next-3": false}},
			{"never recorded: its row is made", TokenRecord{JTI: "unseen", UserID: userID, Token: "t", ExpiresAt: exp}, rec("next-4", userID, exp), true, nil,
				map[string]bool{"unseen": true, "next-4": false}},
			{"invalid new jti", rec("next-3", userID, exp), rec("", userID, exp), false, ErrInvalidJTI,
				map[string]bool{"next-3": false}},
			{"invalid old jti", rec("bad\x00jti", userID, exp), rec("next-5", userID, exp), false, ErrInvalidJTI, nil},
		}
		for _, st := range steps {
			rotated, err := ts.Rotate(ctx, st.old, st.next)
			if rotated != st.wantRotated || !errors.Is(err, st.wantErr) {
				t.Fatalf("%s: Rotate = %v, %v; want %v, %v", st.name, rotated, err, st.wantRotated, st.wantErr)
			}
			for jti, want := range st.blacklisted {
				if got, err := ts.IsBlacklisted(ctx, jti); err != nil || got != want {
					t.Errorf("%s: IsBlacklisted(%s) = %v, %v; want %v", st.name, jti, got, err, want)
				}
			}
		}
		// The successors that were not rotated into were never recorded.
		wantRecorded := map[string]bool{"next-1": true, "next-2": false, "next-3": true, "next-4": true, "next-5": false}
		for jti, want := range wantRecorded {
			if got := recorded(t, ts, jti); got != want {
				t.Errorf("%s recorded = %v, want %v", jti, got, want)
			}
		}
	}
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		aliceID := f.users.UserID(f.alice)
		check(t, f.tokens, aliceID)
		for _, jti := range []string{"next-1", "unseen"} {
			row, ok := f.outstanding(t, jti)
			if !ok || row.UserID == nil || *row.UserID != f.alice.ID {
				t.Errorf("%s: row %+v, %v; want one with user alice", jti, row, ok)
			}
			if jti == "next-1" && (row.CreatedAt == nil || row.Token != "token-next-1") {
				t.Errorf("the successor's row %+v: want its created_at and token", row)
			}
			if jti == "unseen" && row.CreatedAt != nil {
				t.Errorf("the row Rotate made for a token never recorded has created_at %v, want NULL (as Blacklist)", row.CreatedAt)
			}
		}
		if n := f.count(t, BlacklistedTokenTable); n != 3 {
			t.Errorf("%d blacklist rows, want 3", n)
		}
	})
}

// TestRotateHonoursContext: the rotation's transaction runs with the caller's context. A
// cancelled context, and a deadline that passes while another session holds a lock on the
// blacklist table, end it with ErrUnavailable, having written nothing; the same token rotates
// once the database is free. (SQLite is left out of the held-lock case: its busy wait is
// bounded by the busy timeout, not by the context.)
func TestRotateHonoursContext(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ts := NewTokenStore(tdb.DB, nil)
		exp := time.Now().Add(time.Hour)
		old, next := rec("ctx-old", "", exp), rec("ctx-next", "", exp)
		if err := ts.Outstand(context.Background(), old); err != nil {
			t.Fatal(err)
		}
		nothingWritten := func(when string) {
			t.Helper()
			if bl, _ := ts.IsBlacklisted(context.Background(), old.JTI); bl || recorded(t, ts, next.JTI) {
				t.Fatalf("%s: blacklisted=%v, successor recorded=%v; want nothing written", when, bl, recorded(t, ts, next.JTI))
			}
		}

		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		if ok, err := ts.Rotate(cancelled, old, next); ok || !errors.Is(err, ErrUnavailable) {
			t.Fatalf("cancelled context: Rotate = %v, %v; want ErrUnavailable", ok, err)
		}
		nothingWritten("cancelled context")

		if tdb.Dialect != "sqlite" {
			sqlDB, _ := tdb.DB.DB()
			conn, err := sqlDB.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			lock, unlock := []string{"BEGIN", "LOCK TABLE " + BlacklistedTokenTable + " IN ACCESS EXCLUSIVE MODE"}, "ROLLBACK"
			if tdb.Dialect == "mysql" {
				lock, unlock = []string{"LOCK TABLES " + BlacklistedTokenTable + " WRITE"}, "UNLOCK TABLES"
			}
			for _, q := range lock {
				if _, err := conn.ExecContext(context.Background(), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			const deadline = 300 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			start := time.Now()
			ok, err := ts.Rotate(ctx, old, next)
			elapsed := time.Since(start)
			cancel()
			if _, uerr := conn.ExecContext(context.Background(), unlock); uerr != nil {
				t.Fatal(uerr)
			}
			_ = conn.Close()
			if ok || !errors.Is(err, ErrUnavailable) || elapsed > deadline+5*time.Second {
				t.Fatalf("deadline under a held lock: Rotate = %v, %v after %v; want ErrUnavailable before the deadline plus a margin", ok, err, elapsed)
			}
			t.Logf("%s: Rotate with a %v deadline under a held lock: %v after %v", tdb.Dialect, deadline, err, elapsed)
			nothingWritten("deadline under a held lock")
		}

		if ok, err := ts.Rotate(context.Background(), old, next); !ok || err != nil {
			t.Fatalf("once the database is free: Rotate = %v, %v; want true", ok, err)
		}
	})
}

// recorded reports whether ts holds an outstanding record of jti.
func recorded(t *testing.T, ts TokenStore, jti string) bool {
	t.Helper()
	switch s := ts.(type) {
	case *GormTokenStore:
		var n int64
		if err := s.db.Raw("SELECT COUNT(*) FROM "+OutstandingTokenTable+" WHERE jti = ?", jti).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	t.Fatalf("unknown store %T", ts)
	return false
}

// TestTokenStoreConcurrentRotate: 100 goroutines released together rotate one token, each into
// its own successor: exactly one rotates, 99 do not, none fails; there is one blacklist row and
// only the winner's successor is recorded.
func TestTokenStoreConcurrentRotate(t *testing.T) {
	check := func(t *testing.T, ts TokenStore) {
		const n = 100
		exp := time.Now().Add(time.Hour)
		old := rec("race-old", "", exp)
		if err := ts.Outstand(context.Background(), old); err != nil {
			t.Fatal(err)
		}
		won, lost, errs := race(n, func(i int) (bool, error) {
			return ts.Rotate(context.Background(), old, rec(fmt.Sprintf("race-next-%d", i), "", exp))
		})
		if len(won) != 1 || lost != n-1 || len(errs) != 0 {
			for _, e := range errs[:min(len(errs), 3)] { // the drivers' causes, for the diagnosis
				var dbErr *DBError
				if errors.As(e, &dbErr) {
					t.Logf("cause: %v", dbErr.Err)
				}
			}
			t.Fatalf("%d rotated, %d did not, %d errors (%v); want 1, %d, none", len(won), lost, len(errs), errs[:min(len(errs), 1)], n-1)
		}
		winner := fmt.Sprintf("race-next-%d", won[0])
		for i := range n {
			jti := fmt.Sprintf("race-next-%d", i)
			if got := recorded(t, ts, jti); got != (jti == winner) {
				t.Errorf("%s recorded = %v; only the winner %s should be", jti, got, winner)
			}
		}
		if bl, err := ts.IsBlacklisted(context.Background(), old.JTI); !bl || err != nil {
			t.Fatalf("the old token is not blacklisted: %v, %v", bl, err)
		}
	}
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		check(t, NewTokenStore(tdb.DB, nil))
		var n int64
		tdb.DB.Raw("SELECT COUNT(*) FROM " + BlacklistedTokenTable).Scan(&n)
		if n != 1 {
			t.Fatalf("%d blacklist rows, want 1", n)
		}
	})
}

func raceBlacklist(ts TokenStore, r TokenRecord, n int) (created, notCreated int, errs []error) {
	won, lost, errs := race(n, func(int) (bool, error) { return ts.Blacklist(context.Background(), r) })
	return len(won), lost, errs
}

// race runs call(0) … call(n-1) in n goroutines released together and sorts the answers: the
// calls that returned true, how many returned false, and the errors.
func race(n int, call func(i int) (bool, error)) (won []int, lost int, errs []error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := call(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case ok:
				won = append(won, i)
			default:
				lost++
			}
		}()
	}
	close(start)
	wg.Wait()
	return won, lost, errs
}

// TestFlushExpiredTokens is (e): rows with expires_at <= now go, with their blacklist rows
// first; the others stay, blacklisted or not.
func TestFlushExpiredTokens(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 0, 14, 0, 409586000, time.UTC)
		aliceID := f.users.UserID(f.alice)
		tokens := []struct {
			jti         string
			exp         time.Time
			blacklisted bool
			kept        bool
		}{
			{"past", now.Add(-24 * time.Hour), false, false},
			{"past-blacklisted", now.Add(-time.Second), true, false},
			{"same-second", now.Truncate(time.Second), true, false}, // 00:14:00 <= 00:14:00.409586
			{"exactly-now", now, false, false},                      // <=, not <
			{"one-microsecond-later", now.Add(time.Microsecond), true, true},
			{"future", now.Add(time.Hour), false, true},
			{"future-blacklisted", now.Add(time.Hour), true, true},
		}
		for _, tk := range tokens {
			r := rec(tk.jti, aliceID, tk.exp)
			if err := f.tokens.Outstand(ctx, r); err != nil {
				t.Fatal(err)
			}
			if tk.blacklisted {
				if _, err := f.tokens.Blacklist(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
		}
		n, err := FlushExpiredTokens(ctx, tdb.DB, now, 0)
		if err != nil || n != 4 {
			t.Fatalf("FlushExpiredTokens = %d, %v; want 4, nil", n, err)
		}
		for _, tk := range tokens {
			_, ok := f.outstanding(t, tk.jti)
			if ok != tk.kept {
				t.Errorf("%s: kept=%v, want %v", tk.jti, ok, tk.kept)
			}
			bl, _ := f.tokens.IsBlacklisted(ctx, tk.jti)
			if bl != (tk.kept && tk.blacklisted) {
				t.Errorf("%s: blacklisted=%v after flush", tk.jti, bl)
			}
		}
		if got := f.count(t, BlacklistedTokenTable); got != 2 {
			t.Fatalf("%d blacklist rows left, want 2", got)
		}
		if n, err := f.tokens.FlushExpired(ctx, now, 0); err != nil || n != 0 {
			t.Fatalf("second flush = %d, %v", n, err)
		}
	})
}

// flushingStore is a TokenStore that can flush: both of this package's stores.
type flushingStore interface {
	TokenStore
	ExpiredTokenFlusher
}

// TestFlushKeepsRowsInsideLeeway: with a leeway, a token is accepted until exp+leeway, so the
// flush deletes only rows with expires_at <= now - leeway (Django's flush deletes every row with
// expires_at <= now, and a blacklisted token inside the leeway is accepted again). A negative
// leeway is refused.
func TestFlushKeepsRowsInsideLeeway(t *testing.T) {
	check := func(t *testing.T, store flushingStore) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second).Add(409586 * time.Microsecond)
		const leeway = time.Minute
		rows := []struct {
			jti  string
			exp  time.Time
			kept bool
		}{
			{"long-gone", now.Add(-time.Hour), false},
			{"leeway-and-a-second-ago", now.Add(-leeway - time.Second), false},
			{"exactly-leeway-ago", now.Add(-leeway), false}, // refused once exp <= now - leeway
			{"leeway-less-a-microsecond-ago", now.Add(-leeway + time.Microsecond), true},
			{"a-second-ago", now.Add(-time.Second), true},
			{"exactly-now", now, true},
			{"future", now.Add(time.Hour), true},
		}
		for _, r := range rows {
			if _, err := store.Blacklist(ctx, rec(r.jti, "", r.exp)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := store.FlushExpired(ctx, now, -time.Second); !errors.Is(err, ErrNegativeLeeway) {
			t.Fatalf("negative leeway: %v, want ErrNegativeLeeway", err)
		}
		n, err := store.FlushExpired(ctx, now, leeway)
		if err != nil || n != 3 {
			t.Fatalf("FlushExpired = %d, %v; want 3", n, err)
		}
		for _, r := range rows {
			if bl, err := store.IsBlacklisted(ctx, r.jti); err != nil || bl != r.kept {
				t.Errorf("%s: blacklisted = %v, %v after the flush; want %v", r.jti, bl, err, r.kept)
			}
		}
	}
	forEachDB(t, true, func(t *testing.T, tdb *testDB) { check(t, NewTokenStore(tdb.DB, nil)) })
}

// TestFlushBesideBlacklisting runs the flush while tokens are being blacklisted (SECURITY D13):
// no error, and no unexpired row is lost.
func TestFlushBesideBlacklisting(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		ctx := context.Background()
		now := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, 1000)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 25 {
					exp := now.Add(time.Hour)
					if i%2 == 0 {
						exp = now.Add(-time.Hour)
					}
					if _, err := f.tokens.Blacklist(ctx, rec(fmt.Sprintf("g%d-%d", g, i), "", exp)); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if _, err := f.tokens.FlushExpired(ctx, now, 0); err != nil {
					errs <- err
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("error: %v (%v)", err, errors.Unwrap(err))
		}
		var live int64
		f.DB.Raw("SELECT COUNT(*) FROM "+BlacklistedTokenTable+" b JOIN "+OutstandingTokenTable+" o ON o.id = b.token_id WHERE o.expires_at > ?", NewDjangoTime(now)).Scan(&live)
		if live != 8*12 {
			t.Fatalf("%d unexpired blacklisted tokens, want %d", live, 8*12)
		}
	})
}

func TestBlacklistAllForUser(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		f := newTokenFixture(t, tdb)
		ctx := context.Background()
		alice, bob := f.users.UserID(f.alice), f.users.UserID(f.bob)
		exp := time.Now().Add(time.Hour)
		for i := range 3 {
			_ = f.tokens.Outstand(ctx, rec(fmt.Sprintf("alice-%d", i), alice, exp))
		}
		_ = f.tokens.Outstand(ctx, rec("bob-0", bob, exp))
		_, _ = f.tokens.Blacklist(ctx, rec("alice-0", alice, exp))

		n, err := f.tokens.BlacklistAllForUser(ctx, alice)
		if err != nil || n != 2 {
			t.Fatalf("BlacklistAllForUser = %d, %v; want 2", n, err)
		}
		for jti, want := range map[string]bool{"alice-0": true, "alice-1": true, "alice-2": true, "bob-0": false} {
			if got, _ := f.tokens.IsBlacklisted(ctx, jti); got != want {
				t.Errorf("%s blacklisted=%v, want %v", jti, got, want)
			}
		}
		if n, err := f.tokens.BlacklistAllForUser(ctx, alice); err != nil || n != 0 {
			t.Fatalf("again = %d, %v", n, err)
		}
		if n, err := f.tokens.BlacklistAllForUser(ctx, "424242"); err != nil || n != 0 {
			t.Fatalf("unknown user = %d, %v", n, err)
		}
	})
}

// TestFlushExpiredBatches: more expired rows than one batch are all flushed.
func TestFlushExpiredBatches(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		now := time.Now()
		var rows []OutstandingToken
		for i := range 2*flushBatch + 500 {
			exp := now.Add(-time.Hour)
			if i%10 == 0 {
				exp = now.Add(time.Hour)
			}
			rows = append(rows, OutstandingToken{JTI: fmt.Sprintf("b%d", i), Token: "t", ExpiresAt: NewDjangoTime(exp)})
		}
		if err := tdb.DB.CreateInBatches(rows, 500).Error; err != nil {
			t.Fatal(err)
		}
		var ids []int64
		tdb.DB.Raw("SELECT id FROM " + OutstandingTokenTable + " ORDER BY id LIMIT 300").Scan(&ids)
		for _, id := range ids {
			if err := tdb.DB.Create(&BlacklistedToken{TokenID: id, BlacklistedAt: NewDjangoTime(now)}).Error; err != nil {
				t.Fatal(err)
			}
		}
		n, err := FlushExpiredTokens(context.Background(), tdb.DB, now, 0)
		if want := int64(len(rows) - len(rows)/10); err != nil || n != want {
			t.Fatalf("FlushExpiredTokens = %d, %v; want %d", n, err, want)
		}
		var left, bl int64
		tdb.DB.Raw("SELECT COUNT(*) FROM " + OutstandingTokenTable).Scan(&left)
		tdb.DB.Raw("SELECT COUNT(*) FROM " + BlacklistedTokenTable).Scan(&bl)
		if left != int64(len(rows)/10) || bl != 30 {
			t.Fatalf("left %d outstanding and %d blacklist rows; want %d and 30", left, bl, len(rows)/10)
		}
	})
}

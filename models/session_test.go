package models

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestSessionStore: create, list newest first, touch, end one (another user's: not found),
// end all, and the revocation log each end appends, on every dialect; MigrateSessions is
// idempotent and leaves Django's tables alone.
func TestSessionStore(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		for range 2 {
			if err := MigrateSessions(ctx, tdb.DB); err != nil {
				t.Fatalf("MigrateSessions: %v (%v)", err, errors.Unwrap(err))
			}
		}
		s := NewSessionStore(tdb.DB, 0)
		t0 := time.Date(2030, 1, 1, 0, 0, 0, 123000, time.UTC)
		long := strings.Repeat("é", 300) + "\x00"
		for i, id := range []string{"s1", "s2", "s3"} {
			user := "1"
			if id == "s3" {
				user = "2"
			}
			at := t0.Add(time.Duration(i) * time.Minute)
			if err := s.Create(ctx, Session{ID: id, UserID: user, CreatedAt: at, LastUsedAt: at, UserAgent: "ua-" + id + long, IP: "127.0.0.1"}); err != nil {
				t.Fatalf("Create(%s): %v", id, err)
			}
		}
		list, err := s.List(ctx, "1")
		if err != nil {
			t.Fatal(err)
		}
		if ids := sessionIDs(list); !slices.Equal(ids, []string{"s2", "s1"}) {
			t.Fatalf("List = %v, want newest first", ids)
		}
		if got := list[1]; !got.CreatedAt.Equal(t0) || len(got.UserAgent) != maxUserAgent-1 || strings.Contains(got.UserAgent, "\x00") || got.IP != "127.0.0.1" || !got.EndedAt.IsZero() {
			t.Fatalf("s1 = %+v", got)
		}
		if err := s.Touch(ctx, "s1", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Get(ctx, "s1"); err != nil || !got.LastUsedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("Get after Touch = %+v, %v", got, err)
		}
		rev := Revocation{NotBefore: t0.Add(2 * time.Hour), ExpiresAt: t0.Add(26 * time.Hour), CreatedAt: t0.Add(2 * time.Hour)}
		cases := []struct {
			name, user, id string
			want           error
		}{
			{"another user's session", "2", "s1", ErrSessionNotFound},
			{"no such session", "1", "nope", ErrSessionNotFound},
			{"own session", "1", "s1", nil},
			{"already ended", "1", "s1", ErrSessionNotFound},
		}
		for _, tc := range cases {
			if err := s.End(ctx, tc.user, tc.id, EndLogout, rev); !errors.Is(err, tc.want) {
				t.Errorf("%s: End = %v, want %v", tc.name, err, tc.want)
			}
		}
		if got, _ := s.Get(ctx, "s1"); !got.EndedAt.Equal(rev.NotBefore) || got.EndReason != EndLogout {
			t.Fatalf("ended s1 = %+v", got)
		}
		if ended, err := s.EndAll(ctx, "1", EndLogoutAll, rev); err != nil || !slices.Equal(ended, []string{"s2"}) {
			t.Fatalf("EndAll = %v, %v", ended, err)
		}
		if list, _ := s.List(ctx, "1"); len(list) != 0 {
			t.Fatalf("after EndAll: %v", sessionIDs(list))
		}
		if list, _ := s.List(ctx, "2"); len(list) != 1 {
			t.Fatalf("bob's session ended too: %v", sessionIDs(list))
		}
		revs, err := s.Revocations(ctx, 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 || revs[0].Kind != RevokeSession || revs[0].Key != "s1" || revs[1].Kind != RevokeSession || revs[1].Key != "s2" ||
			revs[2].Kind != RevokeUser || revs[2].Key != "1" || !revs[2].NotBefore.Equal(rev.NotBefore) || !revs[2].ExpiresAt.Equal(rev.ExpiresAt) {
			t.Fatalf("Revocations = %+v", revs)
		}
		revs = revs[1:]
		if later, _ := s.Revocations(ctx, revs[0].ID, t0); len(later) != 1 || later[0].ID != revs[1].ID {
			t.Fatalf("Revocations after the first = %+v", later)
		}
		if expired, _ := s.Revocations(ctx, 0, rev.ExpiresAt); len(expired) != 0 {
			t.Fatalf("expired revocations returned: %+v", expired)
		}
		if last, err := s.LastRevocationID(ctx); err != nil || last != revs[1].ID {
			t.Fatalf("LastRevocationID = %d, %v", last, err)
		}
		if n, err := s.DeleteExpiredRevocations(ctx, rev.ExpiresAt); err != nil || n != 3 {
			t.Fatalf("DeleteExpiredRevocations = %d, %v", n, err)
		}
	})
}

// TestBlacklistSession: only the user's live tokens carrying the session's claim are
// blacklisted.
func TestBlacklistSession(t *testing.T) {
	forEachDB(t, true, func(t *testing.T, tdb *testDB) {
		ctx := context.Background()
		f := newTokenFixture(t, tdb)
		alice := f.users.UserID(f.alice)
		exp := time.Now().Add(time.Hour)
		jwt := func(payload string) string {
			return "e30." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
		}
		tokens := map[string]string{
			"in1":   jwt(`{"sid":"S","jti":"in1"}`),
			"in2":   jwt(`{"jti":"in2","sid":"S"}`),
			"other": jwt(`{"sid":"T"}`),
			"none":  jwt(`{}`),
			"junk":  "not a jwt",
		}
		for jti, tok := range tokens {
			r := rec(jti, alice, exp)
			r.Token = tok
			if err := f.tokens.Outstand(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := f.tokens.BlacklistSession(ctx, alice, "sid", "S"); err != nil || n != 2 {
			t.Fatalf("BlacklistSession = %d, %v", n, err)
		}
		for jti := range tokens {
			black, _ := f.tokens.IsBlacklisted(ctx, jti)
			_, at, _ := f.tokens.BlacklistedAt(ctx, jti)
			if want := jti == "in1" || jti == "in2"; black != want || at != want {
				t.Errorf("%s blacklisted = %v (BlacklistedAt found %v), want %v", jti, black, at, want)
			}
		}
		if n, err := f.tokens.BlacklistSession(ctx, alice, "sid", "S"); err != nil || n != 0 {
			t.Fatalf("second BlacklistSession = %d, %v", n, err)
		}
	})
}

func sessionIDs(list []Session) []string {
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	return ids
}

// FuzzPayloadClaim: any stored token text reads as a claim or "", never a panic; a payload
// made with the claim reads it back.
func FuzzPayloadClaim(f *testing.F) {
	for _, s := range []string{"e30.eyJzaWQiOiJTIn0.x", "a.b.c", "", "..", "x.eyJzaWQiOjF9.y", "x.eyJzaWQiOiJcdTAwZTkifQ.y"} {
		f.Add(s, "S")
	}
	f.Fuzz(func(t *testing.T, token, sid string) {
		_ = payloadClaim(token, "sid")
		if !utf8.ValidString(sid) {
			return
		}
		b, _ := json.Marshal(map[string]string{"sid": sid})
		if got := payloadClaim("e30."+base64.RawURLEncoding.EncodeToString(b)+".sig", "sid"); got != sid {
			t.Fatalf("payloadClaim = %q, want %q", got, sid)
		}
	})
}

package main

// The interop suite: the Go example and the real djangorestframework-simplejwt (5.2.2, Debian's,
// run by testdata/djangoproject/run.sh) share one database and one signing key, and each accepts
// what the other made: users, access/refresh/sliding tokens, blacklist rows, rotations, schema
// and flushes. It runs on SQLite, and on PostgreSQL when SIMPLEJWT_TEST_POSTGRES_DSN is set
// (throwaway databases made with CREATE DATABASE next to the DSN's, dropped afterwards); both at
// once, each with its own servers. .ci/interop.sh runs it alone with its log.
//
// Debian's simplejwt is 5.2.2 and the port follows the newest release (5.5.1), so what changed
// in between (5.4 checks the user on refresh, 5.5 splits "Token is invalid or expired" and
// writes an outstanding row for a rotated refresh token, the refresh view's access token gets
// its own iat; see testdata/djangoproject/README.md) is logged as "deliberate difference", not
// asserted. Every cross-side check is counted by direction (who made it → who accepted it),
// and the test logs the totals: "interop: N Go→Django, M Django→Go passed".

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const interopPassword = "interop-Password-1"

// Exact bodies both sides answer, as simplejwt renders them (DRF's compact JSON, no spaces after
// ":" and ","): an empty object, the obtain view's failed login, a blacklisted refresh token, and
// the verify view's blacklisted token (a serializer error, hence non_field_errors).
const (
	interopBodyEmpty        = `{}`
	interopBodyNoAccount    = `{"detail":"No active account found with the given credentials"}`
	interopBodyBlacklisted  = `{"detail":"Token is blacklisted","code":"token_not_valid"}`
	interopBodyVerifyBanned = `{"non_field_errors":["Token is blacklisted"]}`
)

// The SIMPLE_JWT_* configurations the suite runs both services with.
var interopConfigs = map[string][]string{
	"default":          nil,
	"sliding":          {"SIMPLE_JWT_AUTH_TOKEN_CLASSES=AccessToken,SlidingToken"},
	"rotate":           {"SIMPLE_JWT_ROTATE_REFRESH_TOKENS=true"},
	"rotate+blacklist": {"SIMPLE_JWT_ROTATE_REFRESH_TOKENS=true", "SIMPLE_JWT_BLACKLIST_AFTER_ROTATION=true"},
	"short":            {"SIMPLE_JWT_REFRESH_TOKEN_LIFETIME=2s"},
	// The Go side hashes at Django 3.2's PBKDF2 count, as an operator next to it would set it.
	"pbkdf2-django-3.2": {"PBKDF2_ITERATIONS=260000"},
	// Sessions on the Go side (Django ignores the unknown keys).
	"sessions": {"SIMPLE_JWT_ROTATE_REFRESH_TOKENS=true", "SIMPLE_JWT_BLACKLIST_AFTER_ROTATION=true",
		"SIMPLE_JWT_SESSIONS=true", "SIMPLE_JWT_REFRESH_TOKEN_REUSE_DETECTION=true"},
}

// interop is the state of one database's run.
type interop struct {
	t        *testing.T // the database's test: it owns the servers
	db       *interopDB
	env      interopEnv // the shared database and key, no settings
	runSh    string
	bin      string
	adminDSN string // PostgreSQL only: where to create fresh databases
	user     string // a user Django created, shared by the token cases (password interopPassword)

	// The shared database right after Django's migrate, before any Go process touched it.
	djangoSchema, djangoMigrations []string
	tally                          interopTally

	mu    sync.Mutex
	pairs map[string]*interopPair
	notes map[string]bool
}

// pair is a Django server and a Go server with the same configuration on the same database.
type interopPair struct {
	django, gosrv *interopServer
}

// servers returns the pair of the named configuration, starting it on first use (both at once).
func (ix *interop) servers(t *testing.T, config string) *interopPair {
	t.Helper()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if p := ix.pairs[config]; p != nil {
		return p
	}
	settings, ok := interopConfigs[config]
	if !ok {
		t.Fatalf("interop: no configuration %q", config)
	}
	env := ix.env.with(settings...)
	start := time.Now()
	djAddr, goAddr := interopFreeAddr(t), interopFreeAddr(t)
	p := &interopPair{
		django: interopStartServer(t, ix.t, "django("+config+")", djAddr, env.environ(), ix.runSh, "serve", djAddr),
		gosrv:  interopStartServer(t, ix.t, "go("+config+")", goAddr, env.environ("ADDR="+goAddr), ix.bin),
	}
	p.django.ready(t)
	p.gosrv.ready(t)
	t.Logf("interop: %s servers (%s) up in %v: django %s, go %s", config, ix.db.kind,
		time.Since(start).Round(10*time.Millisecond), p.django.base, p.gosrv.base)
	ix.pairs[config] = p
	return p
}

// django runs run.sh args with env and returns its stdout; a failure fails t.
func (ix *interop) django(t *testing.T, env interopEnv, args ...string) string {
	t.Helper()
	out, errOut, err := interopCommand(t, env.environ(), ix.runSh, args...)
	if err != nil {
		t.Fatalf("interop: run.sh %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// goCmd runs the example binary with args and env and returns its stdout; a failure fails t.
func (ix *interop) goCmd(t *testing.T, env interopEnv, args ...string) string {
	t.Helper()
	out, errOut, err := interopCommand(t, env.environ(), ix.bin, args...)
	if err != nil {
		t.Fatalf("interop: example %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// djangoJSON evaluates a Python expression with run.sh shell-json.
func (ix *interop) djangoJSON(t *testing.T, env interopEnv, expr string) any {
	t.Helper()
	out := ix.django(t, env, "shell-json", expr)
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &v); err != nil {
		t.Fatalf("interop: shell-json %s: %v: %q", expr, err, out)
	}
	return v
}

// name returns a username not used before in this process.
func (ix *interop) name(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, interopSeq.Add(1))
}

// note logs a deliberate difference between 5.2.2 and the newest simplejwt once per database.
func (ix *interop) note(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	ix.mu.Lock()
	seen := ix.notes[msg]
	ix.notes[msg] = true
	ix.mu.Unlock()
	if !seen {
		t.Logf("interop: deliberate difference (Django runs simplejwt 5.2.2, Go follows the newest): %s", msg)
	}
}

// freshDB returns a new empty database of the same kind, dropped when t ends.
func (ix *interop) freshDB(t *testing.T) interopEnv {
	t.Helper()
	env := ix.env
	if ix.db.kind == "postgres" {
		env.db = interopNewPostgres(t, ix.adminDSN)
	} else {
		env.db = interopNewSQLite(t)
	}
	return env
}

// pbkdf2Iterations returns the iteration count of a pbkdf2_* hash ("" for another format).
func interopIterations(hash string) string {
	parts := strings.Split(hash, "$")
	if len(parts) == 4 && strings.HasPrefix(parts[0], "pbkdf2_") {
		return parts[1]
	}
	return ""
}

func interopDescribeHash(hash string) string {
	alg, _, _ := strings.Cut(hash, "$")
	if it := interopIterations(hash); it != "" {
		return alg + " " + it
	}
	return alg
}

func TestInterop(t *testing.T) {
	interopRequireDjango(t)
	runSh := interopRunSh(t)
	bin := interopExampleBinary(t)
	key := "interop-signing-key-" + interopRandomHex(16)
	pgDSN := os.Getenv("SIMPLEJWT_TEST_POSTGRES_DSN")

	type dbRun struct {
		name string
		ix   *interop
	}
	runs := []*dbRun{{name: "SQLite"}}
	if pgDSN != "" {
		runs = append(runs, &dbRun{name: "PostgreSQL"})
	} else {
		t.Log("interop: SIMPLEJWT_TEST_POSTGRES_DSN is not set: SQLite only")
	}
	start := time.Now()
	// Runs after the databases' subtests, parallel ones included.
	t.Cleanup(func() {
		total := &interopTally{}
		var per []string
		for _, r := range runs {
			if r.ix != nil {
				total.add(&r.ix.tally)
				per = append(per, fmt.Sprintf("%s: %s", r.ix.db.kind, r.ix.tally.summary()))
			}
		}
		t.Logf("interop: %s (%s) in %v", total.summary(), strings.Join(per, "; "), time.Since(start).Round(100*time.Millisecond))
	})
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			if len(runs) > 1 {
				t.Parallel()
			}
			began := time.Now()
			ix := &interop{t: t, runSh: runSh, bin: bin, pairs: map[string]*interopPair{}, notes: map[string]bool{}}
			if r.name == "PostgreSQL" {
				ix.adminDSN = pgDSN
				ix.db = interopNewPostgres(t, pgDSN)
			} else {
				ix.db = interopNewSQLite(t)
			}
			ix.env = interopEnv{db: ix.db, key: key}
			r.ix = ix
			// Django migrates the shared database; the Go servers migrate it again when they
			// start, which must leave it as it is.
			ix.django(t, ix.env, "migrate")
			ix.djangoSchema, ix.djangoMigrations = ix.db.schema(t), ix.db.migrations(t)
			ix.user = ix.name("shared")
			ix.django(t, ix.env, "createuser", ix.user, interopPassword)
			t.Cleanup(func() { // after a t.Fatal too
				t.Logf("interop[%s]: %s in %v", ix.db.kind, ix.tally.summary(), time.Since(began).Round(100*time.Millisecond))
			})
			interopRunCases(t, ix)
		})
	}
}

func interopRunCases(t *testing.T, ix *interop) {
	t.Run("DjangoUserObtainsFromGo", func(t *testing.T) { interopCaseDjangoUserObtainsFromGo(t, ix) })
	t.Run("GoUserObtainsFromDjango", func(t *testing.T) { interopCaseGoUserObtainsFromDjango(t, ix) })
	t.Run("SameIterationsNoRehash", func(t *testing.T) { interopCaseSameIterationsNoRehash(t, ix) })
	t.Run("AccessAcceptedBothWays", func(t *testing.T) { interopCaseAccessAcceptedBothWays(t, ix) })
	t.Run("SlidingBothWays", func(t *testing.T) { interopCaseSlidingBothWays(t, ix) })
	t.Run("RefreshBothWays", func(t *testing.T) {
		t.Run("NoRotation", func(t *testing.T) { interopCaseRefreshBothWays(t, ix, "default") })
		t.Run("Rotation", func(t *testing.T) { interopCaseRefreshBothWays(t, ix, "rotate") })
	})
	t.Run("BlacklistCrossesOver", func(t *testing.T) {
		t.Run("BlacklistView", func(t *testing.T) { interopCaseBlacklistView(t, ix) })
		t.Run("AfterRotation", func(t *testing.T) { interopCaseBlacklistAfterRotation(t, ix) })
	})
	t.Run("MigrateIsIdempotent", func(t *testing.T) {
		t.Run("GoAfterDjango", func(t *testing.T) { interopCaseGoMigrateAfterDjango(t, ix) })
		t.Run("DjangoAfterGo", func(t *testing.T) { interopCaseDjangoMigrateAfterGo(t, ix) })
	})
	t.Run("FlushExpiredBothWays", func(t *testing.T) { interopCaseFlushExpiredBothWays(t, ix) })
	t.Run("SessionsCrossDjango", func(t *testing.T) { interopCaseSessionsCrossDjango(t, ix) })
}

// ---------------------------------------------------------------------------------------------
// 1. Users and passwords

func interopCaseDjangoUserObtainsFromGo(t *testing.T, ix *interop) {
	p := ix.servers(t, "default")
	u := ix.name("dj_user")
	ix.django(t, ix.env, "createuser", u, interopPassword)
	h0 := ix.db.passwordHash(t, u)
	if !strings.HasPrefix(h0, "pbkdf2_sha256$260000$") {
		t.Errorf("Django 3.2's hash of %s: %q, want pbkdf2_sha256$260000$…", u, h0)
	}

	r := p.gosrv.obtain(t, u, interopPassword, false)
	if ix.tally.status(t, dirDjangoToGo, "Go obtain for a user Django created", r, 200, "") {
		ix.tally.check(t, dirDjangoToGo, r.str("refresh") != "" && r.str("access") != "",
			"Go obtain: no refresh/access in %v", r)
	}
	ix.tally.status(t, dirDjangoToGo, "Go obtain, wrong password, Django's user",
		p.gosrv.obtain(t, u, "wrong-"+interopPassword, false), 401, interopBodyNoAccount)

	// Go may re-hash to its own iteration count; Django must still log the user in.
	h1 := ix.db.passwordHash(t, u)
	r = p.django.obtain(t, u, interopPassword, false)
	if h1 != h0 {
		t.Logf("interop: Go re-hashed %s's password on login: %s → %s", u, interopDescribeHash(h0), interopDescribeHash(h1))
		ix.tally.status(t, dirGoToDjango, "Django obtain after Go re-hashed the password", r, 200, "")
		if h2 := ix.db.passwordHash(t, u); h2 != h1 {
			ix.note(t, "each side re-hashes the other's pbkdf2 iteration count on login (%s → %s → %s); both verify either",
				interopDescribeHash(h0), interopDescribeHash(h1), interopDescribeHash(h2))
			ix.tally.status(t, dirDjangoToGo, "Go obtain after Django re-hashed it back",
				p.gosrv.obtain(t, u, interopPassword, false), 200, "")
		}
	} else if r.status != 200 {
		t.Errorf("Django obtain for its own user: %v", r)
	}

	// An inactive user (Django's bool column) is refused by Go like by Django.
	inactive := ix.name("dj_inactive")
	ix.django(t, ix.env, "createuser", inactive, interopPassword, "--inactive")
	ix.tally.status(t, dirDjangoToGo, "Go obtain for a user Django created inactive",
		p.gosrv.obtain(t, inactive, interopPassword, false), 401, interopBodyNoAccount)

	// A password Django changed works on Go.
	ix.django(t, ix.env, "changepassword", u, interopPassword+"-new")
	ix.tally.status(t, dirDjangoToGo, "Go obtain with the password Django set",
		p.gosrv.obtain(t, u, interopPassword+"-new", false), 200, "")
	ix.tally.status(t, dirDjangoToGo, "Go obtain with the password Django replaced",
		p.gosrv.obtain(t, u, interopPassword, false), 401, interopBodyNoAccount)
}

// interopCaseSameIterationsNoRehash: with PBKDF2_ITERATIONS at Django 3.2's count, neither side
// re-hashes the other's passwords on login: a Django user logs in through Go and then Django,
// a Go user through Django and then Go, and both hashes stay as they were made.
func interopCaseSameIterationsNoRehash(t *testing.T, ix *interop) {
	p := ix.servers(t, "pbkdf2-django-3.2")
	dj, gu := ix.name("dj_same_iter"), ix.name("go_same_iter")
	ix.django(t, ix.env, "createuser", dj, interopPassword)
	ix.goCmd(t, ix.env.with("PBKDF2_ITERATIONS=260000"), "createuser", "--username", gu, "--password", interopPassword)
	for _, u := range []string{dj, gu} {
		h0 := ix.db.passwordHash(t, u)
		ix.tally.check(t, dirGoToDjango, strings.HasPrefix(h0, "pbkdf2_sha256$260000$"), "%s's hash %s, want pbkdf2_sha256$260000$…", u, interopDescribeHash(h0))
		ix.tally.status(t, dirDjangoToGo, "Go obtain at Django 3.2's count", p.gosrv.obtain(t, u, interopPassword, false), 200, "")
		ix.tally.status(t, dirGoToDjango, "Django obtain at its own count", p.django.obtain(t, u, interopPassword, false), 200, "")
		h1 := ix.db.passwordHash(t, u)
		ix.tally.check(t, dirDjangoToGo, h1 == h0, "%s re-hashed on login with the same count: %s → %s", u, interopDescribeHash(h0), interopDescribeHash(h1))
	}
}

func interopCaseGoUserObtainsFromDjango(t *testing.T, ix *interop) {
	p := ix.servers(t, "default")
	u := ix.name("go_user")
	ix.goCmd(t, ix.env, "createuser", "--username", u, "--password", interopPassword)
	h0 := ix.db.passwordHash(t, u)
	t.Logf("interop: Go's createuser hashed with %s", interopDescribeHash(h0))

	r := p.django.obtain(t, u, interopPassword, false)
	if ix.tally.status(t, dirGoToDjango, "Django obtain for a user Go created", r, 200, "") {
		ix.tally.check(t, dirGoToDjango, r.str("refresh") != "" && r.str("access") != "",
			"Django obtain: no refresh/access in %v", r)
	}
	ix.tally.status(t, dirGoToDjango, "Django obtain, wrong password, Go's user",
		p.django.obtain(t, u, "wrong-"+interopPassword, false), 401, interopBodyNoAccount)
	h1 := ix.db.passwordHash(t, u)
	if h1 != h0 {
		ix.note(t, "Django 3.2 re-hashes a %s password on login to %s (its default); the Go side verifies both",
			interopDescribeHash(h0), interopDescribeHash(h1))
	}
	// After Django's re-hash, both sides still log the user in.
	r = p.gosrv.obtain(t, u, interopPassword, false)
	if h1 != h0 {
		ix.tally.status(t, dirDjangoToGo, "Go obtain after Django re-hashed Go's password", r, 200, "")
	} else if r.status != 200 {
		t.Errorf("Go obtain for its own user: %v", r)
	}
	if h2 := ix.db.passwordHash(t, u); h2 != h1 {
		ix.tally.status(t, dirGoToDjango, "Django obtain after Go re-hashed again",
			p.django.obtain(t, u, interopPassword, false), 200, "")
	}

	// Flags: inactive, superuser, email; Django reads the columns as it wrote them.
	inactive := ix.name("go_inactive")
	ix.goCmd(t, ix.env, "createuser", "--username", inactive, "--password", interopPassword, "--inactive")
	ix.tally.status(t, dirGoToDjango, "Django obtain for a user Go created inactive",
		p.django.obtain(t, inactive, interopPassword, false), 401, interopBodyNoAccount)

	admin := ix.name("go_admin")
	ix.goCmd(t, ix.env, "createuser", "--username", admin, "--password", interopPassword,
		"--superuser", "--email", admin+"@example.com")
	got := ix.djangoJSON(t, ix.env, fmt.Sprintf(
		`[[u.is_superuser, u.is_staff, u.is_active, u.email, u.date_joined.tzinfo is not None, u.last_login is None, u.first_name, u.last_name] for u in User.objects.filter(username=%q)]`, admin))
	want := []any{[]any{true, true, true, admin + "@example.com", true, true, "", ""}}
	ix.tally.check(t, dirGoToDjango, fmt.Sprint(got) == fmt.Sprint(want),
		"Django reads the superuser Go created as %v, want %v", got, want)

	// A password Go changed works on Django.
	ix.goCmd(t, ix.env, "changepassword", "--username", u, "--password", interopPassword+"-new")
	ix.tally.status(t, dirGoToDjango, "Django obtain with the password Go set",
		p.django.obtain(t, u, interopPassword+"-new", false), 200, "")
	ix.tally.status(t, dirGoToDjango, "Django obtain with the password Go replaced",
		p.django.obtain(t, u, interopPassword, false), 401, interopBodyNoAccount)
}

// ---------------------------------------------------------------------------------------------
// 2. Access and sliding tokens

// checkMe checks GET /api/me/ and /api/me/stateless/ on s with token, for user u (id).
func (ix *interop) checkMe(t *testing.T, dir interopDir, s *interopServer, token, u string, id int64, what string) {
	t.Helper()
	r := s.get(t, "/api/me/", token)
	m := r.json()
	ix.tally.check(t, dir, r.status == 200 && fmt.Sprint(m["id"]) == fmt.Sprint(id) && m["username"] == u,
		"%s on %s /api/me/: %v, want 200 {\"id\":%d,\"username\":%q}", what, s.name, r, id, u)
	if _, isNum := m["id"].(json.Number); r.status == 200 && !isNum {
		t.Errorf("%s /api/me/: id %#v is not a JSON number", s.name, m["id"])
	}
	r = s.get(t, "/api/me/stateless/", token)
	m = r.json()
	ix.tally.check(t, dir, r.status == 200 && m["id"] == fmt.Sprint(id),
		"%s on %s /api/me/stateless/: %v, want 200 {\"id\":\"%d\"}", what, s.name, r, id)
}

func interopCaseAccessAcceptedBothWays(t *testing.T, ix *interop) {
	p := ix.servers(t, "default")
	u := ix.user
	id := ix.db.userID(t, u)

	rd := p.django.obtain(t, u, interopPassword, false)
	rg := p.gosrv.obtain(t, u, interopPassword, false)
	if rd.status != 200 || rg.status != 200 {
		t.Fatalf("obtain: django %v, go %v", rd, rg)
	}
	ad, ag := rd.str("access"), rg.str("access")
	cd, cg := interopClaims(t, ad), interopClaims(t, ag)
	if _, isNum := cd["user_id"].(json.Number); isNum {
		if s, isStr := cg["user_id"].(string); isStr && s == fmt.Sprint(id) {
			ix.note(t, `user_id claim: Django writes the JSON number %v, Go the string %q; both accept both`, cd["user_id"], s)
		}
	}
	if fmt.Sprint(cd["user_id"]) != fmt.Sprint(cg["user_id"]) {
		t.Errorf("user_id claims: django %v, go %v", cd["user_id"], cg["user_id"])
	}

	ix.checkMe(t, dirDjangoToGo, p.gosrv, ad, u, id, "Django's access token")
	ix.tally.status(t, dirDjangoToGo, "Go verify of Django's access token",
		p.gosrv.post(t, "/api/token/verify/", map[string]string{"token": ad}), 200, interopBodyEmpty)
	ix.checkMe(t, dirGoToDjango, p.django, ag, u, id, "Go's access token")
	ix.tally.status(t, dirGoToDjango, "Django verify of Go's access token",
		p.django.post(t, "/api/token/verify/", map[string]string{"token": ag}), 200, interopBodyEmpty)

	// Refresh tokens verify on the other side too (verify accepts any type).
	ix.tally.status(t, dirDjangoToGo, "Go verify of Django's refresh token",
		p.gosrv.post(t, "/api/token/verify/", map[string]string{"token": rd.str("refresh")}), 200, interopBodyEmpty)
	ix.tally.status(t, dirGoToDjango, "Django verify of Go's refresh token",
		p.django.post(t, "/api/token/verify/", map[string]string{"token": rg.str("refresh")}), 200, interopBodyEmpty)

	// A tampered signature is refused by both (the key is really checked, not just shared).
	bad := ad[:strings.LastIndex(ad, ".")+1] + "AAAA" + ad[strings.LastIndex(ad, ".")+5:]
	rgBad := p.gosrv.get(t, "/api/me/", bad)
	rdBad := p.django.get(t, "/api/me/", bad)
	if rgBad.status != 401 || rdBad.status != 401 {
		t.Errorf("tampered token: go %v, django %v; want 401 from both", rgBad, rdBad)
	} else if rgBad.str("code") == "token_not_valid" && rdBad.str("code") == "token_not_valid" && string(rgBad.body) != string(rdBad.body) {
		ix.note(t, "a bad signature on /api/me/: Django %s, Go %s (5.5 split \"Token is invalid or expired\")", rdBad.body, rgBad.body)
	}
}

func interopCaseSlidingBothWays(t *testing.T, ix *interop) {
	p := ix.servers(t, "sliding")
	u := ix.user
	id := ix.db.userID(t, u)

	for _, c := range []struct {
		dir      interopDir // from → to
		from, to *interopServer
	}{
		{dirDjangoToGo, p.django, p.gosrv},
		{dirGoToDjango, p.gosrv, p.django},
	} {
		r := c.from.obtain(t, u, interopPassword, true)
		tok := r.str("token")
		if r.status != 200 || tok == "" {
			t.Fatalf("%s sliding obtain: %v", c.from.name, r)
		}
		ix.checkMe(t, c.dir, c.to, tok, u, id, c.from.name+"'s sliding token")
		// The other side refreshes it: same jti, and the first side accepts the result.
		rr := c.to.post(t, "/api/token/sliding/refresh/", map[string]string{"token": tok})
		if !ix.tally.status(t, c.dir, c.to.name+" sliding refresh of "+c.from.name+"'s token", rr, 200, "") {
			continue
		}
		tok2 := rr.str("token")
		ix.tally.check(t, c.dir, tok2 != "" && interopJTI(t, tok2) == interopJTI(t, tok),
			"sliding refresh kept jti %s? got %v", interopJTI(t, tok), rr)
		back := dirGoToDjango
		if c.dir == dirGoToDjango {
			back = dirDjangoToGo
		}
		ix.checkMe(t, back, c.from, tok2, u, id, c.to.name+"'s refreshed sliding token")
		// Access tokens of a pair still authenticate with AccessToken,SlidingToken.
		ra := c.from.obtain(t, u, interopPassword, false)
		if ra.status == 200 {
			ix.checkMe(t, c.dir, c.to, ra.str("access"), u, id, c.from.name+"'s access token (sliding config)")
		} else {
			t.Errorf("%s obtain pair: %v", c.from.name, ra)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// 3. Refresh

func interopCaseRefreshBothWays(t *testing.T, ix *interop, config string) {
	p := ix.servers(t, config)
	rotate := config == "rotate"
	u := ix.user
	id := ix.db.userID(t, u)

	type side struct {
		s       *interopServer
		toOther interopDir // what this side made, used by the other
	}
	dj := side{p.django, dirDjangoToGo}
	gs := side{p.gosrv, dirGoToDjango}
	for _, c := range []struct{ from, to side }{{dj, gs}, {gs, dj}} {
		r := c.from.s.obtain(t, u, interopPassword, false)
		if r.status != 200 {
			t.Fatalf("%s obtain: %v", c.from.s.name, r)
		}
		refresh := r.str("refresh")
		// The other side refreshes it.
		rr := c.to.s.post(t, "/api/token/refresh/", map[string]string{"refresh": refresh})
		if !ix.tally.status(t, c.from.toOther, c.to.s.name+" refresh of "+c.from.s.name+"'s refresh token", rr, 200, "") {
			continue
		}
		access, newRefresh := rr.str("access"), rr.str("refresh")
		ix.tally.check(t, c.from.toOther, access != "" && (newRefresh != "") == rotate,
			"%s refresh answer %v: want access%s", c.to.s.name, rr, map[bool]string{true: " and refresh", false: " only"}[rotate])
		// The new access token works on the first side.
		ix.checkMe(t, c.to.toOther, c.from.s, access, u, id, c.to.s.name+"'s refreshed access token")
		if c.to.s == p.django && !rotate {
			ca, cr := interopClaims(t, access), interopClaims(t, refresh)
			if fmt.Sprint(ca["iat"]) == fmt.Sprint(cr["iat"]) {
				ix.note(t, "the access token of /refresh/: 5.2.2 copies the refresh token's iat (%v), Go (5.5.1+) gives it its own", cr["iat"])
			}
		}
		if !rotate || newRefresh == "" {
			continue
		}
		// Rotation: the first side refreshes the rotated token, and the rotated token is stored
		// (or not) as each version does.
		rows := ix.db.outstandingRows(t, interopJTI(t, newRefresh))
		if c.to.s == p.gosrv && rows != 1 {
			t.Errorf("Go rotated a refresh token without an outstanding row (%d rows); the newest simplejwt writes one", rows)
		}
		if c.to.s == p.django && rows == 0 {
			ix.note(t, "a refresh token rotated by 5.2.2 gets no outstanding row; Go (5.5+) writes one")
		}
		rr2 := c.from.s.post(t, "/api/token/refresh/", map[string]string{"refresh": newRefresh})
		if ix.tally.status(t, c.to.toOther, c.from.s.name+" refresh of the token "+c.to.s.name+" rotated", rr2, 200, "") {
			ix.tally.check(t, c.to.toOther, rr2.str("refresh") != "" && rr2.str("access") != "",
				"%s refresh of a rotated token: %v", c.from.s.name, rr2)
			ix.checkMe(t, c.from.toOther, c.to.s, rr2.str("access"), u, id, c.from.s.name+"'s access from a rotated token")
		}
	}

	if rotate {
		return
	}
	// 5.2.2 does not check the user on refresh; the newest simplejwt refuses an inactive one.
	rd := p.django.obtain(t, u, interopPassword, false)
	rg := p.gosrv.obtain(t, u, interopPassword, false)
	ix.db.exec(t, "UPDATE auth_user SET is_active = ? WHERE username = ?", false, u)
	defer ix.db.exec(t, "UPDATE auth_user SET is_active = ? WHERE username = ?", true, u)
	goAns := p.gosrv.post(t, "/api/token/refresh/", map[string]string{"refresh": rd.str("refresh")})
	djAns := p.django.post(t, "/api/token/refresh/", map[string]string{"refresh": rg.str("refresh")})
	ix.note(t, "refresh for a user made inactive: Django 5.2.2 answers %d, Go %d %s (5.4+ checks the user)",
		djAns.status, goAns.status, goAns.str("detail"))
	if goAns.status != 401 {
		t.Errorf("Go refresh for an inactive user: %v, want 401 (simplejwt 5.4+)", goAns)
	}
	// The inactive user's access tokens are refused by both sides' DB-backed views.
	ix.tally.status(t, dirDjangoToGo, "Go /api/me/ with Django's access token of a user made inactive",
		p.gosrv.get(t, "/api/me/", rd.str("access")), 401, `{"detail":"User is inactive","code":"user_inactive"}`)
	ix.tally.status(t, dirGoToDjango, "Django /api/me/ with Go's access token of a user made inactive",
		p.django.get(t, "/api/me/", rg.str("access")), 401, `{"detail":"User is inactive","code":"user_inactive"}`)
}

// ---------------------------------------------------------------------------------------------
// 4. Blacklist

func interopCaseBlacklistView(t *testing.T, ix *interop) {
	p := ix.servers(t, "default")
	u := ix.user

	for _, c := range []struct {
		issuer, blacklister *interopServer
		made, banned        interopDir // the issuer's token used by the blacklister; the ban seen by the issuer
	}{
		{p.django, p.gosrv, dirDjangoToGo, dirGoToDjango},
		{p.gosrv, p.django, dirGoToDjango, dirDjangoToGo},
	} {
		r := c.issuer.obtain(t, u, interopPassword, false)
		if r.status != 200 {
			t.Fatalf("%s obtain: %v", c.issuer.name, r)
		}
		refresh := r.str("refresh")
		j := interopJTI(t, refresh)
		ix.tally.status(t, c.made, c.blacklister.name+" blacklists "+c.issuer.name+"'s refresh token",
			c.blacklister.post(t, "/api/token/blacklist/", map[string]string{"refresh": refresh}), 200, interopBodyEmpty)
		ix.tally.check(t, c.made, ix.db.outstandingRows(t, j) == 1 && ix.db.blacklistedRows(t, j) == 1,
			"rows for %s: %d outstanding, %d blacklisted; want 1 and 1", j, ix.db.outstandingRows(t, j), ix.db.blacklistedRows(t, j))
		ix.tally.status(t, c.banned, c.issuer.name+" refresh of a token "+c.blacklister.name+" blacklisted",
			c.issuer.post(t, "/api/token/refresh/", map[string]string{"refresh": refresh}), 401, interopBodyBlacklisted)
		ix.tally.status(t, c.banned, c.issuer.name+" blacklists again a token "+c.blacklister.name+" blacklisted",
			c.issuer.post(t, "/api/token/blacklist/", map[string]string{"refresh": refresh}), 401, interopBodyBlacklisted)
		// Without BLACKLIST_AFTER_ROTATION, verify does not consult the blacklist (both versions).
		ix.tally.status(t, c.banned, c.issuer.name+" verify of a token "+c.blacklister.name+" blacklisted (no BLACKLIST_AFTER_ROTATION)",
			c.issuer.post(t, "/api/token/verify/", map[string]string{"token": refresh}), 200, interopBodyEmpty)
	}
}

func interopCaseBlacklistAfterRotation(t *testing.T, ix *interop) {
	p := ix.servers(t, "rotate+blacklist")
	u := ix.user
	id := ix.db.userID(t, u)
	refresh := func(s *interopServer, tok string) interopReply {
		return s.post(t, "/api/token/refresh/", map[string]string{"refresh": tok})
	}

	// Django rotates: its old token is refused by Go, on refresh and verify.
	r := p.django.obtain(t, u, interopPassword, false)
	d0 := r.str("refresh")
	r = refresh(p.django, d0)
	if r.status != 200 || r.str("refresh") == "" {
		t.Fatalf("Django rotation: %v", r)
	}
	d1 := r.str("refresh")
	ix.tally.status(t, dirDjangoToGo, "Go refresh of a token Django rotated away", refresh(p.gosrv, d0), 401, interopBodyBlacklisted)
	ix.tally.status(t, dirDjangoToGo, "Go verify of a token Django rotated away",
		p.gosrv.post(t, "/api/token/verify/", map[string]string{"token": d0}), 400, interopBodyVerifyBanned)

	// d1 was rotated by 5.2.2: no outstanding row. Go rotates it (blacklisting a token it never
	// saw issued), and Django refuses it afterwards.
	if n := ix.db.outstandingRows(t, interopJTI(t, d1)); n != 0 {
		t.Logf("interop: Django 5.2.2's rotated token has %d outstanding rows (expected none)", n)
	}
	r = refresh(p.gosrv, d1)
	if ix.tally.status(t, dirDjangoToGo, "Go rotates a token Django rotated (no outstanding row)", r, 200, "") {
		g2 := r.str("refresh")
		ix.tally.check(t, dirDjangoToGo, ix.db.blacklistedRows(t, interopJTI(t, d1)) == 1,
			"Go rotated %s but did not blacklist it: %d blacklisted rows", interopJTI(t, d1), ix.db.blacklistedRows(t, interopJTI(t, d1)))
		t.Logf("interop: Go's outstanding row for the token Django rotated has user_id %s (5.2.2 leaves NULL, 5.4+ fills it)",
			ix.db.outstandingUser(t, interopJTI(t, d1)))
		ix.tally.status(t, dirGoToDjango, "Django refresh of its rotated token after Go rotated it", refresh(p.django, d1), 401, interopBodyBlacklisted)
		ix.tally.status(t, dirGoToDjango, "Django verify of its rotated token after Go rotated it",
			p.django.post(t, "/api/token/verify/", map[string]string{"token": d1}), 400, interopBodyVerifyBanned)

		// Django rotates Go's g2 (which has a row): d3 has none; Go blacklists d3 with the view.
		r = refresh(p.django, g2)
		if ix.tally.status(t, dirGoToDjango, "Django rotates a token Go rotated", r, 200, "") {
			d3 := r.str("refresh")
			ix.tally.status(t, dirDjangoToGo, "Go refresh of a token Django rotated away (Go's own)", refresh(p.gosrv, g2), 401, interopBodyBlacklisted)
			ix.tally.status(t, dirDjangoToGo, "Go blacklists a token Django rotated (no outstanding row)",
				p.gosrv.post(t, "/api/token/blacklist/", map[string]string{"refresh": d3}), 200, interopBodyEmpty)
			ix.tally.check(t, dirDjangoToGo, ix.db.outstandingRows(t, interopJTI(t, d3)) == 1 && ix.db.blacklistedRows(t, interopJTI(t, d3)) == 1,
				"Go's blacklist of %s: %d outstanding, %d blacklisted rows; want 1 and 1",
				interopJTI(t, d3), ix.db.outstandingRows(t, interopJTI(t, d3)), ix.db.blacklistedRows(t, interopJTI(t, d3)))
			if uid := ix.db.outstandingUser(t, interopJTI(t, d3)); uid != fmt.Sprint(id) {
				t.Logf("interop: Go's outstanding row for a blacklisted token Django rotated has user_id %s, want %d (5.4+)", uid, id)
			}
			ix.tally.status(t, dirGoToDjango, "Django refresh of its rotated token that Go blacklisted", refresh(p.django, d3), 401, interopBodyBlacklisted)
		}
	}

	// Go rotates: its old token is refused by Django; Django rotates Go's new one, and Go
	// refuses that one afterwards.
	r = p.gosrv.obtain(t, u, interopPassword, false)
	g0 := r.str("refresh")
	r = refresh(p.gosrv, g0)
	if r.status != 200 || r.str("refresh") == "" {
		t.Fatalf("Go rotation: %v", r)
	}
	g1 := r.str("refresh")
	ix.tally.status(t, dirGoToDjango, "Django refresh of a token Go rotated away", refresh(p.django, g0), 401, interopBodyBlacklisted)
	ix.tally.status(t, dirGoToDjango, "Django verify of a token Go rotated away",
		p.django.post(t, "/api/token/verify/", map[string]string{"token": g0}), 400, interopBodyVerifyBanned)
	r = refresh(p.django, g1)
	if ix.tally.status(t, dirGoToDjango, "Django rotates a token Go rotated", r, 200, "") {
		ix.tally.status(t, dirDjangoToGo, "Go refresh of its token after Django rotated it", refresh(p.gosrv, g1), 401, interopBodyBlacklisted)
		ix.checkMe(t, dirDjangoToGo, p.gosrv, r.str("access"), u, id, "Django's access token from a rotation")
	}
}

// ---------------------------------------------------------------------------------------------
// 5. Migrations

// tableColumns returns the columns (name, type, nullability) and foreign keys of auth_user and
// the token_blacklist tables, for comparing a Go-made schema with a Django-made one.
func interopTableColumns(t *testing.T, db *interopDB) (columns, constraints []string) {
	t.Helper()
	if db.kind == "sqlite" {
		columns = db.rows(t, `SELECT m.name, p.name, lower(p.type), p."notnull", p.pk
			FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND (m.name = 'auth_user' OR m.name LIKE 'token_blacklist_%')
			ORDER BY 1, 2`)
		constraints = db.rows(t, `SELECT m.name, f."from", f."table", f."to"
			FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND (m.name = 'auth_user' OR m.name LIKE 'token_blacklist_%')
			ORDER BY 1, 2`)
		constraints = append(constraints, db.rows(t, `SELECT m.name, i.name, i."unique"
			FROM sqlite_master m, pragma_index_list(m.name) i
			WHERE m.type = 'table' AND (m.name = 'auth_user' OR m.name LIKE 'token_blacklist_%') AND i."unique" = 1
			ORDER BY 1, 2`)...)
		// Unique index names are generated; keep the indexed columns instead.
		re := regexp.MustCompile(`\| [^|]+ \| 1$`)
		for i, c := range constraints {
			constraints[i] = re.ReplaceAllString(c, "| unique")
		}
		return columns, constraints
	}
	columns = db.rows(t, `SELECT table_name, column_name, data_type,
			COALESCE(character_maximum_length::text, ''), is_nullable
		FROM information_schema.columns
		WHERE table_schema = 'public' AND (table_name = 'auth_user' OR table_name LIKE 'token_blacklist_%')
		ORDER BY 1, 2`)
	constraints = db.rows(t, `SELECT conrelid::regclass::text, contype::text, pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace
			AND (conrelid::regclass::text = 'auth_user' OR conrelid::regclass::text LIKE 'token_blacklist_%')
		ORDER BY 1, 2, 3`)
	return columns, constraints
}

// dataSnapshot is the users and token rows, for "data stays".
func interopDataSnapshot(t *testing.T, db *interopDB) []string {
	t.Helper()
	out := db.rows(t, `SELECT 'user', id, username, password, is_active FROM auth_user ORDER BY id`)
	out = append(out, db.rows(t, `SELECT 'outstanding', id, jti, user_id, expires_at FROM token_blacklist_outstandingtoken ORDER BY id`)...)
	return append(out, db.rows(t, `SELECT 'blacklisted', id, token_id FROM token_blacklist_blacklistedtoken ORDER BY id`)...)
}

// interopCaseGoMigrateAfterDjango runs Go's migrate on the shared database, which Django migrated and
// which holds what the other cases wrote, and compares it with the snapshot taken right after
// Django's migrate: so the Go servers' own migrate at startup is checked too.
func interopCaseGoMigrateAfterDjango(t *testing.T, ix *interop) {
	env := ix.env
	data0 := interopDataSnapshot(t, env.db)
	start := time.Now()
	out := ix.goCmd(t, env, "migrate")
	t.Logf("interop: Go migrate on the Django-migrated %s database took %v; output %q", env.db.kind,
		time.Since(start).Round(10*time.Millisecond), strings.TrimSpace(out))
	schema1, migr1, data1 := env.db.schema(t), env.db.migrations(t), interopDataSnapshot(t, env.db)
	d := interopDiff(ix.djangoSchema, schema1)
	ix.tally.check(t, dirDjangoToGo, len(d) == 0, "Go's migrate (at startup and by command) changed the schema Django made:\n%s", strings.Join(d, "\n"))
	d = interopDiff(ix.djangoMigrations, migr1)
	ix.tally.check(t, dirDjangoToGo, len(d) == 0, "Go's migrate (at startup and by command) changed django_migrations:\n%s", strings.Join(d, "\n"))
	d = interopDiff(data0, data1)
	ix.tally.check(t, dirDjangoToGo, len(d) == 0, "Go migrate changed the data (%d rows before):\n%s", len(data0), strings.Join(d, "\n"))
}

func interopCaseDjangoMigrateAfterGo(t *testing.T, ix *interop) {
	env := ix.freshDB(t)
	start := time.Now()
	ix.goCmd(t, env, "migrate")
	t.Logf("interop: Go migrate on an empty %s database took %v", env.db.kind, time.Since(start).Round(10*time.Millisecond))
	u := ix.name("mig_go")
	ix.goCmd(t, env, "createuser", "--username", u, "--password", interopPassword)
	data0 := interopDataSnapshot(t, env.db)

	out, errOut, err := interopCommand(t, env.environ(), ix.runSh, "migrate")
	if !ix.tally.check(t, dirGoToDjango, err == nil, "Django migrate on a Go-migrated database: %v\n%s%s", err, out, errOut) {
		return
	}
	var applied []string
	for _, line := range strings.Split(out, "\n") {
		if s := strings.TrimSpace(line); strings.HasPrefix(s, "Applying ") {
			applied = append(applied, strings.TrimSuffix(strings.TrimPrefix(s, "Applying "), "... OK"))
		}
	}
	var tb []string
	for _, a := range applied {
		if strings.HasPrefix(a, "token_blacklist.") {
			tb = append(tb, a)
		}
	}
	ix.tally.check(t, dirGoToDjango, len(tb) == 0, "Django migrate applied token_blacklist migrations after Go's migrate: %v\n%s", tb, out)
	if len(applied) == 0 { // "No migrations to apply" says it all
		t.Logf("interop: Django migrate after Go's migrate: %q", interopLastLine(out))
	} else {
		t.Logf("interop: Django migrate after Go's migrate applied: %s", strings.Join(applied, ", "))
		sm := ix.django(t, env, "manage", "showmigrations", "token_blacklist")
		ix.tally.check(t, dirGoToDjango, strings.Count(sm, "[X]") >= 11 && !strings.Contains(sm, "[ ]"),
			"showmigrations token_blacklist after Go's migrate:\n%s", sm)
	}
	d := interopDiff(data0, interopDataSnapshot(t, env.db))
	ix.tally.check(t, dirGoToDjango, len(d) == 0, "Django migrate changed the data Go wrote:\n%s", strings.Join(d, "\n"))
	// Django logs Go's user in and mints a token for it on Go's tables.
	got := ix.djangoJSON(t, env, fmt.Sprintf(`(lambda u: [u.check_password(%q), str(RefreshToken.for_user(u))])(User.objects.get(username=%q))`, interopPassword, u))
	l, _ := got.([]any)
	ix.tally.check(t, dirGoToDjango, len(l) == 2 && l[0] == true, "Django check_password for the user Go created: %v", got)
	if len(l) == 2 {
		tok, _ := l[1].(string)
		ix.tally.check(t, dirGoToDjango, tok != "" && env.db.outstandingRows(t, interopJTI(t, tok)) == 1,
			"Django's for_user on Go's tables wrote no outstanding row")
	}

	// The columns Go made are the ones Django makes (the shared database is Django's).
	goCols, goCons := interopTableColumns(t, env.db)
	djCols, djCons := interopTableColumns(t, ix.db)
	d = interopDiff(djCols, goCols)
	ix.tally.check(t, dirGoToDjango, len(d) == 0, "auth_user/token_blacklist columns, Django-made (-) vs Go-made (+):\n%s", strings.Join(d, "\n"))
	if d := interopDiff(djCons, goCons); len(d) > 0 {
		t.Logf("interop: auth_user/token_blacklist constraints, Django-made (-) vs Go-made (+):\n%s", strings.Join(d, "\n"))
	}

	// Go's migrate is idempotent on the result.
	schema0 := env.db.schema(t)
	ix.goCmd(t, env, "migrate")
	d = interopDiff(schema0, env.db.schema(t))
	ix.tally.check(t, dirDjangoToGo, len(d) == 0, "Go migrate after Django's changed the schema:\n%s", strings.Join(d, "\n"))
}

func interopLastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// ---------------------------------------------------------------------------------------------
// 6. flushexpiredtokens

func interopCaseFlushExpiredBothWays(t *testing.T, ix *interop) {
	short := ix.servers(t, "short")
	long := ix.servers(t, "default")
	u := ix.user

	for _, c := range []struct {
		name          string
		issuer, other *interopServer // other blacklists one of the issuer's short tokens
		flush         func(t *testing.T)
		dir           interopDir // issuer's rows removed by the other side's flush
	}{
		{"GoFlushesDjangos", short.django, short.gosrv, func(t *testing.T) { ix.goCmd(t, ix.env, "flushexpiredtokens") }, dirDjangoToGo},
		{"DjangoFlushesGos", short.gosrv, short.django, func(t *testing.T) { ix.django(t, ix.env, "flushexpiredtokens") }, dirGoToDjango},
	} {
		t.Run(c.name, func(t *testing.T) {
			issuerLong := long.django
			if c.issuer == short.gosrv {
				issuerLong = long.gosrv
			}
			obtain := func(s *interopServer) string {
				r := s.obtain(t, u, interopPassword, false)
				if r.status != 200 {
					t.Fatalf("%s obtain: %v", s.name, r)
				}
				return r.str("refresh")
			}
			keep := obtain(issuerLong)
			expiring := obtain(c.issuer)
			banned := obtain(c.issuer)
			ix.tally.status(t, c.dir, c.other.name+" blacklists "+c.issuer.name+"'s short-lived token",
				c.other.post(t, "/api/token/blacklist/", map[string]string{"refresh": banned}), 200, interopBodyEmpty)
			for _, tok := range []string{keep, expiring, banned} {
				if n := ix.db.outstandingRows(t, interopJTI(t, tok)); n != 1 {
					t.Fatalf("%s wrote %d outstanding rows for %s", c.issuer.name, n, interopJTI(t, tok))
				}
			}
			if d := interopExp(t, expiring).Sub(interopIat(t, expiring)); d > 3*time.Second {
				t.Fatalf("%s ignored SIMPLE_JWT_REFRESH_TOKEN_LIFETIME=2s: the token lives %v", c.issuer.name, d)
			}
			// expires_at <= now, on both clocks, whole seconds.
			until := interopExp(t, banned).Add(1100 * time.Millisecond)
			if e := interopExp(t, expiring).Add(1100 * time.Millisecond); e.After(until) {
				until = e
			}
			time.Sleep(time.Until(until))

			// The expired token is refused with each version's message.
			dj := short.django.post(t, "/api/token/refresh/", map[string]string{"refresh": expiring})
			gs := short.gosrv.post(t, "/api/token/refresh/", map[string]string{"refresh": expiring})
			if dj.status != 401 || gs.status != 401 {
				t.Errorf("refresh of an expired token: django %v, go %v; want 401 from both", dj, gs)
			} else if string(dj.body) != string(gs.body) {
				ix.note(t, "an expired refresh token: Django %s, Go %s (5.5 split the message)", dj.body, gs.body)
			}

			c.flush(t)
			ix.tally.check(t, c.dir, ix.db.outstandingRows(t, interopJTI(t, expiring)) == 0,
				"the expired token %s that %s issued survived the other side's flushexpiredtokens", interopJTI(t, expiring), c.issuer.name)
			ix.tally.check(t, c.dir, ix.db.outstandingRows(t, interopJTI(t, banned)) == 0 && ix.db.count(t,
				`SELECT COUNT(*) FROM token_blacklist_blacklistedtoken b WHERE NOT EXISTS
					(SELECT 1 FROM token_blacklist_outstandingtoken o WHERE o.id = b.token_id)`) == 0,
				"the expired blacklisted token %s that %s issued survived the flush, or left an orphan blacklist row", interopJTI(t, banned), c.issuer.name)
			ix.tally.check(t, c.dir, ix.db.outstandingRows(t, interopJTI(t, keep)) == 1,
				"flushexpiredtokens removed %s's unexpired token %s", c.issuer.name, interopJTI(t, keep))
		})
	}
}

func interopIat(t *testing.T, token string) time.Time {
	t.Helper()
	n, _ := interopClaims(t, token)["iat"].(json.Number)
	sec, err := n.Int64()
	if err != nil {
		t.Fatalf("interop: iat %v: %v", n, err)
	}
	return time.Unix(sec, 0)
}

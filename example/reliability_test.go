package main

// Reliability proof of the example service and of ginjwt: concurrent rotation (a refresh token
// consumed at most once under a replaying load), a database outage (503 JSON, never 401 nor a
// driver message; stateless routes unaffected), and clock skew and key rotation:
//
//   - TestLoadMixed: the example under a mixed load (obtain, refresh with rotation and blacklist,
//     verify, GET /api/me/) on SQLite and PostgreSQL, with a replayer re-submitting every consumed
//     refresh token: 0 × 5xx, no refresh token accepted twice, every issued token well formed;
//     per endpoint requests/s, p50, p99 logged as "load:" lines.
//   - TestTwoInstancesSharePostgres: two example processes on one database: what one blacklists
//     or rotates away, the other refuses on the very next request.
//   - TestDatabaseOutage: the database cut under the example: 503 JSON within 2 s on the
//     DB-backed routes, the stateless route unaffected, recovery without a restart.
//   - TestClockSkew and TestKeyRotation: ginjwt in-process, with an injected clock and with
//     rotating HS256 keys under concurrent load.
//
// The heavy tests run only with SIMPLEJWT_LOAD=1 (CI sets it) and are sized by
// SIMPLEJWT_LOAD_SECONDS and SIMPLEJWT_LOAD_CLIENTS; the PostgreSQL parts need
// SIMPLEJWT_TEST_POSTGRES_DSN. All traffic goes to 127.0.0.1; every wait is bounded.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/models/modelstest"
)

// Token lifetimes given to the example in these tests: long enough that nothing issued during
// a run expires before it is checked.
const (
	relAccessLifetime  = time.Hour
	relRefreshLifetime = 24 * time.Hour
)

// relSettings are the SIMPLE_JWT_* settings of the tests that drive the example: the test key,
// rotation with blacklist after rotation, and the lifetimes above.
func relSettings() []string {
	return []string{
		"SIMPLE_JWT_SIGNING_KEY=" + relSigningKey,
		"SIMPLE_JWT_ROTATE_REFRESH_TOKENS=true",
		"SIMPLE_JWT_BLACKLIST_AFTER_ROTATION=true",
		"SIMPLE_JWT_ACCESS_TOKEN_LIFETIME=" + relAccessLifetime.String(),
		"SIMPLE_JWT_REFRESH_TOKEN_LIFETIME=" + relRefreshLifetime.String(),
	}
}

// relServiceEnv is the example binary's environment: DATABASE_URL and relSettings.
func relServiceEnv(dbURL string) []string {
	return relExampleEnv(append([]string{"DATABASE_URL=" + dbURL}, relSettings()...)...)
}

// relCheapHashers are the password hashers of the in-process load test: PBKDF2-SHA256 with
// relCheapIterations. Django's default iterations (1,500,000 since 6.1) cost tenths of a second
// to seconds per hash on one core of this 2-core box (depending on what else runs), so a load
// with 10 % logins would measure the hasher and little else; its timing has its own tests and
// benchmarks in models/hashers.
const relCheapIterations = 1000

var relCheapHashers = hashers.New(hashers.PBKDF2SHA256(relCheapIterations))

// relCreateUsers creates n users with `example createuser` (Django's hasher: up to 1.5 s each,
// so keep n small) and returns them with the ids createuser printed.
func relCreateUsers(t *testing.T, bin, dir string, env []string, prefix string, n int) []relUser {
	t.Helper()
	users := make([]relUser, n)
	start := time.Now()
	for i := range users {
		users[i] = relUser{Username: fmt.Sprintf("%s%03d", prefix, i), Password: relPassword(prefix, i)}
		out := relRunExample(t, bin, dir, env, "createuser", "--username", users[i].Username, "--password", users[i].Password)
		fields := strings.Fields(out)
		if len(fields) == 0 {
			t.Fatalf("createuser %s printed nothing", users[i].Username)
		}
		id := fields[len(fields)-1]
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			t.Fatalf("createuser %s: want the new id last, got %q", users[i].Username, out)
		}
		users[i].ID = id
	}
	t.Logf("created %d users with `example createuser` in %s", n, time.Since(start).Round(time.Millisecond))
	return users
}

// relObtain logs u in and returns the pair; any failure fails t.
func relObtain(t *testing.T, c *relClient, u relUser) relTokenPair {
	t.Helper()
	r, err := c.post(context.Background(), "/api/token/", map[string]string{"username": u.Username, "password": u.Password})
	if err != nil || r.Status != http.StatusOK {
		t.Fatalf("obtain %s: %v %d %s", u.Username, err, r.Status, r.Body)
	}
	var p relTokenPair
	if err := json.Unmarshal(r.Body, &p); err != nil || p.Access == "" || p.Refresh == "" {
		t.Fatalf("obtain %s: body %s", u.Username, r.Body)
	}
	return p
}

// relMe is the body of GET /api/me/.
type relMe struct {
	ID       json.Number `json:"id"`
	Username string      `json:"username"`
}

// relFailures collects failed expectations from many goroutines: a count per kind and the
// first few examples.
type relFailures struct {
	mu       sync.Mutex
	counts   map[string]int
	examples []string
}

func (f *relFailures) add(kind, format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts == nil {
		f.counts = map[string]int{}
	}
	f.counts[kind]++
	if len(f.examples) < 20 {
		f.examples = append(f.examples, kind+": "+fmt.Sprintf(format, args...))
	}
}

func (f *relFailures) report(t *testing.T) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for kind, n := range f.counts {
		t.Errorf("%d × %s", n, kind)
	}
	for _, e := range f.examples {
		t.Log("  e.g. " + e)
	}
}

// relLedger is the set of refresh tokens that got a 200 from /api/token/refresh/, and the
// consumed tokens waiting to be replayed.
type relLedger struct {
	mu       sync.Mutex
	accepted map[string]struct{}
	double   int
	pending  []string // consumed, not yet replayed (newest last)
	replayed int
}

// accept records that tok was accepted; it reports false when tok had been accepted before.
func (l *relLedger) accept(tok string, queue bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, dup := l.accepted[tok]; dup {
		l.double++
		return false
	}
	l.accepted[tok] = struct{}{}
	if queue {
		l.pending = append(l.pending, tok)
	}
	return true
}

// next returns the most recently consumed token not yet replayed.
func (l *relLedger) next() (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) == 0 {
		return "", false
	}
	tok := l.pending[len(l.pending)-1]
	l.pending = l.pending[:len(l.pending)-1]
	l.replayed++
	return tok, true
}

// The operations of the mixed load, in the order of the report.
var relOps = []string{"obtain", "refresh", "verify", "me", "refresh-replay"}

// relMix is the share of each operation in a client's requests, in percent.
var relMix = struct{ Obtain, Refresh, Verify int }{Obtain: 10, Refresh: 20, Verify: 15} // the rest: GET /api/me/

// relLoadUsers is how many users the clients share.
const relLoadUsers = 20

// relReplayers is how many goroutines replay consumed refresh tokens.
const relReplayers = 2

func TestLoadMixed(t *testing.T) {
	cfg := relRequireLoad(t)
	t.Run("sqlite", func(t *testing.T) {
		relLoadMixed(t, cfg, "sqlite", "sqlite:///"+filepath.Join(t.TempDir(), "load.sqlite3"))
	})
	t.Run("postgres", func(t *testing.T) {
		pg := relOpenPostgres(t)
		_, dsn := pg.createDatabase(t, "load")
		relLoadMixed(t, cfg, "postgres", dsn)
	})
}

// relLoadMixed runs the mixed load against the example's router on a fresh database and checks
// its invariants. The router runs in-process (see relService) for the cheap hasher; clients
// reach it over TCP on 127.0.0.1 like any other.
func relLoadMixed(t *testing.T, cfg relLoadConfig, dbName, dbURL string) {
	svc := relStartInProcess(t, dbURL, relSettings(), relCheapHashers, nil)
	users := svc.CreateUsers(t, "load", relLoadUsers)
	c := relNewClient(svc.Base, cfg.Clients+relReplayers)
	defer c.Close()
	t.Logf("load: %-9s %d clients for %s: %d%% obtain, %d%% refresh (own rotation chain), %d%% verify, %d%% GET /api/me/; %d users; PBKDF2 %d iterations; %d replayers",
		dbName, cfg.Clients, cfg.Duration, relMix.Obtain, relMix.Refresh, relMix.Verify,
		100-relMix.Obtain-relMix.Refresh-relMix.Verify, len(users), relCheapIterations, relReplayers)
	defer func() {
		if t.Failed() {
			t.Logf("service log (tail):\n%s", relLogTail(svc.Output(), 40))
		}
	}()

	var (
		fails   relFailures
		ledger  = &relLedger{accepted: map[string]struct{}{}}
		clients sync.WaitGroup
		wg      sync.WaitGroup // the replayers
		perStat = make([]relStats, cfg.Clients+relReplayers)
		perTok  = make([][]relIssued, cfg.Clients)
		running atomic.Bool
	)
	running.Store(true)
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	ctx := context.Background()

	for i := 0; i < cfg.Clients; i++ {
		clients.Add(1)
		go func() {
			defer clients.Done()
			st := relStats{}
			perStat[i] = st
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			u := users[i%len(users)]
			var access, refresh string
			keep := func(p relTokenPair) {
				access, refresh = p.Access, p.Refresh
				perTok[i] = append(perTok[i], relIssued{p.Access, "access", u.ID, u.Username},
					relIssued{p.Refresh, "refresh", u.ID, u.Username})
			}
			pair := func(op string, r relReply) (relTokenPair, bool) {
				var p relTokenPair
				if err := json.Unmarshal(r.Body, &p); err != nil || p.Access == "" || p.Refresh == "" {
					fails.add(op+" 200 without a token pair", "%.200s", r.Body)
					return p, false
				}
				return p, true
			}
			for time.Now().Before(deadline) {
				op := "me"
				switch x := rng.IntN(100); {
				case refresh == "" || x < relMix.Obtain:
					op = "obtain"
				case x < relMix.Obtain+relMix.Refresh:
					op = "refresh"
				case x < relMix.Obtain+relMix.Refresh+relMix.Verify:
					op = "verify"
				}
				var r relReply
				var err error
				switch op {
				case "obtain":
					r, err = c.post(ctx, "/api/token/", map[string]string{"username": u.Username, "password": u.Password})
				case "refresh":
					r, err = c.post(ctx, "/api/token/refresh/", map[string]string{"refresh": refresh})
				case "verify":
					tok := access
					if rng.IntN(2) == 0 {
						tok = refresh
					}
					r, err = c.post(ctx, "/api/token/verify/", map[string]string{"token": tok})
				case "me":
					r, err = c.get(ctx, "/api/me/", access)
				}
				st.add(op, r, err)
				switch {
				case err != nil:
					fails.add(op+" transport error", "%v", err)
					if op == "refresh" {
						refresh = "" // the chain's state is unknown: log in again
					}
					continue
				case r.Status >= 500:
					fails.add(op+" 5xx", "%d %.200s", r.Status, r.Body)
					continue
				case r.Status != http.StatusOK:
					fails.add(op+" refused a legitimate request", "%d %.200s", r.Status, r.Body)
					if op == "refresh" {
						refresh = "" // the chain is broken: log in again
					}
					continue
				}
				switch op {
				case "obtain":
					if p, ok := pair(op, r); ok {
						keep(p)
					}
				case "refresh":
					if !ledger.accept(refresh, true) {
						fails.add("refresh token accepted twice", "by its own chain")
					}
					if p, ok := pair(op, r); ok {
						keep(p)
					} else {
						refresh = ""
					}
				case "me":
					var me relMe
					if err := json.Unmarshal(r.Body, &me); err != nil || me.ID.String() != u.ID || me.Username != u.Username {
						fails.add("/api/me/ answered another user", "want %s/%s, got %.200s", u.ID, u.Username, r.Body)
					}
				}
			}
		}()
	}
	for k := 0; k < relReplayers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := relStats{}
			perStat[cfg.Clients+k] = st
			for running.Load() {
				tok, ok := ledger.next()
				if !ok {
					time.Sleep(time.Millisecond)
					continue
				}
				r, err := c.post(ctx, "/api/token/refresh/", map[string]string{"refresh": tok})
				st.add("refresh-replay", r, err)
				switch {
				case err != nil:
					fails.add("refresh-replay transport error", "%v", err)
				case r.Status == http.StatusOK:
					ledger.accept(tok, false)
					fails.add("replayed refresh token accepted (double spend)", "%.200s", r.Body)
				case r.Status != http.StatusUnauthorized:
					fails.add("replay answered neither 401 nor 200", "%d %.200s", r.Status, r.Body)
				default:
					var b relDetailBody
					if json.Unmarshal(r.Body, &b) != nil || b.Detail != "Token is blacklisted" || b.Code != tokens.CodeTokenNotValid {
						fails.add("replay 401 body is not 'Token is blacklisted'", "%.200s", r.Body)
					}
				}
			}
		}()
	}
	// Once the clients are done (each finishes the request it started before the deadline), let
	// the replayers drain what the last requests consumed, briefly, then stop them.
	clients.Wait()
	drainUntil := time.Now().Add(2 * time.Second)
	for time.Now().Before(drainUntil) {
		ledger.mu.Lock()
		n := len(ledger.pending)
		ledger.mu.Unlock()
		if n == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	running.Store(false)
	wg.Wait()
	elapsed := time.Since(start)

	all := relMergeStats(perStat...)
	all.logTable(t, dbName, elapsed, relOps)
	total := 0
	for _, o := range all {
		total += len(o.Durations) + o.Errors
	}
	ledger.mu.Lock()
	t.Logf("load: %-9s total %d requests in %s (%.1f req/s); %d refresh tokens consumed, %d replayed (all must be 401), %d left unreplayed, %d accepted twice",
		dbName, total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), len(ledger.accepted), ledger.replayed, len(ledger.pending), ledger.double)
	if ledger.double != 0 {
		t.Errorf("%d refresh tokens were accepted twice", ledger.double)
	}
	consumed := len(ledger.accepted) - ledger.double
	ledger.mu.Unlock()
	fails.report(t)
	for _, op := range relOps {
		if n := all[op].count(500, 599); n > 0 {
			t.Errorf("%s: %d × 5xx", op, n)
		}
	}
	if all["refresh-replay"] == nil || all["refresh-replay"].count(401, 401) == 0 {
		t.Errorf("the replayer never got to replay a consumed token")
	}

	// Every issued token decodes, with the key, as HS256, with simplejwt's claims.
	checker := relNewTokenChecker(relSigningKey, relAccessLifetime, relRefreshLifetime)
	checked, bad := 0, 0
	for _, toks := range perTok {
		for _, tok := range toks {
			checked++
			if err := checker.check(tok); err != nil {
				if bad++; bad <= 5 {
					t.Errorf("issued token: %v", err)
				}
			}
		}
	}
	t.Logf("load: %-9s %d issued tokens checked with golang-jwt (HS256 only, claims shape): %d bad", dbName, checked, bad)

	// The database agrees: one outstanding row per issued refresh token, one blacklist row per
	// consumed one.
	svc.Stop()
	obtains := all["obtain"].count(200, 200)
	refreshes := all["refresh"].count(200, 200)
	if refreshes != consumed {
		t.Errorf("refresh: %d × 200 but %d distinct tokens consumed", refreshes, consumed)
	}
	relCheckTokenRows(t, svc.DB, obtains+refreshes, refreshes)
}

// relCheckTokenRows compares the token_blacklist tables with what the clients saw.
func relCheckTokenRows(t *testing.T, db *gorm.DB, outstanding, blacklisted int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var gotOut, gotBl int64
	if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM token_blacklist_outstandingtoken").Scan(&gotOut).Error; err != nil {
		t.Errorf("count outstanding tokens: %v", err)
	}
	if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM token_blacklist_blacklistedtoken").Scan(&gotBl).Error; err != nil {
		t.Errorf("count blacklisted tokens: %v", err)
	}
	t.Logf("load: rows: outstanding %d (want %d), blacklisted %d (want %d)", gotOut, outstanding, gotBl, blacklisted)
	if int(gotOut) != outstanding || int(gotBl) != blacklisted {
		t.Errorf("token rows: outstanding %d, blacklisted %d; the clients saw %d refresh tokens issued and %d consumed",
			gotOut, gotBl, outstanding, blacklisted)
	}
}

// ----------------------------------------------------------------------------------------------

func TestTwoInstancesSharePostgres(t *testing.T) {
	relRequireLoad(t)
	pg := relOpenPostgres(t)
	_, dsn := pg.createDatabase(t, "two")
	bin := relBuildExample(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	env := relServiceEnv(dsn)
	relRunExample(t, bin, dirA, env, "migrate")
	users := relCreateUsers(t, bin, dirA, env, "two", 1)
	// Two processes, two connection pools, nothing shared but the database (and the key).
	a := relStartExample(t, "A", bin, dirA, env)
	b := relStartExample(t, "B", bin, dirB, env)
	ca, cb := relNewClient(a.Base, 4), relNewClient(b.Base, 4)
	defer ca.Close()
	defer cb.Close()
	defer func() {
		if t.Failed() {
			t.Logf("instance A log (tail):\n%s\ninstance B log (tail):\n%s", relLogTail(a.Output(), 20), relLogTail(b.Output(), 20))
		}
	}()
	ctx := context.Background()
	inst := []struct {
		name string
		c    *relClient
	}{{"A", ca}, {"B", cb}}

	refreshOn := func(c *relClient, tok string) relReply {
		t.Helper()
		r, err := c.post(ctx, "/api/token/refresh/", map[string]string{"refresh": tok})
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		return r
	}
	wantBlacklisted := func(what string, r relReply) {
		t.Helper()
		var body relDetailBody
		_ = json.Unmarshal(r.Body, &body)
		if r.Status != http.StatusUnauthorized || body.Detail != "Token is blacklisted" {
			t.Fatalf("%s: got %d %s, want 401 Token is blacklisted", what, r.Status, r.Body)
		}
	}

	// 1. Blacklisted through A (logout), refused by B on the very next request: refresh 401,
	// verify 400 (simplejwt's TokenVerifySerializer raises a ValidationError), and the other
	// way round.
	for k, from := range inst {
		to := inst[1-k]
		p := relObtain(t, from.c, users[0])
		r, err := from.c.post(ctx, "/api/token/blacklist/", map[string]string{"refresh": p.Refresh})
		if err != nil || r.Status != http.StatusOK {
			t.Fatalf("blacklist on %s: %v %d %s", from.name, err, r.Status, r.Body)
		}
		wantBlacklisted(fmt.Sprintf("refresh on %s right after the blacklist on %s", to.name, from.name), refreshOn(to.c, p.Refresh))
		r, err = to.c.post(ctx, "/api/token/verify/", map[string]string{"token": p.Refresh})
		if err != nil || r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "Token is blacklisted") {
			t.Errorf("verify on %s of a token blacklisted on %s: %v %d %s, want 400 Token is blacklisted", to.name, from.name, err, r.Status, r.Body)
		}
	}

	// 2. One rotation chain alternating between the instances: each consumed token is refused
	// by the other instance on the very next request, and the chain itself never breaks.
	const rotations = 100
	p := relObtain(t, ca, users[0])
	cur := p.Refresh
	start := time.Now()
	for i := 0; i < rotations; i++ {
		from, to := inst[i%2], inst[1-i%2]
		r := refreshOn(from.c, cur)
		var next relTokenPair
		if r.Status != http.StatusOK || json.Unmarshal(r.Body, &next) != nil || next.Refresh == "" {
			t.Fatalf("rotation %d on %s: %d %s", i, from.name, r.Status, r.Body)
		}
		wantBlacklisted(fmt.Sprintf("rotation %d: replay on %s of the token %s just consumed", i, to.name, from.name), refreshOn(to.c, cur))
		cur = next.Refresh
	}
	t.Logf("two instances: %d rotations alternating A/B, every replay refused by the other instance at once (%s)",
		rotations, time.Since(start).Round(time.Millisecond))
}

// ----------------------------------------------------------------------------------------------

// relProbe is one route watched during the outage.
type relProbe struct {
	name      string
	dbBacked  bool
	send      func(ctx context.Context) (relReply, error)
	first503  time.Duration // after the cut; -1 none
	recovered time.Duration // first 200 after the restore; -1 none
	statuses  map[int]int   // during the outage
	bad       []string
}

func TestDatabaseOutage(t *testing.T) {
	relRequireLoad(t)
	t.Run("postgres", func(t *testing.T) {
		// The example binary on a throwaway database. Mechanism: ALTER DATABASE … ALLOW_CONNECTIONS
		// false (no new connection) plus pg_terminate_backend on the database's sessions (every
		// pooled connection dies); restored with ALLOW_CONNECTIONS true. The example process, its
		// pool and the PostgreSQL server stay up, as in a failover or a network cut.
		pg := relOpenPostgres(t)
		name, dsn := pg.createDatabase(t, "outage")
		bin := relBuildExample(t)
		dir := t.TempDir()
		env := relServiceEnv(dsn)
		relRunExample(t, bin, dir, env, "migrate")
		users := relCreateUsers(t, bin, dir, env, "outage", 1)
		srv := relStartExample(t, "outage", bin, dir, env)
		relOutage(t, srv.Base, srv.Output, users[0],
			"ALTER DATABASE "+name+" ALLOW_CONNECTIONS false + pg_terminate_backend",
			func() error { return pg.cut(name) }, func() error { return pg.restore(name) })
	})
	t.Run("sqlite", func(t *testing.T) {
		// A SQLite file cannot be cut from outside a process that holds it open: its descriptors
		// keep the file (even deleted or chmod 000) readable, and an EXCLUSIVE lock from another
		// process waits for the server's readers instead of shutting them out. So the example's
		// router runs in-process on a SQLite file whose GORM connection pool is switched, for the
		// cut, to a database/sql pool whose connector never connects: every statement and every
		// BEGIN fails as against an unreachable database, below GORM and the stores.
		var cut atomic.Bool
		svc := relStartInProcess(t, "sqlite:///"+filepath.Join(t.TempDir(), "outage.sqlite3"), relSettings(),
			relCheapHashers, func(db *gorm.DB) { relInstallCutPool(t, db, &cut) })
		users := svc.CreateUsers(t, "outage", 1)
		relOutage(t, svc.Base, svc.Output, users[0], "GORM's pool switched to a connector that never connects",
			func() error { cut.Store(true); return nil }, func() error { cut.Store(false); return nil })
	})
}

// errRelUnreachable is what the cut pool's connector answers, worded as a driver would.
var errRelUnreachable = errors.New("dial tcp 127.0.0.1:1: connect: connection refused")

// relDeadConnector is a driver.Connector (and driver.Driver) that never connects.
type relDeadConnector struct{}

func (relDeadConnector) Connect(context.Context) (driver.Conn, error) { return nil, errRelUnreachable }
func (relDeadConnector) Driver() driver.Driver                        { return relDeadConnector{} }
func (relDeadConnector) Open(string) (driver.Conn, error)             { return nil, errRelUnreachable }

// relCutPool is the GORM connection pool of the SQLite outage: the real *sql.DB, or, while cut is
// set, a *sql.DB on relDeadConnector.
type relCutPool struct {
	live, dead *sql.DB
	cut        *atomic.Bool
}

func (p *relCutPool) pool() *sql.DB {
	if p.cut.Load() {
		return p.dead
	}
	return p.live
}

func (p *relCutPool) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return p.pool().PrepareContext(ctx, q)
}

func (p *relCutPool) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.pool().ExecContext(ctx, q, args...)
}

func (p *relCutPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.pool().QueryContext(ctx, q, args...)
}

func (p *relCutPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return p.pool().QueryRowContext(ctx, q, args...)
}

// BeginTx makes relCutPool a gorm.TxBeginner, so transactions start on the current pool.
func (p *relCutPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return p.pool().BeginTx(ctx, opts)
}

// GetDBConn makes relCutPool a gorm.GetDBConnector: db.DB() still returns the real pool.
func (p *relCutPool) GetDBConn() (*sql.DB, error) { return p.live, nil }

// relInstallCutPool puts a relCutPool under db, before anything uses db concurrently.
func relInstallCutPool(t *testing.T, db *gorm.DB, cut *atomic.Bool) {
	t.Helper()
	live, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	dead := sql.OpenDB(relDeadConnector{})
	t.Cleanup(func() { _ = dead.Close() })
	p := &relCutPool{live: live, dead: dead, cut: cut}
	db.ConnPool = p
	db.Statement.ConnPool = p
}

// relOutage watches the service at base while cut() takes its database away for a few
// seconds and restore() gives it back: the DB-backed routes must answer a clean 503 within
// 2 s of the cut, the stateless route 200 throughout, and everything 200 again by itself
// after the restore.
func relOutage(t *testing.T, base string, serverLog func() string, u relUser, mechanism string, cut, restore func() error) {
	c := relNewClient(base, 16)
	defer c.Close()
	defer func() {
		if t.Failed() {
			t.Logf("server log (tail):\n%s", relLogTail(serverLog(), 40))
		}
	}()
	pair := relObtain(t, c, u)

	var chainMu sync.Mutex
	chain := pair.Refresh // the refresh probe follows its own rotation chain
	current := func() string {
		chainMu.Lock()
		defer chainMu.Unlock()
		return chain
	}
	probes := []*relProbe{
		{name: "GET /api/me/", dbBacked: true, send: func(ctx context.Context) (relReply, error) {
			return c.get(ctx, "/api/me/", pair.Access)
		}},
		{name: "POST /api/token/", dbBacked: true, send: func(ctx context.Context) (relReply, error) {
			return c.post(ctx, "/api/token/", map[string]string{"username": u.Username, "password": u.Password})
		}},
		{name: "POST /api/token/refresh/", dbBacked: true, send: func(ctx context.Context) (relReply, error) {
			r, err := c.post(ctx, "/api/token/refresh/", map[string]string{"refresh": current()})
			if err == nil && r.Status == http.StatusOK {
				var next relTokenPair
				if json.Unmarshal(r.Body, &next) == nil && next.Refresh != "" {
					chainMu.Lock()
					chain = next.Refresh
					chainMu.Unlock()
				}
			}
			return r, err
		}},
		{name: "POST /api/token/verify/", dbBacked: true, send: func(ctx context.Context) (relReply, error) {
			// BLACKLIST_AFTER_ROTATION makes /verify/ consult the blacklist, whatever the token's
			// type (simplejwt's TokenVerifySerializer). The access token, which nothing rotates.
			return c.post(ctx, "/api/token/verify/", map[string]string{"token": pair.Access})
		}},
		{name: "GET /api/me/stateless/", send: func(ctx context.Context) (relReply, error) {
			return c.get(ctx, "/api/me/stateless/", pair.Access)
		}},
	}
	for _, p := range probes {
		r, err := p.send(context.Background())
		if err != nil || r.Status != http.StatusOK {
			t.Fatalf("before the cut, %s: %v %d %s", p.name, err, r.Status, r.Body)
		}
		p.first503, p.recovered, p.statuses = -1, -1, map[int]int{}
	}

	const (
		maxTo503    = 2 * time.Second  // goal: 503 within 2 s of the cut
		outageFor   = 4 * time.Second  // how long the database stays cut
		maxRecovery = 20 * time.Second // bound on waiting for the service to heal
		probeEvery  = 10 * time.Millisecond
	)
	var (
		phase     atomic.Int32 // 0 cut, 1 restored, 2 stop
		restoreAt time.Time
		mu        sync.Mutex
		wg        sync.WaitGroup
	)
	cutAt := time.Now()
	if err := cut(); err != nil {
		t.Fatalf("cut: %v", err)
	}
	t.Logf("outage: database cut (%s)", mechanism)
	for _, p := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for phase.Load() < 2 {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				r, err := p.send(ctx)
				cancel()
				now := time.Now()
				mu.Lock()
				switch ph := phase.Load(); {
				case err != nil:
					p.bad = append(p.bad, fmt.Sprintf("transport error: %v", err))
				case ph == 0:
					p.statuses[r.Status]++
					if r.Status >= 500 {
						if cerr := relCheckCleanError(r); cerr != nil {
							p.bad = append(p.bad, cerr.Error())
						}
						if r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") == "" {
							p.bad = append(p.bad, "503 without Retry-After")
						}
					}
					switch {
					case r.Status == http.StatusServiceUnavailable && p.first503 < 0:
						p.first503 = now.Sub(cutAt)
					case r.Status >= 500 && r.Status != http.StatusServiceUnavailable:
						p.bad = append(p.bad, fmt.Sprintf("%d during the outage: %.200s", r.Status, r.Body))
					case !p.dbBacked && r.Status != http.StatusOK:
						p.bad = append(p.bad, fmt.Sprintf("stateless route answered %d during the outage: %.200s", r.Status, r.Body))
					case p.dbBacked && r.Status != http.StatusOK && r.Status != http.StatusServiceUnavailable:
						p.bad = append(p.bad, fmt.Sprintf("%d during the outage (want 503): %.200s", r.Status, r.Body))
					}
				case ph == 1:
					switch {
					case r.Status == http.StatusOK:
						if p.recovered < 0 {
							p.recovered = now.Sub(restoreAt)
						}
					case r.Status != http.StatusServiceUnavailable:
						p.bad = append(p.bad, fmt.Sprintf("%d while recovering: %.200s", r.Status, r.Body))
					}
				}
				mu.Unlock()
				time.Sleep(probeEvery)
			}
		}()
	}
	time.Sleep(outageFor)
	mu.Lock()
	restoreAt = time.Now()
	phase.Store(1)
	mu.Unlock()
	if err := restore(); err != nil {
		t.Errorf("restore: %v", err)
	}
	t.Logf("outage: database restored after %s", restoreAt.Sub(cutAt).Round(time.Millisecond))
	healDeadline := time.Now().Add(maxRecovery)
	for time.Now().Before(healDeadline) {
		mu.Lock()
		healed := true
		for _, p := range probes {
			healed = healed && p.recovered >= 0
		}
		mu.Unlock()
		if healed {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	phase.Store(2)
	wg.Wait()

	var worst503, worstRecovery time.Duration
	for _, p := range probes {
		t.Logf("outage: %-26s time to 503 = %-8s recovery = %-8s statuses during the outage: %v", p.name,
			relDur(p.first503), relDur(p.recovered), p.statuses)
		for i, b := range p.bad {
			if i == 5 {
				t.Errorf("%s: … %d more", p.name, len(p.bad)-5)
				break
			}
			t.Errorf("%s: %s", p.name, b)
		}
		if p.dbBacked {
			switch {
			case p.first503 < 0:
				t.Errorf("%s never answered 503 during a %s outage", p.name, outageFor)
			case p.first503 > maxTo503:
				t.Errorf("%s: first 503 %s after the cut, want ≤ %s", p.name, p.first503.Round(time.Millisecond), maxTo503)
			}
			worst503 = max(worst503, p.first503)
		}
		if p.recovered < 0 {
			t.Errorf("%s did not answer 200 within %s of the restore", p.name, maxRecovery)
		}
		worstRecovery = max(worstRecovery, p.recovered)
	}
	t.Logf("outage: time to 503 = %s, recovery = %s (worst DB-backed route; %s)",
		relDur(worst503), relDur(worstRecovery), mechanism)
	// The refresh chain survived: no token was consumed without its successor reaching the client.
	if r, err := c.post(context.Background(), "/api/token/refresh/", map[string]string{"refresh": current()}); err != nil || r.Status != http.StatusOK {
		t.Errorf("after recovery, the refresh chain: %v %d %s", err, r.Status, r.Body)
	}
}

func relDur(d time.Duration) string {
	if d < 0 {
		return "never"
	}
	return d.Round(time.Millisecond).String()
}

// ----------------------------------------------------------------------------------------------
// In-process tests with ginjwt.

// relUsers is the shared in-memory user store with alice, id 1: the in-process tests need
// users, not a database.
func relUsers(t *testing.T) *modelstest.Users {
	users := modelstest.NewUsers(modelstest.UsersOptions{})
	users.Add(t, 1, "alice", "", true)
	return users
}

// relNewJWT builds an instance on users without the blacklist app, with key and edit.
func relNewJWT(t *testing.T, users models.UserStore, edit func(*ginjwt.Settings)) *ginjwt.JWT {
	t.Helper()
	s := ginjwt.DefaultSettings()
	s.SigningKey = relSigningKey
	s.UserStore = users
	s.NoTokenBlacklist = true
	if edit != nil {
		edit(&s)
	}
	j, err := ginjwt.New(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// relRouter is the example's shape on j: Auth on everything, the token routes, /api/me/.
func relRouter(j *ginjwt.JWT) *gin.Engine {
	r := gin.New()
	r.Use(j.Auth())
	j.RegisterRoutes(r.Group("/api/token"))
	r.GET("/api/me/", j.IsAuthenticated(), func(c *gin.Context) {
		u, _ := ginjwt.UserFrom(c)
		m, ok := u.(*models.User)
		if !ok {
			c.JSON(http.StatusInternalServerError, gin.H{"detail": fmt.Sprintf("user of type %T", u)})
			return
		}
		c.JSON(http.StatusOK, gin.H{"id": m.ID, "username": m.Username})
	})
	return r
}

// relMint issues a token of class c for user 1 with j.
func relMint(t *testing.T, j *ginjwt.JWT, c tokens.Class) string {
	t.Helper()
	tok, err := j.Tokens().ForUser(context.Background(), c, tokens.Subject{ID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tok.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// relServe runs one request through h.
func relServe(h http.Handler, method, path, bearer, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestClockSkew(t *testing.T) {
	users := relUsers(t)
	// The issuing instance's clock runs 30 s ahead, so its tokens carry an iat 30 s in the
	// verifier's future, which PyJWT (and so ginjwt) refuses beyond LEEWAY.
	const skew = 30 * time.Second
	issuer := relNewJWT(t, users, func(s *ginjwt.Settings) {
		s.Now = func() time.Time { return time.Now().Add(skew) }
	})
	access := relMint(t, issuer, tokens.AccessToken)
	refresh := relMint(t, issuer, tokens.RefreshToken)

	for _, tc := range []struct {
		leeway time.Duration
		ok     bool
	}{
		{60 * time.Second, true},
		{31 * time.Second, true},
		{0, false},
		{10 * time.Second, false},
	} {
		t.Run("leeway="+tc.leeway.String(), func(t *testing.T) {
			verifier := relNewJWT(t, users, func(s *ginjwt.Settings) { s.Leeway = tc.leeway })
			for _, c := range []tokens.Class{tokens.AccessToken, tokens.RefreshToken} {
				raw := map[tokens.Class]string{tokens.AccessToken: access, tokens.RefreshToken: refresh}[c]
				_, err := verifier.Tokens().Parse(context.Background(), c, raw)
				if tc.ok && err != nil {
					t.Errorf("%s from a clock %s ahead, leeway %s: %v", c, skew, tc.leeway, err)
				}
				if !tc.ok && !errors.Is(err, tokens.ErrTokenInvalid) {
					t.Errorf("%s from a clock %s ahead, leeway %s: got %v, want ErrTokenInvalid (future iat)", c, skew, tc.leeway, err)
				}
			}
			h := relRouter(verifier)
			me := relServe(h, http.MethodGet, "/api/me/", access, "")
			ref := relServe(h, http.MethodPost, "/api/token/refresh/", "", `{"refresh":"`+refresh+`"}`)
			if tc.ok {
				if me.Code != http.StatusOK || ref.Code != http.StatusOK {
					t.Errorf("leeway %s: /api/me/ %d %s; refresh %d %s; want 200s", tc.leeway, me.Code, me.Body, ref.Code, ref.Body)
				}
				return
			}
			var body relDetailBody
			_ = json.Unmarshal(me.Body.Bytes(), &body)
			if me.Code != http.StatusUnauthorized || body.Code != tokens.CodeTokenNotValid || len(body.Messages) == 0 ||
				body.Messages[0].Message != "Token is invalid" {
				t.Errorf("leeway %s: /api/me/ %d %s, want 401 with message \"Token is invalid\"", tc.leeway, me.Code, me.Body)
			}
			body = relDetailBody{}
			_ = json.Unmarshal(ref.Body.Bytes(), &body)
			if ref.Code != http.StatusUnauthorized || body.Detail != "Token is invalid" {
				t.Errorf("leeway %s: refresh %d %s, want 401 \"Token is invalid\"", tc.leeway, ref.Code, ref.Body)
			}
		})
	}
}

// relPool is a set of tokens that must all be accepted, replaced copy-on-write.
type relPool struct{ p atomic.Pointer[[]string] }

func (p *relPool) add(toks ...string) {
	old := p.p.Load()
	var next []string
	if old != nil {
		next = append(next, *old...)
	}
	next = append(next, toks...)
	p.p.Store(&next)
}

func (p *relPool) pick(rng *rand.Rand) string {
	toks := *p.p.Load()
	return toks[rng.IntN(len(toks))]
}

func TestKeyRotation(t *testing.T) {
	// K0 signs tokens without kid (as simplejwt does). The rotation, step by step, under a
	// concurrent protected-GET load that keeps sending every token issued so far:
	//   A. K0 only;
	//   B. K0 signs, K1 added as verify-only ("k1"), as a peer that switched already signs with it;
	//   C. K1 signs with kid "k1"; K0 stays as VerifyingKeys[""] for the tokens without kid;
	//   D. K0 removed: its tokens get 401, K1's still 200.
	// Expectation through A–C: 0 × 5xx and 0 × 401.
	const (
		k0 = "rotation-key-zero-0123456789abcdef-0123456789abcdef"
		k1 = "rotation-key-one--0123456789abcdef-0123456789abcdef"
	)
	clients, phaseFor := 8, 300*time.Millisecond
	if relLoadEnabled() {
		cfg := relRequireLoad(t)
		clients, phaseFor = min(cfg.Clients, 200), 2*time.Second
	}
	users := relUsers(t)
	withKeys := func(sign, kid string, verify map[string]string) func(*ginjwt.Settings) {
		return func(s *ginjwt.Settings) { s.SigningKey, s.SigningKeyID, s.VerifyingKeys = sign, kid, verify }
	}
	jA := relNewJWT(t, users, withKeys(k0, "", nil))
	jB := relNewJWT(t, users, withKeys(k0, "", map[string]string{"k1": k1}))
	jC := relNewJWT(t, users, withKeys(k1, "k1", map[string]string{"": k0}))
	jD := relNewJWT(t, users, withKeys(k1, "k1", nil))

	var current atomic.Pointer[gin.Engine]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		current.Load().ServeHTTP(w, r)
	}))
	defer srv.Close()
	c := relNewClient(srv.URL, clients)
	defer c.Close()

	var pool relPool
	var old, fresh []string // signed with K0, with K1
	mint := func(j *ginjwt.JWT, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = relMint(t, j, tokens.AccessToken)
		}
		return out
	}
	old = append(old, mint(jA, 20)...)
	pool.add(old...)
	current.Store(relRouter(jA))

	var (
		fails    relFailures
		stop     atomic.Bool
		wg       sync.WaitGroup
		requests atomic.Int64
		perStat  = make([]relStats, clients)
	)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := relStats{}
			perStat[i] = st
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for !stop.Load() {
				r, err := c.get(context.Background(), "/api/me/", pool.pick(rng))
				st.add("me", r, err)
				requests.Add(1)
				switch {
				case err != nil:
					fails.add("transport error", "%v", err)
				case r.Status >= 500:
					fails.add("5xx during the rotation", "%d %.200s", r.Status, r.Body)
				case r.Status == http.StatusUnauthorized:
					fails.add("401 for a token within its lifetime during the rotation", "%.200s", r.Body)
				case r.Status != http.StatusOK:
					fails.add("non-200 during the rotation", "%d %.200s", r.Status, r.Body)
				}
			}
		}()
	}
	start := time.Now()
	time.Sleep(phaseFor) // A
	current.Store(relRouter(jB))
	old = append(old, mint(jB, 20)...)
	fresh = append(fresh, mint(jC, 20)...) // a peer already on C
	pool.add(old[20:]...)
	pool.add(fresh...)
	time.Sleep(phaseFor) // B
	current.Store(relRouter(jC))
	fresh = append(fresh, mint(jC, 20)...)
	pool.add(fresh[20:]...)
	time.Sleep(phaseFor) // C
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	relMergeStats(perStat...).logTable(t, "in-proc", elapsed, []string{"me"})
	t.Logf("key rotation: %d protected GETs through phases A–C with %d clients in %s", requests.Load(), clients,
		elapsed.Round(time.Millisecond))
	fails.report(t)

	// D: K0 removed.
	current.Store(relRouter(jD))
	for i, raw := range old {
		w := relServe(srv.Config.Handler, http.MethodGet, "/api/me/", raw, "")
		var body relDetailBody
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != http.StatusUnauthorized || len(body.Messages) == 0 || body.Messages[0].Message != "Token is invalid" {
			t.Errorf("old token %d after K0's removal: %d %s, want 401 Token is invalid", i, w.Code, w.Body)
		}
		if _, err := jD.Tokens().Parse(context.Background(), tokens.AccessToken, raw); !errors.Is(err, tokens.ErrTokenInvalid) {
			t.Errorf("old token %d after K0's removal: Parse gave %v, want ErrTokenInvalid", i, err)
		}
	}
	for i, raw := range fresh {
		if w := relServe(srv.Config.Handler, http.MethodGet, "/api/me/", raw, ""); w.Code != http.StatusOK {
			t.Errorf("K1 token %d after K0's removal: %d %s, want 200", i, w.Code, w.Body)
		}
	}
}

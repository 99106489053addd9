package main

// Helpers of the reliability tests (reliability_test.go): their configuration, the example
// binary run as a child process, the example's router served in-process, an HTTP client,
// latency statistics, throwaway PostgreSQL databases and the check that an issued token
// decodes. All traffic goes to 127.0.0.1.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// The environment of the reliability tests.
const (
	// relEnvLoad must be "1" for the heavy tests to run (CI sets it); plain `go test` skips them.
	relEnvLoad = "SIMPLEJWT_LOAD"
	// relEnvLoadSeconds is the length of each load run, default relDefaultLoadSeconds.
	relEnvLoadSeconds = "SIMPLEJWT_LOAD_SECONDS"
	// relEnvLoadClients is the number of concurrent clients, default relDefaultLoadClients.
	relEnvLoadClients = "SIMPLEJWT_LOAD_CLIENTS"
	// relEnvPostgresDSN names a PostgreSQL server (a role that may create databases); the tests make
	// their own throwaway databases there and drop them afterwards.
	relEnvPostgresDSN = "SIMPLEJWT_TEST_POSTGRES_DSN"
	// relEnvMySQLDSN names a MySQL or MariaDB server, the same way.
	relEnvMySQLDSN = "SIMPLEJWT_TEST_MYSQL_DSN"

	relDefaultLoadSeconds = 30
	relDefaultLoadClients = 200
)

// relLoadConfig sizes a load run.
type relLoadConfig struct {
	Duration time.Duration
	Clients  int
}

// relLoadEnabled reports whether SIMPLEJWT_LOAD=1.
func relLoadEnabled() bool { return os.Getenv(relEnvLoad) == "1" }

// relRequireLoad skips t unless SIMPLEJWT_LOAD=1, and returns the configured size, logged.
func relRequireLoad(t *testing.T) relLoadConfig {
	t.Helper()
	if !relLoadEnabled() {
		t.Skipf("reliability/load test: set %s=1 to run it (CI does); %s (default %d) and %s (default %d) size it",
			relEnvLoad, relEnvLoadSeconds, relDefaultLoadSeconds, relEnvLoadClients, relDefaultLoadClients)
	}
	cfg := relLoadConfig{Duration: relDefaultLoadSeconds * time.Second, Clients: relDefaultLoadClients}
	if v := strings.TrimSpace(os.Getenv(relEnvLoadSeconds)); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 3600 {
			t.Fatalf("%s=%q: want a number of seconds in (0, 3600]", relEnvLoadSeconds, v)
		}
		cfg.Duration = time.Duration(f * float64(time.Second))
	}
	if v := strings.TrimSpace(os.Getenv(relEnvLoadClients)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			t.Fatalf("%s=%q: want a number of clients in [1, 5000]", relEnvLoadClients, v)
		}
		cfg.Clients = n
	}
	t.Logf("load: config duration=%s clients=%d GOMAXPROCS=%d NumCPU=%d", cfg.Duration, cfg.Clients,
		runtime.GOMAXPROCS(0), runtime.NumCPU())
	return cfg
}

// relPostgresDSN returns SIMPLEJWT_TEST_POSTGRES_DSN, "" when unset.
func relPostgresDSN() string { return strings.TrimSpace(os.Getenv(relEnvPostgresDSN)) }

// relMySQLDSN returns SIMPLEJWT_TEST_MYSQL_DSN, "" when unset.
func relMySQLDSN() string { return strings.TrimSpace(os.Getenv(relEnvMySQLDSN)) }

// relSigningKey is the HS256 key the tests give the example (SIMPLE_JWT_SIGNING_KEY), so that
// they can check issued tokens themselves.
const relSigningKey = "reliability-test-signing-key-0123456789abcdef-0123456789abcdef"

// ----------------------------------------------------------------------------------------------
// The example binary

// relBuildExample returns the example binary, built once for the tests running at the same
// time (the interop suite's builder).
func relBuildExample(t *testing.T) string { return interopExampleBinary(t) }

// relExampleEnv is the environment of a child example: this process's environment without ADDR,
// DATABASE_URL and SIMPLE_JWT_* (the example refuses unknown SIMPLE_JWT_ variables), then
// GIN_MODE=release and the given KEY=VALUE pairs.
func relExampleEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "ADDR" || name == "DATABASE_URL" || name == "GIN_MODE" || strings.HasPrefix(name, "SIMPLE_JWT_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GIN_MODE=release")
	return append(env, extra...)
}

// relRunExample runs a subcommand of the example (migrate, createuser, …) and returns its output;
// a failure or a run longer than a minute fails t.
func relRunExample(t *testing.T, bin, dir string, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("example %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// relTailBuffer keeps the last max bytes written to it; safe for concurrent use.
type relTailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *relTailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *relTailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// relProc is a running example server.
type relProc struct {
	name string
	Base string // http://127.0.0.1:port
	cmd  *exec.Cmd
	out  *relTailBuffer
	done chan struct{}
	err  error // valid after done is closed
}

// relFreeAddr returns 127.0.0.1:port with a port that was free a moment ago.
func relFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// relStartExample starts the example server (`example`, which migrates first) in dir with env
// plus ADDR, waits until it answers HTTP, and stops it when t ends.
func relStartExample(t *testing.T, name, bin, dir string, env []string) *relProc {
	t.Helper()
	var p *relProc
	for attempt := 0; attempt < 3; attempt++ {
		addr := relFreeAddr(t)
		p = &relProc{name: name, Base: "http://" + addr, out: &relTailBuffer{max: 256 << 10}, done: make(chan struct{})}
		p.cmd = exec.Command(bin)
		p.cmd.Dir = dir
		p.cmd.Env = append(slices.Clip(env), "ADDR="+addr)
		p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatalf("start example %s: %v", name, err)
		}
		go func() { p.err = p.cmd.Wait(); close(p.done) }()
		if p.waitReady(60 * time.Second) {
			t.Cleanup(func() { p.Stop(t) })
			return p
		}
		p.Stop(t)
		if !strings.Contains(p.out.String(), "address already in use") {
			break
		}
	}
	t.Fatalf("example %s did not come up; its output:\n%s", name, p.out.String())
	return nil
}

// waitReady polls the stateless route until the server answers anything over HTTP.
func (p *relProc) waitReady(limit time.Duration) bool {
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return false
		default:
		}
		resp, err := hc.Get(p.Base + "/api/me/stateless/")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Stop interrupts the server, waits up to 10 s for it to exit, then kills it.
func (p *relProc) Stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Logf("example %s did not stop within 10 s of SIGINT; killing it", p.name)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// Output returns the tail of the server's stdout and stderr.
func (p *relProc) Output() string { return p.out.String() }

// ----------------------------------------------------------------------------------------------
// The example in-process

// relService is the example's router (newRouter) served by the example's serveHTTP on
// 127.0.0.1, configured as `example` configures itself (loadSettings, obtainSerializer) but
// with the given password hashers, so that logins are cheap enough for a load test (the binary
// hashes with PBKDF2_ITERATIONS, by default Django 6.1's 1,500,000).
type relService struct {
	Base    string
	DB      *gorm.DB
	JWT     *ginjwt.JWT
	Hashers *hashers.List
	logs    *relTailBuffer
	stop    func()
}

// relStartInProcess opens and migrates dbURL, lets prepare (if any) adjust db before anything
// uses it (the SQLite outage swaps its connection pool), configures simplejwt from settings (SIMPLE_JWT_* pairs, as the binary reads them) and serves
// the example's router until t ends (or Stop).
func relStartInProcess(t *testing.T, dbURL string, settings []string, hs *hashers.List, prepare func(*gorm.DB)) *relService {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := dburl.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open %s: %v", relRedactDSN(dbURL), err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if prepare != nil {
		prepare(db)
	}
	env := map[string]string{}
	for _, kv := range settings {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	logs := &relTailBuffer{max: 256 << 10}
	// Warnings and errors only: the request lines at Info would cost more than the requests.
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Code that logs through slog.Default (the example's renderers without a logger) goes to
	// the same place while the service runs, not to the test's output.
	// slog.SetDefault also redirects the log package, so its writer and flags are restored too.
	prevDefault, prevWriter, prevFlags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(logger)
	t.Cleanup(func() {
		slog.SetDefault(prevDefault)
		log.SetOutput(prevWriter)
		log.SetFlags(prevFlags)
	})
	s, err := loadSettings(func(name string) (string, bool) { v, ok := env[name]; return v, ok }, dbURL, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.Logger = logger
	s.Serializers = map[views.EndpointName]serializers.Serializer{views.TokenObtainPair: obtainSerializer()}
	s.User.Hashers = hs
	j, err := ginjwt.New(db, s)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stopServe := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveHTTP(sctx, ln, newRouter(j, logger, true), logger) }()
	svc := &relService{Base: "http://" + ln.Addr().String(), DB: db, JWT: j, Hashers: hs, logs: logs}
	var once sync.Once
	svc.stop = func() {
		once.Do(func() {
			stopServe()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serveHTTP: %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Errorf("the in-process server did not stop within 15 s")
			}
		})
	}
	t.Cleanup(svc.stop)
	return svc
}

// Stop stops serving (requests in flight finish); the database stays open until t ends.
func (s *relService) Stop() { s.stop() }

// Output returns the tail of the service's log (warnings and errors).
func (s *relService) Output() string { return s.logs.String() }

// relLogTail returns the last n lines of a log, each cut to 300 bytes (no stack traces in
// full).
func relLogTail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for i, l := range lines {
		if len(l) > 300 {
			lines[i] = l[:300] + "…"
		}
	}
	return strings.Join(lines, "\n")
}

// CreateUsers creates n active users with the service's hashers and returns them with their ids.
func (s *relService) CreateUsers(t *testing.T, prefix string, n int) []relUser {
	t.Helper()
	store, ok := s.JWT.Users().(*models.GormUserStore)
	if !ok {
		t.Fatalf("the user store is a %T, not the GORM store", s.JWT.Users())
	}
	users := make([]relUser, n)
	for i := range users {
		users[i] = relUser{Username: fmt.Sprintf("%s%03d", prefix, i), Password: relPassword(prefix, i)}
		u := models.NewUser(users[i].Username)
		if err := u.SetPasswordWith(s.Hashers, users[i].Password); err != nil {
			t.Fatal(err)
		}
		if err := store.Create(context.Background(), u); err != nil {
			t.Fatalf("create user %s: %v", users[i].Username, err)
		}
		users[i].ID = strconv.FormatInt(u.ID, 10)
	}
	return users
}

// relUser is a user the tests created, with its primary key as text (the user_id claim).
type relUser struct {
	Username string
	Password string
	ID       string
}

// relPassword makes a password for the i-th user of a test.
func relPassword(prefix string, i int) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("pw-%s-%d-%x", prefix, i, b)
}

// ----------------------------------------------------------------------------------------------
// HTTP

// relMaxRequest bounds every request of the tests.
const relMaxRequest = 30 * time.Second

// relClient talks JSON to one server, keeping up to conns connections alive.
type relClient struct {
	base string
	hc   *http.Client
}

func relNewClient(base string, conns int) *relClient {
	tr := &http.Transport{
		Proxy:               nil, // 127.0.0.1 only, whatever HTTP_PROXY says
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &relClient{base: base, hc: &http.Client{Transport: tr, Timeout: relMaxRequest}}
}

func (c *relClient) Close() { c.hc.CloseIdleConnections() }

// relReply is one answered request.
type relReply struct {
	Status  int
	Body    []byte
	Header  http.Header
	Elapsed time.Duration
}

// do sends method path with a JSON body (nil: none) and a Bearer token (empty: none).
func (c *relClient) do(ctx context.Context, method, path, bearer string, body any) (relReply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return relReply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return relReply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return relReply{Elapsed: time.Since(start)}, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	r := relReply{Status: resp.StatusCode, Body: data, Header: resp.Header, Elapsed: time.Since(start)}
	return r, err
}

func (c *relClient) post(ctx context.Context, path string, body any) (relReply, error) {
	return c.do(ctx, http.MethodPost, path, "", body)
}

func (c *relClient) get(ctx context.Context, path, bearer string) (relReply, error) {
	return c.do(ctx, http.MethodGet, path, bearer, nil)
}

// relTokenPair is the body of obtain and of refresh with rotation.
type relTokenPair struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh"`
}

// relDetailBody is DRF's error body.
type relDetailBody struct {
	Detail   any    `json:"detail"`
	Code     string `json:"code"`
	Messages []struct {
		TokenClass string `json:"token_class"`
		TokenType  string `json:"token_type"`
		Message    string `json:"message"`
	} `json:"messages"`
}

// relLeakWords are bits of text that must never reach a client: SQL, driver and Go runtime text.
var relLeakWords = []string{"sql", "SELECT", "INSERT", "UPDATE ", "pq:", "pgx", "pgconn", "SQLSTATE", "sqlite",
	"gorm", "dial tcp", "connection refused", "database is locked", "goroutine", "panic", "runtime error",
	".go:", "auth_user", "token_blacklist", "not currently accepting connections", "terminating connection"}

// relCheckCleanError reports why an error body is not a clean DRF JSON body: not JSON, no
// detail, or driver/SQL/Go text in it.
func relCheckCleanError(r relReply) error {
	var b relDetailBody
	if err := json.Unmarshal(r.Body, &b); err != nil || b.Detail == nil {
		return fmt.Errorf("status %d: body is not DRF JSON with a detail: %.200q", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("status %d: Content-Type %q", r.Status, ct)
	}
	lower := strings.ToLower(string(r.Body))
	for _, w := range relLeakWords {
		if strings.Contains(lower, strings.ToLower(w)) {
			return fmt.Errorf("status %d: body leaks %q: %.300q", r.Status, w, r.Body)
		}
	}
	return nil
}

// ----------------------------------------------------------------------------------------------
// Statistics

// relOpStats are the outcomes of one kind of request.
type relOpStats struct {
	Durations []time.Duration // of answered requests
	Status    map[int]int
	Errors    int // transport errors (no HTTP answer)
}

// relStats are per-operation outcomes, kept per goroutine and merged at the end (no locks in the
// hot path).
type relStats map[string]*relOpStats

func (s relStats) add(op string, r relReply, err error) {
	o := s[op]
	if o == nil {
		o = &relOpStats{Status: map[int]int{}}
		s[op] = o
	}
	if err != nil {
		o.Errors++
		return
	}
	o.Durations = append(o.Durations, r.Elapsed)
	o.Status[r.Status]++
}

func relMergeStats(all ...relStats) relStats {
	out := relStats{}
	for _, s := range all {
		for op, o := range s {
			m := out[op]
			if m == nil {
				m = &relOpStats{Status: map[int]int{}}
				out[op] = m
			}
			m.Durations = append(m.Durations, o.Durations...)
			for k, v := range o.Status {
				m.Status[k] += v
			}
			m.Errors += o.Errors
		}
	}
	return out
}

// count returns the number of answers with a status in [lo, hi].
func (o *relOpStats) count(lo, hi int) int {
	if o == nil {
		return 0
	}
	n := 0
	for code, v := range o.Status {
		if code >= lo && code <= hi {
			n += v
		}
	}
	return n
}

// relPercentile returns the p-th percentile (nearest rank) of sorted durations.
func relPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return sorted[rank]
}

func relMS(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// logTable logs one line per operation, in order, in a fixed format prefixed "load:".
func (s relStats) logTable(t *testing.T, db string, elapsed time.Duration, order []string) {
	t.Helper()
	t.Logf("load: %-9s %-16s %9s %9s %10s %10s %10s %6s %6s %6s %6s", "db", "endpoint", "requests", "req/s",
		"p50", "p99", "max", "2xx", "4xx", "5xx", "neterr")
	for _, op := range order {
		o := s[op]
		if o == nil {
			continue
		}
		d := slices.Clone(o.Durations)
		slices.Sort(d)
		n := len(d) + o.Errors
		t.Logf("load: %-9s %-16s %9d %9.1f %10s %10s %10s %6d %6d %6d %6d", db, op, n,
			float64(n)/elapsed.Seconds(), relMS(relPercentile(d, 50)), relMS(relPercentile(d, 99)), relMS(relPercentile(d, 100)),
			o.count(200, 299), o.count(400, 499), o.count(500, 599), o.Errors)
	}
}

// ----------------------------------------------------------------------------------------------
// Issued tokens

// relIssued is a token the service handed out, kept to be checked after the run.
type relIssued struct {
	Raw      string
	Type     string // "access" or "refresh"
	UserID   string // the user it was issued for, as text
	Username string // "" when the token must not carry the example's username claim
}

// relTokenChecker checks issued tokens: HS256 only, signature under the key, exp and iat present
// and in order, and exactly simplejwt's claims (plus the example's custom "username" claim,
// example/serializer.go, which must name the right user).
type relTokenChecker struct {
	key       []byte
	lifetimes map[string]time.Duration // by token_type
	parser    *jwt.Parser
}

func relNewTokenChecker(key string, access, refresh time.Duration) *relTokenChecker {
	return &relTokenChecker{
		key:       []byte(key),
		lifetimes: map[string]time.Duration{"access": access, "refresh": refresh},
		parser: jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(), jwt.WithLeeway(5*time.Second)),
	}
}

// check returns why tok is not a well-formed token of its type for its user.
func (c *relTokenChecker) check(tok relIssued) error {
	claims := jwt.MapClaims{}
	parsed, err := c.parser.ParseWithClaims(tok.Raw, claims, func(*jwt.Token) (any, error) { return c.key, nil })
	if err != nil {
		return fmt.Errorf("%s token does not decode: %w", tok.Type, err)
	}
	if alg, _ := parsed.Header["alg"].(string); alg != "HS256" {
		return fmt.Errorf("%s token: alg %q", tok.Type, alg)
	}
	keys := make([]string, 0, len(claims))
	for k := range claims {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"exp", "iat", "jti", "token_type", "user_id"}
	if tok.Username != "" {
		want = []string{"exp", "iat", "jti", "token_type", "user_id", "username"}
		if name, _ := claims["username"].(string); name != tok.Username {
			return fmt.Errorf("%s token: username %#v, want %q", tok.Type, claims["username"], tok.Username)
		}
	}
	if !slices.Equal(keys, want) {
		return fmt.Errorf("%s token: claims %v, want %v", tok.Type, keys, want)
	}
	if tt, _ := claims["token_type"].(string); tt != tok.Type {
		return fmt.Errorf("token_type %q, want %q", tt, tok.Type)
	}
	if uid, ok := claims["user_id"].(string); !ok || uid != tok.UserID {
		return fmt.Errorf("%s token: user_id %#v, want the string %q", tok.Type, claims["user_id"], tok.UserID)
	}
	jti, _ := claims["jti"].(string)
	if b, err := hex.DecodeString(jti); err != nil || len(b) != 16 {
		return fmt.Errorf("%s token: jti %#v is not 32 hex digits (uuid4().hex)", tok.Type, claims["jti"])
	}
	exp, _ := claims["exp"].(float64)
	iat, _ := claims["iat"].(float64)
	// exp - iat is the lifetime, except for the access token that /refresh/ mints: its exp counts
	// from the refresh token's current time (when it was parsed) and its iat is its own, later,
	// time (simplejwt HEAD), so under load it can be short by as long as the request took.
	if want := c.lifetimes[tok.Type]; want > 0 {
		got := time.Duration(exp-iat) * time.Second
		slack := time.Duration(0)
		if tok.Type == "access" {
			slack = relMaxRequest
		}
		if got > want || got < want-slack-time.Second {
			return fmt.Errorf("%s token: exp-iat = %s, want %s (at most %s less)", tok.Type, got, want, slack+time.Second)
		}
	}
	return nil
}

// ----------------------------------------------------------------------------------------------
// PostgreSQL

// relPG is the server of SIMPLEJWT_TEST_POSTGRES_DSN, for creating, cutting and dropping
// throwaway databases.
type relPG struct {
	dsn   string
	admin *gorm.DB
}

// relOpenPostgres connects to SIMPLEJWT_TEST_POSTGRES_DSN, skipping t when it is unset.
func relOpenPostgres(t *testing.T) *relPG {
	t.Helper()
	dsn := relPostgresDSN()
	if dsn == "" {
		t.Skipf("PostgreSQL: %s is not set", relEnvPostgresDSN)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := dburl.Open(ctx, dsn)
	if err != nil {
		cause := err
		var dbErr *models.DBError
		if errors.As(err, &dbErr) {
			cause = dbErr.Err
		}
		t.Fatalf("PostgreSQL %s: %v", relRedactDSN(dsn), cause)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return &relPG{dsn: dsn, admin: db}
}

// relRedactDSN hides a password in a DSN for logs.
func relRedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}

// createDatabase makes a database with a random name, returns its name and DSN, and drops it
// (terminating its connections) when t ends.
func (pg *relPG) createDatabase(t *testing.T, prefix string) (name, dsn string) {
	t.Helper()
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		t.Fatal(err)
	}
	name = fmt.Sprintf("sjwt_%s_%x", prefix, rnd)
	if err := pg.admin.Exec(`CREATE DATABASE "` + name + `"`).Error; err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Allow connections again in case the test stopped while the database was cut, so that
		// FORCE can terminate what remains.
		_ = pg.admin.Exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS true`).Error
		if err := pg.admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`).Error; err != nil {
			t.Errorf("DROP DATABASE %s: %v", name, err)
		}
	})
	u, err := url.Parse(pg.dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return name, u.String()
}

// cut makes database name unreachable: no new connections (ALLOW_CONNECTIONS false) and every
// existing session terminated. This is what a client sees when the database goes away.
func (pg *relPG) cut(name string) error {
	if err := pg.admin.Exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS false`).Error; err != nil {
		return err
	}
	return pg.admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()`, name).Error
}

// restore allows connections to database name again.
func (pg *relPG) restore(name string) error {
	return pg.admin.Exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS true`).Error
}

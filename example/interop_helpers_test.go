package main

// Helpers for interop_test.go: the example binary, the reference Django project
// (testdata/djangoproject, the real simplejwt 5.2.2 from Debian), throwaway databases they
// share, the two servers, HTTP calls and the per-direction tally.

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "github.com/mattn/go-sqlite3"    // database/sql driver "sqlite3"
)

// Time bounds. Everything the suite waits for has one.
const (
	interopBuildTimeout   = 5 * time.Minute  // go build of the example
	interopCommandTimeout = 2 * time.Minute  // one run.sh or example command
	interopReadyTimeout   = 45 * time.Second // a server answering HTTP
	interopHTTPTimeout    = 30 * time.Second // one request
	interopStopGrace      = 5 * time.Second  // SIGINT, then SIGKILL
	interopSQLTimeout     = 30 * time.Second // one query from the test
)

// interopPython is the interpreter that has Debian's Django and simplejwt (README of
// testdata/djangoproject: a python3 found first on PATH may not).
const interopPython = "/usr/bin/python3"

// requireDjango skips t when the reference project cannot run here.
func interopRequireDjango(t *testing.T) {
	t.Helper()
	out, err := exec.Command(interopPython, "-c", "import rest_framework_simplejwt").CombinedOutput()
	if err != nil {
		t.Skipf("interop: skipped: %s cannot import rest_framework_simplejwt (%v: %s); "+
			"install Debian's python3-djangorestframework-simplejwt (see .ci/run)",
			interopPython, err, strings.TrimSpace(string(out)))
	}
}

// runShPath is testdata/djangoproject/run.sh as an absolute path (go test runs in example/).
func interopRunSh(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "testdata", "djangoproject", "run.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("interop: reference project runner: %v", err)
	}
	return p
}

// ---------------------------------------------------------------------------------------------
// The example binary

// The binary is built once for all the tests of this process that are running at the same time,
// and removed when the last of them ends (so -count=N rebuilds from Go's build cache and no file
// is left in the temp dir).
var interopExampleBin struct {
	mu    sync.Mutex
	users int
	dir   string
	path  string
}

// exampleBinary builds the example (go build -o DIR/example .) or reuses the build of a test
// still running, and returns the path of the executable.
func interopExampleBinary(t *testing.T) string {
	t.Helper()
	b := &interopExampleBin
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.users == 0 {
		dir, err := os.MkdirTemp("", "simplejwt-example-")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "example")
		goTool, err := exec.LookPath("go")
		if err != nil {
			os.RemoveAll(dir)
			t.Fatalf("interop: go tool not found to build the example: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), interopBuildTimeout)
		defer cancel()
		start := time.Now()
		cmd := exec.CommandContext(ctx, goTool, "build", "-o", path, ".")
		out, err := cmd.CombinedOutput()
		if err != nil {
			os.RemoveAll(dir)
			t.Fatalf("interop: go build ./example: %v\n%s", err, out)
		}
		t.Logf("interop: built the example in %v", time.Since(start).Round(100*time.Millisecond))
		b.dir, b.path = dir, path
	}
	b.users++
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.users--; b.users == 0 {
			os.RemoveAll(b.dir)
			b.dir, b.path = "", ""
		}
	})
	return b.path
}

// ---------------------------------------------------------------------------------------------
// Databases shared by both services

var interopSeq atomic.Int64

func interopRandomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// sharedDB is one database that the Django project and the Go example both use.
type interopDB struct {
	kind   string // "sqlite" or "postgres"
	url    string // DATABASE_URL for run.sh and the example
	driver string // database/sql driver for the test's own queries
	dsn    string

	mu sync.Mutex
	db *sql.DB
}

// newSQLiteDB returns a new SQLite file path in a temporary directory (the file itself is
// created by whoever migrates first).
func interopNewSQLite(t *testing.T) *interopDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("db%d.sqlite3", interopSeq.Add(1)))
	return &interopDB{
		kind: "sqlite", url: path, driver: "sqlite3",
		dsn: "file:" + path + "?_busy_timeout=20000&_foreign_keys=1",
	}
}

// newPostgresDB creates a throwaway database next to the one adminDSN names, and drops it
// (WITH (FORCE)) when t ends. Register servers that use it after this call, so that t.Cleanup
// stops them first.
func interopNewPostgres(t *testing.T, adminDSN string) *interopDB {
	t.Helper()
	u, err := url.Parse(adminDSN)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("interop: SIMPLEJWT_TEST_POSTGRES_DSN %q is not a postgres:// URL (%v)", adminDSN, err)
	}
	name := fmt.Sprintf("simplejwt_interop_%d_%d_%s", os.Getpid(), interopSeq.Add(1), interopRandomHex(3))
	admin, err := sql.Open("pgx", adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), interopSQLTimeout)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("interop: CREATE DATABASE %s through %s: %v", name, interopRedactDSN(adminDSN), err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", adminDSN)
		if err != nil {
			t.Errorf("interop: drop %s: %v", name, err)
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), interopSQLTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("interop: DROP DATABASE %s: %v", name, err)
		}
	})
	d := *u
	d.Path = "/" + name
	return &interopDB{kind: "postgres", url: d.String(), driver: "pgx", dsn: d.String()}
}

func interopRedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}

// sql returns the test's own connection to the database, closed when t ends.
func (d *interopDB) sql(t *testing.T) *sql.DB {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db == nil {
		db, err := sql.Open(d.driver, d.dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(2)
		d.db = db
		t.Cleanup(func() {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.db.Close()
			d.db = nil
		})
	}
	return d.db
}

// rebind turns ? placeholders into $n for PostgreSQL.
func (d *interopDB) rebind(q string) string {
	if d.kind != "postgres" {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (d *interopDB) queryRow(t *testing.T, dest []any, q string, args ...any) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), interopSQLTimeout)
	defer cancel()
	return d.sql(t).QueryRowContext(ctx, d.rebind(q), args...).Scan(dest...)
}

func (d *interopDB) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.queryRow(t, []any{&n}, q, args...); err != nil {
		t.Fatalf("interop: %s: %v", q, err)
	}
	return n
}

func (d *interopDB) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), interopSQLTimeout)
	defer cancel()
	if _, err := d.sql(t).ExecContext(ctx, d.rebind(q), args...); err != nil {
		t.Fatalf("interop: %s: %v", q, err)
	}
}

// strings runs q and returns each row's columns joined by " | ".
func (d *interopDB) rows(t *testing.T, q string, args ...any) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), interopSQLTimeout)
	defer cancel()
	rows, err := d.sql(t).QueryContext(ctx, d.rebind(q), args...)
	if err != nil {
		t.Fatalf("interop: %s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("interop: %s: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v.Valid {
				parts[i] = v.String
			} else {
				parts[i] = "NULL"
			}
		}
		out = append(out, strings.Join(parts, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("interop: %s: %v", q, err)
	}
	return out
}

func (d *interopDB) userID(t *testing.T, username string) int64 {
	t.Helper()
	var id int64
	if err := d.queryRow(t, []any{&id}, "SELECT id FROM auth_user WHERE username = ?", username); err != nil {
		t.Fatalf("interop: id of user %q: %v", username, err)
	}
	return id
}

func (d *interopDB) passwordHash(t *testing.T, username string) string {
	t.Helper()
	var p string
	if err := d.queryRow(t, []any{&p}, "SELECT password FROM auth_user WHERE username = ?", username); err != nil {
		t.Fatalf("interop: password of user %q: %v", username, err)
	}
	return p
}

func (d *interopDB) outstandingRows(t *testing.T, interopJTI string) int {
	t.Helper()
	return d.count(t, "SELECT COUNT(*) FROM token_blacklist_outstandingtoken WHERE jti = ?", interopJTI)
}

func (d *interopDB) blacklistedRows(t *testing.T, interopJTI string) int {
	t.Helper()
	return d.count(t, `SELECT COUNT(*) FROM token_blacklist_blacklistedtoken b
		JOIN token_blacklist_outstandingtoken o ON o.id = b.token_id WHERE o.jti = ?`, interopJTI)
}

// outstandingUser returns the user_id column of jti's outstanding row ("NULL" when null).
func (d *interopDB) outstandingUser(t *testing.T, interopJTI string) string {
	t.Helper()
	r := d.rows(t, "SELECT user_id FROM token_blacklist_outstandingtoken WHERE jti = ?", interopJTI)
	if len(r) != 1 {
		return fmt.Sprintf("(%d rows)", len(r))
	}
	return r[0]
}

// schema is a textual snapshot of every table, column, index and constraint, for comparing a
// database before and after a migrate.
func (d *interopDB) schema(t *testing.T) []string {
	t.Helper()
	if d.kind == "sqlite" {
		return d.rows(t, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
			WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	}
	var out []string
	out = append(out, d.rows(t, `SELECT 'column', table_name, column_name, data_type,
			COALESCE(character_maximum_length::text, ''), is_nullable, COALESCE(column_default, ''),
			is_identity, ordinal_position::text
		FROM information_schema.columns WHERE table_schema = 'public'
		ORDER BY table_name, column_name`)...)
	out = append(out, d.rows(t, `SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
		WHERE schemaname = 'public' ORDER BY tablename, indexname`)...)
	out = append(out, d.rows(t, `SELECT 'constraint', conrelid::regclass::text, conname,
			pg_get_constraintdef(oid), condeferrable::text, condeferred::text
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 2, 3`)...)
	out = append(out, d.rows(t, `SELECT 'sequence', sequence_name, data_type FROM information_schema.sequences
		WHERE sequence_schema = 'public' ORDER BY sequence_name`)...)
	return out
}

// migrations returns django_migrations' (app, name) rows.
func (d *interopDB) migrations(t *testing.T) []string {
	t.Helper()
	return d.rows(t, "SELECT app, name FROM django_migrations ORDER BY app, name")
}

// diffLines returns what is only in a ("-") and only in b ("+").
func interopDiff(a, b []string) []string {
	in := func(xs []string) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			m[x]++
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for x, n := range ma {
		if mb[x] < n {
			out = append(out, "- "+x)
		}
	}
	for x, n := range mb {
		if ma[x] < n {
			out = append(out, "+ "+x)
		}
	}
	sort.Strings(out)
	return out
}

// ---------------------------------------------------------------------------------------------
// Environment and commands

// serviceEnv is what both services get: the shared database, the shared key and the
// SIMPLE_JWT_* settings of one configuration.
type interopEnv struct {
	db       *interopDB
	key      string
	settings []string // "SIMPLE_JWT_X=v"
}

// environ is os.Environ without anything that could change either service's configuration,
// plus e's variables and extra.
func (e interopEnv) environ(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "DATABASE_URL", k == "ADDR", k == "GIN_MODE", k == "PASSWORD_HASHERS", k == "PBKDF2_ITERATIONS",
			strings.HasPrefix(k, "SIMPLE_JWT_"), strings.HasPrefix(k, "DJANGO_"),
			strings.HasPrefix(k, "REFPROJECT_"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"DATABASE_URL="+e.db.url,
		"SIMPLE_JWT_SIGNING_KEY="+e.key,
		"DJANGO_SECRET_KEY=interop-django-secret-"+e.key,
		"DJANGO_LOG_LEVEL=WARNING",
		"GIN_MODE=release",
	)
	env = append(env, e.settings...)
	return append(env, extra...)
}

// with returns e with more settings.
func (e interopEnv) with(settings ...string) interopEnv {
	e.settings = append(append([]string(nil), e.settings...), settings...)
	return e
}

// command runs name args with env and a timeout, and returns its stdout, and its stderr.
func interopCommand(t *testing.T, env []string, name string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), interopCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.WaitDelay = interopStopGrace
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (timed out after %v)", err, interopCommandTimeout)
	}
	return stdout.String(), stderr.String(), err
}

// ---------------------------------------------------------------------------------------------
// Servers

// lockedBuffer collects a process's output.
type interopBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *interopBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.b.Len() > 1<<20 { // keep the tail only
		rest := append([]byte(nil), b.b.Bytes()[b.b.Len()-64<<10:]...)
		b.b.Reset()
		b.b.Write(rest)
	}
	return b.b.Write(p)
}

func (b *interopBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// server is one running service.
type interopServer struct {
	name string // "django" or "go", for messages
	base string // http://127.0.0.1:PORT
	out  *interopBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its Wait error, once done
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func interopFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServer starts name args with env (the command must listen on addr) and registers its
// stop on owner, the test whose end stops it: SIGINT, then SIGKILL after interopStopGrace.
// Call ready before using it.
func interopStartServer(t, owner *testing.T, name, addr string, env []string, prog string, args ...string) *interopServer {
	t.Helper()
	s := &interopServer{name: name, base: "http://" + addr, out: &interopBuffer{}, done: make(chan struct{})}
	// Stop before go test's -timeout panics: a panic skips the cleanups and would leave the
	// servers running.
	stopBy := time.Now().Add(time.Hour)
	if deadline, ok := owner.Deadline(); ok {
		stopBy = deadline.Add(-10 * time.Second)
	}
	ctx, cancel := context.WithDeadline(context.Background(), stopBy)
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = s.out, s.out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = interopStopGrace
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("interop: start the %s server: %v", name, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	owner.Cleanup(func() {
		cancel()
		<-s.done
		if owner.Failed() {
			owner.Logf("interop: %s server output (tail):\n%s", name, s.out.tail(6000))
		}
	})
	return s
}

// ready waits until s answers HTTP (any status).
func (s *interopServer) ready(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(interopReadyTimeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case <-s.done:
			t.Fatalf("interop: the %s server exited before answering (%v):\n%s", s.name, s.err, s.out.tail(6000))
		default:
		}
		resp, err := client.Get(s.base + "/api/me/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("interop: the %s server is not answering on %s after %v: %v\n%s",
				s.name, s.base, interopReadyTimeout, err, s.out.tail(6000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ---------------------------------------------------------------------------------------------
// HTTP

var interopClient = &http.Client{Timeout: interopHTTPTimeout}

// reply is one HTTP answer.
type interopReply struct {
	status int
	body   []byte
	header http.Header
}

// json decodes the body as an object (numbers as json.Number); nil when it is not one.
func (r interopReply) json() map[string]any {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return nil
	}
	return m
}

// str returns the string field k of the JSON body ("" when absent).
func (r interopReply) str(k string) string {
	s, _ := r.json()[k].(string)
	return s
}

func (r interopReply) String() string {
	b := string(r.body)
	if len(b) > 600 {
		b = b[:600] + "…"
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

func (s *interopServer) do(t *testing.T, method, path, bearer string, body any) interopReply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), interopHTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := interopClient.Do(req)
	if err != nil {
		t.Fatalf("interop: %s %s%s on the %s server: %v", method, s.base, path, s.name, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("interop: read %s %s: %v", method, path, err)
	}
	r := interopReply{status: resp.StatusCode, body: b, header: resp.Header}
	if r.status >= 500 { // no case expects one: a crash on what the other side wrote
		t.Errorf("interop: %s %s on the %s server crashed: %v\n%s", method, path, s.name, r, s.out.tail(3000))
	}
	return r
}

func (s *interopServer) post(t *testing.T, path string, body any) interopReply {
	t.Helper()
	return s.do(t, http.MethodPost, path, "", body)
}

func (s *interopServer) get(t *testing.T, path, bearer string) interopReply {
	t.Helper()
	return s.do(t, http.MethodGet, path, bearer, nil)
}

// obtain posts credentials to /api/token/ (or /api/token/sliding/ when sliding).
func (s *interopServer) obtain(t *testing.T, username, password string, sliding bool) interopReply {
	t.Helper()
	path := "/api/token/"
	if sliding {
		path = "/api/token/sliding/"
	}
	return s.post(t, path, map[string]string{"username": username, "password": password})
}

// ---------------------------------------------------------------------------------------------
// Tokens

// claims decodes a JWT's payload without checking it (numbers as json.Number).
func interopClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("interop: not a JWT: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("interop: JWT payload: %v", err)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("interop: JWT payload: %v", err)
	}
	return m
}

func interopJTI(t *testing.T, token string) string {
	t.Helper()
	s, _ := interopClaims(t, token)["jti"].(string)
	if s == "" {
		t.Fatalf("interop: token without jti: %v", interopClaims(t, token))
	}
	return s
}

func interopExp(t *testing.T, token string) time.Time {
	t.Helper()
	n, ok := interopClaims(t, token)["exp"].(json.Number)
	if !ok {
		t.Fatalf("interop: token without exp")
	}
	sec, err := n.Int64()
	if err != nil {
		t.Fatalf("interop: exp %v: %v", n, err)
	}
	return time.Unix(sec, 0)
}

// ---------------------------------------------------------------------------------------------
// Tally

// direction says which side produced what the other side consumed: a user, a token, a
// blacklist row, a rotation, a schema.
type interopDir int

const (
	dirGoToDjango interopDir = iota
	dirDjangoToGo
)

func (d interopDir) String() string {
	if d == dirGoToDjango {
		return "Go→Django"
	}
	return "Django→Go"
}

// tally counts passed and failed cross-side checks per direction.
type interopTally struct {
	passed, failed [2]atomic.Int64
}

func (c *interopTally) add(o *interopTally) {
	for i := range 2 {
		c.passed[i].Add(o.passed[i].Load())
		c.failed[i].Add(o.failed[i].Load())
	}
}

func (c *interopTally) summary() string {
	s := fmt.Sprintf("%d %v, %d %v passed", c.passed[dirGoToDjango].Load(), dirGoToDjango,
		c.passed[dirDjangoToGo].Load(), dirDjangoToGo)
	if f0, f1 := c.failed[dirGoToDjango].Load(), c.failed[dirDjangoToGo].Load(); f0+f1 > 0 {
		s += fmt.Sprintf("; %d %v, %d %v FAILED", f0, dirGoToDjango, f1, dirDjangoToGo)
	}
	return s
}

// check records one cross-side check: counted for dir when ok, a test error otherwise.
func (c *interopTally) check(t *testing.T, dir interopDir, ok bool, format string, args ...any) bool {
	t.Helper()
	if ok {
		c.passed[dir].Add(1)
		return true
	}
	c.failed[dir].Add(1)
	t.Errorf("interop %v: "+format, append([]any{dir}, args...)...)
	return false
}

// status checks r's status code, and its body byte for byte when body is not "".
func (c *interopTally) status(t *testing.T, dir interopDir, what string, r interopReply, status int, body string) bool {
	t.Helper()
	ok := r.status == status && (body == "" || string(r.body) == body)
	want := fmt.Sprint(status)
	if body != "" {
		want += " " + body
	}
	return c.check(t, dir, ok, "%s: got %v, want %s", what, r, want)
}

package main

// Honest operations: the cause of every 503 and of a failed start-up is in the log (the
// driver's error, the path or the host, never a password), while a client gets only the fixed
// JSON body.
//
//   - TestStartupFailureCauses: the example exits 1 with the cause on stderr.
//   - TestRequestFailureCauses: a running service answers 503 with the fixed body and logs the
//     cause.
//   - TestSQLiteFileChangedUnderService: the SQLite file deleted or replaced under the running
//     service: 503 and a log line saying so; nothing is created or written in its place.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

// causePassword is the password put into the DSNs of these tests (the local servers trust
// their clients and ignore it): it must never reach a log.
const causePassword = "s3cret-Pw-h8"

// causePostgresURL is SIMPLEJWT_TEST_POSTGRES_DSN with causePassword, another database and,
// when port is not "", another port.
func causePostgresURL(t *testing.T, database, host string) string {
	t.Helper()
	base := relPostgresDSN()
	if base == "" {
		t.Skipf("PostgreSQL: %s is not set", relEnvPostgresDSN)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), causePassword)
	u.Path = "/" + database
	if host != "" {
		u.Host = host
	}
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	return u.String()
}

func TestStartupFailureCauses(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string) string // returns DATABASE_URL
		want    []string                              // on stderr
	}{
		{"missing directory for the SQLite file", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "no", "such", "dir", "db.sqlite3")
		}, []string{"no/such/dir/db.sqlite3", "unable to open database file"}},
		{"missing PostgreSQL database", func(t *testing.T, dir string) string {
			return causePostgresURL(t, "sjwt_no_such_database", "")
		}, []string{`database "sjwt_no_such_database" does not exist`, "postgres:xxxxx@127.0.0.1"}},
		{"wrong port", func(t *testing.T, dir string) string {
			return causePostgresURL(t, "test", "127.0.0.1:1")
		}, []string{"127.0.0.1:1", "connection refused"}},
		{"read-only SQLite file", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "ro.sqlite3")
			db, err := dburl.Open(context.Background(), path) // an empty database, not migrated
			if err != nil {
				t.Fatal(err)
			}
			relCloseGorm(db)
			// SQLite's read-only mode: the tests run as root, whom file permissions do not stop.
			return "file:" + path + "?mode=ro"
		}, []string{"ro.sqlite3", "attempt to write a readonly database"}},
		{"deleted table", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "dt.sqlite3")
			db, err := dburl.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer relCloseGorm(db)
			if err := models.Migrate(context.Background(), db); err != nil {
				t.Fatal(err)
			}
			if err := db.Exec("DROP TABLE " + models.BlacklistedTokenTable).Error; err != nil {
				t.Fatal(err)
			}
			return path
		}, []string{"only one of the token_blacklist tables exists"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			env, _ := testEnv(t, "DATABASE_URL", c.prepare(t, dir), "ADDR", "127.0.0.1:0",
				"SIMPLE_JWT_SIGNING_KEY", relSigningKey)
			code, stdout, stderr := runCmd(t, env)
			causeCheckStderr(t, code, stdout, stderr, c.want)
		})
	}
	t.Run("full disk", func(t *testing.T) {
		// A file size limit of 2 KiB for the example (ulimit -f counts 512-byte blocks): SQLite's
		// first writes fail as on a full disk.
		bin := relBuildExample(t)
		dir := t.TempDir()
		cmd := exec.Command("/bin/sh", "-c", `ulimit -f 4 && exec "$0" migrate`, bin)
		cmd.Dir = dir
		cmd.Env = relExampleEnv("DATABASE_URL="+filepath.Join(dir, "full.sqlite3"), "SIMPLE_JWT_SIGNING_KEY="+relSigningKey)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		causeCheckStderr(t, code, stdout.String(), stderr.String(), []string{"full.sqlite3", "file too large"})
	})
}

// causeCheckStderr: exit 1, nothing served, the wanted text on stderr, never the password.
func causeCheckStderr(t *testing.T, code int, stdout, stderr string, want []string) {
	t.Helper()
	t.Logf("stderr: %s", strings.TrimSpace(stderr))
	if code != exitError || stdout != "" || strings.Contains(stderr, "listening") {
		t.Errorf("exit %d, stdout %q; want exit 1 before listening", code, stdout)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not name %q", w)
		}
	}
	if strings.Contains(stderr, causePassword) {
		t.Errorf("stderr shows the database password")
	}
}

// causeCase is a way to break a running service, and what its log must then say.
type causeCase struct {
	name string
	// start returns the service to break, with a user, and the function that breaks it.
	start func(t *testing.T) (*relService, relUser, func())
	// request is the DB-backed request that must answer 503 ("me" or "obtain").
	request string
	want    []string
}

func TestRequestFailureCauses(t *testing.T) {
	service := func(t *testing.T, url string, prepare func(*gorm.DB)) (*relService, relUser) {
		svc := relStartInProcess(t, url, relSettings(), relCheapHashers, prepare)
		return svc, svc.CreateUsers(t, "cause", 1)[0]
	}
	cases := []causeCase{
		{name: "missing directory for the SQLite file", request: "me", start: func(t *testing.T) (*relService, relUser, func()) {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			svc, u := service(t, filepath.Join(dir, "db.sqlite3"), nil)
			return svc, u, func() {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
			}
		}, want: []string{"data/db.sqlite3", "no longer exists"}},
		{name: "missing PostgreSQL database", request: "me", start: func(t *testing.T) (*relService, relUser, func()) {
			pg := relOpenPostgres(t)
			name, _ := pg.createDatabase(t, "cause")
			svc, u := service(t, causePostgresURL(t, name, ""), nil)
			return svc, u, func() {
				if err := pg.admin.Exec(`DROP DATABASE "` + name + `" WITH (FORCE)`).Error; err != nil {
					t.Fatal(err)
				}
			}
		}, want: []string{"does not exist", "xxxxx@"}},
		{name: "wrong port", request: "me", start: func(t *testing.T) (*relService, relUser, func()) {
			base, err := url.Parse(causePostgresURL(t, "test", ""))
			if err != nil {
				t.Fatal(err)
			}
			pg := relOpenPostgres(t)
			name, _ := pg.createDatabase(t, "port")
			proxy := causeProxy(t, base.Host)
			svc, u := service(t, causePostgresURL(t, name, proxy.addr()), nil)
			return svc, u, proxy.close
		}, want: []string{"dial tcp 127.0.0.1:", "connection refused"}},
		{name: "read-only SQLite file", request: "obtain", start: func(t *testing.T) (*relService, relUser, func()) {
			path := filepath.Join(t.TempDir(), "ro.sqlite3")
			rw, u := service(t, path, nil) // migrated, with the user of the test
			rw.Stop()
			relCloseGorm(rw.DB)
			return relStartInProcess(t, "file:"+path+"?mode=ro", relSettings(), relCheapHashers, nil), u, func() {}
		}, want: []string{"ro.sqlite3", "attempt to write a readonly database"}},
		{name: "full disk", request: "obtain", start: func(t *testing.T) (*relService, relUser, func()) {
			var db *gorm.DB
			svc, u := service(t, filepath.Join(t.TempDir(), "full.sqlite3"), func(d *gorm.DB) { db = d })
			return svc, u, func() {
				// One connection, whose database may not grow: SQLITE_FULL, as on a full disk.
				sqlDB, _ := db.DB()
				sqlDB.SetMaxOpenConns(1)
				var pages int64
				if err := db.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
					t.Fatal(err)
				}
				if err := db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)).Error; err != nil {
					t.Fatal(err)
				}
			}
		}, want: []string{"database or disk is full"}},
		{name: "deleted table", request: "obtain", start: func(t *testing.T) (*relService, relUser, func()) {
			path := filepath.Join(t.TempDir(), "dt.sqlite3")
			svc, u := service(t, path, nil)
			return svc, u, func() {
				other, err := sql.Open("sqlite3", path)
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				for _, table := range []string{models.BlacklistedTokenTable, models.OutstandingTokenTable} {
					if _, err := other.Exec("DROP TABLE " + table); err != nil {
						t.Fatal(err)
					}
				}
			}
		}, want: []string{"no such table: token_blacklist_outstandingtoken"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc, u, breakIt := c.start(t)
			cl := relNewClient(svc.Base, 4)
			defer cl.Close()
			var pair relTokenPair
			if c.request == "me" {
				pair = relObtain(t, cl, u)
			}
			breakIt()
			send := func() (relReply, error) {
				if c.request == "me" {
					return cl.get(context.Background(), "/api/me/", pair.Access)
				}
				return cl.post(context.Background(), "/api/token/", map[string]string{"username": u.Username, "password": u.Password})
			}
			// A few requests: the first after a break may meet a connection that just died, or
			// (full disk) still find room in the last page.
			var logs string
			found := false
			for i := 0; i < 50 && !found; i++ {
				r, err := send()
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case r.Status == http.StatusOK && (c.name == "full disk" || i < 3):
					continue
				case r.Status != http.StatusServiceUnavailable || string(r.Body) != `{"detail":"Service temporarily unavailable."}` || r.Header.Get("Retry-After") == "":
					t.Fatalf("request %d after the break: %d %s (Retry-After %q), want the fixed 503", i, r.Status, r.Body, r.Header.Get("Retry-After"))
				}
				logs = svc.Output()
				found = causeLogNames(logs, c.want)
			}
			for _, cause := range relLogCauses(logs) {
				t.Logf("logged cause: %s", cause)
			}
			if !found {
				t.Errorf("no 503 log line names %q:\n%s", c.want, relLogTail(logs, 10))
			}
			if strings.Contains(logs, causePassword) {
				t.Error("the log shows the database password")
			}
		})
	}
}

// causeLogNames reports whether one line of logs holds every one of want.
func causeLogNames(logs string, want []string) bool {
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, "service unavailable") {
			continue
		}
		all := true
		for _, w := range want {
			all = all && strings.Contains(line, w)
		}
		if all {
			return true
		}
	}
	return false
}

// TestSQLiteFileChangedUnderService: the SQLite file deleted, or replaced by another database,
// while the example serves: the DB-backed routes answer 503 with a log line saying what
// happened, the stateless route keeps answering, and nothing is created or written in the
// file's place.
func TestSQLiteFileChangedUnderService(t *testing.T) {
	for _, replace := range []bool{false, true} {
		name := map[bool]string{false: "deleted", true: "replaced"}[replace]
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db.sqlite3")
			var db *gorm.DB
			svc := relStartInProcess(t, path, relSettings(), relCheapHashers, func(d *gorm.DB) { db = d })
			users := svc.CreateUsers(t, "file", 1)
			c := relNewClient(svc.Base, 4)
			defer c.Close()
			pair := relObtain(t, c, users[0])
			// What the WAL holds goes into the file first: SQLite finds a -wal by its name, so a
			// replacement would otherwise read the first file's.
			if err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
				t.Fatal(err)
			}
			if replace {
				other := filepath.Join(t.TempDir(), "other.sqlite3")
				odb, err := dburl.Open(context.Background(), other)
				if err != nil {
					t.Fatal(err)
				}
				if err := models.Migrate(context.Background(), odb); err != nil {
					t.Fatal(err)
				}
				relCloseGorm(odb)
				if err := os.Rename(other, path); err != nil {
					t.Fatal(err)
				}
			} else if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}

			requests := map[string]func() (relReply, error){
				"GET /api/me/": func() (relReply, error) { return c.get(context.Background(), "/api/me/", pair.Access) },
				"POST /api/token/": func() (relReply, error) {
					return c.post(context.Background(), "/api/token/", map[string]string{"username": users[0].Username, "password": users[0].Password})
				},
				"POST /api/token/refresh/": func() (relReply, error) {
					return c.post(context.Background(), "/api/token/refresh/", map[string]string{"refresh": pair.Refresh})
				},
			}
			for what, send := range requests {
				for range 2 * dburl.SQLiteMaxOpenConns {
					r, err := send()
					if err != nil || r.Status != http.StatusServiceUnavailable || string(r.Body) != `{"detail":"Service temporarily unavailable."}` {
						t.Fatalf("%s after the file was %s: %v %d %s, want the fixed 503", what, name, err, r.Status, r.Body)
					}
				}
			}
			if r, err := c.get(context.Background(), "/api/me/stateless/", pair.Access); err != nil || r.Status != http.StatusOK {
				t.Errorf("the stateless route: %v %d", err, r.Status)
			}
			want := map[bool]string{false: "no longer exists", true: "is not the file that was opened"}[replace]
			if logs := svc.Output(); !causeLogNames(logs, []string{path, want}) {
				t.Errorf("no 503 log line names %s and %q:\n%s", path, want, relLogTail(logs, 10))
			}
			for _, cause := range relLogCauses(svc.Output()) {
				t.Logf("logged cause: %s", cause)
			}
			if !replace {
				if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a file was created at %s: %v", path, err)
				}
				return
			}
			odb, err := dburl.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer relCloseGorm(odb)
			var n int64
			odb.Raw("SELECT COUNT(*) FROM auth_user").Scan(&n)
			var m int64
			odb.Raw("SELECT COUNT(*) FROM " + models.OutstandingTokenTable).Scan(&m)
			if n != 0 || m != 0 {
				t.Errorf("the replacement holds %d users and %d tokens, want none written", n, m)
			}
		})
	}
}

// causeTCPProxy forwards a local port to a server until closed: closing it makes the server
// unreachable at that address (connection refused), as a wrong port does.
type causeTCPProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func causeProxy(t *testing.T, target string) *causeTCPProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &causeTCPProxy{ln: ln}
	t.Cleanup(p.close)
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil {
				_ = in.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, in, out)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); _ = out.Close() }()
			go func() { _, _ = io.Copy(in, out); _ = in.Close() }()
		}
	}()
	return p
}

func (p *causeTCPProxy) addr() string { return p.ln.Addr().String() }

// close stops listening and cuts every forwarded connection.
func (p *causeTCPProxy) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/views/cookies"
)

// This file reads the service's environment: ADDR, REQUEST_LOG, DATABASE_URL, DATABASE_TIMEOUT,
// every SIMPLE_JWT_<KEY> (through ginjwt.SettingsFromEnv), the cookie transport's REST_AUTH_JWT_AUTH_*
// and CSRF_* (through cookies.SettingsFromEnv), PASSWORD_HASHERS and PBKDF2_ITERATIONS, and
// keeps the random signing key of a first run.

const (
	defaultAddr        = "127.0.0.1:8000"
	defaultDatabaseURL = "simplejwt.sqlite3"
	// keyFileSuffix is appended to a SQLite database's path to name its signing-key file.
	keyFileSuffix = ".signing-key"
	// defaultKeyFile holds the key of a database that is not a file (PostgreSQL, MySQL,
	// SQLite in memory), in the working directory.
	defaultKeyFile = "simplejwt" + keyFileSuffix
	// keyBytes is the size of a generated signing key, before hex encoding: 512 bits, enough
	// for HS512 (RFC 7518 §3.2 asks for at least the hash size).
	keyBytes = 64
)

// lookupFunc reads one environment variable, as os.LookupEnv. nil means the process
// environment; then SettingsFromEnv also refuses unknown SIMPLE_JWT_ variables (typos).
type lookupFunc func(string) (string, bool)

func (l lookupFunc) get(name string) (string, bool) {
	if l == nil {
		return os.LookupEnv(name)
	}
	return l(name)
}

// getOr returns the variable's value, or def when it is unset or blank.
func (l lookupFunc) getOr(name, def string) string {
	if v, ok := l.get(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

// addr returns ADDR, default 127.0.0.1:8000.
func (l lookupFunc) addr() string { return l.getOr("ADDR", defaultAddr) }

// sessions reports whether SIMPLE_JWT_SESSIONS is on (the session tables are then created). A
// value that is not a boolean is an error, as ginjwt.SettingsFromEnv makes it for the server:
// migrate and changepassword do not quietly take it as off.
func (l lookupFunc) sessions() (bool, error) {
	v, set := l.get("SIMPLE_JWT_SESSIONS")
	if !set {
		return false, nil
	}
	on, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, fmt.Errorf("SIMPLE_JWT_SESSIONS=%q: want true or false", v)
	}
	return on, nil
}

// requestLog reads REQUEST_LOG, a boolean, default true: whether the server logs one line per
// request (requestLog). false leaves every other record (5xx causes, start and stop) as it is.
func (l lookupFunc) requestLog() (bool, error) {
	v := l.getOr("REQUEST_LOG", "")
	if v == "" {
		return true, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("REQUEST_LOG=%q: want true or false", v)
	}
	return on, nil
}

// databaseURL returns DATABASE_URL, default simplejwt.sqlite3 in the working directory.
func (l lookupFunc) databaseURL() string { return l.getOr("DATABASE_URL", defaultDatabaseURL) }

// passwordHashers reads Django's password-hasher settings: PASSWORD_HASHERS, Django's dotted
// class names separated by commas (the first one hashes new passwords; default Django's list),
// and PBKDF2_ITERATIONS, the iteration count of new PBKDF2 hashes (default Django 6.1's
// 1,500,000). hashers.FromConfig checks them.
func (l lookupFunc) passwordHashers() (*hashers.List, error) {
	var c hashers.Config
	if v := l.getOr("PASSWORD_HASHERS", ""); v != "" {
		for name := range strings.SplitSeq(v, ",") {
			c.PasswordHashers = append(c.PasswordHashers, strings.TrimSpace(name))
		}
	}
	if v := l.getOr("PBKDF2_ITERATIONS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("PBKDF2_ITERATIONS=%q: want a positive whole number, e.g. %d (Django 6.1's)", v, hashers.DefaultPBKDF2Iterations)
		}
		c.PBKDF2Iterations = n
	}
	return hashers.FromConfig(c)
}

// databaseTimeout returns DATABASE_TIMEOUT (a Go duration or seconds, as the SIMPLE_JWT
// durations), default models.DefaultTimeout: the deadline of the database work of one request.
// It must be shorter than the server's write timeout, or a client could be cut off before the
// answer (a 503 that says nothing was consumed) reaches it.
func (l lookupFunc) databaseTimeout() (time.Duration, error) {
	v := l.getOr("DATABASE_TIMEOUT", "")
	if v == "" {
		return models.DefaultTimeout, nil
	}
	d, err := ginjwt.ParseDuration(v)
	switch {
	case err != nil:
		return 0, fmt.Errorf("DATABASE_TIMEOUT=%q: %w", v, err)
	case d <= 0:
		return 0, fmt.Errorf("DATABASE_TIMEOUT=%q: want a positive duration", v)
	case d >= writeTimeout:
		return 0, fmt.Errorf("DATABASE_TIMEOUT=%q: must be shorter than the server's write timeout (%s), or clients are cut off before their answer", v, writeTimeout)
	}
	return d, nil
}

// loadSettings reads every SIMPLE_JWT setting from the environment on top of simplejwt's
// defaults. Without SIMPLE_JWT_SIGNING_KEY (or SIMPLE_JWT_SIGNING_KEY_FILE) and with an HMAC
// algorithm, the key is the random one kept beside the database (made on first run), and a
// warning says so. A key variable that is set but unusable (an empty file, a path that cannot
// be read) is an error from SettingsFromEnv, never a reason to fall back to the random key.
func loadSettings(lookup lookupFunc, databaseURL string, logger *slog.Logger) (ginjwt.Settings, error) {
	s, err := ginjwt.SettingsFromEnv(ginjwt.DefaultSettings(), lookup)
	if err != nil {
		return s, fmt.Errorf("environment: %w", err)
	}
	// dj-rest-auth's cookie keys (REST_AUTH_JWT_AUTH_*) and Django's CSRF_* keys.
	var get func(string) (string, bool)
	if lookup != nil {
		get = lookup
	}
	if s.Cookies, err = cookies.SettingsFromEnv(s.Cookies, get); err != nil {
		return s, fmt.Errorf("environment: %w", err)
	}
	if s.DatabaseTimeout, err = lookup.databaseTimeout(); err != nil {
		return s, fmt.Errorf("environment: %w", err)
	}
	if s.SigningKey != "" || !strings.HasPrefix(s.Algorithm, "HS") {
		// An asymmetric ALGORITHM needs a PEM key from the operator: ginjwt.New says so.
		return s, nil
	}
	path := keyFilePath(databaseURL)
	key, created, err := ensureKeyFile(path)
	if err != nil {
		return s, fmt.Errorf("signing key: %w (or set SIMPLE_JWT_SIGNING_KEY)", err)
	}
	s.SigningKey = key
	msg := "SIMPLE_JWT_SIGNING_KEY is not set: using the random key kept in key_file; set SIMPLE_JWT_SIGNING_KEY or SIMPLE_JWT_SIGNING_KEY_FILE to share tokens with other services"
	if created {
		msg = "SIMPLE_JWT_SIGNING_KEY is not set: made a random key and kept it in key_file; set SIMPLE_JWT_SIGNING_KEY or SIMPLE_JWT_SIGNING_KEY_FILE to share tokens with other services"
	}
	logger.Warn(msg, slog.String("key_file", path))
	return s, nil
}

// keyFilePath names the file that keeps the generated signing key: beside a SQLite database
// file (<db>.signing-key), in the working directory for anything else. It parses DATABASE_URL
// the way dburl.Open does.
func keyFilePath(databaseURL string) string {
	scheme, rest, hasScheme := strings.Cut(databaseURL, "://")
	if !hasScheme || strings.Contains(scheme, "/") {
		scheme, rest = "", databaseURL
	}
	var path string
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		// sqlite:///x.db → "x.db"; sqlite:////abs/x.db → "/abs/x.db".
		path = strings.TrimPrefix(rest, "/")
	case "":
		path = strings.TrimPrefix(rest, "file:")
	default: // postgres, mysql: no file to sit beside
		return defaultKeyFile
	}
	path, query, _ := strings.Cut(path, "?")
	if path == "" || path == ":memory:" || strings.HasPrefix(path, ":memory:") ||
		strings.Contains(query, "mode=memory") {
		return defaultKeyFile
	}
	return path + keyFileSuffix
}

// ensureKeyFile returns the key kept in path, first making it (64 random bytes as hex, mode
// 0600) when the file does not exist. Two processes starting at once agree on one key: the new
// file is written aside and then linked into place, which fails if the other won.
func ensureKeyFile(path string) (key string, created bool, err error) {
	key, err = readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	buf := make([]byte, keyBytes)
	if _, err := rand.Read(buf); err != nil {
		return "", false, err
	}
	key = hex.EncodeToString(buf)
	if err := createExclusive(path, []byte(key+"\n")); errors.Is(err, fs.ErrExist) {
		key, err = readKeyFile(path)
		return key, false, err
	} else if err != nil {
		return "", false, err
	}
	return key, true, nil
}

// readKeyFile reads a key file. It refuses a file that is not a regular file (a symlink), that
// other users can read or write (a key planted in a shared directory, or one leaked), or that
// is too short to be a key (empty, or edited by hand).
func readKeyFile(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s has mode %04o: other users can read or change the key; chmod 600 it if it is yours, or delete it to make a new one", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	key := strings.TrimSpace(string(b))
	if len(key) < 2*32 {
		return "", fmt.Errorf("%s holds %d characters, want a key of at least 64; delete it to make a new one", path, len(key))
	}
	return key, nil
}

// createExclusive writes data to a new file at path, mode 0600, failing with fs.ErrExist when
// path exists. Readers never see the file half-written.
func createExclusive(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*") // mode 0600
	if err != nil {
		return err
	}
	defer func() {
		_ = os.Remove(tmp.Name())
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// A filesystem without hard links: create the file exclusively instead.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// Command example is the small real service built on gin-simplejwt: simplejwt's token
// endpoints and two protected routes on Django's own tables, configured from the environment,
// plus the management commands an operator needs.
//
// Usage:
//
//	example                      serve on $ADDR (default 127.0.0.1:8000), migrating first
//	example migrate              create the missing tables (a Django-migrated database is left as it is)
//	example createuser --username U --password P [--email E] [--inactive] [--superuser]
//	example changepassword --username U --password P
//	example flushexpiredtokens   delete outstanding tokens expired for longer than LEEWAY (and their blacklist rows)
//
// Environment: ADDR; REQUEST_LOG (default true; false: no line per request and no X-Request-Id,
// for measuring the log's cost; every other record is still logged); DATABASE_URL (a SQLite
// file path, default simplejwt.sqlite3 in the working directory, sqlite:///path, postgres://…
// or mysql://…); every SIMPLE_JWT setting as
// SIMPLE_JWT_<KEY>, the keys also from files as SIMPLE_JWT_SIGNING_KEY_FILE,
// SIMPLE_JWT_VERIFYING_KEY_FILE and SIMPLE_JWT_VERIFYING_KEYS_FILE (see
// ginjwt.SettingsFromEnv). Without SIMPLE_JWT_SIGNING_KEY (or its _FILE) a random key is made on
// first run and kept beside the database (<db>.signing-key, mode 0600). A configuration that
// cannot work safely (a key that is an unreadable path, asymmetric or weak material as an HMAC
// secret, impossible lifetimes) stops the command at start, exit 1, with every problem named
// by its setting. DATABASE_TIMEOUT is the deadline of a request's database work (default 3s,
// shorter than the server's 30 s write timeout). Django's
// password settings: PASSWORD_HASHERS (Django's dotted class names, comma-separated; default
// Django's list, which verifies no legacy MD5/SHA-1/unsalted/plain-bcrypt hash) and
// PBKDF2_ITERATIONS (for new hashes; default 1500000, Django 6.1's): set both as the Django
// service on the same database has them, e.g. PBKDF2_ITERATIONS=1000000 next to Django 5.2
// (see hashers.DjangoPBKDF2Iterations), so that neither side re-hashes the other's passwords.
//
// Operations: GET /metrics serves Prometheus metrics; THROTTLE_RATES (token_obtain=5/min,
// anon=1000/day), REDIS_URL, TRUSTED_PROXIES and THROTTLE_FAIL_OPEN configure the throttles
// (see ops.go).
//
// The files: main.go the commands, config.go the environment and the key file, server.go the
// router and the HTTP server, ops.go metrics and throttling, serializer.go the custom
// "username" claim.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/ginjwt/revocation/pglisten"
	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
	"github.com/gin-simplejwt/simplejwt/serializers"
	"github.com/gin-simplejwt/simplejwt/views"
)

// Exit codes: 2 for a usage error, as the flag package does.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

const usage = `usage:
  example                      serve on $ADDR (default 127.0.0.1:8000), migrating first
  example migrate              create the missing tables
  example createuser --username U --password P [--email E] [--inactive] [--superuser]
  example changepassword --username U --password P
  example flushexpiredtokens   delete outstanding tokens expired for longer than SIMPLE_JWT_LEEWAY,
                               and their blacklist rows
  example timehasher [--seconds S]
                               check a password against the preferred hasher's hash for S seconds
                               (default 3) and print the time of one check: a login's floor

environment:
  ADDR                 listen address (default 127.0.0.1:8000)
  REQUEST_LOG          true (default): one log line per request, with an X-Request-Id; false: none
  DATABASE_URL         SQLite file (default simplejwt.sqlite3), sqlite:///path, postgres://…, mysql://…
  DATABASE_TIMEOUT     deadline of a request's database work (default 3s; under the 30s write timeout):
                       a stalled database answers 503 within it and consumes nothing
  SIMPLE_JWT_<KEY>     any SIMPLE_JWT setting, e.g. SIMPLE_JWT_ACCESS_TOKEN_LIFETIME=5m
  SIMPLE_JWT_<KEY>_FILE  a key read from a file: SIGNING_KEY_FILE, VERIFYING_KEY_FILE, VERIFYING_KEYS_FILE
  PASSWORD_HASHERS     Django's PASSWORD_HASHERS, dotted class names, comma-separated (default
                       Django's: PBKDF2, PBKDF2-SHA1, Argon2, BCrypt-SHA256, Scrypt); add e.g.
                       django.contrib.auth.hashers.MD5PasswordHasher to accept legacy hashes
  PBKDF2_ITERATIONS    iterations of new PBKDF2 hashes (default 1500000, Django 6.1's); use your
                       Django's: 4.2 600000, 5.0 720000, 5.1 870000, 5.2 1000000, 6.0 1200000
  THROTTLE_RATES       DRF's throttle rates, e.g. token_obtain=5/min,anon=1000/day (also user,
                       login_username (default 10/hour), login_ip (default 100/hour); None: off)
  REDIS_URL            redis://host:6379/0: throttle counters shared by every instance (same
                       signing key on each); in memory per instance when unset
  TRUSTED_PROXIES      addresses/CIDRs whose X-Forwarded-For is believed (throttles, session IPs),
                       e.g. 10.0.0.0/8
  THROTTLE_FAIL_OPEN   true: requests go on uncounted when Redis fails; false (default): 429
`

func main() {
	gin.SetMode(gin.ReleaseMode)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the first signal stops gracefully; a second one kills, as by default
	}()
	// The log (and the command's messages) through a buffer flushed in the background: see
	// logWriter. Closed before exiting, so nothing written is lost.
	logs := newLogWriter(os.Stderr, 50*time.Millisecond)
	code := run(ctx, os.Args[1:], os.Stdout, logs, nil)
	stop()
	_ = logs.Close()
	os.Exit(code)
}

// app is one run of the command: where it writes and how it reads the environment.
type app struct {
	stdout, stderr io.Writer
	env            lookupFunc
	logger         *slog.Logger
	// hashers is Django's PASSWORD_HASHERS; nil means the environment's (PASSWORD_HASHERS,
	// PBKDF2_ITERATIONS; by default Django 6.1's hashers). Tests use a cheap one.
	hashers *hashers.List
	// now is the throttles' clock; time.Now when nil. Tests inject one.
	now func() time.Time
}

// usageError is a command line the program does not understand: the message and the usage on
// stderr, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run runs the command line args and returns the exit code. lookup reads the environment (nil:
// the process environment).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, lookup lookupFunc) int {
	return (&app{stdout: stdout, stderr: stderr, env: lookup, logger: newLogger(stderr)}).run(ctx, args)
}

func (a *app) run(ctx context.Context, args []string) int {
	stdout, stderr := a.stdout, a.stderr
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "", "serve", "runserver":
		err = a.serve(ctx, args)
	case "migrate":
		err = a.migrate(ctx, args)
	case "createuser":
		err = a.createUser(ctx, args)
	case "changepassword":
		err = a.changePassword(ctx, args)
	case "flushexpiredtokens":
		err = a.flushExpiredTokens(ctx, args)
	case "timehasher":
		err = a.timeHasher(ctx, args)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		err = usageErrorf("unknown command %q", cmd)
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return exitOK
	case errors.As(err, new(*usageError)):
		fmt.Fprintf(stderr, "example: %v\n\n%s", err, usage)
		return exitUsage
	default:
		// The cause of a database failure (the driver's error, the path or host, never a
		// password), which the error's own text leaves out.
		if dbErr := (*models.DBError)(nil); errors.As(err, &dbErr) {
			fmt.Fprintf(stderr, "example: %v: %s\n", err, dbErr.Describe())
			return exitError
		}
		fmt.Fprintf(stderr, "example: %v\n", err)
		return exitError
	}
}

// newLogger is the service's logger: slog's text format on stderr (textHandler), level Info.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(requestIDHandler{newTextHandler(w)})
}

// flags returns a flag set for cmd that reports errors instead of printing or exiting.
func flags(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args, turning every problem into a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// open connects to DATABASE_URL.
func (a *app) open(ctx context.Context) (*gorm.DB, func(), error) {
	db, err := dburl.Open(ctx, a.env.databaseURL())
	if err != nil {
		return nil, nil, fmt.Errorf("database: %w", err)
	}
	closeDB := func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}
	return db, closeDB, nil
}

// openMigrated connects to DATABASE_URL and creates the missing tables.
func (a *app) openMigrated(ctx context.Context) (*gorm.DB, func(), error) {
	db, closeDB, err := a.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := models.Migrate(ctx, db); err != nil {
		closeDB()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	sessions, err := a.env.sessions()
	if err == nil && sessions {
		err = models.MigrateSessions(ctx, db)
	}
	if err != nil {
		closeDB()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	return db, closeDB, nil
}

// serve is the default command: migrate, then serve until SIGINT or SIGTERM.
func (a *app) serve(ctx context.Context, args []string) error {
	if err := parse(flags("serve"), args); err != nil {
		return err
	}
	logRequests, err := a.env.requestLog()
	if err != nil {
		return err
	}
	j, closeDB, err := a.newJWT(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if j.Settings().Sessions {
		// Learn of the sessions other instances end (LISTEN/NOTIFY on PostgreSQL, else polling).
		go func() { _ = j.FollowRevocations(ctx) }()
	}
	ln, err := net.Listen("tcp", listenAddr(a.env.addr()))
	if err != nil {
		return err
	}
	return serveHTTP(ctx, ln, newRouter(j, a.logger, logRequests), a.logger)
}

// newJWT opens and migrates the database and configures simplejwt from the environment.
func (a *app) newJWT(ctx context.Context) (*ginjwt.JWT, func(), error) {
	db, closeDB, err := a.openMigrated(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := loadSettings(a.env, a.env.databaseURL(), a.logger)
	if err != nil {
		closeDB()
		return nil, nil, err
	}
	s.Logger = a.logger
	s.Serializers = map[views.EndpointName]serializers.Serializer{views.TokenObtainPair: obtainSerializer()}
	if s.User.Hashers, err = a.passwordHashers(); err != nil {
		closeDB()
		return nil, nil, err
	}
	if s.Metrics, err = newServiceMetrics(); err != nil {
		closeDB()
		return nil, nil, fmt.Errorf("metrics: %w", err)
	}
	var closeThrottle func()
	if s.Throttle, closeThrottle, err = throttleSettings(a.env, s.SigningKey, a.now, a.logger); err != nil {
		closeDB()
		return nil, nil, fmt.Errorf("environment: %w", err)
	}
	closeAll := func() { closeThrottle(); closeDB() }
	s.RevocationFeed = pglisten.Listen // PostgreSQL's LISTEN for FollowRevocations
	j, err := ginjwt.New(db, s)
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("settings: %w", err)
	}
	return j, closeAll, nil
}

// migrate creates the missing tables: Django's auth_user and token_blacklist, with their
// django_migrations rows.
func (a *app) migrate(ctx context.Context, args []string) error {
	if err := parse(flags("migrate"), args); err != nil {
		return err
	}
	_, closeDB, err := a.openMigrated(ctx)
	if err != nil {
		return err
	}
	closeDB()
	fmt.Fprintln(a.stdout, "migrated")
	return nil
}

// credentials are the flags of createuser and changepassword.
type credentials struct {
	username, password string
}

func (c *credentials) register(fs *flag.FlagSet) {
	fs.StringVar(&c.username, "username", "", "the user's `name` (required)")
	fs.StringVar(&c.password, "password", "", "the user's `password` (required)")
}

func (c *credentials) check(cmd string) error {
	if c.username == "" || c.password == "" {
		return usageErrorf("%s needs --username and --password", cmd)
	}
	return nil
}

// userStore is Django's default user model on db: auth_user with its password hashers.
func (a *app) userStore(db *gorm.DB) (*models.GormUserStore, error) {
	hs, err := a.passwordHashers()
	if err != nil {
		return nil, err
	}
	timeout, err := a.env.databaseTimeout()
	if err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	return models.NewUserStore(db, models.UserStoreOptions{Hashers: hs, Timeout: timeout})
}

// passwordHashers returns the hashers given to the app (tests), or else the environment's.
func (a *app) passwordHashers() (*hashers.List, error) {
	if a.hashers != nil {
		return a.hashers, nil
	}
	hs, err := a.env.passwordHashers()
	if err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	return hs, nil
}

// createUser is Django's create_user (create_superuser with --superuser): it prints the new
// user's primary key.
func (a *app) createUser(ctx context.Context, args []string) error {
	var c credentials
	var email string
	var inactive, superuser bool
	fs := flags("createuser")
	c.register(fs)
	fs.StringVar(&email, "email", "", "the user's `address`")
	fs.BoolVar(&inactive, "inactive", false, "create the user with is_active false")
	fs.BoolVar(&superuser, "superuser", false, "create a superuser (is_staff and is_superuser)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := c.check("createuser"); err != nil {
		return err
	}
	db, closeDB, err := a.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	users, err := a.userStore(db)
	if err != nil {
		return err
	}
	u := models.NewUser(c.username)
	u.Email = normalizeEmail(email)
	u.IsActive = !inactive
	u.IsStaff, u.IsSuperuser = superuser, superuser
	if err := u.SetPasswordWith(users.Hashers(), c.password); err != nil {
		return fmt.Errorf("createuser: %w", err)
	}
	if err := users.Create(ctx, u); errors.Is(err, models.ErrUserExists) {
		return fmt.Errorf("createuser: a user named %q already exists", c.username)
	} else if err != nil {
		return fmt.Errorf("createuser: %w", err)
	}
	fmt.Fprintln(a.stdout, u.ID)
	return nil
}

// normalizeEmail is Django's BaseUserManager.normalize_email: the domain part in lower case.
func normalizeEmail(email string) string {
	email = strings.TrimSpace(email)
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		return email[:i+1] + strings.ToLower(email[i+1:])
	}
	return email
}

// changePassword is Django's set_password + save: it prints the user's primary key.
func (a *app) changePassword(ctx context.Context, args []string) error {
	var c credentials
	fs := flags("changepassword")
	c.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := c.check("changepassword"); err != nil {
		return err
	}
	db, closeDB, err := a.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	// With sessions, a new password ends every session of the user, on every instance: the
	// service that does it is built first, so that a configuration it refuses (a weak signing
	// key, impossible lifetimes) stops the command before the password is changed.
	var j *ginjwt.JWT
	if sessions, _ := a.env.sessions(); sessions { // a bad value stopped openMigrated already
		var closeJ func()
		if j, closeJ, err = a.newJWT(ctx); err != nil {
			return fmt.Errorf("changepassword: %w", err)
		}
		defer closeJ()
	}
	users, err := a.userStore(db)
	if err != nil {
		return err
	}
	found, err := users.GetByUsername(ctx, c.username)
	if errors.Is(err, models.ErrUserNotFound) {
		return fmt.Errorf("changepassword: no user named %q", c.username)
	} else if err != nil {
		return fmt.Errorf("changepassword: %w", err)
	}
	u, ok := found.(*models.User)
	if !ok {
		return fmt.Errorf("changepassword: unexpected user type %T", found)
	}
	if err := users.SetPassword(ctx, u, c.password); err != nil {
		return fmt.Errorf("changepassword: %w", err)
	}
	if j != nil {
		if err := j.EndAllSessions(ctx, users.UserID(u)); err != nil {
			return fmt.Errorf("changepassword: the password is changed, but its sessions were not ended (run it again): %w", err)
		}
	}
	fmt.Fprintln(a.stdout, u.ID)
	return nil
}

// flushExpiredTokens is simplejwt's management command: it deletes the outstanding tokens that
// expired more than SIMPLE_JWT_LEEWAY ago, and their blacklist rows, and prints how many were
// deleted. It reads the same settings as the server, so that a token the server still accepts
// inside the leeway keeps its blacklist row.
func (a *app) flushExpiredTokens(ctx context.Context, args []string) error {
	if err := parse(flags("flushexpiredtokens"), args); err != nil {
		return err
	}
	j, closeDB, err := a.newJWT(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	n, err := j.FlushExpiredTokens(ctx)
	if err != nil {
		return fmt.Errorf("flushexpiredtokens: %w", err)
	}
	fmt.Fprintln(a.stdout, n)
	return nil
}

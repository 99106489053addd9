package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
)

// simplejwt's token_blacklist app (rest_framework_simplejwt/token_blacklist):
// the same two tables, the same columns, so that a Go service and a Django one can share them.
//
// Django emulates ON DELETE in Python (the foreign keys carry no action in the database), and so
// does this package: FlushExpiredTokens deletes blacklist rows before their outstanding rows
// (CASCADE) and GormUserStore.Delete nulls outstanding tokens' user_id before deleting a user
// (SET_NULL).

// Table names, as Django names them.
const (
	OutstandingTokenTable = "token_blacklist_outstandingtoken"
	BlacklistedTokenTable = "token_blacklist_blacklistedtoken"
)

// ErrInvalidJTI: a token's jti is empty, longer than the column's 255 characters, or not text
// the database can store (invalid UTF-8, NUL). simplejwt answers a token without jti with a
// 500; the token layer should refuse such tokens before they reach a store.
var ErrInvalidJTI = errors.New("models: invalid jti")

// OutstandingToken is a row of token_blacklist_outstandingtoken: a refresh or sliding token that
// was issued (or first seen when it was blacklisted).
type OutstandingToken struct {
	ID        int64       `gorm:"column:id;primaryKey;autoIncrement"`
	UserID    *int64      `gorm:"column:user_id"` // NULL: unknown or deleted user (SET_NULL)
	JTI       string      `gorm:"column:jti;size:255;not null;unique"`
	Token     string      `gorm:"column:token;not null"`
	CreatedAt *DjangoTime `gorm:"column:created_at"`
	ExpiresAt DjangoTime  `gorm:"column:expires_at;not null"`
}

// TableName is Django's db_table.
func (*OutstandingToken) TableName() string { return OutstandingTokenTable }

// String is Django's __str__ without the user: "Token for <user_id> (<jti>)".
func (t *OutstandingToken) String() string {
	user := "None"
	if t.UserID != nil {
		user = fmt.Sprint(*t.UserID)
	}
	return "Token for " + user + " (" + t.JTI + ")"
}

// BlacklistedToken is a row of token_blacklist_blacklistedtoken: one per blacklisted outstanding
// token (token_id is unique).
type BlacklistedToken struct {
	ID            int64      `gorm:"column:id;primaryKey;autoIncrement"`
	TokenID       int64      `gorm:"column:token_id;not null;unique"`
	BlacklistedAt DjangoTime `gorm:"column:blacklisted_at;not null"`
}

// TableName is Django's db_table.
func (*BlacklistedToken) TableName() string { return BlacklistedTokenTable }

// UserPKResolver finds the primary key of the user a token names: the value to store in
// OutstandingToken.user_id. *GormUserStore implements it.
type UserPKResolver interface {
	// ResolveUserPK returns the pk of the user whose USER_ID_FIELD is userID (the user_id claim
	// as text), and found == false when there is none.
	ResolveUserPK(ctx context.Context, userID string) (pk any, found bool, err error)
}

// GormTokenStore is the TokenStore on Django's token_blacklist tables. It is safe for
// concurrent use, and its writes rely on the unique constraints on jti and token_id (single
// statements, and one transaction for Rotate), so concurrent calls for one token never both win
// and never fail with a unique violation (simplejwt's check-then-insert race does not exist
// here).
//
// On MySQL/MariaDB the jti column has the database's default collation, usually
// case-insensitive, as Django leaves it: two jtis that differ only in case are one token there
// (simplejwt's jtis are lower-case hex, so this never happens with tokens it or this port makes).
type GormTokenStore struct {
	db      *gorm.DB
	users   UserPKResolver
	now     func() time.Time
	timeout time.Duration
	info    *dbInfo
	// blacklisted is IsBlacklisted's prepared statement; nil: through GORM (see preparable).
	blacklisted *lazyStmt
	sqlDB       *sql.DB
	// sql is the statements of the write transactions (token_statements.go).
	sql *tokenSQL
	// sameDBUsers is users when it is the GORM user store on this database: a write's
	// outstanding insert then finds user_id itself (see userRef).
	sameDBUsers *GormUserStore
	// refresh is LookupRefresh's statements without and with the password; nil: not offered.
	refresh [2]*refreshQuery
}

// TokenStoreOptions configures NewTokenStoreWith.
type TokenStoreOptions struct {
	// Users resolves a token's user_id claim to the pk stored in user_id (simplejwt ≥ 5.5 looks
	// the user up by USER_ID_FIELD); nil stores NULL.
	Users UserPKResolver
	// Timeout is the deadline of each call (see DefaultTimeout, the default).
	Timeout time.Duration
}

// NewTokenStore returns a TokenStore on db with the default options and users as
// TokenStoreOptions.Users.
func NewTokenStore(db *gorm.DB, users UserPKResolver) *GormTokenStore {
	return NewTokenStoreWith(db, TokenStoreOptions{Users: users})
}

// NewTokenStoreWith returns a TokenStore on db.
func NewTokenStoreWith(db *gorm.DB, opts TokenStoreOptions) *GormTokenStore {
	s := &GormTokenStore{db: db, users: opts.Users, now: time.Now, timeout: opts.Timeout, info: infoOf(db)}
	if sqlDB, ok := preparable(db); ok {
		s.sqlDB = sqlDB
		s.blacklisted = &lazyStmt{query: placeholders(db.Dialector.Name(), blacklistedQuery+"?")}
	}
	if u, ok := opts.Users.(*GormUserStore); ok && sameDatabase(u.db, db) {
		s.sameDBUsers = u
	}
	s.sql = newTokenSQL(db, s.sqlDB != nil, s.sameDBUsers)
	s.setupRefreshQueries()
	return s
}

// prepareWrites prepares the write statements (see tokenSQL.prepare); without prepared
// statements it does nothing.
func (s *GormTokenStore) prepareWrites(ctx context.Context) error {
	if s.sqlDB == nil || !onPool(s.db, s.sqlDB) {
		return nil
	}
	release, err := gated(ctx, s.info)
	if err != nil {
		return err
	}
	defer release()
	return s.sql.prepare(ctx, s.sqlDB)
}

// sameDatabase reports whether a and b run their statements on one connection pool.
func sameDatabase(a, b *gorm.DB) bool {
	if a.Dialector.Name() != b.Dialector.Name() {
		return false
	}
	if sa, err := a.DB(); err == nil {
		sb, err := b.DB()
		return err == nil && sa == sb
	}
	return a.Statement.ConnPool == b.Statement.ConnPool
}

// blacklistedQuery is IsBlacklisted's SQL, its one parameter (the jti) to be appended.
const blacklistedQuery = "SELECT COUNT(*) FROM " + BlacklistedTokenTable + " b INNER JOIN " +
	OutstandingTokenTable + " o ON o.id = b.token_id WHERE o.jti = "

// start begins one call: see startCall.
func (s *GormTokenStore) start(ctx context.Context) (context.Context, call) {
	return startCall(ctx, s.timeout, s.info)
}

func (s *GormTokenStore) session(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Session(&gorm.Session{SkipDefaultTransaction: true})
}

// validJTI is the token layer's one jti rule (tokens.ValidJTI: what the varchar(255) column
// stores), checked again here because a TokenStore can be called directly.
func validJTI(jti string) bool { return tokens.ValidJTI(jti) }

// Outstand records an issued token (get_or_create on jti): a row that exists is left as it is.
// It is one INSERT that does nothing on a conflict, so concurrent calls are safe.
func (s *GormTokenStore) Outstand(ctx context.Context, t TokenRecord) (err error) {
	if !validJTI(t.JTI) {
		return ErrInvalidJTI
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	user, err := s.userRef(ctx, t)
	if err != nil {
		return err
	}
	if err := s.prepareWrites(ctx); err != nil {
		return unavailable("outstand token", err)
	}
	return unavailable("outstand token", retry(ctx, s.db, "outstand token", func() error {
		return write(ctx, s.db, s.info, func(tx *gorm.DB) error {
			_, err := s.inTx(ctx, tx).ensureOutstanding(t, user)
			return err
		})
	}))
}

// blacklistSelected is the INSERT ... SELECT that blacklists, at its first parameter, the
// outstanding tokens o that where selects and that are not blacklisted yet, safe beside
// concurrent blacklisting (a conflict is skipped). On MySQL it is INSERT IGNORE: the rows come
// from existing ones, so there is no foreign-key or size error for it to hide.
func blacklistSelected(db *gorm.DB, where string) string {
	insert, suffix := "INSERT INTO ", " ON CONFLICT DO NOTHING"
	if db.Dialector.Name() == "mysql" {
		insert, suffix = "INSERT IGNORE INTO ", ""
	}
	return insert + BlacklistedTokenTable + " (token_id, blacklisted_at) SELECT o.id, ? FROM " +
		OutstandingTokenTable + " o WHERE " + where + " AND NOT EXISTS (SELECT 1 FROM " +
		BlacklistedTokenTable + " b WHERE b.token_id = o.id)" + suffix
}

// onConflictDoNothing is the suffix that turns a unique violation into "0 rows": ON CONFLICT DO
// NOTHING on PostgreSQL and SQLite. MySQL gets a plain INSERT whose duplicate-key error (1062)
// the caller treats as "exists": its equivalents are worse (INSERT IGNORE also hides foreign-key
// and truncation errors; ON DUPLICATE KEY UPDATE id=id reports 1 row under CLIENT_FOUND_ROWS).
func onConflictDoNothing(db *gorm.DB) string {
	if db.Dialector.Name() == "mysql" {
		return ""
	}
	return " ON CONFLICT DO NOTHING"
}

// Blacklist blacklists the token t.JTI: it makes sure the outstanding row exists (creating it
// from t when the token was never recorded, as simplejwt's blacklist() does), then inserts the
// blacklist row and lets the unique token_id constraint decide. created is true for exactly one
// of any number of concurrent calls; the others, and calls for a token already blacklisted,
// get created == false and a nil error. So does an expired token whose row a concurrent
// FlushExpiredTokens removes meanwhile (there is nothing left to blacklist; it is refused anyway).
func (s *GormTokenStore) Blacklist(ctx context.Context, t TokenRecord) (created bool, err error) {
	if !validJTI(t.JTI) {
		return false, ErrInvalidJTI
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	user, err := s.userRef(ctx, t)
	if err != nil {
		return false, err
	}
	if err := s.prepareWrites(ctx); err != nil {
		return false, unavailable("blacklist token", err)
	}
	err = retry(ctx, s.db, "blacklist token", func() error {
		created = false
		err := write(ctx, s.db, s.info, func(tx *gorm.DB) error {
			var e error
			created, e = s.blacklistOnce(s.inTx(ctx, tx), t, user)
			return e
		})
		if errors.Is(err, errVanished) {
			created = false
			return s.vanished(t)
		}
		return err
	})
	if err != nil {
		return false, unavailable("blacklist token", err)
	}
	return created, nil
}

// errVanished rolls back a Blacklist transaction whose outstanding row disappeared.
var errVanished = errors.New("models: outstanding token vanished")

func (s *GormTokenStore) blacklistOnce(r tokenTx, t TokenRecord, user userRef) (bool, error) {
	if _, err := r.ensureOutstanding(t, user); err != nil {
		return false, err
	}
	id, found, err := r.id(r.sql.outstandingID, t.JTI)
	switch {
	case err != nil:
		return false, unavailable("blacklist token", err)
	case !found:
		return false, errVanished
	}
	created, err := r.insertBlacklist(id, NewDjangoTime(s.now()))
	switch {
	case err != nil && isForeignKeyViolation(r.tx, err):
		return false, errVanished
	case err != nil:
		return false, unavailable("blacklist token", err)
	}
	return created, nil
}

// vanished decides what to do when the outstanding row of t disappeared between Blacklist's
// statements, which only FlushExpiredTokens does, and only to expired rows: for an expired token
// there is nothing left to blacklist (created == false, as for a token already refused);
// otherwise start again, which re-creates the row.
func (s *GormTokenStore) vanished(t TokenRecord) error {
	if !t.ExpiresAt.After(s.now()) {
		return nil
	}
	return errRetry
}

// errNotRotated rolls back a rotation whose old token was already blacklisted.
var errNotRotated = errors.New("models: token already blacklisted")

// Rotate is refresh-token rotation with BLACKLIST_AFTER_ROTATION in one transaction: the
// outstanding row of old is found (and created, as Blacklist does, when the token was never
// recorded), its blacklist row inserted, and next's outstanding row inserted; all of it commits
// or none of it does, so a failure of any write (a full disk, a lost connection, a deadline)
// leaves old usable for the retry the 503 invites. The blacklist insert lets the unique
// token_id constraint decide, as Blacklist does: rotated is true for exactly one of any number
// of concurrent calls for one old jti; the others, and a call for a token already blacklisted,
// get false and write nothing. The transaction runs with ctx, so a deadline ends it (rolled
// back). As in Blacklist, an expired old token whose row a concurrent flush removes is not
// rotated.
//
// The old row is read so that a flush cannot remove it unnoticed and no deadlock arises between
// concurrent rotations (see lockOutstanding; SQLite's transactions hold the write lock from
// BEGIN); a deadlock or serialization failure that the database reports anyway is retried.
// The user of each row is found by the outstanding insert itself when the users live in the
// same database, else resolved before the transaction begins, so that a rotation never holds one
// pooled connection while waiting for another (see userRef).
func (s *GormTokenStore) Rotate(ctx context.Context, old, next TokenRecord) (rotated bool, err error) {
	if !validJTI(old.JTI) || !validJTI(next.JTI) {
		return false, ErrInvalidJTI
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	oldUser, err := s.userRef(ctx, old)
	if err != nil {
		return false, err
	}
	nextUser := oldUser
	if next.UserID != old.UserID {
		if nextUser, err = s.userRef(ctx, next); err != nil {
			return false, err
		}
	}
	if err := s.prepareWrites(ctx); err != nil {
		return false, unavailable("rotate token", err)
	}
	err = retry(ctx, s.db, "rotate token", func() error {
		rotated = false
		err := write(ctx, s.db, s.info, func(tx *gorm.DB) error {
			r := s.inTx(ctx, tx)
			id, found, err := lockOutstanding(r, old, oldUser)
			if err != nil {
				return err
			}
			if !found {
				return s.vanishedInRotation(old)
			}
			created, err := r.insertBlacklist(id, NewDjangoTime(s.now()))
			switch {
			case err != nil && isForeignKeyViolation(tx, err):
				return s.vanishedInRotation(old)
			case err != nil:
				return err
			case !created:
				return errNotRotated
			}
			_, err = r.ensureOutstanding(next, nextUser)
			return err
		})
		if errors.Is(err, errNotRotated) {
			return nil
		}
		rotated = err == nil
		return err
	})
	if err != nil {
		return false, unavailable("rotate token", err)
	}
	return rotated, nil
}

// vanishedInRotation is vanished for Rotate: nothing to rotate (errNotRotated) or try again.
func (s *GormTokenStore) vanishedInRotation(t TokenRecord) error {
	if err := s.vanished(t); err != nil {
		return err
	}
	return errNotRotated
}

// lockOutstanding returns the id of the outstanding row of t inside the transaction tx,
// inserting the row (user_id userPK) when the token was never recorded. found is false when
// there is still no row (a flush deleted it meanwhile).
//
// On PostgreSQL the row is read FOR KEY SHARE, so a flush cannot delete it before the blacklist
// row refers to it. On MySQL the first read is a plain one: a locking read there takes a
// next-key lock, whose gap the winner's insert of its new jti may need, and concurrent rotations
// of one token then deadlock; the blacklist insert's foreign-key check locks the row instead
// (and reports a row a flush deleted meanwhile). Only after an insert of its own does MySQL
// read LOCK IN SHARE MODE, which sees a row that a concurrent call committed after this
// transaction's repeatable-read snapshot.
func lockOutstanding(r tokenTx, t TokenRecord, user userRef) (id int64, found bool, err error) {
	for attempt := range 2 {
		id, found, err := r.id(r.sql.lockedID[attempt], t.JTI)
		switch {
		case err != nil:
			return 0, false, err
		case found:
			return id, true, nil
		case attempt == 0:
			if _, err := r.ensureOutstanding(t, user); err != nil {
				return 0, false, err
			}
		}
	}
	return 0, false, nil
}

// IsBlacklisted reports whether jti has a blacklist row: one query joining the two tables. A jti
// that cannot be stored (ErrInvalidJTI's cases) is not blacklisted, without a query.
func (s *GormTokenStore) IsBlacklisted(ctx context.Context, jti string) (_ bool, err error) {
	if !validJTI(jti) {
		return false, nil
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	release, err := gated(ctx, s.info)
	if err != nil {
		return false, unavailable("check blacklist", err)
	}
	defer release()
	var n int64
	if s.blacklisted != nil && onPool(s.db, s.sqlDB) {
		// One prepared statement: no GORM statement building, no parse on the server.
		var st *sql.Stmt
		if st, err = s.blacklisted.prepared(ctx, s.sqlDB); err == nil {
			err = st.QueryRowContext(ctx, jti).Scan(&n)
		}
	} else {
		err = s.session(ctx).Raw(blacklistedQuery+"?", jti).Row().Scan(&n)
	}
	if err != nil {
		return false, unavailable("check blacklist", err)
	}
	return n > 0, nil
}

// BlacklistAllForUser blacklists every outstanding token of the user whose user_id claim is
// userID ("log out everywhere"), and returns how many it newly blacklisted. Tokens that were
// never recorded (no outstanding row), and rows whose user was deleted (user_id NULL), cannot be
// found this way. It is one INSERT ... SELECT, safe beside concurrent Blacklist calls.
func (s *GormTokenStore) BlacklistAllForUser(ctx context.Context, userID string) (_ int64, err error) {
	if s.users == nil {
		return 0, errors.New("models: BlacklistAllForUser needs a UserPKResolver")
	}
	ctx, c := s.start(ctx)
	defer func() { err = c.end(err) }()
	pk, found, err := s.users.ResolveUserPK(ctx, userID)
	if err != nil || !found {
		return 0, err
	}
	q := blacklistSelected(s.db, "o.user_id = ?")
	var n int64
	err = retry(ctx, s.db, "blacklist user tokens", func() error {
		return write(ctx, s.db, s.info, func(tx *gorm.DB) error {
			res := tx.Exec(q, NewDjangoTime(s.now()), pk)
			n = res.RowsAffected
			return res.Error
		})
	})
	return n, unavailable("blacklist user tokens", err)
}

// FlushExpired is FlushExpiredTokens on the store's database.
func (s *GormTokenStore) FlushExpired(ctx context.Context, now time.Time, leeway time.Duration) (int64, error) {
	return FlushExpiredTokens(ctx, s.db, now, leeway)
}

// flushBatch is how many outstanding rows FlushExpiredTokens deletes per transaction.
const flushBatch = 1000

// ErrNegativeLeeway: a flush was asked to keep tokens for a negative leeway.
var ErrNegativeLeeway = errors.New("models: negative leeway")

// flushCutoff is the newest expires_at that a flush may delete: now - leeway. A token is refused
// as expired once exp <= now - LEEWAY, so every row at or before the cutoff belongs to a token
// that can never be accepted again, and every later row may still be accepted: its blacklist row
// must stay.
func flushCutoff(now time.Time, leeway time.Duration) time.Time { return now.Add(-leeway) }

// FlushExpiredTokens is simplejwt's flushexpiredtokens command with the LEEWAY it must respect: it
// deletes the outstanding tokens with expires_at <= now - leeway and, first, their blacklist
// rows (Django's CASCADE, emulated). It returns the number of outstanding rows deleted. Run it
// daily, as the Django command; (*ginjwt.JWT).FlushExpiredTokens calls it with the instance's
// clock and LEEWAY.
//
// Pass the LEEWAY the tokens are verified with. Django's command deletes every row with
// expires_at <= now; with a LEEWAY the token layer still accepts a token for LEEWAY after its
// exp, so a blacklisted token whose row that flush removed is accepted again until then (a
// rotated refresh token could be refreshed a second time). A negative leeway is ErrNegativeLeeway.
//
// It works in transactions of flushBatch rows: select the expired rows' ids (FOR UPDATE on
// PostgreSQL and MySQL, so that no blacklist row can be added to them meanwhile; SQLite has one
// writer at a time anyway), delete their blacklist rows, then them. Rows after the cutoff are
// never touched, so it can run beside live traffic; a Blacklist racing with the deletion of its
// own (expired) row simply re-creates it.
func FlushExpiredTokens(ctx context.Context, db *gorm.DB, now time.Time, leeway time.Duration) (int64, error) {
	if leeway < 0 {
		return 0, fmt.Errorf("%w: %s", ErrNegativeLeeway, leeway)
	}
	cutoff := NewDjangoTime(flushCutoff(now, leeway))
	lock := " FOR UPDATE"
	if db.Dialector.Name() == "sqlite" {
		lock = ""
	}
	var total int64
	for {
		var n int64
		err := retry(ctx, db, "flush expired tokens", func() error {
			n = 0
			return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				var ids []int64
				if err := tx.Raw("SELECT id FROM "+OutstandingTokenTable+" WHERE expires_at <= ? ORDER BY id LIMIT ?"+lock,
					cutoff, flushBatch).Scan(&ids).Error; err != nil {
					return err
				}
				if len(ids) == 0 {
					return nil
				}
				if err := tx.Exec("DELETE FROM "+BlacklistedTokenTable+" WHERE token_id IN ?", ids).Error; err != nil {
					return err
				}
				res := tx.Exec("DELETE FROM "+OutstandingTokenTable+" WHERE id IN ?", ids)
				if res.Error != nil {
					return res.Error
				}
				n = res.RowsAffected
				return nil
			})
		})
		if err != nil {
			return total, named(db, unavailable("flush expired tokens", err))
		}
		total += n
		if n < flushBatch {
			return total, nil
		}
	}
}

var (
	_ TokenStore          = (*GormTokenStore)(nil)
	_ ExpiredTokenFlusher = (*GormTokenStore)(nil)
)

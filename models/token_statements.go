package models

import (
	"context"
	"database/sql"
	"errors"

	"gorm.io/gorm"
)

// The token store's statements inside its write transactions (Outstand, Blacklist, Rotate):
// their SQL is written once, with ? placeholders, and each runs either as a statement prepared
// once per pooled connection (the handle is a plain *sql.DB on SQLite, PostgreSQL or MySQL: no
// GORM statement building, no parse on the server) or, otherwise, through GORM's tx.Exec/Raw.

// txSQL is one statement of a write transaction.
type txSQL struct {
	text string    // ? placeholders, for GORM
	stmt *lazyStmt // the dialect's placeholders; nil: GORM only
}

// newTxSQL makes text's statement; prepared says whether the store prepares statements.
func newTxSQL(dialect, text string, prepared bool) txSQL {
	q := txSQL{text: text}
	if prepared {
		q.stmt = &lazyStmt{query: placeholders(dialect, text)}
	}
	return q
}

// tokenSQL is every statement of the store's write transactions.
type tokenSQL struct {
	dialect string
	// outstandingID reads the id of a jti's outstanding row (Blacklist's read). lockedID is
	// Rotate's: [0] the first read, [1] the read after an insert of its own; on PostgreSQL both
	// FOR KEY SHARE, on MySQL the second one LOCK IN SHARE MODE (see lockOutstanding).
	outstandingID txSQL
	lockedID      [2]txSQL
	// insertBlacklist inserts a blacklist row (token_id, blacklisted_at), doing nothing on a
	// conflict where the dialect can say so (see onConflictDoNothing).
	insertBlacklist txSQL
	// insertOutstanding inserts an outstanding row with user_id bound as a value;
	// insertOutstandingFor finds user_id itself by the user's USER_ID_FIELD (see userSubquery),
	// when the users live in the same database.
	insertOutstanding    txSQL
	insertOutstandingFor txSQL
}

// newTokenSQL builds the statements for db's dialect; users is the user store whose table the
// outstanding insert may read (nil: user_id is always bound as a value).
func newTokenSQL(db *gorm.DB, prepared bool, users *GormUserStore) *tokenSQL {
	d := db.Dialector.Name()
	conflict := onConflictDoNothing(db)
	q := &tokenSQL{dialect: d}
	read := "SELECT id FROM " + OutstandingTokenTable + " WHERE jti = ?"
	q.outstandingID = newTxSQL(d, read, prepared)
	for attempt := range 2 {
		lock := ""
		switch {
		case d == "postgres":
			lock = " FOR KEY SHARE"
		case d == "mysql" && attempt > 0:
			lock = " LOCK IN SHARE MODE"
		}
		q.lockedID[attempt] = newTxSQL(d, read+lock, prepared)
	}
	q.insertBlacklist = newTxSQL(d, "INSERT INTO "+BlacklistedTokenTable+" (token_id, blacklisted_at) VALUES (?, ?)"+conflict, prepared)
	insert := "INSERT INTO " + OutstandingTokenTable + " (user_id, jti, token, created_at, expires_at) VALUES ("
	q.insertOutstanding = newTxSQL(d, insert+"?, ?, ?, ?, ?)"+conflict, prepared)
	if users != nil {
		q.insertOutstandingFor = newTxSQL(d, insert+users.pkSubquery+", ?, ?, ?, ?)"+conflict, prepared)
	}
	return q
}

// prepare prepares every statement on db (once; later calls cost an atomic load each). The
// writes call it before their transaction begins: preparing needs a pooled connection of its
// own, which inside a transaction on a pool of one would wait for ever.
func (q *tokenSQL) prepare(ctx context.Context, db *sql.DB) error {
	for _, t := range []*txSQL{&q.outstandingID, &q.lockedID[0], &q.lockedID[1], &q.insertBlacklist,
		&q.insertOutstanding, &q.insertOutstandingFor} {
		if t.stmt == nil {
			continue
		}
		if _, err := t.stmt.prepared(ctx, db); err != nil {
			return err
		}
	}
	return nil
}

// tokenTx runs the store's statements inside one write transaction.
type tokenTx struct {
	tx  *gorm.DB
	sql *tokenSQL
	// stx is the database/sql transaction under tx when the prepared statements can run on it
	// (nil: through GORM); db the pool they are prepared on.
	stx *sql.Tx
	db  *sql.DB
	ctx context.Context
}

// inTx returns the runner of the store's statements inside tx, a transaction of s.db begun
// under ctx, after s.sql.prepare.
func (s *GormTokenStore) inTx(ctx context.Context, tx *gorm.DB) tokenTx {
	r := tokenTx{tx: tx, sql: s.sql, ctx: ctx}
	if s.sqlDB != nil && onPool(s.db, s.sqlDB) {
		if stx, ok := tx.Statement.ConnPool.(*sql.Tx); ok {
			r.stx, r.db = stx, s.sqlDB
			if s.sql.dialect == "sqlite" {
				// SQLite's transactions here are IMMEDIATE (dburl's _txlock): the write lock,
				// the one thing another process can make a statement wait for, was taken by
				// BEGIN, which ran under ctx and its deadline. What follows is local work, run
				// without go-sqlite3's per-statement interrupt goroutine; COMMIT runs so anyway.
				r.ctx = context.WithoutCancel(ctx)
			}
		}
	}
	return r
}

// exec runs q with args and returns the rows it affected.
func (r tokenTx) exec(q txSQL, args ...any) (int64, error) {
	st := r.stmt(q)
	if st == nil {
		res := r.tx.Exec(q.text, args...)
		return res.RowsAffected, res.Error
	}
	res, err := r.stx.StmtContext(r.ctx, st).ExecContext(r.ctx, r.args(args)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// id runs q, a query of one id, with args; found is false when it returns no row.
func (r tokenTx) id(q txSQL, args ...any) (id int64, found bool, err error) {
	if st := r.stmt(q); st == nil {
		err = r.tx.Raw(q.text, args...).Row().Scan(&id)
	} else {
		err = r.stx.StmtContext(r.ctx, st).QueryRowContext(r.ctx, r.args(args)...).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// stmt is q prepared on the transaction's pool; nil: run q through GORM.
func (r tokenTx) stmt(q txSQL) *sql.Stmt {
	if r.stx == nil || q.stmt == nil {
		return nil
	}
	if p := q.stmt.stmt.Load(); p != nil && p.db == r.db {
		return p.st
	}
	return nil
}

// args binds the arguments as GORM would: a DjangoTime as its dialect's value (see
// DjangoTime.bind).
func (r tokenTx) args(args []any) []any {
	for i, a := range args {
		switch t := a.(type) {
		case DjangoTime:
			args[i] = t.bind(r.sql.dialect)
		case *DjangoTime:
			if t == nil {
				args[i] = nil
			} else {
				args[i] = t.bind(r.sql.dialect)
			}
		}
	}
	return args
}

// userRef is what a write stores in user_id: a user named by its USER_ID_FIELD value, found by
// the insert itself (byID), or a pk already known (nil: NULL).
type userRef struct {
	byID bool
	arg  any
}

// userRef resolves the user of t for a write. When the users live in the store's database it
// costs no query: the outstanding insert finds the pk itself (NULL when no user matches, as
// ResolveUserPK's "not found" gives). Otherwise the resolver runs now, before the write's
// transaction begins, so that a write never holds one pooled connection while waiting for another.
func (s *GormTokenStore) userRef(ctx context.Context, t TokenRecord) (userRef, error) {
	if s.users == nil || t.UserID == "" {
		return userRef{}, nil
	}
	if s.sameDBUsers != nil {
		v, ok := s.sameDBUsers.lookupArg(t.UserID)
		if !ok {
			return userRef{}, nil
		}
		return userRef{byID: true, arg: v}, nil
	}
	pk, found, err := s.users.ResolveUserPK(ctx, t.UserID)
	if err != nil || !found {
		return userRef{}, err
	}
	return userRef{arg: pk}, nil
}

// ensureOutstanding inserts the outstanding row of t, for the user user, unless one exists;
// inserted reports which.
func (r tokenTx) ensureOutstanding(t TokenRecord, user userRef) (inserted bool, err error) {
	q := r.sql.insertOutstanding
	if user.byID {
		q = r.sql.insertOutstandingFor
	}
	n, err := r.exec(q, user.arg, t.JTI, t.Token, DjangoTimePtr(t.CreatedAt), NewDjangoTime(t.ExpiresAt))
	if err != nil {
		if isUniqueViolation(r.tx, err) {
			return false, nil
		}
		return false, err
	}
	return n > 0, nil
}

// insertBlacklist inserts the blacklist row of the outstanding row id; created is false when
// one exists (a unique violation on MySQL, no row elsewhere).
func (r tokenTx) insertBlacklist(id int64, at DjangoTime) (created bool, err error) {
	n, err := r.exec(r.sql.insertBlacklist, id, at)
	switch {
	case err != nil && isUniqueViolation(r.tx, err):
		return false, nil
	case err != nil:
		return false, err
	}
	return n > 0, nil
}

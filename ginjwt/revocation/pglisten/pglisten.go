// Package pglisten follows a PostgreSQL NOTIFY channel on a connection of its own: the feed by
// which the instances sharing a database learn of new revocations at once (ginjwt's
// FollowRevocations), instead of polling.
package pglisten

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// ErrNotPgx: the *sql.DB does not run on pgx's database/sql driver.
var ErrNotPgx = errors.New("pglisten: the database does not use the pgx driver")

// Listen connects to the database db connects to, with db's own connection settings but outside
// its pool, runs LISTEN channel, calls notify("") once listening (so that the caller reads what
// it may have missed before) and then notify(payload) for each notification, until ctx ends (nil)
// or the connection fails (its error). notify runs on Listen's goroutine: keep it short.
func Listen(ctx context.Context, db *sql.DB, channel string, notify func(payload string)) error {
	cfg, err := connConfig(ctx, db)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("pglisten: connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("pglisten: LISTEN: %w", err)
	}
	notify("")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("pglisten: wait: %w", err)
		}
		if n != nil {
			notify(n.Payload)
		}
	}
}

// connConfig borrows one pooled connection of db for its pgx configuration.
func connConfig(ctx context.Context, db *sql.DB) (*pgx.ConnConfig, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("pglisten: %w", err)
	}
	defer c.Close()
	var cfg *pgx.ConnConfig
	err = c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return ErrNotPgx
		}
		cfg = sc.Conn().Config().Copy()
		// The pooled connection's own notification buffer: ours is set by ConnectConfig.
		cfg.OnNotification = nil
		return nil
	})
	return cfg, err
}

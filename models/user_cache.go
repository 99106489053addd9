package models

import (
	"context"
	"sync"
	"time"
)

// Defaults of AuthCacheOptions.
const (
	DefaultAuthCacheEntries = 10_000
	DefaultAuthCacheMaxAge  = time.Minute
)

// AuthCacheOptions configures NewAuthCache; zero values are the defaults.
type AuthCacheOptions struct {
	// MaxEntries bounds the users held; when full, a fill replaces an entry chosen at random.
	// Default DefaultAuthCacheEntries.
	MaxEntries int
	// MaxAge is how long an entry is served after it was read from the database, a safety net
	// behind the invalidation (a notification can only be lost with the connection that carries
	// it, and then the cache is emptied anyway). Default DefaultAuthCacheMaxAge.
	MaxAge time.Duration
	// Now is the clock of MaxAge; time.Now when nil.
	Now func() time.Time
}

// AuthCacheSource is what AuthCache reads through: the narrow lookup, and the claim text of a
// user's id (UserStore.UserID), which is the key the change announcements carry.
type AuthCacheSource interface {
	AuthLookup
	UserID(u AuthUser) string
}

// AuthCache is an AuthLookup that keeps the users it reads in memory, invalidated by the change
// announcements of the user table (MigrateUserNotify: a PostgreSQL trigger NOTIFYs UserChannel
// at the COMMIT of every UPDATE or DELETE of a user row, whoever writes it), which the caller
// follows and hands to Notify. Its rules:
//
//   - it serves only while its feed is listening: from Notify("") (the feed's "listening now")
//     until Stop (the feed ended or failed). Before, and after Stop, every call reads the
//     database, and Stop empties it: announcements may have been missed meanwhile;
//   - Notify(id) removes that user's entry; a read that raced with any announcement is not
//     stored (a generation taken before the query must be unchanged when it returns), so a row
//     read before a COMMIT is never stored after its announcement;
//   - an entry is served at most MaxAge after it was read, and at most MaxEntries are held;
//   - errors and unknown users are never cached; only the built-in *User is (its id, username,
//     is_active and password), and every hit returns a fresh *User, so no caller can change
//     what another one reads.
//
// A change is therefore refused from the moment its announcement arrives: the same delay as a
// session revocation, which travels the same way. It is safe for concurrent use.
type AuthCache struct {
	src        AuthCacheSource
	maxEntries int
	maxAge     time.Duration
	now        func() time.Time

	mu        sync.RWMutex
	listening bool
	gen       uint64 // advanced by every announcement and by Stop
	entries   map[string]authEntry
}

// authEntry is a cached user: the narrow fields and when they were read.
type authEntry struct {
	user User
	read time.Time
}

var _ AuthLookup = (*AuthCache)(nil)

// NewAuthCache returns a cache in front of src; it serves nothing until Notify("").
func NewAuthCache(src AuthCacheSource, opts AuthCacheOptions) *AuthCache {
	c := &AuthCache{src: src, maxEntries: opts.MaxEntries, maxAge: opts.MaxAge, now: opts.Now, entries: map[string]authEntry{}}
	if c.maxEntries <= 0 {
		c.maxEntries = DefaultAuthCacheEntries
	}
	if c.maxAge <= 0 {
		c.maxAge = DefaultAuthCacheMaxAge
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// GetByIDForAuth implements AuthLookup: a live entry of id when the cache is listening, else
// the source's answer (stored when the rules above allow it). The password hash is returned
// only when password is true, as the source does; the source is always asked for it, so one
// entry serves both.
func (c *AuthCache) GetByIDForAuth(ctx context.Context, id string, password bool) (AuthUser, error) {
	now := c.now()
	c.mu.RLock()
	listening, gen := c.listening, c.gen
	e, hit := c.entries[id]
	c.mu.RUnlock()
	if !listening {
		return c.src.GetByIDForAuth(ctx, id, password)
	}
	if hit && now.Sub(e.read) < c.maxAge && !now.Before(e.read) {
		return e.copy(password), nil
	}
	u, err := c.src.GetByIDForAuth(ctx, id, true)
	if err != nil {
		return nil, err
	}
	full, ok := u.(*User)
	if !ok || c.src.UserID(u) != id {
		// Not the built-in model, or the id text is not the row's own (the announcement carries
		// the row's): not cached.
		return withPassword(u, password), nil
	}
	e = authEntry{user: User{ID: full.ID, Username: full.Username, IsActive: full.IsActive, Password: full.Password}, read: now}
	c.store(id, e, gen)
	return e.copy(password), nil
}

// store keeps e under id if nothing was announced since gen was read and the feed listens.
func (c *AuthCache) store(id string, e authEntry, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.listening || c.gen != gen {
		return
	}
	if _, replace := c.entries[id]; !replace && len(c.entries) >= c.maxEntries {
		for k := range c.entries { // map iteration starts at random: a random eviction
			delete(c.entries, k)
			break
		}
	}
	c.entries[id] = e
}

// copy returns a fresh *User of the entry, without the password hash unless asked.
func (e authEntry) copy(password bool) *User {
	u := e.user
	if !password {
		u.Password = ""
	}
	return &u
}

// withPassword drops the password hash of a *User the caller did not ask it for.
func withPassword(u AuthUser, password bool) AuthUser {
	if full, ok := u.(*User); ok && !password && full.Password != "" {
		cp := *full
		cp.Password = ""
		return &cp
	}
	return u
}

// Notify is the feed's callback (pglisten.Listen's notify, on UserChannel): "" means the feed
// is listening (from now on every change is announced; what happened before may not have
// been) or the table was truncated: the cache empties and serves. Any other payload is the id
// of a changed user, whose entry is removed.
func (c *AuthCache) Notify(payload string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if payload == "" {
		clear(c.entries)
		c.listening = true
		return
	}
	delete(c.entries, payload)
}

// Stop is called when the feed ended or failed: the cache empties and reads the database on
// every call until the next Notify("").
func (c *AuthCache) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.listening = false
	clear(c.entries)
}

// Listening reports whether the cache serves (between Notify("") and Stop).
func (c *AuthCache) Listening() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.listening
}

// Len returns the number of users held.
func (c *AuthCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

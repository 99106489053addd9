package throttle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions configure a RedisStore. The zero value is usable.
type RedisOptions struct {
	// Prefix starts every key the store writes; DefaultRedisPrefix when empty. Instances
	// that share limits must share the prefix (and the limiter's Config.Secret).
	Prefix string
	// Timeout bounds each call to Redis; DefaultRedisTimeout when 0. A call that takes
	// longer fails with context.DeadlineExceeded and the limiter applies Config.FailOpen.
	Timeout time.Duration
}

// Defaults of RedisOptions.
const (
	DefaultRedisPrefix  = "simplejwt:throttle:"
	DefaultRedisTimeout = 100 * time.Millisecond
)

// RedisStore is the Store for instances that share their limits: each key's history is a
// Redis sorted set of request times (microseconds since the Unix epoch, as the limiter's
// clock gives them), updated by one Lua script per request so that the trim, the count and
// the insert are atomic across instances.
//
// The window is DRF's sliding window, not a fixed window or GCRA: it is the only one that
// answers exactly as DRF does (at most Num requests in any Period, and DRF's wait), and the
// histories are small for the rates that protect a login. Its cost is one sorted-set member
// per request in the window (about 70 bytes), so large daily quotas cost more than a counter.
//
// The time comes from the instance, not from Redis's clock: instances must keep their clocks
// in sync (NTP), as DRF's workers sharing one cache must. A skew of s between two instances
// shifts the window by s for the requests of one relative to the other; it never lets a
// window hold more than Num requests, since every decision counts the members of one set.
// Redis's clock only expires idle keys (PEXPIRE of one period after the last request).
type RedisStore struct {
	client   redis.UniversalClient
	prefix   string
	timeout  time.Duration
	instance string // random, so that tickets of two instances never collide
	tickets  atomic.Uint64
}

var _ Store = (*RedisStore)(nil)

// takeScript is Take. KEYS[1] the key; ARGV: now (µs), period (µs), limit, member.
// Replies {allowed (0|1), count before, oldest (µs, 0 when none)}.
var takeScript = redis.NewScript(`
local key = KEYS[1]
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
local n = redis.call('ZCARD', key)
local oldest = 0
if n > 0 then
  oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
end
if n >= limit then
  return {0, n, oldest}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, math.ceil(period / 1000))
return {1, n, oldest}
`)

// NewRedisStore returns a store on client (a *redis.Client, *redis.ClusterClient or
// *redis.Ring). A *redis.Client or *redis.ClusterClient must have ContextTimeoutEnabled,
// otherwise go-redis ignores the per-call deadline and a stalled Redis would hold requests
// for its ReadTimeout (seconds): NewRedisStore refuses it. NewRedisStoreFromURL sets it.
func NewRedisStore(client redis.UniversalClient, opts RedisOptions) (*RedisStore, error) {
	if client == nil {
		return nil, errors.New("throttle: NewRedisStore: nil client")
	}
	switch c := client.(type) {
	case *redis.Client:
		if !c.Options().ContextTimeoutEnabled {
			return nil, errors.New("throttle: NewRedisStore: the client needs ContextTimeoutEnabled, so that RedisOptions.Timeout bounds each call")
		}
	case *redis.ClusterClient:
		if !c.Options().ContextTimeoutEnabled {
			return nil, errors.New("throttle: NewRedisStore: the client needs ContextTimeoutEnabled, so that RedisOptions.Timeout bounds each call")
		}
	}
	if opts.Prefix == "" {
		opts.Prefix = DefaultRedisPrefix
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultRedisTimeout
	}
	var id [6]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, fmt.Errorf("throttle: NewRedisStore: %w", err)
	}
	return &RedisStore{client: client, prefix: opts.Prefix, timeout: opts.Timeout, instance: hex.EncodeToString(id[:])}, nil
}

// NewRedisStoreFromURL connects to url (redis://[:password@]host:port/db, as REDIS_URL
// holds it; see redis.ParseURL) with ContextTimeoutEnabled, dial, read and write timeouts of
// one second, and returns the store. It does not contact Redis: an unreachable server shows
// in the first request (logged, and Config.FailOpen applies). Errors never include the
// password.
func NewRedisStoreFromURL(url string, opts RedisOptions) (*RedisStore, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, errors.New("throttle: REDIS_URL is not a redis:// or rediss:// URL")
	}
	o.ContextTimeoutEnabled = true
	o.DialTimeout = time.Second
	o.ReadTimeout = time.Second
	o.WriteTimeout = time.Second
	return NewRedisStore(redis.NewClient(o), opts)
}

// Close closes the client.
func (s *RedisStore) Close() error { return s.client.Close() }

func (s *RedisStore) member(ticket uint64) string {
	return s.instance + ":" + strconv.FormatUint(ticket, 36)
}

// Take implements Store.
func (s *RedisStore) Take(ctx context.Context, key string, rate Rate, now time.Time) (Usage, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ticket := s.tickets.Add(1)
	res, err := takeScript.Run(ctx, s.client, []string{s.prefix + key},
		now.UnixMicro(), rate.Period.Microseconds(), rate.Num, s.member(ticket)).Int64Slice()
	if err != nil {
		return Usage{}, fmt.Errorf("redis: take: %w", err)
	}
	if len(res) != 3 {
		return Usage{}, fmt.Errorf("redis: take: unexpected reply %v", res)
	}
	u := Usage{Allowed: res[0] == 1, Count: int(res[1])}
	if u.Allowed {
		u.Ticket = ticket
	}
	if u.Count > 0 {
		u.Oldest = time.UnixMicro(res[2])
	}
	return u, nil
}

// Release implements Store.
func (s *RedisStore) Release(ctx context.Context, key string, ticket uint64) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.ZRem(ctx, s.prefix+key, s.member(ticket)).Err(); err != nil {
		return fmt.Errorf("redis: release: %w", err)
	}
	return nil
}

// Reset implements Store.
func (s *RedisStore) Reset(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.Del(ctx, s.prefix+key).Err(); err != nil {
		return fmt.Errorf("redis: reset: %w", err)
	}
	return nil
}

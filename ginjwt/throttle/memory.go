package throttle

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// ErrStoreFull is returned by MemoryStore.Take for a new key when the store already holds
// MemoryOptions.MaxKeys live keys. The limiter treats it as any store error (ErrUnavailable,
// then Config.FailOpen), and logs it.
var ErrStoreFull = errors.New("throttle: memory store full")

// MemoryOptions configure a MemoryStore. The zero value is usable.
type MemoryOptions struct {
	// MaxKeys bounds the number of live keys; DefaultMaxKeys when 0. A key costs about
	// 100 bytes plus 16 bytes per request in its window, so "5/min" keys cost about 200
	// bytes each and "1000/day" keys up to 16 KB.
	MaxKeys int
	// SweepEvery is how often (on the limiter's clock) a Take also drops every expired key;
	// one minute when 0.
	SweepEvery time.Duration
}

// DefaultMaxKeys is MemoryOptions.MaxKeys when unset.
const DefaultMaxKeys = 1 << 20

const memShards = 32

// MemoryStore is the Store of a single instance: DRF's sliding window (the history of each
// key) held in memory. It is bounded: a key expires one period after its newest request and
// is dropped by the next sweep, and no more than MaxKeys keys live at once. Its zero value is
// not usable; call NewMemoryStore.
type MemoryStore struct {
	shards     [memShards]memShard
	seed       maphash.Seed
	perShard   int
	sweepEvery int64
	nextSweep  atomic.Int64 // unix nanoseconds; 0 before the first Take
	tickets    atomic.Uint64
}

type memShard struct {
	mu      sync.Mutex
	buckets map[string]*memBucket
}

// memBucket is one key's history, oldest first, as DRF's list reversed; hits before head
// have left the window.
type memBucket struct {
	hits    []memHit
	head    int
	expires int64 // unix nanoseconds: newest hit + period, the cache timeout DRF sets
}

type memHit struct {
	at     int64 // unix nanoseconds
	ticket uint64
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(opts MemoryOptions) *MemoryStore {
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	if opts.SweepEvery <= 0 {
		opts.SweepEvery = time.Minute
	}
	s := &MemoryStore{seed: maphash.MakeSeed(), sweepEvery: int64(opts.SweepEvery)}
	s.perShard = (opts.MaxKeys + memShards - 1) / memShards
	for i := range s.shards {
		s.shards[i].buckets = make(map[string]*memBucket)
	}
	return s
}

func (s *MemoryStore) shard(key string) *memShard {
	return &s.shards[maphash.String(s.seed, key)%memShards]
}

// Take implements Store.
func (s *MemoryStore) Take(_ context.Context, key string, rate Rate, now time.Time) (Usage, error) {
	t := now.UnixNano()
	s.maybeSweep(t)
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.buckets[key]
	if b != nil {
		b.trim(t - int64(rate.Period))
	}
	var u Usage
	if b != nil {
		if live := b.live(); len(live) > 0 {
			u.Count = len(live)
			u.Oldest = time.Unix(0, live[0].at)
		}
	}
	if u.Count >= rate.Num {
		return u, nil
	}
	if b == nil {
		if len(sh.buckets) >= s.perShard {
			sh.sweep(t)
			if len(sh.buckets) >= s.perShard {
				return Usage{}, fmt.Errorf("%w (%d keys)", ErrStoreFull, s.perShard*memShards)
			}
		}
		b = &memBucket{hits: make([]memHit, 0, min(rate.Num, 8))}
		sh.buckets[key] = b
	}
	u.Allowed = true
	u.Ticket = s.tickets.Add(1)
	b.add(memHit{at: t, ticket: u.Ticket})
	b.expires = t + int64(rate.Period)
	return u, nil
}

// live returns the hits in the window, oldest first.
func (b *memBucket) live() []memHit { return b.hits[b.head:] }

// trim drops the hits at or before cutoff by moving the head: O(1) per dropped hit.
func (b *memBucket) trim(cutoff int64) {
	for b.head < len(b.hits) && b.hits[b.head].at <= cutoff {
		b.head++
	}
	if b.head == len(b.hits) {
		b.hits, b.head = b.hits[:0], 0
	}
}

// add appends a hit, first moving the live hits to the front when the array is full and
// half of it is dropped hits, so the array stays within twice the window's size.
func (b *memBucket) add(h memHit) {
	if len(b.hits) == cap(b.hits) && b.head >= len(b.hits)/2 {
		b.hits = b.hits[:copy(b.hits, b.hits[b.head:])]
		b.head = 0
	}
	b.hits = append(b.hits, h)
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, key string, ticket uint64) error {
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.buckets[key]
	if b == nil {
		return nil
	}
	for i := b.head; i < len(b.hits); i++ {
		if b.hits[i].ticket == ticket {
			b.hits = append(b.hits[:i], b.hits[i+1:]...)
			break
		}
	}
	if len(b.live()) == 0 {
		delete(sh.buckets, key)
	}
	return nil
}

// Reset implements Store.
func (s *MemoryStore) Reset(_ context.Context, key string) error {
	sh := s.shard(key)
	sh.mu.Lock()
	delete(sh.buckets, key)
	sh.mu.Unlock()
	return nil
}

// Len returns the number of keys held, expired or not (expired keys go at the next sweep).
func (s *MemoryStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.buckets)
		sh.mu.Unlock()
	}
	return n
}

// Sweep drops every key expired at now. Take calls it once every SweepEvery; it is
// exported for services that want memory back after a burst without waiting for traffic.
func (s *MemoryStore) Sweep(now time.Time) {
	t := now.UnixNano()
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.sweep(t)
		sh.mu.Unlock()
	}
}

// maybeSweep sweeps all shards when the sweep is due; one caller wins the race.
func (s *MemoryStore) maybeSweep(t int64) {
	next := s.nextSweep.Load()
	if next == 0 {
		s.nextSweep.CompareAndSwap(0, t+s.sweepEvery)
		return
	}
	if t < next || !s.nextSweep.CompareAndSwap(next, t+s.sweepEvery) {
		return
	}
	s.Sweep(time.Unix(0, t))
}

func (sh *memShard) sweep(t int64) {
	for k, b := range sh.buckets {
		if b.expires <= t {
			delete(sh.buckets, k)
		}
	}
}

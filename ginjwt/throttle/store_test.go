package throttle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// storeContract runs the Store contract against stores made by newStore (each call a new,
// empty store on the same backend). Times are microsecond-aligned, the Redis store's
// resolution.
func storeContract(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	t0 := time.Now().Truncate(time.Second)
	five := Rate{5, time.Minute}

	t.Run("window", func(t *testing.T) {
		s := newStore(t)
		steps := []struct {
			at      time.Duration
			allowed bool
			count   int
			oldest  time.Duration
		}{
			{0, true, 0, -1},
			{time.Second, true, 1, 0},
			{2 * time.Second, true, 2, 0},
			{3 * time.Second, true, 3, 0},
			{4 * time.Second, true, 4, 0},
			{5 * time.Second, false, 5, 0},
			{59*time.Second + 999*time.Millisecond, false, 5, 0},
			{60 * time.Second, true, 4, time.Second}, // the hit at 0 is at now-period: gone, as in DRF
			{61 * time.Second, true, 4, 2 * time.Second},
			{61 * time.Second, false, 5, 2 * time.Second},
			{10 * time.Minute, true, 0, -1},
		}
		for _, st := range steps {
			u, err := s.Take(ctx, "k", five, t0.Add(st.at))
			if err != nil {
				t.Fatalf("at %v: %v", st.at, err)
			}
			var oldest time.Time
			if st.oldest >= 0 {
				oldest = t0.Add(st.oldest)
			}
			if u.Allowed != st.allowed || u.Count != st.count || !u.Oldest.Equal(oldest) || (u.Allowed && u.Ticket == 0) {
				t.Errorf("at %v: %+v; want allowed=%v count=%d oldest=%v", st.at, u, st.allowed, st.count, oldest)
			}
		}
	})

	t.Run("keys apart", func(t *testing.T) {
		s := newStore(t)
		one := Rate{1, time.Hour}
		for _, k := range []string{"a", "b", "c"} {
			if u, err := s.Take(ctx, k, one, t0); err != nil || !u.Allowed {
				t.Fatalf("%s: %+v %v", k, u, err)
			}
		}
		if u, _ := s.Take(ctx, "a", one, t0); u.Allowed {
			t.Fatal("a: second hit allowed")
		}
	})

	t.Run("zero rate refuses", func(t *testing.T) {
		s := newStore(t)
		if u, err := s.Take(ctx, "z", Rate{0, time.Minute}, t0); err != nil || u.Allowed || u.Count != 0 {
			t.Fatalf("%+v %v", u, err)
		}
	})

	t.Run("release and reset", func(t *testing.T) {
		s := newStore(t)
		two := Rate{2, time.Minute}
		a, _ := s.Take(ctx, "r", two, t0)
		b, _ := s.Take(ctx, "r", two, t0.Add(time.Second))
		if a.Ticket == b.Ticket {
			t.Fatalf("tickets %d and %d", a.Ticket, b.Ticket)
		}
		if err := s.Release(ctx, "r", a.Ticket); err != nil {
			t.Fatal(err)
		}
		if err := s.Release(ctx, "r", 987654321); err != nil {
			t.Fatalf("unknown ticket: %v", err)
		}
		u, _ := s.Take(ctx, "r", two, t0.Add(2*time.Second))
		if !u.Allowed || u.Count != 1 || !u.Oldest.Equal(t0.Add(time.Second)) {
			t.Fatalf("after release: %+v", u)
		}
		if err := s.Reset(ctx, "r"); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.Take(ctx, "r", two, t0.Add(3*time.Second)); !u.Allowed || u.Count != 0 {
			t.Fatalf("after reset: %+v", u)
		}
		if err := s.Reset(ctx, "never"); err != nil {
			t.Fatalf("reset of an unknown key: %v", err)
		}
	})

	t.Run("concurrent takes allow exactly the rate", func(t *testing.T) {
		s := newStore(t)
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				u, err := s.Take(ctx, "c", Rate{7, time.Minute}, t0.Add(time.Duration(i)*time.Microsecond))
				if err != nil {
					t.Error(err)
				}
				if u.Allowed {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if allowed.Load() != 7 {
			t.Fatalf("%d of 40 allowed; want 7", allowed.Load())
		}
	})
}

func TestMemoryStoreContract(t *testing.T) {
	storeContract(t, func(*testing.T) Store { return NewMemoryStore(MemoryOptions{}) })
}

// TestMemoryStoreEmpties: expired keys are dropped by the sweep that a later Take runs, and
// by Sweep; the store ends empty.
func TestMemoryStoreEmpties(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(MemoryOptions{})
	t0 := time.Now()
	rate := Rate{5, time.Minute}
	for i := range 1000 {
		if _, err := s.Take(ctx, fmt.Sprint("k", i), rate, t0); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Len(); n != 1000 {
		t.Fatalf("Len = %d; want 1000", n)
	}
	s.Take(ctx, "late", rate, t0.Add(30*time.Second)) // before the first sweep is due
	if n := s.Len(); n != 1001 {
		t.Fatalf("Len = %d; want 1001", n)
	}
	s.Take(ctx, "new", rate, t0.Add(2*time.Minute)) // sweep due: every older key has expired
	if n := s.Len(); n != 1 {
		t.Fatalf("Len after the sweep = %d; want 1", n)
	}
	s.Sweep(t0.Add(3 * time.Minute))
	if n := s.Len(); n != 0 {
		t.Fatalf("Len after Sweep = %d; want 0", n)
	}
}

// TestMemoryStoreMaxKeys: the store never holds more than MaxKeys keys; a new key beyond it
// is ErrStoreFull until old keys expire.
func TestMemoryStoreMaxKeys(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(MemoryOptions{MaxKeys: 64})
	t0 := time.Now()
	rate := Rate{1, time.Minute}
	full := 0
	for i := range 1000 {
		_, err := s.Take(ctx, fmt.Sprint("k", i), rate, t0)
		if errors.Is(err, ErrStoreFull) {
			full++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Len(); n > 64 || full == 0 {
		t.Fatalf("Len = %d (max 64), %d refusals", n, full)
	}
	if _, err := s.Take(ctx, "k-late", rate, t0.Add(time.Minute)); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

// TestMemoryStoreLongWindow: a window far longer than its array keeps the log compact.
func TestMemoryStoreLongWindow(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(MemoryOptions{})
	t0 := time.Now()
	rate := Rate{100, time.Second}
	for i := range 100_000 {
		u, err := s.Take(ctx, "k", rate, t0.Add(time.Duration(i)*10*time.Millisecond))
		if err != nil || !u.Allowed {
			t.Fatalf("request %d: %+v %v", i, u, err)
		}
	}
	b := s.shard("k").buckets["k"]
	if len(b.live()) != 100 || cap(b.hits) > 256 {
		t.Fatalf("window %d hits in an array of %d", len(b.live()), cap(b.hits))
	}
}

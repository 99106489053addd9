package ginjwt_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt"
	"github.com/gin-simplejwt/simplejwt/models/hashers"
)

// barrierHasher is a hasher whose first n Verify calls wait for one another (up to a bound), so
// that n concurrent logins have all checked the stored hash before any of them re-hashes it:
// the race of the upgrade made certain instead of likely.
type barrierHasher struct {
	hashers.Hasher
	n       int
	mu      sync.Mutex
	arrived int
	all     chan struct{}
}

func newBarrierHasher(h hashers.Hasher, n int) *barrierHasher {
	return &barrierHasher{Hasher: h, n: n, all: make(chan struct{})}
}

func (h *barrierHasher) Verify(password, encoded string) bool {
	ok := h.Hasher.Verify(password, encoded)
	h.mu.Lock()
	h.arrived++
	if h.arrived == h.n {
		close(h.all)
	}
	wait := h.arrived <= h.n
	h.mu.Unlock()
	if wait {
		select {
		case <-h.all:
		case <-time.After(10 * time.Second):
		}
	}
	return ok
}

// TestConcurrentLoginsDuringHashUpgrade: alice's stored hash has fewer PBKDF2 iterations than
// ours (as Django 3.2–5.x leave them), so a login re-hashes it; with CHECK_REVOKE_TOKEN the
// tokens carry an HMAC of the stored hash. n logins at once must all get tokens that Auth()
// and /refresh/ accept: one re-hash wins, and every login signs against the hash the database
// holds. (Before, each login re-hashed with its own salt, the last write won, and n-1 of the n
// logins got tokens refused at once with "The user's password has been changed.")
func TestConcurrentLoginsDuringHashUpgrade(t *testing.T) {
	weak, err := hashers.New(hashers.PBKDF2SHA256(500)).MakePassword(alicePassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range append([]string{"memory"}, dbDialects...) {
		for _, n := range []int{4, 20} {
			t.Run(fmt.Sprintf("%s/%d logins", dialect, n), func(t *testing.T) {
				hasher := newBarrierHasher(hashers.PBKDF2SHA256(1000), n)
				svc := newServiceWith(t, dialect, serviceOptions{
					hashers:   hashers.New(hasher),
					aliceHash: weak,
					settings:  func(s *ginjwt.Settings) { s.CheckRevokeToken = true },
				})
				pairs := make([]map[string]string, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, _, pairs[i] = svc.post("/api/token/", `{"username":"alice","password":"`+alicePassword+`"}`)
					}()
				}
				wg.Wait()
				refused := 0
				for i, pair := range pairs {
					if pair["access"] == "" {
						t.Fatalf("login %d got no tokens", i)
					}
					meCode, meBody := svc.me(pair["access"])
					refreshCode, refreshBody, _ := svc.refresh(pair["refresh"])
					if meCode != http.StatusNoContent || refreshCode != http.StatusOK {
						refused++
						t.Logf("login %d: /api/me/ %d %s, /refresh/ %d %s", i, meCode, meBody, refreshCode, refreshBody)
					}
				}
				if refused != 0 {
					t.Fatalf("%d of %d concurrent logins got tokens that are refused", refused, n)
				}
			})
		}
	}
}

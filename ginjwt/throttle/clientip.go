package throttle

import (
	"fmt"
	"net/http"
	"net/netip"

	"github.com/gin-simplejwt/simplejwt/ginjwt/clientip"
)

// ipResolver is the client address a request is counted under: clientip's rules on
// Config.TrustedProxies and RemoteIPHeaders, IPv6 addresses cut to v6Bits bits when set.
type ipResolver struct {
	res    *clientip.Resolver // its ClientIP is uncut: only clientIP below calls it
	v6Bits int
}

func newIPResolver(proxies, headers []string, v6Bits int) (*ipResolver, error) {
	if v6Bits < 0 || v6Bits > 128 {
		return nil, fmt.Errorf("throttle: IPv6PrefixBits %d: want 0 (whole address) to 128", v6Bits)
	}
	res, err := clientip.New(proxies, headers)
	if err != nil {
		return nil, fmt.Errorf("throttle: %w", err)
	}
	return &ipResolver{res: res, v6Bits: v6Bits}, nil
}

// clientIP returns the client's address; ok is false when neither the connection nor a
// trusted proxy gives one (all such requests share one bucket).
func (r *ipResolver) clientIP(req *http.Request) (netip.Addr, bool) {
	a, ok := r.res.ClientIP(req)
	if ok && r.v6Bits > 0 && a.Is6() {
		p, _ := a.Prefix(r.v6Bits)
		return p.Addr(), true
	}
	return a, ok
}

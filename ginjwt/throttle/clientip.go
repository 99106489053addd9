package throttle

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// defaultRemoteIPHeaders are the headers read from a trusted proxy, in order, as gin's
// Engine.RemoteIPHeaders.
var defaultRemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}

// ipResolver finds a request's client address with gin's Context.ClientIP rules, on its own
// list of trusted proxies (gin's engine trusts every proxy until SetTrustedProxies is
// called, which would let any client choose its bucket):
//
//   - the peer is the connection's address (Request.RemoteAddr); a unix-socket listener is
//     a trusted peer, as in gin;
//   - only when the peer is a trusted proxy are the headers read: each header's values are
//     joined with commas and walked from the right, skipping trusted proxies; the first
//     untrusted address (or the leftmost one) is the client; an unparsable entry makes the
//     header unusable and the next header is tried;
//   - otherwise, or when no header gives an address, the client is the peer.
//
// Addresses are canonical (IPv4-mapped IPv6 unmapped, zones dropped), so that two spellings
// of one address share a bucket, and IPv6 addresses are cut to v6Bits bits when set.
type ipResolver struct {
	trusted []netip.Prefix
	headers []string
	v6Bits  int
}

func newIPResolver(proxies, headers []string, v6Bits int) (*ipResolver, error) {
	r := &ipResolver{headers: headers, v6Bits: v6Bits}
	if r.headers == nil {
		r.headers = defaultRemoteIPHeaders
	}
	if v6Bits < 0 || v6Bits > 128 {
		return nil, fmt.Errorf("throttle: IPv6PrefixBits %d: want 0 (whole address) to 128", v6Bits)
	}
	for _, p := range proxies {
		var pfx netip.Prefix
		var err error
		if strings.Contains(p, "/") {
			pfx, err = netip.ParsePrefix(p)
		} else {
			var a netip.Addr
			a, err = netip.ParseAddr(p)
			pfx = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if err != nil {
			return nil, fmt.Errorf("throttle: trusted proxy %q: want an IP address or a CIDR", p)
		}
		pfx = pfx.Masked()
		if pfx.Addr().Is4In6() && pfx.Bits() >= 96 {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		r.trusted = append(r.trusted, pfx)
	}
	return r, nil
}

func (r *ipResolver) isTrusted(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseIP reads one address as gin does (net.ParseIP: no port, no zone), canonical.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// clientIP returns the client's address; ok is false when neither the connection nor a
// trusted proxy gives one (all such requests share one bucket).
func (r *ipResolver) clientIP(req *http.Request) (addr netip.Addr, ok bool) {
	trusted := false
	if la, isAddr := req.Context().Value(http.LocalAddrContextKey).(net.Addr); isAddr && strings.HasPrefix(la.Network(), "unix") {
		trusted = true
	}
	var peer netip.Addr
	var peerOK bool
	if host, _, err := net.SplitHostPort(strings.TrimSpace(req.RemoteAddr)); err == nil {
		peer, peerOK = parseIP(host)
	}
	if !trusted {
		if !peerOK {
			return netip.Addr{}, false
		}
		trusted = r.isTrusted(peer)
	}
	if trusted {
		for _, h := range r.headers {
			if a, found := r.fromHeader(req.Header.Values(h)); found {
				return r.cut(a), true
			}
		}
	}
	if !peerOK {
		return netip.Addr{}, false
	}
	return r.cut(peer), true
}

// fromHeader is gin's Engine.validateHeader on the header's values joined with commas.
func (r *ipResolver) fromHeader(values []string) (netip.Addr, bool) {
	for i := len(values) - 1; i >= 0; i-- {
		items := strings.Split(values[i], ",")
		for j := len(items) - 1; j >= 0; j-- {
			a, ok := parseIP(strings.TrimSpace(items[j]))
			if !ok {
				return netip.Addr{}, false
			}
			if (i == 0 && j == 0) || !r.isTrusted(a) {
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}

func (r *ipResolver) cut(a netip.Addr) netip.Addr {
	if r.v6Bits > 0 && a.Is6() {
		p, _ := a.Prefix(r.v6Bits)
		return p.Addr()
	}
	return a
}

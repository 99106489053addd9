// Package clientip finds the address of the client behind a request by gin's
// Context.ClientIP rules, on its own list of trusted proxies. gin's engine trusts every proxy
// until SetTrustedProxies is called, which would let any client choose the address it is
// counted (throttling) or shown (sessions) under; a Resolver trusts none unless told.
//
// The rules:
//   - the peer is the connection's address (Request.RemoteAddr); a unix-socket listener is
//     a trusted peer, as in gin;
//   - only when the peer is a trusted proxy are the headers read: each header's values are
//     joined with commas and walked from the right, skipping trusted proxies; the first
//     untrusted address (or the leftmost one) is the client; an unparsable entry makes the
//     header unusable and the next header is tried;
//   - otherwise, or when no header gives an address, the client is the peer.
//
// Addresses are canonical (IPv4-mapped IPv6 unmapped, zones refused), so that two spellings
// of one address are one client.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// DefaultHeaders are the headers read from a trusted proxy, in order, as gin's
// Engine.RemoteIPHeaders.
var DefaultHeaders = []string{"X-Forwarded-For", "X-Real-IP"}

// Resolver finds requests' client addresses. Its methods may be called concurrently.
type Resolver struct {
	trusted []netip.Prefix
	headers []string
}

// New returns a Resolver trusting the forwarding headers of the proxies given as gin's
// Engine.SetTrustedProxies takes them ("10.0.0.0/8", "192.0.2.7", "fd00::/8"), reading
// headers in order from them (DefaultHeaders when nil). No proxies: the client is always the
// peer (or a unix-socket listener's forwarded address).
func New(trustedProxies, headers []string) (*Resolver, error) {
	r := &Resolver{headers: headers}
	if r.headers == nil {
		r.headers = DefaultHeaders
	}
	for _, p := range trustedProxies {
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
			return nil, fmt.Errorf("trusted proxy %q: want an IP address or a CIDR", p)
		}
		pfx = pfx.Masked()
		if pfx.Addr().Is4In6() && pfx.Bits() >= 96 {
			pfx = netip.PrefixFrom(pfx.Addr().Unmap(), pfx.Bits()-96)
		}
		r.trusted = append(r.trusted, pfx)
	}
	return r, nil
}

// ClientIP returns the client's address; ok is false when neither the connection nor a
// trusted proxy gives one.
func (r *Resolver) ClientIP(req *http.Request) (addr netip.Addr, ok bool) {
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
				return a, true
			}
		}
	}
	return peer, peerOK
}

func (r *Resolver) isTrusted(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// fromHeader is gin's Engine.validateHeader on the header's values joined with commas.
func (r *Resolver) fromHeader(values []string) (netip.Addr, bool) {
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

// parseIP reads one address as gin does (net.ParseIP: no port, no zone), canonical.
func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

package resolve

import (
	"context"
	"net/netip"

	"github.com/nsdiag/nsdiag/nsexec"
)

// Names answers the names of a capture filter (it is a capture/filter
// Resolver) as tcpdump run under `ip netns exec` in Target would: hosts
// with every address getaddrinfo gives, /etc files with the namespace's
// overrides.
type Names struct {
	Target nsexec.Target
}

// LookupHost returns every IPv4 and IPv6 address of name (see All).
func (n Names) LookupHost(name string) ([]netip.Addr, error) {
	return All(context.Background(), n.Target, name, Any)
}

// ReadEtc reads /etc/FILE as the namespace sees it (see EtcFile).
func (n Names) ReadEtc(file string) ([]byte, error) { return EtcFile(n.Target, file) }

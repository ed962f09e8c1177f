package reach

import (
	"net/netip"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
)

// GlobalAddrs returns the addresses of ns that other namespaces can be
// expected to reach: every unicast address that is neither loopback nor
// link-local, IPv4 first, in the order of the devices. Addresses on links
// that are down are kept: probing them is how a cut-off link shows.
func GlobalAddrs(ns nsexec.Target) ([]netip.Addr, error) {
	links, err := netcfg.Links(ns)
	if err != nil {
		return nil, err
	}
	var v4, v6 []netip.Addr
	for _, l := range links {
		for _, a := range l.Addrs {
			ip, ok := netip.AddrFromSlice(a.IP)
			if !ok {
				continue
			}
			ip = ip.Unmap()
			if !ip.IsGlobalUnicast() {
				continue
			}
			if ip.Is4() {
				v4 = append(v4, ip)
			} else {
				v6 = append(v6, ip)
			}
		}
	}
	return append(v4, v6...), nil
}

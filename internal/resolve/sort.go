package resolve

import (
	"net/netip"
	"sort"

	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/sys/unix"
)

// sortDest orders candidate destinations as glibc's getaddrinfo does, in
// the two rules that decide in practice: addresses the namespace has no
// route to go last (rule 1), then higher precedence first (rule 6, with
// glibc's built-in table when /etc/gai.conf sets none: ::1, then any other
// IPv6 including ULA, then IPv4). The sort is stable, so file or answer
// order breaks ties.
func sortDest(t nsexec.Target, addrs []netip.Addr) []netip.Addr {
	usable := make(map[netip.Addr]bool, len(addrs))
	_ = nsexec.Do(t, func() error {
		for _, a := range addrs {
			usable[a] = routable(a)
		}
		return nil
	})
	out := append([]netip.Addr(nil), addrs...)
	sort.SliceStable(out, func(i, j int) bool {
		if usable[out[i]] != usable[out[j]] {
			return usable[out[i]]
		}
		return precedence(out[i]) > precedence(out[j])
	})
	return out
}

// routable asks the kernel for a source address towards a by connecting a
// UDP socket, which sends nothing.
func routable(a netip.Addr) bool {
	// As4 panics on an IPv6 address: build each family's sockaddr apart.
	var fam int
	var sa unix.Sockaddr
	if a.Is4() {
		fam, sa = unix.AF_INET, &unix.SockaddrInet4{Port: 9, Addr: a.As4()}
	} else {
		fam, sa = unix.AF_INET6, &unix.SockaddrInet6{Port: 9, Addr: a.As16()}
	}
	fd, err := unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return unix.Connect(fd, sa) == nil
}

// precedence is glibc's default policy table (RFC 3484's, which glibc
// keeps rather than RFC 6724's: a ULA such as fd00::2 is preferred to
// IPv4, as ping NAME shows), IPv4 as ::ffff:0:0/96.
func precedence(a netip.Addr) int {
	if a.Is4() {
		return 10
	}
	for _, p := range policy {
		if p.prefix.Contains(a) {
			return p.prec
		}
	}
	return 40
}

var policy = []struct {
	prefix netip.Prefix
	prec   int
}{
	{netip.MustParsePrefix("::1/128"), 50},
	{netip.MustParsePrefix("2002::/16"), 30},
	{netip.MustParsePrefix("::/96"), 20},
}

package resolve

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/nsdiag/nsdiag/nsexec"
)

// Families for Host and Lookup. AF_INET (2) and AF_INET6 (10) from
// x/sys/unix are accepted as well, so callers may pass either spelling.
const (
	Any  = 0 // either family; the preferred address wins (RFC 6724)
	IPv4 = 4
	IPv6 = 6
)

// ErrNotFound means no hosts file entry and no DNS answer matched the name.
// It is spelled as glibc's gai_strerror, which ping prints.
var ErrNotFound = errors.New("Name or service not known")

// ErrAddrFamily means the name or address exists only in the other family
// than the one asked for (getaddrinfo's EAI_ADDRFAMILY).
var ErrAddrFamily = errors.New("Address family for hostname not supported")

// Result is what a lookup found.
type Result struct {
	// Addr is the address to use.
	Addr netip.Addr
	// Canonical is the official name (the first name on the hosts line, or
	// the DNS canonical name), the name ping prints; for an address
	// literal it is the literal as given.
	Canonical string
}

// Host resolves name to one address inside t's namespace; family is Any,
// IPv4 or IPv6. See Lookup.
func Host(ctx context.Context, t nsexec.Target, name string, family int) (netip.Addr, error) {
	r, err := Lookup(ctx, t, name, family)
	return r.Addr, err
}

// Lookup resolves name inside t's namespace. Address literals (including
// inet_aton forms such as 127.1 and 0x7f.1, which ping accepts) are
// returned without any lookup. Errors read as getaddrinfo's do
// ("10.0.0.x: Name or service not known") and wrap ErrNotFound when the
// name does not exist.
func Lookup(ctx context.Context, t nsexec.Target, name string, family int) (Result, error) {
	canon, addrs, err := lookup(ctx, t, name, family)
	if err != nil {
		return Result{}, err
	}
	return Result{Addr: addrs[0], Canonical: canon}, nil
}

// All resolves name inside t's namespace to every address getaddrinfo(3)
// returns, in its order (the one Lookup picks first): every matching line
// of the hosts file, or every A and AAAA answer. libpcap's "host NAME"
// matches all of them. Literals and errors are as for Lookup.
func All(ctx context.Context, t nsexec.Target, name string, family int) ([]netip.Addr, error) {
	_, addrs, err := lookup(ctx, t, name, family)
	return addrs, err
}

// lookup returns the canonical name and the sorted addresses, never none
// without an error.
func lookup(ctx context.Context, t nsexec.Target, name string, family int) (string, []netip.Addr, error) {
	fam, err := normFamily(family)
	if err != nil {
		return "", nil, err
	}
	if name == "" {
		return "", nil, fmt.Errorf("empty host name: %w", ErrNotFound)
	}
	if a, ok := parseLiteral(name); ok {
		if fam == IPv4 && !a.Is4() || fam == IPv6 && !a.Is6() {
			return "", nil, fmt.Errorf("%s: %w", name, ErrAddrFamily)
		}
		return name, []netip.Addr{a}, nil
	}
	files := filesFor(t)
	var cands []netip.Addr
	canon := ""
	hosts, hostsErr := os.ReadFile(files.hosts)
	if hostsErr == nil {
		canon, cands = lookupHosts(hosts, name, fam)
	}
	if len(cands) == 0 {
		conf := defaultConf()
		if data, err := os.ReadFile(files.resolvConf); err == nil {
			conf = parseConf(data)
		}
		canon, cands, err = queryDNS(ctx, t, conf, name, fam)
		if len(cands) == 0 && fam != Any && hostsErr == nil {
			// glibc's answer when the hosts file knows the name in the
			// other family only (ping -6 NAME of an IPv4 host).
			if _, other := lookupHosts(hosts, name, Any); len(other) > 0 {
				return "", nil, fmt.Errorf("%s: %w", name, ErrAddrFamily)
			}
		}
		if err != nil {
			return "", nil, err
		}
	}
	if len(cands) == 0 {
		return "", nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	if len(cands) > 1 {
		cands = sortDest(t, cands)
	}
	if canon == "" {
		canon = name
	}
	return canon, cands, nil
}

func normFamily(f int) (int, error) {
	switch f {
	case Any:
		return Any, nil
	case IPv4, 2:
		return IPv4, nil
	case IPv6, 10:
		return IPv6, nil
	}
	return 0, fmt.Errorf("resolve: unknown address family %d", f)
}

// files are the hosts and resolv.conf paths a process in the namespace sees.
type files struct{ hosts, resolvConf string }

// etcNetns is where `ip netns exec` finds per-namespace /etc overrides.
var etcNetns = "/etc/netns"

// filesFor picks /etc/netns/NAME/{hosts,resolv.conf} where ip netns exec
// would (see etcPath).
func filesFor(t nsexec.Target) files {
	name := namespaceName(t)
	return files{hosts: etcPath(name, "hosts"), resolvConf: etcPath(name, "resolv.conf")}
}

// etcPath is the file a process under `ip netns exec NAME` reads as
// /etc/FILE: ip bind-mounts each /etc/netns/NAME/FILE over /etc/FILE, which
// works only when /etc/FILE exists (otherwise ip warns and the process sees
// no such file). A PID or path target gets the files too when it is the
// same namespace as a name under /run/netns, since ip netns exec would
// have entered it by that name; name is "" for a namespace without one.
func etcPath(name, file string) string {
	path := "/etc/" + file
	if over := etcNetns + "/" + name + "/" + file; name != "" && exists(path) && exists(over) {
		return over
	}
	return path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// EtcFile reads /etc/FILE as a process in t's namespace under ip netns
// exec sees it (see etcPath); tcpdump reads services, protocols, ethers
// and networks there.
func EtcFile(t nsexec.Target, file string) ([]byte, error) {
	return os.ReadFile(etcPath(namespaceName(t), file))
}

func namespaceName(t nsexec.Target) string {
	switch t.Kind {
	case nsexec.Named:
		return t.Name
	case nsexec.Current:
		return ""
	}
	id, err := nsexec.Identify(t)
	if err != nil {
		return ""
	}
	names, _ := nsexec.List()
	for _, n := range names {
		if other, err := nsexec.Identify(nsexec.Target{Kind: nsexec.Named, Name: n}); err == nil && other == id {
			return n
		}
	}
	return ""
}

// parseLiteral accepts IPv6 and IPv4 literals, the latter also in the
// inet_aton forms glibc's getaddrinfo takes (a, a.b, a.b.c, with octal and
// hex parts).
func parseLiteral(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if strings.Contains(s, ":") {
		return netip.Addr{}, false
	}
	return parseInetAton(s)
}

func parseInetAton(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, ok := atonPart(p)
		if !ok {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	// The last part fills all the bytes the earlier ones left.
	var n uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 0xff {
			return netip.Addr{}, false
		}
		n |= v << (8 * (3 - i))
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*(5-len(vals))) {
		return netip.Addr{}, false
	}
	n |= last
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

func atonPart(p string) (uint64, bool) {
	base := uint64(10)
	switch {
	case p == "":
		return 0, false
	case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, true // "0x" is 0 to inet_aton
		}
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	var v uint64
	for _, c := range strings.ToLower(p) {
		d := uint64(0)
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		v = v*base + d
		if v > 0xffffffff {
			return 0, false
		}
	}
	return v, true
}

// Literal reports whether name is an address literal (in any form Lookup
// accepts without a lookup) and returns it.
func Literal(name string) (netip.Addr, bool) { return parseLiteral(name) }

// Name returns the name the namespace's hosts file gives a, or "" (as
// getnameinfo would with "hosts: files"; PTR queries are not sent).
func Name(t nsexec.Target, a netip.Addr) string {
	data, err := os.ReadFile(filesFor(t).hosts)
	if err != nil {
		return ""
	}
	return nameInHosts(data, a)
}

package netcfg

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Route is one route as the user writes it: Dst ("default" or a prefix),
// an optional gateway and an optional device.
type Route struct {
	Dst string
	Via string
	Dev string
}

// ParseRoute reads "DEST|default [via GW] [dev DEV]" as iproute2 takes it.
func ParseRoute(words []string) (Route, error) {
	const usage = "want DEST|default [via GATEWAY] [dev DEVICE], such as: default via 10.0.1.254"
	if len(words) == 0 {
		return Route{}, errors.New("missing route destination; " + usage)
	}
	r := Route{Dst: words[0]}
	for i := 1; i < len(words); i += 2 {
		if i+1 >= len(words) {
			return Route{}, fmt.Errorf("%q needs a value; %s", words[i], usage)
		}
		switch words[i] {
		case "via":
			r.Via = words[i+1]
		case "dev":
			r.Dev = words[i+1]
		default:
			return Route{}, fmt.Errorf("unknown route word %q; %s", words[i], usage)
		}
	}
	if r.Via == "" && r.Dev == "" {
		return Route{}, errors.New("a route needs a gateway or a device; " + usage)
	}
	return r, nil
}

// ParseRouteString is ParseRoute on one space-separated string.
func ParseRouteString(s string) (Route, error) { return ParseRoute(strings.Fields(s)) }

func (r Route) String() string {
	s := r.Dst
	if r.Via != "" {
		s += " via " + r.Via
	}
	if r.Dev != "" {
		s += " dev " + r.Dev
	}
	return s
}

// resolve works out whether the route is IPv4 or IPv6 from its gateway or
// destination; "default" alone is IPv4, as with iproute2.
func (r Route) resolve() (*net.IPNet, net.IP, int, error) {
	var gw net.IP
	fam := 0
	if r.Via != "" {
		gw = net.ParseIP(r.Via)
		if gw == nil {
			return nil, nil, 0, fmt.Errorf("bad gateway %q: want an IPv4 or IPv6 address", r.Via)
		}
		fam = familyOf(gw)
	}
	var dst *net.IPNet
	if r.Dst != "default" {
		s := r.Dst
		if !strings.Contains(s, "/") {
			if ip := net.ParseIP(s); ip != nil && ip.To4() != nil {
				s += "/32"
			} else {
				s += "/128"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("bad route destination %q: want default or a prefix such as 10.0.2.0/24", r.Dst)
		}
		if fam != 0 && familyOf(n.IP) != fam {
			return nil, nil, 0, fmt.Errorf("route %s mixes IPv4 and IPv6", r)
		}
		fam = familyOf(n.IP)
		dst = n
	}
	if fam == 0 {
		fam = netlink.FAMILY_V4
	}
	if dst == nil {
		if fam == netlink.FAMILY_V4 {
			dst = &net.IPNet{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)}
		} else {
			dst = &net.IPNet{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)}
		}
	}
	return dst, gw, fam, nil
}

func familyOf(ip net.IP) int {
	if ip.To4() != nil {
		return netlink.FAMILY_V4
	}
	return netlink.FAMILY_V6
}

// AddRoute installs r in ns.
func AddRoute(ns nsexec.Target, r Route) error { return changeRoute(ns, r, true) }

// DelRoute removes r from ns.
func DelRoute(ns nsexec.Target, r Route) error { return changeRoute(ns, r, false) }

func changeRoute(ns nsexec.Target, r Route, add bool) error {
	dst, gw, fam, err := r.resolve()
	if err != nil {
		return err
	}
	return withHandle(ns, func(h *netlink.Handle) error {
		nr := &netlink.Route{Dst: dst, Gw: gw, Family: fam}
		if r.Dev != "" {
			l, err := linkByName(h, ns, r.Dev)
			if err != nil {
				return err
			}
			nr.LinkIndex = l.Attrs().Index
		}
		if add {
			err = h.RouteAdd(nr)
		} else {
			err = h.RouteDel(nr)
		}
		switch {
		case err == nil:
			return nil
		case add && errors.Is(err, unix.EEXIST):
			return fmt.Errorf("route %s already exists in %s", r, ns.Label())
		case add && errors.Is(err, unix.ENETUNREACH):
			return fmt.Errorf("gateway %s is not on a connected network in %s: add an address on its subnet first", r.Via, ns.Label())
		case !add && errors.Is(err, unix.ESRCH):
			return fmt.Errorf("no route %s in %s; see nsdiag route list%s", r, ns.Label(), nsFlag(ns))
		}
		verb := "add"
		if !add {
			verb = "delete"
		}
		return fmt.Errorf("%s route %s in %s: %w", verb, r, ns.Label(), kernelError(err))
	})
}

// RouteEntry is a route as the kernel reports it.
type RouteEntry struct {
	Family int // netlink.FAMILY_V4 or FAMILY_V6
	Dst    string
	Via    string
	Dev    string
	Src    string
	Scope  string
	Proto  string
	Metric int
}

// Routes lists the main table's routes in ns, IPv4 then IPv6.
func Routes(ns nsexec.Target) ([]RouteEntry, error) {
	var out []RouteEntry
	err := withHandle(ns, func(h *netlink.Handle) error {
		links, err := h.LinkList()
		if err != nil {
			return fmt.Errorf("list devices in %s: %w", ns.Label(), kernelError(err))
		}
		names := map[int]string{}
		for _, l := range links {
			names[l.Attrs().Index] = l.Attrs().Name
		}
		for _, fam := range []int{netlink.FAMILY_V4, netlink.FAMILY_V6} {
			rs, err := h.RouteList(nil, fam)
			if err != nil {
				return fmt.Errorf("list routes in %s: %w", ns.Label(), kernelError(err))
			}
			for _, r := range rs {
				e := RouteEntry{Family: fam, Dst: "default", Dev: names[r.LinkIndex], Scope: r.Scope.String(), Proto: r.Protocol.String(), Metric: r.Priority}
				if r.Dst != nil && !isDefault(r.Dst) {
					e.Dst = r.Dst.String()
				}
				if r.Gw != nil {
					e.Via = r.Gw.String()
				}
				if r.Src != nil {
					e.Src = r.Src.String()
				}
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

func isDefault(n *net.IPNet) bool {
	ones, _ := n.Mask.Size()
	return ones == 0 && n.IP.IsUnspecified()
}

// SetSysctl writes a net.* sysctl inside ns, key in dotted form
// ("net.ipv4.ip_forward"). /proc/sys/net shows the namespace of the thread
// that opens it, so the write happens inside nsexec.Do.
func SetSysctl(ns nsexec.Target, key, value string) error {
	if !strings.HasPrefix(key, "net.") || strings.Contains(key, "..") || strings.Contains(key, "/") {
		return fmt.Errorf("bad sysctl %q: only net.* keys belong to a network namespace", key)
	}
	path := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
	return nsexec.Do(ns, func() error {
		if err := os.WriteFile(path, []byte(value+"\n"), 0o644); err != nil {
			return fmt.Errorf("set %s=%s in %s: %w", key, value, ns.Label(), err)
		}
		return nil
	})
}

// Sysctl reads a net.* sysctl inside ns.
func Sysctl(ns nsexec.Target, key string) (string, error) {
	path := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
	var out string
	err := nsexec.Do(ns, func() error {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read %s in %s: %w", key, ns.Label(), err)
		}
		out = strings.TrimSpace(string(b))
		return nil
	})
	return out, err
}

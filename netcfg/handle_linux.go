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

// MaxIfNameLen is the kernel's limit on interface names (IFNAMSIZ - 1).
const MaxIfNameLen = 15

// handle opens a netlink socket inside t. The caller deletes it.
//
// The socket is opened by nsexec.Do, on a thread of its own, so that a
// refused setns gets nsexec's one-line permission error, and so that
// working in the current namespace needs no CAP_SYS_ADMIN at all (only
// CAP_NET_ADMIN for changes), as when the binary is granted caps by setcap.
func handle(t nsexec.Target) (*netlink.Handle, error) {
	var h *netlink.Handle
	err := nsexec.Do(t, func() error {
		var err error
		h, err = netlink.NewHandle()
		return err
	})
	var nerr *nsexec.Error
	if err != nil && !errors.As(err, &nerr) {
		err = fmt.Errorf("open netlink socket in %s: %w", t.Label(), kernelError(err))
	}
	return h, err
}

// withHandle runs fn with a netlink handle inside t.
func withHandle(t nsexec.Target, fn func(h *netlink.Handle) error) error {
	h, err := handle(t)
	if err != nil {
		return err
	}
	defer h.Close()
	return fn(h)
}

// ValidIfName checks an interface name before the kernel sees it.
func ValidIfName(name string) error {
	switch {
	case name == "":
		return errors.New("empty interface name")
	case len(name) > MaxIfNameLen:
		return fmt.Errorf("interface name %q is %d bytes; Linux allows at most %d", name, len(name), MaxIfNameLen)
	case name == "." || name == ".." || strings.ContainsAny(name, "/: \t\n\x00"):
		return fmt.Errorf("bad interface name %q: no '/', ':' or spaces, not '.' or '..'", name)
	}
	return nil
}

// linkByName finds a device in t, with an error that names the namespace.
func linkByName(h *netlink.Handle, t nsexec.Target, name string) (netlink.Link, error) {
	if err := ValidIfName(name); err != nil {
		return nil, err
	}
	l, err := h.LinkByName(name)
	if err != nil {
		var nf netlink.LinkNotFoundError
		if errors.As(err, &nf) || errors.Is(err, unix.ENODEV) {
			return nil, fmt.Errorf("device %q not found in %s; see nsdiag link list%s", name, t.Label(), nsFlag(t))
		}
		return nil, fmt.Errorf("look up device %q in %s: %w", name, t.Label(), kernelError(err))
	}
	return l, nil
}

func nsFlag(t nsexec.Target) string {
	if t.IsCurrent() {
		return ""
	}
	return " -n " + t.String()
}

// ErrPermission marks a netlink request the kernel refused for lack of
// CAP_NET_ADMIN.
var ErrPermission = errors.New("changing network configuration needs CAP_NET_ADMIN: run as root")

func kernelError(err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("%w (%v)", ErrPermission, err)
	}
	return err
}

// ParseCIDR reads an address with its prefix length ("10.0.0.1/24",
// "fd00::1/64"), keeping the host part as iproute2 does.
func ParseCIDR(s string) (*net.IPNet, error) {
	ip, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil, fmt.Errorf("bad address %q: want ADDRESS/PREFIXLEN such as 10.0.0.1/24 or fd00::1/64", s)
	}
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	}
	return &net.IPNet{IP: ip, Mask: n.Mask}, nil
}

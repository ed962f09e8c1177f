package netcfg

import (
	"errors"
	"fmt"
	"net"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// AddVeth creates a veth pair: name in ns, peer in peerNS.
func AddVeth(name string, ns nsexec.Target, peer string, peerNS nsexec.Target) error {
	for _, n := range []string{name, peer} {
		if err := ValidIfName(n); err != nil {
			return err
		}
	}
	if name == peer && ns == peerNS {
		return fmt.Errorf("veth ends need different names in one namespace (both %q)", name)
	}
	pf, err := nsexec.Open(peerNS)
	if err != nil {
		return err
	}
	defer pf.Close()
	return withHandle(ns, func(h *netlink.Handle) error {
		if _, err := h.LinkByName(name); err == nil {
			return fmt.Errorf("device %q already exists in %s; pick another name or delete it", name, ns.Label())
		}
		if err := checkFree(peerNS, peer); err != nil {
			return err
		}
		v := &netlink.Veth{
			LinkAttrs:     netlink.LinkAttrs{Name: name},
			PeerName:      peer,
			PeerNamespace: netlink.NsFd(pf.Fd()),
		}
		if err := h.LinkAdd(v); err != nil {
			return fmt.Errorf("create veth %s (%s) - %s (%s): %w", name, ns.Label(), peer, peerNS.Label(), kernelError(err))
		}
		return nil
	})
}

func checkFree(t nsexec.Target, name string) error {
	return withHandle(t, func(h *netlink.Handle) error {
		if _, err := h.LinkByName(name); err == nil {
			return fmt.Errorf("device %q already exists in %s; pick another name or delete it", name, t.Label())
		}
		return nil
	})
}

// DeleteLink removes a device (for a veth, both ends go).
func DeleteLink(ns nsexec.Target, name string) error {
	return withHandle(ns, func(h *netlink.Handle) error {
		l, err := linkByName(h, ns, name)
		if err != nil {
			return err
		}
		if err := h.LinkDel(l); err != nil {
			return fmt.Errorf("delete device %s in %s: %w", name, ns.Label(), kernelError(err))
		}
		return nil
	})
}

// SetUp brings a device up or down.
func SetUp(ns nsexec.Target, name string, up bool) error {
	return withHandle(ns, func(h *netlink.Handle) error {
		l, err := linkByName(h, ns, name)
		if err != nil {
			return err
		}
		op, state := h.LinkSetUp, "up"
		if !up {
			op, state = h.LinkSetDown, "down"
		}
		if err := op(l); err != nil {
			return fmt.Errorf("set %s %s in %s: %w", name, state, ns.Label(), kernelError(err))
		}
		return nil
	})
}

// SetMTU changes a device's MTU.
func SetMTU(ns nsexec.Target, name string, mtu int) error {
	if mtu < 68 || mtu > 65535 {
		return fmt.Errorf("bad MTU %d: want 68 to 65535", mtu)
	}
	return withHandle(ns, func(h *netlink.Handle) error {
		l, err := linkByName(h, ns, name)
		if err != nil {
			return err
		}
		if err := h.LinkSetMTU(l, mtu); err != nil {
			return fmt.Errorf("set mtu %d on %s in %s: %w", mtu, name, ns.Label(), kernelError(err))
		}
		return nil
	})
}

// MoveLink moves a device from ns into to.
func MoveLink(ns nsexec.Target, name string, to nsexec.Target) error {
	tf, err := nsexec.Open(to)
	if err != nil {
		return err
	}
	defer tf.Close()
	return withHandle(ns, func(h *netlink.Handle) error {
		l, err := linkByName(h, ns, name)
		if err != nil {
			return err
		}
		if err := checkFree(to, name); err != nil {
			return err
		}
		if err := h.LinkSetNsFd(l, int(tf.Fd())); err != nil {
			return fmt.Errorf("move %s from %s to %s: %w", name, ns.Label(), to.Label(), kernelError(err))
		}
		return nil
	})
}

// AddBridge creates a Linux bridge and enslaves ports to it.
func AddBridge(ns nsexec.Target, name string, ports []string) error {
	if err := ValidIfName(name); err != nil {
		return err
	}
	return withHandle(ns, func(h *netlink.Handle) error {
		br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: name}}
		if err := h.LinkAdd(br); err != nil {
			return fmt.Errorf("create bridge %s in %s: %w", name, ns.Label(), kernelError(err))
		}
		for _, p := range ports {
			l, err := linkByName(h, ns, p)
			if err != nil {
				return err
			}
			if err := h.LinkSetMaster(l, br); err != nil {
				return fmt.Errorf("add %s to bridge %s in %s: %w", p, name, ns.Label(), kernelError(err))
			}
		}
		return nil
	})
}

// Link describes one device in a namespace.
type Link struct {
	Index   int
	Name    string
	Type    string
	Up      bool   // administratively up
	State   string // operational state: up, down, unknown, ...
	MTU     int
	MAC     net.HardwareAddr
	Master  string // bridge it belongs to, if any
	PeerIdx int    // for veth: the peer's ifindex (in its own namespace)
	Addrs   []*net.IPNet
}

// Links lists the devices in ns with their addresses.
func Links(ns nsexec.Target) ([]Link, error) {
	var out []Link
	err := withHandle(ns, func(h *netlink.Handle) error {
		ls, err := h.LinkList()
		if err != nil {
			return fmt.Errorf("list devices in %s: %w", ns.Label(), kernelError(err))
		}
		names := map[int]string{}
		for _, l := range ls {
			names[l.Attrs().Index] = l.Attrs().Name
		}
		for _, l := range ls {
			a := l.Attrs()
			lk := Link{
				Index: a.Index, Name: a.Name, Type: l.Type(), MTU: a.MTU, MAC: a.HardwareAddr,
				Up: a.Flags&net.FlagUp != 0, State: a.OperState.String(), Master: names[a.MasterIndex],
				PeerIdx: a.ParentIndex,
			}
			addrs, err := h.AddrList(l, netlink.FAMILY_ALL)
			if err != nil {
				return fmt.Errorf("list addresses of %s in %s: %w", a.Name, ns.Label(), kernelError(err))
			}
			for _, ad := range addrs {
				lk.Addrs = append(lk.Addrs, ad.IPNet)
			}
			out = append(out, lk)
		}
		return nil
	})
	return out, err
}

// AddAddr assigns an address to a device. IPv6 addresses skip duplicate
// address detection so they are usable at once, as labs want.
func AddAddr(ns nsexec.Target, cidr, dev string) error {
	return changeAddr(ns, cidr, dev, true)
}

// DelAddr removes an address from a device.
func DelAddr(ns nsexec.Target, cidr, dev string) error {
	return changeAddr(ns, cidr, dev, false)
}

func changeAddr(ns nsexec.Target, cidr, dev string, add bool) error {
	ipn, err := ParseCIDR(cidr)
	if err != nil {
		return err
	}
	return withHandle(ns, func(h *netlink.Handle) error {
		l, err := linkByName(h, ns, dev)
		if err != nil {
			return err
		}
		a := &netlink.Addr{IPNet: ipn}
		if ipn.IP.To4() == nil {
			a.Flags = unix.IFA_F_NODAD
		}
		if add {
			err = h.AddrAdd(l, a)
		} else {
			err = h.AddrDel(l, a)
		}
		if err != nil {
			verb := "add"
			if !add {
				verb = "delete"
			}
			if errors.Is(err, unix.EEXIST) {
				return fmt.Errorf("address %s is already on %s in %s", cidr, dev, ns.Label())
			}
			if errors.Is(err, unix.EADDRNOTAVAIL) {
				return fmt.Errorf("address %s is not on %s in %s; see nsdiag addr list%s", cidr, dev, ns.Label(), nsFlag(ns))
			}
			return fmt.Errorf("%s address %s on %s in %s: %w", verb, cidr, dev, ns.Label(), kernelError(err))
		}
		return nil
	})
}

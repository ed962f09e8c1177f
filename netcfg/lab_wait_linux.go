package netcfg

import (
	"fmt"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// waitReady polls until every device in devs reports operstate up and
// none of their IPv6 addresses is still tentative.
//
// Both lag behind the netlink calls that ask for them: the kernel turns a
// device's carrier on, and starts its queue, in deferred work that may run
// up to a second after "up", dropping what is sent before; and an IPv6
// address, even one without duplicate address detection, joins its
// solicited-node multicast group only when the device has a carrier, so
// neighbour solicitations for it are ignored until then. (LabUp turns
// detection off; with it on, the link-local addresses would stay tentative
// for a second or more, and a device with none cannot send solicitations.) Waiting here is
// what lets the first ping after `lab up` get through at once.
func waitReady(ns nsexec.Target, devs []string, limit time.Duration) error {
	return withHandle(ns, func(h *netlink.Handle) error {
		deadline := time.Now().Add(limit)
		for {
			waiting, err := notReady(h, devs)
			if err != nil {
				return fmt.Errorf("wait for devices in %s: %w", ns.Label(), kernelError(err))
			}
			if waiting == "" {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s in %s is not ready after %v (is its peer up?)", waiting, ns.Label(), limit)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// notReady names the first thing still waited for, or returns "".
func notReady(h *netlink.Handle, devs []string) (string, error) {
	want := map[string]bool{}
	for _, d := range devs {
		want[d] = true
	}
	links, err := h.LinkList()
	if err != nil {
		return "", err
	}
	names := map[int]string{}
	for _, l := range links {
		a := l.Attrs()
		if !want[a.Name] {
			continue
		}
		if a.OperState != netlink.OperUp {
			return fmt.Sprintf("device %s (operstate %s)", a.Name, a.OperState), nil
		}
		names[a.Index] = a.Name
	}
	addrs, err := h.AddrList(nil, netlink.FAMILY_V6)
	if err != nil {
		return "", err
	}
	for _, a := range addrs {
		if dev, ok := names[a.LinkIndex]; ok && a.Flags&unix.IFA_F_TENTATIVE != 0 {
			return fmt.Sprintf("address %s on %s (tentative)", a.IPNet, dev), nil
		}
	}
	return "", nil
}

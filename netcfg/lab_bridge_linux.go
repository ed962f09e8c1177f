package netcfg

import (
	"errors"
	"fmt"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// SetMaster makes dev a port of bridge br in ns; br "" takes dev out of
// whatever bridge it is in (`ip link set DEV nomaster`).
func SetMaster(ns nsexec.Target, dev, br string) error {
	return withHandle(ns, func(h *netlink.Handle) error {
		l, err := linkByName(h, ns, dev)
		if err != nil {
			return err
		}
		if br == "" {
			if err := h.LinkSetNoMaster(l); err != nil {
				return fmt.Errorf("take %s out of its bridge in %s: %w", dev, ns.Label(), kernelError(err))
			}
			return nil
		}
		b, err := linkByName(h, ns, br)
		if err != nil {
			return err
		}
		if _, ok := b.(*netlink.Bridge); !ok {
			return fmt.Errorf("%s in %s is a %s device, not a bridge", br, ns.Label(), b.Type())
		}
		if err := h.LinkSetMaster(l, b); err != nil {
			return fmt.Errorf("add %s to bridge %s in %s: %w", dev, br, ns.Label(), kernelError(err))
		}
		return nil
	})
}

// removeLink deletes dev in ns if both exist; a missing namespace or device,
// or a stale name that is no namespace, is not an error (labs remove what
// is left of them).
func removeLink(ns nsexec.Target, dev string) error {
	err := withHandle(ns, func(h *netlink.Handle) error {
		l, err := h.LinkByName(dev)
		if err != nil {
			var nf netlink.LinkNotFoundError
			if errors.As(err, &nf) || errors.Is(err, unix.ENODEV) {
				return nil
			}
			return fmt.Errorf("look up device %q in %s: %w", dev, ns.Label(), kernelError(err))
		}
		if err := h.LinkDel(l); err != nil && !errors.Is(err, unix.ENODEV) {
			return fmt.Errorf("delete device %s in %s: %w", dev, ns.Label(), kernelError(err))
		}
		return nil
	})
	if errors.Is(err, nsexec.ErrNotFound) || errors.Is(err, nsexec.ErrNotNetns) {
		return nil
	}
	return err
}

package netcfg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
)

// LabStep is one action of LabUp, spelled as the nsdiag command that does
// the same by hand (so `nsdiag lab show` prints a script that builds the
// lab step by step).
type LabStep struct {
	Cmd string
	// do performs the step and returns how to take it back (nil when there
	// is nothing to take back).
	do func() (undo func() error, err error)
}

// Plan returns the steps LabUp takes, in order: namespaces with their
// loopback up, IPv6 duplicate address detection off and forwarding; veth
// pairs; bridges; the nodes' other sysctls; addresses; devices up; a wait
// until they are usable; routes.
func (l *Lab) Plan() []LabStep {
	var s []LabStep
	add := func(cmd string, do func() (func() error, error)) { s = append(s, LabStep{Cmd: cmd, do: do}) }
	for _, n := range l.Nodes {
		ns := n.Target()
		add("nsdiag ns add "+n.Name, func() (func() error, error) { return createNS(n.Name) })
		add(fmt.Sprintf("nsdiag link set -n %s lo up", n.Name), func() (func() error, error) {
			return nil, SetUp(ns, "lo", true)
		})
		// Without duplicate address detection the link-local addresses are
		// valid at once too; until they are, a router cannot even solicit
		// the neighbours it forwards to.
		add(fmt.Sprintf("nsdiag exec -n %s -- sysctl -qw %s=0", n.Name, noDAD), func() (func() error, error) {
			return setSysctlUndo(ns, noDAD, "0")
		})
		if n.Forward {
			for _, key := range []string{"net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"} {
				add(fmt.Sprintf("nsdiag exec -n %s -- sysctl -qw %s=1", n.Name, key), func() (func() error, error) {
					return setSysctlUndo(ns, key, "1")
				})
			}
		}
	}
	for _, lk := range l.Links {
		a, b := l.Node(lk.A.Node), l.Node(lk.B.Node)
		add(fmt.Sprintf("nsdiag veth add %s %s --netns %s --peer-netns %s", lk.A.Dev, lk.B.Dev, a.Name, b.Name), func() (func() error, error) {
			if err := AddVeth(lk.A.Dev, a.Target(), lk.B.Dev, b.Target()); err != nil {
				return nil, err
			}
			return func() error { return removeLink(a.Target(), lk.A.Dev) }, nil
		})
		if lk.MTU != 0 {
			for _, e := range []LabEnd{lk.A, lk.B} {
				ns := l.Node(e.Node).Target()
				add(fmt.Sprintf("nsdiag link set -n %s %s mtu %d", e.Node, e.Dev, lk.MTU), func() (func() error, error) {
					return nil, SetMTU(ns, e.Dev, lk.MTU)
				})
			}
		}
	}
	for _, n := range l.Nodes {
		ns := n.Target()
		for _, br := range n.Bridges {
			add(fmt.Sprintf("nsdiag link add -n %s %s type bridge", n.Name, br.Name), func() (func() error, error) {
				if err := AddBridge(ns, br.Name, nil); err != nil {
					return nil, err
				}
				return func() error { return removeLink(ns, br.Name) }, nil
			})
			for _, port := range br.Ports {
				add(fmt.Sprintf("nsdiag link set -n %s %s master %s", n.Name, port, br.Name), func() (func() error, error) {
					return nil, SetMaster(ns, port, br.Name)
				})
			}
		}
	}
	// Sysctls come once the devices exist: some are per device
	// (net.ipv4.conf.r1-eth0.rp_filter).
	for _, n := range l.Nodes {
		ns := n.Target()
		for _, sc := range n.Sysctls {
			add(fmt.Sprintf("nsdiag exec -n %s -- sysctl -qw %s=%s", n.Name, sc.Key, sc.Value), func() (func() error, error) {
				return setSysctlUndo(ns, sc.Key, sc.Value)
			})
		}
	}
	for _, n := range l.Nodes {
		ns := n.Target()
		for _, iface := range n.Interfaces {
			for _, a := range iface.Addrs {
				add(fmt.Sprintf("nsdiag addr add -n %s %s dev %s", n.Name, a, iface.Name), func() (func() error, error) {
					if err := AddAddr(ns, a, iface.Name); err != nil {
						return nil, err
					}
					// Only lo outlives the lab's own devices.
					return func() error { return ignoreGone(DelAddr(ns, a, iface.Name)) }, nil
				})
			}
		}
	}
	for _, n := range l.Nodes {
		ns := n.Target()
		for _, dev := range l.devices(n) {
			add(fmt.Sprintf("nsdiag link set -n %s %s up", n.Name, dev), func() (func() error, error) {
				return nil, SetUp(ns, dev, true)
			})
		}
	}
	add("# wait until every device is up and every address usable", func() (func() error, error) {
		for _, n := range l.Nodes {
			if err := waitReady(n.Target(), l.devices(n), 5*time.Second); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	for _, n := range l.Nodes {
		ns := n.Target()
		for _, r := range n.Routes {
			add(fmt.Sprintf("nsdiag route add -n %s %s", n.Name, r), func() (func() error, error) {
				if err := AddRoute(ns, r); err != nil {
					return nil, err
				}
				return func() error { return ignoreGone(DelRoute(ns, r)) }, nil
			})
		}
	}
	return s
}

// devices returns the devices the lab makes in n: its veth ends, then its
// bridges.
func (l *Lab) devices(n *LabNode) []string {
	var out []string
	for _, lk := range l.Links {
		for _, e := range []LabEnd{lk.A, lk.B} {
			if e.Node == n.Name {
				out = append(out, e.Dev)
			}
		}
	}
	for _, br := range n.Bridges {
		out = append(out, br.Name)
	}
	return out
}

// noDAD is the sysctl that turns off duplicate address detection on the
// devices a namespace makes from then on.
const noDAD = "net.ipv6.conf.default.accept_dad"

// LabUp builds the lab. Namespaces that exist already are used as they
// are; everything else is created. When a step fails, or ctx ends (Ctrl-C),
// the steps already taken are taken back in reverse order, so nothing
// half-built is left, and the error names the step that failed. progress,
// if not nil, is told each step before it runs.
func LabUp(ctx context.Context, l *Lab, progress func(LabStep)) error {
	var undo []func() error
	rollback := func(cause error) error {
		var errs []error
		for i := len(undo) - 1; i >= 0; i-- {
			if err := undo[i](); err != nil {
				errs = append(errs, err)
			}
		}
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("%w; taking the lab back down also failed (%v): run nsdiag lab down %s", cause, err, l.File)
		}
		return cause
	}
	for _, st := range l.Plan() {
		if err := ctx.Err(); err != nil {
			return rollback(fmt.Errorf("lab %s: interrupted before %q, so it was taken back down", l.File, st.Cmd))
		}
		if progress != nil {
			progress(st)
		}
		u, err := st.do()
		if err != nil {
			return rollback(fmt.Errorf("lab %s: %s: %w", l.File, st.Cmd, err))
		}
		if u != nil {
			undo = append(undo, u)
		}
	}
	return nil
}

// LabDown removes what the lab describes: the devices it makes in each
// node, then the node's namespace. Whatever is already gone is skipped, so
// it also cleans up after a partial or interrupted LabUp. Removing the
// devices first makes them go at once even when a process still holds a
// namespace open. removed, if not nil, is told each namespace removed.
func LabDown(l *Lab, removed func(ns string)) error {
	var errs []error
	for i := len(l.Nodes) - 1; i >= 0; i-- {
		n := l.Nodes[i]
		ns := n.Target()
		if _, err := nsexec.Identify(ns); errors.Is(err, nsexec.ErrNotFound) {
			continue
		}
		for _, dev := range l.devices(n) {
			if err := removeLink(ns, dev); err != nil {
				errs = append(errs, err)
			}
		}
		if err := nsexec.Delete(n.Name); err != nil && !errors.Is(err, nsexec.ErrNotFound) {
			errs = append(errs, err)
			continue
		}
		if removed != nil {
			removed(n.Name)
		}
	}
	return errors.Join(errs...)
}

// createNS makes a named namespace unless it exists; only a namespace it
// made is deleted on rollback.
func createNS(name string) (func() error, error) {
	err := nsexec.Create(name)
	if errors.Is(err, nsexec.ErrExists) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return func() error {
		if err := nsexec.Delete(name); err != nil && !errors.Is(err, nsexec.ErrNotFound) {
			return err
		}
		return nil
	}, nil
}

// setSysctlUndo sets a sysctl and returns how to restore its old value.
func setSysctlUndo(ns nsexec.Target, key, value string) (func() error, error) {
	old, err := Sysctl(ns, key)
	if err != nil {
		return nil, err
	}
	if err := SetSysctl(ns, key, value); err != nil {
		return nil, err
	}
	return func() error { return ignoreGone(SetSysctl(ns, key, old)) }, nil
}

// ignoreGone drops the error of undoing a change whose namespace is
// already gone: the change went with it.
func ignoreGone(err error) error {
	if err == nil || errors.Is(err, nsexec.ErrNotFound) {
		return nil
	}
	return err
}

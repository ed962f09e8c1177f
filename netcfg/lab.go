package netcfg

import (
	"fmt"

	"github.com/nsdiag/nsdiag/nsexec"
)

// A Lab is a topology read from a lab file (see ParseLab for the format):
// namespaces ("nodes") joined by veth pairs ("links"), with addresses,
// bridges, routes and forwarding. LabUp builds it and LabDown removes it.
type Lab struct {
	// File names the lab in messages.
	File  string
	Nodes []*LabNode
	Links []LabLink
}

// LabNode is one namespace of a lab.
type LabNode struct {
	Name string
	// Forward turns on IPv4 and IPv6 forwarding, making the node a router.
	Forward bool
	// Sysctls are other net.* settings of the namespace, in file order
	// (such as net.ipv4.icmp_ratelimit: 0 for routers that must answer
	// every traceroute probe).
	Sysctls []LabSysctl
	// Interfaces lists the devices that carry addresses, in file order.
	Interfaces []LabIface
	Bridges    []LabBridge
	Routes     []Route
}

// LabSysctl is one net.* sysctl of a node, key in dotted form.
type LabSysctl struct {
	Key, Value string
}

// LabIface is a device of a node with the addresses to put on it: a veth
// end named in a link, a bridge of the node, or lo.
type LabIface struct {
	Name  string
	Addrs []string
}

// LabBridge is a Linux bridge in a node with the node's veth ends as ports.
type LabBridge struct {
	Name  string
	Ports []string
}

// LabLink is a veth pair between two nodes; MTU 0 keeps the kernel's
// default.
type LabLink struct {
	A, B LabEnd
	MTU  int
}

// LabEnd is one end of a link: a device in a node.
type LabEnd struct {
	Node, Dev string
}

func (e LabEnd) String() string { return e.Node + ":" + e.Dev }

// Target returns the namespace a node lives in.
func (n *LabNode) Target() nsexec.Target {
	return nsexec.Target{Kind: nsexec.Named, Name: n.Name}
}

// Node returns the node with the given name, or nil.
func (l *Lab) Node(name string) *LabNode {
	for _, n := range l.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Addrs returns the addresses the file puts on dev in node (nil if none).
func (n *LabNode) Addrs(dev string) []string {
	for _, i := range n.Interfaces {
		if i.Name == dev {
			return i.Addrs
		}
	}
	return nil
}

// WithPrefix prepends prefix to every namespace name of the lab, so that
// several copies of one file can be up at once (tests use it to keep their
// namespaces unique). Interface names stay: they are per namespace.
func (l *Lab) WithPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	for _, n := range l.Nodes {
		if err := nsexec.ValidName(prefix + n.Name); err != nil {
			return fmt.Errorf("namespace prefix %q: %w", prefix, err)
		}
	}
	for _, n := range l.Nodes {
		n.Name = prefix + n.Name
	}
	for i := range l.Links {
		l.Links[i].A.Node = prefix + l.Links[i].A.Node
		l.Links[i].B.Node = prefix + l.Links[i].B.Node
	}
	return nil
}

// LabError is a problem in a lab file, at a line and column.
type LabError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *LabError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

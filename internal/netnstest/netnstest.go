// Package netnstest gives tests their own network namespaces and veth
// links, named uniquely so that test packages can run at the same time,
// and removes them in t.Cleanup even when the test fails.
//
// It needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN); without it the helpers
// skip the test and say which capability is missing.
package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
)

// Prefix starts the name of every namespace these helpers make, so that a
// leak check can find them (make test fails if any is left behind).
const Prefix = "nsdt-"

// RequireRoot skips t unless the process can create namespaces.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: CAP_SYS_ADMIN to create network namespaces and CAP_NET_ADMIN to configure them")
	}
}

// Suffix returns n random hex characters.
func Suffix(n int) string {
	b := make([]byte, (n+1)/2)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)[:n]
}

// NewNS creates a namespace named Prefix+label+"-"+random, brings its
// loopback up and deletes it when the test ends.
func NewNS(t testing.TB, label string) nsexec.Target {
	t.Helper()
	RequireRoot(t)
	name := Prefix + label + "-" + Suffix(8)
	if err := nsexec.Create(name); err != nil {
		t.Fatalf("create namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := nsexec.Delete(name); err != nil && !errors.Is(err, nsexec.ErrNotFound) {
			t.Errorf("delete namespace %s: %v", name, err)
		}
	})
	ns := nsexec.Target{Kind: nsexec.Named, Name: name}
	if err := netcfg.SetUp(ns, "lo", true); err != nil {
		t.Fatalf("loopback up in %s: %v", name, err)
	}
	return ns
}

// IfName returns a unique interface name (at most 15 bytes) that starts
// with a short label.
func IfName(label string) string {
	if len(label) > 6 {
		label = label[:6]
	}
	return label + Suffix(8)
}

// Veth joins a and b with a veth pair, brings both ends up and returns the
// names of the ends (in a, in b). The pair dies with its namespaces.
func Veth(t testing.TB, a, b nsexec.Target) (string, string) {
	t.Helper()
	ea, eb := IfName("va"), IfName("vb")
	if err := netcfg.AddVeth(ea, a, eb, b); err != nil {
		t.Fatalf("veth %s-%s: %v", ea, eb, err)
	}
	for _, e := range []struct {
		ns  nsexec.Target
		dev string
	}{{a, ea}, {b, eb}} {
		if err := netcfg.SetUp(e.ns, e.dev, true); err != nil {
			t.Fatalf("%s up: %v", e.dev, err)
		}
	}
	return ea, eb
}

// Addr assigns addresses (CIDR form) to dev in ns.
func Addr(t testing.TB, ns nsexec.Target, dev string, cidrs ...string) {
	t.Helper()
	for _, c := range cidrs {
		if err := netcfg.AddAddr(ns, c, dev); err != nil {
			t.Fatalf("address %s on %s: %v", c, dev, err)
		}
	}
}

// Route installs routes written as iproute2 takes them ("default via 10.0.1.254").
func Route(t testing.TB, ns nsexec.Target, routes ...string) {
	t.Helper()
	for _, s := range routes {
		r, err := netcfg.ParseRouteString(s)
		if err != nil {
			t.Fatalf("route %q: %v", s, err)
		}
		if err := netcfg.AddRoute(ns, r); err != nil {
			t.Fatalf("route %q in %s: %v", s, ns.Name, err)
		}
	}
}

// Forward turns on IPv4 and IPv6 forwarding in ns, making it a router.
func Forward(t testing.TB, ns nsexec.Target) {
	t.Helper()
	Sysctl(t, ns, "net.ipv4.ip_forward", "1")
	Sysctl(t, ns, "net.ipv6.conf.all.forwarding", "1")
}

// Sysctl sets a net.* sysctl inside ns.
func Sysctl(t testing.TB, ns nsexec.Target, key, value string) {
	t.Helper()
	if err := netcfg.SetSysctl(ns, key, value); err != nil {
		t.Fatal(err)
	}
}

// Pair is two namespaces joined by a veth pair with addresses on both ends.
type Pair struct {
	A, B       nsexec.Target
	DevA, DevB string
	// IPv4 and IPv6 addresses of each end, without prefix length.
	A4, B4, A6, B6 string
}

// NewPair builds the seed tutorial: two namespaces on one veth pair with
// 10.0.0.1/24 and 10.0.0.2/24, fd00::1/64 and fd00::2/64 (addresses are
// private to the pair's namespaces, so equal addresses in parallel tests
// do not collide).
func NewPair(t testing.TB) *Pair {
	t.Helper()
	p := &Pair{A4: "10.0.0.1", B4: "10.0.0.2", A6: "fd00::1", B6: "fd00::2"}
	p.A = NewNS(t, "a")
	p.B = NewNS(t, "b")
	p.DevA, p.DevB = Veth(t, p.A, p.B)
	Addr(t, p.A, p.DevA, p.A4+"/24", p.A6+"/64")
	Addr(t, p.B, p.DevB, p.B4+"/24", p.B6+"/64")
	return p
}

// Chain builds h1 - r1 - ... - rN - h2: hosts at both ends, n routers in
// between, each link its own /24 (10.0.L.0/24, fd00:L::/64 for link L from
// 1), routers forwarding, and routes so that every node reaches every
// address. Nodes[0] is h1 and Nodes[n+1] is h2; Addr4[i] / Addr6[i] hold
// the address of node i on the link towards h1 (for h1: its only address).
type Chain struct {
	Nodes        []nsexec.Target
	Addr4, Addr6 []string
	// Left and Right are each node's device towards h1 and towards h2
	// ("" where there is none).
	Left, Right []string
}

// NewChain builds a chain with n routers.
func NewChain(t testing.TB, n int) *Chain {
	t.Helper()
	c := &Chain{}
	total := n + 2
	for i := 0; i < total; i++ {
		label := "r" + strconv.Itoa(i)
		switch i {
		case 0:
			label = "h1"
		case total - 1:
			label = "h2"
		}
		c.Nodes = append(c.Nodes, NewNS(t, label))
	}
	c.Left = make([]string, total)
	c.Right = make([]string, total)
	c.Addr4 = make([]string, total)
	c.Addr6 = make([]string, total)
	right4 := make([]string, total)
	right6 := make([]string, total)
	for l := 1; l < total; l++ {
		a, b := c.Nodes[l-1], c.Nodes[l]
		da, db := Veth(t, a, b)
		c.Right[l-1], c.Left[l] = da, db
		net4, net6 := "10.0."+strconv.Itoa(l)+".", "fd00:"+strconv.Itoa(l)+"::"
		// The node towards h1 is .1 (h1) or .254 (a router's right side);
		// the node towards h2 is .2 (or h2's .1 on the last link).
		right4[l-1], right6[l-1] = net4+"1", net6+"1"
		c.Addr4[l], c.Addr6[l] = net4+"2", net6+"2"
		Addr(t, a, da, right4[l-1]+"/24", right6[l-1]+"/64")
		Addr(t, b, db, c.Addr4[l]+"/24", c.Addr6[l]+"/64")
	}
	c.Addr4[0], c.Addr6[0] = right4[0], right6[0]
	for i := 1; i < total-1; i++ {
		Forward(t, c.Nodes[i])
	}
	// Everything towards h2 goes right, everything towards h1 goes left.
	for i := 0; i < total; i++ {
		if i < total-1 {
			next4, next6 := c.Addr4[i+1], c.Addr6[i+1]
			for l := i + 2; l < total; l++ {
				Route(t, c.Nodes[i], "10.0."+strconv.Itoa(l)+".0/24 via "+next4, "fd00:"+strconv.Itoa(l)+"::/64 via "+next6)
			}
		}
		if i > 0 {
			prev4, prev6 := right4[i-1], right6[i-1]
			for l := 1; l < i; l++ {
				Route(t, c.Nodes[i], "10.0."+strconv.Itoa(l)+".0/24 via "+prev4, "fd00:"+strconv.Itoa(l)+"::/64 via "+prev6)
			}
		}
	}
	return c
}

// H1 and H2 are the end hosts; Dest4/Dest6 are h2's addresses.
func (c *Chain) H1() nsexec.Target { return c.Nodes[0] }
func (c *Chain) H2() nsexec.Target { return c.Nodes[len(c.Nodes)-1] }
func (c *Chain) Dest4() string     { return c.Addr4[len(c.Nodes)-1] }
func (c *Chain) Dest6() string     { return c.Addr6[len(c.Nodes)-1] }

// ProcessNS starts `unshare --net sleep 60`, a namespace that only a
// process holds (as a container's does), waits until the process is in it
// and returns its PID. The process is killed when the test ends.
func ProcessNS(t testing.TB) int {
	t.Helper()
	RequireRoot(t)
	cmd := exec.Command("unshare", "--net", "sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start unshare: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	self, err := nsexec.Identify(nsexec.Target{})
	if err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		id, err := nsexec.Identify(nsexec.Target{Kind: nsexec.PID, Process: pid})
		comm, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
		if err == nil && id != self && string(comm) == "sleep\n" {
			return pid
		}
	}
	t.Fatalf("unshare --net sleep (pid %d) never reached its own namespace", pid)
	return 0
}

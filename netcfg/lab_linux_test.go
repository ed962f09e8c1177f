package netcfg_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
)

// loadLab reads a lab file with its namespaces renamed to be unique to
// this test, and makes sure LabDown runs when the test ends.
func loadLab(t *testing.T, file string) *netcfg.Lab {
	t.Helper()
	netnstest.RequireRoot(t)
	l, err := netcfg.LoadLab("../testdata/labs/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.WithPrefix(netnstest.Prefix + netnstest.Suffix(6) + "-"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := netcfg.LabDown(l, nil); err != nil {
			t.Errorf("lab down: %v", err)
		}
	})
	return l
}

// peerPing runs iputils ping inside ns, as `ip netns exec NS ping` does.
func peerPing(t *testing.T, ns, addr string) {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "ping", "-c1", "-W2", addr).CombinedOutput()
	if err != nil {
		t.Errorf("ping %s from %s: %v\n%s", addr, ns, err, out)
	}
}

func nsExists(t *testing.T, name string) bool {
	t.Helper()
	names, err := nsexec.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// TestIntegrationLabExample is the example: up, ping h2 from h1
// through r1 over IPv4 and IPv6 with the peer ping, down, nothing left.
func TestIntegrationLabExample(t *testing.T) {
	l := loadLab(t, "example.yaml")
	if err := netcfg.LabUp(context.Background(), l, nil); err != nil {
		t.Fatal(err)
	}
	h1 := l.Nodes[0].Name
	for _, a := range []string{"10.0.2.1", "fd00:2::1", "10.0.1.254", "fd00:1::fe"} {
		peerPing(t, h1, a)
	}
	// A device made by the lab, to look for after down.
	r1 := l.Node(l.Nodes[1].Name)
	links, err := netcfg.Links(r1.Target())
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 3 {
		t.Fatalf("r1 has %d devices, want lo and two veth ends: %+v", len(links), links)
	}
	if v, _ := netcfg.Sysctl(r1.Target(), "net.ipv6.conf.all.forwarding"); v != "1" {
		t.Errorf("r1 IPv6 forwarding = %q", v)
	}
	var removed []string
	if err := netcfg.LabDown(l, func(ns string) { removed = append(removed, ns) }); err != nil {
		t.Fatal(err)
	}
	if len(removed) != 3 {
		t.Errorf("down removed %v, want all three namespaces", removed)
	}
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		t.Fatal(err)
	}
	prefix := strings.TrimSuffix(h1, "h1")
	if strings.Contains(string(out), prefix) {
		t.Errorf("ip netns list still shows the lab:\n%s", out)
	}
	// Down again is a no-op, not an error.
	if err := netcfg.LabDown(l, nil); err != nil {
		t.Errorf("second down: %v", err)
	}
}

// TestIntegrationLabBridge: three hosts on one bridge reach each other and
// the address on the bridge; the MTU of a link is applied to both ends.
func TestIntegrationLabBridge(t *testing.T) {
	l := loadLab(t, "bridge.yaml")
	if err := netcfg.LabUp(context.Background(), l, nil); err != nil {
		t.Fatal(err)
	}
	a := l.Nodes[1].Name
	for _, addr := range []string{"10.0.9.2", "10.0.9.3", "10.0.9.254", "fd00:9::3", "fd00:9::fe"} {
		peerPing(t, a, addr)
	}
	links, err := netcfg.Links(l.Nodes[0].Target())
	if err != nil {
		t.Fatal(err)
	}
	for _, lk := range links {
		if strings.HasPrefix(lk.Name, "sw-p") && lk.Master != "br0" {
			t.Errorf("%s master %q, want br0", lk.Name, lk.Master)
		}
		if lk.Name == "sw-p3" && lk.MTU != 1400 {
			t.Errorf("sw-p3 mtu %d, want 1400", lk.MTU)
		}
	}
}

// TestIntegrationLabRollback: a lab whose last step fails (a gateway on no
// connected network) leaves nothing behind, and a namespace that existed
// before is kept, without the lab's devices.
func TestIntegrationLabRollback(t *testing.T) {
	keep := netnstest.NewNS(t, "keep")
	y := `
nodes:
  ` + keep.Name + `:
    forward: true
    interfaces: {lo: [10.9.9.9/32]}
  other:
    interfaces: {o-eth0: [10.0.0.2/24]}
    routes: ["10.8.0.0/16 via 10.7.0.1"]
links: [[` + keep.Name + `:k-eth0, other:o-eth0]]
`
	l, err := netcfg.ParseLab("rollback.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	other := netnstest.Prefix + "rb-" + netnstest.Suffix(6)
	l.Node("other").Name = other
	l.Links[0].B.Node = other
	t.Cleanup(func() { nsexec.Delete(other) })

	var steps int
	err = netcfg.LabUp(context.Background(), l, func(netcfg.LabStep) { steps++ })
	if err == nil || !strings.Contains(err.Error(), "route add -n "+other) || !strings.Contains(err.Error(), "not on a connected network") {
		t.Fatalf("up = %v, want the failing route step named", err)
	}
	if steps != len(l.Plan()) {
		t.Errorf("ran %d of %d steps", steps, len(l.Plan()))
	}
	if nsExists(t, other) {
		t.Errorf("rollback left namespace %s", other)
	}
	if !nsExists(t, keep.Name) {
		t.Fatalf("rollback removed the namespace %s that existed before", keep.Name)
	}
	links, err := netcfg.Links(keep)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 {
		t.Errorf("kept namespace has %+v, want lo only", links)
	}
	for _, a := range links[0].Addrs {
		if a.IP.String() == "10.9.9.9" {
			t.Errorf("rollback left the lab's address %s on lo", a)
		}
	}
	for key, want := range map[string]string{"net.ipv4.ip_forward": "0", "net.ipv6.conf.default.accept_dad": "1"} {
		if v, _ := netcfg.Sysctl(keep, key); v != want {
			t.Errorf("%s left at %q after rollback, want %s", key, v, want)
		}
	}
}

// TestIntegrationLabInterrupted: a cancelled context takes back what was
// built; LabDown after a partial up (here: a smaller lab built from the
// first node and link only) removes what is there.
func TestIntegrationLabInterrupted(t *testing.T) {
	l := loadLab(t, "example.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := netcfg.LabUp(ctx, l, func(netcfg.LabStep) {
		if n++; n == 10 {
			cancel()
		}
	})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("up = %v, want interrupted", err)
	}
	for _, node := range l.Nodes {
		if nsExists(t, node.Name) {
			t.Errorf("interrupted up left %s", node.Name)
		}
	}

	// The part: h1 and r1 with only the link between them.
	h1, r1 := *l.Nodes[0], *l.Nodes[1]
	r1.Interfaces = r1.Interfaces[:1]
	part := netcfg.Lab{File: "part", Nodes: []*netcfg.LabNode{&h1, &r1}, Links: l.Links[:1]}
	if err := netcfg.LabUp(context.Background(), &part, nil); err != nil {
		t.Fatal(err)
	}
	if err := netcfg.LabDown(l, nil); err != nil {
		t.Fatal(err)
	}
	for _, node := range l.Nodes {
		if nsExists(t, node.Name) {
			t.Errorf("down after partial up left %s", node.Name)
		}
	}
}

// TestIntegrationLabExistingDevice: bringing up a lab twice fails on the
// first device that exists and leaves the running lab as it was.
func TestIntegrationLabExistingDevice(t *testing.T) {
	l := loadLab(t, "example.yaml")
	if err := netcfg.LabUp(context.Background(), l, nil); err != nil {
		t.Fatal(err)
	}
	err := netcfg.LabUp(context.Background(), l, nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second up = %v, want device already exists", err)
	}
	peerPing(t, l.Nodes[0].Name, "fd00:2::1")
	if errors.Is(err, nsexec.ErrExists) {
		t.Errorf("existing namespaces must be reused, not refused: %v", err)
	}
}

package netcfg_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/netcfg"
)

func TestParseLabExample(t *testing.T) {
	l, err := netcfg.LoadLab("../testdata/labs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range l.Nodes {
		names = append(names, n.Name)
	}
	if !reflect.DeepEqual(names, []string{"h1", "r1", "h2"}) {
		t.Fatalf("nodes %v, want file order h1 r1 h2", names)
	}
	r1 := l.Node("r1")
	if !r1.Forward || l.Node("h1").Forward {
		t.Errorf("forward: r1 %v h1 %v", r1.Forward, l.Node("h1").Forward)
	}
	if got := r1.Addrs("r1-eth1"); !reflect.DeepEqual(got, []string{"10.0.2.254/24", "fd00:2::fe/64"}) {
		t.Errorf("r1-eth1 addresses %v", got)
	}
	want := []netcfg.LabLink{
		{A: netcfg.LabEnd{Node: "h1", Dev: "h1-eth0"}, B: netcfg.LabEnd{Node: "r1", Dev: "r1-eth0"}},
		{A: netcfg.LabEnd{Node: "r1", Dev: "r1-eth1"}, B: netcfg.LabEnd{Node: "h2", Dev: "h2-eth0"}},
	}
	if !reflect.DeepEqual(l.Links, want) {
		t.Errorf("links %+v", l.Links)
	}
	if got := l.Node("h2").Routes; len(got) != 2 || got[1].String() != "default via fd00:2::fe" {
		t.Errorf("h2 routes %v", got)
	}
	if err := l.WithPrefix("x-"); err != nil {
		t.Fatal(err)
	}
	if l.Node("x-h1") == nil || l.Links[0].A.Node != "x-h1" {
		t.Errorf("WithPrefix did not rename nodes and link ends: %+v", l.Links[0])
	}
}

// TestPlanExample pins the order of LabUp's steps and their spelling as
// nsdiag commands (what `nsdiag lab show` prints).
func TestPlanExample(t *testing.T) {
	l, err := netcfg.LoadLab("../testdata/labs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range l.Plan() {
		got = append(got, s.Cmd)
	}
	want := strings.Split(strings.TrimSpace(`
nsdiag ns add h1
nsdiag link set -n h1 lo up
nsdiag exec -n h1 -- sysctl -qw net.ipv6.conf.default.accept_dad=0
nsdiag ns add r1
nsdiag link set -n r1 lo up
nsdiag exec -n r1 -- sysctl -qw net.ipv6.conf.default.accept_dad=0
nsdiag exec -n r1 -- sysctl -qw net.ipv4.ip_forward=1
nsdiag exec -n r1 -- sysctl -qw net.ipv6.conf.all.forwarding=1
nsdiag ns add h2
nsdiag link set -n h2 lo up
nsdiag exec -n h2 -- sysctl -qw net.ipv6.conf.default.accept_dad=0
nsdiag veth add h1-eth0 r1-eth0 --netns h1 --peer-netns r1
nsdiag veth add r1-eth1 h2-eth0 --netns r1 --peer-netns h2
nsdiag addr add -n h1 10.0.1.1/24 dev h1-eth0
nsdiag addr add -n h1 fd00:1::1/64 dev h1-eth0
nsdiag addr add -n r1 10.0.1.254/24 dev r1-eth0
nsdiag addr add -n r1 fd00:1::fe/64 dev r1-eth0
nsdiag addr add -n r1 10.0.2.254/24 dev r1-eth1
nsdiag addr add -n r1 fd00:2::fe/64 dev r1-eth1
nsdiag addr add -n h2 10.0.2.1/24 dev h2-eth0
nsdiag addr add -n h2 fd00:2::1/64 dev h2-eth0
nsdiag link set -n h1 h1-eth0 up
nsdiag link set -n r1 r1-eth0 up
nsdiag link set -n r1 r1-eth1 up
nsdiag link set -n h2 h2-eth0 up
# wait until every device is up and every address usable
nsdiag route add -n h1 default via 10.0.1.254
nsdiag route add -n h1 default via fd00:1::fe
nsdiag route add -n h2 default via 10.0.2.254
nsdiag route add -n h2 default via fd00:2::fe`), "\n")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseLabFiles(t *testing.T) {
	for _, f := range []string{"bridge.yaml", "bench-chain.yaml"} {
		if _, err := netcfg.LoadLab("../testdata/labs/" + f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestParseLabErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       string // FILE:LINE:COL: message fragment
	}{
		{"empty", "", "lab.yaml: empty lab file"},
		{"syntax", "nodes:\n  h1: [\n", "lab.yaml:2: bad YAML"},
		{"unknown section", "nodes: {h1: {}}\nlinkz: []\n", "lab.yaml:2:1: unknown section \"linkz\""},
		{"no nodes", "links: []\n", "no nodes: section"},
		{"nodes empty", "nodes: {}\n", "lab.yaml:1:8: nodes: is empty"},
		{"node not mapping", "nodes:\n  h1: [a]\n", "lab.yaml:2:7: node h1 must be a mapping"},
		{"duplicate node", "nodes:\n  h1: {}\n  h1: {}\n", "lab.yaml:3:3: \"h1\" appears twice in nodes (first at line 2)"},
		{"bad node name", "nodes:\n  a/b: {}\n", "lab.yaml:2:3: node bad network namespace name"},
		{"unknown node key", "nodes:\n  h1: {forwrd: true}\n", "lab.yaml:2:8: node h1: unknown key \"forwrd\""},
		{"forward not bool", "nodes:\n  h1: {forward: yes please}\n", "lab.yaml:2:17: node h1: forward must be true or false"},
		{"long ifname", "nodes:\n  h1:\n    interfaces:\n      this-name-is-too-long: [10.0.0.1/24]\n", "lab.yaml:4:7: node h1: interface name \"this-name-is-too-long\" is 21 bytes; Linux allows at most 15"},
		{"bad cidr", "nodes:\n  h1:\n    interfaces:\n      lo: [10.0.0.1/24, 10.0.0.300/24]\n", "lab.yaml:4:25: node h1, lo: bad address \"10.0.0.300/24\""},
		{"no prefix", "nodes:\n  h1:\n    interfaces:\n      lo: [10.0.0.1]\n", "lab.yaml:4:12: node h1, lo: bad address \"10.0.0.1\": want ADDRESS/PREFIXLEN"},
		{"dup addr", "nodes:\n  h1:\n    interfaces:\n      lo: [10.0.0.1/8, 10.0.0.1/8]\n", "lab.yaml:4:24: node h1, lo: address 10.0.0.1/8 is listed twice"},
		{"bad route", "nodes:\n  h1:\n    routes: [\"default va 10.0.0.1\"]\n", "lab.yaml:3:14: node h1: unknown route word \"va\""},
		{"bad gateway", "nodes:\n  h1:\n    routes: [\"default via 10.0.0\"]\n", "lab.yaml:3:14: node h1: bad gateway \"10.0.0\""},
		{"route dev unknown", "nodes:\n  h1:\n    routes: [\"10.9.0.0/16 dev eth7\"]\n", "lab.yaml:3:14: node h1: route 10.9.0.0/16 dev eth7 uses device eth7"},
		{"iface not on link", "nodes:\n  h1:\n    interfaces: {eth0: [10.0.0.1/24]}\n", "lab.yaml:3:18: node h1: interface eth0 is not a link end"},
		{"link end unknown node", "nodes: {h1: {}}\nlinks:\n  - [h1:a, h9:b]\n", "lab.yaml:3:12: link end \"h9:b\" names node \"h9\""},
		{"link end no colon", "nodes: {h1: {}}\nlinks:\n  - [h1-a, h1:b]\n", "lab.yaml:3:6: link end \"h1-a\" must be node:device"},
		{"link three ends", "nodes: {h1: {}}\nlinks:\n  - [h1:a, h1:b, h1:c]\n", "lab.yaml:3:5: a link joins exactly two ends"},
		{"link end twice", "nodes: {h1: {}, h2: {}}\nlinks:\n  - [h1:a, h2:a]\n  - [h1:a, h2:b]\n", "lab.yaml:4:6: device a of node h1 is already a link end at line 3"},
		{"link end long", "nodes: {h1: {}, h2: {}}\nlinks:\n  - [h1:abcdefghijklmnop, h2:a]\n", "lab.yaml:3:6: link end \"h1:abcdefghijklmnop\": interface name"},
		{"link lo", "nodes: {h1: {}, h2: {}}\nlinks:\n  - [h1:lo, h2:a]\n", "lo is the loopback device"},
		{"link mtu", "nodes: {h1: {}, h2: {}}\nlinks:\n  - {ends: [h1:a, h2:a], mtu: 10}\n", "lab.yaml:3:31: link mtu must be a number from 68 to 65535"},
		{"link no ends", "nodes: {h1: {}, h2: {}}\nlinks:\n  - {mtu: 1400}\n", "lab.yaml:3:5: link has no ends"},
		{"links not list", "nodes: {h1: {}}\nlinks: {a: b}\n", "lab.yaml:2:8: links: must be a list"},
		{"bridge port unknown", "nodes:\n  h1:\n    bridges: {br0: [p1]}\n", "lab.yaml:3:15: node h1: bridge br0 port p1 is not a link end"},
		{"bridge twice", "nodes:\n  h1:\n    bridges: {br0: [p1], br1: [p1]}\n  h2: {}\nlinks: [[h1:p1, h2:a]]\n", "node h1: p1 is a port of both br0 and br1"},
		{"sysctl not net", "nodes:\n  h1:\n    sysctls: {kernel.panic: 1}\n", "lab.yaml:3:15: node h1: bad sysctl \"kernel.panic\""},
		{"sysctl no value", "nodes:\n  h1:\n    sysctls: {net.ipv4.ip_forward: [1]}\n", "lab.yaml:3:36: node h1: sysctl net.ipv4.ip_forward needs a single value"},
		{"bridge is link end", "nodes:\n  h1:\n    bridges: {p1: []}\n  h2: {}\nlinks: [[h1:p1, h2:a]]\n", "lab.yaml:3:15: node h1: bridge p1 has the name of a link end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := netcfg.ParseLab("lab.yaml", []byte(c.yaml))
			var le *netcfg.LabError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LabError", err)
			}
			if !strings.HasPrefix(err.Error(), c.want) && !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %q\nwant   %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %q is more than one line", err)
			}
		})
	}
}

func TestParseLabOptionalForms(t *testing.T) {
	y := `
base: &addrs ["10.0.0.1/24"]
`
	if _, err := netcfg.ParseLab("x.yaml", []byte(y)); err == nil {
		t.Fatal("unknown top-level key accepted")
	}
	y = `
nodes:
  h1:
    interfaces:
      h1-eth0: 10.0.0.1/24    # a lone address
      lo:                     # no addresses
  h2:
links: [[h1:h1-eth0, h2:h2-eth0]]
`
	l, err := netcfg.ParseLab("x.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Node("h1").Addrs("h1-eth0"); !reflect.DeepEqual(got, []string{"10.0.0.1/24"}) {
		t.Fatalf("lone address read as %v", got)
	}
}

func FuzzParseLab(f *testing.F) {
	for _, name := range []string{"example.yaml", "bridge.yaml", "bench-chain.yaml"} {
		b, err := os.ReadFile("../testdata/labs/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("nodes: {a: {routes: [default]}}\nlinks: [[a:x, a:y]]"))
	f.Add([]byte("nodes: &a {b: *a}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := netcfg.ParseLab("f.yaml", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, lk := range l.Links {
			if l.Node(lk.A.Node) == nil || l.Node(lk.B.Node) == nil {
				t.Fatalf("link %v names a missing node", lk)
			}
		}
		_ = l.Plan()
	})
}

func TestPlanSysctls(t *testing.T) {
	y := `
nodes:
  r:
    sysctls:
      net.ipv4.icmp_ratelimit: 0
      net.ipv4.conf.r-eth0.rp_filter: 2
  h: {}
links: [[r:r-eth0, h:h-eth0]]
`
	l, err := netcfg.ParseLab("s.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, s := range l.Plan() {
		cmds = append(cmds, s.Cmd)
	}
	plan := strings.Join(cmds, "\n")
	veth := strings.Index(plan, "nsdiag veth add r-eth0")
	rp := strings.Index(plan, "nsdiag exec -n r -- sysctl -qw net.ipv4.conf.r-eth0.rp_filter=2")
	if veth < 0 || rp < veth || !strings.Contains(plan, "sysctl -qw net.ipv4.icmp_ratelimit=0") {
		t.Fatalf("sysctls missing or before the devices exist:\n%s", plan)
	}
}

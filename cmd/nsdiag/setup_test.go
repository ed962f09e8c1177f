package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationSeedTutorial does the seed tutorial with nsdiag alone:
// two namespaces, a veth pair made in the current namespace and moved,
// addresses, links up; the namespaces then ping each other (peer ping).
func TestIntegrationSeedTutorial(t *testing.T) {
	netnstest.RequireRoot(t)
	ns1, ns2 := uniqueName("s1"), uniqueName("s2")
	// Host-side names the leak check knows (nsdt...), at most 15 bytes.
	a, b := "nsdt"+netnstest.Suffix(8), "nsdt"+netnstest.Suffix(8)
	delNSAtEnd(t, ns1, ns2)
	t.Cleanup(func() { exec.Command("ip", "link", "del", a).Run() })

	ok(t, "ns", "add", ns1, ns2)
	ok(t, "veth", "add", a, b)
	ok(t, "link", "set", a, "netns", ns1)
	ok(t, "link", "set", b, "netns", ns2)
	ok(t, "addr", "add", "-n", ns1, "10.0.0.1/24", "dev", a)
	ok(t, "addr", "add", "-n", ns2, "10.0.0.2/24", "dev", b)
	ok(t, "addr", "add", "fd00::1/64", "dev", a, "-n", ns1) // options after arguments
	ok(t, "addr", "add", "-n", ns2, "fd00::2/64", "dev", b)
	ok(t, "link", "set", "-n", ns1, a, "up")
	ok(t, "link", "set", "-n", ns2, b, "up")
	peerPing(t, ns1, "10.0.0.2")
	peerPing(t, ns2, "10.0.0.1")
	peerPing(t, ns1, "fd00::2")

	// ip sees what nsdiag made.
	if out, _ := exec.Command("ip", "netns", "list").Output(); !strings.Contains(string(out), ns1) {
		t.Errorf("ip netns list lacks %s:\n%s", ns1, out)
	}
	if out, _ := exec.Command("ip", "-n", ns1, "-br", "addr", "show", a).Output(); !strings.Contains(string(out), "10.0.0.1/24") {
		t.Errorf("ip -n %s addr: %s", ns1, out)
	}

	list := ok(t, "ns", "list")
	block := list[strings.Index(list, ns1):]
	if !strings.Contains(block, a) || !strings.Contains(block, "UP") || !strings.Contains(block, "10.0.0.1/24") || !strings.Contains(block, "fd00::1/64") {
		t.Errorf("ns list does not show %s with %s UP and its addresses:\n%s", ns1, a, list)
	}
	var entries []struct {
		Names      []string `json:"names"`
		Interfaces []struct {
			Name      string   `json:"name"`
			State     string   `json:"state"`
			Addresses []string `json:"addresses"`
		} `json:"interfaces"`
	}
	if err := json.Unmarshal([]byte(ok(t, "ns", "list", "--json")), &entries); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		for _, i := range e.Interfaces {
			if len(e.Names) > 0 && e.Names[0] == ns2 && i.Name == b && i.State == "UP" && strings.Join(i.Addresses, " ") != "" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("ns list --json lacks %s with %s", ns2, b)
	}

	if out := ok(t, "link", "list", "-n", ns1); !strings.Contains(out, a) || !strings.Contains(out, "veth") {
		t.Errorf("link list: %s", out)
	}
	if out := ok(t, "addr", "list", "-n", ns2, b); !strings.HasPrefix(out, b) || !strings.Contains(out, "10.0.0.2/24 fd00::2/64") {
		t.Errorf("addr list: %s", out)
	}
	ok(t, "route", "add", "-n", ns1, "10.9.0.0/16", "via", "10.0.0.2")
	ok(t, "route", "add", "-n", ns1, "default", "via", "fd00::2", "dev", a)
	routes := ok(t, "route", "list", "-n", ns1)
	for _, want := range []string{
		"10.0.0.0/24 dev " + a + " proto kernel scope link src 10.0.0.1\n",
		"10.9.0.0/16 via 10.0.0.2 dev " + a + "\n",
		"default via fd00::2 dev " + a + " metric 1024\n",
	} {
		if !strings.Contains(routes, want) {
			t.Errorf("route list lacks %q:\n%s", want, routes)
		}
	}
	// The same lines ip prints, less the IPv6 "pref medium".
	ipOut, _ := exec.Command("ip", "-n", ns1, "route").Output()
	for _, line := range strings.Split(strings.TrimSpace(string(ipOut)), "\n") {
		if !strings.Contains(routes, strings.TrimSpace(line)+"\n") {
			t.Errorf("route list:\n%s\nlacks ip route's line %q", routes, line)
		}
	}
	ok(t, "route", "del", "-n", ns1, "10.9.0.0/16", "via", "10.0.0.2")
	ok(t, "addr", "del", "-n", ns1, "10.0.0.1/24", "dev", a)
	ok(t, "link", "set", "-n", ns1, a, "down", "mtu", "1400")
	if out := ok(t, "link", "list", "-n", ns1, "--json"); !strings.Contains(out, `"mtu": 1400`) || !strings.Contains(out, `"up": false`) {
		t.Errorf("link list --json after down mtu 1400: %s", out)
	}
	ok(t, "link", "del", "-n", ns1, a)
	ok(t, "ns", "del", ns1, ns2)
	if out, _ := exec.Command("ip", "netns", "list").Output(); strings.Contains(string(out), ns1) || strings.Contains(string(out), ns2) {
		t.Errorf("ns del left: %s", out)
	}
}

// TestIntegrationBridgeCommands: link add type bridge and link set master.
func TestIntegrationBridgeCommands(t *testing.T) {
	sw := netnstest.NewNS(t, "sw")
	h := netnstest.NewNS(t, "h")
	p, hp := netnstest.Veth(t, sw, h)
	ok(t, "link", "add", "-n", sw.Name, "br0", "type", "bridge")
	ok(t, "link", "set", "-n", sw.Name, p, "master", "br0")
	ok(t, "link", "set", "-n", sw.Name, "br0", "up")
	ok(t, "addr", "add", "-n", sw.Name, "10.0.5.1/24", "dev", "br0")
	ok(t, "addr", "add", "-n", h.Name, "10.0.5.2/24", "dev", hp)
	if out := ok(t, "link", "list", "-n", sw.Name); !strings.Contains(out, "master br0") || !strings.Contains(out, "bridge") {
		t.Errorf("link list: %s", out)
	}
	peerPing(t, h.Name, "10.0.5.1")
	ok(t, "link", "set", "-n", sw.Name, p, "nomaster")
	if out := ok(t, "link", "list", "-n", sw.Name); strings.Contains(out, "master br0") {
		t.Errorf("nomaster left: %s", out)
	}
}

// TestIntegrationExec: exec sees the namespace's /etc/netns files, its own
// /sys, keeps the command's options and exit status, and changes nothing
// outside.
func TestIntegrationExec(t *testing.T) {
	ns := netnstest.NewNS(t, "ex")
	etc := filepath.Join("/etc/netns", ns.Name)
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(etc) })
	const resolv = "nameserver 10.53.0.1\nsearch lab.test\n"
	if err := os.WriteFile(filepath.Join(etc, "resolv.conf"), []byte(resolv), 0o644); err != nil {
		t.Fatal(err)
	}
	hostResolv, _ := os.ReadFile("/etc/resolv.conf")

	if got := ok(t, "exec", "-n", ns.Name, "--", "cat", "/etc/resolv.conf"); got != resolv {
		t.Errorf("exec cat /etc/resolv.conf = %q, want the namespace's %q", got, resolv)
	}
	// The same as ip netns exec shows.
	if peer, _ := exec.Command("ip", "netns", "exec", ns.Name, "cat", "/etc/resolv.conf").Output(); string(peer) != resolv {
		t.Errorf("ip netns exec shows %q", peer)
	}
	if got := ok(t, "exec", "-n", ns.Name, "ls", "/sys/class/net"); got != "lo\n" {
		t.Errorf("/sys/class/net inside = %q, want only lo", got)
	}
	// Options after the command name are the command's.
	if got := ok(t, "exec", "-n", ns.Name, "cat", "-n", "/etc/resolv.conf"); !strings.Contains(got, "1\tnameserver 10.53.0.1") {
		t.Errorf("exec cat -n: %q", got)
	}
	if got := ok(t, "exec", "-n", ns.Name, "--", "ip", "-br", "link"); !strings.HasPrefix(got, "lo ") {
		t.Errorf("exec ip -br link: %q", got)
	}
	if r := nsdiag(t, "exec", "-n", ns.Name, "--", "sh", "-c", "echo out; echo err >&2; exit 7"); r.code != 7 || r.stdout != "out\n" || r.stderr != "err\n" {
		t.Errorf("exit status: %+v, want 7 with the command's own output", r)
	}
	if after, _ := os.ReadFile("/etc/resolv.conf"); string(after) != string(hostResolv) {
		t.Error("the host's /etc/resolv.conf changed")
	}
	if mi, _ := os.ReadFile("/proc/self/mountinfo"); strings.Contains(string(mi), etc) {
		t.Error("a bind mount from exec leaked into the host's mount namespace")
	}
}

// TestIntegrationLabCommands: the example lab through the command
// line: show, up, the peer ping through r1 on IPv4 and IPv6, down, nothing
// left in ip netns list or ip link.
func TestIntegrationLabCommands(t *testing.T) {
	netnstest.RequireRoot(t)
	prefix := netnstest.Prefix + netnstest.Suffix(6) + "-"
	file := "../../testdata/labs/example.yaml"
	delNSAtEnd(t, prefix+"h1", prefix+"r1", prefix+"h2")

	show := ok(t, "lab", "show", "--prefix", prefix, file)
	if !strings.Contains(show, "nsdiag veth add h1-eth0 r1-eth0 --netns "+prefix+"h1 --peer-netns "+prefix+"r1\n") {
		t.Errorf("lab show:\n%s", show)
	}
	up := ok(t, "lab", "up", file, "--prefix", prefix, "-v")
	if !strings.Contains(up, show[strings.Index(show, "\n")+1:]) || !strings.Contains(up, "is up") {
		t.Errorf("lab up -v does not print the steps lab show prints:\n%s", up)
	}
	for _, a := range []string{"10.0.2.1", "fd00:2::1"} {
		peerPing(t, prefix+"h1", a)
	}
	// The second copy of a lab needs another prefix: same names fail and
	// leave the first one working.
	if r := nsdiag(t, "lab", "up", "--prefix", prefix, file); r.code == 0 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("second up: %+v", r)
	}
	peerPing(t, prefix+"h1", "fd00:2::1")
	down := ok(t, "lab", "down", "--prefix", prefix, file)
	if !strings.Contains(down, "removed "+prefix+"h2, "+prefix+"r1, "+prefix+"h1") {
		t.Errorf("lab down: %s", down)
	}
	netns, _ := exec.Command("ip", "netns", "list").Output()
	links, _ := exec.Command("ip", "-o", "link").Output()
	if strings.Contains(string(netns), prefix) || strings.Contains(string(links), "h1-eth0") && strings.Contains(string(links), "r1-eth0") {
		t.Errorf("lab down left something:\n%s\n%s", netns, links)
	}
	if out := ok(t, "lab", "down", "--prefix", prefix, file); !strings.Contains(out, "nothing to remove") {
		t.Errorf("second down: %s", out)
	}
}

// TestIntegrationLabShowScript runs what lab show prints as a shell
// script: the nsdiag commands alone build a lab that works like lab up's,
// and lab down removes it.
func TestIntegrationLabShowScript(t *testing.T) {
	netnstest.RequireRoot(t)
	prefix := netnstest.Prefix + netnstest.Suffix(6) + "-"
	file := "../../testdata/labs/example.yaml"
	delNSAtEnd(t, prefix+"h1", prefix+"r1", prefix+"h2")
	script := ok(t, "lab", "show", "--prefix", prefix, file)
	sh := exec.Command("sh", "-e")
	sh.Stdin = strings.NewReader(script)
	sh.Env = append(os.Environ(), "PATH="+nsdiagInPath(t)+":"+os.Getenv("PATH"))
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("lab show script: %v\n%s", err, out)
	}
	for _, a := range []string{"10.0.2.1", "fd00:2::1"} {
		peerPing(t, prefix+"h1", a)
	}
	if out := ok(t, "lab", "down", "--prefix", prefix, file); !strings.Contains(out, "removed") {
		t.Errorf("lab down: %s", out)
	}
}

// TestIntegrationDemo: the demo builds its lab, lists it, and takes it down
// when done and when interrupted.
func TestIntegrationDemo(t *testing.T) {
	netnstest.RequireRoot(t)
	prefix := netnstest.Prefix + netnstest.Suffix(6) + "-"
	names := []string{prefix + "nsdemo-h1", prefix + "nsdemo-r1", prefix + "nsdemo-h2"}
	delNSAtEnd(t, names...)
	gone := func() {
		t.Helper()
		out, _ := exec.Command("ip", "netns", "list").Output()
		if strings.Contains(string(out), prefix) {
			t.Errorf("demo left namespaces: %s", out)
		}
	}

	out := ok(t, "lab", "demo", "--prefix", prefix)
	for _, want := range []string{"== nsdiag ns list", names[0] + "  inode:", "10.0.1.1/24 fd00:1::1/64", "is down: removed"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	gone()

	cmd := helperCmd(t, "lab", "demo", "--prefix", prefix)
	cmd.Env = append(cmd.Env, blockEnv+"=1")
	r := interrupt(t, cmd, "== test: wait for Ctrl-C")
	if r.code != 130 || !strings.Contains(r.stdout, "is down: removed") || !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("interrupted demo: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gone()

	// A namespace of the demo's that exists already stops it before it
	// builds anything, and is left alone.
	ok(t, "ns", "add", names[1])
	if r := nsdiag(t, "lab", "demo", "--prefix", prefix); r.code == 0 || !strings.Contains(r.stderr, "exists already") {
		t.Errorf("demo over an existing namespace: %+v", r)
	}
	ok(t, "ns", "del", names[1])
	gone()
}

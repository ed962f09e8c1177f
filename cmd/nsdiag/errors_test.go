package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationUserErrors tries each mistake a new user makes with the
// setup commands: one line on stderr that names the problem, a non-zero
// exit, and nothing changed.
func TestIntegrationUserErrors(t *testing.T) {
	ns := netnstest.NewNS(t, "err")
	other := netnstest.NewNS(t, "err2")
	dev, _ := netnstest.Veth(t, ns, other)
	missing := uniqueName("missing")
	prefix := netnstest.Prefix + netnstest.Suffix(6) + "-"
	dir := t.TempDir()
	writeFile := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badYAML := writeFile("bad.yaml", "nodes:\n  h1:\n    interfaces:\n      h1-eth0: [10.0.1.1/33]\nlinks: [[h1:h1-eth0, h1:x]]\n")
	failing := writeFile("failing.yaml", "nodes:\n  a: {interfaces: {a-eth0: [10.0.0.1/24]}, routes: [\"10.8.0.0/16 via 10.7.0.1\"]}\n  b: {}\nlinks: [[a:a-eth0, b:b-eth0]]\n")
	delNSAtEnd(t, prefix+"a", prefix+"b")

	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ns", "add", ns.Name}, 1, `network namespace "` + ns.Name + `" already exists`},
		{[]string{"ns", "add", prefix + "a", ns.Name}, 1, "already exists"},
		{[]string{"ns", "add", "a/b"}, 2, "must be a plain file name"},
		{[]string{"ns", "add"}, 2, "missing namespace name"},
		{[]string{"ns", "del", missing}, 1, `network namespace "` + missing + `" not found; see nsdiag ns list`},
		{[]string{"veth", "add", "this-is-too-long0", "b", "--netns", ns.Name}, 2, `interface name "this-is-too-long0" is 17 bytes; Linux allows at most 15`},
		{[]string{"veth", "add", dev, "x" + netnstest.Suffix(6), "-n", ns.Name}, 1, "already exists in netns"},
		{[]string{"veth", "add", "a"}, 2, "want two names"},
		{[]string{"addr", "add", "-n", ns.Name, "10.0.0.300/24", "dev", dev}, 2, `bad address "10.0.0.300/24"`},
		{[]string{"addr", "add", "-n", ns.Name, "10.0.0.1", "dev", dev}, 2, "want ADDRESS/PREFIXLEN"},
		{[]string{"addr", "add", "-n", ns.Name, "10.0.0.1/24", "dev", "eth9"}, 1, `device "eth9" not found in netns "` + ns.Name + `"; see nsdiag link list -n ` + ns.Name},
		{[]string{"addr", "add", "-n", ns.Name, "10.0.0.1/24", dev}, 2, "want ADDRESS/PREFIX dev DEV"},
		{[]string{"addr", "del", "-n", ns.Name, "10.0.0.1/24", "dev", dev}, 1, "is not on"},
		{[]string{"link", "set", "-n", ns.Name, "eth9", "up"}, 1, `device "eth9" not found`},
		{[]string{"link", "set", "-n", ns.Name, dev, "mtu", "10"}, 2, "bad MTU"},
		{[]string{"link", "set", "-n", ns.Name, dev, "upp"}, 2, `unknown word "upp"`},
		{[]string{"link", "set", "-n", ns.Name, dev, "netns", missing}, 1, "not found; see nsdiag ns list"},
		{[]string{"route", "add", "-n", ns.Name, "default", "via", "10.9.9.9"}, 1, "not on a connected network"},
		{[]string{"route", "add", "-n", ns.Name, "default", "via", "10.9.9"}, 1, `bad gateway "10.9.9"`},
		{[]string{"route", "add", "-n", ns.Name, "default"}, 2, "a route needs a gateway or a device"},
		{[]string{"route", "del", "-n", ns.Name, "10.5.0.0/16", "dev", "lo"}, 1, "no route"},
		{[]string{"link", "list", "-n", missing}, 1, `network namespace "` + missing + `" not found; see nsdiag ns list`},
		{[]string{"link", "list", "-n", "pid:999999999"}, 1, "no process with PID 999999999"},
		{[]string{"addr", "list", "-n", "/etc/hostname"}, 1, "is not a network namespace"},
		{[]string{"exec", "-n", ns.Name}, 2, "missing command"},
		{[]string{"exec", "--", "true"}, 2, "exec needs -n NETNS"},
		{[]string{"exec", "-n", ns.Name, "--", "no-such-command-x"}, 127, "command not found"},
		{[]string{"exec", "-n", missing, "--", "true"}, 125, "not found; see nsdiag ns list"},
		{[]string{"lab", "up", badYAML}, 2, badYAML + ":4:17: node h1, h1-eth0: bad address"},
		{[]string{"lab", "up", filepath.Join(dir, "none.yaml")}, 2, "no such file"},
		{[]string{"lab", "up", "--prefix", prefix, failing}, 1, "route add -n " + prefix + "a 10.8.0.0/16 via 10.7.0.1: gateway 10.7.0.1 is not on a connected network"},
		{[]string{"lab", "up", "--prefix", "x/", failing}, 2, `namespace prefix "x/"`},
	}
	before := hostState(t, ns.Name, other.Name, prefix)
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := nsdiag(t, c.args...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, c.code, r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, c.want)
			}
			if c.want != "" && strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", r.stderr)
			}
		})
	}
	if after := hostState(t, ns.Name, other.Name, prefix); after != before {
		t.Errorf("the failed commands changed something:\nbefore %s\nafter  %s", before, after)
	}
}

// hostState sums up what the error cases could have left behind: the
// namespaces of this test (by their prefixes), with their devices and
// addresses, and the host's nsdt devices. Link-local addresses and states
// are left out: they change on their own for a moment after a link is up.
func hostState(t *testing.T, prefixes ...string) string {
	t.Helper()
	var parts []string
	out, _ := exec.Command("ip", "netns", "list").Output()
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(line, " ")
		for _, p := range prefixes {
			if name == "" || !strings.HasPrefix(name, p) {
				continue
			}
			parts = append(parts, name)
			addrs, _ := exec.Command("ip", "-n", name, "-o", "addr").Output()
			for _, a := range strings.Split(string(addrs), "\n") {
				if f := strings.Fields(a); len(f) > 3 && !strings.HasPrefix(f[3], "fe80:") {
					parts = append(parts, f[1]+" "+f[3])
				}
			}
		}
	}
	links, _ := exec.Command("ip", "-br", "link").Output()
	for _, line := range strings.Split(string(links), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "nsdt") {
			parts = append(parts, f[0])
		}
	}
	return strings.Join(parts, " | ")
}

// TestIntegrationUnprivileged: without root, each kind of command says
// which capability it needs.
func TestIntegrationUnprivileged(t *testing.T) {
	ns := netnstest.NewNS(t, "priv")
	bin := copyForNobody(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"ns", "add", uniqueName("nobody")}, "needs CAP_SYS_ADMIN"},
		{[]string{"link", "list", "-n", ns.Name}, "CAP_SYS_ADMIN"},
		{[]string{"addr", "add", "10.0.0.1/24", "dev", "lo"}, "needs CAP_NET_ADMIN"},
		{[]string{"exec", "-n", ns.Name, "--", "true"}, "CAP_SYS_ADMIN"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cmd := helperCmd(t, c.args...)
			cmd.Path = bin
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			var errb strings.Builder
			cmd.Stderr = &errb
			err := cmd.Run()
			if err == nil || !strings.Contains(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 1 {
				t.Errorf("as nobody: err %v, stderr %q; want one line with %q", err, errb.String(), c.want)
			}
		})
	}
}

// copyForNobody copies the test binary where user nobody may run it.
func copyForNobody(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "nsdiag-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bin := filepath.Join(dir, "nsdiag.test")
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return bin
}

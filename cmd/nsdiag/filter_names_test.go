package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// TestSniffNamesInNamespace: the names in a filter resolve as tcpdump's do
// under ip netns exec, with the namespace's /etc/netns files (a name the
// host does not know, every address it has, the namespace's services and
// networks), so -d prints the same program.
func TestSniffNamesInNamespace(t *testing.T) {
	requireTcpdump(t)
	ns := netnstest.NewNS(t, "fnames")
	dir := filepath.Join("/etc/netns", ns.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for file, text := range map[string]string{
		"hosts":    "127.0.0.1 localhost\n10.77.0.1 two.lab\n10.77.0.2 two.lab\nfd00::77 two.lab\n10.77.0.9 v4only.lab\n",
		"services": "labsvc 4711/tcp\nlabudp 4712/udp\n",
		"networks": "labnet 10.77\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := [][]string{
		{"-d", "host two.lab"},
		{"-d", "src host two.lab"},
		{"-d", "ip host two.lab"},
		{"-d", "ip6 host two.lab"},
		{"-y", "LINUX_SLL2", "-d", "dst two.lab and port labsvc"},
		{"-d", "net labnet or udp portrange 4000-labudp"},
		{"-d", "host v4only.lab"},
		{"-i", "lo", "-d", "host two.lab or tcp port labsvc"},
	}
	for _, args := range cases {
		r := nsdiag(t, append([]string{"sniff", "-n", ns.Name}, args...)...)
		want, err := exec.Command("ip", append([]string{"netns", "exec", ns.Name, "tcpdump"}, args...)...).Output()
		if err != nil {
			t.Fatalf("ip netns exec %s tcpdump %v: %v", ns.Name, args, err)
		}
		if r.code != 0 || r.stdout != string(want) {
			t.Errorf("sniff -n %s %v: exit %d, stderr %q\n%s\ntcpdump printed\n%s", ns.Name, args, r.code, r.stderr, r.stdout, want)
		}
	}
	// The caller's namespace does not know the names.
	if r := nsdiag(t, "sniff", "-d", "host two.lab"); r.code == 0 {
		t.Errorf("sniff without -n resolved two.lab, the namespace's private name:\n%s", r.stdout)
	}
	for _, expr := range []string{"host nosuch.lab", "ip6 host v4only.lab", "port nosuchsvc", "net nosuchnet"} {
		r := nsdiag(t, "sniff", "-n", ns.Name, "-d", expr)
		out, err := exec.Command("ip", "netns", "exec", ns.Name, "tcpdump", "-d", expr).CombinedOutput()
		if err == nil {
			t.Fatalf("tcpdump -d %s compiled it:\n%s", expr, out)
		}
		_, msg, _ := strings.Cut(strings.TrimSpace(string(out)), "tcpdump: ")
		if r.code != 1 || msg == "" || !strings.Contains(r.stderr, msg) {
			t.Errorf("sniff -d %q: exit %d, stderr %q; want exit 1 and tcpdump's %q", expr, r.code, r.stderr, msg)
		}
	}
}

// TestIntegrationSniffNamesLive: a live capture compiles its filter with
// the namespace's names too (capture.Open, not only -d).
func TestIntegrationSniffNamesLive(t *testing.T) {
	ns := netnstest.NewNS(t, "fnlive")
	dir := filepath.Join("/etc/netns", ns.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "hosts"), []byte("127.0.0.5 loop.lab\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startCapture(t, []string{sniffBin(t), "sniff", "-n", ns.Name, "-i", "lo", "-c", "1", "udp and dst host loop.lab"})
	// The first datagram does not match; the second does.
	err := nsexec.Do(ns, func() error {
		for _, dst := range []string{"127.0.0.1:9", "127.0.0.5:9"} {
			c, err := net.Dial("udp", dst)
			if err != nil {
				return err
			}
			_, err = c.Write([]byte("x"))
			c.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 0 || !strings.Contains(p.stdout.String(), "> 127.0.0.5.9: UDP") {
		t.Errorf("sniff -c 1 'udp and dst host loop.lab': exit %d, printed %q; stderr %s", code, p.stdout.String(), p.stderr.String())
	}
}

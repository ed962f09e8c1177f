package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// pseudoDevice matches a tcpdump -D line for one of libpcap's devices
// that are not network interfaces (nflog, D-Bus, ...): they alone, "any"
// aside, carry a description.
var pseudoDevice = regexp.MustCompile(`^\d+\.(\S+) \(`)

// withoutPseudoDevices drops libpcap's pseudo-devices from tcpdump -D's
// list and numbers the rest again.
func withoutPseudoDevices(list string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(list, "\n"), "\n") {
		if m := pseudoDevice.FindStringSubmatch(l); m != nil && m[1] != "any" {
			continue
		}
		_, rest, _ := strings.Cut(l, ".")
		out = append(out, fmt.Sprintf("%d.%s", len(out)+1, rest))
	}
	return strings.Join(out, "\n") + "\n"
}

// TestIntegrationSniffListInterfaces lists a namespace's interfaces in
// every state tcpdump -D tells apart (up and running with a carrier, up
// without one, down, loopback up and down, "any") and expects tcpdump's
// list and order, less libpcap's pseudo-devices.
func TestIntegrationSniffListInterfaces(t *testing.T) {
	requireTcpdump(t)
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	ipn := func(ns nsexec.Target, args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", append([]string{"-n", ns.Name}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	// A pair whose one end is up: up without carrier, and down.
	ipn(p.A, "link", "add", "lx5", "type", "veth", "peer", "name", "lx1")
	ipn(p.A, "link", "set", "lx5", "up")
	ipn(p.A, "link", "add", "br9", "type", "bridge")
	for _, lo := range []string{"down", "up"} {
		ipn(p.A, "link", "set", "lo", lo)
		ours, err := exec.Command(bin, "sniff", "-n", p.A.Name, "-D").Output()
		if err != nil {
			t.Fatalf("nsdiag: %v", err)
		}
		theirs, err := exec.Command("ip", "netns", "exec", p.A.Name, "tcpdump", "-D").Output()
		if err != nil {
			t.Fatalf("tcpdump: %v", err)
		}
		if want := withoutPseudoDevices(string(theirs)); string(ours) != want {
			t.Errorf("lo %s: nsdiag -D\n%s\ntcpdump -D (less pseudo-devices)\n%s", lo, ours, want)
		}
	}
}

// TestIntegrationSniffListLinkTypes runs -L on an Ethernet device,
// loopback, a tun device (raw IP) and any, beside tcpdump -L: the same
// list on stderr and exit 0; a device that is down or missing is exit 1
// and nothing on stdout, for both.
func TestIntegrationSniffListLinkTypes(t *testing.T) {
	requireTcpdump(t)
	p := netnstest.NewPair(t)
	bin := sniffBin(t)
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"tuntap", "add", "mode", "tun", "name", "tun7"},
		{"link", "set", "tun7", "up"},
		{"link", "add", "br3", "type", "bridge"},
	} {
		if out, err := exec.Command("ip", append([]string{"-n", p.A.Name}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v: %s", args, err, out)
		}
	}
	run := func(argv ...string) cmdResult {
		cmd := exec.Command(argv[0], argv[1:]...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("%v: %v", argv, err)
		}
		return cmdResult{out.String(), errb.String(), cmd.ProcessState.ExitCode()}
	}
	for _, tc := range []struct {
		iface string
		fails bool
	}{{p.DevA, false}, {"lo", false}, {"tun7", false}, {"any", false}, {"br3", true}, {"nosuch0", true}} {
		ours := run(bin, "sniff", "-n", p.A.Name, "-L", "-i", tc.iface)
		theirs := run(nsExec(p.A, "tcpdump", "-L", "-i", tc.iface)...)
		if ours.code != theirs.code || ours.stdout != theirs.stdout || ours.code != map[bool]int{false: 0, true: 1}[tc.fails] {
			t.Errorf("-L -i %s: nsdiag exit %d, stdout %q; tcpdump exit %d, stdout %q", tc.iface, ours.code, ours.stdout, theirs.code, theirs.stdout)
		}
		if !tc.fails && ours.stderr != theirs.stderr {
			t.Errorf("-L -i %s: nsdiag printed\n%s\ntcpdump printed\n%s", tc.iface, ours.stderr, theirs.stderr)
		}
	}
}

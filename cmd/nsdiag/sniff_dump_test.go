package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSniffDumpWithoutInterface: -d with no -i opens no socket and prints
// the program for -y's link type (Ethernet, with tcpdump's warning, when
// there is none), as tcpdump does against a dead handle.
func TestSniffDumpWithoutInterface(t *testing.T) {
	requireTcpdump(t)
	for _, args := range [][]string{
		{"-d", "icmp"},
		{"-y", "LINUX_SLL2", "-d", "icmp or arp"},
		{"-y", "LINUX_SLL", "-dd", "udp port 53"},
		{"-y", "EN10MB", "-ddd", "host 10.0.0.1"},
	} {
		r := nsdiag(t, append([]string{"sniff"}, args...)...)
		want, err := exec.Command("tcpdump", args...).Output()
		if err != nil {
			t.Fatalf("tcpdump %v: %v", args, err)
		}
		if r.code != 0 || r.stdout != string(want) {
			t.Errorf("sniff %v: exit %d, stderr %q\n%s\ntcpdump printed\n%s", args, r.code, r.stderr, r.stdout, want)
		}
		if warned := strings.Contains(r.stderr, "Warning: assuming Ethernet"); warned != (args[0] == "-d") {
			t.Errorf("sniff %v: stderr %q: the Ethernet warning belongs only where -y is missing", args, r.stderr)
		}
	}
}

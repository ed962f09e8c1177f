package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationMatrixICMPErrors: r1 prohibits h2's addresses. h1's
// requests get r1's ICMP "administratively prohibited" (!X, with r1's
// address), r1 itself is refused by its own route (prohibited), and what
// h2 sends gets no reply (timeout).
func TestIntegrationMatrixICMPErrors(t *testing.T) {
	c := netnstest.NewChain(t, 1)
	h1, r1, h2 := c.Nodes[0].Name, c.Nodes[1].Name, c.Nodes[2].Name
	// r1 also refuses h1's replies to h2, and the kernel's per-peer ICMP
	// rate limit (a burst of 6) would then drop some of the errors the
	// test reads.
	netnstest.Sysctl(t, c.Nodes[1], "net.ipv4.icmp_ratelimit", "0")
	netnstest.Sysctl(t, c.Nodes[1], "net.ipv6.icmp.ratelimit", "0")
	for _, dst := range []string{c.Dest4() + "/32", c.Dest6() + "/128"} {
		if out, err := exec.Command("ip", "-n", r1, "route", "replace", "prohibit", dst).CombinedOutput(); err != nil {
			t.Fatalf("ip route replace prohibit %s: %v %s", dst, err, out)
		}
	}
	out, errs, code := run(t, "matrix", "-W", "0.3", h1, r1, h2)
	if code != 1 {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	for _, line := range []string{
		h1 + " -> " + h2 + " " + c.Dest4() + ": From " + c.Addr4[1] + ": Packet filtered",
		h1 + " -> " + h2 + " " + c.Dest6() + ": From " + c.Addr6[1] + ": Destination unreachable: Administratively prohibited",
		h2 + " -> " + h1 + " " + c.Addr4[0] + ": timeout (3 sent, 0 received)",
		r1 + " -> " + h2 + " " + c.Dest4() + ": connect: Permission denied (prohibited)",
		"  " + h1 + " -> " + h2 + ": want reach, got !X",
		"  " + r1 + " -> " + h2 + ": want reach, got prohibited",
		"  " + h2 + " -> " + h1 + ": want reach, got timeout",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
}

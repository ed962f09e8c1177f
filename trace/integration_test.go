package trace

import (
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// lab is a chain h1 - r1..r4 - h2 with ICMP rate limits off, so that
// back-to-back traces by nsdiag and traceroute get every answer.
func lab(t *testing.T) *netnstest.Chain {
	t.Helper()
	c := netnstest.NewChain(t, 4)
	for _, ns := range c.Nodes {
		unlimitICMP(t, ns)
	}
	for _, ns := range c.Nodes {
		waitDAD(t, ns)
	}
	return c
}

// waitDAD waits until no IPv6 address in ns is tentative: until duplicate
// address detection ends, packets from those addresses are held back,
// which would turn the first IPv6 trace into a test of DAD timing.
func waitDAD(t *testing.T, ns nsexec.Target) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		out, err := exec.Command("ip", "-n", ns.Name, "-6", "addr", "show", "tentative").Output()
		if err != nil {
			t.Fatalf("ip -6 addr in %s: %v", ns.Name, err)
		}
		if len(strings.TrimSpace(string(out))) == 0 {
			return
		}
	}
	t.Fatalf("IPv6 addresses in %s still tentative after 5s", ns.Name)
}

// unlimitICMP turns off the per-peer ICMP rate limits of ns and raises its
// share of the global one, which parallel tests would otherwise drain.
func unlimitICMP(t *testing.T, ns nsexec.Target) {
	t.Helper()
	netnstest.Sysctl(t, ns, "net.ipv4.icmp_ratelimit", "0")
	netnstest.Sysctl(t, ns, "net.ipv6.icmp.ratelimit", "0")
	netnstest.Sysctl(t, ns, "net.ipv4.icmp_msgs_per_sec", "100000")
	netnstest.Sysctl(t, ns, "net.ipv4.icmp_msgs_burst", "10000")
}

// hop is one line of a trace: the responder of each probe ("*" for
// none) and each probe's mark.
type hop struct {
	probes []string
	notes  []string
}

func (h hop) String() string {
	s := ""
	for i, p := range h.probes {
		s += " " + p
		if h.notes[i] != "" {
			s += " " + h.notes[i]
		}
	}
	return strings.TrimSpace(s)
}

// collect runs a trace and groups its probes by hop.
func collect(t *testing.T, c Config) ([]hop, Result) {
	t.Helper()
	var hops []hop
	res, err := c.Run(context.Background(), func(p Probe) {
		if p.Index == 0 {
			hops = append(hops, hop{})
		}
		h := &hops[len(hops)-1]
		r := "*"
		if p.Answered() {
			r = p.Responder.String()
		}
		h.probes = append(h.probes, r)
		h.notes = append(h.notes, p.Note)
	})
	if err != nil {
		t.Fatalf("trace %+v: %v", c, err)
	}
	return hops, res
}

// steady is the wait both nsdiag and traceroute use in comparisons: MAX
// alone (traceroute -w 1), each probe waiting up to 1 s for its own
// answer. HERE and NEAR factors times round trips of tens of microseconds
// (even 100 times, 5 ms) give up on answers a loaded machine delays, and
// each tool would show its own spurious "*".
var steady = Wait{Max: time.Second, Here: -1, Near: -1}

// peer runs traceroute -n in ns and parses its hops; the wait is steady's
// unless args set one.
func peer(t *testing.T, ns nsexec.Target, args ...string) []hop {
	t.Helper()
	args = append([]string{"-w", "1"}, args...)
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name, "traceroute", "-n"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("traceroute %v: %v\n%s", args, err, out)
	}
	return parsePeer(t, string(out))
}

// parsePeer reads traceroute -n output: after the hop number, an address
// names the responder of the probes that follow it, "N ms" is an answered
// probe, "*" an unanswered one and "!X" marks the probe before it.
func parsePeer(t *testing.T, out string) []hop {
	var hops []hop
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var h hop
		cur := ""
		for i := 1; i < len(f); i++ {
			switch tok := f[i]; {
			case tok == "*":
				h.probes, h.notes = append(h.probes, "*"), append(h.notes, "")
			case tok == "ms":
				h.probes, h.notes = append(h.probes, cur), append(h.notes, "")
			case strings.HasPrefix(tok, "!"):
				h.notes[len(h.notes)-1] = tok
			default:
				if _, err := netip.ParseAddr(tok); err == nil {
					cur = tok
				}
			}
		}
		hops = append(hops, h)
	}
	return hops
}

func sameHops(a, b []hop) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestIntegrationMatchesTraceroute(t *testing.T) {
	t.Parallel()
	c := lab(t)
	methods := []struct {
		m     Method
		paris bool
		flag  []string
	}{
		{UDP, false, nil}, {ICMP, false, []string{"-I"}}, {TCP, false, []string{"-T"}},
		// Paris probes take the same single path on a chain.
		{UDP, true, nil}, {ICMP, true, []string{"-I"}},
	}
	for _, fam := range []struct {
		name string
		dest string
		addr []string
	}{{"IPv4", c.Dest4(), c.Addr4}, {"IPv6", c.Dest6(), c.Addr6}} {
		for _, m := range methods {
			name := fam.name + "/" + m.m.String()
			if m.paris {
				name += "-paris"
			}
			t.Run(name, func(t *testing.T) {
				cfg := Config{Target: c.H1(), Dest: netip.MustParseAddr(fam.dest), Method: m.m, Paris: m.paris, Wait: steady}
				got, res := collect(t, cfg)
				want := peer(t, c.H1(), append(m.flag, fam.dest)...)
				if !sameHops(got, want) {
					t.Errorf("nsdiag hops:\n%v\ntraceroute hops:\n%v", got, want)
				}
				if len(got) != 5 || !res.Reached || res.Hops != 5 {
					t.Fatalf("want 5 hops ending at %s, got %v (%+v)", fam.dest, got, res)
				}
				for i, h := range got {
					for _, p := range h.probes {
						if p != fam.addr[i+1] {
							t.Errorf("hop %d answered by %s, want %s", i+1, p, fam.addr[i+1])
						}
					}
				}
				if res.Sent < 15 || res.Received != 15 {
					t.Errorf("sent %d received %d: want at least 15 sent and 15 answers reported", res.Sent, res.Received)
				}
			})
		}
	}
}

package trace

import (
	"context"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// inNS runs a command inside ns through ip netns exec, with stdin.
func inNS(t *testing.T, ns nsexec.Target, stdin string, args ...string) {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v in %s: %v\n%s", args, ns.Name, err, out)
	}
}

// silence makes a router drop the Time Exceeded messages it sends.
func silence(t *testing.T, ns nsexec.Target) {
	inNS(t, ns, `table inet silent {
	chain out {
		type filter hook output priority 0;
		icmp type time-exceeded drop
		icmpv6 type time-exceeded drop
	}
}
`, "nft", "-f", "-")
}

func TestIntegrationSilentRouter(t *testing.T) {
	t.Parallel()
	c := lab(t)
	silence(t, c.Nodes[2])
	for _, dest := range []string{c.Dest4(), c.Dest6()} {
		// MAX 10s: NEAR x the next hop's round trip (plus 1 ms) gives up
		// far sooner. NEAR also cuts short the answered hops' waits, so
		// it is 300, at least 0.3 s (100, 0.1 s, was seen too short on a
		// busy machine), and HERE is off; a round trip stretched to
		// 10 ms still keeps the silent hop well under MAX.
		cfg := Config{Target: c.H1(), Dest: netip.MustParseAddr(dest), Wait: Wait{Max: 10 * time.Second, Here: -1, Near: 300}}
		began := time.Now()
		got, res := collect(t, cfg)
		took := time.Since(began)
		want := peer(t, c.H1(), "-w", "10,0,300", dest)
		if !sameHops(got, want) {
			t.Errorf("%s: nsdiag hops:\n%v\ntraceroute hops:\n%v", dest, got, want)
		}
		if len(got) != 5 || got[1].String() != "* * *" || !res.Reached {
			t.Errorf("%s: want hop 2 silent and the trace to reach hop 5: %v", dest, got)
		}
		if took > 5*time.Second {
			t.Errorf("%s: took %v; the adaptive wait should not wait MAX for the silent hop", dest, took)
		}
	}
}

func TestIntegrationUnreachable(t *testing.T) {
	t.Parallel()
	c := lab(t)
	r1 := c.Nodes[1]
	// !N: r1 forwards 10.0.9.0/24 towards r2 but a reject rule answers
	// net (no route) unreachable. !H: r1 sends 10.0.8.0/24 out of an
	// on-link device where no host answers ARP / neighbour solicitation
	// (made quick: one solicitation, 100 ms).
	netnstest.Route(t, c.H1(), "10.0.8.0/24 via "+c.Addr4[1], "10.0.9.0/24 via "+c.Addr4[1],
		"fd00:8::/64 via "+c.Addr6[1], "fd00:9::/64 via "+c.Addr6[1])
	netnstest.Route(t, r1, "10.0.9.0/24 via "+c.Addr4[2], "fd00:9::/64 via "+c.Addr6[2])
	inNS(t, r1, `table inet unreach {
	chain forward_filter {
		type filter hook forward priority 0;
		ip daddr 10.0.9.0/24 reject with icmp type net-unreachable
		ip6 daddr fd00:9::/64 reject with icmpv6 type no-route
	}
}
`, "nft", "-f", "-")
	dev := c.Right[1]
	inNS(t, r1, "", "ip", "route", "add", "10.0.8.0/24", "dev", dev)
	inNS(t, r1, "", "ip", "-6", "route", "add", "fd00:8::/64", "dev", dev)
	for _, fam := range []string{"ipv4", "ipv6"} {
		netnstest.Sysctl(t, r1, "net."+fam+".neigh."+dev+".mcast_solicit", "1")
		netnstest.Sysctl(t, r1, "net."+fam+".neigh."+dev+".retrans_time_ms", "100")
	}
	for _, tc := range []struct{ dest, note string }{
		{"10.0.9.1", "!N"}, {"fd00:9::1", "!N"}, {"10.0.8.1", "!H"}, {"fd00:8::1", "!H"},
	} {
		cfg := Config{Target: c.H1(), Dest: netip.MustParseAddr(tc.dest), Wait: steady}
		got, res := collect(t, cfg)
		want := peer(t, c.H1(), tc.dest)
		if !sameHops(got, want) {
			t.Errorf("%s: nsdiag hops:\n%v\ntraceroute hops:\n%v", tc.dest, got, want)
		}
		if len(got) != 2 || got[1].notes[0] != tc.note || got[1].probes[0] != c.Addr4[1] && got[1].probes[0] != c.Addr6[1] || res.Reached {
			t.Errorf("%s: want hop 2 marked %s by r1, got %v (%+v)", tc.dest, tc.note, got, res)
		}
	}
}

func TestIntegrationReport(t *testing.T) {
	t.Parallel()
	c := lab(t)
	silence(t, c.Nodes[3])
	rc := ReportConfig{
		// MAX alone: the default factors would count an answer a busy
		// machine delays by a millisecond as loss.
		Trace:    Config{Target: c.H1(), Dest: netip.MustParseAddr(c.Dest4()), Method: ICMP, Wait: Wait{Max: 500 * time.Millisecond, Here: -1, Near: -1}},
		Cycles:   4,
		Interval: 20 * time.Millisecond,
	}
	sent := map[int]int{}
	rep, err := rc.Run(context.Background(), func(_ int, p Probe) { sent[p.TTL]++ })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cycles != 4 || len(rep.Hops) != 5 {
		t.Fatalf("cycles %d hops %+v", rep.Cycles, rep.Hops)
	}
	for i, h := range rep.Hops {
		if h.TTL != i+1 || h.Sent != 4 || sent[h.TTL] != 4 {
			t.Errorf("hop %d: sent %d (emitted %d), want 4", h.TTL, h.Sent, sent[h.TTL])
		}
		wantLoss, wantHost := 0.0, c.Addr4[i+1]
		if i == 2 {
			wantLoss, wantHost = 100, ""
		}
		host := ""
		if h.Host.IsValid() {
			host = h.Host.String()
		}
		if h.Loss() != wantLoss || host != wantHost || h.Received != h.Sent-int(wantLoss)/25 {
			t.Errorf("hop %d: loss %.1f host %q received %d, want %.1f %q", h.TTL, h.Loss(), host, h.Received, wantLoss, wantHost)
		}
		if h.Received > 0 && !(h.Best <= h.Avg && h.Avg <= h.Worst && h.Best > 0) {
			t.Errorf("hop %d: best %v avg %v worst %v out of order", h.TTL, h.Best, h.Avg, h.Worst)
		}
	}
}

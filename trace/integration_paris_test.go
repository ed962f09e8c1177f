package trace

import (
	"net/netip"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// ecmpLab builds h1 - r1 =(ra | rb)= r2 - h2: r1 reaches h2's subnet over
// a multipath route through ra and rb, hashing flows on their ports
// (fib_multipath_hash_policy=1); replies all come back through ra.
func ecmpLab(t *testing.T) (h1 nsexec.Target, ra, rb, dest string) {
	t.Helper()
	names := []string{"h1", "r1", "ra", "rb", "r2", "h2"}
	ns := map[string]nsexec.Target{}
	for _, n := range names {
		ns[n] = netnstest.NewNS(t, n)
		unlimitICMP(t, ns[n])
		if n != "h1" && n != "h2" {
			netnstest.Forward(t, ns[n])
			netnstest.Sysctl(t, ns[n], "net.ipv4.conf.all.rp_filter", "0")
			netnstest.Sysctl(t, ns[n], "net.ipv4.conf.default.rp_filter", "0")
		}
	}
	netnstest.Sysctl(t, ns["r1"], "net.ipv4.fib_multipath_hash_policy", "1")
	link := func(a, b string, subnet string) {
		da, db := netnstest.Veth(t, ns[a], ns[b])
		netnstest.Addr(t, ns[a], da, subnet+".1/24")
		netnstest.Addr(t, ns[b], db, subnet+".2/24")
	}
	link("h1", "r1", "10.1.1")
	link("r1", "ra", "10.1.2")
	link("r1", "rb", "10.1.3")
	link("ra", "r2", "10.1.4")
	link("rb", "r2", "10.1.5")
	link("r2", "h2", "10.1.6")
	netnstest.Route(t, ns["h1"], "default via 10.1.1.2")
	inNS(t, ns["r1"], "", "ip", "route", "add", "10.1.6.0/24", "nexthop", "via", "10.1.2.2", "nexthop", "via", "10.1.3.2")
	netnstest.Route(t, ns["ra"], "10.1.6.0/24 via 10.1.4.2", "10.1.1.0/24 via 10.1.2.1")
	netnstest.Route(t, ns["rb"], "10.1.6.0/24 via 10.1.5.2", "10.1.1.0/24 via 10.1.3.1")
	netnstest.Route(t, ns["r2"], "10.1.1.0/24 via 10.1.4.1")
	netnstest.Route(t, ns["h2"], "default via 10.1.6.1")
	return ns["h1"], "10.1.2.2", "10.1.3.2", "10.1.6.2"
}

func TestIntegrationParisECMP(t *testing.T) {
	t.Parallel()
	h1, ra, rb, dest := ecmpLab(t)
	cfg := Config{Target: h1, Dest: netip.MustParseAddr(dest), Queries: 10, Wait: Wait{Max: time.Second, Here: 100, Near: 100}}
	// Classic UDP probes change port with every probe and get spread over
	// both paths: hop 2 shows both routers. All ten on one path happens 1
	// time in 512, so a trace gets three tries.
	var hops []hop
	for try := 0; try < 3; try++ {
		if hops, _ = collect(t, cfg); len(hops) == 4 && distinct(hops[1]) == 2 {
			break
		}
	}
	if len(hops) != 4 || distinct(hops[1]) != 2 {
		t.Fatalf("without --paris want hop 2 answered by both %s and %s, got %v", ra, rb, hops)
	}
	// Paris probes keep one flow: every trace sees one path, and every
	// hop one responder.
	seen := map[string]bool{}
	for run := 0; run < 6; run++ {
		for _, m := range []Method{UDP, ICMP, TCP} {
			c := cfg
			c.Paris, c.Method = true, m
			hops, res := collect(t, c)
			if !res.Reached || len(hops) != 4 {
				t.Fatalf("paris %s: %v", m, hops)
			}
			for i, h := range hops {
				if distinct(h) != 1 {
					t.Errorf("paris %s run %d: hop %d answered by %v, want one path", m, run, i+1, h)
				}
			}
			seen[hops[1].probes[0]] = true
		}
	}
	t.Logf("paths taken over the paris runs: %v", seen)
}

// distinct counts the responders of a hop, leaving out unanswered probes.
func distinct(h hop) int {
	m := map[string]bool{}
	for _, p := range h.probes {
		if p != "*" {
			m[p] = true
		}
	}
	return len(m)
}

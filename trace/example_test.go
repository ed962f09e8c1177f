package trace_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/nsdiag/nsdiag/trace"
)

// Stats turns the probes of report cycles into mtr's per-hop rows.
func ExampleStats() {
	dest := netip.MustParseAddr("10.0.2.1")
	s := trace.NewStats(dest)
	router := netip.MustParseAddr("10.0.1.254")
	for cycle, rtt := range []time.Duration{100 * time.Microsecond, 300 * time.Microsecond} {
		s.Add(trace.Probe{TTL: 1, Responder: router, RTT: rtt})
		p := trace.Probe{TTL: 2}
		if cycle == 1 { // the first probe to the destination was lost
			p.Responder, p.RTT = dest, 2*rtt
		}
		s.Add(p)
	}
	for _, h := range s.Hops() {
		fmt.Printf("%d %s loss %.0f%% sent %d avg %v\n", h.TTL, h.Host, h.Loss(), h.Sent, h.Avg)
	}
	// Output:
	// 1 10.0.1.254 loss 0% sent 2 avg 200µs
	// 2 10.0.2.1 loss 50% sent 2 avg 600µs
}

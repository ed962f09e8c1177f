package trace

import (
	"net/netip"
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	a := netip.MustParseAddr
	s := NewStats(a("10.9.9.9"))
	probe := func(ttl int, who string, ms float64) Probe {
		p := Probe{TTL: ttl}
		if who != "" {
			p.Responder, p.RTT = a(who), time.Duration(ms*float64(time.Millisecond))
		}
		return p
	}
	for _, p := range []Probe{
		probe(1, "10.0.1.2", 1), probe(2, "", 0), probe(3, "10.9.9.9", 2),
		probe(1, "10.0.1.2", 3), probe(2, "", 0), probe(3, "10.9.9.9", 4),
		probe(1, "10.0.1.3", 5), probe(2, "10.0.2.2", 1), probe(3, "", 0),
	} {
		s.Add(p)
	}
	hops := s.Hops()
	if len(hops) != 3 {
		t.Fatalf("%d hops, want 3: %+v", len(hops), hops)
	}
	h := hops[0]
	if h.Sent != 3 || h.Received != 3 || h.Loss() != 0 || h.Host != a("10.0.1.2") || len(h.Hosts) != 2 {
		t.Errorf("hop 1: %+v", h)
	}
	if h.Avg != 3*time.Millisecond || h.Best != time.Millisecond || h.Worst != 5*time.Millisecond || h.Last != 5*time.Millisecond {
		t.Errorf("hop 1 times: %+v", h)
	}
	if h.StDev != 2*time.Millisecond {
		t.Errorf("hop 1 stdev %v, want 2ms (sample standard deviation of 1,3,5)", h.StDev)
	}
	if l := hops[1].Loss(); l < 66.6 || l > 66.7 {
		t.Errorf("hop 2 loss %v, want 66.7", l)
	}
	if l := hops[2].Loss(); l < 33.3 || l > 33.4 {
		t.Errorf("hop 3 loss %v", l)
	}
}

func TestStatsCut(t *testing.T) {
	s := NewStats(netip.MustParseAddr("10.9.9.9"))
	// Answers at hops 1 and 2 only, silence to 5: mtr shows one "???"
	// row past the last hop that answered.
	for ttl := 1; ttl <= 5; ttl++ {
		p := Probe{TTL: ttl}
		if ttl <= 2 {
			p.Responder = netip.MustParseAddr("10.0.0.1")
		}
		s.Add(p)
	}
	if hops := s.Hops(); len(hops) != 3 || hops[2].Host.IsValid() {
		t.Errorf("got %+v, want hops 1..3 with 3 unanswered", hops)
	}
}

func TestStatsCutNothingAnswered(t *testing.T) {
	s := NewStats(netip.MustParseAddr("10.9.9.9"))
	for ttl := 1; ttl <= 4; ttl++ {
		s.Add(Probe{TTL: ttl})
	}
	if hops := s.Hops(); len(hops) != 1 || hops[0].TTL != 1 || hops[0].Loss() != 100 {
		t.Errorf("got %+v, want one row, hop 1 at 100%% loss", hops)
	}
}

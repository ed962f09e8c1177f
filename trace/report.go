package trace

import (
	"context"
	"math"
	"net/netip"
	"time"
)

// ReportConfig runs a trace in cycles, as mtr --report does: every cycle
// sends one probe per hop up to the destination, and the report gives each
// hop's loss and round-trip statistics.
type ReportConfig struct {
	Trace Config
	// Cycles is the number of cycles (10, mtr's -c).
	Cycles int
	// Interval is the time from the start of one cycle to the next (1s,
	// mtr's -i).
	Interval time.Duration
}

// HopStats is one row of the report.
type HopStats struct {
	TTL int
	// Host is the first address that answered at this hop; Hosts lists
	// every one, in order of first answer (load-balanced paths).
	Host  netip.Addr
	Hosts []netip.Addr
	// Sent and Received count probes and answers.
	Sent, Received int
	// Last, Best, Worst, Avg and StDev are over the answered probes.
	Last, Best, Worst, Avg, StDev time.Duration
	// ssd is the running sum of squared deviations (Welford).
	ssd float64
}

// Loss is the percentage of probes not answered.
func (h HopStats) Loss() float64 {
	if h.Sent == 0 {
		return 0
	}
	return 100 * float64(h.Sent-h.Received) / float64(h.Sent)
}

// Report is the outcome of a report run.
type Report struct {
	// Cycles is the number of cycles completed.
	Cycles int
	// Hops are the rows, from FirstTTL to the destination (or one past the
	// last hop that answered, as mtr shows).
	Hops []HopStats
}

// Stats accumulates probes into per-hop statistics.
type Stats struct {
	dest netip.Addr
	hops map[int]*HopStats
	ttls []int
}

// NewStats starts statistics for a trace to dest.
func NewStats(dest netip.Addr) *Stats {
	return &Stats{dest: dest.Unmap(), hops: map[int]*HopStats{}}
}

// Add counts one probe.
func (s *Stats) Add(p Probe) {
	h, ok := s.hops[p.TTL]
	if !ok {
		h = &HopStats{TTL: p.TTL}
		s.hops[p.TTL] = h
		s.ttls = append(s.ttls, p.TTL)
	}
	h.Sent++
	if !p.Answered() {
		return
	}
	h.Received++
	if !h.Host.IsValid() {
		h.Host = p.Responder
	}
	seen := false
	for _, a := range h.Hosts {
		seen = seen || a == p.Responder
	}
	if !seen {
		h.Hosts = append(h.Hosts, p.Responder)
	}
	rtt := p.RTT
	h.Last = rtt
	if h.Received == 1 || rtt < h.Best {
		h.Best = rtt
	}
	if rtt > h.Worst {
		h.Worst = rtt
	}
	old := float64(h.Avg)
	avg := old + (float64(rtt)-old)/float64(h.Received)
	h.ssd += (float64(rtt) - old) * (float64(rtt) - avg)
	h.Avg = time.Duration(avg)
	if h.Received > 1 {
		h.StDev = time.Duration(math.Sqrt(h.ssd / float64(h.Received-1)))
	}
}

// Hops returns the rows in TTL order, cut as mtr cuts them: at the hop
// where the destination answered, else one past the last hop that
// answered (so one "???" row when nothing answered at all).
func (s *Stats) Hops() []HopStats {
	if len(s.ttls) == 0 {
		return nil
	}
	first, last := s.ttls[0], s.ttls[0]
	for _, t := range s.ttls {
		first, last = min(first, t), max(last, t)
	}
	cut := first
	for t := first; t <= last; t++ {
		h, ok := s.hops[t]
		if !ok {
			continue
		}
		if h.Host == s.dest {
			cut = t
			break
		}
		if h.Host.IsValid() {
			cut = t + 1
		}
	}
	cut = min(cut, last)
	var out []HopStats
	for t := first; t <= cut; t++ {
		if h, ok := s.hops[t]; ok {
			out = append(out, *h)
		} else {
			out = append(out, HopStats{TTL: t})
		}
	}
	return out
}

// Run runs the cycles from inside r.Trace.Target. emit, if not nil, sees
// every probe with its cycle number (from 0). When ctx ends, Run returns
// the statistics so far with ctx's error.
func (r ReportConfig) Run(ctx context.Context, emit func(cycle int, p Probe)) (Report, error) {
	c := r.Trace
	c.Queries = 1
	t, err := c.Open()
	if err != nil {
		return Report{}, err
	}
	defer t.Close()
	return t.Report(ctx, r.Cycles, r.Interval, emit)
}

// Report runs cycles of one probe per hop on an open Tracer (its Queries
// should be 1, as mtr sends), starting a cycle every interval; 0 cycles
// means 10 and 0 interval 1s. See ReportConfig.
func (t *Tracer) Report(ctx context.Context, cycles int, interval time.Duration, emit func(cycle int, p Probe)) (Report, error) {
	if cycles == 0 {
		cycles = 10
	}
	if interval == 0 {
		interval = time.Second
	}
	stats := NewStats(t.cfg.Dest)
	var rep Report
	for cycle := 0; cycle < cycles; cycle++ {
		began := time.Now()
		_, err := t.Run(ctx, func(p Probe) {
			stats.Add(p)
			if emit != nil {
				emit(cycle, p)
			}
		})
		if err != nil {
			rep.Hops = stats.Hops()
			return rep, err
		}
		rep.Cycles++
		if cycle+1 == cycles {
			break
		}
		select {
		case <-ctx.Done():
			rep.Hops = stats.Hops()
			return rep, ctx.Err()
		case <-time.After(time.Until(began.Add(interval))):
		}
	}
	rep.Hops = stats.Hops()
	return rep, nil
}

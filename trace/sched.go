package trace

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// network is the seam between the probe scheduler and the sockets: real
// sockets in a namespace in production, a scripted fake in tests.
type network interface {
	// send sends probe number seq (unique within the run) with the given
	// TTL, size bytes long with the IP header (UDP and ICMP probes), and
	// returns the id its answer will carry and when it left.
	send(ttl int, seq uint32, size int) (id uint32, at time.Time, err error)
	// answers delivers answers that belong to this trace.
	answers() <-chan answer
	// pending returns answers that have arrived but are not yet
	// delivered, without waiting.
	pending() []answer
}

// answer is a reply matched to a probe id.
type answer struct {
	id   uint32
	at   time.Time
	from netip.Addr
	// icmpType and icmpCode are -1 for TCP answers.
	icmpType, icmpCode int
	tcpFlags           uint8
	ext                []Extension
	// ttl is the answer's TTL or hop limit as it arrived; 0 if unknown.
	ttl int
	// mtu is the MTU a Fragmentation Needed or Packet Too Big reports.
	mtu            int
	note           string
	final, reached bool
}

// slot is one probe of the trace, in the order traceroute numbers them.
type slot struct {
	ttl, index int
	id         uint32
	sent       time.Time
	done       bool
	answered   bool
	a          answer
	// mtu is the path MTU that had this probe sent again shorter.
	mtu int
}

func (s *slot) rtt() time.Duration {
	if !s.answered {
		return 0
	}
	return s.a.at.Sub(s.sent)
}

// waitPrecision is added to a round trip before the HERE and NEAR factors
// apply, as traceroute does, so that very fast answers do not give
// vanishing timeouts.
const waitPrecision = time.Millisecond

// timeout is how long probe i may wait, by traceroute's MAX,HERE,NEAR
// rule: HERE times the round trip of an answered probe of the same hop,
// else NEAR times that of an answered later probe already sent, else MAX.
func timeout(slots []slot, i, q int, w Wait) time.Duration {
	scaled := func(s *slot, f float64) (time.Duration, bool) {
		if !s.done || s.rtt() <= 0 {
			return 0, false
		}
		return min(time.Duration(float64(s.rtt()+waitPrecision)*f), w.Max), true
	}
	if w.Here > 0 {
		hop := i - i%q
		for j := hop; j < hop+q && j < len(slots); j++ {
			if d, ok := scaled(&slots[j], w.Here); ok {
				return d
			}
		}
	}
	if w.Near > 0 {
		for j := i + 1; j < len(slots) && !slots[j].sent.IsZero(); j++ {
			if d, ok := scaled(&slots[j], w.Near); ok {
				return d
			}
		}
	}
	return w.Max
}

// schedule runs one trace over nw with traceroute's algorithm: keep up to
// SimultaneousProbes probes in flight, ahead of the first probe not yet
// reported; report probes strictly in order as they complete; time out
// only the first unreported probe (later ones get their chance when they
// come first, by which time the adaptive wait has usually shrunk); stop
// after the hop where an answer is final. seq numbers the probes and
// carries on across report cycles.
func schedule(ctx context.Context, c Config, nw network, seq *uint32, emit func(Probe)) (Result, error) {
	q := c.Queries
	slots := make([]slot, (c.MaxTTL-c.FirstTTL+1)*q)
	for i := range slots {
		slots[i].ttl, slots[i].index = c.FirstTTL+i/q, i%q
	}
	byID := make(map[uint32]int, len(slots))
	// size is the length of the probes: PacketLen, or with MTUDiscovery
	// the least MTU reported so far.
	size := c.PacketLen
	var res Result
	var lastSend time.Time
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	// With a wait of 0 (-w 0), traceroute -I, -T and -P, whose answers all
	// come on one socket, read one answer per turn of their loop, and
	// each turn gives up on every probe not answered yet: so only the
	// first answer ever counts. backlog holds the answers that have
	// arrived, oldest first, to take them one at a time.
	onePerTurn := c.Wait.Max <= time.Nanosecond && c.Method != UDP
	var backlog []answer

	start, end := 0, len(slots)
	for start < end {
		now := time.Now()
		var next time.Time
		inFlight := 0
		// refused is set when a probe was answered at home: report it
		// (or, finding the MTU, send it again) before waiting for
		// anything.
		refused := false
		for i := start; i < end; i++ {
			s := &slots[i]
			if i == start && !s.done && !s.sent.IsZero() {
				if exp := s.sent.Add(timeout(slots, i, q, c.Wait)); exp.After(now) {
					next = exp
				} else {
					// Answers already in count, even for a wait of 0,
					// as traceroute reads its sockets before expiring.
					if !onePerTurn {
						drain(slots, byID, nw)
					}
					s.done = true
				}
			}
			if s.done && s.answered && c.shrinks(size, s.a.mtu) {
				// A narrower link answered for the previous hop: send
				// this probe again, as long as that MTU allows.
				size = s.a.mtu
				delete(byID, s.id)
				*s = slot{ttl: s.ttl, index: s.index, mtu: size}
			}
			if s.done {
				if i == start {
					report(&res, s, emit)
					start++
				}
				if s.answered && s.a.final {
					end = (i/q + 1) * q
				}
				continue
			}
			if s.sent.IsZero() {
				if c.SendWait > 0 && !lastSend.IsZero() && now.Sub(lastSend) < c.SendWait {
					if t := lastSend.Add(c.SendWait); next.IsZero() || t.Before(next) {
						next = t
					}
					break
				}
				id, at, err := nw.send(s.ttl, *seq, size)
				*seq++
				var big *localTooBig
				if errors.As(err, &big) && c.shrinks(size, big.mtu) {
					// Longer than the local interface allows: again,
					// at its MTU, before any later probe.
					size = big.mtu
					s.mtu = size
					refused = true
					break
				}
				if errors.As(err, &big) && c.Method == ICMP && i > 0 {
					// traceroute -I sends from one socket and files
					// every refusal it reads from that socket's error
					// queue under the trace's first probe: the others
					// are left to time out.
					err = nil
				}
				if errors.As(err, &big) {
					// Refused before it left: answered at once, by no one.
					s.sent, lastSend = at, at
					s.done, s.answered = true, true
					s.a = answer{at: time.Now(), icmpType: -1, icmpCode: -1, note: fmt.Sprintf("!F-%d", big.mtu), final: true}
					res.Sent++
					end = (i/q + 1) * q
					refused = true
					continue
				}
				if err != nil {
					return res, err
				}
				s.id, s.sent, lastSend = id, at, at
				byID[id] = i
				res.Sent++
			}
			inFlight++
			if inFlight >= c.SimultaneousProbes {
				break
			}
		}
		if start >= end {
			break
		}
		if refused {
			continue
		}
		if onePerTurn {
			backlog = append(backlog, available(nw)...)
			slices.SortStableFunc(backlog, func(a, b answer) int { return a.at.Compare(b.at) })
			if len(backlog) > 0 {
				record(slots, byID, backlog[0])
				backlog = backlog[1:]
				if err := ctx.Err(); err != nil {
					return res, err
				}
				continue
			}
		}
		if next.IsZero() {
			next = now.Add(c.Wait.Max)
		}
		timer.Reset(time.Until(next))
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case a := <-nw.answers():
			record(slots, byID, a)
			// Take every answer already queued before rescanning.
			if !onePerTurn {
				queued(slots, byID, nw)
			}
		case <-timer.C:
		}
	}
	return res, nil
}

// shrinks reports whether an MTU reported for a probe size long has the
// next probes sent shorter, as traceroute --mtu does: one that still holds
// the headers.
func (c Config) shrinks(size, mtu int) bool {
	return c.MTUDiscovery && mtu >= c.headerLen()+8 && mtu < size
}

// queued records the answers waiting in nw's channel.
func queued(slots []slot, byID map[uint32]int, nw network) {
	for {
		select {
		case a := <-nw.answers():
			record(slots, byID, a)
		default:
			return
		}
	}
}

// available returns, without waiting, the answers that have arrived:
// queued, or still in the sockets.
func available(nw network) []answer {
	var out []answer
	for {
		select {
		case a := <-nw.answers():
			out = append(out, a)
		default:
			return append(out, nw.pending()...)
		}
	}
}

// drain records every answer that has arrived: queued, or still in the
// sockets.
func drain(slots []slot, byID map[uint32]int, nw network) {
	queued(slots, byID, nw)
	for _, a := range nw.pending() {
		record(slots, byID, a)
	}
}

// localTooBig is what send returns for a Don't Fragment probe longer
// than the MTU of the interface it would leave by.
type localTooBig struct{ mtu int }

func (e *localTooBig) Error() string {
	return fmt.Sprintf("probe longer than the interface MTU %d", e.mtu)
}

// record files an answer under its probe; late and duplicate answers are
// dropped.
func record(slots []slot, byID map[uint32]int, a answer) {
	i, ok := byID[a.id]
	if !ok || slots[i].done {
		return
	}
	slots[i].done, slots[i].answered, slots[i].a = true, true, a
}

// report turns a finished slot into a Probe, counts it and emits it.
func report(res *Result, s *slot, emit func(Probe)) {
	p := Probe{TTL: s.ttl, Index: s.index, ICMPType: -1, ICMPCode: -1, MTU: s.mtu}
	if s.answered {
		p.Responder, p.RTT = s.a.from, s.rtt()
		p.ICMPType, p.ICMPCode, p.TCPFlags = s.a.icmpType, s.a.icmpCode, s.a.tcpFlags
		p.Note, p.Final, p.Reached, p.Extensions = s.a.note, s.a.final, s.a.reached, s.a.ext
		p.ReplyTTL = s.a.ttl
		if p.Answered() {
			res.Received++
		}
		res.Reached = res.Reached || p.Reached
	}
	res.Hops = s.ttl
	if emit != nil {
		emit(p)
	}
}

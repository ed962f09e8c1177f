package trace

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// fakeNet answers probes by TTL after a delay, from a scripted path:
// path[ttl-1] is the responder ("" for silence); TTLs past the path reach
// the last entry, which answers as the destination.
type fakeNet struct {
	path  []string
	delay time.Duration
	out   chan answer
	sent  []int
}

func newFakeNet(delay time.Duration, path ...string) *fakeNet {
	return &fakeNet{path: path, delay: delay, out: make(chan answer, 1024)}
}

func (f *fakeNet) send(ttl int, seq uint32, _ int) (uint32, time.Time, error) {
	f.sent = append(f.sent, ttl)
	at := time.Now()
	who := f.path[min(ttl, len(f.path))-1]
	if who == "" {
		return seq, at, nil
	}
	final := ttl >= len(f.path)
	a := answer{id: seq, from: netip.MustParseAddr(who), final: final, reached: final, icmpType: 11}
	time.AfterFunc(f.delay, func() {
		a.at = time.Now()
		f.out <- a
	})
	return seq, at, nil
}

func (f *fakeNet) answers() <-chan answer { return f.out }

func (f *fakeNet) pending() []answer { return nil }

func runFake(t *testing.T, c Config, f *fakeNet) (string, Result, time.Duration) {
	t.Helper()
	c.Dest = netip.MustParseAddr("10.9.9.9")
	c = c.Defaults()
	var b strings.Builder
	var seq uint32
	lastTTL, lastIdx := 0, -1
	began := time.Now()
	res, err := schedule(context.Background(), c, f, &seq, func(p Probe) {
		if p.TTL < lastTTL || (p.TTL == lastTTL && p.Index != lastIdx+1) {
			t.Errorf("probe %d.%d out of order after %d.%d", p.TTL, p.Index, lastTTL, lastIdx)
		}
		lastTTL, lastIdx = p.TTL, p.Index
		if p.Index == 0 {
			fmt.Fprintf(&b, "|%d", p.TTL)
		}
		if p.Answered() {
			fmt.Fprintf(&b, " %s", p.Responder)
		} else {
			b.WriteString(" *")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), res, time.Since(began)
}

// steadyWait lets every probe wait for its own answer: with the default
// factors, 3 x (1 ms + 1 ms) after a first answer, a fake answer whose
// timer a busy machine fires 6 ms late showed as "*".
var steadyWait = Wait{Max: 5 * time.Second, Here: -1, Near: -1}

func TestScheduleStopsAtDestination(t *testing.T) {
	f := newFakeNet(time.Millisecond, "10.0.1.2", "10.0.2.2", "10.9.9.9")
	got, res, _ := runFake(t, Config{Wait: steadyWait}, f)
	want := "|1 10.0.1.2 10.0.1.2 10.0.1.2|2 10.0.2.2 10.0.2.2 10.0.2.2|3 10.9.9.9 10.9.9.9 10.9.9.9"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !res.Reached || res.Hops != 3 || res.Received != 9 {
		t.Errorf("result %+v", res)
	}
	// 16 in flight from the start: the first window covers TTL 1..6.
	if len(f.sent) < 16 {
		t.Errorf("sent %d probes, want the first window of 16", len(f.sent))
	}
}

func TestScheduleSilentHopUsesNearWait(t *testing.T) {
	// Hop 2 never answers; hop 3 answers in 1 ms, so hop 2's probes are
	// given up after NEAR (50) x (1 ms + 1 ms), not MAX. HERE is off and
	// NEAR 50, not the defaults 3 and 10, so that the answered hops'
	// probes get 0.1 s: a busy machine fires the fake's timers late (by
	// 20 ms and more), which also stretches the round trip NEAR scales,
	// hence MAX 10 s against the 5 s the silent hop must stay under.
	f := newFakeNet(time.Millisecond, "10.0.1.2", "", "10.9.9.9")
	got, _, took := runFake(t, Config{Wait: Wait{Max: 10 * time.Second, Here: -1, Near: 50}}, f)
	if want := "|1 10.0.1.2 10.0.1.2 10.0.1.2|2 * * *|3 10.9.9.9 10.9.9.9 10.9.9.9"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if took > 5*time.Second {
		t.Errorf("took %v: the silent hop should time out after NEAR x the next hop's round trip", took)
	}
}

func TestScheduleMaxWaitWhenNothingAnswers(t *testing.T) {
	f := newFakeNet(time.Millisecond, "", "")
	c := Config{MaxTTL: 2, Queries: 2, Wait: Wait{Max: 50 * time.Millisecond}}
	got, res, took := runFake(t, c, f)
	if got != "|1 * *|2 * *" || res.Received != 0 || res.Sent != 4 {
		t.Errorf("got %s %+v", got, res)
	}
	if took < 50*time.Millisecond || took > time.Second {
		t.Errorf("took %v, want about one MAX wait (probes wait together)", took)
	}
}

func TestScheduleSimultaneousAndSendWait(t *testing.T) {
	f := newFakeNet(time.Millisecond, "10.0.1.2", "10.0.2.2", "10.9.9.9")
	c := Config{SimultaneousProbes: 1, SendWait: 5 * time.Millisecond, Wait: steadyWait}
	_, res, took := runFake(t, c, f)
	// One at a time: exactly the 9 probes of 3 hops, 5 ms apart.
	if res.Sent != 9 || len(f.sent) != 9 {
		t.Errorf("sent %d probes (%v), want 9", res.Sent, f.sent)
	}
	if took < 40*time.Millisecond {
		t.Errorf("took %v, want at least 8 send waits", took)
	}
}

func TestTimeoutRule(t *testing.T) {
	now := time.Now()
	ans := func(rtt time.Duration) slot {
		return slot{sent: now, done: true, answered: true, a: answer{at: now.Add(rtt)}}
	}
	w := Wait{Max: 5 * time.Second, Here: 3, Near: 10}
	slots := []slot{{sent: now}, ans(2 * time.Millisecond), {sent: now}, ans(4 * time.Millisecond)}
	if got := timeout(slots, 0, 2, w); got != 9*time.Millisecond {
		t.Errorf("HERE: %v, want 3 x (2ms+1ms)", got)
	}
	if got := timeout(slots, 2, 2, Wait{Max: w.Max, Here: -1, Near: 10}); got != 50*time.Millisecond {
		t.Errorf("NEAR: %v, want 10 x (4ms+1ms)", got)
	}
	if got := timeout(slots, 2, 2, Wait{Max: 20 * time.Millisecond, Here: 3, Near: 10}); got != 15*time.Millisecond {
		t.Errorf("HERE capped: %v", got)
	}
	if got := timeout([]slot{{sent: now}, {}}, 0, 1, w); got != w.Max {
		t.Errorf("no answers: %v, want MAX", got)
	}
}

// tooBigNet refuses every probe at home, as the kernel does a Don't
// Fragment probe longer than the interface MTU.
type tooBigNet struct{ out chan answer }

func (n tooBigNet) send(ttl int, seq uint32, _ int) (uint32, time.Time, error) {
	return seq, time.Now(), &localTooBig{mtu: 1500}
}

func (n tooBigNet) answers() <-chan answer { return n.out }

func (n tooBigNet) pending() []answer { return nil }

func TestScheduleLocalTooBigEndsAtFirstHop(t *testing.T) {
	c := Config{Dest: netip.MustParseAddr("10.9.9.9"), DontFragment: true}.Defaults()
	var got []Probe
	var seq uint32
	res, err := schedule(context.Background(), c, tooBigNet{make(chan answer)}, &seq, func(p Probe) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || res.Sent != 3 || res.Received != 0 || res.Hops != 1 {
		t.Fatalf("probes %+v, result %+v; want hop 1 only, 3 sent, none received", got, res)
	}
	for _, p := range got {
		if p.Answered() || p.Note != "!F-1500" || !p.Final {
			t.Errorf("probe %+v: want no responder, note !F-1500, final", p)
		}
	}
}

// heldNet holds every answer in its "sockets" until pending is called, as
// when answers arrive faster than the reader goroutine runs.
type heldNet struct {
	held []answer
	out  chan answer
}

func (n *heldNet) send(ttl int, seq uint32, _ int) (uint32, time.Time, error) {
	at := time.Now()
	n.held = append(n.held, answer{id: seq, at: at.Add(time.Microsecond), from: netip.MustParseAddr("10.0.0.1"), final: ttl >= 2, reached: ttl >= 2})
	return seq, at, nil
}

func (n *heldNet) answers() <-chan answer { return n.out }

func (n *heldNet) pending() []answer {
	h := n.held
	n.held = nil
	return h
}

func TestScheduleZeroWaitTakesAnswersAlreadyIn(t *testing.T) {
	c := Config{Dest: netip.MustParseAddr("10.9.9.9"), Wait: Wait{Max: time.Nanosecond, Here: -1, Near: -1}}.Defaults()
	var seq uint32
	answered := 0
	res, err := schedule(context.Background(), c, &heldNet{out: make(chan answer)}, &seq, func(p Probe) {
		if p.Answered() {
			answered++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if answered != 6 || res.Hops != 2 || !res.Reached {
		t.Errorf("%d answered, result %+v; want both hops' 6 answers taken before expiring", answered, res)
	}
}

// narrowNet is a path of three routers and a destination whose interface
// carries 1500 bytes and whose link after hop 2 carries 1400: a longer
// probe is refused at home, or answered by hop 2 with its MTU.
type narrowNet struct {
	out   chan answer
	sizes []int
}

func (n *narrowNet) send(ttl int, seq uint32, size int) (uint32, time.Time, error) {
	n.sizes = append(n.sizes, size)
	at := time.Now()
	if size > 1500 {
		return seq, at, &localTooBig{mtu: 1500}
	}
	a := answer{id: seq, at: at.Add(time.Microsecond), from: netip.AddrFrom4([4]byte{10, 0, byte(min(ttl, 3)), 2})}
	switch {
	case ttl > 2 && size > 1400:
		a.from, a.mtu, a.note, a.final = netip.MustParseAddr("10.0.2.2"), 1400, "!F-1400", true
	case ttl >= 3:
		a.final, a.reached = true, true
	}
	n.out <- a
	return seq, at, nil
}

func (n *narrowNet) answers() <-chan answer { return n.out }

func (n *narrowNet) pending() []answer { return nil }

func TestScheduleMTUDiscovery(t *testing.T) {
	c := Config{Dest: netip.MustParseAddr("10.0.3.2"), MTUDiscovery: true, SimultaneousProbes: 8}.Defaults()
	if c.PacketLen != MaxPacketLen || !c.DontFragment || c.SimultaneousProbes != 1 {
		t.Fatalf("defaults %+v: want 65000-byte probes, Don't Fragment, one at a time", c)
	}
	n := &narrowNet{out: make(chan answer, 64)}
	var got []string
	var seq uint32
	_, err := schedule(context.Background(), c, n, &seq, func(p Probe) {
		got = append(got, fmt.Sprintf("%d.%d %s %q %d", p.TTL, p.Index, p.Responder, p.Note, p.MTU))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`1.0 10.0.1.2 "" 1500`, `1.1 10.0.1.2 "" 0`, `1.2 10.0.1.2 "" 0`,
		`2.0 10.0.2.2 "" 0`, `2.1 10.0.2.2 "" 0`, `2.2 10.0.2.2 "" 0`,
		`3.0 10.0.3.2 "" 1400`, `3.1 10.0.3.2 "" 0`, `3.2 10.0.3.2 "" 0`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("probes\n%v\nwant\n%v", got, want)
	}
	wantSizes := []int{65000, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1400, 1400, 1400}
	if fmt.Sprint(n.sizes) != fmt.Sprint(wantSizes) {
		t.Errorf("sizes %v, want %v", n.sizes, wantSizes)
	}
}

func TestSourcePortDefaults(t *testing.T) {
	c := Config{Dest: netip.MustParseAddr("10.0.3.2"), SourcePort: 40000, SimultaneousProbes: 8, Wait: Wait{Here: 2, Near: 5}}.Defaults()
	if c.SimultaneousProbes != 1 || c.Wait.Here >= 0 || c.Wait.Near >= 0 {
		t.Errorf("defaults %+v: want one probe at a time and MAX waits, as traceroute --sport", c)
	}
}

func TestScheduleLocalTooBigICMPFirstProbeOnly(t *testing.T) {
	c := Config{Dest: netip.MustParseAddr("10.9.9.9"), Method: ICMP, DontFragment: true, Wait: Wait{Max: 50 * time.Millisecond}}.Defaults()
	var got []string
	var seq uint32
	_, err := schedule(context.Background(), c, tooBigNet{make(chan answer)}, &seq, func(p Probe) {
		got = append(got, fmt.Sprintf("%d.%d %v %q", p.TTL, p.Index, p.Answered(), p.Note))
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := `[1.0 false "!F-1500" 1.1 false "" 1.2 false ""]`; fmt.Sprint(got) != want {
		t.Errorf("probes %v, want %s (traceroute -I files the refusals under its first probe)", got, want)
	}
}

func TestScheduleZeroWaitOneSocketTakesOneAnswerPerTurn(t *testing.T) {
	c := Config{Dest: netip.MustParseAddr("10.9.9.9"), Method: ICMP, MaxTTL: 4, Wait: Wait{Max: time.Nanosecond, Here: -1, Near: -1}}.Defaults()
	var seq uint32
	var got []bool
	res, err := schedule(context.Background(), c, &heldNet{out: make(chan answer)}, &seq, func(p Probe) { got = append(got, p.Answered()) })
	if err != nil {
		t.Fatal(err)
	}
	// As traceroute -I -w 0: the first answer, read in the first turn,
	// counts; every later probe is given up before its answer is read.
	want := []bool{true, false, false, false, false, false, false, false, false, false, false, false}
	if fmt.Sprint(got) != fmt.Sprint(want) || res.Reached || res.Hops != 4 {
		t.Errorf("answered %v, result %+v; want only the first probe answered and all 4 hops", got, res)
	}
}

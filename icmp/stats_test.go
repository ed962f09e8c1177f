package icmp

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

func TestStatsLikeIputils(t *testing.T) {
	cases := []struct {
		rtts               []int64 // microseconds
		dups               int
		min, avg, max, dev string
	}{
		// mdev is the population standard deviation, in integer steps.
		{[]int64{45}, 0, "0.045", "0.045", "0.045", "0.000"},
		{[]int64{55, 84, 171}, 0, "0.055", "0.103", "0.171", "0.049"},
		{[]int64{1000, 3000}, 0, "1.000", "2.000", "3.000", "1.000"},
		{[]int64{100, 100, 100}, 1, "0.100", "0.100", "0.100", "0.000"},
	}
	for _, c := range cases {
		var r rtts
		for _, v := range c.rtts {
			r.add(v)
		}
		var s Stats
		r.fill(&s, int64(len(c.rtts)))
		got := fmt.Sprintf("%s/%s/%s/%s", ms(s.Min), ms(s.Avg), ms(s.Max), ms(s.Mdev))
		want := fmt.Sprintf("%s/%s/%s/%s", c.min, c.avg, c.max, c.dev)
		if got != want {
			t.Errorf("rtts %v: got %s, want %s", c.rtts, got, want)
		}
	}
}

func ms(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

func TestLoss(t *testing.T) {
	cases := []struct {
		tx, rx int
		want   string
	}{
		{3, 1, "66.6667"}, {3, 2, "33.3333"}, {2, 0, "100"}, {4, 3, "25"}, {7, 6, "14.2857"}, {0, 0, "0"}, {20000, 19999, "0.005"},
	}
	for _, c := range cases {
		if got := fmt.Sprintf("%.6g", Stats{Transmitted: c.tx, Received: c.rx}.Loss()); got != c.want {
			t.Errorf("loss %d/%d = %s, want %s", c.rx, c.tx, got, c.want)
		}
	}
}

func TestTracker(t *testing.T) {
	var tr tracker
	for seq := uint16(1); seq <= 3; seq++ {
		tr.sent(seq)
	}
	if tr.inFlight() != 3 {
		t.Fatalf("in flight = %d, want 3", tr.inFlight())
	}
	tr.acknowledge(1)
	if tr.pipe != 3 || tr.inFlight() != 2 {
		t.Fatalf("after ack 1: pipe %d in flight %d, want 3 and 2", tr.pipe, tr.inFlight())
	}
	if tr.received(2) || !tr.received(2) {
		t.Fatal("second reply to seq 2 not a duplicate")
	}
	tr.acknowledge(3)
	if tr.inFlight() != 0 {
		t.Fatalf("in flight = %d after the last ack", tr.inFlight())
	}
	// Sequence numbers wrap at 65536; a reused number starts unanswered.
	for i := 0; i < 1<<16; i++ {
		tr.sent(uint16(tr.transmitted + 1))
	}
	if tr.answered(2) {
		t.Fatal("seq 2 still answered after it was sent again")
	}
}

func TestICMPErrorText(t *testing.T) {
	cases := []struct {
		v6        bool
		typ, code uint8
		info      uint32
		want      string
	}{
		{false, 3, 1, 0, "Destination Host Unreachable"},
		{false, 3, 0, 0, "Destination Net Unreachable"},
		{false, 3, 4, 1400, "Frag needed and DF set (mtu = 1400)"},
		{false, 3, 13, 0, "Packet filtered"},
		{false, 3, 99, 0, "Dest Unreachable, Bad Code: 99"},
		{false, 11, 0, 0, "Time to live exceeded"},
		{false, 12, 0, 20, "Parameter problem: pointer = 20"},
		{true, 1, 3, 0, "Destination unreachable: Address unreachable"},
		{true, 1, 0, 0, "Destination unreachable: No route"},
		{true, 3, 0, 0, "Time exceeded: Hop limit"},
		{true, 2, 0, 1280, "Packet too big: mtu=1280"},
		{true, 4, 1, 40, "Parameter problem: Unknown header at 40"},
	}
	for _, c := range cases {
		e := ICMPError{IPv6: c.v6, Type: c.typ, Code: c.code, Info: c.info}
		if got := e.Text(); got != c.want {
			t.Errorf("v6=%v type %d code %d: %q, want %q", c.v6, c.typ, c.code, got, c.want)
		}
	}
}

// TestCounting feeds replies and errors to a run as the socket would and
// checks that duplicates, damaged replies and errors are counted as
// iputils counts them.
func TestCounting(t *testing.T) {
	dest := netip.MustParseAddr("10.0.0.2")
	p := &Pinger{cfg: Config{Dest: dest}, sock: &socket{id: 7}, dataLen: 56, timing: true}
	var events []string
	// The request as sent, which replies are checked against.
	pkt := make([]byte, 8+56)
	fillPattern(pkt, nil)
	r := &run{p: p, pkt: pkt, emit: func(ev Event) {
		switch e := ev.(type) {
		case *Reply:
			events = append(events, fmt.Sprintf("reply %d dup=%v bad=%v wrong=%d", e.Seq, e.Dup, e.BadChecksum, e.WrongByte))
		case *ICMPError:
			events = append(events, fmt.Sprintf("error %d %s", e.Seq, e.Text()))
		}
	}}
	for seq := uint16(1); seq <= 4; seq++ {
		r.tr.sent(seq)
		r.stats.Transmitted++
	}
	good := func(seq uint16) []byte { return ipv4(64, echoMsg(echoReply4, 7, seq, 56, true)) }
	bad := ipv4(64, echoMsg(echoReply4, 7, 3, 56, true))
	bad[20+8+20] ^= 1 // data byte 20
	r.handle(good(1), nil, dest)
	r.handle(good(1), nil, dest)                                       // duplicate
	r.handle(bad, nil, dest)                                           // damaged
	r.handle(ipv4(64, echoMsg(echoReply4, 8, 2, 56, true)), nil, dest) // another pinger's
	q := queuedError{origin: originICMP, typ: 3, code: 1, offender: netip.MustParseAddr("10.0.0.1")}
	q.setOriginal(echoMsg(echoRequest4, 7, 4, 56, true))
	r.handleError(q)
	q.setOriginal(echoMsg(echoRequest4, 9, 4, 56, true)) // not ours
	r.handleError(q)
	st := r.finish()
	want := []string{"reply 1 dup=false bad=false wrong=0", "reply 1 dup=true bad=false wrong=0", "reply 3 dup=false bad=true wrong=20", "error 4 Destination Host Unreachable"}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Fatalf("events %q, want %q", events, want)
	}
	if st.Transmitted != 4 || st.Received != 2 || st.Duplicates != 1 || st.Errors != 1 || st.Pipe != 4 {
		t.Fatalf("stats %+v", st)
	}
	if got := fmt.Sprintf("%.6g", st.Loss()); got != "50" {
		t.Fatalf("loss %s, want 50", got)
	}
}

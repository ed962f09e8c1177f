package icmp

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// collect runs p and returns its stats and replies.
func collect(t *testing.T, cfg Config) (Stats, []Reply, []ICMPError) {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var replies []Reply
	var errs []ICMPError
	st, err := p.Run(context.Background(), func(ev Event) {
		switch e := ev.(type) {
		case *Reply:
			replies = append(replies, *e)
		case *ICMPError:
			errs = append(errs, *e)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, replies, errs
}

func TestIntegrationEcho(t *testing.T) {
	p := netnstest.NewPair(t)
	netnstest.Sysctl(t, p.A, "net.ipv4.ping_group_range", "0 2147483647")
	cases := []struct {
		name   string
		dest   string
		socket SocketKind
	}{
		{"raw v4", p.B4, RawSocket},
		{"raw v6", p.B6, RawSocket},
		{"datagram v4", p.B4, DatagramSocket},
		{"datagram v6", p.B6, DatagramSocket},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dest := netip.MustParseAddr(c.dest)
			st, replies, _ := collect(t, Config{Target: p.A, Dest: dest, Count: 3, Interval: 20 * time.Millisecond, Socket: c.socket})
			if st.Transmitted != 3 || st.Received != 3 || st.Errors != 0 || st.Duplicates != 0 {
				t.Fatalf("stats %+v, want 3 sent and 3 received", st)
			}
			if !st.Timed || st.Min <= 0 || st.Min > st.Avg || st.Avg > st.Max {
				t.Fatalf("RTTs %v/%v/%v not ordered", st.Min, st.Avg, st.Max)
			}
			for i, r := range replies {
				if r.Seq != uint16(i+1) || r.From != dest || r.Bytes != 64 || r.TTL != 64 || !r.Timed || r.Dup || r.BadChecksum {
					t.Fatalf("reply %d: %+v", i, r)
				}
			}
		})
	}
}

// Two raw pingers in one namespace see each other's replies in the kernel;
// the socket filter and identifier must keep their counts apart.
func TestIntegrationConcurrentRaw(t *testing.T) {
	p := netnstest.NewPair(t)
	var wg sync.WaitGroup
	stats := make([]Stats, 2)
	for i := range stats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stats[i], _, _ = collect(t, Config{Target: p.A, Dest: netip.MustParseAddr(p.B4), Count: 200, Flood: true, Socket: RawSocket})
		}()
	}
	wg.Wait()
	// Counting the other pinger's replies would show as more than 200 or
	// as duplicates. A few fewer is a flood's end on a busy machine: after
	// the last request it waits only twice the longest round trip, as
	// iputils does, and a descheduled reader misses that window.
	for i, st := range stats {
		if st.Transmitted != 200 || st.Received > 200 || st.Received < 190 || st.Duplicates != 0 || st.Errors != 0 {
			t.Errorf("pinger %d: %+v, want 200 sent, 190 to 200 received, no duplicates", i, st)
		}
	}
}

func TestIntegrationLossAndLinger(t *testing.T) {
	p := netnstest.NewPair(t)
	netnstest.Sysctl(t, p.B, "net.ipv4.icmp_echo_ignore_all", "1")
	start := time.Now()
	st, _, _ := collect(t, Config{Target: p.A, Dest: netip.MustParseAddr(p.B4), Count: 2, Interval: 50 * time.Millisecond, Linger: 300 * time.Millisecond})
	if st.Transmitted != 2 || st.Received != 0 || st.Loss() != 100 {
		t.Fatalf("stats %+v, want 2 sent, none back", st)
	}
	// The run ends Linger after the last request, not later.
	if d := time.Since(start); d < 350*time.Millisecond || d > 2*time.Second {
		t.Fatalf("run took %v, want about 350ms", d)
	}
}

func TestIntegrationTimeExceeded(t *testing.T) {
	c := netnstest.NewChain(t, 1)
	st, _, errs := collect(t, Config{Target: c.H1(), Dest: netip.MustParseAddr(c.Dest4()), Count: 2, Interval: 20 * time.Millisecond, TTL: 1})
	if st.Errors != 2 || st.Received != 0 || len(errs) != 2 {
		t.Fatalf("stats %+v, errors %v; want 2 errors", st, errs)
	}
	router := netip.MustParseAddr(c.Addr4[1])
	for _, e := range errs {
		if e.From != router || e.Text() != "Time to live exceeded" {
			t.Fatalf("error %+v (%s), want Time to live exceeded from %s", e, e.Text(), router)
		}
	}
}

func TestIntegrationDeadlineAndCancel(t *testing.T) {
	p := netnstest.NewPair(t)
	dest := netip.MustParseAddr(p.B4)
	start := time.Now()
	st, _, _ := collect(t, Config{Target: p.A, Dest: dest, Interval: 100 * time.Millisecond, Deadline: time.Second})
	took := time.Since(start)
	// The deadline ends the run, not the 10 s linger. Requests go out at
	// most once an interval; a busy machine may send fewer, and the last
	// may still be on its way when the deadline comes.
	if took < time.Second || took > 5*time.Second || st.Transmitted < 2 || st.Transmitted > 11 ||
		st.Received > st.Transmitted || st.Received+1 < st.Transmitted {
		t.Fatalf("-w 1 -i 0.1: %+v after %v, want about 10 sent in 1s, all back but the last", st, took)
	}
	pg, err := New(Config{Target: p.A, Dest: dest, Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	// Cancelled once the fifth reply is in, however long a busy machine
	// takes to get there.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err = pg.Run(ctx, func(ev Event) {
		if r, ok := ev.(*Reply); ok && r.Seq == 5 {
			cancel()
		}
	})
	if err != nil || st.Transmitted < 5 || st.Received < 5 || st.Received > st.Transmitted {
		t.Fatalf("cancelled run: %+v, %v", st, err)
	}
}

// A link-local destination needs its zone; replies carry it back.
func TestIntegrationLinkLocal(t *testing.T) {
	p := netnstest.NewPair(t)
	netnstest.Addr(t, p.A, p.DevA, "fe80::a/64")
	netnstest.Addr(t, p.B, p.DevB, "fe80::b/64")
	dest := netip.MustParseAddr("fe80::b%" + p.DevA)
	st, replies, _ := collect(t, Config{Target: p.A, Dest: dest, Count: 2, Interval: 20 * time.Millisecond})
	if st.Received != 2 {
		t.Fatalf("stats %+v, want 2 replies", st)
	}
	for _, r := range replies {
		if r.From != dest || r.WrongSource {
			t.Fatalf("reply from %s (wrong source %v), want %s", r.From, r.WrongSource, dest)
		}
	}
	if _, err := New(Config{Target: p.A, Dest: netip.MustParseAddr("fe80::b%nosuchif")}); err == nil {
		t.Fatal("unknown zone accepted")
	}
}

package reach

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// fakeProber answers from a table of (from, addr) -> outcome and records
// how many probes were in flight at once.
type fakeProber struct {
	block    map[string]Outcome // "from>addr"
	delay    time.Duration
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	mu       sync.Mutex
	jobs     []Job
	// With gate set, each probe first waits (5 s at most) until gate
	// probes are in flight at once; full is closed then.
	gate     int32
	gateOnce sync.Once
	full     chan struct{}
}

func (f *fakeProber) Probe(ctx context.Context, j Job) Result {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.maxSeen.Load()
		if n <= m || f.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	f.mu.Lock()
	f.jobs = append(f.jobs, j)
	f.mu.Unlock()
	if f.gate > 0 {
		if n >= f.gate {
			f.gateOnce.Do(func() { close(f.full) })
		}
		select {
		case <-f.full:
		case <-time.After(5 * time.Second):
		}
	}
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return Result{From: j.From, To: j.To, Addr: j.Addr, Outcome: Timeout, Reason: "timeout"}
	}
	r := Result{From: j.From, To: j.To, Addr: j.Addr, Sent: j.Probes}
	switch o, ok := f.block[j.From+">"+j.Addr.String()]; {
	case !ok:
		r.Outcome, r.Received, r.RTT = Reached, j.Probes, time.Duration(len(j.From))*time.Millisecond
	case o == ICMPError:
		r.Outcome, r.Reason, r.ErrorFrom = o, "Destination Host Unreachable", netip.MustParseAddr("10.0.0.254")
	default:
		r.Outcome, r.Reason = o, "timeout"
	}
	return r
}

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

var lab = []Endpoint{
	{Name: "a", Addrs: addrs("10.0.0.1", "fd00::1")},
	{Name: "bb", Addrs: addrs("10.0.0.2")},
	{Name: "c"},
	{Name: "d", Addrs: addrs("10.0.0.4", "fd00::4")},
}

func TestRunMatrix(t *testing.T) {
	p := &fakeProber{block: map[string]Outcome{
		"a>fd00::4":   Timeout,   // a reaches d over IPv4 only
		"bb>10.0.0.1": ICMPError, // bb cannot reach a at all...
		"bb>fd00::1":  Timeout,
	}}
	m := NewMatrix(lab)
	st, err := Run(context.Background(), Config{Endpoints: lab, Prober: p, Concurrency: 3}, m.Add)
	if err != nil {
		t.Fatal(err)
	}
	// a probes 3 addresses, bb 4, c 5, d 3 (c has none to probe).
	if st.Jobs != 15 || st.Reached != 12 {
		t.Errorf("Stats = %+v, want 15 jobs, 12 reached", st)
	}
	want := map[[2]string]Status{
		{"a", "a"}: Self, {"a", "bb"}: Reach, {"a", "c"}: NoAddrs, {"a", "d"}: Partial,
		{"bb", "a"}: Unreachable, {"bb", "bb"}: Self, {"bb", "c"}: NoAddrs, {"bb", "d"}: Reach,
		{"c", "a"}: Reach, {"c", "bb"}: Reach, {"c", "c"}: Self, {"c", "d"}: Reach,
		{"d", "a"}: Reach, {"d", "bb"}: Reach, {"d", "c"}: NoAddrs, {"d", "d"}: Self,
	}
	for k, w := range want {
		c, ok := m.Cell(k[0], k[1])
		if !ok || c.Status != w {
			t.Errorf("cell %s -> %s = %v (%+v), want %v", k[0], k[1], c.Status, c.Results, w)
		}
	}
	if c, _ := m.Cell("a", "d"); len(c.Results) != 2 || c.Results[0].Addr.String() != "10.0.0.4" || c.RTT() != time.Millisecond {
		t.Errorf("a -> d results = %+v (rtt %v), want 10.0.0.4 then fd00::4, rtt 1ms", c.Results, c.RTT())
	}
	if got := p.maxSeen.Load(); got > 3 {
		t.Errorf("%d probes in flight at once, want at most 3", got)
	}
}

func TestRunParallel(t *testing.T) {
	var eps []Endpoint
	for i := 0; i < 20; i++ {
		eps = append(eps, Endpoint{Name: fmt.Sprint("n", i), Addrs: addrs(fmt.Sprintf("10.0.0.%d", i+1))})
	}
	// The probes wait for one another until 64 are in flight: with a
	// fixed 20 ms each, a dispatcher descheduled that long on a busy
	// machine would see the first ones end before the last began.
	p := &fakeProber{gate: 64, full: make(chan struct{})}
	st, err := Run(context.Background(), Config{Endpoints: eps, Prober: p, Concurrency: 64}, func(Result) {})
	if err != nil || st.Jobs != 380 {
		t.Fatalf("Run = %+v, %v; want 380 jobs", st, err)
	}
	if got := p.maxSeen.Load(); got != 64 {
		t.Errorf("at most %d probes in flight, want the bound of 64 reached", got)
	}
}

func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &fakeProber{delay: time.Hour}
	n := 0
	time.AfterFunc(20*time.Millisecond, cancel)
	st, err := Run(ctx, Config{Endpoints: lab, Prober: p, Concurrency: 2}, func(Result) { n++ })
	if err != context.Canceled || n != 0 || st.Jobs != 0 {
		t.Errorf("cancelled Run = %+v, %v, %d results; want context.Canceled and none", st, err, n)
	}
}

func TestJobsDefaults(t *testing.T) {
	jobs := Jobs(Config{Endpoints: lab[:2]})
	if len(jobs) != 3 {
		t.Fatalf("got %d jobs, want 3", len(jobs))
	}
	j := jobs[0]
	if j.From != "a" || j.To != "bb" || j.Probes != 3 || j.Timeout != time.Second || j.Interval != 2*time.Millisecond {
		t.Errorf("first job = %+v", j)
	}
}

func TestShort(t *testing.T) {
	v4, v6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("fd00::1")
	cases := []struct {
		r    Result
		want string
	}{
		{Result{Outcome: Reached}, "reach"},
		{Result{Outcome: Timeout}, "timeout"},
		{Result{Outcome: ICMPError, Addr: v4, ICMPType: 3, ICMPCode: 1}, "!H"},
		{Result{Outcome: ICMPError, Addr: v4, ICMPType: 3, ICMPCode: 0}, "!N"},
		{Result{Outcome: ICMPError, Addr: v4, ICMPType: 3, ICMPCode: 13}, "!X"},
		{Result{Outcome: ICMPError, Addr: v4, ICMPType: 3, ICMPCode: 99}, "!<99>"},
		{Result{Outcome: ICMPError, Addr: v4, ICMPType: 11}, "!T"},
		{Result{Outcome: ICMPError, Addr: v6, ICMPType: 1, ICMPCode: 3}, "!H"},
		{Result{Outcome: ICMPError, Addr: v6, ICMPType: 1, ICMPCode: 1}, "!X"},
		{Result{Outcome: ICMPError, Addr: v6, ICMPType: 1, ICMPCode: 0}, "!N"},
		{Result{Outcome: ICMPError, Addr: v6, ICMPType: 3}, "!T"},
		{Result{Outcome: SendError, Err: fmt.Errorf("sendto: %w", syscall.EINVAL)}, "blackhole"},
		{Result{Outcome: SendError, Err: syscall.ENETUNREACH}, "no-route"},
		{Result{Outcome: SendError, Err: syscall.EACCES}, "prohibited"},
		{Result{Outcome: SendError, Err: syscall.EPERM}, "filtered"},
		{Result{Outcome: Failed}, "error"},
	}
	for _, c := range cases {
		if got := c.r.Short(); got != c.want {
			t.Errorf("%+v.Short() = %q, want %q", c.r, got, c.want)
		}
	}
}

package reach

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
)

// Endpoint is one namespace of the matrix.
type Endpoint struct {
	// Name labels its row and column (and names it in expect files).
	Name string
	NS   nsexec.Target
	// Addrs are the addresses others probe; see GlobalAddrs.
	Addrs []netip.Addr
}

// Config says what Run probes. Zero values take the defaults.
type Config struct {
	// Endpoints are the namespaces; every one probes every other one.
	Endpoints []Endpoint
	// Probes is how many echo requests go to each address (default 3);
	// one reply is enough to count the address as reached.
	Probes int
	// Interval separates the probes to one address (default 2ms, the
	// shortest iputils allows without CAP_NET_RAW).
	Interval time.Duration
	// Timeout is how long to wait for a reply after the last probe to an
	// address (default 1s, as ping -W1).
	Timeout time.Duration
	// Concurrency bounds how many addresses are probed at once (default 64).
	Concurrency int
	// Prober sends the probes (default: ICMP echo, see ICMPProber).
	Prober Prober
}

const (
	defaultProbes      = 3
	defaultInterval    = 2 * time.Millisecond
	defaultTimeout     = time.Second
	defaultConcurrency = 64
)

// Job is one source namespace and one destination address.
type Job struct {
	From, To string // endpoint names
	Src      nsexec.Target
	Addr     netip.Addr
	Probes   int
	Interval time.Duration
	Timeout  time.Duration
}

// Prober sends a job's probes and reports what came back. It must honour
// ctx and be safe for concurrent use.
type Prober interface {
	Probe(ctx context.Context, j Job) Result
}

// Outcome is what became of the probes to one address.
type Outcome int

const (
	// Reached: at least one echo reply came back.
	Reached Outcome = iota
	// Timeout: nothing came back in time.
	Timeout
	// ICMPError: a router or the destination answered with an ICMP error
	// (unreachable, prohibited, time exceeded).
	ICMPError
	// SendError: the source's own kernel refused to send (no route,
	// blackhole or prohibit route, network down).
	SendError
	// Failed: the probe could not be run at all (cannot enter the source
	// namespace, no permission to open the socket).
	Failed
)

// Result is the answer for one (source, destination address).
type Result struct {
	From, To string
	Addr     netip.Addr
	Outcome  Outcome
	Sent     int
	Received int
	// RTT is the shortest round trip of the replies (Reached only).
	RTT time.Duration
	// Reason says why it was not reached, as ping prints it: "Destination
	// Host Unreachable", "timeout", "sendmsg: Network is unreachable".
	Reason string
	// ErrorFrom, ICMPType and ICMPCode describe the ICMP error (ICMPv4 or
	// ICMPv6 by the family of Addr) for ICMPError.
	ErrorFrom          netip.Addr
	ICMPType, ICMPCode int
	// Err is the system error behind SendError and Failed.
	Err error
}

// Stats sums up a run.
type Stats struct {
	// Jobs is the number of (source, destination address) probed;
	// Reached how many of them answered.
	Jobs, Reached int
	Elapsed       time.Duration
}

// Run probes every address of every endpoint from every other endpoint and
// calls emit with each Result as it comes (one call at a time, from the
// calling goroutine). It returns early with ctx's error when ctx ends; the
// Results emitted so far stand.
func Run(ctx context.Context, cfg Config, emit func(Result)) (Stats, error) {
	start := time.Now()
	if cfg.Prober == nil {
		cfg.Prober = ICMPProber{}
	}
	jobs := Jobs(cfg)
	conc := cfg.Concurrency
	if conc <= 0 {
		conc = defaultConcurrency
	}
	results := make(chan Result)
	todo := make(chan Job)
	var wg sync.WaitGroup
	for i := 0; i < min(conc, len(jobs)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range todo {
				results <- cfg.Prober.Probe(ctx, j)
			}
		}()
	}
	go func() {
		defer close(todo)
		for _, j := range jobs {
			select {
			case todo <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var st Stats
	for r := range results {
		// A probe cut short by the caller is not an answer.
		if ctx.Err() != nil && r.Outcome != Reached {
			continue
		}
		st.Jobs++
		if r.Outcome == Reached {
			st.Reached++
		}
		emit(r)
	}
	st.Elapsed = time.Since(start)
	return st, ctx.Err()
}

// Jobs lists what Run probes for cfg, with defaults filled in: for each
// source in order, each other endpoint's addresses in order.
func Jobs(cfg Config) []Job {
	probes, interval, timeout := cfg.Probes, cfg.Interval, cfg.Timeout
	if probes <= 0 {
		probes = defaultProbes
	}
	if interval <= 0 {
		interval = defaultInterval
	}
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	var jobs []Job
	for i, src := range cfg.Endpoints {
		for k, dst := range cfg.Endpoints {
			if i == k {
				continue
			}
			for _, a := range dst.Addrs {
				jobs = append(jobs, Job{From: src.Name, To: dst.Name, Src: src.NS, Addr: a,
					Probes: probes, Interval: interval, Timeout: timeout})
			}
		}
	}
	return jobs
}

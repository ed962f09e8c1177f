// Command trace times the trace engine alone, without a process start per
// trace: it opens nothing before the clock starts, then runs RUNS whole
// traces (sockets opened in the namespace, probes, sockets closed) one
// after another and prints the median wall time of one trace in
// milliseconds. scripts/bench-trace.sh sets it beside traceroute to tell
// the engine's cost from the Go runtime's start-up.
//
// It needs root (raw sockets, entering the namespace).
package main

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/nsdiag/nsdiag/trace"
)

func main() {
	ns := flag.String("n", "", "network namespace to trace from")
	runs := flag.Int("runs", 21, "number of traces")
	icmp := flag.Bool("I", false, "ICMP echo probes")
	wait := flag.Duration("w", 5*time.Second, "MAX wait (HERE and NEAR stay 3 and 10)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: trace [-n NETNS] [-runs N] [-I] [-w MAX] DEST")
		os.Exit(2)
	}
	t, err := nsexec.Parse(*ns)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	dest, err := netip.ParseAddr(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	c := trace.Config{Target: t, Dest: dest, Wait: trace.Wait{Max: *wait}}
	if *icmp {
		c.Method = trace.ICMP
	}
	var took []time.Duration
	for i := 0; i <= *runs; i++ {
		began := time.Now()
		res, err := c.Run(context.Background(), nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if !res.Reached {
			fmt.Fprintf(os.Stderr, "trace did not reach %s\n", dest)
			os.Exit(1)
		}
		if i > 0 { // the first run warms caches, as the script's warm-up
			took = append(took, time.Since(began))
		}
	}
	slices.Sort(took)
	fmt.Printf("%.2f\n", float64(took[len(took)/2])/float64(time.Millisecond))
}

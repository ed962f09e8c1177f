package main

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/nsdiag/nsdiag/trace"
)

// The demo traces h2 from h1: two hops, the router then the host, printed
// as nsdiag trace -n h1 prints them.
func init() {
	registerDemoStep(demoStep{order: 20, title: "trace h2 from h1 across r1", run: traceDemo})
}

func traceDemo(ctx context.Context, lab *demoLab) error {
	dest, err := netip.ParseAddr(lab.H2Addr4)
	if err != nil {
		return fmt.Errorf("demo lab: h2 address %q: %w", lab.H2Addr4, err)
	}
	cfg := trace.Config{Target: lab.H1, Dest: dest}
	tr, err := cfg.Open()
	if err != nil {
		return err
	}
	defer tr.Close()
	cfg = tr.Config()
	fmt.Fprintf(lab.Out, "$ nsdiag trace -n %s %s\n", lab.H1.String(), dest)
	traceHeader(lab.Out, dest.String(), cfg)
	p := newTextHops(lab.Out, nil, hopStyle{})
	res, err := tr.Run(ctx, p.probe)
	p.end()
	if err != nil {
		return err
	}
	if !res.Reached {
		return fmt.Errorf("trace from %s did not reach %s", lab.H1.String(), dest)
	}
	return nil
}

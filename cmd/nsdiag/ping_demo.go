package main

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/nsdiag/nsdiag/icmp"
)

// The demo pings h2 from h1 across r1, three requests, printed as
// nsdiag ping -n h1 prints them.
func init() {
	registerDemoStep(demoStep{order: 10, title: "ping h2 from h1 across r1", run: pingDemo})
}

func pingDemo(ctx context.Context, lab *demoLab) error {
	dest, err := netip.ParseAddr(lab.H2Addr4)
	if err != nil {
		return fmt.Errorf("demo lab: h2 address %q: %w", lab.H2Addr4, err)
	}
	o := &pingOptions{host: dest.String(), numeric: true}
	o.cfg = icmp.Config{Target: lab.H1, Dest: dest, Count: 3}
	p, err := icmp.New(o.cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	fmt.Fprintf(lab.Out, "$ nsdiag ping -n %s -c 3 %s\n", lab.H1.String(), dest)
	r := newPingText(lab.Out, lab.Out, o, o.host, p, nil)
	r.start()
	st, err := p.Run(ctx, r.event)
	r.summary(st)
	if err != nil {
		return err
	}
	if st.Received == 0 {
		return fmt.Errorf("no reply from %s to %s", dest, lab.H1.String())
	}
	return nil
}

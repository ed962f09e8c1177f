package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/capture/printer"
	"github.com/nsdiag/nsdiag/icmp"
)

// The demo captures ICMP on every interface of h2 while h1 pings it, and
// prints the lines as nsdiag sniff -n h2 -i any icmp does.
func init() {
	registerDemoStep(demoStep{order: 30, title: "capture ICMP in h2 while h1 pings it", run: sniffDemo})
}

func sniffDemo(ctx context.Context, lab *demoLab) error {
	dest, err := netip.ParseAddr(lab.H2Addr4)
	if err != nil {
		return fmt.Errorf("demo lab: h2 address %q: %w", lab.H2Addr4, err)
	}
	const pings = 3
	src, err := capture.Open(capture.Config{Netns: lab.H2, Interface: capture.AnyInterface, Expression: "icmp"})
	if err != nil {
		return err
	}
	defer src.Close()
	fmt.Fprintf(lab.Out, "$ nsdiag sniff -n %s -i any -c %d icmp    # while h1 pings %s\n", lab.H2.String(), 2*pings, dest)

	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pinged := make(chan error, 1)
	go func() {
		p, err := icmp.New(icmp.Config{Target: lab.H1, Dest: dest, Count: pings, Interval: 200 * time.Millisecond})
		if err != nil {
			pinged <- err
			return
		}
		defer p.Close()
		_, err = p.Run(ctx, func(icmp.Event) {})
		pinged <- err
	}()
	pr := printer.New(printer.Options{})
	var line []byte
	n := 0
	_, err = src.Run(ctx, func(p *capture.Packet) error {
		line = pr.Append(line[:0], &printer.Packet{Time: p.Time, LinkType: p.LinkType, Data: p.Data, Length: p.Length, Interface: p.Interface})
		lab.Out.Write(line)
		if n++; n == 2*pings {
			return capture.ErrStop
		}
		return nil
	})
	if perr := <-pinged; err == nil {
		err = perr
	}
	if err == nil && n < 2*pings {
		err = errors.New("the capture in h2 saw fewer packets than h1 sent and received")
	}
	fmt.Fprintf(lab.Out, "%d packets captured\n", n)
	return err
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/capture/filter"
	"github.com/nsdiag/nsdiag/internal/resolve"
	"github.com/urfave/cli/v2"
)

// sniffLive captures in every target namespace until -c, Ctrl-C, SIGTERM
// or what it captures goes away, then prints tcpdump's counters.
func sniffLive(c *cli.Context, a *sniffArgs) error {
	stdout, stderr := c.App.Writer, c.App.ErrWriter
	multi := len(a.targets) > 1
	var srcs []*capture.Source
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	for _, t := range a.targets {
		cfg := capture.Config{Netns: t, Interface: a.iface, Snaplen: a.snaplen, NoPromisc: a.noPromisc,
			Direction: a.dir, BufferSize: a.bufferSize, Cooked1: a.linkType == "LINUX_SLL"}
		if a.dump == 0 {
			cfg.Expression = a.expr
		}
		src, err := capture.Open(cfg)
		if err != nil {
			return sniffOpenError(err, enterNeed(t))
		}
		srcs = append(srcs, src)
		if err := checkLinkType(a.linkType, src); err != nil {
			return exitWith(1, err)
		}
	}
	first := srcs[0]
	if first.Interface() == capture.AnyInterface {
		// tcpdump 4.99 says which cooked header "any" will carry.
		name, _ := capture.LinkTypeName(first.LinkType())
		fmt.Fprintf(stderr, "nsdiag: data link type %s\n", name)
	}
	if a.dump > 0 {
		// Live, as tcpdump -i IF -d shows the program libpcap would attach
		// (VLAN tags and direction from the kernel's ancillary data).
		prog, err := filter.Compile(a.expr, filter.Options{LinkType: first.LinkType(), Snaplen: uint32(a.snaplen), Live: true,
			Resolver: resolve.Names{Target: first.Netns()}})
		if err != nil {
			return exitWith(1, err)
		}
		filter.Dump(prog, a.dump, stdout)
		return nil
	}

	var out *sink
	var err error
	if a.write != "" {
		var ifaces []capture.FileInterface
		for _, s := range srcs {
			ifaces = append(ifaces, capture.FileInterface{Netns: s.Netns().String(), Name: s.Interface(), LinkType: s.LinkType(), Snaplen: a.snaplen})
		}
		out, err = newFileSink(a, stdout, multi || strings.HasSuffix(a.write, ".pcapng"), ifaces)
		if err != nil {
			return exitWith(1, err)
		}
	} else {
		out = newPrintSink(a, stdout)
		out.prefixNS = multi
	}
	if err := dropPrivileges(c); err != nil {
		out.close()
		return exitWith(1, err)
	}
	banner(stderr, a, srcs)

	ctx, stop := interruptible(c.Context)
	defer stop()
	stopCount := func() {}
	if a.write != "" && a.write != "-" {
		stopCount = liveCount(stderr, out)
	}
	var stats capture.Stats
	var runErr error
	if !multi {
		stats, runErr = first.Run(ctx, out.packet)
	} else {
		runners := make([]capture.Runner, len(srcs))
		var gone atomic.Int32
		var lastGone atomic.Value
		for i, s := range srcs {
			runners[i] = &survivable{src: s, gone: func(err error) {
				// One namespace going away leaves the others running.
				if int(gone.Add(1)) < len(srcs) {
					fmt.Fprintf(stderr, "nsdiag: %v; still capturing in the others\n", err)
				}
				lastGone.Store(err)
			}}
		}
		var per []capture.Stats
		per, runErr = capture.Merge(ctx, runners, 0, out.packet)
		for _, st := range per {
			stats = stats.Add(st)
		}
		if runErr == nil && int(gone.Load()) == len(srcs) {
			runErr = lastGone.Load().(error)
		}
	}
	stopCount()
	interrupted := ctx.Err() != nil && c.Context.Err() == nil
	closeErr := out.close()
	if interrupted && a.write != "-" {
		// tcpdump ends a line it may have been printing when interrupted.
		fmt.Fprintln(stdout)
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "nsdiag: %v\n", runErr)
	}
	if closeErr != nil {
		fmt.Fprintf(stderr, "nsdiag: %s: %v\n", a.write, closeErr)
	}
	printCounters(stderr, out.captured.Load(), stats)
	if runErr != nil || closeErr != nil {
		return exitCode(1)
	}
	return nil
}

// survivable is a source in a merged capture whose end because its
// namespace or interface went away is reported, not fatal to the others.
type survivable struct {
	src  *capture.Source
	gone func(error)
}

func (s *survivable) Run(ctx context.Context, fn func(*capture.Packet) error) (capture.Stats, error) {
	st, err := s.src.Run(ctx, fn)
	if errors.Is(err, capture.ErrNetnsGone) || errors.Is(err, capture.ErrInterfaceGone) {
		s.gone(err)
		return st, nil
	}
	return st, err
}

// banner prints what tcpdump prints before capturing.
func banner(w io.Writer, a *sniffArgs, srcs []*capture.Source) {
	if a.print.Verbose == 0 && a.write == "" {
		fmt.Fprintln(w, "nsdiag: verbose output suppressed, use -v[v]... for full protocol decode")
	} else {
		fmt.Fprint(w, "nsdiag: ")
	}
	for i, s := range srcs {
		name := s.Interface()
		if len(srcs) > 1 {
			name = s.Netns().String() + "/" + name
		}
		lt, desc := capture.LinkTypeName(s.LinkType())
		sep := ""
		if i > 0 {
			sep = "nsdiag: "
		}
		fmt.Fprintf(w, "%slistening on %s, link-type %s (%s), snapshot length %d bytes\n", sep, name, lt, desc, s.Snaplen())
	}
}

// checkLinkType applies -y: "any" offers both cooked headers, an interface
// only its own link type.
func checkLinkType(want string, s *capture.Source) error {
	if want == "" {
		return nil
	}
	if _, ok := linkTypeByName(want); !ok {
		return fmt.Errorf("invalid data link type %s: -y takes EN10MB, RAW, LINUX_SLL or LINUX_SLL2", want)
	}
	have, _ := capture.LinkTypeName(s.LinkType())
	if have == want || (s.Interface() == capture.AnyInterface && (want == "LINUX_SLL" || want == "LINUX_SLL2")) {
		return nil
	}
	return fmt.Errorf("%s is not one of the DLTs supported by %s (it offers %s)", want, s.Interface(), have)
}

// sniffOpenError turns a failure to open a capture into the line to print
// and tcpdump's exit status.
func sniffOpenError(err error, enter []capNeed) error {
	var se *filter.SyntaxError
	if errors.As(err, &se) {
		return exitWith(1, err)
	}
	needs := append([]capNeed{{capNetRaw, "open a packet socket"}}, enter...)
	return exitWith(1, explainPermission(err, needs...))
}

package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/internal/resolve"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/nsdiag/nsdiag/trace"
	"github.com/urfave/cli/v2"
)

func init() {
	register(&cli.Command{
		Name:  "trace",
		Usage: "trace the route to a host from inside a network namespace, as traceroute (or mtr --report)",
		// -IF as -I -F, as traceroute's getopt reads it.
		UseShortOptionHandling: true,
		UsageText:              "nsdiag trace [-n NETNS] [options] HOST [PACKETLEN]\n\nExamples:\n   nsdiag trace -n h1 10.0.2.1\n   nsdiag trace -n h1 -T -p 443 10.0.2.1\n   nsdiag trace -n h1 --report -c 5 10.0.2.1",
		Flags: append([]cli.Flag{
			netnsFlag,
			&cli.BoolFlag{Name: "4", Usage: "use IPv4"},
			&cli.BoolFlag{Name: "6", Usage: "use IPv6"},
			&cli.BoolFlag{Name: "icmp", Aliases: []string{"I"}, Usage: "probe with ICMP echo requests"},
			&cli.BoolFlag{Name: "tcp", Aliases: []string{"T"}, Usage: "probe with TCP SYN, half-open (default port 80)"},
			&cli.BoolFlag{Name: "udp", Aliases: []string{"U"}, Usage: "probe with UDP to one port (default 53) instead of one more per probe"},
			&cli.StringFlag{Name: "source", Aliases: []string{"s"}, Usage: "send from address `SRC_ADDR`"},
			&cli.StringFlag{Name: "interface", Aliases: []string{"i"}, Usage: "send through interface `DEVICE`"},
			&cli.IntFlag{Name: "tos", Aliases: []string{"t"}, Usage: "set the IPv4 type of service or IPv6 traffic class to `TOS`"},
			&cli.IntFlag{Name: "first", Aliases: []string{"f"}, Value: 1, Usage: "start from hop `FIRST_TTL`"},
			&cli.IntFlag{Name: "max-hops", Aliases: []string{"m"}, Value: 30, Usage: "probe at most `MAX_TTL` hops"},
			&cli.IntFlag{Name: "queries", Aliases: []string{"q"}, Value: 3, Usage: "send `NQUERIES` probes per hop"},
			&cli.IntFlag{Name: "sim-queries", Aliases: []string{"N"}, Value: 16, Usage: "keep up to `SQUERIES` probes in flight"},
			&cli.StringFlag{Name: "wait", Aliases: []string{"w"}, Value: "5.0,3,10", Usage: "wait at most `MAX,HERE,NEAR`: MAX seconds, HERE times a reply from the same hop, NEAR times a reply from a later hop"},
			&cli.StringFlag{Name: "sendwait", Aliases: []string{"z"}, Value: "0", Usage: "wait `SENDWAIT` between probes: seconds, or milliseconds when above 10"},
			&cli.IntFlag{Name: "port", Aliases: []string{"p"}, DefaultText: "33434, 80 with -T, 1 with -I", Usage: "destination `PORT`: the first UDP port (one more per probe), the TCP port, or the first ICMP sequence number"},
			&cli.BoolFlag{Name: "dont-fragment", Aliases: []string{"F"}, Usage: "set Don't Fragment: a narrower link on the way answers !F-MTU"},
			&cli.StringFlag{Name: "flowlabel", Aliases: []string{"l"}, Usage: "use `FLOW_LABEL` for IPv6 probes"},
			&cli.StringFlag{Name: "sport", Usage: "send UDP and TCP probes from source port `PORT` (implies -N 1, and MAX waits)"},
			&cli.StringFlag{Name: "fwmark", Usage: "set firewall mark `MARK` on the probes (SO_MARK)"},
			&cli.StringFlag{Name: "module", Aliases: []string{"M"}, Usage: "probe with `METHOD`: default (UDP), icmp, tcp, udp or raw"},
			&cli.StringFlag{Name: "protocol", Aliases: []string{"P"}, Usage: "probe with raw IP packets of protocol `PROTO` (number or name; -M raw alone uses 253)"},
			&cli.BoolFlag{Name: "version", Aliases: []string{"V"}, Usage: "print the version and exit"},
			&cli.StringSliceFlag{Name: "gateway", Aliases: []string{"g"}, Usage: "route the probes through `GATE` first (IPv4 loose source route; several allowed, or comma-separated)"},
			&cli.BoolFlag{Name: "r", Usage: "bypass the routing tables: send only to a host on an attached network (SO_DONTROUTE)"},
			&cli.BoolFlag{Name: "mtu", Usage: "discover the MTU along the path: F=MTU on the hop that needs a smaller one (implies -F and -N 1)"},
			&cli.BoolFlag{Name: "back", Usage: "print the number of backward hops as '-N' after an address when it differs from the forward one (guessed from the answer's TTL)"},
			&cli.BoolFlag{Name: "extensions", Aliases: []string{"e"}, Usage: "show ICMP extensions (MPLS labels) after the address, as traceroute -e"},
			&cli.BoolFlag{Name: "paris", Usage: "keep every probe in one flow (constant ports and checksum) so per-flow load balancers show one consistent path"},
			&cli.BoolFlag{Name: "report", Usage: "send cycles of probes and print mtr's report table"},
			&cli.IntFlag{Name: "report-cycles", Aliases: []string{"c"}, Value: 10, Usage: "`CYCLES` to send in report mode"},
			&cli.Float64Flag{Name: "interval", Value: 1, Usage: "`SECONDS` between report cycles"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per hop (report mode: mtr's JSON report)"},
		}, ownersFlags...),
		Action: runTrace,
	})
}

// traceArgs are the parsed command line.
type traceArgs struct {
	host   string
	cfg    trace.Config
	report bool
	cycles int
	every  time.Duration
	json   bool
	// extensions prints ICMP extensions (-e); back the backward hop
	// counts (--back).
	extensions, back bool
}

func runTrace(c *cli.Context) error {
	if c.Bool("version") {
		// traceroute -V: the version and nothing else, exit 0.
		fmt.Fprint(c.App.Writer, traceVersion())
		return nil
	}
	a, err := parseTraceArgs(c)
	if err != nil {
		var coded *exitError
		if errors.As(err, &coded) {
			return err
		}
		return exitWith(2, err)
	}
	t, err := target(c)
	if err != nil {
		return err
	}
	a.cfg.Target = t
	ctx, stop := interruptible(c.Context)
	defer stop()
	family := resolve.Any
	switch {
	case c.Bool("4"):
		family = resolve.IPv4
	case c.Bool("6"):
		family = resolve.IPv6
	}
	addrs, err := resolve.All(ctx, t, a.host, family)
	if err != nil {
		return exitWith(2, err)
	}
	// traceroute takes the first IPv4 address getaddrinfo gives when no
	// family is asked for, where ping (and mtr) take the first of any.
	dest := addrs[0]
	if i := slices.IndexFunc(addrs, netip.Addr.Is4); i >= 0 && !a.report {
		dest = addrs[i]
	}
	a.cfg.Dest = dest
	for _, g := range c.StringSlice("gateway") {
		fam := resolve.IPv4
		if dest.Is6() && !dest.Is4In6() {
			fam = resolve.IPv6
		}
		gw, err := resolve.Host(ctx, t, g, fam)
		if err != nil {
			return exitWith(2, err)
		}
		a.cfg.Gateways = append(a.cfg.Gateways, gw)
	}
	if src := a.cfg.Source; src.IsValid() && src.Unmap().Is4() != dest.Unmap().Is4() {
		return exitWith(2, fmt.Errorf("IP version mismatch in addresses specified: -s %s and %s are of different families", src, dest))
	}
	if a.report {
		a.cfg.Queries = 1 // mtr sends one probe per hop per cycle
	}
	if err := a.cfg.Defaults().Validate(); err != nil {
		return exitWith(2, err)
	}
	tr, err := a.cfg.Open()
	if err != nil {
		var nerr *nsexec.Error
		if a.cfg.Method == trace.UDP && !a.json && !a.report && !errors.As(err, &nerr) && !errors.Is(err, syscall.EPERM) {
			// traceroute's UDP probes open their sockets (and find their
			// route) after the header is out, its other methods before.
			traceHeader(c.App.Writer, a.host, a.cfg.Defaults())
		}
		return traceOpenError(t, err)
	}
	defer tr.Close()
	a.cfg = tr.Config()
	out := c.App.Writer
	own := loadOwners(c)
	if a.report {
		return traceReport(ctx, out, tr, a, own)
	}
	var p probePrinter
	if a.json {
		p = newJSONHops(out, a.cfg.Queries)
	} else {
		p = newTextHops(out, own, hopStyle{ext: a.extensions, back: a.back})
		traceHeader(out, a.host, a.cfg)
	}
	_, err = tr.Run(ctx, p.probe)
	p.end()
	return traceEnded(err)
}

// traceVersion is what -V prints, in traceroute's words.
func traceVersion() string {
	return "Modern traceroute for Linux from nsdiag, version " + version + "\n"
}

// traceOpenError sorts the errors of opening a trace: a bad namespace or
// configuration is the user's to fix (exit 2, as traceroute's argument
// errors); a missing capability is named; anything else exits 1.
func traceOpenError(t nsexec.Target, err error) error {
	var nerr *nsexec.Error
	if errors.As(err, &nerr) && (errors.Is(err, nsexec.ErrNotFound) || errors.Is(err, nsexec.ErrNotNetns)) {
		return exitWith(2, err)
	}
	needs := append(enterNeed(t), capNeed{capNetRaw, "open the raw sockets that send probes and read ICMP answers"})
	return exitWith(1, explainPermission(err, needs...))
}

// traceEnded maps how a trace ended to traceroute's exit: 0 when it ran,
// 130 when interrupted (what a shell shows for traceroute killed by ^C),
// 1 with the error otherwise.
func traceEnded(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return exitCode(130)
	default:
		return exitWith(1, err)
	}
}

func parseTraceArgs(c *cli.Context) (traceArgs, error) {
	var a traceArgs
	args := c.Args().Slice()
	switch {
	case len(args) == 0:
		return a, errors.New("missing HOST: nsdiag trace [-n NETNS] [options] HOST [PACKETLEN]")
	case len(args) > 2:
		return a, fmt.Errorf("too many arguments %q: nsdiag trace takes HOST and an optional PACKETLEN", args[2:])
	}
	a.host = args[0]
	if len(args) == 2 {
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 {
			return a, fmt.Errorf("bad packet length %q: give the full packet size in bytes, such as 60", args[1])
		}
		// traceroute takes 0 as the shortest packet the method allows;
		// the engine raises any short length to that, but reads 0 as
		// its default.
		a.cfg.PacketLen = max(n, 1)
	}
	if c.Bool("4") && c.Bool("6") {
		return a, errors.New("-4 and -6 exclude each other")
	}
	method, proto, err := traceMethod(c)
	if err != nil {
		return a, err
	}
	setMethod(&a.cfg, method, proto)
	// traceroute reads these as unsigned: -m -1 is too many hops and
	// -N -1 keeps every probe in flight.
	a.cfg.FirstTTL = int(uint32(c.Int("first")))
	a.cfg.MaxTTL = int(uint32(c.Int("max-hops")))
	a.cfg.Queries = int(uint32(c.Int("queries")))
	a.cfg.SimultaneousProbes = int(uint32(c.Int("sim-queries")))
	if c.IsSet("port") && method == "raw" && !c.IsSet("protocol") {
		// traceroute's raw probes take -p as their protocol.
		a.cfg.Protocol = int(uint32(c.Int("port")))
	}
	if c.IsSet("port") {
		a.cfg.Port = c.Int("port")
	}
	a.cfg.Paris = c.Bool("paris")
	if s := c.String("source"); s != "" {
		src, err := netip.ParseAddr(s)
		if err != nil {
			return a, fmt.Errorf("bad -s %q: give an address of this namespace", s)
		}
		a.cfg.Source = src
	}
	a.cfg.Device = c.String("interface")
	a.cfg.DontFragment = c.Bool("dont-fragment")
	a.cfg.MTUDiscovery = c.Bool("mtu")
	a.cfg.DontRoute = c.Bool("r")
	if c.IsSet("sport") {
		v, err := parseUnsigned(c.String("sport"))
		if err != nil {
			return a, fmt.Errorf("bad --sport %q: give a port number, such as 40000", c.String("sport"))
		}
		a.cfg.SourcePort = int(v & 0xffff)
	}
	if c.IsSet("fwmark") {
		v, err := parseUnsigned(c.String("fwmark"))
		if err != nil {
			return a, fmt.Errorf("bad --fwmark %q: give a mark number, such as 7 or 0x10", c.String("fwmark"))
		}
		a.cfg.Mark = v
	}
	if c.IsSet("flowlabel") {
		v, err := parseUnsigned(c.String("flowlabel"))
		if err != nil {
			return a, fmt.Errorf("bad -l %q: give a flow label, such as 12345 or 0x3039", c.String("flowlabel"))
		}
		a.cfg.FlowLabel = v
	}
	// traceroute keeps the low 8 bits of -t, as the TOS byte does.
	a.cfg.TOS = c.Int("tos") & 0xff
	if a.cfg.MaxTTL > 255 {
		return a, errors.New("max hops cannot be more than 255")
	}
	if a.cfg.FirstTTL < 1 || a.cfg.FirstTTL > a.cfg.MaxTTL {
		return a, errors.New("first hop out of range")
	}
	if a.cfg.Queries < 1 || a.cfg.Queries > 10 {
		return a, errors.New("no more than 10 probes per hop")
	}
	// As traceroute, -N 0 and -p 0 mean the defaults.
	// traceroute reads -p as an unsigned number and uses its low 16 bits
	// (-1 is port 65535).
	a.cfg.Port = int(uint32(a.cfg.Port))
	if a.cfg.Wait, err = parseWait(c.String("wait")); err != nil {
		return a, err
	}
	if a.cfg.SendWait, err = parseSendWait(c.String("sendwait")); err != nil {
		return a, err
	}
	a.report, a.json, a.extensions, a.back = c.Bool("report"), c.Bool("json"), c.Bool("extensions"), c.Bool("back")
	a.cycles = c.Int("report-cycles")
	if a.cycles < 1 {
		return a, fmt.Errorf("bad -c %d: report cycles must be at least 1", a.cycles)
	}
	iv := c.Float64("interval")
	if iv <= 0 || iv > 3600 {
		return a, fmt.Errorf("bad --interval %g: give seconds above 0", iv)
	}
	a.every = time.Duration(iv * float64(time.Second))
	return a, nil
}

// parseUnsigned reads a number as traceroute's options take one (C's
// strtoul): decimal, 0x hex or 0 octal, a negative one wrapping round.
func parseUnsigned(s string) (uint32, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64)
	if err != nil {
		u, uerr := strconv.ParseUint(strings.TrimSpace(s), 0, 64)
		if uerr != nil {
			return 0, err
		}
		v = int64(u)
	}
	return uint32(v), nil
}

// parseWait reads traceroute's -w MAX[,HERE[,NEAR]] (or with "/"): as
// traceroute's, a factor left out is 0, which turns its rule off, so -w 2
// alone waits 2 seconds for every probe.
func parseWait(s string) (trace.Wait, error) {
	bad := fmt.Errorf("bad -w %q: want MAX[,HERE[,NEAR]] with non-negative numbers, such as 5.0,3,10", s)
	parts := strings.Split(strings.ReplaceAll(s, "/", ","), ",")
	if len(parts) > 3 {
		return trace.Wait{}, bad
	}
	vals := []float64{0, 0, 0}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v < 0 || v > 86400 {
			return trace.Wait{}, bad
		}
		vals[i] = v
	}
	w := trace.Wait{Max: time.Duration(vals[0] * float64(time.Second)), Here: vals[1], Near: vals[2]}
	if w.Max == 0 {
		// traceroute gives up at once with 0 (only answers already in
		// count); a zero Max would mean the default.
		w.Max = time.Nanosecond
	}
	if w.Here == 0 {
		w.Here = -1
	}
	if w.Near == 0 {
		w.Near = -1
	}
	return w, nil
}

// parseSendWait reads -z: seconds, or milliseconds when above 10.
func parseSendWait(s string) (time.Duration, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 86400000 {
		return 0, fmt.Errorf("bad -z %q: want seconds (or milliseconds above 10), such as 0.5", s)
	}
	if v > 10 {
		return time.Duration(v * float64(time.Millisecond)), nil
	}
	return time.Duration(v * float64(time.Second)), nil
}

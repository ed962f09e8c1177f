package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/capture/filter"
	"github.com/nsdiag/nsdiag/capture/printer"
	"github.com/nsdiag/nsdiag/internal/resolve"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

func init() {
	register(&cli.Command{
		Name:  "sniff",
		Usage: "capture packets inside one or more network namespaces, as tcpdump",
		UsageText: "nsdiag sniff [-n NETNS]... [--all-netns] [-i IFACE] [options] [EXPRESSION]\n\n" +
			"Examples:\n   nsdiag sniff -n ns2 -i any icmp\n   nsdiag sniff -n ns1 -n ns2 -i any icmp   # one timeline across namespaces\n" +
			"   nsdiag sniff -n ns1 -i veth0 -w out.pcap\n   nsdiag sniff -r out.pcap -e 'tcp port 80'",
		UseShortOptionHandling: true,
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "netns", Aliases: []string{"n"}, Usage: "capture inside network namespace `NETNS` (a name under /run/netns, a path, or pid:PID); repeat to capture in several at once, merged by time"},
			&cli.BoolFlag{Name: "all-netns", Usage: "capture in every named network namespace at once (default interface: any)"},
			&cli.StringFlag{Name: "interface", Aliases: []string{"i"}, Usage: "capture on `IFACE` inside the namespace, or any for all (default: the first interface that is up)"},
			&cli.IntFlag{Name: "count", Aliases: []string{"c"}, Usage: "exit after `COUNT` packets"},
			&cli.StringFlag{Name: "write", Aliases: []string{"w"}, Usage: "write packets to `FILE` (pcap; pcapng when the name ends in .pcapng or with several namespaces; - for stdout)"},
			&cli.StringFlag{Name: "read", Aliases: []string{"r"}, Usage: "read packets from pcap or pcapng `FILE` (- for stdin)"},
			&cli.BoolFlag{Name: "packet-buffered", Aliases: []string{"U"}, Usage: "with -w, write each packet to the file as soon as it is captured"},
			&cli.IntFlag{Name: "snapshot-length", Aliases: []string{"s"}, Value: capture.DefaultSnaplen, Usage: "keep `SNAPLEN` bytes of each packet (0 means 262144)"},
			&cli.BoolFlag{Name: "no-promiscuous-mode", Aliases: []string{"p"}, Usage: "do not put the interface into promiscuous mode"},
			&cli.StringFlag{Name: "direction", Aliases: []string{"Q"}, Value: "inout", Usage: "capture packets going `DIR`: in, out or inout"},
			&cli.BoolFlag{Name: "e", Usage: "print the link-level header"},
			&cli.BoolFlag{Name: "v", Usage: "verbose: TTL, id, length and checksums of IP packets"},
			&cli.BoolFlag{Name: "q", Usage: "quiet: less protocol information"},
			&cli.BoolFlag{Name: "t", Usage: "-t no timestamp, -tt epoch seconds, -ttt delta, -tttt date and time, -ttttt since the first packet"},
			&cli.BoolFlag{Name: "x", Usage: "hex dump of each packet after its link header (-xx: with it)"},
			&cli.BoolFlag{Name: "X", Usage: "hex and ASCII dump of each packet after its link header (-XX: with it)"},
			&cli.BoolFlag{Name: "A", Usage: "print each packet after its link header as ASCII text (-AA: with it)"},
			&cli.BoolFlag{Name: "S", Aliases: []string{"absolute-tcp-sequence-numbers"}, Usage: "print absolute TCP sequence numbers, not relative ones"},
			&cli.BoolFlag{Name: "number", Aliases: []string{"#"}, Usage: "start each line with the packet's number"},
			&cli.BoolFlag{Name: "list-interfaces", Aliases: []string{"D"}, Usage: "list the interfaces of the namespace that can be captured on, as tcpdump -D, and exit"},
			&cli.StringFlag{Name: "C", Usage: "with -w, start a new file once the current one is larger than `FILE_SIZE` million bytes (out, out1, out2, ...)"},
			&cli.IntFlag{Name: "W", Usage: "with -C, rotate through `FILECOUNT` files (out0, out1, ...), overwriting the oldest"},
			&cli.BoolFlag{Name: "list-data-link-types", Aliases: []string{"L"}, Usage: "list the link types -y can give a capture on the interface, as tcpdump -L, and exit"},
			&cli.BoolFlag{Name: "dont-verify-checksums", Aliases: []string{"K"}, Usage: "do not verify IP, TCP or UDP checksums"},
			// Names are never printed, so there is no domain to leave out.
			&cli.BoolFlag{Name: "N", Usage: "print host names without their domain (no effect: addresses are never resolved)"},
			&cli.StringFlag{Name: "time-stamp-precision", Usage: "print and write timestamps in `PRECISION`: micro (default) or nano"},
			&cli.BoolFlag{Name: "nano", Usage: "--time-stamp-precision=nano"},
			&cli.BoolFlag{Name: "micro", Usage: "--time-stamp-precision=micro"},
			&cli.BoolFlag{Name: "d", Usage: "print the compiled filter and exit (-dd as C, -ddd as decimal)"},
			&cli.StringFlag{Name: "linktype", Aliases: []string{"y"}, Usage: "capture with link type `TYPE` (with -i any: LINUX_SLL2 or LINUX_SLL)"},
			&cli.IntFlag{Name: "buffer-size", Aliases: []string{"B"}, Value: capture.DefaultBufferSize / 1024, Usage: "capture ring size in `KiB` per namespace"},
			&cli.BoolFlag{Name: "l", Usage: "line-buffered output: write each line as it is printed"},
			&cli.StringFlag{Name: "F", Usage: "read the filter expression from `FILE`"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per packet instead of a line"},
		}, append(ownersFlags, privilegeFlags...)...),
		Action: runSniff,
		// tcpdump exits 1 for every bad command line, not 2.
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return exitWith(1, fmt.Errorf("%v; see %s --help", err, commandPath(c)))
		},
	})
}

// sniffArgs is the parsed command line.
type sniffArgs struct {
	targets    []nsexec.Target
	iface      string
	expr       string
	count      int
	write      string
	read       string
	perPacket  bool
	snaplen    int
	noPromisc  bool
	dir        capture.Direction
	dump       int
	linkType   string
	bufferSize int
	lineBuf    bool
	fileSize   int64 // -C, in bytes
	fileCount  int   // -W
	json       bool
	print      printer.Options
}

func parseSniffArgs(c *cli.Context) (*sniffArgs, error) {
	a := &sniffArgs{
		iface: c.String("interface"), count: c.Int("count"), write: c.String("write"), read: c.String("read"),
		perPacket: c.Bool("packet-buffered"), snaplen: c.Int("snapshot-length"), noPromisc: c.Bool("no-promiscuous-mode"),
		dump: c.Count("d"), linkType: strings.ToUpper(c.String("linktype")), bufferSize: c.Int("buffer-size") * 1024,
		lineBuf: c.Bool("l"), json: c.Bool("json"),
	}
	if a.linkType != "" {
		// tcpdump rejects a name it does not know before anything else,
		// even with -r, which ignores -y.
		if _, err := filter.ParseLinkType(a.linkType); err != nil {
			return nil, fmt.Errorf("invalid data link type %s: -y takes EN10MB, RAW, LINUX_SLL or LINUX_SLL2", a.linkType)
		}
	}
	if a.count < 0 || (c.IsSet("count") && a.count == 0) {
		return nil, fmt.Errorf("invalid packet count %d: -c takes a positive number", a.count)
	}
	if a.snaplen < 0 {
		return nil, fmt.Errorf("invalid snaplen %d: -s takes 0 (262144) up to 262144", a.snaplen)
	}
	if a.snaplen == 0 || a.snaplen > capture.DefaultSnaplen {
		a.snaplen = capture.DefaultSnaplen
	}
	if c.IsSet("C") {
		n, err := strconv.ParseInt(c.String("C"), 10, 64)
		if err != nil || n <= 0 || n > math.MaxInt64/1000000 {
			return nil, fmt.Errorf("invalid file size %s: -C takes a positive number of millions of bytes", c.String("C"))
		}
		a.fileSize = n * 1000000
	}
	if a.fileCount = c.Int("W"); a.fileCount < 0 || (c.IsSet("W") && a.fileCount == 0) {
		return nil, fmt.Errorf("invalid number of output files %d: -W takes a positive number", a.fileCount)
	}
	nano := c.Bool("nano") && !c.Bool("micro")
	switch prec := c.String("time-stamp-precision"); prec {
	case "nano", "micro":
		nano = prec == "nano"
	case "":
	default:
		return nil, fmt.Errorf("unsupported time stamp precision %q: --time-stamp-precision takes micro or nano", prec)
	}
	if a.bufferSize <= 0 {
		return nil, fmt.Errorf("invalid buffer size %d KiB: -B takes a positive number", c.Int("buffer-size"))
	}
	switch strings.ToLower(c.String("direction")) {
	case "in":
		a.dir = capture.In
	case "out":
		a.dir = capture.Out
	case "inout", "":
		a.dir = capture.InOut
	default:
		return nil, fmt.Errorf("invalid direction %q: -Q takes in, out or inout", c.String("direction"))
	}
	a.expr = strings.Join(c.Args().Slice(), " ")
	if f := c.String("F"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read filter expression file: %w", err)
		}
		a.expr = filterFileExpr(string(b))
	}
	a.print = printOptions(c, nano)
	if !a.json && a.write == "" {
		if o := loadOwners(c); o != nil {
			a.print.Owner = o.annotate
		}
	}
	if a.read == "" {
		targets, err := sniffTargets(c)
		if err != nil {
			return nil, err
		}
		a.targets = targets
		if a.iface == "" && c.Bool("all-netns") {
			a.iface = capture.AnyInterface
		}
	}
	return a, nil
}

// filterFileExpr reads an -F file as tcpdump does: lines joined, with
// everything after a # on a line ignored.
func filterFileExpr(text string) string {
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

// printOptions maps tcpdump's output flags to the printer's options.
func printOptions(c *cli.Context, nano bool) printer.Options {
	o := printer.Options{LinkHeader: c.Bool("e"), Verbose: c.Count("v"), Quiet: c.Bool("q"), AbsoluteSeq: c.Bool("S"),
		Number: c.Bool("number"), Nanoseconds: nano, NoChecksums: c.Bool("dont-verify-checksums")}
	o.Timestamp = [...]printer.TimestampFormat{printer.TimestampDefault, printer.TimestampNone, printer.TimestampEpoch,
		printer.TimestampDelta, printer.TimestampDate, printer.TimestampSinceFirst}[min(c.Count("t"), 5)]
	switch {
	case c.Count("X") >= 2:
		o.Hex = printer.HexASCIIFrame
	case c.Count("X") == 1:
		o.Hex = printer.HexASCIIPayload
	case c.Count("x") >= 2:
		o.Hex = printer.HexFrame
	case c.Count("x") == 1:
		o.Hex = printer.HexPayload
	case c.Count("A") >= 2:
		o.Hex = printer.ASCIIFrame
	case c.Count("A") == 1:
		o.Hex = printer.ASCIIPayload
	}
	return o
}

// sniffTargets reads -n (repeatable) and --all-netns; the same namespace
// named twice is captured once.
func sniffTargets(c *cli.Context) ([]nsexec.Target, error) {
	names := c.StringSlice("netns")
	if c.Bool("all-netns") {
		if len(names) > 0 {
			return nil, errors.New("-n and --all-netns together: give one or the other")
		}
		list, err := nsexec.List()
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("--all-netns: there is no named network namespace under %s (see nsdiag ns list)", nsexec.RunDir)
		}
		names = list
	}
	if len(names) == 0 {
		return []nsexec.Target{{}}, nil
	}
	var out []nsexec.Target
	seen := map[nsexec.ID]bool{}
	for _, n := range names {
		t, err := parseTarget(n)
		if err != nil {
			return nil, err
		}
		id, err := nsexec.Identify(t)
		if err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// linkTypeByName reads -y's argument.
func linkTypeByName(name string) (layers.LinkType, bool) {
	for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw} {
		if n, _ := capture.LinkTypeName(lt); n == name {
			return lt, true
		}
	}
	return 0, false
}

func runSniff(c *cli.Context) error {
	a, err := parseSniffArgs(c)
	if err != nil {
		return exitWith(1, err) // as tcpdump for a bad count, snaplen or direction
	}
	switch {
	case c.Bool("list-interfaces"):
		if a.read != "" {
			// tcpdump lists the host's interfaces with -r; these are
			// the namespace's own.
			if a.targets, err = sniffTargets(c); err != nil {
				return exitWith(1, err)
			}
		}
		return sniffListInterfaces(c, a)
	case c.Bool("list-data-link-types") && a.read == "":
		return sniffListLinkTypes(c, a)
	case a.read != "":
		return sniffFile(c, a)
	case a.dump > 0 && a.iface == "":
		return sniffDumpOnly(c, a)
	}
	return sniffLive(c, a)
}

// sniffDumpOnly prints the program for -y's link type, Ethernet without
// one, and opens no socket: tcpdump -d with no -i compiles against a dead
// handle the same way, so programs can be read for any link type.
func sniffDumpOnly(c *cli.Context, a *sniffArgs) error {
	lt := layers.LinkTypeEthernet
	if a.linkType == "" {
		fmt.Fprintln(c.App.ErrWriter, "Warning: assuming Ethernet")
	} else {
		var err error
		if lt, err = filter.ParseLinkType(a.linkType); err != nil {
			return exitWith(1, err)
		}
	}
	// Names resolve as tcpdump's would under ip netns exec (the first -n).
	opts := filter.Options{LinkType: lt, Snaplen: uint32(a.snaplen), Resolver: resolve.Names{Target: a.targets[0]}}
	prog, err := filter.Compile(a.expr, opts)
	if err != nil {
		return exitWith(1, err)
	}
	filter.Dump(prog, a.dump, c.App.Writer)
	return nil
}

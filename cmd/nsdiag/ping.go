package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/icmp"
	"github.com/nsdiag/nsdiag/internal/resolve"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

func init() {
	register(&cli.Command{
		Name:      "ping",
		Usage:     "send ICMP echo requests from inside a network namespace, as iputils ping",
		UsageText: "nsdiag ping [-n NETNS] [options] HOST\n\nExamples:\n   nsdiag ping -n h1 -c 3 10.0.2.1\n   nsdiag ping 10.0.2.1 -c 3 -i 0.2 -n h1\n   nsdiag ping -n pid:4242 -f -c 1000 fd00:2::1\n   nsdiag ping -n h1 --json -c 2 h2.lab",
		Description: "Output, options and exit status follow iputils ping: 0 when replies came, 1 when none came\n" +
			"(or fewer than -c before the -w deadline), 2 on any other error. Options may follow HOST.",
		Flags: append([]cli.Flag{
			netnsFlag,
			&cli.StringFlag{Name: "c", Usage: "stop after `COUNT` replies"},
			&cli.StringFlag{Name: "i", Usage: "wait `INTERVAL` seconds between requests (fractions allowed; below 0.002 needs CAP_NET_RAW)"},
			&cli.StringFlag{Name: "W", Usage: "wait `TIMEOUT` seconds for replies after the last request when none came (default 10)"},
			&cli.StringFlag{Name: "w", Usage: "stop after `DEADLINE` seconds, whatever was sent"},
			&cli.StringFlag{Name: "s", Usage: "send `SIZE` data bytes (default 56)"},
			&cli.StringFlag{Name: "t", Usage: "set the IP time to live / hop limit to `TTL`"},
			&cli.StringSliceFlag{Name: "I", Usage: "send from `IFACE` or local address; -I IFACE -I ADDR gives both"},
			&cli.BoolFlag{Name: "f", Usage: "flood: send as fast as replies come (at least 100 per second); a dot per request, a backspace per reply"},
			&cli.BoolFlag{Name: "q", Usage: "quiet: print only the header and the summary"},
			&cli.BoolFlag{Name: "D", Usage: "print the Unix time before each line"},
			&cli.BoolFlag{Name: "O", Usage: "report requests still unanswered when the next one goes"},
			&cli.BoolFlag{Name: "4", Usage: "use IPv4"},
			&cli.BoolFlag{Name: "6", Usage: "use IPv6"},
			&cli.BoolFlag{Name: "numeric", Usage: "never look up names for reply addresses"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per event and one for the summary (see README)"},
		}, append(append(pingExtraFlags, ownersFlags...), privilegeFlags...)...),
		Action: runPing,
	})
}

// pingOptions is the command line, checked.
type pingOptions struct {
	host       string
	hops       []string // -T tsprespec's hops, before HOST
	family     int
	cfg        icmp.Config
	quiet      bool
	flood      bool
	timestamps bool
	numeric    bool
	json       bool
	audible    bool
	verbose    bool
}

func runPing(c *cli.Context) error {
	if c.Bool("V") {
		fmt.Fprint(c.App.Writer, pingVersion())
		return nil
	}
	o, err := parsePingArgs(c)
	if err != nil {
		var coded *exitError
		if errors.As(err, &coded) {
			return err
		}
		return exitWith(2, err)
	}
	if o.cfg.Pattern != nil && !o.quiet && !o.json {
		// As iputils, as soon as the options are read.
		fmt.Fprintf(c.App.Writer, "PATTERN: 0x%x\n", o.cfg.Pattern)
	}
	t, err := target(c)
	if err != nil {
		return err
	}
	o.cfg.Target = t
	ctx, stop := interruptible(c.Context)
	defer stop()
	o.cfg.Status = statusRequests(ctx)

	// As iputils, the prespecified hops are looked up first, IPv4 only.
	for _, h := range o.hops {
		hop, err := resolve.Lookup(ctx, t, h, resolve.IPv4)
		if err != nil {
			return exitWith(2, pingResolveError(err))
		}
		o.cfg.TSHops = append(o.cfg.TSHops, hop.Addr)
	}
	res, err := resolve.Lookup(ctx, t, o.host, o.family)
	if err != nil {
		return exitWith(2, pingResolveError(err))
	}
	if len(o.hops) > 0 && res.Addr.Is6() {
		return exitWith(2, fmt.Errorf("ping: %s is IPv6: -T tsprespec hops go with an IPv4 HOST", o.host))
	}
	o.cfg.Dest = res.Addr
	// As iputils: no reverse lookups for a numeric target or a flood.
	_, literal := resolve.Literal(o.host)
	o.numeric = o.numeric || literal || o.flood

	p, err := icmp.New(o.cfg)
	if err != nil {
		return exitWith(2, pingOpenError(err, &o.cfg))
	}
	defer p.Close()

	// iputils names an IPv4 target by its canonical name and an IPv6 one
	// as it was typed.
	host := res.Canonical
	if res.Addr.Is6() {
		host = o.host
	}
	if o.verbose && !o.json {
		fmt.Fprint(c.App.ErrWriter, verboseSocket(p, o.family))
		fmt.Fprint(c.App.Writer, verboseLookup(res.Addr, res.Canonical))
	}
	var r pingRenderer
	if o.json {
		r = newPingJSON(c.App.Writer, host, p)
	} else {
		r = newPingText(c.App.Writer, c.App.ErrWriter, &o, host, p, loadOwners(c))
	}
	// The socket is open and the owners are read: nothing else needs
	// privilege.
	if err := dropPrivileges(c); err != nil {
		return exitWith(2, err)
	}
	r.start()
	stats, runErr := p.Run(ctx, r.event)
	r.summary(stats)
	if runErr != nil {
		return exitWith(2, fmt.Errorf("ping %s: %w", o.host, runErr))
	}
	if stats.Received == 0 || (o.cfg.Deadline > 0 && stats.Received < o.cfg.Count) {
		return exitCode(1)
	}
	return nil
}

// statusRequests turns SIGQUIT (Ctrl-\\) into requests for the statistics
// so far, as ping prints them, until ctx ends.
func statusRequests(ctx context.Context) <-chan struct{} {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGQUIT)
	req := make(chan struct{}, 1)
	go func() {
		defer signal.Stop(sig)
		for {
			select {
			case <-ctx.Done():
				return
			case <-sig:
				select {
				case req <- struct{}{}:
				default:
				}
			}
		}
	}()
	return req
}

// pingRenderer turns the engine's events into output.
type pingRenderer interface {
	start()
	event(icmp.Event)
	summary(icmp.Stats)
}

// parsePingArgs reads flags and HOST.
func parsePingArgs(c *cli.Context) (pingOptions, error) {
	o := pingOptions{quiet: c.Bool("q"), timestamps: c.Bool("D"), numeric: c.Bool("numeric"), json: c.Bool("json")}
	v4, v6 := c.Bool("4"), c.Bool("6")
	if v4 && v6 {
		return o, errors.New("ping: only one -4 or -6 option may be specified")
	}
	if v4 {
		o.family = resolve.IPv4
	} else if v6 {
		o.family = resolve.IPv6
	}
	cfg := &o.cfg
	cfg.Flood = c.Bool("f")
	o.flood = cfg.Flood
	cfg.Outstanding = c.Bool("O")
	var err error
	if s := c.String("c"); c.IsSet("c") {
		if cfg.Count, err = intArg("c", s, 1, math.MaxInt64, "the number of replies to wait for, e.g. -c 3"); err != nil {
			return o, err
		}
	}
	if s := c.String("s"); c.IsSet("s") {
		// As iputils, sizes beyond what IP carries are accepted: every
		// send then fails with a local "message too long" error.
		n, err := intArg("s", s, 0, math.MaxInt32, "the number of data bytes, e.g. -s 56")
		if err != nil {
			return o, err
		}
		cfg.Size = n
		if n == 0 {
			cfg.Size = icmp.NoData
		}
	}
	if s := c.String("t"); c.IsSet("t") {
		if cfg.TTL, err = intArg("t", s, 0, 255, "a time to live from 1 to 255, e.g. -t 64"); err != nil {
			return o, err
		}
		if cfg.TTL == 0 {
			// IPv6 sends a hop limit of 0; IPv4 refuses a TTL of 0 when
			// the socket is set up, as iputils reports.
			cfg.TTL = icmp.ZeroTTL
		}
	}
	if s := c.String("w"); c.IsSet("w") {
		n, err := intArg("w", s, 0, math.MaxInt32, "the deadline in whole seconds, e.g. -w 5")
		if err != nil {
			return o, err
		}
		cfg.Deadline = time.Duration(n) * time.Second
	}
	if s := c.String("i"); c.IsSet("i") {
		if cfg.Interval, err = secondsArg("i", "bad timing interval", s, 0, "seconds between requests, e.g. -i 0.2"); err != nil {
			return o, err
		}
		if cfg.Interval == 0 {
			// -i 0 schedules as a flood does, without flood's output.
			cfg.Flood = true
		}
	}
	if s := c.String("W"); c.IsSet("W") {
		if cfg.Linger, err = secondsArg("W", "bad linger time", s, time.Millisecond, "seconds to wait for a reply, e.g. -W 2"); err != nil {
			return o, err
		}
	}
	// As iputils, -I may come twice: once with an interface, once with
	// an address; the last of each kind wins.
	for _, v := range c.StringSlice("I") {
		if _, err := netip.ParseAddr(v); err == nil {
			cfg.Source = v
		} else {
			cfg.Device = v
		}
	}
	if err := parsePingExtras(c, &o, realRoot()); err != nil {
		return o, err
	}
	// iputils reads every option before it looks for HOST: "-T HOST"
	// is a bad timestamp type, not a missing destination.
	hosts := c.Args().Slice()
	switch {
	case len(hosts) == 0:
		return o, exitWith(1, errors.New("ping: usage error: Destination address required; see nsdiag ping --help"))
	case len(hosts) > 1 && o.cfg.Timestamp == icmp.TSPrespec:
		// iputils: HOP... HOST, as many hops as the option holds.
		if len(hosts) > 5 {
			return o, fmt.Errorf("ping: -T tsprespec takes up to four hops before HOST, got %d", len(hosts)-1)
		}
		o.hops = hosts[:len(hosts)-1]
	case len(hosts) > 1:
		return o, fmt.Errorf("ping: one destination only, got %q; put options before or after it", hosts)
	}
	o.host = hosts[len(hosts)-1]
	return o, nil
}

// intArg parses an integer option as iputils' strtol_or_err: its words
// and its exit status (1, not the 2 of other usage errors),
// then which option it was and what to give.
func intArg(flag, s string, lo, hi int64, hint string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, exitWith(1, fmt.Errorf("ping: invalid argument: '%s': Numerical result out of range (-%s: give %s)", s, flag, hint))
	case err != nil:
		return 0, exitWith(1, fmt.Errorf("ping: invalid argument: '%s' (-%s: give %s)", s, flag, hint))
	case n < lo || n > hi:
		return 0, exitWith(1, fmt.Errorf("ping: invalid argument: '%s': out of range: %d <= value <= %d (-%s: give %s)", s, lo, hi, flag, hint))
	}
	return int(n), nil
}

// secondsArg parses fractional seconds as iputils' ping_strtod, in its
// words ("bad linger time: -1"). Unlike iputils 20221126, which warns and
// goes on, garbage and negative values are refused.
func secondsArg(flag, what, s string, least time.Duration, hint string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	d := time.Duration(f * float64(time.Second))
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || d < least || f > math.MaxInt32/1000 {
		return 0, exitWith(1, fmt.Errorf("ping: %s: %s (-%s: give %s)", what, s, flag, hint))
	}
	// iputils keeps intervals in whole milliseconds.
	return d.Truncate(time.Millisecond), nil
}

func pingResolveError(err error) error {
	switch {
	case errors.Is(err, resolve.ErrNotFound):
		return fmt.Errorf("ping: %v; check the name, or the namespace's /etc/netns/NAME/hosts and resolv.conf", err)
	case errors.Is(err, resolve.ErrTemporary):
		return fmt.Errorf("ping: %v; check the name servers in the namespace's resolv.conf", err)
	}
	var nsErr *nsexec.Error
	if errors.As(err, &nsErr) {
		return nsErr
	}
	return fmt.Errorf("ping: %w", err)
}

// pingOpenError words a failure to set up as iputils does, with the fix.
func pingOpenError(err error, cfg *icmp.Config) error {
	var nsErr *nsexec.Error
	if errors.As(err, &nsErr) {
		return nsErr
	}
	var sysErr *os.SyscallError
	if errors.As(err, &sysErr) && sysErr.Syscall == "connect" {
		hint := fmt.Sprintf("no route to %s in %s; check its routes (ip route, or ip -n NS route)", cfg.Dest, cfg.Target.Label())
		if errors.Is(err, syscall.EACCES) {
			// iputils' words; nsdiag has no -b.
			return fmt.Errorf("ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules (nsdiag does not ping broadcast addresses; the firewall is that of %s)", cfg.Target.Label())
		}
		return fmt.Errorf("ping: connect: %s (%s)", strerror(sysErr.Err), hint)
	}
	return fmt.Errorf("ping: %s", cText(err))
}

// cText is err's message with the system error spelled as C's strerror,
// as iputils prints it ("bind: Cannot assign requested address").
func cText(err error) string {
	msg := err.Error()
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if text := errno.Error(); text != "" {
			msg = strings.Replace(msg, text, strerror(errno), 1)
		}
	}
	return msg
}

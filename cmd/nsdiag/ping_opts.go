package main

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/nsdiag/nsdiag/icmp"
	"github.com/nsdiag/nsdiag/internal/resolve"
	"github.com/urfave/cli/v2"
)

// pingExtraFlags are iputils' less common options.
var pingExtraFlags = []cli.Flag{
	&cli.StringFlag{Name: "p", Usage: "fill the data bytes with `PATTERN`, up to 16 bytes in hex (e.g. -p ff00)"},
	&cli.StringFlag{Name: "l", Usage: "send `PRELOAD` requests at once, then keep that many in flight (above 3 needs root)"},
	&cli.BoolFlag{Name: "A", Usage: "adaptive: the interval follows the round trip, so the next request goes as the last is answered"},
	&cli.StringFlag{Name: "Q", Usage: "set the IPv4 TOS / IPv6 traffic class to `TOS` (decimal, or hex with 0x)"},
	&cli.StringFlag{Name: "M", Usage: "path MTU discovery `MODE`: do (set DF, never fragment), want (fragment when needed) or dont"},
	&cli.StringFlag{Name: "e", Usage: "use `ID` as the echo identifier (0-65535)"},
	&cli.StringFlag{Name: "m", Usage: "set `MARK` (SO_MARK) on requests, for policy routing and firewalls"},
	&cli.BoolFlag{Name: "a", Usage: "audible: ring the terminal bell for each reply"},
	&cli.BoolFlag{Name: "U", Usage: "time replies when nsdiag reads them (user-to-user latency), not by kernel timestamps"},
	&cli.BoolFlag{Name: "L", Usage: "do not loop multicast requests back to this host"},
	&cli.BoolFlag{Name: "r", Usage: "bypass the routing table: reach hosts on attached networks only (SO_DONTROUTE)"},
	&cli.BoolFlag{Name: "B", Usage: "keep the source address fixed: bind to the one the route gives"},
	&cli.BoolFlag{Name: "b", Usage: "allow pinging an IPv4 broadcast address"},
	&cli.BoolFlag{Name: "R", Usage: "record route: routers and the destination note their IPv4 addresses, printed after each reply (RR:)"},
	&cli.StringFlag{Name: "T", Usage: "IPv4 timestamp option: `MODE` tsonly, tsandaddr (with addresses) or tsprespec; the stamps follow each reply (TS:)"},
	&cli.BoolFlag{Name: "v", Usage: "verbose: the socket and address looked up, and the identifier in each reply"},
	&cli.BoolFlag{Name: "V", Usage: "print the version and exit"},
}

// pingVersion is ping -V's line.
func pingVersion() string { return "ping from nsdiag " + version + "\n" }

// parsePingExtras reads pingExtraFlags into o, in iputils' words and exit
// statuses when a value is bad. root says whether the real user is root,
// which preloads above 3 need.
func parsePingExtras(c *cli.Context, o *pingOptions, root bool) error {
	cfg := &o.cfg
	cfg.Adaptive = c.Bool("A")
	cfg.UserLatency = c.Bool("U")
	cfg.NoLoop = c.Bool("L")
	cfg.DontRoute = c.Bool("r")
	cfg.StrictSource = c.Bool("B")
	cfg.Broadcast = c.Bool("b")
	cfg.RecordRoute = c.Bool("R")
	o.audible = c.Bool("a")
	o.verbose = c.Bool("v")
	if s := c.String("l"); c.IsSet("l") {
		n, err := intArg("l", s, 1, 1<<16, "the number of requests to send at once, e.g. -l 3")
		if err != nil {
			return err
		}
		if err := checkPreload(n, root); err != nil {
			return err
		}
		cfg.Preload = n
	}
	if s := c.String("e"); c.IsSet("e") {
		n, err := intArg("e", s, 0, math.MaxUint16, "a decimal identifier, e.g. -e 4660")
		if err != nil {
			return err
		}
		cfg.ID, cfg.FixedID = uint16(n), true
	}
	if s := c.String("m"); c.IsSet("m") {
		n, err := intArg("m", s, 0, math.MaxUint32, "a decimal mark, e.g. -m 7")
		if err != nil {
			return err
		}
		cfg.Mark = uint32(n)
	}
	if s := c.String("M"); c.IsSet("M") {
		modes := map[string]icmp.PMTUMode{"do": icmp.PMTUDo, "want": icmp.PMTUWant, "dont": icmp.PMTUDont}
		m, ok := modes[s]
		if !ok {
			return exitWith(2, fmt.Errorf("ping: invalid -M argument: %s (give do, want or dont)", s))
		}
		cfg.PMTU = m
	}
	if s := c.String("Q"); c.IsSet("Q") {
		tos, err := parseTOS(s)
		if err != nil {
			return exitWith(2, err)
		}
		// iputils sets the traffic class on its IPv6 socket, which it
		// opens unless -4 is given, and Linux takes -1 to 255 there.
		if tos < -1 && o.family != resolve.IPv4 {
			return exitWith(2, fmt.Errorf("ping: setsockopt: Invalid argument (-Q: an IPv6 traffic class is -1 to 255; give -4 for another IPv4 TOS)"))
		}
		cfg.TOS = tos
	}
	if s := c.String("T"); c.IsSet("T") {
		modes := map[string]icmp.TSMode{"tsonly": icmp.TSOnly, "tsandaddr": icmp.TSAndAddr, "tsprespec": icmp.TSPrespec}
		m, ok := modes[s]
		if !ok {
			return exitWith(2, fmt.Errorf("ping: invalid timestamp type: %s (give tsonly, tsandaddr or tsprespec)", s))
		}
		if cfg.RecordRoute {
			return exitWith(2, errors.New("ping: only one of -T or -R may be used"))
		}
		cfg.Timestamp = m
	}
	if s := c.String("p"); c.IsSet("p") {
		p, err := parsePattern(s)
		if err != nil {
			return exitWith(2, err)
		}
		cfg.Pattern = p
	}
	return nil
}

// checkPreload refuses, as iputils, a preload above 3 from a user other
// than root.
func checkPreload(n int, root bool) error {
	if !root && n > 3 {
		return exitWith(2, fmt.Errorf("ping: cannot set preload to value greater than 3: %d (run as root for more)", n))
	}
	return nil
}

// parsePattern reads ping -p's hex pattern as iputils does: only hex
// digits, read two at a time (the last may be one), at most 16 bytes;
// more digits are ignored. An empty pattern is an empty, non-nil slice.
func parsePattern(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return nil, fmt.Errorf("ping: patterns must be specified as hex digits: %s (-p: give up to 16 bytes in hex, e.g. -p ff00)", s[i:])
		}
	}
	p := []byte{}
	for i := 0; i < len(s) && len(p) < 16; i += 2 {
		n, _ := strconv.ParseUint(s[i:min(i+2, len(s))], 16, 8)
		p = append(p, byte(n))
	}
	return p, nil
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// parseTOS reads ping -Q's value as iputils' parsetos: "0x" and hex
// digits, or decimal, as strtol reads them (an empty number is 0), then
// truncated to a C int; more than 255 is refused.
func parseTOS(s string) (int, error) {
	digits, base := s, 10
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		digits, base = s[2:], 16
	}
	v, rest := strtol(digits, base)
	if rest != "" {
		return 0, fmt.Errorf("ping: bad TOS value: %s (-Q: give a number, decimal or 0x hex, e.g. -Q 0x28)", s)
	}
	tos := int(int32(v))
	if tos > 255 {
		return 0, fmt.Errorf("ping: the decimal value of TOS bits must be in range 0-255: %d (-Q: give 0-255, e.g. -Q 0x28)", tos)
	}
	return tos, nil
}

// strtol is C's strtol for base 10 or 16: leading spaces, a sign, digits
// (base 16 may start with 0x), saturating at the int64 limits; rest is
// what follows the number, or all of s when there is none.
func strtol(s string, base int) (int64, string) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if base == 16 && len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && isHex(t[2]) {
		t = t[2:]
	}
	n := 0
	for n < len(t) && (base == 16 && isHex(t[n]) || '0' <= t[n] && t[n] <= '9') {
		n++
	}
	if n == 0 {
		return 0, s
	}
	u, err := strconv.ParseUint(t[:n], base, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) || u > math.MaxInt64 && !neg:
		if neg {
			return math.MinInt64, t[n:]
		}
		return math.MaxInt64, t[n:]
	case neg && u > 1<<63:
		return math.MinInt64, t[n:]
	case neg:
		return -int64(u), t[n:]
	}
	return int64(u), t[n:]
}

// realRoot says whether the real user is root, which iputils asks of
// preloads above 3 (a setcap'd ping run by a user has other uids).
func realRoot() bool { return os.Getuid() == 0 }

// verboseSocket is ping -v's report of its sockets, on stderr, then a
// blank line, in iputils' shape. nsdiag opens one socket, of the
// destination's family, after the lookup; the other family shows as -1.
func verboseSocket(p *icmp.Pinger, family int) string {
	kind := "SOCK_RAW"
	if p.Socket() == icmp.DatagramSocket {
		kind = "SOCK_DGRAM"
	}
	fd4, kind4, fd6, kind6 := p.FD(), kind, -1, "0"
	if p.Dest().Is6() {
		fd4, kind4, fd6, kind6 = -1, "0", p.FD(), kind
	}
	hint := map[int]string{resolve.IPv4: "AF_INET", resolve.IPv6: "AF_INET6"}[family]
	if hint == "" {
		hint = "AF_UNSPEC"
	}
	return fmt.Sprintf("ping: sock4.fd: %d (socktype: %s), sock6.fd: %d (socktype: %s), hints.ai_family: %s\n\n", fd4, kind4, fd6, kind6, hint)
}

// verboseLookup is ping -v's line on the address looked up.
func verboseLookup(a netip.Addr, canonical string) string {
	fam := "AF_INET"
	if a.Is6() {
		fam = "AF_INET6"
	}
	return fmt.Sprintf("ai->ai_family: %s, ai->ai_canonname: '%s'\n", fam, canonical)
}

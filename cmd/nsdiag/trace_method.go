package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/nsdiag/nsdiag/trace"
	"github.com/urfave/cli/v2"
)

// traceMethod is the probe method the command line asks for, by
// traceroute's module name ("default", "icmp", "tcp", "udp", "raw"), and
// for raw probes their protocol (0 when -P did not give it).
func traceMethod(c *cli.Context) (name string, proto int, err error) {
	var asked []string
	for _, f := range []struct{ flag, module string }{{"icmp", "icmp"}, {"tcp", "tcp"}, {"udp", "udp"}} {
		if c.Bool(f.flag) {
			asked = append(asked, f.module)
		}
	}
	if c.IsSet("module") {
		m := c.String("module")
		switch m {
		case "default", "icmp", "tcp", "udp", "raw":
		case "tcpconn", "udplite", "dccp":
			return "", 0, fmt.Errorf("traceroute module %s is not supported by nsdiag trace: use default, icmp, tcp, udp or raw", m)
		default:
			return "", 0, fmt.Errorf("Unknown traceroute module %s: use default, icmp, tcp, udp or raw", m)
		}
		asked = append(asked, m)
	}
	if c.IsSet("protocol") {
		p := c.String("protocol")
		if proto, err = protocolNumber(p); err != nil {
			return "", 0, err
		}
		if proto == 0 {
			// traceroute's raw socket of protocol 0 fails as it opens.
			return "", 0, exitWith(1, fmt.Errorf("socket: Protocol not supported (-P %s: give a protocol from 1 to 255, such as 47)", p))
		}
		asked = append(asked, "raw")
	}
	name = "default"
	for i, m := range asked {
		if i > 0 && m != asked[0] {
			return "", 0, errors.New("-I, -T, -U, -M and -P exclude each other: pick one probe method")
		}
		name = m
	}
	return name, proto, nil
}

// setMethod sets the method named (see traceMethod) in cfg.
func setMethod(cfg *trace.Config, name string, proto int) {
	switch name {
	case "icmp":
		cfg.Method = trace.ICMP
	case "tcp":
		cfg.Method = trace.TCP
	case "udp":
		// traceroute -U: one destination port (53), probes told apart by
		// their source ports.
		cfg.FixedPort = true
	case "raw":
		cfg.Method, cfg.Protocol = trace.Raw, proto
	}
}

// protocolNumber reads -P PROTO: a number (decimal, 0x hex, 0 octal) or
// a name from /etc/protocols, as traceroute takes it.
func protocolNumber(s string) (int, error) {
	bad := fmt.Errorf("bad -P %q: give an IP protocol number or name, such as 47 or gre", s)
	if v, err := parseUnsigned(s); err == nil {
		if v > 255 {
			return 0, bad
		}
		return int(v), nil
	}
	f, err := os.Open("/etc/protocols")
	if err != nil {
		return 0, bad
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		for _, name := range append([]string{fields[0]}, fields[2:]...) {
			if name == s {
				if v, err := parseUnsigned(fields[1]); err == nil && v <= 255 {
					return int(v), nil
				}
			}
		}
	}
	return 0, bad
}

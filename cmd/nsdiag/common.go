package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// netnsFlag is the -n/--netns flag every command takes.
var netnsFlag = &cli.StringFlag{
	Name:    "netns",
	Aliases: []string{"n"},
	Usage:   "run inside network namespace `NETNS`: a name under /run/netns, a path such as /proc/PID/ns/net, pid:PID, or inode:N as nsdiag ns list --all shows (default: the current one)",
}

// target reads the -n flag.
func target(c *cli.Context) (nsexec.Target, error) {
	t, err := parseTarget(c.String("netns"))
	if err != nil {
		return t, exitWith(2, err)
	}
	return t, nil
}

// parseTarget is nsexec.Parse for a -n value typed on the command line. In
// ping, traceroute and tcpdump -n (and tcpdump's -nn) means "numeric", so a
// value that is another option is that habit, not a namespace name.
func parseTarget(s string) (nsexec.Target, error) {
	if strings.HasPrefix(s, "-") {
		return nsexec.Target{}, fmt.Errorf("-n takes a network namespace, got %q; nsdiag always prints numeric addresses, so the peers' -n and -nn are not needed", s)
	}
	return nsexec.Parse(s)
}

// interruptible returns a context that ends on SIGINT or SIGTERM, so
// commands stop cleanly and print their summaries as the peer tools do.
func interruptible(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

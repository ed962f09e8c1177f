package main

import (
	"context"
	"os"
	"os/signal"
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
	t, err := nsexec.Parse(c.String("netns"))
	if err != nil {
		return t, exitWith(2, err)
	}
	return t, nil
}

// interruptible returns a context that ends on SIGINT or SIGTERM, so
// commands stop cleanly and print their summaries as the peer tools do.
func interruptible(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

package main

import (
	"errors"
	"fmt"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// `nsdiag ns add|del|list`: named network namespaces, kept the iproute2
// way (bind mounts under /run/netns), so `ip netns` and nsdiag see the
// same ones.
func init() {
	register(&cli.Command{
		Name:      "ns",
		Usage:     "add, delete and list named network namespaces (as ip netns)",
		UsageText: "nsdiag ns add|del|list ...\n\nExamples:\n   nsdiag ns add ns1\n   nsdiag ns list",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "create named network namespaces (ip netns add)",
				UsageText: "nsdiag ns add NAME [NAME...]\n\nExample:\n   nsdiag ns add ns1 ns2",
				Action:    nsAdd,
			},
			{
				Name:      "del",
				Aliases:   []string{"delete"},
				Usage:     "delete named network namespaces (ip netns del); their devices go with them",
				UsageText: "nsdiag ns del NAME [NAME...]\n\nExample:\n   nsdiag ns del ns1 ns2",
				Action:    nsDel,
			},
			{
				Name:      "list",
				Aliases:   []string{"ls"},
				Usage:     "list network namespaces with their interfaces, state and addresses",
				UsageText: "nsdiag ns list [--all] [--json]\n\nExamples:\n   nsdiag ns list\n   nsdiag ns list --all --json",
				Flags:     nsListFlags,
				Action:    listDiscovered,
			},
		},
	})
}

// namesArgs reads the NAME arguments and checks them all before anything
// is changed.
func namesArgs(c *cli.Context) ([]string, error) {
	names := c.Args().Slice()
	if len(names) == 0 {
		return nil, usageError(c, errors.New("missing namespace name"))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if err := nsexec.ValidName(n); err != nil {
			return nil, exitWith(2, err)
		}
		if seen[n] {
			return nil, exitWith(2, fmt.Errorf("namespace %q is named twice", n))
		}
		seen[n] = true
	}
	return names, nil
}

func nsExists(name string) bool {
	_, err := nsexec.Identify(nsexec.Target{Kind: nsexec.Named, Name: name})
	return err == nil
}

// nsAdd creates every name or none: a name that exists is refused before
// any is created, and a failure part-way removes those already made.
func nsAdd(c *cli.Context) error {
	names, err := namesArgs(c)
	if err != nil {
		return err
	}
	for _, n := range names {
		if nsExists(n) {
			return fmt.Errorf("network namespace %q already exists; pick another name or remove it with nsdiag ns del %s", n, n)
		}
	}
	for i, n := range names {
		if err := nsexec.Create(n); err != nil {
			for _, made := range names[:i] {
				nsexec.Delete(made)
			}
			return err
		}
	}
	return nil
}

// nsDel deletes every name, after checking that all exist.
func nsDel(c *cli.Context) error {
	names, err := namesArgs(c)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !nsExists(n) {
			return fmt.Errorf("network namespace %q not found; see nsdiag ns list", n)
		}
	}
	for _, n := range names {
		if err := nsexec.Delete(n); err != nil {
			return err
		}
	}
	return nil
}

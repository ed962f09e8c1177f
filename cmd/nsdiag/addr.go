package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/urfave/cli/v2"
)

// `nsdiag addr add|del|list`: IPv4 and IPv6 addresses, as `ip addr`.
func init() {
	register(&cli.Command{
		Name:      "addr",
		Usage:     "add, delete and list IPv4 and IPv6 addresses",
		UsageText: "nsdiag addr add|del|list ...\n\nExamples:\n   nsdiag addr add -n ns1 10.0.0.1/24 dev ns1-veth0\n   nsdiag addr list -n ns1",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "add an address with its prefix length to a device (IPv6 is usable at once: no DAD wait)",
				UsageText: "nsdiag addr add [-n NS] ADDRESS/PREFIX dev DEV\n\nExamples:\n   nsdiag addr add -n ns1 10.0.0.1/24 dev ns1-veth0\n   nsdiag addr add -n ns1 fd00::1/64 dev ns1-veth0",
				Flags:     []cli.Flag{netnsFlag},
				Action:    func(c *cli.Context) error { return addrChange(c, true) },
			},
			{
				Name:      "del",
				Aliases:   []string{"delete"},
				Usage:     "remove an address from a device",
				UsageText: "nsdiag addr del [-n NS] ADDRESS/PREFIX dev DEV\n\nExample:\n   nsdiag addr del -n ns1 10.0.0.1/24 dev ns1-veth0",
				Flags:     []cli.Flag{netnsFlag},
				Action:    func(c *cli.Context) error { return addrChange(c, false) },
			},
			{
				Name:      "list",
				Aliases:   []string{"ls", "show"},
				Usage:     "list each device with its state and addresses (the shape of ip -br addr)",
				UsageText: "nsdiag addr list [-n NS] [--json] [DEV]\n\nExample:\n   nsdiag addr list -n ns1",
				Flags:     []cli.Flag{netnsFlag, jsonFlag},
				Action:    addrList,
			},
		},
	})
}

func addrChange(c *cli.Context, add bool) error {
	args := c.Args().Slice()
	if len(args) != 3 || args[1] != "dev" {
		return usageError(c, errors.New("want ADDRESS/PREFIX dev DEV, such as 10.0.0.1/24 dev ns1-veth0"))
	}
	cidr, dev := args[0], args[2]
	if _, err := netcfg.ParseCIDR(cidr); err != nil {
		return exitWith(2, err)
	}
	if err := netcfg.ValidIfName(dev); err != nil {
		return exitWith(2, err)
	}
	ns, err := target(c)
	if err != nil {
		return err
	}
	if add {
		return netcfg.AddAddr(ns, cidr, dev)
	}
	return netcfg.DelAddr(ns, cidr, dev)
}

func addrList(c *cli.Context) error {
	ns, err := target(c)
	if err != nil {
		return err
	}
	links, err := linkEntries(ns)
	if err != nil {
		return err
	}
	if dev := c.Args().First(); dev != "" {
		var only []linkEntry
		for _, l := range links {
			if l.Name == dev {
				only = append(only, l)
			}
		}
		if only == nil {
			return findLink(ns, dev)
		}
		links = only
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, links)
	}
	for _, l := range links {
		fmt.Fprintln(c.App.Writer, strings.TrimRight(fmt.Sprintf("%-16s %-14s %s", l.Name, l.State, strings.Join(l.Addresses, " ")), " "))
	}
	return nil
}

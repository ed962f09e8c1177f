package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/urfave/cli/v2"
	"github.com/vishvananda/netlink"
)

// `nsdiag route add|del|list`: the main routing table, as `ip route`.
func init() {
	register(&cli.Command{
		Name:      "route",
		Usage:     "add, delete and list routes (IPv4 and IPv6, main table)",
		UsageText: "nsdiag route add|del|list ...\n\nExamples:\n   nsdiag route add -n h1 default via 10.0.1.254\n   nsdiag route list -n h1",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "add a route through a gateway and/or out of a device; the family follows the addresses",
				UsageText: "nsdiag route add [-n NS] DEST|default [via GW] [dev DEV]\n\nExamples:\n   nsdiag route add -n h1 default via 10.0.1.254\n   nsdiag route add -n h1 fd00:2::/64 via fd00:1::fe dev h1-eth0",
				Flags:     []cli.Flag{netnsFlag},
				Action:    func(c *cli.Context) error { return routeChange(c, true) },
			},
			{
				Name:      "del",
				Aliases:   []string{"delete"},
				Usage:     "delete a route, written as it was added",
				UsageText: "nsdiag route del [-n NS] DEST|default [via GW] [dev DEV]\n\nExample:\n   nsdiag route del -n h1 default via 10.0.1.254",
				Flags:     []cli.Flag{netnsFlag},
				Action:    func(c *cli.Context) error { return routeChange(c, false) },
			},
			{
				Name:      "list",
				Aliases:   []string{"ls", "show"},
				Usage:     "list the main table's routes, IPv4 then IPv6, in the shape of ip route",
				UsageText: "nsdiag route list [-n NS] [--json]\n\nExample:\n   nsdiag route list -n h1",
				Flags:     []cli.Flag{netnsFlag, jsonFlag},
				Action:    routeList,
			},
		},
	})
}

func routeChange(c *cli.Context, add bool) error {
	if c.NArg() == 0 {
		return usageError(c, errors.New("missing route: want DEST|default [via GW] [dev DEV]"))
	}
	r, err := netcfg.ParseRoute(c.Args().Slice())
	if err != nil {
		return exitWith(2, err)
	}
	if r.Dev != "" {
		if err := netcfg.ValidIfName(r.Dev); err != nil {
			return exitWith(2, err)
		}
	}
	ns, err := target(c)
	if err != nil {
		return err
	}
	if add {
		return netcfg.AddRoute(ns, r)
	}
	return netcfg.DelRoute(ns, r)
}

// routeEntry is a route as `route list --json` prints it.
type routeEntry struct {
	Family   string `json:"family"`
	Dst      string `json:"dst"`
	Gateway  string `json:"gateway,omitempty"`
	Dev      string `json:"dev,omitempty"`
	Protocol string `json:"protocol"`
	Scope    string `json:"scope"`
	Src      string `json:"prefsrc,omitempty"`
	Metric   int    `json:"metric,omitempty"`
}

func routeList(c *cli.Context) error {
	ns, err := target(c)
	if err != nil {
		return err
	}
	routes, err := netcfg.Routes(ns)
	if err != nil {
		return err
	}
	out := []routeEntry{}
	for _, r := range routes {
		fam := "inet"
		if r.Family == netlink.FAMILY_V6 {
			fam = "inet6"
		}
		out = append(out, routeEntry{Family: fam, Dst: r.Dst, Gateway: r.Via, Dev: r.Dev, Protocol: r.Proto, Scope: r.Scope, Src: r.Src, Metric: r.Metric})
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, out)
	}
	for _, r := range out {
		writeRoute(c.App.Writer, r)
	}
	return nil
}

// writeRoute prints a route as `ip route` does: protocol boot and scope
// universe are left out, the metric is shown for IPv6 always and for IPv4
// when set.
func writeRoute(w io.Writer, r routeEntry) {
	s := r.Dst
	if r.Gateway != "" {
		s += " via " + r.Gateway
	}
	if r.Dev != "" {
		s += " dev " + r.Dev
	}
	if r.Protocol != "boot" && r.Protocol != "" {
		s += " proto " + r.Protocol
	}
	if r.Scope != "universe" && r.Scope != "" {
		s += " scope " + r.Scope
	}
	if r.Src != "" {
		s += " src " + r.Src
	}
	if r.Metric != 0 || r.Family == "inet6" {
		s += " metric " + strconv.Itoa(r.Metric)
	}
	fmt.Fprintln(w, s)
}

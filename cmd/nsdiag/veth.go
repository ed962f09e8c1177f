package main

import (
	"errors"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// `nsdiag veth add NAME PEER`: the seed tutorial's
// `ip link add ns1-veth0 type veth peer name ns2-veth0` followed by
// `ip link set ... netns ...`, in one step.
func init() {
	register(&cli.Command{
		Name:      "veth",
		Usage:     "create veth pairs, each end in the namespace it belongs to",
		UsageText: "nsdiag veth add NAME PEER [--netns NS] [--peer-netns NS]\n\nExample:\n   nsdiag veth add ns1-veth0 ns2-veth0 --netns ns1 --peer-netns ns2",
		Subcommands: []*cli.Command{{
			Name:      "add",
			Usage:     "create a veth pair: NAME in --netns, PEER in --peer-netns (both down, as ip link add leaves them)",
			UsageText: "nsdiag veth add NAME PEER [--netns NS] [--peer-netns NS]\n\nExample:\n   nsdiag veth add ns1-veth0 ns2-veth0 --netns ns1 --peer-netns ns2",
			Flags: []cli.Flag{
				netnsFlag,
				&cli.StringFlag{Name: "peer-netns", Usage: "put PEER in network namespace `NETNS` (default: the same as --netns)"},
			},
			Action: vethAdd,
		}},
	})
}

func vethAdd(c *cli.Context) error {
	if c.NArg() != 2 {
		return usageError(c, errors.New("want two names: NAME PEER"))
	}
	name, peer := c.Args().Get(0), c.Args().Get(1)
	for _, n := range []string{name, peer} {
		if err := netcfg.ValidIfName(n); err != nil {
			return exitWith(2, err)
		}
	}
	ns, err := target(c)
	if err != nil {
		return err
	}
	peerNS := ns
	if c.IsSet("peer-netns") {
		if peerNS, err = nsexec.Parse(c.String("peer-netns")); err != nil {
			return exitWith(2, err)
		}
	}
	return netcfg.AddVeth(name, ns, peer, peerNS)
}

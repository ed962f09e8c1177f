package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// `nsdiag link set|list|add|del`: device state, as `ip link` does it.
func init() {
	register(&cli.Command{
		Name:      "link",
		Usage:     "set devices up or down, change their MTU, namespace or bridge; list, add bridges, delete",
		UsageText: "nsdiag link set|list|add|del ...\n\nExamples:\n   nsdiag link set -n ns1 ns1-veth0 up\n   nsdiag link list -n ns1",
		Subcommands: []*cli.Command{
			{
				Name:  "set",
				Usage: "change a device: up, down, mtu N, netns NS, master BRIDGE, nomaster (several at once allowed)",
				UsageText: "nsdiag link set [-n NS] DEV up|down|mtu N|netns NS|master BR|nomaster ...\n\nExamples:\n" +
					"   nsdiag link set -n ns1 ns1-veth0 up\n   nsdiag link set ns1-veth0 netns ns1\n   nsdiag link set -n ns1 ns1-veth0 mtu 1400 up",
				Flags:  []cli.Flag{netnsFlag},
				Action: linkSet,
			},
			{
				Name:      "list",
				Aliases:   []string{"ls", "show"},
				Usage:     "list the devices of a namespace with state, MAC, MTU, type and bridge",
				UsageText: "nsdiag link list [-n NS] [--json]\n\nExample:\n   nsdiag link list -n ns1",
				Flags:     []cli.Flag{netnsFlag, jsonFlag},
				Action:    linkList,
			},
			{
				Name:      "add",
				Usage:     "create a Linux bridge (for veth pairs, see nsdiag veth add)",
				UsageText: "nsdiag link add [-n NS] NAME type bridge\n\nExample:\n   nsdiag link add -n sw br0 type bridge",
				Flags:     []cli.Flag{netnsFlag},
				Action:    linkAdd,
			},
			{
				Name:      "del",
				Aliases:   []string{"delete"},
				Usage:     "delete a device (for a veth pair, both ends go)",
				UsageText: "nsdiag link del [-n NS] DEV\n\nExample:\n   nsdiag link del -n ns1 ns1-veth0",
				Flags:     []cli.Flag{netnsFlag},
				Action:    linkDel,
			},
		},
	})
}

var jsonFlag = &cli.BoolFlag{Name: "json", Usage: "print the listing as JSON"}

// linkChange is what `link set` was asked to do, read and checked in full
// before the first change.
type linkChange struct {
	up, down bool
	mtu      int
	netns    *nsexec.Target
	master   *string
}

func parseLinkSet(words []string) (linkChange, error) {
	const usage = "want up, down, mtu N, netns NS, master BRIDGE or nomaster"
	var ch linkChange
	if len(words) == 0 {
		return ch, errors.New("nothing to change; " + usage)
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		value := func() (string, error) {
			if i+1 >= len(words) {
				return "", fmt.Errorf("%q needs a value; %s", w, usage)
			}
			i++
			return words[i], nil
		}
		switch w {
		case "up":
			ch.up = true
		case "down":
			ch.down = true
		case "mtu":
			v, err := value()
			if err != nil {
				return ch, err
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 68 || n > 65535 {
				return ch, fmt.Errorf("bad MTU %q: want 68 to 65535", v)
			}
			ch.mtu = n
		case "netns":
			v, err := value()
			if err != nil {
				return ch, err
			}
			t, err := nsexec.Parse(v)
			if err != nil {
				return ch, err
			}
			ch.netns = &t
		case "master":
			v, err := value()
			if err != nil {
				return ch, err
			}
			if err := netcfg.ValidIfName(v); err != nil {
				return ch, err
			}
			ch.master = &v
		case "nomaster":
			none := ""
			ch.master = &none
		default:
			return ch, fmt.Errorf("unknown word %q; %s", w, usage)
		}
	}
	if ch.up && ch.down {
		return ch, errors.New("both up and down given; pick one")
	}
	return ch, nil
}

func linkSet(c *cli.Context) error {
	if c.NArg() < 1 {
		return usageError(c, errors.New("missing device name"))
	}
	dev := c.Args().First()
	if err := netcfg.ValidIfName(dev); err != nil {
		return exitWith(2, err)
	}
	ch, err := parseLinkSet(c.Args().Tail())
	if err != nil {
		return exitWith(2, err)
	}
	ns, err := target(c)
	if err != nil {
		return err
	}
	if err := findLink(ns, dev); err != nil {
		return err
	}
	if ch.netns != nil {
		// The move comes first; the rest applies in the new namespace,
		// as `ip link set DEV netns NS up` does.
		if err := netcfg.MoveLink(ns, dev, *ch.netns); err != nil {
			return err
		}
		ns = *ch.netns
	}
	if ch.mtu != 0 {
		if err := netcfg.SetMTU(ns, dev, ch.mtu); err != nil {
			return err
		}
	}
	if ch.master != nil {
		if err := netcfg.SetMaster(ns, dev, *ch.master); err != nil {
			return err
		}
	}
	if ch.up || ch.down {
		return netcfg.SetUp(ns, dev, ch.up)
	}
	return nil
}

// findLink checks that dev exists in ns, with the error a user can act on.
func findLink(ns nsexec.Target, dev string) error {
	links, err := netcfg.Links(ns)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.Name == dev {
			return nil
		}
	}
	flag := ""
	if !ns.IsCurrent() {
		flag = " -n " + ns.String()
	}
	return fmt.Errorf("device %q not found in %s; see nsdiag link list%s", dev, ns.Label(), flag)
}

func linkAdd(c *cli.Context) error {
	args := c.Args().Slice()
	if len(args) != 3 || args[1] != "type" || args[2] != "bridge" {
		return usageError(c, errors.New("want NAME type bridge"))
	}
	if err := netcfg.ValidIfName(args[0]); err != nil {
		return exitWith(2, err)
	}
	ns, err := target(c)
	if err != nil {
		return err
	}
	if err := findLink(ns, args[0]); err == nil {
		return fmt.Errorf("device %q already exists in %s; pick another name or delete it", args[0], ns.Label())
	}
	return netcfg.AddBridge(ns, args[0], nil)
}

func linkDel(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageError(c, errors.New("want one device name"))
	}
	ns, err := target(c)
	if err != nil {
		return err
	}
	return netcfg.DeleteLink(ns, c.Args().First())
}

// linkEntry is a device as `link list --json` and `addr list --json` print it.
type linkEntry struct {
	Name      string   `json:"name"`
	Index     int      `json:"index"`
	Type      string   `json:"type"`
	State     string   `json:"state"`
	Up        bool     `json:"up"`
	MTU       int      `json:"mtu"`
	MAC       string   `json:"mac,omitempty"`
	Master    string   `json:"master,omitempty"`
	Addresses []string `json:"addresses"`
}

func linkEntries(ns nsexec.Target) ([]linkEntry, error) {
	links, err := netcfg.Links(ns)
	if err != nil {
		return nil, err
	}
	out := []linkEntry{}
	for _, l := range links {
		e := linkEntry{Name: l.Name, Index: l.Index, Type: l.Type, State: strings.ToUpper(l.State), Up: l.Up, MTU: l.MTU, Master: l.Master, Addresses: []string{}}
		if len(l.MAC) > 0 {
			e.MAC = l.MAC.String()
		}
		for _, a := range l.Addrs {
			e.Addresses = append(e.Addresses, a.String())
		}
		out = append(out, e)
	}
	return out, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func linkList(c *cli.Context) error {
	ns, err := target(c)
	if err != nil {
		return err
	}
	links, err := linkEntries(ns)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, links)
	}
	// The columns of `ip -br link`, then MTU, type and bridge.
	for _, l := range links {
		line := fmt.Sprintf("%-16s %-14s %-17s mtu %d %s", l.Name, l.State, l.MAC, l.MTU, l.Type)
		if l.Master != "" {
			line += " master " + l.Master
		}
		fmt.Fprintln(c.App.Writer, line)
	}
	return nil
}

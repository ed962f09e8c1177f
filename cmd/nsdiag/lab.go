package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// `nsdiag lab up|down|show|demo`: whole topologies from a YAML file (see
// netcfg.ParseLab for the format).
func init() {
	prefix := &cli.StringFlag{Name: "prefix", Usage: "prepend `PREFIX` to every namespace name of the lab, to run several copies side by side"}
	verbose := &cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print each step as it runs, as the nsdiag command that does it"}
	register(&cli.Command{
		Name:      "lab",
		Usage:     "build, show and remove namespace labs described in a YAML file; run the demo",
		UsageText: "nsdiag lab up|down|show FILE | nsdiag lab demo\n\nExamples:\n   nsdiag lab up testdata/labs/example.yaml\n   nsdiag lab demo",
		Subcommands: []*cli.Command{
			{
				Name:      "up",
				Usage:     "build the lab: namespaces (created if missing), veth pairs, bridges, addresses, forwarding, routes; on failure nothing is left half-built",
				UsageText: "nsdiag lab up [--prefix P] [-v] FILE\n\nExample:\n   nsdiag lab up testdata/labs/example.yaml",
				Flags:     []cli.Flag{prefix, verbose},
				Action:    labUp,
			},
			{
				Name:      "down",
				Usage:     "remove everything the file describes (its devices, then its namespaces), also after a partial up",
				UsageText: "nsdiag lab down [--prefix P] FILE\n\nExample:\n   nsdiag lab down testdata/labs/example.yaml",
				Flags:     []cli.Flag{prefix},
				Action:    labDown,
			},
			{
				Name:      "show",
				Usage:     "print what lab up would do, as the nsdiag commands that do it by hand",
				UsageText: "nsdiag lab show [--prefix P] FILE\n\nExample:\n   nsdiag lab show testdata/labs/example.yaml",
				Flags:     []cli.Flag{prefix},
				Action:    labShow,
			},
			{
				Name:      "demo",
				Usage:     "build the embedded demo lab (nsdemo-h1 -- nsdemo-r1 -- nsdemo-h2), show it, run the diagnostics in it, tear it down (also on Ctrl-C)",
				UsageText: "nsdiag lab demo [--prefix P]\n\nExample:\n   nsdiag lab demo",
				Flags:     []cli.Flag{prefix, verbose},
				Action:    labDemo,
			},
		},
	})
}

// loadLabArg reads the FILE argument and applies --prefix.
func loadLabArg(c *cli.Context) (*netcfg.Lab, error) {
	if c.NArg() != 1 {
		return nil, usageError(c, errors.New("want one lab file"))
	}
	l, err := netcfg.LoadLab(c.Args().First())
	if err != nil {
		return nil, exitWith(2, err)
	}
	return l, withPrefix(l, c)
}

func withPrefix(l *netcfg.Lab, c *cli.Context) error {
	if err := l.WithPrefix(c.String("prefix")); err != nil {
		return exitWith(2, err)
	}
	return nil
}

func labUp(c *cli.Context) error {
	l, err := loadLabArg(c)
	if err != nil {
		return err
	}
	ctx, cancel := interruptible(c.Context)
	defer cancel()
	return bringUp(ctx, c, l)
}

// bringUp builds l, printing the steps with -v and a summary after.
func bringUp(ctx context.Context, c *cli.Context, l *netcfg.Lab) error {
	var progress func(netcfg.LabStep)
	if c.Bool("verbose") {
		progress = func(s netcfg.LabStep) { fmt.Fprintln(c.App.Writer, s.Cmd) }
	}
	if err := netcfg.LabUp(ctx, l, progress); err != nil {
		return err
	}
	var names []string
	for _, n := range l.Nodes {
		names = append(names, n.Name)
	}
	fmt.Fprintf(c.App.Writer, "lab %s is up: %s (%d links); see nsdiag ns list\n", l.File, strings.Join(names, ", "), len(l.Links))
	return nil
}

func labDown(c *cli.Context) error {
	l, err := loadLabArg(c)
	if err != nil {
		return err
	}
	return takeDown(c.App.Writer, l)
}

func takeDown(w io.Writer, l *netcfg.Lab) error {
	var removed []string
	err := netcfg.LabDown(l, func(ns string) { removed = append(removed, ns) })
	if err != nil {
		return fmt.Errorf("lab %s: %w", l.File, err)
	}
	if len(removed) == 0 {
		fmt.Fprintf(w, "lab %s: nothing to remove\n", l.File)
		return nil
	}
	fmt.Fprintf(w, "lab %s is down: removed %s\n", l.File, strings.Join(removed, ", "))
	return nil
}

func labShow(c *cli.Context) error {
	l, err := loadLabArg(c)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "# nsdiag lab up %s does this (namespaces that exist are kept):\n", l.File)
	for _, s := range l.Plan() {
		fmt.Fprintln(c.App.Writer, s.Cmd)
	}
	return nil
}

//go:embed demo.yaml
var demoYAML []byte

// labDemo builds the embedded lab, lists it, runs every registered demo
// step in order and always tears the lab down: after a failed step, and
// on Ctrl-C or SIGTERM too (the signal ends the context, the running step
// returns, and the deferred teardown runs).
func labDemo(c *cli.Context) error {
	l, err := netcfg.ParseLab("demo.yaml", demoYAML)
	if err != nil {
		return fmt.Errorf("embedded demo lab: %w", err)
	}
	if err := withPrefix(l, c); err != nil {
		return err
	}
	for _, n := range l.Nodes {
		if _, err := nsexec.Identify(n.Target()); err == nil {
			return fmt.Errorf("namespace %s exists already: another demo is running, or one was killed; remove its lab with nsdiag ns del %s", n.Name, strings.Join(nodeNames(l), " "))
		}
	}
	ctx, cancel := interruptible(c.Context)
	defer cancel()
	w := c.App.Writer
	if err := bringUp(ctx, c, l); err != nil {
		return err
	}
	defer func() {
		if err := takeDown(w, l); err != nil {
			fmt.Fprintf(c.App.ErrWriter, "nsdiag: %v\n", err)
		}
	}()

	fmt.Fprintf(w, "\n== nsdiag ns list\n")
	writeNSList(w, labEntries(l))

	lab := newDemoLab(w, l)
	steps := append([]demoStep(nil), demoSteps...)
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].order < steps[j].order })
	if len(steps) == 0 {
		fmt.Fprintln(w, "\n(no diagnostics are built into this nsdiag yet)")
	}
	var failed []string
	for _, s := range steps {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(w, "\n== %s\n", s.title)
		if err := s.run(ctx, lab); err != nil && ctx.Err() == nil {
			fmt.Fprintf(c.App.ErrWriter, "nsdiag: demo step %q: %v\n", s.title, err)
			failed = append(failed, s.title)
		}
	}
	fmt.Fprintln(w)
	if ctx.Err() != nil {
		return exitWith(130, errors.New("demo interrupted; taking the lab down"))
	}
	if len(failed) > 0 {
		return fmt.Errorf("demo steps failed: %s", strings.Join(failed, "; "))
	}
	return nil
}

func nodeNames(l *netcfg.Lab) []string {
	var out []string
	for _, n := range l.Nodes {
		out = append(out, n.Name)
	}
	return out
}

// labEntries reads the lab's namespaces as `ns list` shows them.
func labEntries(l *netcfg.Lab) []nsEntry {
	var out []nsEntry
	for _, n := range l.Nodes {
		ns := nsexec.Namespace{Names: []string{n.Name}}
		if id, err := nsexec.Identify(n.Target()); err == nil {
			ns.ID, ns.Inode = id, id.Ino
		}
		out = append(out, newNSEntry(ns))
	}
	return out
}

// newDemoLab describes the demo lab to the steps: its three nodes in file
// order (h1, r1, h2) and the addresses on their first interfaces.
func newDemoLab(w io.Writer, l *netcfg.Lab) *demoLab {
	h1, r1, h2 := l.Nodes[0], l.Nodes[1], l.Nodes[2]
	lab := &demoLab{Out: w, H1: h1.Target(), R1: r1.Target(), H2: h2.Target()}
	lab.H1Addr4, lab.H1Addr6 = firstAddrs(h1.Interfaces[0].Addrs)
	lab.H2Addr4, lab.H2Addr6 = firstAddrs(h2.Interfaces[0].Addrs)
	lab.R1Left4, _ = firstAddrs(r1.Interfaces[0].Addrs)
	return lab
}

// firstAddrs returns the first IPv4 and the first IPv6 address of a list
// of CIDRs, without prefix lengths.
func firstAddrs(cidrs []string) (v4, v6 string) {
	for _, s := range cidrs {
		ip, _, err := net.ParseCIDR(s)
		switch {
		case err != nil:
		case ip.To4() != nil && v4 == "":
			v4 = ip.String()
		case ip.To4() == nil && v6 == "":
			v6 = ip.String()
		}
	}
	return v4, v6
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// nsListFlags are the discovery flags of `nsdiag ns list`.
var nsListFlags = []cli.Flag{
	&cli.BoolFlag{Name: "all", Aliases: []string{"a"}, Usage: "list every network namespace on the host: named, held by processes (containers, pods) or by bind mounts, with their processes, interfaces and addresses"},
	&cli.BoolFlag{Name: "json", Usage: "print the listing as JSON"},
}

// listDiscovered prints the detailed listing: every namespace with --all,
// else only the named ones.
func listDiscovered(c *cli.Context) error {
	all, err := nsexec.Discover()
	if err != nil {
		return fmt.Errorf("discover network namespaces: %w", err)
	}
	if !c.Bool("all") {
		var named []nsexec.Namespace
		for _, n := range all {
			if len(n.Names) > 0 {
				named = append(named, n)
			}
		}
		all = named
	}
	list := make([]nsEntry, len(all))
	for i, n := range all {
		list[i] = newNSEntry(n)
	}
	if c.Bool("json") {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	writeNSList(c.App.Writer, list)
	return nil
}

// nsEntry is one namespace of the listing, as --json prints it.
type nsEntry struct {
	// Netns is what -n takes to enter it.
	Netns string `json:"netns"`
	nsexec.Namespace
	Interfaces []ifaceEntry `json:"interfaces"`
	// Error says why its interfaces could not be read.
	Error string `json:"error,omitempty"`
}

type ifaceEntry struct {
	Name      string   `json:"name"`
	Index     int      `json:"index"`
	Type      string   `json:"type"`
	State     string   `json:"state"`
	MTU       int      `json:"mtu"`
	MAC       string   `json:"mac,omitempty"`
	Addresses []string `json:"addresses"`
}

func newNSEntry(n nsexec.Namespace) nsEntry {
	t := n.Target()
	e := nsEntry{Netns: t.String(), Namespace: n, Interfaces: []ifaceEntry{}}
	if n.Current {
		t = nsexec.Target{}
	}
	links, err := netcfg.Links(t)
	if err != nil {
		e.Error = err.Error()
		return e
	}
	for _, l := range links {
		ie := ifaceEntry{Name: l.Name, Index: l.Index, Type: l.Type, State: strings.ToUpper(l.State), MTU: l.MTU, Addresses: []string{}}
		if len(l.MAC) > 0 {
			ie.MAC = l.MAC.String()
		}
		for _, a := range l.Addrs {
			ie.Addresses = append(ie.Addresses, a.String())
		}
		e.Interfaces = append(e.Interfaces, ie)
	}
	return e
}

// maxProcs is how many processes a text listing shows per namespace; the
// host's own namespace holds hundreds.
const maxProcs = 6

// writeNSList prints one block per namespace: a header with the -n value,
// the inode and the label, then what holds it, then its interfaces in the
// shape of `ip -br addr`.
func writeNSList(w io.Writer, list []nsEntry) {
	for i, e := range list {
		if i > 0 {
			fmt.Fprintln(w)
		}
		head := []string{e.Netns, "inode:" + strconv.FormatUint(e.Inode, 10)}
		if l := e.Label(); l != e.Netns && !strings.HasPrefix(l, "pid:") && !strings.HasPrefix(l, "inode:") {
			head = append(head, "["+l+"]")
		}
		if e.Current {
			head = append(head, "(current)")
		}
		fmt.Fprintln(w, strings.Join(head, "  "))
		if len(e.Names) > 1 {
			fmt.Fprintf(w, "    names      %s\n", strings.Join(e.Names, " "))
		}
		for _, m := range e.Mounts {
			fmt.Fprintf(w, "    mount      %s\n", m)
		}
		if len(e.Procs) > 0 {
			var ps []string
			for _, p := range e.Procs[:min(len(e.Procs), maxProcs)] {
				ps = append(ps, procText(p))
			}
			more := ""
			if len(e.Procs) > maxProcs {
				more = fmt.Sprintf(" (+%d more; --json lists all)", len(e.Procs)-maxProcs)
			}
			fmt.Fprintf(w, "    processes  %s%s\n", strings.Join(ps, ", "), more)
		}
		if e.Error != "" {
			fmt.Fprintf(w, "    interfaces: %s\n", e.Error)
		}
		for _, l := range e.Interfaces {
			fmt.Fprintf(w, "    %s\n", strings.TrimRight(fmt.Sprintf("%-16s %-14s %s", l.Name, l.State, strings.Join(l.Addresses, " ")), " "))
		}
	}
}

func procText(p nsexec.Proc) string {
	s := strconv.Itoa(p.PID)
	if p.TID != 0 {
		s += "/task/" + strconv.Itoa(p.TID)
	}
	s += " " + p.Comm
	if p.Container != nil {
		s += " [" + p.Container.Short() + "]"
	}
	return s
}

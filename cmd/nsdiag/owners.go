package main

import (
	"net/netip"
	"os"

	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// ownersFlags let ping, trace and sniff name the namespace that holds an
// address they print. Annotations are for people: they show by default on
// a terminal and stay off when output goes to a pipe or file, so scripts
// written against ping, traceroute and tcpdump read the peers' exact lines.
var ownersFlags = []cli.Flag{
	&cli.BoolFlag{Name: "owners", Usage: "always annotate addresses held by a namespace on this host with its name, as 10.0.2.254 [r1] (default: on a terminal only)"},
	&cli.BoolFlag{Name: "no-owners", Usage: "never annotate addresses with the namespace that holds them"},
}

// owners maps the addresses of this host's namespaces to their names. It is
// built once per run; a nil *owners annotates nothing.
type owners struct {
	byAddr map[netip.Addr]string
}

// loadOwners reads the flags and, when annotation is on, the addresses of
// every namespace on the host (named ones, and those that containers and
// other processes hold: see nsexec.Discover). nsdiag's own namespace is
// left out unless it has a name: it has no name to show. Failures to read
// a namespace are ignored: an annotation is a courtesy, never a reason to
// fail the diagnostic.
func loadOwners(c *cli.Context) *owners {
	if c.Bool("no-owners") {
		return nil
	}
	if !c.Bool("owners") && !term.IsTerminal(int(os.Stdout.Fd())) {
		return nil
	}
	o := &owners{byAddr: map[netip.Addr]string{}}
	all, _ := nsexec.Discover()
	for _, n := range all {
		if n.Current && len(n.Names) == 0 {
			continue
		}
		links, err := netcfg.Links(n.Target())
		if err != nil {
			continue
		}
		o.addLinks(links, n.Label())
	}
	return o
}

// addLinks records the addresses of a namespace's links under name.
func (o *owners) addLinks(links []netcfg.Link, name string) {
	for _, l := range links {
		for _, a := range l.Addrs {
			ip, ok := netip.AddrFromSlice(a.IP)
			if !ok || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
				continue
			}
			o.add(ip.Unmap(), name)
		}
	}
}

// add records that name holds ip; an address held by two namespaces (labs
// reuse private ranges) names both.
func (o *owners) add(ip netip.Addr, name string) {
	if prev, ok := o.byAddr[ip]; ok && prev != name {
		o.byAddr[ip] = prev + "," + name
		return
	}
	o.byAddr[ip] = name
}

// annotate returns " [NAME]" for an address a namespace holds, else "".
func (o *owners) annotate(ip netip.Addr) string {
	if o == nil {
		return ""
	}
	if name, ok := o.byAddr[ip.Unmap()]; ok {
		return " [" + name + "]"
	}
	return ""
}

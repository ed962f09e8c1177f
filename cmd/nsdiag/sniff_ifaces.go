package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
)

// sniffListInterfaces prints tcpdump -D's list for each namespace: the
// devices nsdiag can capture on, numbered in libpcap's order. libpcap's
// pseudo-devices that are not network interfaces (nflog, nfqueue, D-Bus,
// Bluetooth, USB) are left out, as nsdiag cannot open them.
func sniffListInterfaces(c *cli.Context, a *sniffArgs) error {
	for _, t := range a.targets {
		devs, err := capture.Devices(t)
		if err != nil {
			return sniffOpenError(err, enterNeed(t))
		}
		prefix := ""
		if len(a.targets) > 1 {
			prefix = t.Label() + ": "
		}
		writeDevices(c.App.Writer, prefix, devs)
	}
	return nil
}

// sniffListLinkTypes prints tcpdump -L's list for -i's interface (or the
// default one) in each namespace: the link types a capture on it can be
// given with -y. It goes to stderr, as tcpdump's does.
func sniffListLinkTypes(c *cli.Context, a *sniffArgs) error {
	w := c.App.ErrWriter
	for _, t := range a.targets {
		src, err := capture.Open(capture.Config{Netns: t, Interface: a.iface, Snaplen: a.snaplen, BufferSize: a.bufferSize})
		if err != nil {
			return sniffOpenError(err, enterNeed(t))
		}
		name, lt := src.Interface(), src.LinkType()
		src.Close()
		fmt.Fprintf(w, "Data link types for %s (use option -y to set):\n", name)
		var types []layers.LinkType
		switch {
		case name == capture.AnyInterface:
			types = []layers.LinkType{layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2}
		default:
			types = []layers.LinkType{lt}
		}
		for _, lt := range types {
			n, desc := capture.LinkTypeName(lt)
			fmt.Fprintf(w, "  %s (%s)\n", n, desc)
		}
		if lt == layers.LinkTypeEthernet && !isLoopback(t, name) {
			// libpcap offers DOCSIS on every Ethernet device but
			// loopback; tcpdump cannot print it, nor can nsdiag.
			fmt.Fprintln(w, "  DOCSIS (DOCSIS) (printing not supported)")
		}
	}
	return nil
}

func isLoopback(t nsexec.Target, name string) bool {
	devs, err := capture.Devices(t)
	if err != nil {
		return false
	}
	for _, d := range devs {
		if d.Name == name {
			return d.Loopback
		}
	}
	return false
}

func writeDevices(w io.Writer, prefix string, devs []capture.Device) {
	for i, d := range devs {
		fmt.Fprintf(w, "%s%d.%s", prefix, i+1, d.Name)
		if d.Description != "" {
			fmt.Fprintf(w, " (%s)", d.Description)
		}
		if d.HasFlags() {
			var flags []string
			for _, f := range []struct {
				on   bool
				name string
			}{{d.Up, "Up"}, {d.Running, "Running"}, {d.Loopback, "Loopback"}} {
				if f.on {
					flags = append(flags, f.name)
				}
			}
			if len(flags) == 0 {
				flags = append(flags, "none")
			}
			switch d.Status {
			case capture.LinkUnknown:
				flags = append(flags, "Connection status unknown")
			case capture.LinkConnected:
				flags = append(flags, "Connected")
			case capture.LinkDisconnected:
				flags = append(flags, "Disconnected")
			}
			fmt.Fprintf(w, " [%s]", strings.Join(flags, ", "))
		}
		fmt.Fprintln(w)
	}
}

package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nsdiag/nsdiag/capture"
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

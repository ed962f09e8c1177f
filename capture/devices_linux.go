package capture

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"unsafe"

	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/sys/unix"
)

// LinkStatus is whether a device has a link, as libpcap's
// PCAP_IF_CONNECTION_STATUS reports it.
type LinkStatus int

const (
	LinkUnknown       LinkStatus = iota // the driver could not say
	LinkConnected                       // carrier
	LinkDisconnected                    // no carrier
	LinkNotApplicable                   // loopback, pseudo-devices, drivers without the query
)

// Device is one capture device as tcpdump -D lists it.
type Device struct {
	Name, Description string
	Up, Running       bool
	Loopback          bool
	Status            LinkStatus
}

// HasFlags reports whether tcpdump -D prints a bracketed flag list for d:
// libpcap's flags are not all zero (LinkUnknown is zero).
func (d Device) HasFlags() bool {
	return d.Up || d.Running || d.Loopback || d.Status != LinkUnknown
}

// Devices lists the interfaces of namespace t that can be captured on,
// and "any", in libpcap's pcap_findalldevs order: running before not,
// up before down, connected before disconnected, loopback after the
// others of its kind, "any" after the up and running ones, and otherwise
// as the kernel lists them.
func Devices(t nsexec.Target) ([]Device, error) {
	var devs []Device
	err := nsexec.Do(t, func() error {
		ifs, err := net.Interfaces()
		if err != nil {
			return fmt.Errorf("list interfaces: %w", err)
		}
		sock, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("open socket for link status: %w", err)
		}
		defer unix.Close(sock)
		for _, ifc := range ifs {
			d := Device{Name: ifc.Name, Up: ifc.Flags&net.FlagUp != 0, Running: ifc.Flags&net.FlagRunning != 0,
				Loopback: ifc.Flags&net.FlagLoopback != 0}
			if d.Loopback {
				d.Status = LinkNotApplicable
			} else {
				d.Status = linkStatus(sock, ifc.Name)
			}
			devs = append(devs, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	devs = append(devs, Device{Name: AnyInterface, Description: "Pseudo-device that captures on all interfaces",
		Up: true, Running: true, Status: LinkNotApplicable})
	// libpcap inserts each device before the first with a higher figure
	// of merit: a stable sort.
	sort.SliceStable(devs, func(i, j int) bool { return devs[i].merit() < devs[j].merit() })
	return devs, nil
}

// merit is libpcap 1.10's get_figure_of_merit: lower sorts first. It
// does not rank by a number at the end of the name (b7 stays before b2,
// in kernel order).
func (d Device) merit() uint32 {
	var n uint32
	if !d.Running {
		n |= 0x80000000
	}
	if !d.Up {
		n |= 0x40000000
	}
	if d.Status == LinkDisconnected {
		n |= 0x20000000
	}
	if d.Loopback {
		n |= 0x10000000
	}
	if d.Name == AnyInterface {
		n |= 0x08000000 // after the others that are up, before loopback
	}
	return n
}

// linkStatus asks the driver for its carrier (ETHTOOL_GLINK), as libpcap
// does: a driver without the query is "not applicable", a device that is
// gone "unknown".
func linkStatus(sock int, name string) LinkStatus {
	value := struct{ cmd, data uint32 }{cmd: unix.ETHTOOL_GLINK}
	var ifr struct {
		name [unix.IFNAMSIZ]byte
		data unsafe.Pointer
		_    [16]byte
	}
	copy(ifr.name[:], name)
	ifr.data = unsafe.Pointer(&value)
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(sock), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&ifr)))
	switch {
	case errno == 0 && value.data != 0:
		return LinkConnected
	case errno == 0:
		return LinkDisconnected
	case errors.Is(errno, unix.EOPNOTSUPP), errors.Is(errno, unix.EINVAL):
		return LinkNotApplicable
	}
	return LinkUnknown
}

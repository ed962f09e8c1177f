package reach

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ICMP error types, IPv4 then IPv6, as the prober reports them.
const (
	icmp4Unreach, icmp4TimeExceeded = 3, 11
	icmp6Unreach, icmp6TimeExceeded = 1, 3
)

// Short is the few characters a matrix cell shows for r: "reach", "timeout",
// traceroute's marks for ICMP errors (!N, !H, !P, !F, !S, !X, !V, !C, or
// !<code>), "!T" for time exceeded, or the local error ("no-route",
// "blackhole", "prohibited", "filtered") for a send the kernel refused.
func (r Result) Short() string {
	switch r.Outcome {
	case Reached:
		return "reach"
	case Timeout:
		return "timeout"
	case ICMPError:
		return icmpMark(r.Addr, r.ICMPType, r.ICMPCode)
	case SendError:
		return sendMark(r.Err)
	}
	return "error"
}

func icmpMark(dst netip.Addr, typ, code int) string {
	if dst.Is4() {
		switch {
		case typ == icmp4TimeExceeded:
			return "!T"
		case typ != icmp4Unreach:
			return fmt.Sprintf("!<type %d>", typ)
		}
		switch code {
		case 0, 6, 11:
			return "!N"
		case 1, 7, 12:
			return "!H"
		case 2:
			return "!P"
		case 3:
			return "!p" // port unreachable: the host answered
		case 4:
			return "!F"
		case 5:
			return "!S"
		case 9, 10, 13:
			return "!X"
		case 14:
			return "!V"
		case 15:
			return "!C"
		}
		return fmt.Sprintf("!<%d>", code)
	}
	switch {
	case typ == icmp6TimeExceeded:
		return "!T"
	case typ != icmp6Unreach:
		return fmt.Sprintf("!<type %d>", typ)
	}
	switch code {
	case 0:
		return "!N"
	case 1, 5, 6:
		return "!X"
	case 2:
		return "!S"
	case 3:
		return "!H"
	case 4:
		return "!p"
	}
	return fmt.Sprintf("!<%d>", code)
}

// sendMark names the route or rule that made the source's kernel refuse a
// probe: an unreachable route gives EHOSTUNREACH/ENETUNREACH, a blackhole
// route EINVAL, a prohibit route EACCES and a firewall drop EPERM.
func sendMark(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "error"
	}
	switch errno {
	case syscall.ENETUNREACH, syscall.EHOSTUNREACH:
		return "no-route"
	case syscall.EINVAL:
		return "blackhole"
	case syscall.EACCES:
		return "prohibited"
	case syscall.EPERM:
		return "filtered"
	case syscall.ENETDOWN:
		return "net-down"
	}
	return "error"
}

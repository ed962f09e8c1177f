package trace

import "fmt"

// classify says what an ICMP error means for a probe, as traceroute reads
// it: final reports that the trace ends at this hop (the destination
// answered or is unreachable) and note is the mark printed after the time
// ("!H", "!N", ...; "" for a plain answer).
func classify(v6 bool, typ, code uint8, mtu int) (note string, final bool) {
	if v6 {
		switch typ {
		case icmp6TimeExceeded:
			if code == 0 {
				return "", false
			}
		case icmp6Unreach:
			switch code {
			case 0: // no route
				return "!N", true
			case 2, 3: // beyond scope, address unreachable
				return "!H", true
			case 1: // administratively prohibited
				return "!X", true
			case 4: // port unreachable: the destination answered
				return "", true
			default:
				return fmt.Sprintf("!<%d>", code), true
			}
		case icmp6TooBig:
			return fmt.Sprintf("!F-%d", mtu), true
		case icmp6EchoReply:
			return "", true
		}
		return fmt.Sprintf("!<%d-%d>", typ, code), true
	}
	switch typ {
	case icmp4TimeExceeded:
		if code == 0 {
			return "", false
		}
	case icmp4Unreach:
		switch code {
		case 0, 6, 8, 11: // net, net unknown, isolated, net for TOS
			return "!N", true
		case 1, 7, 12: // host, host unknown, host for TOS
			return "!H", true
		case 9, 10, 13: // net, host, communication prohibited
			return "!X", true
		case 3: // port unreachable: the destination answered
			return "", true
		case 2:
			return "!P", true
		case 4:
			return fmt.Sprintf("!F-%d", mtu), true
		case 5:
			return "!S", true
		case 14:
			return "!V", true
		case 15:
			return "!C", true
		default:
			return fmt.Sprintf("!<%d>", code), true
		}
	case icmp4EchoReply:
		return "", true
	}
	return fmt.Sprintf("!<%d-%d>", typ, code), true
}

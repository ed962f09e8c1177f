package icmp

import "fmt"

// icmp4Text is iputils' pr_icmph wording for ICMPv4 errors.
func icmp4Text(typ, code uint8, info uint32) string {
	switch typ {
	case 3:
		switch code {
		case 0:
			return "Destination Net Unreachable"
		case 1:
			return "Destination Host Unreachable"
		case 2:
			return "Destination Protocol Unreachable"
		case 3:
			return "Destination Port Unreachable"
		case 4:
			return fmt.Sprintf("Frag needed and DF set (mtu = %d)", info)
		case 5:
			return "Source Route Failed"
		case 6:
			return "Destination Net Unknown"
		case 7:
			return "Destination Host Unknown"
		case 8:
			return "Source Host Isolated"
		case 9:
			return "Destination Net Prohibited"
		case 10:
			return "Destination Host Prohibited"
		case 11:
			return "Destination Net Unreachable for Type of Service"
		case 12:
			return "Destination Host Unreachable for Type of Service"
		case 13:
			return "Packet filtered"
		case 14:
			return "Precedence Violation"
		case 15:
			return "Precedence Cutoff"
		}
		return fmt.Sprintf("Dest Unreachable, Bad Code: %d", code)
	case 4:
		return "Source Quench"
	case 11:
		switch code {
		case 0:
			return "Time to live exceeded"
		case 1:
			return "Frag reassembly time exceeded"
		}
		return fmt.Sprintf("Time exceeded, Bad Code: %d", code)
	case 12:
		return fmt.Sprintf("Parameter problem: pointer = %d", info)
	}
	return fmt.Sprintf("Bad ICMP type: %d", typ)
}

// icmp6Text is iputils' print_icmp wording for ICMPv6 errors.
func icmp6Text(typ, code uint8, info uint32) string {
	switch typ {
	case 1:
		s := "Destination unreachable: "
		switch code {
		case 0:
			return s + "No route"
		case 1:
			return s + "Administratively prohibited"
		case 2:
			return s + "Beyond scope of source address"
		case 3:
			return s + "Address unreachable"
		case 4:
			return s + "Port unreachable"
		case 5:
			return s + "Source address failed ingress/egress policy"
		case 6:
			return s + "Reject route to destination"
		}
		return s + fmt.Sprintf("Unknown code %d", code)
	case 2:
		s := fmt.Sprintf("Packet too big: mtu=%d", info)
		if code != 0 {
			s += fmt.Sprintf(", code=%d", code)
		}
		return s
	case 3:
		switch code {
		case 0:
			return "Time exceeded: Hop limit"
		case 1:
			return "Time exceeded: Defragmentation failure"
		}
		return fmt.Sprintf("Time exceeded: code %d", code)
	case 4:
		s := "Parameter problem: "
		switch code {
		case 0:
			s += "Wrong header field "
		case 1:
			s += "Unknown header "
		case 2:
			s += "Unknown option "
		default:
			s += fmt.Sprintf("code %d ", code)
		}
		return s + fmt.Sprintf("at %d", info)
	}
	return fmt.Sprintf("unknown icmp type: %d", typ)
}

package trace

import (
	"encoding/binary"
	"net/netip"
)

// IP protocol numbers of the probes.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
)

// matcher tells which packets answer the probes of one trace, and which
// probe each answers. It is pure: the sockets hand it what they read.
type matcher struct {
	method Method
	paris  bool
	// fixedPort: UDP probes all go to port and are told apart by their
	// source ports (traceroute -U); sport is the first of those.
	fixedPort bool
	v6        bool
	// dst is the destination traced to; port is Config.Port.
	dst  netip.Addr
	port uint16
	// proto is the protocol of Raw probes.
	proto uint8
	// unspecified: the destination was given as 0.0.0.0 or ::, which
	// the kernel sends to loopback; traceroute -T takes a TCP answer only
	// from the address as given, so there it takes none.
	unspecified bool
	// sport is the source port of UDP and TCP probes; echoID the
	// identifier of ICMP echo probes.
	sport  uint16
	echoID uint16
}

// fromICMP matches an ICMP packet to a probe.
func (mt *matcher) fromICMP(b []byte, from netip.Addr) (answer, bool) {
	var m message
	var err error
	if mt.v6 {
		m, err = parseICMPv6(b)
	} else {
		from, m, err = parseIPv4ICMP(b)
	}
	if err != nil {
		return answer{}, false
	}
	from = from.Unmap()
	a := answer{from: from, icmpType: int(m.Type), icmpCode: int(m.Code), ext: m.Extensions}
	a.note, a.final = classify(mt.v6, m.Type, m.Code, m.MTU)
	if (mt.v6 && m.Type == icmp6TooBig) || (!mt.v6 && m.Type == icmp4Unreach && m.Code == 4) {
		a.mtu = m.MTU
	}
	a.reached = a.final && from == mt.dst
	if !m.isError(mt.v6) {
		// Only the destination's own echo replies count: traceroute's
		// raw socket is connected to it, so a reply from elsewhere (a
		// NAT that rewrote the destination, say) leaves its probe "*".
		if mt.method != ICMP || m.ID != mt.echoID || from != mt.dst {
			return answer{}, false
		}
		a.id = uint32(m.Seq)
		return a, a.id != 0
	}
	id, ok := mt.quotedID(m.Quoted)
	a.id = id
	// traceroute -I never matches sequence number 0 (its "no probe"), so
	// the probe after 65535 shows "*" there; it does here too.
	return a, ok && (mt.method != ICMP || id != 0)
}

// quotedID finds which of our probes an ICMP error quotes.
func (mt *matcher) quotedID(q quoted) (uint32, bool) {
	if q.Dst.Unmap() != mt.dst {
		return 0, false
	}
	l := q.L4
	switch mt.method {
	case UDP:
		if q.Proto != protoUDP || len(l) < 8 {
			return 0, false
		}
		sport, dport := binary.BigEndian.Uint16(l[0:]), binary.BigEndian.Uint16(l[2:])
		switch {
		case mt.paris && sport == mt.sport:
			return uint32(binary.BigEndian.Uint16(l[6:])), true
		case mt.fixedPort && !mt.paris && dport == mt.port:
			return uint32(sport), true
		case !mt.paris && !mt.fixedPort && sport == mt.sport:
			return uint32(dport), true
		}
		return 0, false
	case ICMP:
		want := uint8(icmp4Echo)
		if mt.v6 {
			want = icmp6Echo
		}
		if (!mt.v6 && q.Proto != protoICMP) || (mt.v6 && q.Proto != protoICMPv6) ||
			len(l) < 8 || l[0] != want || binary.BigEndian.Uint16(l[4:]) != mt.echoID {
			return 0, false
		}
		return uint32(binary.BigEndian.Uint16(l[6:])), true
	case Raw:
		// Raw probes go one at a time and carry nothing to tell them
		// apart: an error quoting one of the protocol is the current
		// probe's, as traceroute takes it. The kernel passes an error
		// on to traceroute's socket only when it quotes 8 bytes past the
		// IP header, so a bare probe's errors never count.
		return rawID, q.Proto == mt.proto && len(l) >= 8
	case TCP:
		if q.Proto != protoTCP || len(l) < 8 || binary.BigEndian.Uint16(l[0:]) != mt.sport ||
			binary.BigEndian.Uint16(l[2:]) != mt.port {
			return 0, false
		}
		return binary.BigEndian.Uint32(l[4:]), true
	}
	return 0, false
}

// fromUDP matches a UDP datagram read from a raw socket (an IPv4 packet,
// or an IPv6 payload) to a probe: see udpReply.
func (mt *matcher) fromUDP(b []byte, from netip.Addr) (answer, bool) {
	if !mt.v6 {
		if len(b) < 20 || b[0]>>4 != 4 || b[9] != protoUDP || len(b) < int(b[0]&0x0f)*4 {
			return answer{}, false
		}
		from, b = netip.AddrFrom4([4]byte(b[12:16])), b[int(b[0]&0x0f)*4:]
	}
	if len(b) < 8 {
		return answer{}, false
	}
	return mt.udpReply(from, binary.BigEndian.Uint16(b[0:]), binary.BigEndian.Uint16(b[2:]))
}

// udpReply matches a UDP answer from sport to dport: a service at the
// destination answered a probe, which ends the trace there, as
// traceroute takes any reply on a probe's socket. Paris probes share
// their ports, so theirs cannot be told apart and are left alone.
func (mt *matcher) udpReply(from netip.Addr, sport, dport uint16) (answer, bool) {
	if mt.method != UDP || mt.paris || from.Unmap() != mt.dst {
		return answer{}, false
	}
	a := answer{from: mt.dst, icmpType: -1, icmpCode: -1, final: true, reached: true}
	switch {
	case mt.fixedPort && sport == mt.port:
		a.id = uint32(dport)
	case !mt.fixedPort && dport == mt.sport:
		a.id = uint32(sport)
	default:
		return answer{}, false
	}
	return a, true
}

// rawID is the id of every Raw probe; the latest sent answers to it.
const rawID = 1

// fromRaw matches a packet of the Raw probes' protocol (an IPv4 packet, or
// an IPv6 payload) from the destination: it ends the trace there.
func (mt *matcher) fromRaw(b []byte, from netip.Addr) (answer, bool) {
	if !mt.v6 {
		if len(b) < 20 || b[0]>>4 != 4 || b[9] != mt.proto {
			return answer{}, false
		}
		from = netip.AddrFrom4([4]byte(b[12:16]))
	}
	if from.Unmap() != mt.dst {
		return answer{}, false
	}
	return answer{id: rawID, from: mt.dst, icmpType: -1, icmpCode: -1, final: true, reached: true}, true
}

// fromTCP matches a SYN-ACK or RST from the destination to a probe.
func (mt *matcher) fromTCP(b []byte, from netip.Addr) (answer, bool) {
	if !mt.v6 {
		if len(b) < 20 || b[0]>>4 != 4 {
			return answer{}, false
		}
		hl := int(b[0]&0x0f) * 4
		if len(b) < hl {
			return answer{}, false
		}
		from, b = netip.AddrFrom4([4]byte(b[12:16])), b[hl:]
	}
	a, ok := parseTCPAnswer(b, mt.sport, mt.port)
	if !ok || from.Unmap() != mt.dst || mt.unspecified {
		return answer{}, false
	}
	a.from = mt.dst
	return a, true
}

// parseTCPAnswer reads a TCP segment answering a SYN sent from sport to
// dport: a SYN-ACK or an RST, either acknowledging the probe's sequence.
func parseTCPAnswer(b []byte, sport, dport uint16) (answer, bool) {
	if len(b) < 20 || binary.BigEndian.Uint16(b[0:]) != dport || binary.BigEndian.Uint16(b[2:]) != sport {
		return answer{}, false
	}
	flags := b[13]
	if flags&tcpRST == 0 && flags&(tcpSYNFlag|tcpACK) != tcpSYNFlag|tcpACK {
		return answer{}, false
	}
	if flags&tcpACK == 0 {
		return answer{}, false
	}
	return answer{
		id:       binary.BigEndian.Uint32(b[8:]) - 1,
		icmpType: -1, icmpCode: -1,
		tcpFlags: flags,
		final:    true, reached: true,
	}, true
}

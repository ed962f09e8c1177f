package reach

import (
	"encoding/binary"
	"net/netip"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// protoICMP and protoICMPv6 are the IANA protocol numbers x/net/icmp parses by.
const (
	protoICMP   = 1
	protoICMPv6 = 58
)

// answer is what one received ICMP message says about our probes.
type answer struct {
	reply    bool // echo reply; else an ICMP error quoting our request
	id, seq  int
	typ      int
	code     int
	quotedTo netip.Addr // errors: the destination of the quoted request
	nonce    []byte     // replies: the echoed payload
}

// parseAnswer reads an ICMP (v4 when v6 is false) message from a raw
// socket: an echo reply, or an error (destination unreachable, time
// exceeded, parameter problem, packet too big) that quotes an echo request.
// ok is false for anything else.
func parseAnswer(b []byte, v6 bool) (answer, bool) {
	proto := protoICMP
	if v6 {
		proto = protoICMPv6
	}
	m, err := icmp.ParseMessage(proto, b)
	if err != nil {
		return answer{}, false
	}
	switch body := m.Body.(type) {
	case *icmp.Echo:
		if m.Type != ipv4.ICMPTypeEchoReply && m.Type != ipv6.ICMPTypeEchoReply {
			return answer{}, false
		}
		return answer{reply: true, id: body.ID, seq: body.Seq, nonce: body.Data}, true
	case *icmp.DstUnreach:
		return quoted(m, body.Data, v6)
	case *icmp.TimeExceeded:
		return quoted(m, body.Data, v6)
	case *icmp.ParamProb:
		return quoted(m, body.Data, v6)
	case *icmp.PacketTooBig:
		return quoted(m, body.Data, v6)
	}
	return answer{}, false
}

// quoted reads the echo request an ICMP error quotes: its IP header (IPv6
// without extension headers, as our requests are sent) and the first 8
// bytes of its ICMP header.
func quoted(m *icmp.Message, data []byte, v6 bool) (answer, bool) {
	a := answer{code: m.Code}
	var hdr int
	if v6 {
		a.typ = int(m.Type.(ipv6.ICMPType))
		if len(data) < ipv6.HeaderLen+8 || data[0]>>4 != 6 || data[6] != protoICMPv6 {
			return answer{}, false
		}
		a.quotedTo = netip.AddrFrom16([16]byte(data[24:40]))
		hdr = ipv6.HeaderLen
		if data[hdr] != byte(ipv6.ICMPTypeEchoRequest) {
			return answer{}, false
		}
	} else {
		a.typ = int(m.Type.(ipv4.ICMPType))
		if len(data) < ipv4.HeaderLen || data[0]>>4 != 4 {
			return answer{}, false
		}
		hdr = int(data[0]&0x0f) * 4
		if hdr < ipv4.HeaderLen || len(data) < hdr+8 || data[9] != protoICMP {
			return answer{}, false
		}
		a.quotedTo = netip.AddrFrom4([4]byte(data[16:20]))
		if data[hdr] != byte(ipv4.ICMPTypeEcho) {
			return answer{}, false
		}
	}
	a.id = int(binary.BigEndian.Uint16(data[hdr+4:]))
	a.seq = int(binary.BigEndian.Uint16(data[hdr+6:]))
	return a, true
}

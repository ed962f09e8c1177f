package trace

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

func icmpEcho(typ uint8, id, seq uint16) []byte {
	b := make([]byte, 8)
	b[0] = typ
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	return b
}

func tcpSeg(sport, dport uint16, seq, ack uint32, flags uint8) []byte {
	b := make([]byte, 20)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint32(b[4:], seq)
	binary.BigEndian.PutUint32(b[8:], ack)
	b[12], b[13] = 5<<4, flags
	return b
}

func TestMatcherIPv4(t *testing.T) {
	const me, dst, rtr = "10.0.1.1", "10.0.5.2", "10.0.2.2"
	timeExceeded := func(inner []byte) []byte { return ipv4(rtr, me, 1, icmpError(11, 0, 0, inner)) }
	udp := matcher{method: UDP, dst: netip.MustParseAddr(dst), port: 33434, sport: 40000}
	paris := udp
	paris.paris = true
	icmp := matcher{method: ICMP, dst: netip.MustParseAddr(dst), port: 1, echoID: 0x4242}
	fixed := matcher{method: UDP, fixedPort: true, dst: netip.MustParseAddr(dst), port: 53, sport: 40000}
	tcp := matcher{method: TCP, dst: netip.MustParseAddr(dst), port: 80, sport: 40001}
	tests := []struct {
		name   string
		m      matcher
		pkt    []byte
		tcp    bool
		id     uint32
		ok     bool
		note   string
		final  bool
		reachd bool
	}{
		{"udp time exceeded", udp, timeExceeded(ipv4(me, dst, 17, udpHeader(40000, 33440, 0))), false, 33440, true, "", false, false},
		{"udp port unreachable from dest", udp, ipv4(dst, me, 1, icmpError(3, 3, 0, ipv4(me, dst, 17, udpHeader(40000, 33441, 0)))), false, 33441, true, "", true, true},
		{"udp host unreachable from router", udp, ipv4(rtr, me, 1, icmpError(3, 1, 0, ipv4(me, dst, 17, udpHeader(40000, 33441, 0)))), false, 33441, true, "!H", true, false},
		{"udp other source port", udp, timeExceeded(ipv4(me, dst, 17, udpHeader(40002, 33440, 0))), false, 0, false, "", false, false},
		{"udp other destination", udp, timeExceeded(ipv4(me, "10.9.9.9", 17, udpHeader(40000, 33440, 0))), false, 0, false, "", false, false},
		{"udp quoted tcp", udp, timeExceeded(ipv4(me, dst, 6, tcpSeg(40000, 33440, 1, 0, tcpSYNFlag))), false, 0, false, "", false, false},
		{"udp quote cut at 4 bytes", udp, timeExceeded(ipv4(me, dst, 17, udpHeader(40000, 33440, 0)[:4])), false, 0, false, "", false, false},
		{"-U by source port", fixed, timeExceeded(ipv4(me, dst, 17, udpHeader(40007, 53, 0))), false, 40007, true, "", false, false},
		{"-U other port", fixed, timeExceeded(ipv4(me, dst, 17, udpHeader(40007, 54, 0))), false, 0, false, "", false, false},
		{"paris by checksum", paris, timeExceeded(ipv4(me, dst, 17, udpHeader(40000, 33434, 77))), false, 77, true, "", false, false},
		{"echo reply", icmp, ipv4(dst, me, 1, icmpEcho(0, 0x4242, 9)), false, 9, true, "", true, true},
		{"echo reply to sequence 0", icmp, ipv4(dst, me, 1, icmpEcho(0, 0x4242, 0)), false, 0, false, "", false, false},
		{"echo reply from another address", icmp, ipv4(rtr, me, 1, icmpEcho(0, 0x4242, 9)), false, 0, false, "", false, false},
		{"echo reply, other pinger", icmp, ipv4(dst, me, 1, icmpEcho(0, 0x4343, 9)), false, 0, false, "", false, false},
		{"echo quoted in time exceeded", icmp, timeExceeded(ipv4(me, dst, 1, icmpEcho(8, 0x4242, 3))), false, 3, true, "", false, false},
		{"echo reply to udp trace", udp, ipv4(dst, me, 1, icmpEcho(0, 0x4242, 9)), false, 0, false, "", false, false},
		{"tcp quoted syn", tcp, timeExceeded(ipv4(me, dst, 6, tcpSeg(40001, 80, 1000, 0, tcpSYNFlag))), false, 1000, true, "", false, false},
		{"tcp rst", tcp, ipv4(dst, me, 6, tcpSeg(80, 40001, 0, 1001, tcpRST|tcpACK)), true, 1000, true, "", true, true},
		{"tcp syn-ack", tcp, ipv4(dst, me, 6, tcpSeg(80, 40001, 5, 1006, tcpSYNFlag|tcpACK)), true, 1005, true, "", true, true},
		{"tcp plain ack", tcp, ipv4(dst, me, 6, tcpSeg(80, 40001, 5, 1006, tcpACK)), true, 0, false, "", false, false},
		{"tcp from elsewhere", tcp, ipv4(rtr, me, 6, tcpSeg(80, 40001, 0, 1001, tcpRST|tcpACK)), true, 0, false, "", false, false},
		{"tcp other port", tcp, ipv4(dst, me, 6, tcpSeg(80, 40009, 0, 1001, tcpRST|tcpACK)), true, 0, false, "", false, false},
	}
	for _, tt := range tests {
		var a answer
		var ok bool
		if tt.tcp {
			a, ok = tt.m.fromTCP(tt.pkt, netip.Addr{})
		} else {
			a, ok = tt.m.fromICMP(tt.pkt, netip.Addr{})
		}
		if ok != tt.ok {
			t.Errorf("%s: matched %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (a.id != tt.id || a.note != tt.note || a.final != tt.final || a.reached != tt.reachd) {
			t.Errorf("%s: got id %d note %q final %v reached %v", tt.name, a.id, a.note, a.final, a.reached)
		}
	}
}

func TestMatcherIPv6(t *testing.T) {
	const me, dst, rtr = "fd00:1::1", "fd00:5::2", "fd00:2::2"
	m := matcher{method: UDP, v6: true, dst: netip.MustParseAddr(dst), port: 33434, sport: 40000}
	inner := ipv6(me, dst, 17, udpHeader(40000, 33436, 0))
	a, ok := m.fromICMP(icmpError(3, 0, 0, inner), netip.MustParseAddr(rtr))
	if !ok || a.id != 33436 || a.final || a.from != netip.MustParseAddr(rtr) {
		t.Errorf("time exceeded: %+v %v", a, ok)
	}
	a, ok = m.fromICMP(icmpError(1, 4, 0, inner), netip.MustParseAddr(dst))
	if !ok || !a.final || !a.reached || a.note != "" {
		t.Errorf("port unreachable: %+v %v", a, ok)
	}
	a, ok = m.fromICMP(icmpError(1, 3, 0, inner), netip.MustParseAddr(rtr))
	if !ok || !a.final || a.reached || a.note != "!H" {
		t.Errorf("address unreachable: %+v %v", a, ok)
	}
	tcp := matcher{method: TCP, v6: true, dst: netip.MustParseAddr(dst), port: 80, sport: 40001}
	if a, ok := tcp.fromTCP(tcpSeg(80, 40001, 0, 8, tcpRST|tcpACK), netip.MustParseAddr(dst)); !ok || a.id != 7 || a.from != netip.MustParseAddr(dst) {
		t.Errorf("tcp rst: %+v %v", a, ok)
	}
	// Traced to ::, probes reach ::1, whose answers traceroute -T does not
	// take.
	tcp = matcher{method: TCP, v6: true, dst: netip.IPv6Loopback(), port: 80, sport: 40001, unspecified: true}
	if a, ok := tcp.fromTCP(tcpSeg(80, 40001, 0, 8, tcpRST|tcpACK), netip.IPv6Loopback()); ok {
		t.Errorf("tcp rst from ::1 traced to :: taken: %+v", a)
	}
}

func TestMatcherUDPReply(t *testing.T) {
	dst, other := netip.MustParseAddr("10.0.5.2"), netip.MustParseAddr("10.0.4.2")
	udp := matcher{method: UDP, dst: dst, port: 33434, sport: 40000}
	fixed := matcher{method: UDP, fixedPort: true, dst: dst, port: 53, sport: 40000}
	paris := matcher{method: UDP, paris: true, dst: dst, port: 33434, sport: 40000}
	for _, tt := range []struct {
		name         string
		m            matcher
		from         netip.Addr
		sport, dport uint16
		id           uint32
		ok           bool
	}{
		{"reply to a probe's port", udp, dst, 33440, 40000, 33440, true},
		{"reply to another port", udp, dst, 33440, 40001, 0, false},
		{"reply from elsewhere", udp, other, 33440, 40000, 0, false},
		{"-U reply to a probe's source port", fixed, dst, 53, 40007, 40007, true},
		{"-U reply from another service", fixed, dst, 54, 40007, 0, false},
		{"paris replies cannot be told apart", paris, dst, 33434, 40000, 0, false},
	} {
		a, ok := tt.m.udpReply(tt.from, tt.sport, tt.dport)
		if ok != tt.ok || (ok && (a.id != tt.id || !a.final || !a.reached || a.from != dst)) {
			t.Errorf("%s: got %+v %v", tt.name, a, ok)
		}
	}
	// The same through a raw socket's IPv4 packet.
	a, ok := fixed.fromUDP(ipv4("10.0.5.2", "10.0.1.1", 17, udpHeader(53, 40007, 0)), netip.Addr{})
	if !ok || a.id != 40007 {
		t.Errorf("raw -U reply: %+v %v", a, ok)
	}
}

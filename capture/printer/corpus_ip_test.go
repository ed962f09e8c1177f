package printer

// Crafted IPv4 and IPv6 packets, and their truncated copies.

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func ipv4Corpus(t testing.TB) []rec {
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	echo := pay(56)
	add(icmp4(t, 8, 0, 0x1c2a0001, echo))
	ip := v4(layers.IPProtocolICMPv4)
	ip.SrcIP, ip.DstIP = ipB, ipA
	add(eth(t, layers.EthernetTypeIPv4, ip, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(0, 0), Id: 0x1c2a, Seq: 1}, echo))
	for code := uint8(0); code <= 16; code++ {
		q := quoted(t, layers.IPProtocolUDP, 33434)
		rest := uint32(0)
		if code == 4 {
			rest = 1400
		}
		if code == 2 {
			q = quoted(t, 253, 0)
		}
		add(icmp4(t, 3, code, rest, q))
	}
	add(icmp4(t, 3, 3, 0, quoted(t, layers.IPProtocolTCP, 80)))
	add(icmp4(t, 3, 3, 0, quoted(t, layers.IPProtocolICMPv4, 0)))
	add(icmp4(t, 3, 4, 0, quoted(t, layers.IPProtocolUDP, 53)))
	add(icmp4(t, 11, 0, 0, quoted(t, layers.IPProtocolUDP, 33435)))
	add(icmp4(t, 11, 1, 0, quoted(t, layers.IPProtocolUDP, 33435)))
	for code := uint8(0); code <= 4; code++ {
		add(icmp4(t, 5, code, binary.BigEndian.Uint32(net.IP{10, 0, 0, 254}), quoted(t, layers.IPProtocolTCP, 22)))
	}
	add(icmp4(t, 4, 0, 0, quoted(t, layers.IPProtocolTCP, 22)))
	add(icmp4(t, 12, 0, 0x14000000, quoted(t, layers.IPProtocolTCP, 22)))
	add(icmp4(t, 13, 0, 0x00070003, make([]byte, 12)))
	add(icmp4(t, 17, 0, 0x00070003, make([]byte, 4)))
	add(icmp4(t, 42, 0, 0, pay(4)))
	add(icmp4(t, 9, 0, 0, pay(8)))
	add(icmp4(t, 10, 0, 0, nil))

	// A TCP conversation: relative sequence numbers need the handshake.
	c, s := uint32(3000000000), uint32(123456789)
	add(tcp4(t, ipA, ipB, 45678, 80, c, 0, "S", 64240, synOpts, 0))
	add(tcp4(t, ipB, ipA, 80, 45678, s, c+1, "SA", 65160, synOpts, 0))
	add(tcp4(t, ipA, ipB, 45678, 80, c+1, s+1, "A", 502, tsOpt(4097, 7), 0))
	add(tcp4(t, ipA, ipB, 45678, 80, c+1, s+1, "PA", 502, tsOpt(4098, 7), 100))
	add(tcp4(t, ipB, ipA, 80, 45678, s+1, c+101, "A", 509, tsOpt(8, 4098), 0))
	add(tcp4(t, ipB, ipA, 80, 45678, s+1, c+101, "PA", 509, tsOpt(9, 4098), 1448))
	sack := []layers.TCPOption{{OptionType: layers.TCPOptionKindNop, OptionLength: 1}, {OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindSACK, OptionLength: 10, OptionData: binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, s+3000), s+4000)}}
	add(tcp4(t, ipA, ipB, 45678, 80, c+101, s+1449, "A", 501, sack, 0))
	add(tcp4(t, ipA, ipB, 45678, 80, c+101, s+1449, "FA", 501, nil, 0))
	add(tcp4(t, ipB, ipA, 80, 45678, s+1449, c+102, "FA", 509, nil, 0))
	add(tcp4(t, ipA, ipB, 45678, 80, c+102, s+1450, "A", 501, nil, 0))
	add(tcp4(t, ipA, ipB, 45679, 81, 5555, 0, "S", 1024, nil, 0))
	add(tcp4(t, ipB, ipA, 81, 45679, 0, 5556, "RA", 0, nil, 0))
	add(tcp4(t, ipA, ipB, 45680, 443, 77, 0, "SEW", 1024, []layers.TCPOption{{OptionType: 253, OptionLength: 4, OptionData: []byte{0xbe, 0xef}}, {OptionType: layers.TCPOptionKindEndList, OptionLength: 1}}, 0))
	add(tcp4(t, ipA, ipB, 45681, 23, 99, 5, "UPA", 1024, nil, 3))
	add(tcp4(t, ipA, ipB, 45682, 8080, 1, 1, "A", 1024, nil, 10)) // mid-stream: no state

	add(udp4(t, 40000, 5000, []byte("hello, udp")))
	add(udp4(t, 40000, 33434, nil))
	bad := udp4(t, 40000, 5001, pay(20))
	binary.BigEndian.PutUint16(bad[14+20+4:], 4) // UDP length shorter than its header
	add(bad)

	// Fragments of one UDP datagram, and of an ICMP echo.
	f1 := v4(layers.IPProtocolUDP)
	fu := &layers.UDP{SrcPort: 40000, DstPort: 6000}
	fu.SetNetworkLayerForChecksum(f1)
	full := ser(t, fu, pay(3000))
	f1.Flags = layers.IPv4MoreFragments
	add(eth(t, layers.EthernetTypeIPv4, f1, gopacket.Payload(full[:1480])))
	f2 := v4(layers.IPProtocolUDP)
	f2.Flags, f2.FragOffset = layers.IPv4MoreFragments, 185
	add(eth(t, layers.EthernetTypeIPv4, f2, gopacket.Payload(full[1480:2960])))
	f3 := v4(layers.IPProtocolUDP)
	f3.Flags, f3.FragOffset = 0, 370
	add(eth(t, layers.EthernetTypeIPv4, f3, gopacket.Payload(full[2960:])))
	f4 := v4(layers.IPProtocolICMPv4)
	f4.Flags, f4.FragOffset = 0, 100
	add(eth(t, layers.EthernetTypeIPv4, f4, pay(40)))

	// Unknown protocol, IP options, ECN and TOS, and a bad header checksum.
	add(eth(t, layers.EthernetTypeIPv4, v4(253), pay(20)))
	ro := v4(layers.IPProtocolICMPv4)
	ro.Options = []layers.IPv4Option{{OptionType: 148, OptionLength: 4, OptionData: []byte{0, 0}}}
	add(eth(t, layers.EthernetTypeIPv4, ro, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 2}, pay(8)))
	ecn := v4(layers.IPProtocolUDP)
	ecn.TOS = 0xb9
	u := &layers.UDP{SrcPort: 1, DstPort: 7}
	u.SetNetworkLayerForChecksum(ecn)
	add(eth(t, layers.EthernetTypeIPv4, ecn, u, pay(4)))
	bc := udp4(t, 40000, 5000, []byte("x"))
	bc[14+10] ^= 0xff
	bc[14+8+20+6] ^= 0x55
	add(bc)
	// Record and source routes: filled and empty slots, a bad pointer.
	for _, o := range []layers.IPv4Option{
		{OptionType: 7, OptionLength: 11, OptionData: []byte{8, 10, 0, 0, 1, 0, 0, 0, 0}},
		{OptionType: 131, OptionLength: 11, OptionData: []byte{4, 10, 9, 9, 9, 10, 8, 8, 8}},
		{OptionType: 137, OptionLength: 7, OptionData: []byte{2, 1, 2, 3, 4}},
	} {
		rr := v4(layers.IPProtocolICMPv4)
		rr.Options = []layers.IPv4Option{o}
		add(eth(t, layers.EthernetTypeIPv4, rr, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 3}, pay(8)))
	}
	return r
}

func ipv6Corpus(t testing.TB) []rec {
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	e6 := func(ls ...gopacket.SerializableLayer) []byte { return eth(t, layers.EthernetTypeIPv6, ls...) }
	icmp := func(ip *layers.IPv6, typ, code uint8, ls ...gopacket.SerializableLayer) []byte {
		ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, code)}
		ic.SetNetworkLayerForChecksum(ip)
		return e6(append([]gopacket.SerializableLayer{ip, ic}, ls...)...)
	}
	add(icmp(v6(layers.IPProtocolICMPv6), 128, 0, &layers.ICMPv6Echo{Identifier: 0x2a, SeqNumber: 1}, pay(56)))
	rep := v6(layers.IPProtocolICMPv6)
	rep.SrcIP, rep.DstIP = ip6B, ip6A
	add(icmp(rep, 129, 0, &layers.ICMPv6Echo{Identifier: 0x2a, SeqNumber: 1}, pay(56)))
	ns := v6(layers.IPProtocolICMPv6)
	ns.SrcIP, ns.DstIP, ns.HopLimit = ll6A, net.ParseIP("ff02::1:ff00:2"), 255
	add(icmp(ns, 135, 0, &layers.ICMPv6NeighborSolicitation{TargetAddress: ip6B,
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macA}}}))
	na := v6(layers.IPProtocolICMPv6)
	na.SrcIP, na.DstIP, na.HopLimit = ip6B, ll6A, 255
	add(icmp(na, 136, 0, &layers.ICMPv6NeighborAdvertisement{TargetAddress: ip6B, Flags: 0x60,
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptTargetAddress, Data: macB}}}))
	rs := v6(layers.IPProtocolICMPv6)
	rs.SrcIP, rs.DstIP, rs.HopLimit = ll6A, net.ParseIP("ff02::2"), 255
	add(icmp(rs, 133, 0, &layers.ICMPv6RouterSolicitation{Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macA}}}))
	ra := v6(layers.IPProtocolICMPv6)
	ra.SrcIP, ra.DstIP, ra.HopLimit = ll6B, net.ParseIP("ff02::1"), 255
	add(icmp(ra, 134, 0, &layers.ICMPv6RouterAdvertisement{HopLimit: 64, Flags: 0x80, RouterLifetime: 1800, ReachableTime: 0, RetransTimer: 0,
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: macB}}}))
	// A router advertisement with the options radvd sends.
	raOpts := []byte{1, 1, 2, 0, 0, 0, 0, 0x0b, 5, 1, 0, 0, 0, 0, 5, 0x78,
		3, 4, 64, 0xc0, 0, 0x27, 0x8d, 0, 0, 9, 0x3a, 0x80, 0, 0, 0, 0, 0x20, 1, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		25, 3, 0, 0, 0, 0, 2, 0x58, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
		24, 2, 64, 0x08, 0xff, 0xff, 0xff, 0xff, 0x20, 1, 0x0d, 0xb8, 0, 2, 0, 0,
		31, 2, 0, 0, 0, 0, 2, 0x58, 3, 'l', 'a', 'b', 0, 0, 0, 0}
	ra2 := v6(layers.IPProtocolICMPv6)
	ra2.SrcIP, ra2.DstIP, ra2.HopLimit = ll6B, net.ParseIP("ff02::1"), 255
	add(icmp(ra2, 134, 0, &layers.ICMPv6RouterAdvertisement{HopLimit: 64, Flags: 0x40, RouterLifetime: 1800, ReachableTime: 30000, RetransTimer: 1000},
		gopacket.Payload(raOpts)))
	inner := func(proto layers.IPProtocol, dport uint16) gopacket.Payload {
		ip := v6(proto)
		var l4 gopacket.SerializableLayer = pay(8)
		switch proto {
		case layers.IPProtocolUDP:
			u := &layers.UDP{SrcPort: 40000, DstPort: layers.UDPPort(dport)}
			u.SetNetworkLayerForChecksum(ip)
			l4 = u
		case layers.IPProtocolTCP:
			tc := &layers.TCP{SrcPort: 40000, DstPort: layers.TCPPort(dport), SYN: true, Window: 100}
			tc.SetNetworkLayerForChecksum(ip)
			l4 = tc
		}
		return gopacket.Payload(ser(t, ip, l4, pay(12)))
	}
	rt := func() *layers.IPv6 {
		ip := v6(layers.IPProtocolICMPv6)
		ip.SrcIP, ip.DstIP = net.ParseIP("2001:db8:ffff::1"), ip6A
		return ip
	}
	for code := uint8(0); code <= 7; code++ {
		add(icmp(rt(), 1, code, gopacket.Payload(make([]byte, 4)), inner(layers.IPProtocolUDP, 33434)))
	}
	add(icmp(rt(), 1, 4, gopacket.Payload(make([]byte, 4)), inner(layers.IPProtocolTCP, 443)))
	add(icmp(rt(), 1, 4, gopacket.Payload(make([]byte, 4)), inner(132, 9)))
	add(icmp(rt(), 2, 0, gopacket.Payload([]byte{0, 0, 5, 0x00}), inner(layers.IPProtocolUDP, 9)))
	add(icmp(rt(), 3, 0, gopacket.Payload(make([]byte, 4)), inner(layers.IPProtocolUDP, 33435)))
	add(icmp(rt(), 3, 1, gopacket.Payload(make([]byte, 4)), inner(layers.IPProtocolUDP, 33435)))
	add(icmp(rt(), 4, 0, gopacket.Payload([]byte{0, 0, 0, 6}), inner(layers.IPProtocolUDP, 33435)))
	add(icmp(rt(), 4, 1, gopacket.Payload([]byte{0, 0, 0, 40}), inner(layers.IPProtocolUDP, 33435)))
	add(icmp(rt(), 200, 0, gopacket.Payload(make([]byte, 4))))
	add(icmp(rt(), 137, 0, gopacket.Payload(append(make([]byte, 4), append(append([]byte(nil), ll6B.To16()...), ip6B.To16()...)...))))

	// TCP and UDP over IPv6.
	t6 := v6(layers.IPProtocolTCP)
	tc := &layers.TCP{SrcPort: 50000, DstPort: 22, Seq: 42, SYN: true, Window: 64800, Options: synOpts}
	tc.SetNetworkLayerForChecksum(t6)
	add(e6(t6, tc))
	t6b := v6(layers.IPProtocolTCP)
	t6b.SrcIP, t6b.DstIP = ip6B, ip6A
	tc2 := &layers.TCP{SrcPort: 22, DstPort: 50000, Seq: 1000, Ack: 43, SYN: true, ACK: true, Window: 64800}
	tc2.SetNetworkLayerForChecksum(t6b)
	add(e6(t6b, tc2))
	t6c := v6(layers.IPProtocolTCP)
	tc3 := &layers.TCP{SrcPort: 50000, DstPort: 22, Seq: 43, Ack: 1001, ACK: true, PSH: true, Window: 500}
	tc3.SetNetworkLayerForChecksum(t6c)
	add(e6(t6c, tc3, pay(21)))
	u6 := v6(layers.IPProtocolUDP)
	uu := &layers.UDP{SrcPort: 40546, DstPort: 4353}
	uu.SetNetworkLayerForChecksum(u6)
	add(e6(u6, uu, pay(10)))
	u6b := v6(layers.IPProtocolUDP)
	u6b.TrafficClass, u6b.FlowLabel = 0xb8, 0x12345
	ub := &layers.UDP{SrcPort: 40000, DstPort: 4000}
	ub.SetNetworkLayerForChecksum(u6b)
	add(e6(u6b, ub, pay(3)))

	// Extension headers, built by hand: gopacket serializes few of them.
	ext := func(next uint8, hdrs []byte, nh0 uint8, l4 []byte) []byte {
		ip := v6(layers.IPProtocol(nh0))
		b := ser(t, ip, gopacket.Payload(append(append([]byte(nil), hdrs...), l4...)))
		_ = next
		return ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}, gopacket.Payload(b))
	}
	udpRaw := func(dp uint16, n int) []byte {
		b := make([]byte, 8+n)
		binary.BigEndian.PutUint16(b, 40000)
		binary.BigEndian.PutUint16(b[2:], dp)
		binary.BigEndian.PutUint16(b[4:], uint16(8+n))
		return b
	}
	hbh := []byte{17, 0, 5, 2, 0, 0, 1, 0} // router alert + PadN
	add(ext(0, hbh, 0, udpRaw(17000, 4)))
	dst := []byte{17, 0, 1, 4, 0, 0, 0, 0}
	add(ext(0, dst, 60, udpRaw(17001, 4)))
	rh := append([]byte{17, 2, 0, 1, 0, 0, 0, 0}, net.ParseIP("2001:db8::3").To16()...)
	add(ext(0, rh, 43, udpRaw(17002, 4)))
	fr := []byte{17, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef}
	add(ext(0, fr, 44, udpRaw(17003, 4)))
	fr2 := []byte{17, 0, 0x05, 0x00, 0xde, 0xad, 0xbe, 0xef}
	add(ext(0, fr2, 44, pay(16)))
	add(ext(0, append([]byte{60, 0, 5, 2, 0, 0, 1, 0}, dst...), 0, udpRaw(17004, 0)))
	add(ext(0, nil, 253, pay(12)))
	add(ext(0, nil, 59, nil))
	return r
}

// truncCorpus cuts packets short of their wire length, as a small snap length does.
func truncCorpus(t testing.TB) []rec {
	var r []rec
	cut := func(b []byte, n int) { r = append(r, rec{data: b[:n], wire: len(b)}) }
	syn := tcp4(t, ipA, ipB, 45678, 80, 1, 0, "S", 64240, synOpts, 0)
	for _, n := range []int{14 + 10, 14 + 20, 14 + 22, 14 + 20 + 10, 14 + 20 + 20, 14 + 20 + 25, 14 + 20 + 33} {
		cut(syn, n)
	}
	data := tcp4(t, ipA, ipB, 45678, 80, 1, 0, "PA", 64240, nil, 200)
	cut(data, 68)
	u := udp4(t, 40000, 5000, pay(100))
	cut(u, 14+20+4)
	cut(u, 14+20+8)
	cut(u, 60)
	e := icmp4(t, 8, 0, 0x00010002, pay(56))
	cut(e, 14+20+2)
	cut(e, 14+20+6)
	cut(e, 14+20+8)
	un := icmp4(t, 3, 3, 0, quoted(t, layers.IPProtocolUDP, 33434))
	cut(un, 14+20+8+10)
	cut(un, 14+20+8+22)
	cut(un, 14+20+8+24)
	u6 := v6(layers.IPProtocolICMPv6)
	ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}
	ic.SetNetworkLayerForChecksum(u6)
	e6 := eth(t, layers.EthernetTypeIPv6, u6, ic, &layers.ICMPv6Echo{Identifier: 1, SeqNumber: 2}, pay(32))
	cut(e6, 14+30)
	cut(e6, 14+40+2)
	cut(e6, 14+40+6)
	dns := dnsCorpus(t)[1].data
	cut(dns, 14+20+8+12)
	cut(dns, 14+20+8+20)
	cut(dns, 14+20+8+40)
	arp := arpCorpus(t)[0].data
	cut(arp, 14+8)
	cut(arp, 14+16)
	cut(syn, 10)
	return r
}

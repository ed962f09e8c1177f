package filter

import (
	"bytes"
	"encoding/binary"
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// The differential corpus: crafted frames covering every protocol the
// filter language names, IPv4 options, IPv6 extension headers, first and
// later fragments, VLAN and QinQ tags, MPLS stacks and truncated frames,
// written once per link type. Regenerate with
//
//	go test ./capture/filter -run TestCorpusFiles -update-corpus

var updateCorpus = flag.Bool("update-corpus", false, "rewrite testdata/filter/*.pcap")

var corpusLinks = []struct {
	name string
	lt   layers.LinkType
	file string
}{
	{"EN10MB", layers.LinkTypeEthernet, "ether.pcap"},
	{"LINUX_SLL", layers.LinkTypeLinuxSLL, "sll.pcap"},
	{"LINUX_SLL2", layers.LinkTypeLinuxSLL2, "sll2.pcap"},
	{"RAW", layers.LinkTypeRaw, "raw.pcap"},
	{"IPV4", layers.LinkTypeIPv4, "ipv4.pcap"},
	{"IPV6", layers.LinkTypeIPv6, "ipv6.pcap"},
}

var (
	macA  = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}
	macB  = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}
	macBC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	macV4 = net.HardwareAddr{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}
	macV6 = net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0xfb}
)

func ser(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(src, dst net.HardwareAddr, et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: src, DstMAC: dst, EthernetType: et}
}

func ip4(src, dst string, proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4(), Id: 0x1234}
}

func ip6(src, dst string, nh layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: nh, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

func tcp(sport, dport uint16, flags string, ipl gopacket.NetworkLayer) *layers.TCP {
	t := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: 1000, Window: 512, DataOffset: 5}
	for _, f := range flags {
		switch f {
		case 'S':
			t.SYN = true
		case 'A':
			t.ACK = true
		case 'F':
			t.FIN = true
		case 'R':
			t.RST = true
		case 'P':
			t.PSH = true
		case 'U':
			t.URG = true
		case 'E':
			t.ECE = true
		case 'C':
			t.CWR = true
		}
	}
	_ = t.SetNetworkLayerForChecksum(ipl)
	return t
}

func udp(sport, dport uint16, ipl gopacket.NetworkLayer) *layers.UDP {
	u := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	_ = u.SetNetworkLayerForChecksum(ipl)
	return u
}

func payload(n int) gopacket.Payload { return gopacket.Payload(bytes.Repeat([]byte{0xab}, n)) }

// corpusFrames returns the Ethernet frames of the corpus.
func corpusFrames(t testing.TB) [][]byte {
	var fs [][]byte
	add := func(b []byte) { fs = append(fs, b) }

	// IPv4 TCP in both directions, various flags and ports.
	i := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(12345, 80, "S", i)))
	i = ip4("10.0.0.2", "10.0.0.1", layers.IPProtocolTCP)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, tcp(80, 12345, "SA", i), payload(20)))
	i = ip4("192.168.1.20", "172.16.5.4", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(53, 2000, "FPA", i), payload(3)))
	i = ip4("172.31.255.1", "10.1.2.3", layers.IPProtocolTCP)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, tcp(3, 5000, "RUEC", i)))
	i = ip4("10.1.2.3", "192.168.1.20", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(22, 1, "PA", i), payload(1000)))
	i = ip4("127.0.0.1", "127.0.0.1", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macA, layers.EthernetTypeIPv4), i, tcp(5000, 21, "A", i)))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(20, 443, "SEC", i)))
	// IPv4 UDP: DNS, DHCP broadcast, multicast, syslog.
	i = ip4("10.0.0.1", "8.8.8.8", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, udp(5353, 53, i), payload(30)))
	i = ip4("8.8.8.8", "10.0.0.1", layers.IPProtocolUDP)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, udp(53, 5353, i), payload(60)))
	i = ip4("0.0.0.0", "255.255.255.255", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macBC, layers.EthernetTypeIPv4), i, udp(68, 67, i), payload(240)))
	i = ip4("10.0.0.7", "10.0.0.255", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macBC, layers.EthernetTypeIPv4), i, udp(138, 138, i), payload(10)))
	i = ip4("10.0.0.1", "239.1.2.3", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macV4, layers.EthernetTypeIPv4), i, udp(4000, 4001, i), payload(8)))
	i = ip4("192.168.1.20", "10.0.0.1", layers.IPProtocolUDP)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, udp(514, 123, i), payload(48)))
	// ICMP: echo request and reply, unreachable, time exceeded.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolICMPv4)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 1}, payload(56)))
	i = ip4("10.0.0.2", "10.0.0.1", layers.IPProtocolICMPv4)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(0, 0), Id: 1, Seq: 1}, payload(56)))
	i = ip4("10.0.0.254", "10.0.0.1", layers.IPProtocolICMPv4)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 3)}, payload(28)))
	i = ip4("10.0.0.254", "10.0.0.1", layers.IPProtocolICMPv4)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(11, 0)}, payload(28)))
	// IGMP to the all-hosts group, and other IP protocols by number.
	i = ip4("10.0.0.1", "224.0.0.1", layers.IPProtocolIGMP)
	add(ser(t, eth(macA, macV4, layers.EthernetTypeIPv4), i, gopacket.Payload{0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0}))
	for _, p := range []layers.IPProtocol{layers.IPProtocolESP, layers.IPProtocolAH, 103, 112, 9, 47, layers.IPProtocolSCTP} {
		i = ip4("10.9.8.7", "10.0.0.1", p)
		add(ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, gopacket.Payload{0, 80, 0x13, 0x88, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
	}
	// IPv4 with options (IHL 7) carrying TCP to port 22 and UDP to 53.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	i.Options = []layers.IPv4Option{{OptionType: 7, OptionLength: 7, OptionData: []byte{4, 0, 0, 0, 0}}, {OptionType: 1}, {OptionType: 1}, {OptionType: 1}}
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(40000, 22, "S", i)))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
	i.Options = []layers.IPv4Option{{OptionType: 148, OptionLength: 4, OptionData: []byte{0, 0}}}
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, udp(40000, 53, i)))
	// IPv4 fragments: a first fragment, then a later one whose bytes at the
	// transport header position look like port 80 and SYN.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
	i.Flags = layers.IPv4MoreFragments
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, udp(1234, 53, i), payload(64)))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	i.FragOffset = 185
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, gopacket.Payload{0, 80, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0, 0, 0, 0, 0, 0}))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolICMPv4)
	i.Flags = layers.IPv4DontFragment
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)}))

	// IPv6: TCP, UDP to multicast, ICMPv6 echo and neighbour solicitation.
	v := ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, tcp(33000, 443, "S", v)))
	v = ip6("2001:db8::2", "2001:db8::1", layers.IPProtocolTCP)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv6), v, tcp(80, 33000, "PA", v), payload(100)))
	v = ip6("fe80::1", "ff02::fb", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macV6, layers.EthernetTypeIPv6), v, udp(5353, 5353, v), payload(20)))
	v = ip6("2001:db8:1::5", "2001:db8::53", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, udp(40000, 53, v), payload(20)))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolICMPv6)
	ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}
	_ = ic.SetNetworkLayerForChecksum(v)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, ic, &layers.ICMPv6Echo{Identifier: 7, SeqNumber: 1}, payload(16)))
	v = ip6("fe80::2", "ff02::1:ff00:1", layers.IPProtocolICMPv6)
	ic = &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)}
	_ = ic.SetNetworkLayerForChecksum(v)
	add(ser(t, eth(macB, macV6, layers.EthernetTypeIPv6), v, ic, gopacket.Payload(append(make([]byte, 4), net.ParseIP("fe80::1")...))))
	v = ip6("::1", "::1", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macA, layers.EthernetTypeIPv6), v, tcp(5000, 5001, "S", v)))
	// IPv6 extension headers: hop-by-hop then UDP, a fragment header then
	// TCP (first fragment), a later fragment, a fragment header then ICMPv6.
	pseudo := ip6("2001:db8::1", "ff02::2", layers.IPProtocolUDP)
	udpBytes := ser(t, udp(547, 53, pseudo), payload(8))
	v = ip6("2001:db8::1", "ff02::2", layers.IPProtocolIPv6HopByHop)
	add(ser(t, eth(macA, macV6, layers.EthernetTypeIPv6), v, gopacket.Payload(append([]byte{17, 0, 5, 2, 0, 0, 1, 0}, udpBytes...))))
	tcpBytes := ser(t, tcp(1111, 80, "S", pseudo))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv6Fragment)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, gopacket.Payload(append([]byte{6, 0, 0, 1, 0, 0, 0, 9}, tcpBytes...))))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv6Fragment)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, gopacket.Payload(append([]byte{6, 0, 0x05, 0x00, 0, 0, 0, 9}, payload(24)...))))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv6Fragment)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, gopacket.Payload(append([]byte{58, 0, 0, 1, 0, 0, 0, 10}, 128, 0, 0, 0, 0, 1, 0, 1))))
	v = ip6("2001:db8::9", "2001:db8::1", 50)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv6), v, payload(24)))
	v = ip6("2001:db8::9", "2001:db8::1", layers.IPProtocolSCTP)
	add(ser(t, eth(macB, macA, layers.EthernetTypeIPv6), v, gopacket.Payload{0x13, 0x88, 0, 80, 1, 2, 3, 4, 0, 0, 0, 0}))

	// ARP and RARP.
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: 1, SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}}
	add(ser(t, eth(macA, macBC, layers.EthernetTypeARP), arp))
	arp2 := *arp
	arp2.Operation, arp2.SourceHwAddress, arp2.SourceProtAddress, arp2.DstHwAddress, arp2.DstProtAddress = 2, macB, []byte{10, 0, 0, 2}, macA, []byte{10, 0, 0, 1}
	add(ser(t, eth(macB, macA, layers.EthernetTypeARP), &arp2))
	arp3 := *arp
	arp3.Operation = 3
	add(ser(t, eth(macA, macBC, 0x8035), &arp3))

	// VLAN 10 TCP, QinQ 100/200 UDP, VLAN 20 IPv6, 0x9100 tag, VLAN 0 ARP.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}, i, tcp(1000, 80, "S", i)))
	i = ip4("10.0.0.5", "10.0.0.6", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macB, 0x88a8), &layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 200, Type: layers.EthernetTypeIPv4}, i, udp(1000, 53, i)))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 20, Priority: 5, Type: layers.EthernetTypeIPv6}, v, udp(1000, 53, v)))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolICMPv4)
	add(ser(t, eth(macA, macB, 0x9100), &layers.Dot1Q{VLANIdentifier: 4095, Type: layers.EthernetTypeIPv4}, i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)}))
	add(ser(t, eth(macA, macBC, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 0, Type: layers.EthernetTypeARP}, arp))

	// MPLS: one label over IPv4 ICMP, two labels over IPv4 TCP, one over IPv6.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolICMPv4)
	add(ser(t, eth(macA, macB, layers.EthernetTypeMPLSUnicast), &layers.MPLS{Label: 5, StackBottom: true, TTL: 64}, i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)}))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeMPLSUnicast), &layers.MPLS{Label: 16, TTL: 64}, &layers.MPLS{Label: 17, StackBottom: true, TTL: 64}, i, tcp(999, 80, "S", i)))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolUDP)
	add(ser(t, eth(macA, macB, layers.EthernetTypeMPLSUnicast), &layers.MPLS{Label: 1048575, StackBottom: true, TTL: 1}, v, udp(7, 53, v)))

	// 802.3 frames with LLC headers (STP, and SAP 0x06).
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: net.HardwareAddr{0x01, 0x80, 0xc2, 0, 0, 0}, EthernetType: layers.EthernetTypeLLC, Length: 38},
		&layers.LLC{DSAP: 0x42, SSAP: 0x42, Control: 3}, payload(35)))
	add(ser(t, &layers.Ethernet{SrcMAC: macB, DstMAC: macA, EthernetType: layers.EthernetTypeLLC, Length: 20},
		&layers.LLC{DSAP: 0x06, SSAP: 0x06, Control: 3}, payload(17)))
	// An unknown EtherType.
	add(ser(t, eth(macA, macB, 0x88cc), payload(40)))

	// Header chains for protochain: IPv4 AH then TCP; IPv6 destination
	// options, routing, AH then TCP; IPv6 no-next-header.
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolAH)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, gopacket.Payload(append([]byte{6, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, tcpBytes...))))
	v = ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolIPv6Destination)
	chain := []byte{43, 0, 1, 4, 0, 0, 0, 0}                                                       // destination options, 8 bytes
	chain = append(chain, 51, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) // routing, 24 bytes
	chain = append(chain, 6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)                                      // AH, 12 bytes
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, gopacket.Payload(append(chain, tcpBytes...))))
	v = ip6("2001:db8::1", "2001:db8::2", 59)
	add(ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v))

	// Truncated frames, cut inside each header.
	full := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP), tcp(1234, 80, "S", ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)))
	for _, n := range []int{7, 13, 14, 20, 30, 34, 36, 38, 40, 47} {
		add(append([]byte(nil), full[:n]...))
	}
	// Cut between the addresses and inside the ports, where the order of
	// loads decides (libpcap's pullups reorder them).
	i = ip4("8.8.8.8", "10.0.0.1", layers.IPProtocolUDP)
	dns := ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, udp(53, 80, i), payload(20))
	for _, n := range []int{31, 33, 35, 37} {
		add(append([]byte(nil), dns[:n]...))
	}
	full6 := ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, udp(7, 53, v))
	for _, n := range []int{20, 40, 54, 56, 58} {
		add(append([]byte(nil), full6[:n]...))
	}
	return fs
}

// convert rewrites an Ethernet frame for another link type; ok is false
// when the frame has no equivalent there (non-IP frames on raw IP links).
func convert(frame []byte, lt layers.LinkType, n int) ([]byte, bool) {
	if len(frame) < 14 {
		if lt == layers.LinkTypeEthernet {
			return frame, true
		}
		return nil, false
	}
	et := binary.BigEndian.Uint16(frame[12:14])
	body := frame[14:]
	pkttypes := []uint16{0, 1, 2, 3, 4}
	switch lt {
	case layers.LinkTypeEthernet:
		return frame, true
	case layers.LinkTypeLinuxSLL:
		h := make([]byte, 16)
		binary.BigEndian.PutUint16(h[0:], pkttypes[n%5])
		binary.BigEndian.PutUint16(h[2:], 1)
		binary.BigEndian.PutUint16(h[4:], 6)
		copy(h[6:], frame[6:12])
		if et <= 1500 {
			et = sllP8022
		}
		binary.BigEndian.PutUint16(h[14:], et)
		return append(h, body...), true
	case layers.LinkTypeLinuxSLL2:
		h := make([]byte, 20)
		if et <= 1500 {
			et = sllP8022
		}
		binary.BigEndian.PutUint16(h[0:], et)
		binary.BigEndian.PutUint32(h[4:], uint32(1+n%4))
		binary.BigEndian.PutUint16(h[8:], 1)
		h[10] = byte(pkttypes[n%5])
		h[11] = 6
		copy(h[12:], frame[6:12])
		return append(h, body...), true
	case layers.LinkTypeRaw:
		return body, et == etherIP || et == etherIPv6
	case layers.LinkTypeIPv4:
		return body, et == etherIP
	case layers.LinkTypeIPv6:
		return body, et == etherIPv6
	}
	return nil, false
}

func TestCorpusFiles(t *testing.T) {
	frames := corpusFrames(t)
	for _, l := range corpusLinks {
		var buf bytes.Buffer
		w := pcapgo.NewWriter(&buf)
		if err := w.WriteFileHeader(65535, l.lt); err != nil {
			t.Fatal(err)
		}
		count := 0
		for n, f := range frames {
			p, ok := convert(f, l.lt, n)
			if !ok || len(p) == 0 {
				continue
			}
			ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(count), 0).UTC(), CaptureLength: len(p), Length: len(p)}
			if err := w.WritePacket(ci, p); err != nil {
				t.Fatal(err)
			}
			count++
		}
		path := filepath.Join("..", "..", "testdata", "filter", l.file)
		if *updateCorpus {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (generate it with -update-corpus)", err)
		}
		if !bytes.Equal(old, buf.Bytes()) {
			t.Errorf("%s is stale: regenerate with go test ./capture/filter -run TestCorpusFiles -update-corpus", path)
		}
	}
}

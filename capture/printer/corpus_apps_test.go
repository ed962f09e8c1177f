package printer

// Crafted ARP, DNS, VLAN, unknown-protocol and application packets.

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func arpCorpus(t testing.TB) []rec {
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	arp := func(op uint16, sha net.HardwareAddr, spa net.IP, tha net.HardwareAddr, tpa net.IP) *layers.ARP {
		return &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
			Operation: op, SourceHwAddress: sha, SourceProtAddress: spa.To4(), DstHwAddress: tha, DstProtAddress: tpa.To4()}
	}
	zero := net.HardwareAddr{0, 0, 0, 0, 0, 0}
	bc := func(ls ...gopacket.SerializableLayer) []byte {
		return ser(t, append([]gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: macA, DstMAC: macBC, EthernetType: layers.EthernetTypeARP}}, ls...)...)
	}
	add(bc(arp(1, macA, ipA, zero, ipB)))
	add(eth(t, layers.EthernetTypeARP, arp(2, macB, ipB, macA, ipA)))
	add(bc(arp(1, macA, ipA, zero, ipA)))
	add(bc(arp(1, macA, ipA, macBC, ipB)))
	add(eth(t, layers.EthernetTypeARP, arp(2, macB, ipB, macA, ipA), pay(18))) // padded to 60
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macBC, EthernetType: 0x8035}, arp(3, macA, net.IPv4zero, macA, net.IPv4zero)))
	add(ser(t, &layers.Ethernet{SrcMAC: macB, DstMAC: macA, EthernetType: 0x8035}, arp(4, macB, ipB, macA, ipA)))
	add(eth(t, layers.EthernetTypeARP, arp(9, macB, ipB, macA, ipA)))
	odd := arp(1, macA, ipA, zero, ipB)
	odd.Protocol = 0x86dd
	add(eth(t, layers.EthernetTypeARP, odd))
	b := eth(t, layers.EthernetTypeARP, arp(1, macA, ipA, zero, ipB))
	add(b[:14+20])
	return r
}

func dnsCorpus(t testing.TB) []rec {
	var r []rec
	resolver := net.IP{10, 0, 0, 53}
	q := func(id uint16, name string, typ layers.DNSType) *layers.DNS {
		return &layers.DNS{ID: id, RD: true, QDCount: 1, Questions: []layers.DNSQuestion{{Name: []byte(name), Type: typ, Class: layers.DNSClassIN}}}
	}
	add := func(toServer bool, d *layers.DNS) {
		ip := v4(layers.IPProtocolUDP)
		u := &layers.UDP{SrcPort: 41000, DstPort: 53}
		if !toServer {
			ip.SrcIP, ip.DstIP = resolver, ipA
			u.SrcPort, u.DstPort = 53, 41000
		} else {
			ip.DstIP = resolver
		}
		u.SetNetworkLayerForChecksum(ip)
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, ip, u, d)})
	}
	ans := func(d *layers.DNS, rr ...layers.DNSResourceRecord) *layers.DNS {
		d.QR, d.RA = true, true
		d.Answers = rr
		return d
	}
	a := func(name string, ip net.IP) layers.DNSResourceRecord {
		return layers.DNSResourceRecord{Name: []byte(name), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 300, IP: ip}
	}
	add(true, q(0x1234, "example.com", layers.DNSTypeA))
	add(false, ans(q(0x1234, "example.com", layers.DNSTypeA), a("example.com", net.IP{93, 184, 216, 34}), a("example.com", net.IP{93, 184, 216, 35})))
	add(true, q(0x1235, "example.com", layers.DNSTypeAAAA))
	add(false, ans(q(0x1235, "example.com", layers.DNSTypeAAAA), layers.DNSResourceRecord{Name: []byte("example.com"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN, TTL: 60, IP: ip6A}))
	add(true, q(0x1236, "www.example.org", layers.DNSTypeA))
	add(false, ans(q(0x1236, "www.example.org", layers.DNSTypeA),
		layers.DNSResourceRecord{Name: []byte("www.example.org"), Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: 60, CNAME: []byte("example.org")},
		a("example.org", net.IP{10, 9, 8, 7})))
	nx := ans(q(0x1237, "nope.invalid", layers.DNSTypeA))
	nx.ResponseCode = layers.DNSResponseCodeNXDomain
	nx.Authorities = []layers.DNSResourceRecord{{Name: []byte("invalid"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN, TTL: 900,
		SOA: layers.DNSSOA{MName: []byte("a.root-servers.net"), RName: []byte("nstld.verisign-grs.com"), Serial: 2024010100, Refresh: 1800, Retry: 900, Expire: 604800, Minimum: 86400}}}
	add(true, q(0x1237, "nope.invalid", layers.DNSTypeA))
	add(false, nx)
	add(true, q(0x1238, "2.0.0.10.in-addr.arpa", layers.DNSTypePTR))
	add(false, ans(q(0x1238, "2.0.0.10.in-addr.arpa", layers.DNSTypePTR), layers.DNSResourceRecord{Name: []byte("2.0.0.10.in-addr.arpa"), Type: layers.DNSTypePTR, Class: layers.DNSClassIN, TTL: 60, PTR: []byte("host.lab")}))
	add(true, q(0x1239, "example.com", layers.DNSTypeMX))
	add(false, ans(q(0x1239, "example.com", layers.DNSTypeMX), layers.DNSResourceRecord{Name: []byte("example.com"), Type: layers.DNSTypeMX, Class: layers.DNSClassIN, TTL: 60, MX: layers.DNSMX{Preference: 10, Name: []byte("mail.example.com")}}))
	add(true, q(0x123a, "example.com", layers.DNSTypeTXT))
	add(false, ans(q(0x123a, "example.com", layers.DNSTypeTXT), layers.DNSResourceRecord{Name: []byte("example.com"), Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 60, TXTs: [][]byte{[]byte("v=spf1 -all")}}))
	add(true, q(0x123b, "example.com", layers.DNSTypeNS))
	add(false, ans(q(0x123b, "example.com", layers.DNSTypeNS), layers.DNSResourceRecord{Name: []byte("example.com"), Type: layers.DNSTypeNS, Class: layers.DNSClassIN, TTL: 60, NS: []byte("ns1.example.com")}))
	sf := ans(q(0x123c, "broken.example", layers.DNSTypeA))
	sf.ResponseCode = layers.DNSResponseCodeServFail
	add(false, sf)
	noRD := q(0x123d, "example.com", layers.DNSTypeSOA)
	noRD.RD = false
	add(true, noRD)
	aa := ans(q(0x123e, "lab.internal", layers.DNSTypeA), a("lab.internal", net.IP{10, 1, 1, 1}))
	aa.AA = true
	aa.Additionals = []layers.DNSResourceRecord{{Type: layers.DNSTypeOPT, Class: 1232}}
	add(false, aa)
	edns := q(0x123f, "example.net", layers.DNSTypeA)
	edns.Additionals = []layers.DNSResourceRecord{{Type: layers.DNSTypeOPT, Class: 1232}}
	add(true, edns)
	add(true, q(0x1240, "_sip._udp.example.com", layers.DNSTypeSRV))
	add(false, ans(q(0x1240, "_sip._udp.example.com", layers.DNSTypeSRV), layers.DNSResourceRecord{Name: []byte("_sip._udp.example.com"), Type: layers.DNSTypeSRV, Class: layers.DNSClassIN, TTL: 60,
		SRV: layers.DNSSRV{Priority: 10, Weight: 60, Port: 5060, Name: []byte("sip.example.com")}}))
	add(false, ans(q(0x1241, "example.com", layers.DNSType(255)), a("example.com", net.IP{1, 2, 3, 4}),
		layers.DNSResourceRecord{Name: []byte("example.com"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN, TTL: 60,
			SOA: layers.DNSSOA{MName: []byte("ns.example.com"), RName: []byte("admin.example.com"), Serial: 7, Refresh: 1, Retry: 2, Expire: 3, Minimum: 4}}))
	ch := q(0x1242, "version.bind", layers.DNSTypeTXT)
	ch.Questions[0].Class = layers.DNSClass(3)
	add(true, ch)
	mdns := func(d *layers.DNS) {
		ip := v4(layers.IPProtocolUDP)
		ip.DstIP = net.IP{224, 0, 0, 251}
		u := &layers.UDP{SrcPort: 5353, DstPort: 5353}
		u.SetNetworkLayerForChecksum(ip)
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, ip, u, d)})
	}
	mq := &layers.DNS{QDCount: 2, Questions: []layers.DNSQuestion{{Name: []byte("_http._tcp.local"), Type: layers.DNSTypePTR, Class: layers.DNSClassIN},
		{Name: []byte("printer.local"), Type: layers.DNSTypeA, Class: 0x8001}}}
	mdns(mq)
	mr := &layers.DNS{QR: true, AA: true, Answers: []layers.DNSResourceRecord{{Name: []byte("printer.local"), Type: layers.DNSTypeA, Class: 0x8001, TTL: 120, IP: net.IP{10, 0, 0, 9}}}}
	mdns(mr)
	// Five bytes to port 53: too short to be DNS.
	sip := v4(layers.IPProtocolUDP)
	sip.DstIP = resolver
	su := &layers.UDP{SrcPort: 41000, DstPort: 53}
	su.SetNetworkLayerForChecksum(sip)
	short := eth(t, layers.EthernetTypeIPv4, sip, su, pay(5))
	r = append(r, rec{data: short})
	return r
}

func vlanCorpus(t testing.TB) []rec {
	var r []rec
	ip := v4(layers.IPProtocolICMPv4)
	ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 7, Seq: 1}
	r = append(r, rec{data: ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}, ip, ic, pay(8))})
	r = append(r, rec{data: ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 20, Priority: 5, Type: layers.EthernetTypeARP},
		&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1,
			SourceHwAddress: macA, SourceProtAddress: ipA, DstHwAddress: make(net.HardwareAddr, 6), DstProtAddress: ipB})})
	r = append(r, rec{data: ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeQinQ},
		&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q}, &layers.Dot1Q{VLANIdentifier: 200, DropEligible: true, Type: layers.EthernetTypeIPv4}, ip, ic, pay(8))})
	u6 := v6(layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: 1000, DstPort: 2000}
	u.SetNetworkLayerForChecksum(u6)
	r = append(r, rec{data: ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 4094, Priority: 7, Type: layers.EthernetTypeIPv6}, u6, u, pay(4))})
	r = append(r, rec{data: ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeDot1Q},
		&layers.Dot1Q{VLANIdentifier: 0, Priority: 3, Type: 0x88b5}, pay(20))})
	return r
}

func otherCorpus(t testing.TB) []rec {
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: 0x88b5}, pay(46)))
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: 0x88b6}, pay(46)))
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macBC, EthernetType: 0x0842}, pay(102)))
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}, gopacket.Payload([]byte{0x45, 0, 0})))
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}, gopacket.Payload(append([]byte{0x65}, make([]byte, 30)...))))
	add(ser(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}, gopacket.Payload(make([]byte, 20))))
	add(make([]byte, 10))
	add([]byte{2, 0, 0, 0, 0, 11, 2, 0, 0, 0, 0, 10, 0x08, 0x00})
	// IGRP: an update with one route of each kind, requests with and
	// without trailing bytes, a route
	// the counts do not cover, counts the data falls short of, and a
	// route cut by the snap length.
	route := func(net byte, dly, bw uint32, mtu uint16, hops byte) []byte {
		return []byte{10, net, 0, byte(dly >> 16), byte(dly >> 8), byte(dly), byte(bw >> 16), byte(bw >> 8), byte(bw),
			byte(mtu >> 8), byte(mtu), 255, 1, hops}
	}
	igrp := func(vop byte, n [3]byte, routes ...[]byte) []byte {
		b := []byte{vop, 7, 0x01, 0x2c, 0, n[0], 0, n[1], 0, n[2], 0xbe, 0xef}
		for _, rt := range routes {
			b = append(b, rt...)
		}
		return eth(t, layers.EthernetTypeIPv4, v4(9), gopacket.Payload(b))
	}
	add(igrp(0x11, [3]byte{1, 1, 1}, route(1, 2000, 1000, 1500, 0), route(2, 100, 0, 1500, 1), route(3, 0xffffff, 1, 576, 3)))
	add(igrp(0x12, [3]byte{}))
	add(igrp(0x12, [3]byte{}, []byte{1, 2, 3, 4}))
	add(igrp(0x11, [3]byte{0, 1, 0}, route(4, 10, 100, 1500, 2), route(5, 10, 100, 1500, 2)))
	add(igrp(0x31, [3]byte{2, 0, 0}, route(6, 10, 100, 1500, 2)))
	cut := igrp(0x11, [3]byte{1, 0, 0}, route(7, 10, 100, 1500, 2))
	r = append(r, rec{data: cut[:len(cut)-6], wire: len(cut)})
	return r
}

// appsCorpus holds what tcpdump decodes above TCP and UDP by port, and the
// tunnels a namespace lab builds (IPIP, 6in4, GRE, VXLAN), and IGMP.
func appsCorpus(t testing.TB) []rec {
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	txt := func(sp, dp uint16, s string) {
		ip := v4(layers.IPProtocolTCP)
		tc := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: 1, Ack: 1, ACK: true, PSH: true, Window: 502}
		tc.SetNetworkLayerForChecksum(ip)
		add(eth(t, layers.EthernetTypeIPv4, ip, tc, gopacket.Payload(s)))
	}
	txt(40000, 22, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
	txt(22, 40000, "\x00\x00\x01\x0c\x0a\x14 encrypted")
	txt(40000, 21, "\x01binary")
	txt(40000, 110, "USER bob\r\n")
	txt(40000, 143, "a001 LOGIN bob secret\r\n")
	txt(40000, 554, "OPTIONS rtsp://cam/ RTSP/1.0\r\n")
	txt(40000, 8080, "HTTP/1.1 404 Not Found\r\n\r\n")
	txt(40000, 80, "GET /no-line-end")
	txt(40000, 21, "USER anonymous\r\n")
	txt(25, 40000, "220 mail.example.com ESMTP\r\n")
	txt(40000, 80, "POST /api HTTP/1.0\r\nHost: x\r\n\r\n")
	txt(80, 40000, "binary \x00 body")
	txt(40000, 443, "\x16\x03\x01\x00\x05hello")
	txt(40000, 5201, "iperf")
	dnsq := ser(t, &layers.DNS{ID: 7, RD: true, QDCount: 1, Questions: []layers.DNSQuestion{{Name: []byte("tcp.example"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}})
	txt(40000, 53, string(append([]byte{0, byte(len(dnsq))}, dnsq...)))
	// tcpdump also decodes NTP, BOOTP, SNMP, syslog, TFTP, RIP, SIP, mDNS and
	// Geneve by port; we do not, so the corpus keeps to ports it does not own.
	for _, port := range []uint16{1900, 443, 9999} {
		add(udp4(t, 40000, port, pay(48)))
	}
	inner := icmp4(t, 8, 0, 0x00050001, pay(8))
	vx := append([]byte{0x08, 0, 0, 0, 0, 0, 42, 0}, inner...)
	add(udp4(t, 40000, 4789, vx))
	add(udp4(t, 40000, 8472, vx))
	add(udp4(t, 40000, 4789, pay(4)))
	ipip := v4(4)
	add(eth(t, layers.EthernetTypeIPv4, ipip, gopacket.Payload(inner[14:])))
	six := v4(41)
	e6 := ipv6Corpus(t)[0]
	add(eth(t, layers.EthernetTypeIPv4, six, gopacket.Payload(e6.data[14:])))
	gre := v4(47)
	add(eth(t, layers.EthernetTypeIPv4, gre, gopacket.Payload(append([]byte{0, 0, 0x08, 0}, inner[14:]...))))
	gk := v4(47)
	add(eth(t, layers.EthernetTypeIPv4, gk, gopacket.Payload(append([]byte{0x20, 0, 0x08, 0, 0, 0, 0, 9}, inner[14:]...))))
	add(eth(t, layers.EthernetTypeIPv4, v4(50), gopacket.Payload([]byte{0, 0, 0x10, 1, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8})))
	igmp := func(dst net.IP, body []byte) {
		ip := v4(2)
		ip.DstIP, ip.TTL = dst, 1
		ip.Options = []layers.IPv4Option{{OptionType: 148, OptionLength: 4, OptionData: []byte{0, 0}}}
		add(eth(t, layers.EthernetTypeIPv4, ip, gopacket.Payload(body)))
	}
	igmp(net.IP{239, 1, 2, 3}, []byte{0x16, 0, 0xfa, 0xf8, 239, 1, 2, 3})
	igmp(net.IP{224, 0, 0, 2}, []byte{0x17, 0, 0xfa, 0xf8, 239, 1, 2, 3})
	igmp(net.IP{224, 0, 0, 1}, []byte{0x11, 100, 0xee, 0x9b, 0, 0, 0, 0})
	igmp(net.IP{224, 0, 0, 22}, []byte{0x22, 0, 0xf9, 0xfb, 0, 0, 0, 1, 4, 0, 0, 0, 239, 1, 2, 3})
	igmp(net.IP{224, 0, 0, 1}, []byte{0x11, 100, 0xee, 0x9b, 0, 0, 0, 0, 2, 125, 0, 0})
	// -A's carriage returns: before a newline, mid-line, doubled, and as
	// one of the last two bytes; tabs and bytes above 0x7e.
	txt(40000, 5201, "a\rb\r\r\nc\td\x7f\xe9 e\r\n\r\rx\r")
	txt(40000, 5201, "end\rz")
	txt(40000, 5201, "\r")
	return r
}

// udpAppsCorpus holds the UDP services printed by their one-line summary:
// NTP, syslog, TFTP.
func udpAppsCorpus(t testing.TB) []rec {
	var r []rec
	add := func(src, dst net.IP, sp, dp uint16, payload []byte) {
		r = append(r, rec{data: udp4Between(t, src, dst, sp, dp, payload)})
	}
	ntp := func(status byte) []byte { return append([]byte{status}, make([]byte, 47)...) }
	add(ipA, ipB, 40000, 123, ntp(0x23))
	add(ipB, ipA, 123, 40000, ntp(0x24))
	add(ipA, ipB, 123, 123, ntp(0x1b))
	add(ipA, ipB, 123, 123, ntp(0x16))
	add(ipA, ipB, 5000, 514, []byte("<13>Nov 29 05:00:00 host app: hello"))
	add(ipA, ipB, 5000, 514, []byte("<191>x"))
	add(ipA, ipB, 5000, 514, []byte("no priority"))
	add(ipA, ipB, 40000, 69, []byte("\x00\x01file.txt\x00octet\x00"))
	add(ipA, ipB, 40000, 69, []byte("\x00\x02up.bin\x00netascii\x00blksize\x001428\x00"))
	add(ipB, ipA, 69, 40000, []byte("\x00\x03\x00\x01data"))
	add(ipA, ipB, 40000, 69, []byte("\x00\x04\x00\x01"))
	add(ipB, ipA, 69, 40000, []byte("\x00\x05\x00\x01File not found\x00"))
	add(ipB, ipA, 69, 40000, []byte("\x00\x06blksize\x001428\x00"))
	add(ipA, ipB, 40000, 69, []byte("\x00\x09"))
	return r
}

// dhcpCorpus is a DHCP exchange with the options clients and dnsmasq send,
// and a relayed request with the fields tcpdump prints only when set.
func dhcpCorpus(t testing.TB) []rec {
	var r []rec
	add := func(src, dst net.IP, sp, dp uint16, payload []byte) {
		r = append(r, rec{data: udp4Between(t, src, dst, sp, dp, payload)})
	}
	srv := net.IP{10, 0, 0, 1}
	dhcp := func(op byte, secs, flags uint16, ci, yi, si, gi net.IP, opts ...byte) []byte {
		b := make([]byte, 240)
		b[0], b[1], b[2] = op, 1, 6
		binary.BigEndian.PutUint32(b[4:], 0x3903f326)
		binary.BigEndian.PutUint16(b[8:], secs)
		binary.BigEndian.PutUint16(b[10:], flags)
		for i, a := range []net.IP{ci, yi, si, gi} {
			if a != nil {
				copy(b[12+4*i:], a.To4())
			}
		}
		copy(b[28:], macA)
		copy(b[236:], []byte{99, 130, 83, 99})
		return append(b, opts...)
	}
	bcast := net.IP{255, 255, 255, 255}
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	add(net.IPv4zero, bcast, 68, 67, dhcp(1, 3, 0x8000, nil, nil, nil, nil, cat(
		[]byte{53, 1, 1, 61, 7, 1}, macA, []byte{50, 4, 10, 0, 0, 5, 12, 4}, []byte("host"),
		[]byte{55, 7, 1, 3, 6, 15, 28, 42, 249, 57, 2, 5, 220, 60, 8}, []byte("udhcp1.3"), []byte{255})...))
	add(srv, ipA, 67, 68, dhcp(2, 0, 0, nil, ipA, srv, nil, cat(
		[]byte{53, 1, 2, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 14, 16, 58, 4, 0, 0, 7, 8, 59, 4, 0, 0, 12, 78},
		[]byte{1, 4, 255, 255, 255, 0, 28, 4, 10, 0, 0, 255, 3, 4, 10, 0, 0, 1, 6, 8, 10, 0, 0, 1, 8, 8, 8, 8, 15, 3},
		[]byte("lab"), []byte{255, 0, 0})...))
	add(net.IPv4zero, bcast, 68, 67, dhcp(1, 0, 0, nil, nil, nil, nil, 53, 1, 3, 50, 4, 10, 0, 0, 5, 54, 4, 10, 0, 0, 1, 0, 0, 255))
	add(srv, ipA, 67, 68, dhcp(2, 0, 0, nil, ipA, nil, nil, 53, 1, 5, 54, 4, 10, 0, 0, 1, 51, 4, 255, 255, 255, 255, 1, 4, 255, 255, 255, 0, 255))
	add(srv, ipA, 67, 68, dhcp(2, 0, 0, nil, nil, nil, nil, cat([]byte{53, 1, 6, 54, 4, 10, 0, 0, 1, 56, 9}, []byte("bad lease"), []byte{255})...))
	relayed := dhcp(1, 0, 0, ipA, nil, nil, net.IP{10, 9, 9, 1}, cat(
		[]byte{53, 1, 8, 61, 5, 0}, []byte("abcd"), []byte{200, 3, 1, 2, 3, 201, 4, 0, 1, 0, 2, 31, 2, 1, 0, 43, 2, 7, 7},
		[]byte{121, 13, 0, 10, 0, 0, 1, 24, 192, 168, 7, 10, 0, 0, 2, 46, 1, 8, 81, 7, 0x01, 0, 0, 'h', '.', 'l', 'a', 255})...)
	relayed[3] = 1
	copy(relayed[44:], "tftp.lab")
	copy(relayed[108:], "pxelinux.0")
	add(net.IP{10, 9, 9, 1}, srv, 67, 67, relayed)
	return r
}

package printer

// The corpus under testdata/printer is crafted here, packet by packet, so
// every tcpdump code path we claim to cover has a packet in it. Regenerate
// with NSDIAG_GEN_CORPUS=1 go test -run TestGenerateCorpus ./capture/printer/
// (it also rewrites the golden files when tcpdump is installed).

import (
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

type rec struct {
	data []byte
	wire int // 0: len(data)
}

var (
	macA  = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}
	macB  = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}
	macBC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	ipA   = net.IP{10, 0, 0, 1}
	ipB   = net.IP{10, 0, 0, 2}
	ipR   = net.IP{10, 0, 1, 254}
	ip6A  = net.ParseIP("2001:db8::1")
	ip6B  = net.ParseIP("2001:db8::2")
	ll6A  = net.ParseIP("fe80::a")
	ll6B  = net.ParseIP("fe80::b")
)

func ser(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatalf("serialize: %v\n%s", err, debug.Stack())
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(t testing.TB, typ layers.EthernetType, ls ...gopacket.SerializableLayer) []byte {
	e := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: typ}
	return ser(t, append([]gopacket.SerializableLayer{e}, ls...)...)
}

func v4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: 4660, Flags: layers.IPv4DontFragment, Protocol: proto, SrcIP: ipA, DstIP: ipB}
}

func v6(next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next, SrcIP: ip6A, DstIP: ip6B}
}

func pay(n int) gopacket.Payload {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0x20 + i%95)
	}
	return gopacket.Payload(b)
}

// quoted returns an IPv4 packet (header + 8 bytes) as an ICMP error quotes it.
func quoted(t testing.TB, proto layers.IPProtocol, dport uint16) []byte {
	ip := v4(proto)
	ip.SrcIP, ip.DstIP = ipA, ipB
	var l4 gopacket.SerializableLayer
	switch proto {
	case layers.IPProtocolUDP:
		u := &layers.UDP{SrcPort: 40000, DstPort: layers.UDPPort(dport)}
		u.SetNetworkLayerForChecksum(ip)
		l4 = u
	case layers.IPProtocolTCP:
		tc := &layers.TCP{SrcPort: 40000, DstPort: layers.TCPPort(dport), Seq: 1000, SYN: true, Window: 1024}
		tc.SetNetworkLayerForChecksum(ip)
		l4 = tc
	default:
		l4 = pay(8)
	}
	b := ser(t, ip, l4, pay(32))
	return b[:28]
}

func icmp4(t testing.TB, typ, code uint8, rest uint32, body []byte) []byte {
	ip := v4(layers.IPProtocolICMPv4)
	ip.SrcIP = ipR
	ip.Flags = 0
	ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, code)}
	ic.Id = uint16(rest >> 16)
	ic.Seq = uint16(rest)
	return eth(t, layers.EthernetTypeIPv4, ip, ic, gopacket.Payload(body))
}

func tcp4(t testing.TB, src, dst net.IP, sp, dp uint16, seq, ack uint32, flags string, win uint16, opts []layers.TCPOption, n int) []byte {
	ip := v4(layers.IPProtocolTCP)
	ip.SrcIP, ip.DstIP = src, dst
	tc := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: seq, Ack: ack, Window: win, Options: opts}
	for _, f := range flags {
		switch f {
		case 'S':
			tc.SYN = true
		case 'A':
			tc.ACK = true
		case 'F':
			tc.FIN = true
		case 'R':
			tc.RST = true
		case 'P':
			tc.PSH = true
		case 'U':
			tc.URG = true
			tc.Urgent = 7
		case 'E':
			tc.ECE = true
		case 'W':
			tc.CWR = true
		}
	}
	tc.SetNetworkLayerForChecksum(ip)
	return eth(t, layers.EthernetTypeIPv4, ip, tc, pay(n))
}

func udp4(t testing.TB, sp, dp uint16, payload []byte) []byte {
	return udp4Between(t, ipA, ipB, sp, dp, payload)
}

func udp4Between(t testing.TB, src, dst net.IP, sp, dp uint16, payload []byte) []byte {
	ip := v4(layers.IPProtocolUDP)
	ip.SrcIP, ip.DstIP = src, dst
	u := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
	u.SetNetworkLayerForChecksum(ip)
	return eth(t, layers.EthernetTypeIPv4, ip, u, gopacket.Payload(payload))
}

var synOpts = []layers.TCPOption{
	{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}},
	{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
	{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: []byte{0, 0, 0x10, 0, 0, 0, 0, 0}},
	{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
	{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
}

func tsOpt(val, ecr uint32) []layers.TCPOption {
	d := make([]byte, 8)
	binary.BigEndian.PutUint32(d, val)
	binary.BigEndian.PutUint32(d[4:], ecr)
	return []layers.TCPOption{{OptionType: layers.TCPOptionKindNop, OptionLength: 1}, {OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: d}}
}

// linkVariant re-frames the IPv4/IPv6/ARP packets of an Ethernet corpus.
func sllFrame(t testing.TB, v2 bool, src []rec) []rec {
	var r []rec
	types := []uint16{0, 4, 1, 2, 3, 4, 0}
	for i, p := range src {
		et := binary.BigEndian.Uint16(p.data[12:14])
		body := p.data[14:]
		if et <= 1500 {
			et = 4 // an 802.3 length: LINUX_SLL_P_802_2, an LLC frame
			body = body[:min(len(body), int(binary.BigEndian.Uint16(p.data[12:14])))]
		}
		pt := types[i%len(types)]
		var h []byte
		if v2 {
			h = make([]byte, 20)
			binary.BigEndian.PutUint16(h[0:], et)
			idx := uint32(1)
			if i%3 == 2 {
				idx = 9999
			}
			binary.BigEndian.PutUint32(h[4:], idx)
			binary.BigEndian.PutUint16(h[8:], 1)
			h[10] = byte(pt)
			h[11] = 6
			copy(h[12:], macA)
		} else {
			h = make([]byte, 16)
			binary.BigEndian.PutUint16(h[0:], pt)
			binary.BigEndian.PutUint16(h[2:], 1)
			binary.BigEndian.PutUint16(h[4:], 6)
			copy(h[6:], macA)
			binary.BigEndian.PutUint16(h[14:], et)
		}
		r = append(r, rec{data: append(h, body...)})
	}
	return r
}

func rawFrame(src []rec) []rec {
	var r []rec
	for _, p := range src {
		et := binary.BigEndian.Uint16(p.data[12:14])
		if et == 0x0800 || et == 0x86dd {
			r = append(r, rec{data: p.data[14:]})
		}
	}
	return r
}

func sllCorpus(t testing.TB, v2 bool) []rec {
	src := append(ipv4Corpus(t)[:6], ipv6Corpus(t)[:6]...)
	src = append(src, arpCorpus(t)[:3]...)
	src = append(src, dnsCorpus(t)[:2]...)
	src = append(src, otherCorpus(t)[:2]...)
	// Tags the kernel left in the payload, as -i any shows a VLAN's parent.
	src = append(src, vlanCorpus(t)...)
	src = append(src, stpCorpus(t)...)
	return sllFrame(t, v2, src)
}

type corpusFile struct {
	name  string
	link  layers.LinkType
	build func(testing.TB) []rec
}

var corpus = []corpusFile{
	{"ipv4", layers.LinkTypeEthernet, ipv4Corpus},
	{"ipv6", layers.LinkTypeEthernet, ipv6Corpus},
	{"arp", layers.LinkTypeEthernet, arpCorpus},
	{"dns", layers.LinkTypeEthernet, dnsCorpus},
	{"vlan", layers.LinkTypeEthernet, vlanCorpus},
	{"other", layers.LinkTypeEthernet, otherCorpus},
	{"apps", layers.LinkTypeEthernet, appsCorpus},
	{"udpapps", layers.LinkTypeEthernet, udpAppsCorpus},
	{"dhcp", layers.LinkTypeEthernet, dhcpCorpus},
	{"trunc", layers.LinkTypeEthernet, truncCorpus},
	{"sctp", layers.LinkTypeEthernet, sctpCorpus},
	{"ah", layers.LinkTypeEthernet, ahCorpus},
	{"mpls", layers.LinkTypeEthernet, mplsCorpus},
	{"vrrp", layers.LinkTypeEthernet, vrrpCorpus},
	{"stp", layers.LinkTypeEthernet, stpCorpus},
	{"pim", layers.LinkTypeEthernet, pimCorpus},
	{"ntp", layers.LinkTypeEthernet, ntpCorpus},
	{"tcpseq", layers.LinkTypeEthernet, tcpSeqCorpus},
	{"lldp", layers.LinkTypeEthernet, lldpCorpus},
	{"dccp", layers.LinkTypeEthernet, dccpCorpus},
	{"nano", layers.LinkTypeEthernet, func(t testing.TB) []rec { return append(ipv4Corpus(t)[:6], ipv6Corpus(t)[:4]...) }},
	{"sll", layers.LinkTypeLinuxSLL, func(t testing.TB) []rec { return sllCorpus(t, false) }},
	{"sll2", layers.LinkTypeLinuxSLL2, func(t testing.TB) []rec { return sllCorpus(t, true) }},
	{"raw", layers.LinkTypeRaw, func(t testing.TB) []rec { return rawFrame(append(ipv4Corpus(t), ipv6Corpus(t)...)) }},
	{"ipv4link", layers.LinkTypeIPv4, func(t testing.TB) []rec { return rawFrame(ipv4Corpus(t)[:8]) }},
	{"ipv6link", layers.LinkTypeIPv6, func(t testing.TB) []rec { return rawFrame(ipv6Corpus(t)[:8]) }},
}

// corpusTime is the first packet's timestamp; later ones step by an uneven
// amount so every timestamp format has digits to get wrong.
var corpusTime = time.Date(2024, 3, 9, 23, 59, 58, 987654000, time.UTC)

// nanoFiles are written with nanosecond timestamps (magic 0xa1b23c4d),
// which have digits below the microsecond.
var nanoFiles = map[string]bool{"nano": true}

func writePcap(t testing.TB, path string, link layers.LinkType, recs []rec) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	ts, step := corpusTime, 1234567*time.Microsecond/1000
	if nanoFiles[strings.TrimSuffix(filepath.Base(path), ".pcap")] {
		w = pcapgo.NewWriterNanos(f)
		ts = ts.Add(321)
	}
	if err := w.WriteFileHeader(262144, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range recs {
		wire := p.wire
		if wire == 0 {
			wire = len(p.data)
		}
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(p.data), Length: wire}, p.data); err != nil {
			t.Fatal(err)
		}
		ts = ts.Add(step)
	}
}

func TestGenerateCorpus(t *testing.T) {
	if os.Getenv("NSDIAG_GEN_CORPUS") == "" {
		t.Skip("set NSDIAG_GEN_CORPUS=1 to rewrite testdata/printer")
	}
	for _, c := range corpus {
		writePcap(t, filepath.Join(corpusDir, c.name+".pcap"), c.link, c.build(t))
	}
	writeGoldens(t)
}

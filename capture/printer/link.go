package printer

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// linkDecoder decodes link-layer headers into reused layer structs with
// gopacket's DecodingLayerParser (no allocation per packet).
type linkDecoder struct {
	eth           layers.Ethernet
	sll           layers.LinuxSLL
	sll2          layers.LinuxSLL2
	ether, cooked *gopacket.DecodingLayerParser
	cooked2       *gopacket.DecodingLayerParser
	decoded       []gopacket.LayerType
	sll2hdr       [20]byte
	sllhdr        [16]byte
}

func (d *linkDecoder) init() {
	mk := func(first gopacket.LayerType) *gopacket.DecodingLayerParser {
		lp := gopacket.NewDecodingLayerParser(first, &d.eth, &d.sll, &d.sll2)
		// Stop quietly at the network layer: the printer reads it itself.
		lp.IgnoreUnsupported = true
		return lp
	}
	d.ether = mk(layers.LayerTypeEthernet)
	d.cooked = mk(layers.LayerTypeLinuxSLL)
	d.cooked2 = mk(layers.LayerTypeLinuxSLL2)
	d.decoded = make([]gopacket.LayerType, 0, 4)
}

// decode runs lp over data and reports whether its first layer decoded.
func (d *linkDecoder) decode(lp *gopacket.DecodingLayerParser, data []byte) bool {
	_ = lp.DecodeLayers(data, &d.decoded)
	return len(d.decoded) > 0
}

// linkLayer prints the link header (as -e asks) and what it carries, and
// returns the link header's length for -x.
func (p *Printer) linkLayer(pkt *Packet, length int) int {
	data := pkt.Data
	switch pkt.LinkType {
	case layers.LinkTypeEthernet:
		return p.ether(data, length)
	case layers.LinkTypeLinuxSLL:
		return p.sll(data, length)
	case layers.LinkTypeLinuxSLL2:
		return p.sll2(data, length, pkt.Interface)
	case layers.LinkTypeRaw, 12, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		// tcpdump dispatches all raw-IP link types on the version nibble.
		if p.opts.LinkHeader {
			p.s("ip: ")
		}
		if len(data) == 0 {
			p.trunc("ip")
			return 0
		}
		switch data[0] >> 4 {
		case 4:
			p.ipv4(data, length)
		case 6:
			p.ipv6(data, length)
		default:
			p.s("unknown ip ")
			p.u(uint64(data[0] >> 4))
		}
		return 0
	}
	p.s("unsupported link type ")
	p.i(int(pkt.LinkType))
	return 0
}

func (p *Printer) ether(data []byte, length int) int {
	d := &p.link
	if length < len(data) {
		// Only for a frame inside another packet: tcpdump checks records.
		p.s("[length ")
		p.i(length)
		p.s(" < caplen ")
		p.i(len(data))
		p.s("] (invalid)")
		return len(data)
	}
	// Check lengths before decoding: the layers' errors allocate.
	if len(data) < 14 || !d.decode(d.ether, data) {
		p.trunc("ether")
		return len(data)
	}
	src, dst := d.eth.SrcMAC, d.eth.DstMAC
	if p.opts.LinkHeader {
		p.mac(src)
		p.s(" > ")
		p.mac(dst)
		p.s(", ")
	}
	hdr := 14
	typ := be16(data[12:14])
	body := data[14:]
	caplen, wire := len(body), length-14
	if p.opts.LinkHeader && typ > 1500 {
		p.ethertype(typ)
		p.s(", length ")
		p.u(uint64(length))
		p.s(": ")
	}
	for typ == 0x8100 || typ == 0x88a8 || typ == 0x9100 || typ == 0x9200 {
		if caplen < 4 || wire < 4 {
			p.trunc("vlan")
			return hdr + min(caplen, max(wire, 0))
		}
		typ = be16(body[2:])
		if p.opts.LinkHeader {
			p.vlanTag(be16(body))
			p.ethertype(typ)
			p.s(", ")
		}
		body, caplen, wire, hdr = body[4:], caplen-4, wire-4, hdr+4
	}
	if typ <= 1500 && min(caplen, int(typ)) < 3 {
		p.trunc("llc")
		return hdr
	}
	if typ <= 1500 {
		// An 802.3 length field and an LLC header: tcpdump decodes LLC/SNAP,
		// we decode spanning tree and print the rest as tcpdump prints an
		// unknown payload.
		if llc := body[:min(len(body), int(typ))]; llcKnown(llc) {
			if p.opts.LinkHeader {
				p.s("802.3, length ")
				p.u(uint64(typ))
				p.s(": ")
			}
			p.llc(llc, int(typ))
			return hdr + 3
		}
		if !p.opts.LinkHeader {
			p.mac(src)
			p.s(" > ")
			p.mac(dst)
			p.s(", ")
		}
		p.s("802.3, length ")
		p.u(uint64(typ))
		p.s(": ")
		p.defaultPrint(body)
		return hdr
	}
	if !p.ethertypeBody(typ, body, wire) {
		if !p.opts.LinkHeader {
			p.mac(src)
			p.s(" > ")
			p.mac(dst)
			p.s(", ")
			p.ethertype(typ)
			p.s(", length ")
			p.u(uint64(length))
			p.s(": ")
		}
		p.defaultPrint(body)
	}
	return hdr
}

// vlanTag prints an 802.1Q tag control field as tcpdump's
// ieee8021q_tci_string, and the separator after it.
func (p *Printer) vlanTag(tci uint16) {
	p.s("vlan ")
	p.u(uint64(tci & 0xfff))
	p.s(", p ")
	p.u(uint64(tci >> 13))
	if tci&0x1000 != 0 {
		p.s(", DEI")
	}
	p.s(", ")
}

// ethertypeBody prints what an ethertype carries; false when tcpdump would
// not know the type either.
func (p *Printer) ethertypeBody(typ uint16, b []byte, length int) bool {
	switch typ {
	case 0x0800:
		p.ipv4(b, length)
	case 0x86dd:
		p.ipv6(b, length)
	case 0x0806, 0x8035:
		p.arp(b, length)
	case 0x8847, 0x8848:
		p.mpls(b, length)
	case 0x88cc:
		p.lldp(b, length)
	default:
		return false
	}
	return true
}

// ethertypeNames is tcpdump's ethertype_values table.
var ethertypeNames = map[uint32]string{
	0x0800: "IPv4", 0x8847: "MPLS unicast", 0x8848: "MPLS multicast", 0x86dd: "IPv6",
	0x8100: "802.1Q", 0x9100: "802.1Q-9100", 0x88a8: "802.1Q-QinQ", 0x9200: "802.1Q-9200",
	0x88e5: "802.1AE MACsec", 0x0200: "PUP", 0x0806: "ARP", 0x8035: "Reverse ARP", 0x0600: "NS",
	0x0500: "Sprite", 0x1000: "Trail", 0x6001: "MOP DL", 0x6002: "MOP RC", 0x6003: "DN",
	0x6004: "LAT", 0x6007: "SCA", 0x6558: "TEB", 0x8038: "Lanbridge", 0x803c: "DEC DNS",
	0x803e: "DEC DTS", 0x805b: "VEXP", 0x805c: "VPROD", 0x809b: "Appletalk", 0x80f3: "Appletalk ARP",
	0x8137: "IPX", 0x880b: "PPP", 0x8808: "MPCP", 0x8809: "Slow Protocols", 0x8863: "PPPoE D",
	0x8864: "PPPoE S", 0x888e: "EAPOL", 0x8899: "Realtek protocols", 0x886f: "MS NLB heartbeat",
	0x8870: "Jumbo", 0x894f: "NSH", 0x9000: "Loopback", 0xfefe: "OSI", 0x00fe: "GRE-OSI",
	0xabcd: "CFM (old)", 0x8902: "CFM", 0x893a: "IEEE1905.1", 0x88cc: "LLDP", 0x88ca: "TIPC",
	0x0707: "GeoNet (old)", 0x8947: "GeoNet", 0x1111: "CALM FAST", 0x88a2: "AoE", 0x88f7: "PTP",
	0xd28b: "Arista Vendor Specific Protocol",
}

func (p *Printer) ethertype(typ uint16) {
	name, ok := tok(ethertypeNames, uint32(typ))
	if !ok {
		name = "Unknown"
	}
	if p.opts.Quiet {
		if ok {
			p.s(name)
		} else {
			p.s("Unknown Ethertype (0x")
			p.x(uint64(typ), 4)
			p.c(')')
		}
		return
	}
	p.s("ethertype ")
	p.s(name)
	p.s(" (0x")
	p.x(uint64(typ), 4)
	p.c(')')
}

var sllTypes = [...]string{0: "In", 1: "B", 2: "M", 3: "P", 4: "Out"}

func sllType(t uint16) string {
	if int(t) < len(sllTypes) {
		return sllTypes[t]
	}
	return "?"
}

// padded appends s left-aligned in a field of width columns, as "%-5s".
func (p *Printer) padded(s string, width int) {
	p.s(s)
	for i := len(s); i < width; i++ {
		p.c(' ')
	}
}

func (p *Printer) sll(data []byte, length int) int {
	d := &p.link
	if len(data) < 16 {
		p.trunc("sll")
		return len(data)
	}
	// As for SLL2: a copy whose address length fits the 8-byte field.
	hdr := d.sllhdr[:]
	copy(hdr, data[:16])
	badAddr := be16(hdr[4:6]) > 8
	if badAddr {
		hdr[4], hdr[5] = 0, 8
	}
	if !d.decode(d.cooked, hdr) {
		p.trunc("sll")
		return len(data)
	}
	h := &d.sll
	addr := h.Addr
	if badAddr {
		addr = nil
	}
	return p.cooked(data, 16, length, uint16(h.EthernetType), addr, func() {
		name := sllType(uint16(h.PacketType))
		for i := len(name); i < 3; i++ {
			p.c(' ')
		}
		p.s(name)
		p.c(' ')
	})
}

func (p *Printer) sll2(data []byte, length int, ifname string) int {
	d := &p.link
	if len(data) < 20 {
		p.trunc("sll2")
		return len(data)
	}
	// Decode a copy of the header whose address length is clamped to the
	// 8-byte field, so a bogus length prints instead of failing.
	hdr := d.sll2hdr[:]
	copy(hdr, data[:20])
	badAddr := hdr[11] > 8
	hdr[11] = min(hdr[11], 8)
	if !d.decode(d.cooked2, hdr) {
		p.trunc("sll2")
		return len(data)
	}
	h := &d.sll2
	if ifname == "" {
		ifname = p.interfaceName(int(h.InterfaceIndex))
	}
	p.padded(ifname, 5)
	p.c(' ')
	p.padded(sllType(uint16(h.PacketType)), 3)
	p.c(' ')
	addr := h.Addr
	if badAddr {
		addr = nil
	}
	return p.cooked(data, 20, length, be16(data[0:2]), addr, func() {
		p.s("ifindex ")
		p.u(uint64(h.InterfaceIndex))
		p.c(' ')
	})
}

// cooked prints what SLL and SLL2 share after their own fields: with -e,
// or when the payload is not decoded, a header that lead begins and that
// goes on with the link-layer address and the protocol; then the payload
// after the hlen-byte header.
func (p *Printer) cooked(data []byte, hlen, length int, typ uint16, addr []byte, lead func()) int {
	proto := typ
	header := func() {
		lead()
		if len(addr) == 6 { // tcpdump assumes 6 means Ethernet
			p.mac(addr)
			p.c(' ')
		}
		if p.opts.Quiet {
			return
		}
		switch proto {
		case 1:
			p.s("802.3")
		case 4:
			p.s("802.2")
		default:
			p.ethertype(proto)
		}
		p.s(", length ")
		p.u(uint64(length)) // less the VLAN tags, as tcpdump
		p.s(": ")
	}
	body, wire := data[hlen:], length-hlen
	if typ == 4 && llcKnown(body) {
		if p.opts.LinkHeader {
			header()
		}
		p.llc(body, wire)
		return hlen + 3
	}
	if typ <= 1500 {
		// Novell 802.3, other 802.2 LLC, CAN...: tcpdump's decoders, not ours.
		return hlen
	}
	if p.opts.LinkHeader {
		header()
	}
	// A VLAN tag the kernel left in the payload: tcpdump names the tag
	// (with -e) and the type inside, then goes on with that type.
	for typ == 0x8100 {
		if len(body) < 4 || wire < 4 {
			p.trunc("vlan")
			return hlen + min(len(body), max(wire, 0))
		}
		if p.opts.LinkHeader {
			p.vlanTag(be16(body))
		}
		if typ = be16(body[2:]); typ <= 1500 {
			typ = 4 // LINUX_SLL_P_802_2: an LLC frame
		}
		if !p.opts.Quiet {
			p.s("ethertype ")
			if name, ok := tok(ethertypeNames, uint32(typ)); ok {
				p.s(name)
			} else {
				p.s("Unknown")
			}
			p.s(", ")
		}
		body, wire, hlen, length = body[4:], wire-4, hlen+4, length-4
	}
	if typ <= 1500 {
		return hlen
	}
	if !p.ethertypeBody(typ, body, wire) {
		if !p.opts.LinkHeader {
			header()
		}
		p.defaultPrint(body)
	}
	return hlen
}

func (p *Printer) interfaceName(index int) string {
	if name, ok := p.ifnames[index]; ok {
		return name
	}
	name := "?"
	if n, ok := p.opts.InterfaceName(index); ok {
		name = n
	}
	p.ifnames[index] = name
	return name
}

// defaultPrint dumps a payload tcpdump cannot decode, unless -q or a -x
// dump of the whole packet follows anyway.
func (p *Printer) defaultPrint(b []byte) {
	if p.opts.Quiet || p.dumpsHex() {
		return
	}
	p.hexdumpInline(b, true)
}

package printer

// LLDP (IEEE 802.1AB, ethertype 0x88cc) as tcpdump 4.99's lldp_print: the
// length and system name on one line; with -v every TLV, the basic ones
// and IEEE 802.1/802.3 ones decoded, the others in hex; with -vv every TLV
// in hex too.

var lldpTLVs = map[uint32]string{0: "End", 1: "Chassis ID", 2: "Port ID", 3: "Time to Live",
	4: "Port Description", 5: "System Name", 6: "System Description", 7: "System Capabilities",
	8: "Management Address", 127: "Organization specific"}

var lldpChassisSubtypes = map[uint32]string{1: "Chassis component", 2: "Interface alias", 3: "Port component",
	4: "MAC address", 5: "Network address", 6: "Interface name", 7: "Local"}

var lldpPortSubtypes = map[uint32]string{1: "Interface alias", 2: "Port component", 3: "MAC address",
	4: "Network Address", 5: "Interface Name", 6: "Agent circuit ID", 7: "Local"}

var lldpCaps = []bitName{{0x01, "Other"}, {0x02, "Repeater"}, {0x04, "Bridge"}, {0x08, "WLAN AP"},
	{0x10, "Router"}, {0x20, "Telephone"}, {0x40, "Docsis"}, {0x80, "Station Only"}}

// lldpOUIs names organizations as tcpdump's oui_values does (the IEEE
// 802.1 OUI is RFC 2684's too, whose name comes first); lldp_org.go
// decodes two of them.
var lldpOUIs = map[uint32]string{0x000000: "Ethernet", 0x00000c: "Cisco", 0x00005e: "IANA",
	0x0080c2: "Ethernet bridged", 0x00120f: "IEEE 802.3 Private", 0x0012bb: "ANSI/TIA", 0x001b21: "DCBX"}

var lldpIntfNumbering = map[uint32]string{1: "Unknown", 2: "Interface Index", 3: "System Port Number"}

// lldp prints the LLDPDU in b (length bytes on the wire).
func (p *Printer) lldp(b []byte, length int) {
	p.s("LLDP, length ")
	p.i(length)
	b = b[:min(len(b), length)]
	left := length
	for left >= 2 {
		if len(b) < 2 {
			p.trunc("lldp")
			return
		}
		typ, n := uint32(b[0]>>1), int(be16(b)&0x1ff)
		b, left = b[2:], left-2
		if p.opts.Verbose > 0 {
			p.s("\n\t")
			name, ok := tok(lldpTLVs, typ)
			if !ok {
				name = "Unknown"
			}
			p.s(name)
			p.s(" TLV (")
			p.u(uint64(typ))
			p.s("), length ")
			p.i(n)
		}
		if typ == 0 || n == 0 {
			return
		}
		if len(b) < n || left < n {
			p.trunc("lldp")
			return
		}
		v := b[:n]
		hexdump, ok := p.lldpTLV(typ, v)
		if !ok {
			p.trunc("lldp")
			return
		}
		if p.opts.Verbose > 1 || p.opts.Verbose > 0 && hexdump {
			p.hexdumpAfter("\n\t  ", v, false)
		}
		b, left = b[n:], left-n
	}
}

// lldpTLV prints one TLV's value; hexdump asks for its bytes under -v,
// !ok means it was too short and the packet ends in a truncation mark.
func (p *Printer) lldpTLV(typ uint32, v []byte) (hexdump, ok bool) {
	verbose := p.opts.Verbose > 0
	switch {
	case typ == 5:
		// The system name is printed without -v too, as CDP's.
		p.s(": ")
		p.printjnp(v)
	case !verbose:
	case typ == 1 || typ == 2:
		if len(v) < 2 {
			return false, false
		}
		names, mac, addr := lldpChassisSubtypes, byte(4), byte(5)
		if typ == 2 {
			names, mac, addr = lldpPortSubtypes, 3, 4
		}
		name, known := tok(names, uint32(v[0]))
		if !known {
			name = "Unknown"
		}
		p.s("\n\t  Subtype ")
		p.s(name)
		p.s(" (")
		p.u(uint64(v[0]))
		p.s("): ")
		switch {
		case v[0] == mac:
			if len(v) < 7 {
				return false, false
			}
			p.mac(v[1:7])
		case v[0] == addr:
			return false, p.lldpNetAddr(v[1:])
		case known:
			p.printjnp(v[1:])
		default:
			return true, true
		}
	case typ == 3:
		if len(v) < 2 {
			return false, false
		}
		p.s(": TTL ")
		p.u(uint64(be16(v)))
		p.c('s')
	case typ == 4:
		p.s(": ")
		p.printjnp(v)
	case typ == 6:
		p.s("\n\t  ")
		p.printjnp(v)
	case typ == 7:
		if len(v) < 4 {
			return false, false
		}
		for i, label := range []string{"\n\t  System  Capabilities [", "\n\t  Enabled Capabilities ["} {
			c := uint32(be16(v[2*i:]))
			p.s(label)
			p.bits(c, lldpCaps)
			p.s("] (0x")
			p.x(uint64(c), 4)
			p.c(')')
		}
	case typ == 8:
		return false, p.lldpMgmtAddr(v)
	case typ == 127:
		if len(v) < 3 {
			return false, false
		}
		oui := uint32(v[0])<<16 | uint32(be16(v[1:]))
		name, _ := tok(lldpOUIs, oui)
		if name == "" {
			name = "Unknown"
		}
		p.s(": OUI ")
		p.s(name)
		p.s(" (0x")
		p.x(uint64(oui), 6)
		p.c(')')
		return p.lldpOrg(oui, v), true
	default:
		return true, true
	}
	return false, true
}

// lldpNetAddr prints an address family number and address; false when
// too short for the family.
func (p *Printer) lldpNetAddr(v []byte) bool {
	if len(v) < 1 {
		return false
	}
	af, a := v[0], v[1:]
	p.s("AFI ")
	switch af {
	case 1:
		if len(a) < 4 {
			return false
		}
		p.s("IPv4 (1): ")
		p.ip4(a)
	case 2:
		if len(a) < 16 {
			return false
		}
		p.s("IPv6 (2): ")
		p.ip6(a)
	case 6:
		if len(a) < 6 {
			return false
		}
		p.s("802 (6): ")
		p.mac(a)
	default:
		p.s("Unknown (")
		p.u(uint64(af))
		p.s("), no AF printer !")
	}
	return true
}

// lldpMgmtAddr prints a Management Address TLV; false when it is short.
func (p *Printer) lldpMgmtAddr(v []byte) bool {
	if len(v) < 1 {
		return false
	}
	n := int(v[0])
	v = v[1:]
	if len(v) < n || n < 1 {
		return false
	}
	start := len(p.b)
	p.s("\n\t  Management Address length ")
	p.i(n)
	p.s(", ")
	if !p.lldpNetAddr(v[:n]) {
		p.b = p.b[:start] // tcpdump prints nothing of an address it cannot read
		return false
	}
	v = v[n:]
	if len(v) < 5 {
		return false
	}
	name, ok := tok(lldpIntfNumbering, uint32(v[0]))
	if !ok {
		name = "Unknown"
	}
	p.s("\n\t  ")
	p.s(name)
	p.s(" Interface Numbering (")
	p.u(uint64(v[0]))
	p.s("): ")
	p.u(uint64(be32(v[1:])))
	v = v[5:]
	if len(v) > 0 {
		oid := int(v[0])
		if len(v) < 1+oid {
			return false
		}
		if oid > 0 {
			p.s("\n\t  OID length ")
			p.i(oid)
			p.printjnp(v[1 : 1+oid])
		}
	}
	return true
}

// printjnp appends b as tcpdump's nd_printjnp: up to a NUL, each byte as
// fn_print_char shows it.
func (p *Printer) printjnp(b []byte) {
	for _, c := range b {
		if c == 0 {
			return
		}
		p.printable(c)
	}
}

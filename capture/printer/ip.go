package printer

// ipCtx is what transport printers need from the IP header around them.
type ipCtx struct {
	v        int
	src, dst []byte
	proto    byte // IPv4 protocol, or the IPv6 header's next-header field
	ttl      byte // TTL or hop limit, which VRRP checks
}

var ipProtoNames = map[uint32]string{
	0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 8: "EGP", 9: "IGRP", 17: "UDP",
	33: "DCCP", 41: "IPv6", 43: "Routing", 44: "Fragment", 46: "RSVP", 47: "GRE", 50: "ESP",
	51: "AH", 55: "Mobile IP", 58: "ICMPv6", 60: "unknown", 88: "EIGRP", 89: "OSPF", 103: "PIM",
	108: "Compressed IP", 112: "VRRP", 113: "PGM", 132: "SCTP", 135: "Mobility", 143: "Ethernet",
}

func (p *Printer) protoName(nh byte) {
	name, ok := tok(ipProtoNames, uint32(nh))
	if !ok {
		name = "unknown"
	}
	p.s(name)
}

// ipv4 prints an IPv4 packet: b holds its captured bytes, length its bytes
// on the wire.
func (p *Printer) ipv4(b []byte, length int) {
	if len(b) < 1 {
		// tcpdump's GET of the version byte jumps out of the link printer.
		p.trunc("ip")
		p.bailed = true
		return
	}
	if v := b[0] >> 4; v != 4 {
		if v == 6 {
			p.s("IP6, wrong link-layer encapsulation")
		} else {
			p.s("IP")
			p.u(uint64(v))
		}
		p.s(" (invalid)")
		return
	}
	if !p.opts.LinkHeader {
		p.s("IP ")
	}
	if len(b) < 20 {
		p.trunc("ip")
		return
	}
	if length < 20 {
		p.s("truncated-ip ")
		p.i(length)
		return
	}
	hlen := int(b[0]&0xf) * 4
	if hlen < 20 {
		p.s("bad-hlen ")
		p.i(hlen)
		return
	}
	tot := int(be16(b[2:4]))
	if tot > length {
		// tcpdump believes the header's length: the payload printers see
		// it, and the bytes that are not there end in a truncation mark.
		p.s("truncated-ip - ")
		p.i(tot - length)
		p.s(" bytes missing! ")
	}
	if tot < hlen {
		p.s("bad-len ")
		p.i(tot)
		return
	}
	end := tot
	if len(b) > end {
		b = b[:end]
	}
	off := be16(b[6:8])
	nh := b[9]
	if p.opts.Verbose > 0 {
		if !p.ipv4Verbose(b, hlen, tot, off, nh) {
			return
		}
	}
	p.ipc = ipCtx{v: 4, src: b[12:16], dst: b[16:20], proto: nh, ttl: b[8]}
	if len(b) < hlen {
		if nh != 6 && nh != 17 && nh != 132 && nh != 33 {
			p.addrs()
			p.s(": ")
		}
		p.s(" [remaining caplen(")
		p.i(len(b))
		p.s(") < header length(")
		p.i(hlen)
		p.s(")]")
		p.trunc("ip")
		return
	}
	if off&0x1fff != 0 {
		p.ip4(b[12:16])
		p.s(" > ")
		p.ip4(b[16:20])
		p.s(": ip-proto-")
		p.u(uint64(nh))
		return
	}
	if nh != 6 && nh != 17 && nh != 132 && nh != 33 {
		p.ip4(b[12:16])
		p.s(" > ")
		p.ip4(b[16:20])
		p.s(": ")
	}
	p.demux(nh, b[hlen:], end-hlen, off&0x3fff != 0)
}

var ipOptNames = map[uint32]string{0: "EOL", 1: "NOP", 68: "timestamp", 130: "security", 7: "RR", 137: "SSRR", 131: "LSRR", 148: "RA", 82: "traceroute"}

func (p *Printer) addrs4(b []byte) {
	p.ip4(b[12:16])
	p.s(" > ")
	p.ip4(b[16:20])
}

// ipv4Verbose prints -v's "(tos 0x0, ttl 64, ...)" and reports whether the
// header was captured far enough to go on.
func (p *Printer) ipv4Verbose(b []byte, hlen, tot int, off uint16, nh byte) bool {
	p.s("(tos 0x")
	p.x(uint64(b[1]), 1)
	switch b[1] & 3 {
	case 1:
		p.s(",ECT(1)")
	case 2:
		p.s(",ECT(0)")
	case 3:
		p.s(",CE")
	}
	if b[8] >= 1 {
		p.s(", ttl ")
		p.u(uint64(b[8]))
	}
	p.s(", id ")
	p.u(uint64(be16(b[4:6])))
	p.s(", offset ")
	p.u(uint64(off&0x1fff) * 8)
	p.s(", flags [")
	p.bits(uint32(off), ip4FragFlags)
	p.s("], proto ")
	p.protoName(nh)
	p.s(" (")
	p.u(uint64(nh))
	p.s("), length ")
	p.i(tot)
	if hlen > 20 {
		p.s(", options (")
		switch p.ipOptions(b[20:min(hlen, len(b))], hlen-20) {
		case optTrunc:
			p.trunc("ip")
			return false
		case optShort:
			// tcpdump closes the list and, after the header, prints the
			// addresses and a truncation mark.
			p.s(" [truncated-option]))\n    ")
			p.addrs4(b)
			p.s(": ")
			p.trunc("ip")
			return false
		}
		p.c(')')
	}
	if len(b) >= hlen && !p.opts.NoChecksums {
		if sum := ^checksum(0, b[:hlen]) & 0xffff; sum != 0 {
			field := uint32(be16(b[10:12]))
			hdr := checksum(0, b[:10]) + checksum(0, b[12:hlen])
			p.s(", bad cksum ")
			p.x(uint64(field), 1)
			p.s(" (->")
			p.x(uint64(^checksum(hdr, nil)&0xffff), 1)
			p.s(")!")
		}
	}
	p.s(")\n    ")
	return true
}

// Outcomes of printing IP options: all there, an option whose bytes were
// not captured (tcpdump notes it and goes on), or a length byte that was
// not (tcpdump stops the line).
const (
	optOK = iota
	optShort
	optTrunc
)

// ipOptions prints IPv4 options as tcpdump's ip_optprint; b holds the
// captured part of the length bytes of options.
func (p *Printer) ipOptions(b []byte, length int) int {
	for first := true; length > 0; first = false {
		if !first {
			p.c(',')
		}
		if len(b) < 1 {
			return optTrunc
		}
		code := b[0]
		if name, ok := tok(ipOptNames, uint32(code)); ok {
			p.s(name)
		} else {
			p.s("unknown ")
			p.u(uint64(code))
		}
		n := 1
		if code > 1 {
			if len(b) < 2 {
				return optTrunc
			}
			if n = int(b[1]); n < 2 {
				p.badLength(n)
				return optOK
			}
		}
		if n > length {
			p.badLength(n)
			return optOK
		}
		if n > len(b) {
			return optShort
		}
		switch code {
		case 0:
			return optOK
		case 7, 131, 137:
			p.ipRoute(b, n)
		case 148:
			if n < 4 {
				p.badLength(n)
			} else if v := be16(b[2:4]); v != 0 {
				p.s(" value ")
				p.u(uint64(v))
			}
		}
		b, length = b[n:], length-n
	}
	return optOK
}

// badLength marks an IPv4 option whose length field is wrong.
func (p *Printer) badLength(n int) {
	p.s(" [bad length ")
	p.i(n)
	p.c(']')
}

// ipRoute prints a record or source route option's addresses as
// tcpdump's ip_printroute: a comma after each one already filled in.
func (p *Printer) ipRoute(o []byte, n int) {
	if n < 3 {
		p.badLength(n)
		return
	}
	if (n+1)&3 != 0 {
		p.badLength(n)
	}
	ptr := int(o[2]) - 1
	if ptr < 3 || (ptr+1)&3 != 0 || ptr > n+1 {
		p.s(" [bad ptr ")
		p.u(uint64(o[2]))
		p.c(']')
	}
	// Like tcpdump, a last address may run past a badly sized option.
	for i := 3; i < n && i+4 <= len(o); i += 4 {
		p.c(' ')
		p.ip4(o[i:])
		if ptr > i {
			p.c(',')
		}
	}
}

// ipv6 prints an IPv6 packet and walks its extension headers.
func (p *Printer) ipv6(b []byte, length int) {
	if len(b) < 40 {
		p.trunc("ip6")
		return
	}
	if !p.opts.LinkHeader {
		p.s("IP6 ")
	}
	if length < 40 {
		p.s("truncated-ip6 ")
		p.i(length)
		return
	}
	if v := b[0] >> 4; v != 6 {
		p.s("version error: ")
		p.u(uint64(v))
		p.s(" != 6")
		return
	}
	// A zero payload length would announce a jumbogram; tcpdump, like us,
	// takes it at its word only with the jumbo option, which we do not parse.
	plen := int(be16(b[4:6]))
	tot := plen + 40
	if tot > length {
		p.s("truncated-ip6 - ")
		p.i(tot - length)
		p.s(" bytes missing!")
	}
	end := tot
	if len(b) > end {
		b = b[:end]
	}
	nh := b[6]
	if p.opts.Verbose > 0 {
		flow := be32(b[0:4])
		p.c('(')
		if flow&0x0ff00000 != 0 {
			p.s("class 0x")
			p.x(uint64(flow>>20&0xff), 2)
			p.s(", ")
		}
		if flow&0xfffff != 0 {
			p.s("flowlabel 0x")
			p.x(uint64(flow&0xfffff), 5)
			p.s(", ")
		}
		p.s("hlim ")
		p.u(uint64(b[7]))
		p.s(", next-header ")
		p.protoName(nh)
		p.s(" (")
		p.u(uint64(nh))
		p.s(") payload length: ")
		p.i(plen)
		p.s(") ")
	}
	p.ipc = ipCtx{v: 6, src: b[8:24], dst: b[24:40], proto: nh, ttl: b[7]}
	if nh != 6 && nh != 17 && nh != 132 && nh != 33 {
		p.ip6(b[8:24])
		p.s(" > ")
		p.ip6(b[24:40])
		p.s(": ")
	}
	cp, rest := b[40:], end-40
	fragmented := false
	for {
		switch nh {
		case 0, 60:
			// Hop-by-hop and destination options: "HBH " or "DSTOPT ".
			if len(cp) < 2 || len(cp) < (int(cp[1])+1)*8 {
				if nh == 0 {
					p.trunc("hbhopt")
				} else {
					p.trunc("dstopt")
				}
				return
			}
			n := (int(cp[1]) + 1) * 8
			name := "hbhopt"
			if nh == 0 {
				p.s("HBH ")
			} else {
				p.s("DSTOPT ")
				name = "dstopt"
			}
			if !p.ip6Options(cp[2:n]) {
				p.trunc(name)
				return
			}
			nh, cp, rest = cp[0], cp[n:], rest-n
		case 43:
			n, ok := p.routing6(cp)
			if !ok {
				return
			}
			nh, cp, rest = cp[0], cp[n:], rest-n
		case 44:
			if len(cp) < 4 || (p.opts.Verbose > 0 && len(cp) < 8) {
				p.trunc("frag6")
				return
			}
			offlg := be16(cp[2:4])
			p.s("frag (")
			if p.opts.Verbose > 0 {
				p.s("0x")
				p.x(uint64(be32(cp[4:8])), 8)
				p.c(':')
			}
			p.u(uint64(offlg & 0xfff8))
			p.c('|')
			p.i(tot - (end - rest) - 8)
			p.c(')')
			if offlg&0xfff8 != 0 {
				return
			}
			p.c(' ')
			if len(cp) <= 8 {
				return // tcpdump stops where the capture does
			}
			fragmented = true
			nh, cp, rest = cp[0], cp[8:], rest-8
		default:
			p.demux(nh, cp, rest, fragmented)
			return
		}
	}
}

// ip6OptSize checks a fixed-size option of size bytes (type and length
// included), n by its length field, with left bytes left in the header;
// false after printing why, as tcpdump's ip6_opt_print.
func (p *Printer) ip6OptSize(name string, left, n, size int, lenField byte) bool {
	if left < size {
		p.s("(")
		p.s(name)
		p.s(": trunc)")
		return false
	}
	if n != size {
		p.s("(")
		p.s(name)
		p.s(": invalid len ")
		p.u(uint64(lenField))
		p.c(')')
		return false
	}
	return true
}

// ip6Options processes hop-by-hop and destination options as tcpdump's
// ip6_opt_process: -v prints them, malformed ones print always; false
// means the header is malformed and the line ends in a truncation mark.
func (p *Printer) ip6Options(b []byte) bool {
	v := p.opts.Verbose > 0
	if len(b) == 0 {
		return true
	}
	for i, n := 0, 0; i < len(b); i += n {
		if b[i] == 0 {
			n = 1
		} else {
			if i+1 >= len(b) {
				return false
			}
			n = int(b[i+1]) + 2
		}
		if i+n > len(b) {
			return false
		}
		// tcpdump checks what is left of the area before the option length.
		left := len(b) - i
		switch b[i] {
		case 0:
			if v {
				p.s("(pad1)")
			}
		case 1:
			if left < 2 {
				p.s("(padn: trunc)")
				return false
			}
			if v {
				p.s("(padn)")
			}
		case 5:
			if !p.ip6OptSize("rtalert", left, n, 4, b[i+1]) {
				return false
			}
			if v {
				p.s("(rtalert: 0x")
				p.x(uint64(be16(b[i+2:])), 4)
				p.s(") ")
			}
		case 0xc2:
			if !p.ip6OptSize("jumbo", left, n, 6, b[i+1]) {
				return false
			}
			if v {
				p.s("(jumbo: ")
				p.u(uint64(be32(b[i+2:])))
				p.s(") ")
			}
		default:
			if left < 2 {
				p.s("(type ")
				p.u(uint64(b[i]))
				p.s(": trunc)")
				return false
			}
			if v {
				p.s("(opt_type 0x")
				p.x(uint64(b[i]), 2)
				p.s(": len=")
				p.u(uint64(b[i+1]))
				p.c(')')
			}
		}
	}
	if v {
		p.c(' ')
	}
	return true
}

// routing6 prints a routing header as tcpdump's rt6_print does.
func (p *Printer) routing6(b []byte) (int, bool) {
	// Fields print one by one until the capture runs out, as tcpdump's.
	if len(b) < 2 {
		p.trunc("rt6")
		return 0, false
	}
	n := (int(b[1]) + 1) * 8
	p.s("RT6 (len=")
	p.u(uint64(b[1]))
	if len(b) < 3 {
		p.trunc("rt6")
		return 0, false
	}
	p.s(", type=")
	p.u(uint64(b[2]))
	if b[2] == 0 {
		p.s(" [Deprecated]")
	}
	if len(b) < 4 {
		p.trunc("rt6")
		return 0, false
	}
	p.s(", segleft=")
	p.u(uint64(b[3]))
	switch b[2] {
	case 0, 2:
		if len(b) < 8 {
			p.trunc("rt6")
			return 0, false
		}
		if rsv := be32(b[4:8]); rsv != 0 || p.opts.Verbose > 0 {
			p.s(", rsv=0x")
			p.x(uint64(rsv), 1)
		}
		if b[1]%2 == 1 {
			p.s(" (invalid length ")
			p.u(uint64(b[1]))
			p.s(") (invalid)")
			return 0, false
		}
		addrs := int(b[1]) / 2
		for i := 0; i < addrs; i++ {
			a := 8 + 16*i
			if len(b) < a+16 {
				p.trunc("rt6")
				return 0, false
			}
			p.s(", [")
			p.i(i)
			p.c(']')
			p.ip6(b[a : a+16])
			// Checksums are computed to the final destination.
			p.ipc.dst = b[a : a+16]
		}
		p.s(") ")
	default:
		p.s(" (unknown type) (invalid)")
		return 0, false
	}
	if len(b) < n {
		return n, false
	}
	return n, true
}

// demux hands an IP payload to its protocol's printer; length counts the
// payload's bytes on the wire.
func (p *Printer) demux(nh byte, b []byte, length int, fragmented bool) {
	switch nh {
	case 6:
		p.tcp(b, length, fragmented)
	case 17:
		p.udp(b, length, fragmented)
	case 1:
		if p.ipc.v != 4 {
			p.s("[ICMP requires IPv4] (invalid)")
			return
		}
		p.icmp4(b, length, fragmented)
	case 58:
		if p.ipc.v != 6 {
			p.s("[ICMPv6 requires IPv6] (invalid)")
			return
		}
		p.icmp6(b, length, fragmented)
	case 2:
		if p.ipc.v != 4 {
			p.s("[IGMP requires IPv4] (invalid)")
			return
		}
		p.igmp(b, length)
	case 4, 41:
		saved := p.ipc
		if nh == 4 {
			p.ipv4(b, length)
		} else {
			p.ipv6(b, length)
		}
		p.ipc = saved
	case 47:
		p.gre(b, length)
	case 132:
		p.sctp(b, length)
	case 33:
		p.dccp(b, length)
	case 112:
		p.vrrp(b, length)
	case 9:
		p.igrp(b, length)
	case 103:
		p.pim(b, length)
	case 51:
		// tcpdump goes on with the protocol after the AH header; that
		// printer shows ports without addresses, which the IP header
		// already gave.
		if len(b) < 1 {
			p.trunc("ah") // before the name, as tcpdump's demux checks
			return
		}
		n := p.ah(b)
		if n <= 0 {
			return
		}
		p.demux(b[0], b[min(n, len(b)):], length-n, fragmented)
	case 50:
		if len(b) < 4 {
			p.trunc("esp")
			return
		}
		p.s("ESP(spi=0x")
		p.x(uint64(be32(b)), 8)
		if len(b) < 8 {
			p.trunc("esp")
			return
		}
		p.s(",seq=0x")
		p.x(uint64(be32(b[4:])), 1)
		p.s("), length ")
		p.i(length)
	case 59:
		p.s("no next header")
	case 143:
		if p.ipc.v != 6 {
			p.s("[Ethernet requires IPv6] (invalid)")
			return
		}
		p.etherAt(b, length)
	case 77:
		p.s(" nd ")
		p.i(length)
	default:
		p.s(" ip-proto-")
		p.u(uint64(nh))
		p.c(' ')
		p.i(length)
	}
}

var ip4FragFlags = []bitName{{0x2000, "+"}, {0x4000, "DF"}, {0x8000, "rsvd"}}

// ah prints an IPsec Authentication Header (RFC 4302) as tcpdump's
// ah_print and returns its length, or 0 after a truncation mark.
func (p *Printer) ah(b []byte) int {
	p.s("AH")
	if len(b) < 2 {
		p.truncBail("ah")
		return 0
	}
	n := (int(b[1]) + 2) * 4
	p.c('(')
	if p.opts.Verbose > 0 {
		p.s("length=")
		p.u(uint64(b[1]))
		p.c('(')
		p.i(n)
		p.s("-bytes),")
	}
	// Each field as far as it was captured, as tcpdump's GET macros.
	if len(b) < 4 {
		p.truncBail("ah")
		return 0
	}
	if r := be16(b[2:]); r != 0 {
		p.s("reserved=0x")
		p.x(uint64(r), 1)
		p.s("[MustBeZero],")
	}
	if len(b) < 8 {
		p.truncBail("ah")
		return 0
	}
	p.s("spi=0x")
	p.x(uint64(be32(b[4:])), 8)
	p.c(',')
	if len(b) < 12 {
		p.truncBail("ah")
		return 0
	}
	p.s("seq=0x")
	p.x(uint64(be32(b[8:])), 1)
	p.s(",icv=0x")
	for i := 12; i < n; i++ {
		if i >= len(b) {
			p.truncBail("ah")
			return 0
		}
		p.x(uint64(b[i]), 2)
	}
	p.s("): ")
	return n
}

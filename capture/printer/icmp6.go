package printer

var icmp6Types = map[uint32]string{
	1: "destination unreachable", 2: "packet too big", 3: "time exceeded in-transit", 4: "parameter problem",
	128: "echo request", 129: "echo reply", 130: "multicast listener query", 131: "multicast listener report",
	132: "multicast listener done", 133: "router solicitation", 134: "router advertisement",
	135: "neighbor solicitation", 136: "neighbor advertisement", 137: "redirect", 138: "router renumbering",
	139: "who-are-you request", 140: "who-are-you reply", 141: "inverse neighbor solicitation",
	142: "inverse neighbor advertisement", 143: "multicast listener report v2", 144: "ha discovery request",
	145: "ha discovery reply", 146: "mobile router solicitation", 147: "mobile router advertisement",
	200: "mtrace response", 201: "mtrace message",
}

var icmp6Unreach = [...]string{"unreachable route", " unreachable prohibited", "beyond scope", "unreachable address", "unreachable port"}

var icmp6ParamProb = [...]string{"erroneous", "next header", "option", "incomplete header chain"}

func (p *Printer) icmp6(b []byte, length int, fragmented bool) {
	if length == 0 {
		p.s("ICMP6, length 0 (invalid)")
		return
	}
	if len(b) < 1 {
		p.trunc("icmp6")
		return
	}
	typ := b[0]
	if p.opts.Verbose > 0 && !fragmented && len(b) >= length && length < 4 {
		p.trunc("icmp6") // tcpdump reads the checksum field first
		return
	}
	if p.opts.Verbose > 0 && !fragmented && len(b) >= length {
		sum := checksum(p.pseudoSum(58, length), b[:length])
		if sum != 0xffff {
			should := ^checksum(checksum(p.pseudoSum(58, length), b[:2]), b[4:length]) & 0xffff
			p.s("[bad icmp6 cksum 0x")
			p.x(uint64(be16(b[2:4])), 4)
			p.s(" -> 0x")
			p.x(uint64(should), 4)
			p.s("!] ")
		} else {
			p.s("[icmp6 sum ok] ")
		}
	}
	p.s("ICMP6, ")
	if name, ok := tok(icmp6Types, uint32(typ)); ok {
		p.s(name)
	} else {
		p.s("unknown icmp6 type (")
		p.u(uint64(typ))
		p.c(')')
	}
	if p.opts.Verbose > 0 && (typ == 133 || typ == 134 || typ == 135 || typ == 136 || typ == 137) {
		p.s(", length ")
		p.i(length)
	}
	if len(b) < 2 {
		p.truncBail("icmp6")
		return
	}
	code := b[1]
	oip := b[min(8, len(b)):] // the quoted packet of error messages
	need := func(n int) bool {
		if len(b) < n {
			p.truncBail("icmp6")
			return false
		}
		return true
	}
	switch typ {
	case 1:
		p.s(", ")
		if int(code) < len(icmp6Unreach) {
			p.s(icmp6Unreach[code])
		} else {
			p.s("unknown unreach code (")
			p.u(uint64(code))
			p.c(')')
		}
		switch code {
		case 0, 1, 3:
			if !need(8 + 40) {
				return
			}
			p.c(' ')
			p.ip6(oip[24:])
		case 2:
			if !need(8 + 40) {
				return
			}
			p.c(' ')
			p.ip6(oip[24:])
			p.s(", source address ")
			p.ip6(oip[8:])
		case 4:
			proto, up, ok := upperLayer6(oip)
			if !ok {
				p.trunc("icmp6")
				return
			}
			p.s(", ")
			p.ip6(oip[24:])
			switch proto {
			case 6:
				p.s(" tcp port ")
			case 17:
				p.s(" udp port ")
			}
			p.u(uint64(be16(up[2:])))
		default:
			if p.opts.Verbose <= 1 {
				p.hexdumpInline(b[:min(len(b), length)], false)
				return
			}
		}
	case 2:
		if !need(8) {
			return
		}
		p.s(", mtu ")
		p.u(uint64(be32(b[4:])))
	case 3:
		switch code {
		case 0:
			if !need(8 + 40) {
				return
			}
			p.s(" for ")
			p.ip6(oip[24:])
		case 1:
			p.s(" (reassembly)")
		default:
			p.s(", unknown code (")
			p.u(uint64(code))
			p.c(')')
		}
	case 4:
		if !need(8 + 40) {
			return
		}
		if int(code) < len(icmp6ParamProb) {
			p.s(", ")
			p.s(icmp6ParamProb[code])
			p.s(" - octet ")
			p.u(uint64(be32(b[4:])))
		} else {
			p.s(", code-#")
			p.u(uint64(code))
		}
	case 128, 129:
		if !need(8) {
			return
		}
		p.s(", id ")
		p.u(uint64(be16(b[4:])))
		p.s(", seq ")
		p.u(uint64(be16(b[6:])))
	case 130:
		switch {
		case length == 24:
			if !p.mld1(b) {
				return
			}
		case length >= 28:
			p.s(" v2")
			if !p.mld2Query(b, length) {
				return
			}
		default:
			p.s(" unknown-version (len ")
			p.i(length)
			p.s(") ")
		}
	case 131, 132:
		if !p.mld1(b) {
			return
		}
	case 143:
		if !p.groupReport(b, length, mld2Report) {
			return
		}
	case 141, 142, 145, 147:
		// Inverse discovery and mobile IPv6 replies: tcpdump prints only the name.
	case 144, 146:
		if !need(6) {
			return
		}
		p.s(", id 0x")
		p.x(uint64(be16(b[4:])), 4)
	case 133:
		if p.opts.Verbose > 0 {
			p.ndOptions(b[min(8, len(b)):], length-8)
		}
	case 134:
		if p.opts.Verbose > 0 {
			if !need(16) {
				return
			}
			p.s("\n\thop limit ")
			p.u(uint64(b[4]))
			p.s(", Flags [")
			p.bits(uint32(b[5]), raFlags)
			p.s("], pref ")
			p.s([...]string{"medium", "high", "rsv", "low"}[b[5]>>3&3])
			p.s(", router lifetime ")
			p.u(uint64(be16(b[6:])))
			p.s("s, reachable time ")
			p.u(uint64(be32(b[8:])))
			p.s("ms, retrans timer ")
			p.u(uint64(be32(b[12:])))
			p.s("ms")
			p.ndOptions(b[16:], length-16)
		}
	case 135:
		if !need(24) {
			return
		}
		p.s(", who has ")
		p.ip6(b[8:])
		if p.opts.Verbose > 0 {
			p.ndOptions(b[24:], length-24)
		}
	case 136:
		if !need(24) {
			return
		}
		p.s(", tgt is ")
		p.ip6(b[8:])
		if p.opts.Verbose > 0 {
			p.s(", Flags [")
			p.bits(uint32(b[4]), naFlags)
			p.c(']')
			p.ndOptions(b[24:], length-24)
		}
	case 137:
		if !need(40) {
			return
		}
		p.s(", ")
		p.ip6(b[24:])
		p.s(" to ")
		p.ip6(b[8:])
		if p.opts.Verbose > 0 {
			p.ndOptions(b[40:], length-40)
		}
	default:
		p.s(", length ")
		p.i(length)
		if p.opts.Verbose <= 1 {
			p.hexdumpInline(b[:min(len(b), length)], false)
		}
		return
	}
	if p.opts.Verbose == 0 {
		p.s(", length ")
		p.i(length)
	}
}

var ndOptNames = map[uint32]string{1: "source link-address", 2: "destination link-address", 3: "prefix info",
	4: "redirected header", 5: "mtu", 8: "homeagent info", 24: "route info", 25: "rdnss", 31: "dnssl"}

// ndOptions prints -v's neighbor discovery options, one per line: resid
// bytes of them, of which b holds those captured.
func (p *Printer) ndOptions(b []byte, resid int) {
	// Like tcpdump, walk to the end of what was captured.
	for len(b) > 0 && resid > 0 {
		if len(b) < 2 {
			p.trunc("icmp6")
			return
		}
		typ, n := b[0], int(b[1])*8
		if n == 0 || n > len(b) {
			p.trunc("icmp6")
			return
		}
		p.s("\n\t  ")
		if name, ok := tok(ndOptNames, uint32(typ)); ok {
			p.s(name)
		} else {
			p.s("unknown")
		}
		p.s(" option (")
		p.u(uint64(typ))
		p.s("), length ")
		p.i(n)
		p.s(" (")
		p.u(uint64(b[1]))
		p.s("): ")
		if !p.ndOption(typ, b[:n]) && p.opts.Verbose == 1 {
			p.hexdumpAfter("\n\t  ", b[2:n], false)
		}
		if p.opts.Verbose > 1 {
			p.hexdumpAfter("\n\t    ", b[2:n], false)
		}
		b, resid = b[n:], resid-n
	}
}

// ndOption prints the body of a neighbor discovery option tcpdump decodes
// and reports whether it did.
func (p *Printer) ndOption(typ byte, o []byte) bool {
	n := len(o)
	switch {
	case typ == 1 || typ == 2:
		p.mac(o[2:])
	case typ == 5 && n >= 8:
		p.c(' ')
		p.u(uint64(be32(o[4:])))
	case typ == 3 && n >= 32:
		p.ip6(o[16:])
		p.c('/')
		p.u(uint64(o[2]))
		p.s(", Flags [")
		p.bits(uint32(o[3]), prefixFlags)
		p.s("], valid time ")
		p.ndLifetime(be32(o[4:]))
		p.s(", pref. time ")
		p.ndLifetime(be32(o[8:]))
	case typ == 25 && n >= 8:
		p.s(" lifetime ")
		p.u(uint64(be32(o[4:])))
		p.s("s,")
		for a := 8; a+16 <= n; a += 16 {
			p.s(" addr: ")
			p.ip6(o[a:])
		}
	case typ == 24 && n >= 8 && n <= 24:
		var prefix [16]byte
		copy(prefix[:], o[8:])
		p.c(' ')
		p.ip6(prefix[:])
		p.c('/')
		p.u(uint64(o[2]))
		p.s(", pref=")
		p.s([...]string{"medium", "high", "rsv", "low"}[o[3]>>3&3])
		p.s(", lifetime=")
		p.ndLifetime(be32(o[4:]))
	case typ == 31 && n >= 8:
		p.s(" lifetime ")
		p.u(uint64(be32(o[4:])))
		p.s("s, domain(s):")
		for d := 8; d < n && o[d] != 0; {
			p.c(' ')
			next, ok := p.dnsName(o[:n], d)
			if !ok {
				return true
			}
			d = next
		}
	default:
		return false
	}
	return true
}

func (p *Printer) ndLifetime(t uint32) {
	if t == 0xffffffff {
		p.s("infinity")
		return
	}
	p.u(uint64(t))
	p.c('s')
}

// upperLayer6 finds the TCP or UDP header quoted inside an ICMPv6 error.
func upperLayer6(b []byte) (byte, []byte, bool) {
	if len(b) < 40 {
		return 0, nil, false
	}
	nh, cp := b[6], b[40:]
	for {
		switch nh {
		case 6, 17:
			if len(cp) < 4 {
				return 0, nil, false
			}
			return nh, cp, true
		case 0, 60, 43:
			if len(cp) < 2 || len(cp) < (int(cp[1])+1)*8 {
				return 0, nil, false
			}
			nh, cp = cp[0], cp[(int(cp[1])+1)*8:]
		case 44:
			if len(cp) < 8 || be16(cp[2:])&0xfff8 != 0 {
				return 0, nil, false
			}
			nh, cp = cp[0], cp[8:]
		default:
			return 0, nil, false
		}
	}
}

// mld1 prints an MLDv1 message; tcpdump glues it to the type name.
func (p *Printer) mld1(b []byte) bool {
	if len(b) < 24 {
		return true // tcpdump's mld6_print skips a message not all captured
	}
	p.s("max resp delay: ")
	p.u(uint64(be16(b[4:])))
	p.s(" addr: ")
	p.ip6(b[8:])
	return true
}

func (p *Printer) mld2Query(b []byte, length int) bool {
	if len(b) < 28 {
		p.trunc("icmp6")
		return false
	}
	mrc := uint32(be16(b[4:]))
	if p.opts.Verbose > 0 {
		mrt := mrc
		if mrc >= 32768 {
			mrt = ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
		}
		p.s(" [max resp delay=")
		p.u(uint64(mrt))
		p.c(']')
	}
	p.s(" [gaddr ")
	p.ip6(b[8:])
	if p.opts.Verbose > 0 {
		if b[24]&0x08 != 0 {
			p.s(" sflag")
		}
		qqi := uint32(b[25])
		if qqi >= 128 {
			qqi = ((qqi & 0x0f) | 0x10) << (((qqi & 0x70) >> 4) + 3)
		}
		p.s(" robustness=")
		p.u(uint64(b[24] & 7))
		p.s(" qqi=")
		p.u(uint64(qqi))
	}
	if n := int(be16(b[26:])); n > 0 {
		if length < 28+16*n {
			p.s(" [invalid number of sources]")
		} else {
			p.s(", ")
			p.i(n)
			p.s(" source(s)")
		}
	}
	p.c(']')
	return true
}

var naFlags = []bitName{{0x80, "router"}, {0x40, "solicited"}, {0x20, "override"}}

var raFlags = []bitName{{0x80, "managed"}, {0x40, "other stateful"}, {0x20, "home agent"}, {0x02, "ipv6 only"}}

var prefixFlags = []bitName{{0x80, "onlink"}, {0x40, "auto"}, {0x20, "router"}}

package printer

var arpOps = map[uint32]string{1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
	8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}

var arpHardware = map[uint32]string{1: "Ethernet", 6: "TokenRing", 7: "ArcNet", 15: "FrameRelay",
	19: "ATM", 23: "Strip", 24: "IEEE 1394", 32: "InfiniBand"}

func (p *Printer) arp(b []byte, length int) {
	if len(b) < 8 {
		p.truncBail("arp")
		return
	}
	hrd, pro, op := be16(b), be16(b[2:]), be16(b[6:])
	hln, pln := int(b[4]), int(b[5])
	if hrd == 15 {
		hrd = 1
	}
	sha := 8
	spa := sha + hln
	tha := spa + pln
	tpa := tha + hln
	if len(b) < tpa+pln {
		p.truncBail("arp")
		return
	}
	if !p.opts.LinkHeader {
		p.s("ARP, ")
	}
	if (pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || p.opts.Verbose > 0 {
		if name, ok := tok(arpHardware, uint32(hrd)); ok {
			p.s(name)
		} else {
			p.s("Unknown Hardware (")
			p.u(uint64(hrd))
			p.c(')')
		}
		p.s(" (len ")
		p.i(hln)
		p.s("), ")
		if name, ok := tok(ethertypeNames, uint32(pro)); ok {
			p.s(name)
		} else {
			p.s("Unknown Protocol (0x")
			p.x(uint64(pro), 4)
			p.c(')')
		}
		p.s(" (len ")
		p.i(pln)
		p.c(')')
		if p.opts.Verbose == 0 {
			p.arpLength(length)
			return
		}
		p.s(", ")
	}
	if name, ok := tok(arpOps, uint32(op)); ok {
		p.s(name)
	} else {
		p.s("Unknown (")
		p.u(uint64(op))
		p.c(')')
	}
	p.c(' ')
	proto := func(off int) {
		switch {
		case pro != 0x0800 && pro != 0x1000:
			p.s("<wrong proto type>")
		case pln != 4:
			p.s("<wrong len>")
		default:
			p.ip4(b[off:])
		}
	}
	hw := func(off int) { p.linkaddr(b[off : off+hln]) }
	switch op {
	case 1:
		p.s("who-has ")
		proto(tpa)
		zero := true
		for _, v := range b[tha : tha+hln] {
			zero = zero && v == 0
		}
		if !zero {
			p.s(" (")
			hw(tha)
			p.c(')')
		}
		p.s(" tell ")
		proto(spa)
	case 2:
		proto(spa)
		p.s(" is-at ")
		hw(sha)
	case 3, 8:
		p.s("who-is ")
		hw(tha)
		p.s(" tell ")
		hw(sha)
	case 4:
		hw(tha)
		p.s(" at ")
		proto(tpa)
	case 9:
		hw(sha)
		p.s(" at ")
		proto(spa)
	default:
		p.hexdumpInline(b, true)
		return
	}
	p.arpLength(length)
}

func (p *Printer) arpLength(length int) {
	p.s(", length ")
	p.i(length)
}

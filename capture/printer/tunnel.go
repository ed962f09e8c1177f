package printer

// Tunnels a namespace lab builds (IPIP, 6in4, GRE, VXLAN) and IGMP.

// vxlan prints a VXLAN header (or OTV's, which flannel's port 8472 shares
// with it) and the Ethernet frame inside.
func (p *Printer) vxlan(b []byte, length int, otv bool) {
	name := "vxlan"
	if otv {
		name = "otv"
		p.s("OTV, ")
		if length < 8 {
			p.s("[length ")
			p.i(length)
			p.s(" < 8] (invalid)")
			return
		}
	} else {
		p.s("VXLAN")
		if length < 8 {
			p.s(" (invalid)")
			return
		}
	}
	if !otv {
		p.s(", ")
	}
	if len(b) < 1 {
		p.trunc(name)
		return
	}
	flags := b[0]
	p.s("flags [")
	switch {
	case flags&0x08 != 0:
		p.c('I')
	case otv:
		p.c('.')
	default:
		p.s("invalid")
	}
	p.s("] (0x")
	p.x(uint64(flags), 2)
	p.s("), ")
	if len(b) < 8 {
		p.trunc(name)
		return
	}
	if otv {
		p.s("overlay ")
		p.u(uint64(be32(b) & 0xffffff))
		p.s(", instance ")
	} else {
		p.s("vni ")
	}
	p.u(uint64(be32(b[4:]) >> 8))
	p.c('\n')
	saved := p.ipc
	p.etherAt(b[8:], length-8)
	p.ipc = saved
}

var greFlags = []bitName{{0x8000, "checksum present"}, {0x4000, "routing present"}, {0x2000, "key present"}, {0x1000, "sequence# present"}, {0x0800, "source routing present"}, {0x0080, "acknowledgment present"}}

func (p *Printer) gre(b []byte, length int) {
	if len(b) < 2 {
		p.trunc("gre")
		return
	}
	flags := be16(b)
	switch v := flags & 7; v {
	case 0:
	case 1:
		// PPTP's enhanced GRE: not decoded further.
		p.s("GREv1")
		p.trunc("gre")
		return
	default:
		p.s("GRE (version ")
		p.u(uint64(v))
		p.c(')')
		return
	}
	p.s("GREv0")
	if p.opts.Verbose > 0 {
		p.s(", Flags [")
		p.bits(uint32(flags), greFlags)
		p.c(']')
	}
	if len(b) < 4 {
		p.trunc("gre")
		return
	}
	proto := be16(b[2:])
	cp, n := b[4:], length-4
	if flags&0xc000 != 0 {
		if len(cp) < 4 {
			p.trunc("gre")
			return
		}
		if p.opts.Verbose > 0 {
			p.s(", sum 0x")
			p.x(uint64(be16(cp)), 1)
		}
		p.s(", off 0x")
		p.x(uint64(be16(cp[2:])), 1)
		cp, n = cp[4:], n-4
	}
	if flags&0x2000 != 0 {
		if len(cp) < 4 {
			p.trunc("gre")
			return
		}
		p.s(", key=0x")
		p.x(uint64(be32(cp)), 1)
		cp, n = cp[4:], n-4
	}
	if flags&0x1000 != 0 {
		if len(cp) < 4 {
			p.trunc("gre")
			return
		}
		p.s(", seq ")
		p.u(uint64(be32(cp)))
		cp, n = cp[4:], n-4
	}
	if flags&0x4000 != 0 {
		// Source routing (RFC 1701) is obsolete; tcpdump walks it, we stop.
		p.trunc("gre")
		return
	}
	if p.opts.LinkHeader {
		p.s(", proto ")
		if name, ok := tok(ethertypeNames, uint32(proto)); ok {
			p.s(name)
		} else {
			p.s("unknown")
		}
		p.s(" (0x")
		p.x(uint64(proto), 4)
		p.c(')')
	}
	p.s(", length ")
	p.i(length)
	if p.opts.Verbose > 0 {
		p.s("\n\t")
	} else {
		p.s(": ")
	}
	saved := p.ipc
	defer func() { p.ipc = saved }()
	switch proto {
	case 0x0800:
		p.ipv4(cp, n)
	case 0x86dd:
		p.ipv6(cp, n)
	case 0x6558:
		p.etherAt(cp, n)
	default:
		p.s("gre-proto-0x")
		p.x(uint64(proto), 1)
	}
}

// etherAt prints an Ethernet frame carried inside another packet.
func (p *Printer) etherAt(b []byte, length int) { p.ether(b, length) }

func (p *Printer) igmp(b []byte, length int) {
	if p.opts.Quiet {
		p.s("igmp")
		return
	}
	if len(b) < 1 {
		p.trunc("igmp")
		return
	}
	// tcpdump reads the group before printing the message name.
	group := func(name string) bool {
		if len(b) < 8 {
			p.trunc("igmp")
			return false
		}
		p.s(name)
		p.ip4(b[4:])
		return true
	}
	switch b[0] {
	case 0x11:
		p.s("igmp query")
		if length >= 12 {
			if !p.igmpV3Query(b, length) {
				return
			}
		} else {
			if len(b) < 2 {
				p.trunc("igmp")
				return
			}
			if mrc := b[1]; mrc == 0 {
				p.s(" v1")
			} else {
				p.s(" v2")
				if mrc != 100 {
					p.s(" [max resp time ")
					p.u(uint64(mrc))
					p.c(']')
				}
			}
			if len(b) < 8 {
				p.trunc("igmp")
				return
			}
			if be32(b[4:]) != 0 {
				p.s(" [gaddr ")
				p.ip4(b[4:])
				p.c(']')
			}
			if length != 8 {
				p.s(" [len ")
				p.i(length)
				p.c(']')
			}
		}
	case 0x12:
		if !group("igmp v1 report ") {
			return
		}
		if length != 8 {
			p.s(" [len ")
			p.i(length)
			p.c(']')
		}
	case 0x16:
		if !group("igmp v2 report ") {
			return
		}
	case 0x17:
		if !group("igmp leave ") {
			return
		}
	case 0x22:
		p.s("igmp v3 report")
		if !p.groupReport(b, length, igmpV3Report) {
			return
		}
	default:
		p.s("igmp-")
		p.u(uint64(b[0]))
	}
	if p.opts.Verbose > 0 && length >= 4 && len(b) >= length {
		if checksum(0, b[:length]) != 0xffff {
			p.s(" bad igmp cksum ")
			p.x(uint64(be16(b[2:])), 1)
			p.c('!')
		}
	}
}

func (p *Printer) igmpV3Query(b []byte, length int) bool {
	p.s(" v3")
	if length < 12 || (length-12)%4 != 0 {
		p.s(" [invalid len ")
		p.i(length)
		p.c(']')
		return true
	}
	if len(b) < 2 {
		p.trunc("igmp")
		return false
	}
	mrc := uint32(b[1])
	if mrc != 100 {
		mrt := mrc
		if mrc >= 128 {
			mrt = ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
		}
		p.s(" [max resp time ")
		if mrt < 600 {
			p.u(uint64(mrt / 10))
			p.c('.')
			p.u(uint64(mrt % 10))
			p.s("s")
		} else {
			p.relts(mrt / 10)
		}
		p.c(']')
	}
	if len(b) < 8 {
		p.trunc("igmp")
		return false
	}
	if be32(b[4:]) == 0 {
		return true
	}
	p.s(" [gaddr ")
	p.ip4(b[4:])
	if len(b) < 12 {
		p.trunc("igmp")
		return false
	}
	if n := int(be16(b[10:])); n > 0 {
		switch {
		case length < 12+4*n:
			p.s(" [invalid number of sources]")
		case p.opts.Verbose > 1:
			p.s(" {")
			for j := 0; j < n; j++ {
				if len(b) < 12+4*(j+1) {
					p.trunc("igmp")
					return false
				}
				p.c(' ')
				p.ip4(b[12+4*j:])
			}
			p.s(" }")
		default:
			p.s(", ")
			p.i(n)
			p.s(" source(s)")
		}
	}
	p.c(']')
	return true
}

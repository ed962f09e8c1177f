package printer

var icmpUnreach = [...]string{
	5: "%s unreachable - source route failed", 6: "net %s unreachable - unknown",
	7: "host %s unreachable - unknown", 8: "%s unreachable - source host isolated",
	9: "net %s unreachable - admin prohibited", 10: "host %s unreachable - admin prohibited",
	11: "net %s unreachable - tos prohibited", 12: "host %s unreachable - tos prohibited",
	13: "host %s unreachable - admin prohibited filter", 14: "host %s unreachable - host precedence violation",
	15: "host %s unreachable - precedence cutoff",
}

var icmpRedirect = [...]string{"redirect %s to net %s", "redirect %s to host %s", "redirect-tos %s to net %s", "redirect-tos %s to host %s"}

var icmpTypes = map[uint32]string{0: "echo reply", 4: "source quench", 8: "echo request", 10: "router solicitation",
	13: "time stamp request", 14: "time stamp reply", 15: "information request", 16: "information reply",
	17: "address mask request"}

// fill appends format with each %s replaced by the next address printer.
func (p *Printer) fill(format string, args ...func()) {
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && format[i+1] == 's' && len(args) > 0 {
			args[0]()
			args = args[1:]
			i++
			continue
		}
		p.c(format[i])
	}
}

func (p *Printer) icmp4(b []byte, length int, fragmented bool) {
	// tcpdump formats the message before printing "ICMP": anything missing
	// leaves only the truncation mark.
	mark := len(p.b)
	fail := func() {
		p.b = p.b[:mark]
		p.truncBail("icmp")
	}
	if len(b) < 2 {
		fail()
		return
	}
	typ, code := b[0], b[1]
	p.s("ICMP ")
	inner := func(off, n int) bool { return len(b) >= 8+off+n }
	innerDst := func() { p.ip4(b[8+16:]) }
	switch typ {
	case 0, 8:
		if len(b) < 8 {
			fail()
			return
		}
		if typ == 8 {
			p.s("echo request, id ")
		} else {
			p.s("echo reply, id ")
		}
		p.u(uint64(be16(b[4:])))
		p.s(", seq ")
		p.u(uint64(be16(b[6:])))
	case 3:
		if !inner(16, 4) {
			fail()
			return
		}
		switch {
		case code == 0:
			p.fill("net %s unreachable", innerDst)
		case code == 1:
			p.fill("host %s unreachable", innerDst)
		case code == 2:
			innerDst()
			p.s(" protocol ")
			p.u(uint64(b[8+9]))
			p.s(" unreachable")
		case code == 3:
			hl := int(b[8]&0xf) * 4
			if !inner(hl, 4) {
				fail()
				return
			}
			dport := be16(b[8+hl+2:])
			innerDst()
			switch proto := b[8+9]; proto {
			case 6:
				p.s(" tcp port ")
				p.u(uint64(dport))
			case 17:
				p.s(" udp port ")
				p.u(uint64(dport))
			default:
				p.s(" protocol ")
				p.u(uint64(proto))
				p.s(" port ")
				p.u(uint64(dport))
			}
			p.s(" unreachable")
		case code == 4:
			innerDst()
			p.s(" unreachable - need to frag")
			if mtu := be16(b[6:]); mtu != 0 {
				p.s(" (mtu ")
				p.u(uint64(mtu))
				p.c(')')
			}
		case int(code) < len(icmpUnreach) && icmpUnreach[code] != "":
			p.fill(icmpUnreach[code], innerDst)
		default:
			innerDst()
			p.s(" unreachable - #")
			p.u(uint64(code))
		}
	case 5:
		if !inner(16, 4) {
			fail()
			return
		}
		gw := func() { p.ip4(b[4:]) }
		if int(code) < len(icmpRedirect) {
			p.fill(icmpRedirect[code], innerDst, gw)
		} else {
			p.s("redirect-#")
			p.u(uint64(code))
			p.c(' ')
			p.fill("%s to %s", innerDst, gw)
		}
	case 9:
		if len(b) < 8 {
			fail()
			return
		}
		p.s("router advertisement lifetime ")
		p.lifetime(int(be16(b[6:])))
		p.c(' ')
		p.u(uint64(b[4]))
		p.s(": ")
		if b[5] != 2 {
			p.s("[size ")
			p.u(uint64(b[5]))
			p.c(']')
			break
		}
		for i := 0; i < int(b[4]); i++ {
			o := 8 + 8*i
			if len(b) < o+8 {
				fail()
				return
			}
			if i > 0 {
				p.c(' ')
			}
			p.c('{')
			p.ip4(b[o:])
			p.c(' ')
			p.u(uint64(be32(b[o+4:])))
			p.c('}')
		}
	case 11:
		if !inner(16, 4) {
			fail()
			return
		}
		switch code {
		case 0:
			p.s("time exceeded in-transit")
		case 1:
			p.s("ip reassembly time exceeded")
		default:
			p.s("time exceeded-#")
			p.u(uint64(code))
		}
	case 12:
		if len(b) < 5 {
			fail()
			return
		}
		if code != 0 {
			p.s("parameter problem - code ")
			p.u(uint64(code))
		} else {
			p.s("parameter problem - octet ")
			p.u(uint64(b[4]))
		}
	case 13, 14:
		if len(b) < 8 {
			fail()
			return
		}
		if typ == 13 {
			p.s("time stamp query id ")
		} else {
			p.s("time stamp reply id ")
		}
		p.u(uint64(be16(b[4:])))
		p.s(" seq ")
		p.u(uint64(be16(b[6:])))
		if typ == 14 {
			if len(b) < 20 {
				fail()
				return
			}
			p.s(": org ")
			p.msTime(be32(b[8:]))
			p.s(", recv ")
			p.msTime(be32(b[12:]))
			p.s(", xmit ")
			p.msTime(be32(b[16:]))
		}
	case 18:
		if len(b) < 12 {
			fail()
			return
		}
		p.s("address mask is 0x")
		p.x(uint64(be32(b[8:])), 8)
	default:
		if name, ok := tok(icmpTypes, uint32(typ)); ok {
			p.s(name)
		} else {
			p.s("type-#")
			p.u(uint64(typ))
		}
	}
	p.s(", length ")
	p.i(length)
	if p.opts.Verbose > 0 && !fragmented && len(b) >= length && length >= 4 {
		if sum := checksum(0, b[:length]); sum != 0xffff {
			field := be16(b[2:4])
			p.s(" (wrong icmp cksum ")
			p.x(uint64(field), 1)
			p.s(" (->")
			p.x(uint64(^checksum(checksum(0, b[:2]), b[4:length])&0xffff), 1)
			p.s(")!)")
		}
	}
	if p.opts.Verbose > 0 && (typ == 3 || typ == 4 || typ == 5 || typ == 11 || typ == 12) && len(b) >= 8 {
		p.s("\n\t")
		in := b[8:]
		if len(in) < 4 {
			p.trunc("icmp")
			return
		}
		saved := p.ipc
		p.ipv4(in, int(be16(in[2:4])))
		p.ipc = saved
		if length > 136 && typ != 4 && typ != 5 {
			p.icmpExtensions(b, length)
		}
	}
}

// msTime prints milliseconds since midnight UTC as tcpdump does.
func (p *Printer) msTime(ms uint32) {
	if ms >= 86400000 {
		p.u(uint64(ms))
		p.s(" [not-standard]")
		return
	}
	p.pad(int(ms/3600000), 2)
	p.c(':')
	p.pad(int(ms/60000%60), 2)
	p.c(':')
	p.pad(int(ms/1000%60), 2)
	p.c('.')
	p.pad(int(ms%1000), 3)
}

// relts prints a duration in seconds as tcpdump's unsigned_relts_print.
func (p *Printer) relts(secs uint32) {
	if secs == 0 {
		p.s("0s")
		return
	}
	units := [...]struct {
		n    uint32
		name byte
	}{{31536000, 'y'}, {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}
	for _, u := range units {
		if secs >= u.n {
			p.u(uint64(secs / u.n))
			p.c(u.name)
			secs %= u.n
		}
	}
}

// lifetime prints seconds as tcpdump's router advertisement does: s, m:ss
// or h:mm:ss.
func (p *Printer) lifetime(t int) {
	switch {
	case t < 60:
		p.i(t)
	case t < 3600:
		p.i(t / 60)
		p.c(':')
		p.pad(t%60, 2)
	default:
		p.i(t / 3600)
		p.c(':')
		p.pad(t%3600/60, 2)
		p.c(':')
		p.pad(t%60, 2)
	}
}

// icmpExtensions prints the RFC 4884 extension header that may follow the
// 128 bytes of a quoted packet, as tcpdump's -v does; the objects inside
// (MPLS label stacks) are not decoded.
func (p *Printer) icmpExtensions(b []byte, length int) {
	const start = 136 // 8 bytes of ICMP header, 128 of quoted packet
	if len(b) < start+5 {
		p.trunc("icmp")
		return
	}
	n := length - start
	whole := len(b) >= start+n
	// Without a length field, only a valid checksum shows an extension.
	if b[5] == 0 && whole && checksum(0, b[start:start+n]) != 0xffff {
		return
	}
	v := b[start] >> 4
	p.s("\n\tICMP Multi-Part extension v")
	p.u(uint64(v))
	if v != 2 {
		p.s(" packet not supported")
		return
	}
	if whole {
		p.s(", checksum 0x")
		p.x(uint64(be16(b[start+2:])), 4)
		p.s(" (")
		if checksum(0, b[start:start+n]) != 0xffff {
			p.s("in")
		}
		p.s("correct), length ")
		p.i(n)
	}
}

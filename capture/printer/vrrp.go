package printer

// vrrp prints a VRRP message (RFC 3768 v2, RFC 9568 v3) as tcpdump 4.99's
// vrrp_print: version, type, a TTL other than 255 (the sender was not on
// the link), and for an advertisement the router, priority and interval;
// -v adds the checksum check and the addresses.
func (p *Printer) vrrp(b []byte, length int) {
	p.s("VRRP")
	if len(b) < 1 {
		p.truncBail("vrrp")
		return
	}
	version, typ := b[0]>>4, b[0]&0x0f
	p.c('v')
	p.u(uint64(version))
	p.s(", ")
	if typ == 1 {
		p.s("Advertisement")
	} else {
		p.s("unknown type (")
		p.u(uint64(typ))
		p.c(')')
	}
	if p.ipc.ttl != 255 {
		p.s(", (ttl ")
		p.u(uint64(p.ipc.ttl))
		p.c(')')
	}
	if version < 2 || version > 3 || typ != 1 {
		return
	}
	if len(b) < 3 {
		p.truncBail("vrrp")
		return
	}
	p.s(", vrid ")
	p.u(uint64(b[1]))
	p.s(", prio ")
	p.u(uint64(b[2]))
	if len(b) < 6 {
		p.truncBail("vrrp")
		return
	}
	auth := b[4]
	if version == 2 {
		p.s(", authtype ")
		switch auth {
		case 0:
			p.s("none")
		case 1:
			p.s("simple")
		case 2:
			p.s("ah")
		default:
			p.s("#")
			p.u(uint64(auth))
		}
		p.s(", intvl ")
		p.u(uint64(b[5]))
		p.s("s, length ")
	} else {
		p.s(", intvl ")
		p.u(uint64(b[4]&0x0f)<<8 | uint64(b[5]))
		p.s("cs, length ")
	}
	p.i(length)
	if p.opts.Verbose == 0 {
		return
	}
	if len(b) < 4 {
		p.truncBail("vrrp")
		return
	}
	naddrs := int(b[3])
	if len(b) >= length && length >= 8 {
		sum := checksum(0, b[:length])
		if version == 3 {
			sum = checksum(p.pseudoSum(112, length), b[:length])
		}
		if sum != 0xffff {
			p.s(", (bad vrrp cksum ")
			p.x(uint64(be16(b[6:])), 1)
			p.c(')')
		}
	}
	p.s(", addrs")
	if naddrs > 1 {
		p.c('(')
		p.i(naddrs)
		p.c(')')
	}
	p.c(':')
	sep := byte(' ')
	off := 8
	for i := 0; i < naddrs; i, off = i+1, off+4 {
		if len(b) < off+4 {
			p.truncBail("vrrp")
			return
		}
		p.c(sep)
		p.ip4(b[off:])
		sep = ','
	}
	if version == 2 && auth == 1 {
		p.s(" auth \"")
		for i := 0; i < 8; i++ {
			if len(b) <= off+i {
				p.truncBail("vrrp")
				return
			}
			if b[off+i] == 0 {
				break
			}
			p.printable(b[off+i])
		}
		p.c('"')
	}
}

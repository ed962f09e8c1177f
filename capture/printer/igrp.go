package printer

// igrp prints a Cisco IGRP message (IP protocol 9) as tcpdump 4.99's
// igrp_print: opcode, version, edition, autonomous system and the counts
// of interior, system and exterior routes; -v adds the checksum. Each
// 14-byte route follows with its delay, bandwidth, reliability, load,
// composite metric, MTU and hop count; routes the counts do not cover are
// "extra bytes", and counts or bytes left over when the data ends mark
// the message invalid.
func (p *Printer) igrp(b []byte, length int) {
	p.s("igrp:")
	if len(b) < 12 {
		p.truncBail("igrp")
		return
	}
	nint, nsys, next := be16(b[4:]), be16(b[6:]), be16(b[8:])
	switch op := b[0] & 0x0f; op {
	case 1:
		p.s(" update")
	case 2:
		p.s(" request")
	default:
		p.s(" op-#")
		p.u(uint64(op))
	}
	p.s(" V")
	p.u(uint64(b[0] >> 4))
	p.s(" edit=")
	p.u(uint64(b[1]))
	p.s(" AS=")
	p.u(uint64(be16(b[2:])))
	p.s(" (")
	p.u(uint64(nint))
	p.c('/')
	p.u(uint64(nsys))
	p.c('/')
	p.u(uint64(next))
	p.c(')')
	if p.opts.Verbose > 0 {
		p.s(" checksum=0x")
		p.x(uint64(be16(b[10:])), 4)
	}
	b, length = b[12:], length-12
	for ; length >= 14; b, length = b[14:], length-14 {
		if len(b) < 3 {
			p.truncBail("igrp")
			return
		}
		switch {
		case nint > 0:
			p.s(" *.")
			p.dotted(b[:3])
			nint--
		case nsys > 0:
			p.c(' ')
			p.dotted(b[:3])
			p.s(".0")
			nsys--
		case next > 0:
			p.s(" X")
			p.dotted(b[:3])
			p.s(".0")
			next--
		default:
			p.s(" [extra bytes 14]")
			p.s(" (invalid)")
			return
		}
		if len(b) < 14 {
			p.truncBail("igrp")
			return
		}
		p.igrpRoute(b)
	}
	if nint != 0 || nsys != 0 || next != 0 || length != 0 {
		p.s(" (invalid)")
	}
}

// dotted appends bytes as decimal numbers joined by dots.
func (p *Printer) dotted(b []byte) {
	for i, v := range b {
		if i > 0 {
			p.c('.')
		}
		p.u(uint64(v))
	}
}

// igrpRoute prints one route's metrics: the delay in tens of
// microseconds, the bandwidth as the inverse of its 10 Gbit/s-scaled
// value, and the composite metric bandwidth+delay capped at 24 bits.
func (p *Printer) igrpRoute(b []byte) {
	be24 := func(b []byte) uint64 { return uint64(b[0])<<16 | uint64(b[1])<<8 | uint64(b[2]) }
	delay, bw := be24(b[3:]), be24(b[6:])
	p.s(" d=")
	p.u(10 * delay)
	p.s(" b=")
	if bw == 0 {
		p.c('0')
	} else {
		p.u(10000000 / bw)
	}
	p.s(" r=")
	p.u(uint64(b[11]))
	p.s(" l=")
	p.u(uint64(b[12]))
	p.s(" M=")
	p.u(min(bw+delay, 0xffffff))
	p.s(" mtu=")
	p.u(uint64(be16(b[9:])))
	p.s(" in ")
	p.u(uint64(b[13]))
	p.s(" hops")
}

package printer

// mplsLabelNames are the reserved labels -v names, as tcpdump 4.99 knows
// them (RFC 3032: the later ones are "rsvd" to it).
var mplsLabelNames = [16]string{"IPv4 explicit NULL", "router alert", "IPv6 explicit NULL", "implicit NULL",
	"rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd"}

// mpls prints an MPLS label stack and what it carries as tcpdump's
// mpls_print: the payload's protocol comes from an explicit NULL label or
// from its first byte.
func (p *Printer) mpls(b []byte, length int) {
	p.s("MPLS")
	var entry uint32
	for depth := 0; entry&0x100 == 0; depth++ {
		if length < 4 {
			p.s(" (invalid)")
			return
		}
		if len(b) < 4 {
			p.trunc("mpls")
			p.bailed = true
			return
		}
		entry = be32(b)
		label := entry >> 12
		if depth > 0 && p.opts.Verbose > 0 {
			p.s("\n\t(label ")
		} else {
			p.s(" (label ")
		}
		p.u(uint64(label))
		if p.opts.Verbose > 0 && label < 16 {
			p.s(" (")
			p.s(mplsLabelNames[label])
			p.c(')')
		}
		p.s(", tc ")
		p.u(uint64(entry >> 9 & 7))
		if entry&0x100 != 0 {
			p.s(", [S]")
		}
		p.s(", ttl ")
		p.u(uint64(entry & 0xff))
		p.c(')')
		b, length = b[4:], length-4
	}
	v := 0
	switch entry >> 12 {
	case 0, 3:
		v = 4
	case 2:
		v = 6
	default:
		if length < 1 {
			return
		}
		if len(b) < 1 {
			p.trunc("mpls")
			p.bailed = true
			return
		}
		switch first := b[0]; {
		case first >= 0x45 && first <= 0x4f:
			v = 4
		case first >= 0x60 && first <= 0x6f:
			v = 6
		}
	}
	if v == 0 {
		p.defaultPrint(b)
		if len(b) < length && !p.opts.Quiet && !p.dumpsHex() {
			p.truncBail("mpls") // the dump of the payload stopped short, jumping out
		}
		return
	}
	if p.opts.Verbose > 0 {
		p.s("\n\t")
	} else {
		p.c(' ')
	}
	if v == 4 {
		p.ipv4(b, length)
	} else {
		p.ipv6(b, length)
	}
}

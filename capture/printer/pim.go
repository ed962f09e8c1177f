package printer

// PIM (RFC 7761) as tcpdump 4.99's pim_print: the version and message
// type, with -v the checksum and a Hello's options, with -vv each option's
// value in hex too and a Hello's address list.

var pimTypes = map[uint32]string{0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune",
	4: "Bootstrap", 5: "Assert", 6: "Graft", 7: "Graft Acknowledgement", 8: "Candidate RP Advertisement",
	9: "Prune Refresh"}

var pimHelloOptions = map[uint32]string{1: "Hold Time", 2: "LAN Prune Delay", 18: "DR Priority (Old)",
	19: "DR Priority", 20: "Generation ID", 21: "State Refresh Capability", 22: "Bi-Directional Capability",
	24: "Address List", 65001: "Address List (Old)"}

func (p *Printer) pim(b []byte, length int) {
	if len(b) < 1 {
		p.trunc("pim")
		return
	}
	version, typ := b[0]>>4, b[0]&0x0f
	p.s("PIMv")
	p.u(uint64(version))
	name, ok := tok(pimTypes, uint32(typ))
	if !ok {
		name = "Unknown Type"
	}
	if version == 2 && p.opts.Verbose == 0 {
		p.s(", ")
		p.s(name)
	}
	p.s(", length ")
	p.i(length)
	if version != 2 || p.opts.Verbose == 0 {
		return
	}
	p.s("\n\t")
	p.s(name)
	if len(b) < 4 {
		p.trunc("pimv2")
		return
	}
	p.s(", cksum 0x")
	p.x(uint64(be16(b[2:])), 4)
	switch {
	case be16(b[2:]) == 0 || typ == 1 || len(b) < length:
		p.s(" (unverified)")
	case p.pimSum(b[:length]) == 0xffff:
		p.s(" (correct)")
	default:
		p.s(" (incorrect)")
	}
	if typ == 0 {
		p.pimHello(b[4:min(len(b), length)])
	}
}

// pimSum is the message's checksum, over an IPv6 pseudo-header too.
func (p *Printer) pimSum(b []byte) uint32 {
	if p.ipc.v == 6 {
		return checksum(p.pseudoSum(103, len(b)), b)
	}
	return checksum(0, b)
}

// pimAddrList prints a Hello's encoded unicast addresses, one a line;
// false for one it cannot read, which ends the message.
func (p *Printer) pimAddrList(v []byte) bool {
	for len(v) > 0 {
		p.s("\n\t    ")
		if len(v) < 2 || v[1] != 0 {
			return false
		}
		switch {
		case v[0] == 1 && len(v) >= 6:
			p.ip4(v[2:])
			v = v[6:]
		case v[0] == 2 && len(v) >= 18:
			p.ip6(v[2:])
			v = v[18:]
		default:
			return false
		}
	}
	return true
}

// pimLenError ends a Hello whose option has the wrong length.
func (p *Printer) pimLenError(want, n int) {
	p.s("[option length ")
	p.i(n)
	p.s(" != ")
	p.i(want)
	p.s("] (invalid)")
}

// pimHello prints the Hello options tcpdump decodes; the others by name.
func (p *Printer) pimHello(b []byte) {
	for len(b) >= 4 {
		code, n := uint32(be16(b)), int(be16(b[2:]))
		name, ok := tok(pimHelloOptions, code)
		if !ok {
			name = "Unknown"
		}
		p.s("\n\t  ")
		p.s(name)
		p.s(" Option (")
		p.u(uint64(code))
		p.s("), length ")
		p.i(n)
		p.s(", Value: ")
		if len(b) < 4+n {
			p.trunc("pimv2")
			return
		}
		v := b[4 : 4+n]
		switch {
		case code == 1 && n != 2:
			p.pimLenError(2, n)
			return
		case (code == 2 || code == 20 || code == 21) && n != 4, (code == 18 || code == 19) && n != 4 && n != 0:
			p.pimLenError(4, n)
			return
		case (code == 18 || code == 19) && n == 0:
			p.s("Bi-Directional Capability (Old)")
		case code == 1:
			p.relts(uint32(be16(v)))
		case code == 21:
			p.c('v')
			p.u(uint64(v[0]))
			if v[1] != 0 {
				p.s(", interval ")
				p.relts(uint32(v[1]))
			}
			if be16(v[2:]) != 0 {
				p.s(" ?0x")
				p.x(uint64(be16(v[2:])), 4)
				p.c('?')
			}
		case (code == 24 || code == 65001) && p.opts.Verbose > 1:
			if !p.pimAddrList(v) {
				p.trunc("pimv2")
				return
			}
		case code == 2 && n == 4:
			p.s("\n\t    T-bit=")
			p.u(uint64(v[0] >> 7))
			p.s(", LAN delay ")
			p.u(uint64(be16(v) & 0x7fff))
			p.s("ms, Override interval ")
			p.u(uint64(be16(v[2:])))
			p.s("ms")
		case (code == 18 || code == 19) && n == 4:
			p.u(uint64(be32(v)))
		case code == 20 && n == 4:
			p.s("0x")
			p.x(uint64(be32(v)), 8)
		case !ok && p.opts.Verbose == 1:
			p.hexdumpAfter("\n\t    ", v, false)
		}
		if p.opts.Verbose > 1 {
			// -vv adds a hex dump of every option's value.
			p.hexdumpAfter("\n\t    ", v, false)
		}
		b = b[4+n:]
	}
}

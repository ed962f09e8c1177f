package printer

// PIM (RFC 7761) as tcpdump 4.99's pim_print: the version and message
// type, and with -v the checksum and a Hello's common options.

var pimTypes = map[uint32]string{0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune",
	4: "Bootstrap", 5: "Assert", 6: "Graft", 7: "Graft Acknowledgement", 8: "Candidate RP Advertisement",
	9: "Prune Refresh"}

var pimHelloOptions = map[uint32]string{1: "Hold Time", 2: "LAN Prune Delay", 18: "DR Priority (Old)",
	19: "DR Priority", 20: "Generation ID", 21: "State Refresh Capability", 22: "Bi-Directional Capable",
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
		case code == 1 && n == 2:
			p.relts(uint32(be16(v)))
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
		}
		b = b[4+n:]
	}
}

package printer

// dnsTypes is tcpdump 4.99's ns_type2str: newer types print as TypeN.
var dnsTypes = map[uint32]string{
	1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR", 10: "NULL",
	11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
	19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP_PTR", 24: "SIG", 25: "KEY", 26: "PX",
	27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA",
	35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL",
	43: "DS", 44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 99: "SPF",
	100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC", 104: "UNSPECA", 249: "TKEY", 250: "TSIG",
	251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI",
}

var dnsClasses = map[uint32]string{1: "IN", 3: "CHAOS", 4: "HS", 255: "ANY"}

var dnsOps = [16]string{"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7", " op8",
	" updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"}

var dnsRcodes = [...]string{"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain",
	" YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange",
	" BadVers"}

// dns prints tcpdump's one-line summary of a DNS message; mdns marks
// multicast DNS, whose class fields carry the QU and cache-flush bits.
func (p *Printer) dns(b []byte, length int, mdns bool) {
	p.mdns = mdns
	if length < 12 {
		p.s("domain [length ")
		p.i(length)
		p.s(" < 12] (invalid)")
		return
	}
	if len(b) < 12 {
		p.trunc("domain")
		return
	}
	id := be16(b)
	flags := be16(b[2:])
	qd, an, ns, ar := int(be16(b[4:])), int(be16(b[6:])), int(be16(b[8:])), int(be16(b[10:]))
	opcode := flags >> 11 & 0xf
	rcode := int(flags & 0xf)
	rcode |= p.dnsExtRcode(b, qd, an+ns, ar)
	if flags&0x8000 != 0 {
		p.u(uint64(id))
		p.s(dnsOps[opcode])
		if rcode < len(dnsRcodes) {
			p.s(dnsRcodes[rcode])
		} else {
			p.s(" Resp")
			p.i(rcode)
		}
		if flags&0x0400 != 0 {
			p.c('*')
		}
		if flags&0x0080 == 0 {
			p.c('-')
		}
		if flags&0x0200 != 0 {
			p.c('|')
		}
		if flags&0x0020 != 0 {
			p.c('$')
		}
		p.dnsCount(qd, 1, "q]")
		cp := 12
		for i := 0; i < qd; i++ {
			if i != 0 {
				p.c(',')
			}
			if p.opts.Verbose > 1 {
				p.s(" q:")
				n, ok := p.dnsQuestion(b, cp)
				if !ok {
					p.trunc("domain")
					return
				}
				cp = n
				continue
			}
			n, ok := dnsSkip(b, cp)
			if !ok {
				p.trunc("domain")
				return
			}
			cp = n + 4
		}
		p.c(' ')
		p.i(an)
		p.c('/')
		p.i(ns)
		p.c('/')
		p.i(ar)
		for i := 0; i < an; i++ {
			if i > 0 {
				if cp >= len(b) {
					p.trunc("domain")
					return
				}
				p.c(',')
			}
			n, ok := p.dnsRR(b, cp)
			if !ok {
				p.trunc("domain")
				return
			}
			cp = n
		}
		if p.opts.Verbose > 1 {
			var ok bool
			if cp, ok = p.dnsSection(b, cp, " ns:", ns, true); !ok {
				return
			}
			if _, ok = p.dnsSection(b, cp, " ar:", ar, true); !ok {
				return
			}
		}
	} else {
		p.u(uint64(id))
		p.s(dnsOps[opcode])
		if flags&0x0100 != 0 {
			p.c('+')
		}
		if flags&0x0010 != 0 {
			p.c('%')
		}
		if flags&0x6cf != 0 {
			p.s(" [b2&3=0x")
			p.x(uint64(flags), 1)
			p.c(']')
		}
		if opcode == 1 {
			p.dnsCount(qd, 0, "q]")
			p.dnsCount(an, 1, "a]")
		} else {
			p.dnsCount(an, 0, "a]")
			p.dnsCount(qd, 1, "q]")
		}
		p.dnsCount(ns, 0, "n]")
		p.dnsCount(ar, 0, "au]")
		cp := 12
		for i := 0; i < qd; i++ {
			if i > 0 && cp >= len(b) {
				p.trunc("domain")
				return
			}
			n, ok := p.dnsQuestion(b, cp)
			if !ok {
				p.trunc("domain")
				return
			}
			cp = n
		}
		if p.opts.Verbose > 1 {
			var ok bool
			for _, sec := range []struct {
				name  string
				count int
			}{{" an:", an}, {" ns:", ns}, {" ar:", ar}} {
				if cp, ok = p.dnsSection(b, cp, sec.name, sec.count, false); !ok {
					return
				}
			}
		}
	}
	p.s(" (")
	p.i(length)
	p.c(')')
}

// dnsCount prints a section's count as " [Nq]" when it is not the
// usual one.
func (p *Printer) dnsCount(n, usual int, tag string) {
	if n != usual {
		p.s(" [")
		p.i(n)
		p.s(tag)
	}
}

// dnsExtRcode finds the EDNS OPT record's upper rcode bits, as tcpdump
// does before printing anything.
func (p *Printer) dnsExtRcode(b []byte, qd, anns, ar int) int {
	cp := 12
	var ok bool
	for i := 0; i < qd; i++ {
		if cp, ok = dnsSkip(b, cp); !ok {
			return 0
		}
		if cp += 4; cp >= len(b) {
			return 0
		}
	}
	for i := 0; i < anns; i++ {
		if cp, ok = dnsSkip(b, cp); !ok {
			return 0
		}
		if cp += 8; cp+2 > len(b) {
			return 0
		}
		if cp += 2 + int(be16(b[cp:])); cp >= len(b) {
			return 0
		}
	}
	for i := 0; i < ar; i++ {
		if cp, ok = dnsSkip(b, cp); !ok || cp+2 > len(b) {
			return 0
		}
		typ := be16(b[cp:])
		if cp += 4; cp+1 > len(b) {
			return 0
		}
		if typ == 41 {
			return int(b[cp]) << 4
		}
		if cp += 4; cp+2 > len(b) {
			return 0
		}
		if cp += 2 + int(be16(b[cp:])); cp >= len(b) {
			return 0
		}
	}
	return 0
}

// dnsSkip returns the offset after the name at off, as ns_nskip.
func dnsSkip(b []byte, off int) (int, bool) {
	if off >= len(b) {
		return 0, false
	}
	i := int(b[off])
	off++
	for i != 0 {
		switch i & 0xc0 {
		case 0xc0:
			return off + 1, true
		case 0x40:
			if i&0x3f != 1 || off >= len(b) {
				return 0, false // an unknown extended label type
			}
			bits := int(b[off])
			if bits == 0 {
				bits = 256
			}
			off++
			i = (bits + 7) / 8
		}
		off += i
		if off >= len(b) {
			return 0, false
		}
		i = int(b[off])
		off++
	}
	return off, true
}

// dnsLabelLen is tcpdump's labellen: the length of the label at off, 0
// for a pointer; false (after printing why) for a label it cannot read.
func (p *Printer) dnsLabelLen(b []byte, off int) (int, bool) {
	if off >= len(b) {
		return 0, false
	}
	i := int(b[off])
	switch i & 0xc0 {
	case 0xc0:
		return 0, true
	case 0x80:
		p.s("<BAD LABEL TYPE>")
		return 0, false
	case 0x40:
		if elt := i & 0x3f; elt != 1 {
			p.s("<ELT ")
			p.i(elt)
			p.c('>')
			return 0, false
		}
		if off+1 >= len(b) {
			return 0, false
		}
		bits := int(b[off+1])
		if bits == 0 {
			bits = 256
		}
		return (bits+7)/8 + 1, true
	}
	return i, true
}

// dnsName prints the name at off as tcpdump's fqdn_print: compression
// pointers must point backwards, names stop at 255 characters. It returns
// the offset after the name in its record.
func (p *Printer) dnsName(b []byte, off int) (int, bool) {
	const maxName = 255
	l, ok := p.dnsLabelLen(b, off)
	if !ok {
		return 0, false
	}
	maxOff := off
	i := int(b[off])
	off++
	rp, compress := -1, false
	if i&0xc0 != 0xc0 {
		rp = off + l
	}
	if i == 0 {
		p.c('.')
		return rp, true
	}
	chars := 0
	for i != 0 && off < len(b) {
		if i&0xc0 == 0xc0 {
			if !compress {
				rp, compress = off+1, true
			}
			o := (i<<8 | int(b[off])) & 0x3fff
			if o >= maxOff {
				p.s("<BAD PTR>")
				return 0, false
			}
			maxOff, off = o, o
			i = int(b[off])
			if l, ok = p.dnsLabelLen(b, off); !ok {
				return 0, false
			}
			off++
			continue
		}
		if i&0xc0 == 0x40 {
			return 0, false // bit-string labels (RFC 2673) are not printed
		}
		if n := min(l, maxName-chars); n > 0 && !p.printn(b, off, n) {
			return 0, false
		}
		chars += l
		off += l
		if chars <= maxName {
			p.c('.')
		}
		if off >= len(b) {
			return 0, false
		}
		i = int(b[off])
		if l, ok = p.dnsLabelLen(b, off); !ok {
			return 0, false
		}
		off++
		if !compress {
			rp += l + 1
		}
	}
	if chars > maxName {
		p.s("<DOMAIN NAME TOO LONG>")
	}
	// A pointer never followed leaves no end: tcpdump's NULL.
	return rp, rp >= 0
}

// printn prints n characters at off, or those captured and false.
func (p *Printer) printn(b []byte, off, n int) bool {
	for k := off; k < off+n; k++ {
		if k >= len(b) {
			return false
		}
		p.printable(b[k])
	}
	return true
}

// printable appends c as tcpdump's fn_print_char does.
func (p *Printer) printable(c byte) {
	if c >= 0x80 {
		p.s("M-")
		c &= 0x7f
	}
	if c < 0x20 || c == 0x7f {
		p.c('^')
		p.c(c ^ 0x40)
		return
	}
	p.c(c)
}

func (p *Printer) dnsType(t uint16) {
	if name, ok := tok(dnsTypes, uint32(t)); ok {
		p.s(name)
		return
	}
	p.s("Type")
	p.u(uint64(t))
}

func (p *Printer) dnsClass(c uint16) {
	if name, ok := tok(dnsClasses, uint32(c)); ok {
		p.s(name)
		return
	}
	p.s("(Class ")
	p.u(uint64(c))
	p.c(')')
}

func (p *Printer) dnsQuestion(b []byte, off int) (int, bool) {
	n, ok := dnsSkip(b, off)
	if !ok || n+4 > len(b) {
		return 0, false
	}
	p.c(' ')
	p.dnsType(be16(b[n:]))
	c := be16(b[n+2:])
	class := c
	if p.mdns {
		class &= 0x7fff
	}
	if class != 1 {
		p.c(' ')
		p.dnsClass(class)
	}
	if p.mdns {
		if c&0x8000 != 0 {
			p.s(" (QU)")
		} else {
			p.s(" (QM)")
		}
	}
	p.s("? ")
	if _, ok := p.dnsName(b, off); !ok {
		return 0, false
	}
	return n + 4, true
}

func (p *Printer) dnsRR(b []byte, off int) (int, bool) {
	var cp int
	var ok bool
	if p.opts.Verbose > 0 {
		p.c(' ')
		if cp, ok = p.dnsName(b, off); !ok {
			return 0, false
		}
	} else if cp, ok = dnsSkip(b, off); !ok {
		return len(b), true
	}
	if cp+10 > len(b) {
		return len(b), true
	}
	typ, class := be16(b[cp:]), be16(b[cp+2:])
	shown := class
	if p.mdns {
		shown &= 0x7fff
	}
	if shown != 1 && typ != 41 {
		p.c(' ')
		p.dnsClass(shown)
	}
	if p.mdns && class&0x8000 != 0 {
		p.s(" (Cache flush)")
	}
	optFlags := be16(b[cp+6:])
	if typ != 41 && p.opts.Verbose > 2 {
		p.s(" [")
		p.relts(be32(b[cp+4:]))
		p.c(']')
	}
	rdlen := int(be16(b[cp+8:]))
	cp += 10
	rp := cp + rdlen
	p.c(' ')
	p.dnsType(typ)
	if rp > len(b) {
		return 0, false
	}
	rd := b[cp:rp]
	switch typ {
	case 1:
		// tcpdump reads the address whatever the record's length says.
		if cp+4 > len(b) {
			return 0, false
		}
		p.c(' ')
		p.ip4(b[cp:])
	case 2, 5, 12, 39:
		p.c(' ')
		if _, ok := p.dnsName(b, cp); !ok {
			return 0, false
		}
	case 6:
		if p.opts.Verbose == 0 {
			break
		}
		p.c(' ')
		n, ok := p.dnsName(b, cp)
		if !ok {
			return 0, false
		}
		p.c(' ')
		if n, ok = p.dnsName(b, n); !ok || n+20 > len(b) {
			return 0, false
		}
		for i := 0; i < 5; i++ {
			p.c(' ')
			p.u(uint64(be32(b[n+4*i:])))
		}
	case 15:
		if len(rd) < 2 {
			return 0, false
		}
		p.c(' ')
		if _, ok := p.dnsName(b, cp+2); !ok {
			return 0, false
		}
		p.c(' ')
		p.u(uint64(be16(rd)))
	case 16:
		for len(rd) > 0 {
			n := int(rd[0])
			if 1+n > len(rd) {
				return 0, false
			}
			p.s(" \"")
			for _, c := range rd[1 : 1+n] {
				p.printable(c)
			}
			p.c('"')
			rd = rd[1+n:]
		}
	case 33:
		if len(rd) < 6 {
			return 0, false
		}
		p.c(' ')
		if _, ok := p.dnsName(b, cp+6); !ok {
			return 0, false
		}
		p.c(':')
		p.u(uint64(be16(rd[4:])))
		p.c(' ')
		p.u(uint64(be16(rd)))
		p.c(' ')
		p.u(uint64(be16(rd[2:])))
	case 28:
		if cp+16 > len(b) {
			return 0, false
		}
		p.c(' ')
		p.ip6(b[cp:])
	case 41:
		p.s(" UDPsize=")
		p.u(uint64(class))
		if optFlags&0x8000 != 0 {
			p.s(" DO")
		}
	}
	return rp, true
}

// dnsSection prints -vv's " ns:" and " ar:" record lists. A response prints
// a section only while bytes remain (lazy), a query whenever it has records;
// false means the message was cut short and the truncation mark printed.
func (p *Printer) dnsSection(b []byte, cp int, name string, count int, lazy bool) (int, bool) {
	if count == 0 || (lazy && cp >= len(b)) {
		if count > 0 {
			p.trunc("domain")
			return 0, false
		}
		return cp, true
	}
	p.s(name)
	for i := 0; i < count; i++ {
		if i > 0 {
			if cp >= len(b) {
				p.trunc("domain")
				return 0, false
			}
			p.c(',')
		}
		n, ok := p.dnsRR(b, cp)
		if !ok {
			p.trunc("domain")
			return 0, false
		}
		cp = n
	}
	return cp, true
}

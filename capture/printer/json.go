package printer

// AppendJSON appends pkt as one JSON object and a newline: the time, the
// link type, lengths, and the main fields of each layer tcpdump would
// print, plus "summary", the tcpdump line itself.
func (p *Printer) AppendJSON(dst []byte, pkt *Packet) []byte {
	// The summary is the text output without timestamp, namespace prefix
	// (both have their own fields) or hex dump; -v's second line stays,
	// after an escaped newline.
	ts, hex := p.opts.Timestamp, p.opts.Hex
	p.opts.Timestamp, p.opts.Hex = TimestampNone, HexNone
	bare := *pkt
	bare.NetNS = ""
	line := p.Append(p.jline[:0], &bare)
	p.opts.Timestamp, p.opts.Hex = ts, hex
	p.jline = line
	line = line[:len(line)-1]
	p.b = dst
	p.s(`{"time":"`)
	p.b = pkt.Time.UTC().AppendFormat(p.b, "2006-01-02T15:04:05.000000000Z07:00")
	p.s(`"`)
	if pkt.NetNS != "" {
		p.s(`,"netns":`)
		p.jstr(pkt.NetNS)
	}
	if pkt.Interface != "" {
		p.s(`,"interface":`)
		p.jstr(pkt.Interface)
	}
	p.s(`,"caplen":`)
	p.i(len(pkt.Data))
	p.s(`,"len":`)
	p.i(max(pkt.Length, len(pkt.Data)))
	p.jlayers(pkt)
	p.s(`,"summary":`)
	p.jstrb(line)
	p.s("}\n")
	out := p.b
	p.b = nil
	return out
}

func (p *Printer) jstr(s string) { p.jstrb([]byte(s)) }

// jstrb appends b as a JSON string, escaping what JSON requires.
func (p *Printer) jstrb(b []byte) {
	p.c('"')
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			p.c('\\')
			p.c(c)
		case c == '\n':
			p.s(`\n`)
		case c == '\t':
			p.s(`\t`)
		case c < 0x20 || c >= 0x7f:
			p.s(`\u00`)
			p.c(hexDigits[c>>4])
			p.c(hexDigits[c&0xf])
		default:
			p.c(c)
		}
	}
	p.c('"')
}

func (p *Printer) jkey(k string) {
	p.s(`,"`)
	p.s(k)
	p.s(`":`)
}

func (p *Printer) jnum(k string, n uint64) {
	p.jkey(k)
	p.u(n)
}

// jlayers appends the decoded layers as "eth", "vlan", "ip", "tcp"... objects.
func (p *Printer) jlayers(pkt *Packet) {
	b := pkt.Data
	var typ uint16
	switch pkt.LinkType {
	case 1:
		if len(b) < 14 {
			return
		}
		p.s(`,"eth":{"src":"`)
		p.mac(b[6:12])
		p.s(`","dst":"`)
		p.mac(b[0:6])
		typ = be16(b[12:])
		p.s(`","type":`)
		p.u(uint64(typ))
		p.c('}')
		b = b[14:]
		for (typ == 0x8100 || typ == 0x88a8) && len(b) >= 4 {
			p.s(`,"vlan":{"id":`)
			p.u(uint64(be16(b) & 0xfff))
			p.s(`,"pcp":`)
			p.u(uint64(be16(b) >> 13))
			p.c('}')
			typ = be16(b[2:])
			b = b[4:]
		}
	case 113:
		if len(b) < 16 {
			return
		}
		typ = be16(b[14:])
		p.s(`,"sll":{"direction":"`)
		p.s(sllType(be16(b)))
		p.s(`","type":`)
		p.u(uint64(typ))
		p.c('}')
		b = b[16:]
	case 276:
		if len(b) < 20 {
			return
		}
		typ = be16(b)
		p.s(`,"sll2":{"ifindex":`)
		p.u(uint64(be32(b[4:])))
		p.s(`,"direction":"`)
		p.s(sllType(uint16(b[10])))
		p.s(`","type":`)
		p.u(uint64(typ))
		p.c('}')
		b = b[20:]
	case 101, 12, 228, 229:
		if len(b) > 0 && b[0]>>4 == 6 {
			typ = 0x86dd
		} else {
			typ = 0x0800
		}
	}
	var nh byte
	switch {
	case typ == 0x0800 && len(b) >= 20 && b[0]>>4 == 4:
		hl := int(b[0]&0xf) * 4
		p.s(`,"ip":{"version":4,"src":"`)
		p.ip4(b[12:])
		p.s(`","dst":"`)
		p.ip4(b[16:])
		p.c('"')
		p.jnum("ttl", uint64(b[8]))
		p.jnum("id", uint64(be16(b[4:])))
		p.jnum("proto", uint64(b[9]))
		p.jnum("length", uint64(be16(b[2:])))
		off := be16(b[6:])
		p.jnum("frag_offset", uint64(off&0x1fff)*8)
		p.s(`,"df":`)
		p.bool(off&0x4000 != 0)
		p.s(`,"mf":`)
		p.bool(off&0x2000 != 0)
		p.c('}')
		if off&0x1fff != 0 || hl < 20 || hl > len(b) {
			return
		}
		nh, b = b[9], b[hl:]
	case typ == 0x86dd && len(b) >= 40:
		p.s(`,"ip":{"version":6,"src":"`)
		p.ip6(b[8:])
		p.s(`","dst":"`)
		p.ip6(b[24:])
		p.c('"')
		p.jnum("hlim", uint64(b[7]))
		p.jnum("next_header", uint64(b[6]))
		p.jnum("payload_length", uint64(be16(b[4:])))
		p.c('}')
		nh, b = b[6], b[40:]
		for (nh == 0 || nh == 60 || nh == 43) && len(b) >= 8 && len(b) >= (int(b[1])+1)*8 {
			nh, b = b[0], b[(int(b[1])+1)*8:]
		}
		if nh == 44 && len(b) >= 8 && be16(b[2:])&0xfff8 == 0 {
			nh, b = b[0], b[8:]
		}
	case (typ == 0x0806 || typ == 0x8035) && len(b) >= 28 && b[4] == 6 && b[5] == 4:
		p.s(`,"arp":{"op":`)
		p.u(uint64(be16(b[6:])))
		p.s(`,"sender_mac":"`)
		p.mac(b[8:14])
		p.s(`","sender_ip":"`)
		p.ip4(b[14:])
		p.s(`","target_mac":"`)
		p.mac(b[18:24])
		p.s(`","target_ip":"`)
		p.ip4(b[24:])
		p.s(`"}`)
		return
	default:
		return
	}
	switch {
	case nh == 6 && len(b) >= 20:
		p.s(`,"tcp":{"sport":`)
		p.u(uint64(be16(b)))
		p.jnum("dport", uint64(be16(b[2:])))
		p.jnum("seq", uint64(be32(b[4:])))
		p.jnum("ack", uint64(be32(b[8:])))
		p.s(`,"flags":"`)
		for i, ch := range tcpFlagChars {
			if b[13]&(1<<i) != 0 {
				p.c(ch)
			}
		}
		p.c('"')
		p.jnum("win", uint64(be16(b[14:])))
		p.c('}')
	case nh == 17 && len(b) >= 8:
		p.s(`,"udp":{"sport":`)
		p.u(uint64(be16(b)))
		p.jnum("dport", uint64(be16(b[2:])))
		p.jnum("length", uint64(be16(b[4:])))
		p.c('}')
	case (nh == 1 || nh == 58) && len(b) >= 4:
		if nh == 1 {
			p.s(`,"icmp":{"type":`)
		} else {
			p.s(`,"icmp6":{"type":`)
		}
		p.u(uint64(b[0]))
		p.jnum("code", uint64(b[1]))
		if len(b) >= 8 && (nh == 1 && (b[0] == 0 || b[0] == 8) || nh == 58 && (b[0] == 128 || b[0] == 129)) {
			p.jnum("id", uint64(be16(b[4:])))
			p.jnum("seq", uint64(be16(b[6:])))
		}
		p.c('}')
	}
}

func (p *Printer) bool(v bool) {
	if v {
		p.s("true")
	} else {
		p.s("false")
	}
}

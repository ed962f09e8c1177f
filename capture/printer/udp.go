package printer

// udpAddrs prints the "addr.port > addr.port: " head of a UDP line; after an
// IPv6 extension header tcpdump prints the ports alone.
func (p *Printer) udpAddrs(sport, dport int) {
	if p.ipc.proto == 17 {
		if sport < 0 {
			p.addrs()
		} else {
			p.hostPort(p.ipc.src, uint16(sport))
			p.s(" > ")
			p.hostPort(p.ipc.dst, uint16(dport))
		}
		p.s(": ")
		return
	}
	if sport >= 0 {
		p.i(sport)
		p.s(" > ")
		p.i(dport)
		p.s(": ")
	}
}

func (p *Printer) udp(b []byte, length int, fragmented bool) {
	if len(b) < 4 {
		p.udpAddrs(-1, -1)
		p.trunc("udp")
		return
	}
	sport, dport := int(be16(b)), int(be16(b[2:]))
	if length < 8 {
		p.udpAddrs(sport, dport)
		p.s("truncated-udp ")
		p.i(length)
		return
	}
	if len(b) < 6 {
		p.udpAddrs(sport, dport)
		p.trunc("udp")
		return
	}
	ulen := int(be16(b[4:]))
	if ulen == 0 && length > 65535 {
		ulen = length
	}
	if ulen < 8 {
		p.udpAddrs(sport, dport)
		p.s("truncated-udplength ")
		p.i(ulen)
		return
	}
	ulen -= 8
	length -= 8
	if ulen < length {
		length = ulen
	}
	if len(b) < 8 {
		p.udpAddrs(sport, dport)
		p.trunc("udp")
		return
	}
	p.udpAddrs(sport, dport)
	// Decoders see the bytes up to the end of the IP packet, as tcpdump's
	// do, even where the UDP length says less.
	payload := b[8:]
	// tcpdump checks UDP checksums from -v over IPv6 (where they are
	// mandatory) but only from -vv over IPv4.
	field := be16(b[6:8])
	switch {
	case p.opts.Verbose == 0 || p.opts.NoChecksums || fragmented:
	case p.ipc.v == 4 && p.opts.Verbose > 1 && field == 0:
		p.s("[no cksum] ")
	case (p.ipc.v == 6 || p.opts.Verbose > 1) && len(b) >= length+8:
		if sum := checksum(p.pseudoSum(17, length+8), b[:length+8]); sum != 0xffff {
			should := ^checksum(checksum(p.pseudoSum(17, length+8), b[:6]), b[8:length+8]) & 0xffff
			p.s("[bad udp cksum 0x")
			p.x(uint64(field), 4)
			p.s(" -> 0x")
			p.x(uint64(should), 4)
			p.s("!] ")
		} else {
			p.s("[udp sum ok] ")
		}
	}
	if !p.opts.Quiet && p.udpApp(sport, dport, payload, length) {
		return
	}
	if ulen > length && !fragmented {
		p.s("UDP, bad length ")
		p.i(ulen)
		p.s(" > ")
		p.i(length)
		return
	}
	p.s("UDP, length ")
	p.i(ulen)
}

package printer

// SCTP (RFC 9260) as tcpdump 4.99's sctp_print: the ports, then one
// "(N) [TYPE] ..." per chunk, with the fields of DATA, INIT, INIT ACK and
// SACK; -vv puts each chunk on its own line and DATA's payload in hex.

var sctpChunkNames = map[uint32]string{
	0x00: "DATA", 0x01: "INIT", 0x02: "INIT ACK", 0x03: "SACK", 0x04: "HB REQ", 0x05: "HB ACK",
	0x06: "ABORT", 0x07: "SHUTDOWN", 0x08: "SHUTDOWN ACK", 0x09: "OP ERR", 0x0a: "COOKIE ECHO",
	0x0b: "COOKIE ACK", 0x0c: "ECN ECHO", 0x0d: "ECN CWR", 0x0e: "SHUTDOWN COMPLETE", 0x40: "I-DATA",
	0x80: "ASCONF-ACK", 0x82: "RE-CONFIG", 0xc0: "FOR CUM TSN", 0xc1: "ASCONF", 0xc2: "I-FORWARD-FSN",
}

var sctpPPIDs = map[uint32]string{
	1: "ISDN Q.921", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5.2", 7: "H.248", 8: "BICC",
	9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC", 15: "SIMCO", 16: "DDPSC",
	17: "DDPSSC", 18: "S1AP", 19: "RUA", 20: "HNBAP", 21: "ForCES HP", 22: "ForCES MP", 23: "ForCES LP",
	24: "SBc-AP", 25: "NBAP", 27: "X2AP",
}

func (p *Printer) sctp(b []byte, length int) {
	if length < 12 {
		p.s("truncated-sctp - ")
		p.i(12 - length)
		p.s(" bytes missing!")
		return
	}
	if len(b) < 12 {
		p.trunc("sctp")
		return
	}
	p.hostPort(p.ipc.src, be16(b))
	p.s(" > ")
	p.hostPort(p.ipc.dst, be16(b[2:]))
	p.s(": sctp")
	sep := " ("
	if p.opts.Verbose >= 2 {
		sep = "\n\t"
	}
	cp, left := 12, length-12
	for n := 1; left != 0; n++ {
		if left < 4 {
			p.s(sep)
			p.i(n)
			p.s(") [chunk descriptor cut off at end of packet]")
			return
		}
		if len(b) < cp+4 {
			p.trunc("sctp")
			return
		}
		clen := int(be16(b[cp+2:]))
		if clen < 4 {
			p.s(sep)
			p.i(n)
			p.s(") [Bad chunk length ")
			p.i(clen)
			p.s(", < size of chunk descriptor]")
			return
		}
		align := (4 - clen%4) % 4
		if left < align {
			p.s(sep)
			p.i(n)
			p.s(") [Bad chunk length ")
			p.i(clen)
			p.s(", > remaining data in packet]")
			return
		}
		if len(b) < cp+clen {
			p.trunc("sctp")
			return
		}
		p.s(sep)
		p.i(n)
		p.s(") [")
		id, flags := b[cp], b[cp+1]
		if name, ok := tok(sctpChunkNames, uint32(id)); ok {
			p.s(name)
		} else {
			p.s("Unknown chunk type: 0x")
			p.x(uint64(id), 1)
		}
		p.s("] ")
		if !p.sctpChunk(id, flags, b[cp+4:cp+clen]) {
			return
		}
		// The chunk and its padding; tcpdump lets the count wrap when a
		// chunk claims more than the packet holds, and so stops.
		left -= clen + align
		cp += clen
		if left < 0 {
			return
		}
		if p.opts.Verbose < 2 {
			sep = ", ("
		}
		if align != 0 {
			if len(b) < cp+align {
				p.trunc("sctp")
				return
			}
			cp += align
		}
	}
}

// sctpChunk prints a chunk's fields after its type; false when the chunk
// was too short and the line ends.
func (p *Printer) sctpChunk(id, flags byte, c []byte) bool {
	switch id {
	case 0x00:
		for _, f := range []struct {
			bit  byte
			name string
		}{{0x04, "(U)"}, {0x02, "(B)"}, {0x01, "(E)"}} {
			if flags&f.bit != 0 {
				p.s(f.name)
			}
		}
		if flags&0x07 != 0 {
			p.c(' ')
		}
		if len(c) < 12 {
			return p.sctpBogus(c)
		}
		p.sctpField("[TSN: ", be32(c), "] ")
		p.sctpField("[SID: ", uint32(be16(c[4:])), "] ")
		p.sctpField("[SSEQ ", uint32(be16(c[6:])), "] ")
		p.s("[PPID ")
		if name, ok := tok(sctpPPIDs, be32(c[8:])); ok {
			p.s(name)
		} else {
			p.s("0x")
			p.x(uint64(be32(c[8:])), 1)
		}
		p.s("] ")
		if len(c) == 12 {
			return p.sctpBogus(c)
		}
		if p.opts.Verbose >= 2 {
			p.s("[Payload")
			if !p.opts.Quiet && !p.dumpsHex() {
				p.c(':')
				p.hexdumpInline(c[12:], true)
			}
			p.c(']')
		}
	case 0x01, 0x02:
		if len(c) < 16 {
			return p.sctpBogus(c)
		}
		p.sctpField("[init tag: ", be32(c), "] ")
		p.sctpField("[rwnd: ", be32(c[4:]), "] ")
		p.sctpField("[OS: ", uint32(be16(c[8:])), "] ")
		p.sctpField("[MIS: ", uint32(be16(c[10:])), "] ")
		p.sctpField("[init TSN: ", be32(c[12:]), "] ")
	case 0x03:
		if len(c) < 12 {
			return p.sctpBogus(c)
		}
		cum := be32(c)
		p.sctpField("[cum ack ", cum, "] ")
		p.sctpField("[a_rwnd ", be32(c[4:]), "] ")
		gaps, dups := int(be16(c[8:])), int(be16(c[10:]))
		p.sctpField("[#gap acks ", uint32(gaps), "] ")
		p.sctpField("[#dup tsns ", uint32(dups), "] ")
		off := 12
		for i := 0; i < gaps && off+4 <= len(c); i, off = i+1, off+4 {
			p.sctpField("\n\t\t[gap ack block #", uint32(i+1), ": start = ")
			p.u(uint64(cum + uint32(be16(c[off:]))))
			p.s(", end = ")
			p.u(uint64(cum + uint32(be16(c[off+2:]))))
			p.s("] ")
		}
		for i := 0; i < dups && off+4 <= len(c); i, off = i+1, off+4 {
			p.sctpField("\n\t\t[dup TSN #", uint32(i+1), ": ")
			p.u(uint64(be32(c[off:])))
			p.s("] ")
		}
	}
	return true
}

// sctpBogus ends the line at a chunk too short for its fields.
func (p *Printer) sctpBogus(c []byte) bool {
	p.s("bogus chunk length ")
	p.i(len(c) + 4)
	p.c(']')
	return false
}

func (p *Printer) sctpField(name string, v uint32, end string) {
	p.s(name)
	p.u(uint64(v))
	p.s(end)
}

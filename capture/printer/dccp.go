package printer

// DCCP (RFC 4340, IP protocol 33) as tcpdump 4.99's dccp_print: ports,
// packet type with its service, reset code or acknowledgement number;
// -v adds CCVal, CsCov and the checksum (over the coverage CsCov sets),
// -vv the sequence number and options.

var dccpTypes = [...]string{"DCCP-Request", "DCCP-Response", "DCCP-Data", "DCCP-Ack", "DCCP-DataAck",
	"DCCP-CloseReq", "DCCP-Close", "DCCP-Reset", "DCCP-Sync", "DCCP-SyncAck"}

var dccpResetCodes = [...]string{"unspecified", "closed", "aborted", "no_connection", "packet_error",
	"option_error", "mandatory_error", "connection_refused", "bad_service_code", "too_busy",
	"bad_init_cookie", "aggression_penalty"}

var dccpFeatures = [...]string{"reserved", "ccid", "allow_short_seqno", "sequence_window", "ecn_incapable",
	"ack_ratio", "send_ack_vector", "send_ndp_count", "minimum checksum coverage", "check data checksum"}

var dccpOptions = map[uint32]string{0: "nop", 1: "mandatory", 2: "slowreceiver", 32: "change_l", 33: "confirm_l",
	34: "change_r", 35: "confirm_r", 36: "initcookie", 37: "ndp_count", 38: "ack_vector0", 39: "ack_vector1",
	40: "data_dropped", 41: "timestamp", 42: "timestamp_echo", 43: "elapsed_time", 44: "data_checksum"}

func (p *Printer) dccp(b []byte, length int) {
	if len(b) < 12 {
		p.trunc("dccp")
		return
	}
	if length < 12 {
		p.s("truncated-dccp - ")
		p.i(12 - length)
		p.s(" bytes missing!")
		return
	}
	ext := b[8]&1 != 0
	fixed := 12
	if ext {
		fixed = 16
	}
	if length < fixed {
		p.s("truncated-dccp - ")
		p.i(fixed - length)
		p.s(" bytes missing!")
		return
	}
	if len(b) < fixed {
		p.trunc("dccp")
		return
	}
	hlen := int(b[4]) * 4
	p.hostPort(p.ipc.src, be16(b))
	p.s(" > ")
	p.hostPort(p.ipc.dst, be16(b[2:]))
	p.s(": DCCP")
	if p.opts.Quiet {
		p.c(' ')
		p.i(length - hlen)
		if hlen > length {
			p.hdrTooLong(hlen, length)
		}
		return
	}
	if p.opts.Verbose > 0 {
		p.s(" (CCVal ")
		p.u(uint64(b[5] >> 4))
		p.s(", CsCov ")
		p.u(uint64(b[5] & 0xf))
		if len(b) >= length {
			p.dccpChecksum(b[:length])
		}
		p.c(')')
	}
	p.c(' ')
	typ := int(b[8] >> 1 & 0xf)
	// Each type's fixed part past the generic header, as tcpdump counts
	// it (8 for an acknowledgement even without the X bit).
	extra := 8
	switch typ {
	case 0:
		extra = 4
	case 1, 7:
		extra = 12
	}
	if typ < len(dccpTypes) && typ != 2 {
		fixed += extra
		if length < fixed {
			p.s("truncated-")
			p.s(dccpTypes[typ])
			p.s(" - ")
			p.i(fixed - length)
			p.s(" bytes missing!")
			return
		}
	}
	base := 12
	if ext {
		base = 16
	}
	switch {
	case typ == 0 || typ == 1 || typ == 7:
		if len(b) < fixed {
			p.trunc("dccp")
			return
		}
		p.s(dccpTypes[typ])
		if typ == 7 {
			p.s(" (code=")
			if c := int(b[base+8]); c < len(dccpResetCodes) {
				p.s(dccpResetCodes[c])
			} else {
				p.s("invalid")
			}
		} else {
			p.s(" (service=")
			p.u(uint64(be32(b[fixed-4:])))
		}
		p.s(") ")
	case typ < len(dccpTypes):
		p.s(dccpTypes[typ])
		p.c(' ')
	default:
		p.s("unknown-type-")
		p.i(typ)
		p.c(' ')
	}
	if typ != 0 && typ != 2 {
		// The acknowledgement number, read as tcpdump reads it even
		// where the type has none.
		n := 4
		if ext {
			n = 8
		}
		if len(b) < base+n {
			p.trunc("dccp")
			return
		}
		p.s("(ack=")
		if ext {
			p.u(uint64(be16(b[base+2:]))<<32 | uint64(be32(b[base+4:])))
		} else {
			p.u(uint64(b[base+1])<<16 | uint64(be16(b[base+2:])))
		}
		p.s(") ")
	}
	if p.opts.Verbose < 2 {
		return
	}
	p.s("seq ")
	if ext {
		p.u(uint64(be16(b[10:]))<<32 | uint64(be32(b[12:])))
	} else {
		p.u(uint64(b[9])<<16 | uint64(be16(b[10:])))
	}
	if hlen > fixed {
		p.s(" <")
		opts, left := b[min(fixed, len(b)):], hlen-fixed
		for {
			n := p.dccpOption(opts, left)
			if n == 0 || left <= n {
				break
			}
			left -= n
			opts = opts[n:]
			p.s(", ")
		}
		p.c('>')
	}
}

// dccpChecksum prints -v's checksum check over the coverage CsCov asks for.
func (p *Printer) dccpChecksum(seg []byte) {
	cov := len(seg)
	if cscov := int(seg[5] & 0xf); cscov != 0 {
		cov = min((int(seg[4])+cscov-1)*4, len(seg))
	}
	field := be16(seg[6:])
	p.s(", cksum 0x")
	p.x(uint64(field), 4)
	if checksum(checksum(p.pseudoSum(33, len(seg)), seg[:cov]), nil) == 0xffff {
		p.s(" (correct)")
		return
	}
	should := ^checksum(checksum(p.pseudoSum(33, len(seg)), seg[:6]), seg[8:cov]) & 0xffff
	p.s(" (incorrect -> 0x")
	p.x(uint64(should), 4)
	p.c(')')
}

// dccpOption prints one option and returns its length, 0 to stop.
func (p *Printer) dccpOption(b []byte, left int) int {
	if len(b) < 1 {
		p.trunc("dccp")
		return 0
	}
	kind := b[0]
	name, ok := tok(dccpOptions, uint32(kind))
	optName := func() {
		if kind >= 128 {
			p.s("CCID option ")
			p.u(uint64(kind))
		} else if ok {
			p.s(name)
		} else {
			p.s("Option ")
			p.u(uint64(kind))
		}
	}
	n := 1
	if kind >= 32 {
		if len(b) < 2 {
			p.trunc("dccp")
			return 0
		}
		n = int(b[1])
		if n < 2 {
			optName()
			p.s(" optlen too short")
			return 0
		}
	}
	if left < n {
		optName()
		p.s(" optlen goes past header length")
		return 0
	}
	if len(b) < n {
		p.trunc("dccp")
		return 0
	}
	optName()
	var v []byte // the value, after kind and length
	if kind >= 32 {
		v = b[2:n]
	}
	switch {
	case kind >= 128:
		if n == 4 {
			p.c(' ')
			p.u(uint64(be16(v)))
		} else if n == 6 {
			p.c(' ')
			p.u(uint64(be32(v)))
		}
	case kind >= 32 && kind <= 35:
		if n < 3 {
			p.s(" optlen too short")
			return n
		}
		if int(v[0]) < len(dccpFeatures) {
			p.c(' ')
			p.s(dccpFeatures[v[0]])
			for _, c := range v[1:] {
				p.c(' ')
				p.u(uint64(c))
			}
		}
	case kind == 36 || kind == 38 || kind == 39 || kind == 40:
		if len(v) > 0 {
			p.s(" 0x")
			p.hexBytes(v)
		}
	case kind == 37:
		for _, c := range v {
			p.c(' ')
			p.u(uint64(c))
		}
	case kind == 41:
		if n == 6 {
			p.c(' ')
			p.u(uint64(be32(v)))
		} else {
			p.s(" [optlen != 6]")
		}
	case kind == 42:
		switch n {
		case 6, 8, 10:
			p.c(' ')
			p.u(uint64(be32(v)))
			if n == 8 {
				p.s(" (elapsed time ")
				p.u(uint64(be16(v[4:])))
				p.c(')')
			} else if n == 10 {
				p.s(" (elapsed time ")
				p.u(uint64(be32(v[4:])))
				p.c(')')
			}
		default:
			p.s(" [optlen != 6 or 8 or 10]")
		}
	case kind == 43:
		switch n {
		case 6:
			p.c(' ')
			p.u(uint64(be32(v)))
		case 4:
			p.c(' ')
			p.u(uint64(be16(v)))
		default:
			p.s(" [optlen != 4 or 6]")
		}
	case kind == 44:
		if len(v) > 0 {
			p.c(' ')
			p.hexBytes(v)
		}
	}
	return n
}

// hexBytes appends b as two lower-case hex digits a byte.
func (p *Printer) hexBytes(b []byte) {
	for _, c := range b {
		p.x(uint64(c), 2)
	}
}

package printer

// tcpKey names a connection in one canonical direction, as tcpdump's
// tcp_seq_hash does, so both directions share the initial sequence numbers.
type tcpKey struct {
	src, dst [16]byte
	ports    uint32
	v6       bool
}

type tcpISN struct{ seq, ack uint32 }

// tcpState is tcpdump's per-connection memory for relative sequence numbers.
type tcpState struct{ conns map[tcpKey]tcpISN }

// maxTCPConns bounds the connections remembered for relative numbering.
const maxTCPConns = 1 << 16

func (s *tcpState) init() { s.conns = make(map[tcpKey]tcpISN) }

const (
	thFIN = 0x01
	thSYN = 0x02
	thRST = 0x04
	thPSH = 0x08
	thACK = 0x10
	thURG = 0x20
	thECE = 0x40
	thCWR = 0x80
)

var tcpFlagChars = [8]byte{'F', 'S', 'R', 'P', '.', 'U', 'E', 'W'}

// tcpOptNames is indexed by option kind: an array, as the hot path
// looks it up for every option of every segment.
var tcpOptNames = [256]string{
	0: "eol", 1: "nop", 2: "mss", 3: "wscale", 4: "sackOK", 5: "sack", 6: "echo", 7: "echoreply",
	8: "TS", 11: "cc", 12: "ccnew", 13: "ccecho", 19: "md5", 20: "scps", 27: "quick-start",
	28: "uto", 29: "tcp-ao", 30: "mptcp", 34: "tfo", 254: "exp",
}

// tcpNumberLen is the size of the number an option holds, for those
// printed as one number.
var tcpNumberLen = [256]int{2: 2, 3: 1, 6: 4, 7: 4, 11: 4, 12: 4, 13: 4}

// hostPort appends "addr.port" for the current IP header; an owner
// annotation goes after the port, so the pair still reads as one token.
func (p *Printer) hostPort(addr []byte, port uint16) {
	n := 4
	if p.ipc.v == 6 {
		n = 16
		p.ip6Bare(addr)
	} else {
		p.ip4Bare(addr)
	}
	p.c('.')
	p.u(uint64(port))
	p.owner(addr[:n])
}

func (p *Printer) addrs() {
	if p.ipc.v == 6 {
		p.ip6(p.ipc.src)
		p.s(" > ")
		p.ip6(p.ipc.dst)
	} else {
		p.ip4(p.ipc.src)
		p.s(" > ")
		p.ip4(p.ipc.dst)
	}
}

func (p *Printer) tcp(b []byte, length int, fragmented bool) {
	if len(b) < 4 {
		p.addrs()
		p.c(':')
		p.trunc("tcp")
		return
	}
	sport, dport := be16(b), be16(b[2:])
	if p.ipc.proto != 6 { // after AH or an IPv6 extension header
		p.u(uint64(sport))
		p.s(" > ")
		p.u(uint64(dport))
	} else {
		p.hostPort(p.ipc.src, sport)
		p.s(" > ")
		p.hostPort(p.ipc.dst, dport)
	}
	p.s(": ")
	if len(b) < 20 {
		p.trunc("tcp")
		return
	}
	hlen := int(b[12]>>4) * 4
	if hlen < 20 {
		p.s(" tcp ")
		p.i(length - hlen)
		p.s(" [bad hdr length ")
		p.i(hlen)
		p.s(" - too short, < 20]")
		return
	}
	seq, ack := be32(b[4:]), be32(b[8:])
	flags := b[13]
	win, urp := be16(b[14:]), be16(b[18:])
	if p.opts.Quiet {
		p.s("tcp ")
		p.i(length - hlen)
		if hlen > length {
			p.hdrTooLong(hlen, length)
		}
		return
	}
	p.s("Flags [")
	if flags == 0 {
		p.s("none")
	}
	for i, ch := range tcpFlagChars {
		if flags&(1<<i) != 0 {
			p.c(ch)
		}
	}
	p.c(']')
	var thseq, thack uint32
	rev := false
	if flags&thACK != 0 && !p.opts.AbsoluteSeq {
		var k tcpKey
		rev = sport > dport || (sport == dport && string(p.ipc.src) > string(p.ipc.dst))
		src, dst := p.ipc.src, p.ipc.dst
		k.ports = uint32(sport)<<16 | uint32(dport)
		if rev {
			src, dst = dst, src
			k.ports = uint32(dport)<<16 | uint32(sport)
		}
		copy(k.src[:], src)
		copy(k.dst[:], dst)
		k.v6 = p.ipc.v == 6
		isn, found := p.conns.conns[k]
		if !found && len(p.conns.conns) >= maxTCPConns {
			// tcpdump never forgets a connection; a long capture of a SYN
			// flood would grow without bound, so start over instead.
			clear(p.conns.conns)
		}
		if !found || flags&thSYN != 0 {
			if rev {
				isn = tcpISN{seq: ack - 1, ack: seq}
			} else {
				isn = tcpISN{seq: seq, ack: ack - 1}
			}
			p.conns.conns[k] = isn
		} else if rev {
			seq -= isn.ack
			ack -= isn.seq
		} else {
			seq -= isn.seq
			ack -= isn.ack
		}
		thseq, thack = isn.seq, isn.ack
	}
	if hlen > length {
		p.hdrTooLong(hlen, length)
		return
	}
	if p.opts.Verbose > 0 && !p.opts.NoChecksums && !fragmented && len(b) >= length {
		p.tcpChecksum(b[:length])
	}
	length -= hlen
	if p.opts.Verbose > 1 || length > 0 || flags&(thSYN|thFIN|thRST) != 0 {
		p.s(", seq ")
		p.u(uint64(seq))
		if length > 0 {
			p.c(':')
			p.u(uint64(seq + uint32(length)))
		}
	}
	if flags&thACK != 0 {
		p.s(", ack ")
		p.u(uint64(ack))
	}
	p.s(", win ")
	p.u(uint64(win))
	if flags&thURG != 0 {
		p.s(", urg ")
		p.u(uint64(urp))
	}
	if hlen > 20 {
		p.s(", options [")
		if !p.tcpOptions(b[20:min(hlen, len(b))], hlen-20, rev, thseq, thack) {
			return
		}
		p.c(']')
	}
	p.s(", length ")
	p.i(length)
	if flags&thRST != 0 && p.opts.Verbose > 0 && length > 0 {
		p.rstData(b[min(hlen, len(b)):], length)
		return
	}
	if length > 0 {
		p.tcpApp(sport, dport, b[min(hlen, len(b)):], length)
	}
}

// tcpOptions prints the options list; false means it ended in a truncation
// or a bad option and the line is over.
func (p *Printer) tcpOptions(b []byte, hlen int, rev bool, thseq, thack uint32) bool {
	var ch byte
	for hlen > 0 {
		if ch != 0 {
			p.c(ch)
		}
		if len(b) < 1 {
			p.truncBail("tcp")
			return false
		}
		opt := b[0]
		b = b[1:]
		n := 1
		if opt != 0 && opt != 1 {
			if len(b) < 1 {
				p.truncBail("tcp")
				return false
			}
			n = int(b[0])
			b = b[1:]
			if n < 2 || n > hlen {
				p.s("[bad opt]")
				if ch != 0 {
					p.c(']')
				}
				return false
			}
			hlen--
			n--
		}
		hlen--
		if name := tcpOptNames[opt]; name != "" {
			p.s(name)
		} else {
			p.s("unknown-")
			p.u(uint64(opt))
		}
		datalen := 0
		need := func(l int) bool {
			if l > hlen {
				p.s("[bad opt]")
				if ch != 0 {
					p.c(']')
				}
				return false
			}
			if l > len(b) {
				p.trunc("tcp") // LENCHECK: tcpdump goes to its label, no jump
				if ch != 0 {
					p.c('>')
				}
				return false
			}
			return true
		}
		switch opt {
		case 2, 3, 6, 7, 11, 12, 13:
			// MSS, window scale, RFC 1072 echo and RFC 1644 connection
			// counts: one number of the option's fixed size.
			datalen = tcpNumberLen[opt]
			if !need(datalen) {
				return false
			}
			p.c(' ')
			var v uint64
			for _, c := range b[:datalen] {
				v = v<<8 | uint64(c)
			}
			p.u(v)
		case 5:
			datalen = n - 1
			if datalen%8 != 0 {
				p.s(" invalid sack")
				break
			}
			p.c(' ')
			p.i(datalen / 8)
			p.c(' ')
			for i := 0; i < datalen; i += 8 {
				if !need(i + 8) {
					return false
				}
				s, e := be32(b[i:]), be32(b[i+4:])
				if rev {
					s -= thseq
					e -= thseq
				} else {
					s -= thack
					e -= thack
				}
				p.c('{')
				p.u(uint64(s))
				p.c(':')
				p.u(uint64(e))
				p.c('}')
			}
		case 8:
			datalen = 8
			if !need(8) {
				return false
			}
			p.s(" val ")
			p.u(uint64(be32(b)))
			p.s(" ecr ")
			p.u(uint64(be32(b[4:])))
		case 0, 1, 4:
		default:
			datalen = n - 1
			if datalen > 0 {
				p.s(" 0x")
			}
			for i := 0; i < datalen; i++ {
				if !need(i + 1) {
					return false
				}
				p.x(uint64(b[i]), 2)
			}
		}
		if datalen > len(b) {
			datalen = len(b)
		}
		b = b[datalen:]
		hlen -= datalen
		total := datalen + 1
		if opt != 0 && opt != 1 {
			total++
		}
		if total != n+1 && opt != 0 && opt != 1 {
			p.s("[len ")
			p.i(n + 1)
			p.c(']')
		}
		ch = ','
		if opt == 0 {
			break
		}
	}
	return true
}

// tcpChecksum prints -v's ", cksum 0x1234 (correct)" over a whole segment.
func (p *Printer) tcpChecksum(seg []byte) {
	sum := p.pseudoSum(6, len(seg))
	sum = checksum(sum, seg)
	field := be16(seg[16:18])
	p.s(", cksum 0x")
	p.x(uint64(field), 4)
	if sum == 0xffff {
		p.s(" (correct)")
		return
	}
	// What the field should hold: the sum with the field taken out.
	should := ^checksum(checksum(p.pseudoSum(6, len(seg)), seg[:16]), seg[18:]) & 0xffff
	p.s(" (incorrect -> 0x")
	p.x(uint64(should), 4)
	p.c(')')
}

func (p *Printer) pseudoSum(proto byte, length int) uint32 {
	sum := checksum(0, p.ipc.src)
	sum = checksum(sum, p.ipc.dst)
	sum += uint32(proto) + uint32(length&0xffff) + uint32(length>>16)
	return sum
}

// rstData prints -v's view of data carried by a reset (RFC 1122 lets a
// reset explain itself), at most 30 bytes of it.
func (p *Printer) rstData(b []byte, length int) {
	if len(b) >= length {
		p.s(" [RST")
	} else {
		p.s(" [!RST")
	}
	if length > 30 {
		length = 30
		p.c('+')
	}
	p.c(' ')
	p.printn(b, 0, length)
	p.c(']')
}

// hdrTooLong is tcpdump's mark for a TCP or DCCP header whose length field
// runs past the segment.
func (p *Printer) hdrTooLong(hlen, length int) {
	p.s(" [bad hdr length ")
	p.i(hlen)
	p.s(" - too long, > ")
	p.i(length)
	p.c(']')
}

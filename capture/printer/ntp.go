package printer

import "time"

// ntpVerbose prints -v's view of an NTP time message (modes 1 to 5) as
// tcpdump 4.99's ntp_time_print: leap indicator, stratum, poll, precision,
// root delay and dispersion, reference ID, the four timestamps with their
// dates, and the originator's offsets to the other two.
func (p *Printer) ntpVerbose(b []byte, length int) {
	li := b[0] & 0xc0
	p.s("\n\tLeap indicator: ")
	p.s([4]string{"", "+1s", "-1s", "clock unsynchronized"}[li>>6])
	p.s(" (")
	p.u(uint64(li))
	p.c(')')
	if b[0]&7 == 6 {
		p.ntpControl(b, length)
		return
	}
	if length < 48 {
		p.s(" (invalid)")
		return
	}
	// Each field as far as it was captured, as tcpdump's checks go.
	need := func(n int) bool {
		if len(b) < n {
			p.trunc("ntp")
			return false
		}
		return true
	}
	if !need(4) {
		return
	}
	stratum := b[1]
	p.s(", Stratum ")
	p.u(uint64(stratum))
	switch {
	case stratum == 0:
		p.s(" (unspecified)")
	case stratum == 1:
		p.s(" (primary reference)")
	case stratum <= 15:
		p.s(" (secondary reference)")
	default:
		p.s(" (reserved)")
	}
	poll := int(int8(b[2]))
	p.s(", poll ")
	p.i(poll)
	if poll > -32 && poll < 32 {
		if poll >= 0 {
			p.s(" (")
			p.u(1 << poll)
			p.s("s)")
		} else {
			p.s(" (1/")
			p.u(1 << -poll)
			p.s("s)")
		}
	}
	p.s(", precision ")
	p.i(int(int8(b[3])))
	if !need(8) {
		return
	}
	p.s("\n\tRoot Delay: ")
	p.ntpShort(b[4:])
	if !need(12) {
		return
	}
	p.s(", Root dispersion: ")
	p.ntpShort(b[8:])
	if !need(16) {
		return
	}
	p.s(", Reference-ID: ")
	switch stratum {
	case 0:
		p.s("(unspec)")
	case 1:
		p.printn(b, 12, 4)
	default:
		p.s("0x")
		p.x(uint64(be32(b[12:])), 8)
	}
	for i, name := range []string{"\n\t  Reference Timestamp:  ", "\n\t  Originator Timestamp: ",
		"\n\t  Receive Timestamp:    ", "\n\t  Transmit Timestamp:   "} {
		if !need(24 + 8*i) {
			return
		}
		p.s(name)
		p.ntpTime(b[16+8*i:])
	}
	p.s("\n\t    Originator - Receive Timestamp:  ")
	p.ntpDelta(b[24:], b[32:])
	p.s("\n\t    Originator - Transmit Timestamp: ")
	p.ntpDelta(b[24:], b[40:])
	switch extra := length - 48; {
	case extra == 4 || extra == 20 || extra == 24:
		if len(b) < 52 {
			p.trunc("ntp")
			return
		}
		p.s("\n\tKey id: ")
		p.u(uint64(be32(b[48:])))
		if extra > 4 {
			if len(b) < 48+extra {
				p.trunc("ntp")
				return
			}
			p.s("\n\tAuthentication: ")
			for i := 52; i < 48+extra; i += 4 {
				p.x(uint64(be32(b[i:])), 8)
			}
		}
	case extra > 0:
		p.s("\n\t(")
		p.i(extra)
		p.s(" more bytes after the header)")
	}
}

// ntpControl prints a mode 6 control message's header as tcpdump's
// ntp_control_print (which does not decode the data either).
func (p *Printer) ntpControl(b []byte, length int) {
	if len(b) < 12 {
		p.trunc("ntp")
		return
	}
	c := b[1]
	for _, f := range []struct {
		bit      byte
		set, clr string
	}{{0x80, ", Response", ", Request"}, {0x40, ", Error", ", OK"}, {0x20, ", More", ", Last"}} {
		if c&f.bit != 0 {
			p.s(f.set)
		} else {
			p.s(f.clr)
		}
	}
	p.s(", OpCode=")
	p.u(uint64(c & 0x1f))
	p.s("\n\tSequence=")
	p.u(uint64(be16(b[2:])))
	p.s(", Status=")
	if st := be16(b[4:]); st != 0 {
		p.s("0x") // printf's %#hx: no prefix for zero
		p.x(uint64(st), 1)
	} else {
		p.c('0')
	}
	for i, name := range []string{", Assoc.=", ", Offset=", ", Count="} {
		p.s(name)
		p.u(uint64(be16(b[6+2*i:])))
	}
	count := int(be16(b[10:]))
	switch {
	case 12+count > length:
		p.s(" (invalid)")
	case count != 0 && len(b) < 12+count:
		p.trunc("ntp")
	case count != 0:
		p.s("\n\tTO-BE-DONE")
	}
}

// ntpShort prints a 16.16 fixed-point time as tcpdump's p_sfix.
func (p *Printer) ntpShort(b []byte) {
	p.u(uint64(be16(b)))
	p.c('.')
	p.pad(int(float64(be16(b[2:]))/65536.0*1000000.0), 6)
}

// ntpFrac is a 32-bit binary fraction in nanoseconds, truncated as
// tcpdump's conversion through a double.
func ntpFrac(f uint32) int { return int(float64(f) / 4294967296.0 * 1000000000.0) }

// ntpTime prints a 32.32 timestamp and, unless zero, its UTC date.
func (p *Printer) ntpTime(b []byte) {
	secs := be32(b)
	p.u(uint64(secs))
	p.c('.')
	p.pad(ntpFrac(be32(b[4:])), 9)
	if secs != 0 {
		const toUnix = 2208988800 // seconds from 1900 to 1970
		t := time.Unix(int64(secs)-toUnix, 0).UTC()
		p.s(" (")
		p.b = t.AppendFormat(p.b, "2006-01-02T15:04:05Z")
		p.c(')')
	}
}

// ntpDelta prints to minus from as tcpdump's p_ntp_delta, or to alone
// when from is zero.
func (p *Printer) ntpDelta(from, to []byte) {
	ou, ouf, u, uf := be32(from), be32(from[4:]), be32(to), be32(to[4:])
	if ou == 0 && ouf == 0 {
		p.ntpTime(to)
		return
	}
	var i, f uint32
	neg := false
	switch {
	case u > ou:
		i, f = u-ou, uf-ouf
		if ouf > uf {
			i--
		}
	case u < ou:
		neg, i, f = true, ou-u, ouf-uf
		if uf > ouf {
			i--
		}
	default:
		if uf > ouf {
			f = uf - ouf
		} else {
			neg, f = true, ouf-uf
		}
	}
	if neg {
		p.c('-')
	} else {
		p.c('+')
	}
	p.u(uint64(i))
	p.c('.')
	p.pad(ntpFrac(f), 9)
}

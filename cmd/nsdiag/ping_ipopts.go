package main

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// appendOptions prints a reply's IPv4 options as iputils' pr_options: a
// record route as "RR:" and one address a line, or "(same route)" when
// it is the route printed last.
func (t *pingText) appendOptions(b, opts []byte) []byte {
	for len(opts) > 0 {
		switch opts[0] {
		case 0: // end of options
			return b
		case 1:
			b = append(b, "\nNOP"...)
			opts = opts[1:]
			continue
		}
		if len(opts) < 2 || opts[1] < 2 || int(opts[1]) > len(opts) {
			return b
		}
		olen := int(opts[1])
		switch opts[0] {
		case 7:
		case 68:
			b = t.appendTimestamps(b, opts[:olen])
			opts = opts[olen:]
			continue
		default:
			b = fmt.Appendf(b, "\nunknown option %x", opts[0])
			opts = opts[olen:]
			continue
		}
		n := min(int(opts[2]), olen) - 4 // bytes recorded
		if n > 0 {
			// iputils compares from the pointer byte on.
			if rec := opts[2 : 2+n]; string(rec) == string(t.lastRoute) {
				b = append(b, "\t(same route)"...)
			} else {
				t.lastRoute = append(t.lastRoute[:0], rec...)
				b = append(b, "\nRR: "...)
				for i := 3; n > 0 && i+4 <= len(opts); i, n = i+4, n-4 {
					b = append(b, '\t')
					b = append(b, t.addr(netip.AddrFrom4([4]byte(opts[i:i+4])))...)
					b = append(b, '\n')
				}
			}
		}
		opts = opts[olen:]
	}
	return b
}

// appendTimestamps prints an IPv4 timestamp option as iputils does: the
// first stamp absolute (ms since midnight UTC), the others as the
// difference from the one before, each after its address with tsandaddr.
func (t *pingText) appendTimestamps(b, opt []byte) []byte {
	n := min(int(opt[2]), len(opt)) - 5 // bytes recorded
	if n <= 0 || len(opt) < 4 {
		return b
	}
	flags := opt[3]
	b = append(b, "\nTS: "...)
	var std, nonstd int64
	for p := 4; ; {
		if flags&0x0f != 0 {
			if p+4 > len(opt) {
				break
			}
			b = append(b, '\t')
			b = append(b, t.addr(netip.AddrFrom4([4]byte(opt[p:p+4])))...)
			p += 4
			if n -= 4; n <= 0 {
				break
			}
		}
		if p+4 > len(opt) {
			break
		}
		l := int64(binary.BigEndian.Uint32(opt[p:]))
		p += 4
		if l&0x80000000 != 0 {
			if nonstd == 0 {
				b = fmt.Appendf(b, "\t%d absolute not-standard", l&0x7fffffff)
			} else {
				b = fmt.Appendf(b, "\t%d not-standard", l&0x7fffffff-nonstd)
			}
			nonstd = l & 0x7fffffff
		} else {
			if std == 0 {
				b = fmt.Appendf(b, "\t%d absolute", l)
			} else {
				b = fmt.Appendf(b, "\t%d", l-std)
			}
			std = l
		}
		b = append(b, '\n')
		if n -= 4; n <= 0 {
			break
		}
	}
	if flags>>4 != 0 {
		b = fmt.Appendf(b, "Unrecorded hops: %d\n", flags>>4)
	}
	return b
}

// appendIPHeader is iputils' pr_iph, the dump ping -v prints of the
// request a redirect quotes. The 16-bit fields are printed as the host
// reads them unconverted, as iputils does (byte-swapped on little-endian
// machines).
func (t *pingText) appendIPHeader(b, h []byte) []byte {
	if len(h) < 20 {
		return b
	}
	raw := func(i int) uint16 { return binary.NativeEndian.Uint16(h[i:]) }
	b = append(b, "Vr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst Data\n"...)
	b = fmt.Appendf(b, " %1x  %1x  %02x %04x %04x", h[0]>>4, h[0]&0x0f, h[1], raw(2), raw(4))
	b = fmt.Appendf(b, "   %1x %04x", (raw(6)&0xe000)>>13, raw(6)&0x1fff)
	b = fmt.Appendf(b, "  %02x  %02x %04x", h[8], h[9], raw(10))
	b = fmt.Appendf(b, " %s  %s \n", netip.AddrFrom4([4]byte(h[12:16])), netip.AddrFrom4([4]byte(h[16:20])))
	return t.appendOptions(b, h[20:])
}

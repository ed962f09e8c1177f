package printer

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

const hexDigits = "0123456789abcdef"

func be16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

func (p *Printer) s(str string) { p.b = append(p.b, str...) }
func (p *Printer) c(ch byte)    { p.b = append(p.b, ch) }
func (p *Printer) u(n uint64)   { p.b = strconv.AppendUint(p.b, n, 10) }
func (p *Printer) i(n int)      { p.b = strconv.AppendInt(p.b, int64(n), 10) }
func (p *Printer) trunc(proto string) {
	p.s(" [|")
	p.s(proto)
	p.c(']')
}

// truncBail is trunc where tcpdump's GET macros jump out of the link
// printer, which then reports no link header: -x dumps the whole frame.
func (p *Printer) truncBail(proto string) {
	p.trunc(proto)
	p.bailed = true
}

// x appends n in lower-case hex, zero-padded to width digits.
func (p *Printer) x(n uint64, width int) {
	var buf [16]byte
	i := len(buf)
	for n > 0 || i > len(buf)-width {
		i--
		buf[i] = hexDigits[n&0xf]
		n >>= 4
		if i == 0 {
			break
		}
	}
	if i == len(buf) {
		i--
		buf[i] = '0'
	}
	p.b = append(p.b, buf[i:]...)
}

// ip4 appends an IPv4 address and its owner annotation, if any.
func (p *Printer) ip4(b []byte) {
	p.ip4Bare(b)
	p.owner(b[:4])
}

func (p *Printer) ip4Bare(b []byte) {
	p.b = netip.AddrFrom4([4]byte(b[:4])).AppendTo(p.b)
}

// owner appends Options.Owner's text for the address in b (4 or 16 bytes).
func (p *Printer) owner(b []byte) {
	if p.opts.Owner == nil {
		return
	}
	a, _ := netip.AddrFromSlice(b)
	p.s(p.opts.Owner(a))
}

// ip6 appends an IPv6 address, with its owner annotation if any, as
// tcpdump's addrtostr6 (BIND's inet_ntop)
// writes it: RFC 5952 except that an IPv4-compatible address (::/96 with a
// non-zero seventh word) ends in dotted IPv4, which netip does not do.
func (p *Printer) ip6(b []byte) {
	p.ip6Bare(b)
	p.owner(b[:16])
}

func (p *Printer) ip6Bare(b []byte) {
	a := [16]byte(b[:16])
	if a[12]|a[13] != 0 && a == [16]byte{12: a[12], 13: a[13], 14: a[14], 15: a[15]} {
		p.s("::")
		p.b = netip.AddrFrom4([4]byte(a[12:])).AppendTo(p.b)
		return
	}
	p.b = netip.AddrFrom16(a).AppendTo(p.b)
}

// mac appends a link-layer address as colon-separated hex bytes.
func (p *Printer) mac(b []byte) {
	for i, v := range b {
		if i > 0 {
			p.c(':')
		}
		p.c(hexDigits[v>>4])
		p.c(hexDigits[v&0xf])
	}
}

// linkaddr is mac as tcpdump's linkaddr_string, which names an empty one.
func (p *Printer) linkaddr(b []byte) {
	if len(b) == 0 {
		p.s("<empty>")
		return
	}
	p.mac(b)
}

// tok looks a code up in a table of names, as tcpdump's tok2str does.
func tok(table map[uint32]string, v uint32) (string, bool) {
	s, ok := table[v]
	return s, ok
}

// checksum is the Internet checksum over data, folded, not complemented.
func checksum(sum uint32, data []byte) uint32 {
	for len(data) >= 2 {
		sum += uint32(be16(data))
		data = data[2:]
	}
	if len(data) == 1 {
		sum += uint32(data[0]) << 8
	}
	for sum > 0xffff {
		sum = (sum >> 16) + (sum & 0xffff)
	}
	return sum
}

// bitName names one flag bit.
type bitName struct {
	bit  uint32
	name string
}

// bits appends the names of the flags set in v, comma-separated, or
// "none", as tcpdump's bittok2str.
func (p *Printer) bits(v uint32, names []bitName) {
	sep := ""
	for _, f := range names {
		if v&f.bit != 0 {
			p.s(sep)
			p.s(f.name)
			sep = ", "
		}
	}
	if sep == "" {
		p.s("none")
	}
}

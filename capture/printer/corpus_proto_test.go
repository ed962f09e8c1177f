package printer

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// sctpChunk builds one chunk: type, flags, the body, padded to 4 bytes.
func sctpChunk(typ, flags byte, body ...byte) []byte {
	c := []byte{typ, flags, 0, 0}
	binary.BigEndian.PutUint16(c[2:], uint16(4+len(body)))
	c = append(c, body...)
	for len(c)%4 != 0 {
		c = append(c, 0)
	}
	return c
}

func u32s(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// sctpCorpus is an association's life (INIT to SHUTDOWN COMPLETE) and the
// cases tcpdump names: bundled chunks, DATA flags, SACK gaps and
// duplicates, unknown chunk types, bad lengths, truncation.
func sctpCorpus(t testing.TB) []rec {
	common := func(sport, dport uint16) []byte {
		h := make([]byte, 12)
		binary.BigEndian.PutUint16(h, sport)
		binary.BigEndian.PutUint16(h[2:], dport)
		binary.BigEndian.PutUint32(h[4:], 0x01020304)
		return h
	}
	pkt := func(chunks ...[]byte) []byte {
		b := common(40000, 5000)
		for _, c := range chunks {
			b = append(b, c...)
		}
		return b
	}
	initBody := append(u32s(0xdeadbeef, 106496), 0, 10, 0xff, 0xff)
	initBody = append(initBody, u32s(12345)...)
	initBody = append(initBody, 0x00, 0x0c, 0x00, 0x06, 0x00, 0x05, 0, 0) // supported address types
	data := func(flags byte, ppid uint32, n int) []byte {
		body := append(u32s(7, 0x00010002, ppid), pay(n)...)
		return sctpChunk(0, flags, body...)
	}
	sack := append(u32s(1000, 65536), 0, 2, 0, 1)
	sack = append(sack, 0, 2, 0, 3, 0, 5, 0, 9)
	sack = append(sack, u32s(998)...)
	payloads := [][]byte{
		pkt(sctpChunk(1, 0, initBody...)),
		pkt(sctpChunk(2, 0, append(initBody, u32s(0x11111111)...)...)),
		pkt(sctpChunk(0x0a, 0, pay(20)...)),
		pkt(sctpChunk(0x0b, 0)),
		pkt(data(3, 0, 10)),
		pkt(data(0x07, 5, 5), data(0x02, 46, 40)), // not M3UA (3): -vv decodes it
		pkt(data(0x01, 0x12345678, 1)),
		pkt(sctpChunk(3, 0, sack...)),
		pkt(sctpChunk(4, 0, append([]byte{0, 1, 0, 12}, u32s(1, 2)...)...), sctpChunk(5, 0, 0, 1, 0, 8, 1, 2, 3, 4)),
		pkt(sctpChunk(7, 0, u32s(1234)...)),
		pkt(sctpChunk(8, 0)),
		pkt(sctpChunk(0x0e, 1)),
		pkt(sctpChunk(6, 0, 0, 12, 0, 4)),
		pkt(sctpChunk(0x99, 0, 1, 2, 3)),
		pkt(sctpChunk(0, 3, u32s(1, 2)...)),          // DATA too short
		pkt([]byte{0, 3, 0, 2}),                      // chunk length below 4
		pkt([]byte{1, 0}),                            // descriptor cut off
		common(5000, 40000),                          // no chunks at all
		pkt(sctpChunk(1, 0, initBody[:12]...)),       // INIT too short
		pkt(sctpChunk(0x0b, 0), []byte{0, 0, 0, 99}), // length past the end
	}
	var r []rec
	for i, pl := range payloads {
		ip := v4(layers.IPProtocolSCTP)
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, ip, gopacket.Payload(pl))})
		if i%5 == 0 {
			r = append(r, rec{data: eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolSCTP), gopacket.Payload(pl))})
		}
	}
	// Cut short in the capture, and an SCTP header longer than the packet.
	full := eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolSCTP), gopacket.Payload(payloads[0]))
	r = append(r, rec{data: full[:14+20+12+6], wire: len(full)}, rec{data: full[:14+20+8], wire: len(full)})
	r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolSCTP), gopacket.Payload{1, 2, 3, 4, 5, 6})})
	return r
}

// ahCorpus is IPsec AH (RFC 4302) before TCP, UDP and ICMP, over IPv4 and
// IPv6, with a non-zero reserved field and cut short at each field.
func ahCorpus(t testing.TB) []rec {
	ah := func(next byte, icv int, reserved uint16) []byte {
		h := []byte{next, byte((12+icv)/4 - 2), byte(reserved >> 8), byte(reserved)}
		h = append(h, u32s(0x1000, 7)...)
		for i := 0; i < icv; i++ {
			h = append(h, byte(0xa0+i))
		}
		return h
	}
	tcp := []byte{0x04, 0x57, 0x00, 0x50, 0, 0, 3, 0xe8, 0, 0, 0, 0, 0x50, 0x02, 0x02, 0x00, 0, 0, 0, 0}
	udp := []byte{0x13, 0x88, 0x00, 0x35, 0, 8, 0, 0}
	icmp := []byte{8, 0, 0xf7, 0xfe, 0, 1, 0, 0}
	var r []rec
	for _, pl := range [][]byte{
		append(ah(6, 12, 0), tcp...),
		append(ah(17, 12, 0), udp...),
		append(ah(1, 4, 0x55), icmp...),
		append(ah(59, 0, 0), 1, 2),
	} {
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolAH), gopacket.Payload(pl))})
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolAH), gopacket.Payload(pl))})
	}
	full := eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolAH), gopacket.Payload(append(ah(6, 12, 9), tcp...)))
	for _, cut := range []int{0, 1, 3, 6, 10, 18} {
		r = append(r, rec{data: full[:34+cut], wire: len(full)})
	}
	return r
}

// mplsCorpus is MPLS label stacks over IPv4 and IPv6: explicit NULL labels,
// payloads known by their first byte, reserved labels -v names, an unknown
// payload, an unfinished stack.
func mplsCorpus(t testing.TB) []rec {
	label := func(l uint32, tc uint32, bottom bool, ttl uint32) []byte {
		e := l<<12 | tc<<9 | ttl
		if bottom {
			e |= 0x100
		}
		return u32s(e)
	}
	ip4 := eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 3, Seq: 4}, pay(8))[14:]
	u6 := v6(layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: 1000, DstPort: 53}
	u.SetNetworkLayerForChecksum(u6)
	ip6 := eth(t, layers.EthernetTypeIPv6, u6, u, pay(4))[14:]
	var r []rec
	add := func(typ layers.EthernetType, parts ...[]byte) {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		r = append(r, rec{data: eth(t, typ, gopacket.Payload(b))})
	}
	add(layers.EthernetTypeMPLSUnicast, label(100, 0, true, 64), ip4)
	add(layers.EthernetTypeMPLSUnicast, label(16, 5, false, 255), label(0, 0, true, 63), ip4)
	add(layers.EthernetTypeMPLSUnicast, label(2, 0, true, 1), ip6)
	add(layers.EthernetTypeMPLSMulticast, label(1048575, 7, false, 2), label(1, 0, false, 2), label(3000, 0, true, 2), ip6)
	add(layers.EthernetTypeMPLSUnicast, label(13, 0, true, 1), []byte{0x00, 0x00, 0x01, 0x02}, pay(20))
	add(layers.EthernetTypeMPLSUnicast, label(7, 0, false, 9), label(3, 0, true, 9), ip4)
	full := eth(t, layers.EthernetTypeMPLSUnicast, gopacket.Payload(append(label(20, 0, false, 1), label(21, 0, true, 1)...)))
	r = append(r, rec{data: full[:14+6], wire: len(full)})
	unknown := r[4].data
	r = append(r, rec{data: unknown[:14+4+10], wire: len(unknown)})
	return r
}

// vrrpCorpus is VRRP v2 and v3 advertisements as keepalived sends them
// (TTL 255, valid checksums), a simple password, a bad checksum, a TTL
// that is not 255, other versions and types, and one cut short.
func vrrpCorpus(t testing.TB) []rec {
	inet := func(sum uint32, b []byte) uint16 {
		for i := 0; i+1 < len(b); i += 2 {
			sum += uint32(binary.BigEndian.Uint16(b[i:]))
		}
		if len(b)%2 == 1 {
			sum += uint32(b[len(b)-1]) << 8
		}
		for sum > 0xffff {
			sum = sum>>16 + sum&0xffff
		}
		return ^uint16(sum)
	}
	msg := func(ver, typ, vrid, prio, auth, intvl byte, addrs [][]byte, tail []byte) []byte {
		b := []byte{ver<<4 | typ, vrid, prio, byte(len(addrs)), auth, intvl, 0, 0}
		for _, a := range addrs {
			b = append(b, a...)
		}
		return append(b, tail...)
	}
	a1, a2 := []byte{10, 0, 0, 100}, []byte{10, 0, 0, 101}
	var r []rec
	add := func(b []byte, ttl uint8, v3sum bool, bad bool) {
		ip := v4(112)
		ip.TTL = ttl
		ip.DstIP = []byte{224, 0, 0, 18}
		sum := uint32(0)
		if v3sum {
			for _, a := range [][]byte{ip.SrcIP.To4(), ip.DstIP.To4()} {
				sum += uint32(binary.BigEndian.Uint16(a)) + uint32(binary.BigEndian.Uint16(a[2:]))
			}
			sum += 112 + uint32(len(b))
		}
		binary.BigEndian.PutUint16(b[6:], inet(sum, b))
		if bad {
			b[6] ^= 0x11
		}
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, ip, gopacket.Payload(b))})
	}
	add(msg(2, 1, 51, 100, 0, 1, [][]byte{a1}, make([]byte, 8)), 255, false, false)
	add(msg(2, 1, 51, 150, 1, 3, [][]byte{a1, a2}, []byte("secret\x00\x00")), 255, false, false)
	add(msg(2, 1, 7, 255, 2, 1, [][]byte{a1}, make([]byte, 8)), 255, false, true)
	add(msg(3, 1, 9, 100, 0, 100, [][]byte{a1, a2}, nil), 255, true, false)
	add(msg(3, 1, 9, 100, 0x0f, 0xff, [][]byte{a1}, nil), 64, true, true)
	add(msg(2, 2, 1, 1, 0, 1, nil, nil), 255, false, false)
	add(msg(4, 1, 1, 1, 0, 1, nil, nil), 1, false, false)
	full := r[1].data
	r = append(r, rec{data: full[:14+20+10], wire: len(full)}, rec{data: full[:14+20+4], wire: len(full)},
		rec{data: full[:14+20+8+8+5], wire: len(full)})
	return r
}

// stpCorpus is spanning tree BPDUs in 802.3/LLC frames as a Linux bridge
// sends them (802.1D config, RSTP, topology change), cut-down and unknown
// ones, and IP in LLC (RFC 948).
func stpCorpus(t testing.TB) []rec {
	frame := func(llc ...byte) []byte {
		f := append([]byte{0x01, 0x80, 0xc2, 0, 0, 0}, macA...)
		f = binary.BigEndian.AppendUint16(f, uint16(len(llc)))
		f = append(f, llc...)
		for len(f) < 60 {
			f = append(f, 0)
		}
		return f
	}
	bid := []byte{0x80, 0x00, 2, 0, 0, 0, 0, 1}
	bpdu := func(version, typ, flags byte, age uint16, rstp bool) []byte {
		b := []byte{0x42, 0x42, 0x03, 0, 0, version, typ, flags}
		b = append(b, bid...)
		b = append(b, u32s(4)...)
		b = append(b, 0x90, 0x00, 2, 0, 0, 0, 0, 2, 0x80, 0x02)
		for _, v := range []uint16{age, 20 * 256, 2 * 256, 15 * 256} {
			b = binary.BigEndian.AppendUint16(b, v)
		}
		if rstp {
			b = append(b, 0)
		}
		return b
	}
	ip := eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 5, Seq: 6}, pay(4))[14:]
	var r []rec
	for _, f := range [][]byte{
		frame(bpdu(0, 0, 0, 0, false)...),
		frame(bpdu(0, 0, 0x81, 3*256+77, false)...),
		frame(bpdu(2, 2, 0x3c, 256, true)...),
		frame(bpdu(2, 2, 0x7a, 0, true)...),
		frame(0x42, 0x42, 0x03, 0, 0, 0, 0x80),
		frame(bpdu(0, 0, 0, 0, false)[:20]...),
		frame(0x42, 0x42, 0x03, 0, 0, 9, 0),
		frame(0x42, 0x42, 0x03, 0xab, 0xab, 0, 0),
		frame(0x42, 0x42, 0x03, 0, 0),
		frame(append([]byte{0x06, 0x06, 0x03}, ip...)...),
	} {
		r = append(r, rec{data: f})
	}
	return r
}

// pimCorpus is PIM Hellos as routers send them (hold time, DR priority,
// generation ID, LAN prune delay) over IPv4 and IPv6, an empty one, one
// with a bad checksum, and versions other than 2.
func pimCorpus(t testing.TB) []rec {
	msg := func(ver, typ byte, body []byte) []byte {
		return append([]byte{ver<<4 | typ, 0, 0, 0}, body...)
	}
	opt := func(code, n uint16, v ...byte) []byte {
		b := binary.BigEndian.AppendUint16(nil, code)
		return append(binary.BigEndian.AppendUint16(b, n), v...)
	}
	hello := append(opt(1, 2, 0, 105), opt(19, 4, 0, 0, 0, 1)...)
	hello = append(hello, opt(20, 4, 0x12, 0x34, 0x56, 0x78)...)
	hello = append(hello, opt(2, 4, 0x81, 0xf4, 0x0a, 0x28)...)
	hello = append(hello, opt(1, 2, 0xff, 0xff)...)
	var r []rec
	for i, m := range [][]byte{msg(2, 0, hello), msg(2, 0, nil), msg(2, 0, opt(1, 2, 0, 30)), msg(3, 0, hello), msg(0, 0, pay(16)),
		msg(2, 0, append(opt(99, 3, 1, 2, 3), opt(21, 4, 1, 0, 0, 0)...)),
		msg(2, 0, bytes.Join([][]byte{opt(21, 4, 1, 60, 0, 7), opt(19, 0), opt(22, 0), opt(1, 3, 0, 0, 1), opt(1, 2, 0, 1)}, nil)),
		msg(2, 0, append(opt(18, 2, 0, 1), opt(1, 2, 0, 1)...)), msg(2, 0, opt(20, 2, 1, 2)), msg(2, 0, opt(2, 0)),
		msg(2, 0, opt(21, 5, 1, 2, 3, 4, 5)),
		msg(2, 0, append(opt(24, 24, append([]byte{1, 0, 10, 0, 0, 9, 2, 0}, ip6B...)...), opt(1, 2, 0, 1)...)),
		msg(2, 0, append(opt(24, 8, 1, 0, 10, 0, 0, 9, 3, 0), opt(1, 2, 0, 1)...))} {
		ip := v4(layers.IPProtocol(103))
		ip.TTL, ip.DstIP = 1, []byte{224, 0, 0, 13}
		c := append([]byte(nil), m...)
		binary.BigEndian.PutUint16(c[2:], inetSum(0, c))
		if i == 2 {
			c[2] ^= 0x40
		}
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, ip, gopacket.Payload(c))})
		if i == 0 {
			i6 := v6(layers.IPProtocol(103))
			c6 := append([]byte(nil), m...)
			var ps uint32
			for _, a := range [][]byte{i6.SrcIP, i6.DstIP} {
				for k := 0; k < 16; k += 2 {
					ps += uint32(binary.BigEndian.Uint16(a[k:]))
				}
			}
			ps += 103 + uint32(len(c6))
			binary.BigEndian.PutUint16(c6[2:], inetSum(ps, c6))
			r = append(r, rec{data: eth(t, layers.EthernetTypeIPv6, i6, gopacket.Payload(c6))})
		}
	}
	return r
}

// inetSum is the Internet checksum of b, starting from sum.
func inetSum(sum uint32, b []byte) uint16 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// ntpCorpus is NTP time messages with -v's fields filled in: a client
// query and a stratum 2 server's answer as chrony sends them, a stratum 1
// reference, leap and poll values, keys and digests, extra bytes, one
// shorter than a time message.
func ntpCorpus(t testing.TB) []rec {
	ts := func(secs, frac uint32) []byte { return u32s(secs, frac) }
	now := uint32(3_900_000_000)
	msg := func(li, vn, mode, stratum byte, poll, prec int8, ref uint32, stamps ...[]byte) []byte {
		b := []byte{li<<6 | vn<<3 | mode, stratum, byte(poll), byte(prec)}
		b = append(b, u32s(0x00001a2b, 0x0002f000, ref)...)
		for _, s := range stamps {
			b = append(b, s...)
		}
		return b
	}
	zero := ts(0, 0)
	var r []rec
	for _, m := range [][]byte{
		msg(0, 4, 3, 0, 6, -20, 0, zero, zero, zero, ts(now, 0x80000000)),
		msg(0, 4, 4, 2, 6, -24, 0x0a000001, ts(now-64, 0x12345678), ts(now, 0x80000000), ts(now, 0x80100000), ts(now, 0x80200000)),
		msg(1, 4, 4, 1, -3, -29, 0x47505300, ts(now-1, 0), ts(now+5, 0x10000000), ts(now+4, 0xf0000000), ts(now+5, 0x10000000)),
		msg(2, 3, 1, 16, 17, 0, 0x7f000001, ts(now, 1), ts(now, 5), ts(now, 2), ts(now, 5)),
		msg(3, 4, 5, 3, 40, -6, 0xc0a80001, ts(now, 0), zero, zero, ts(now, 0x40000000)),
		append(msg(0, 4, 3, 0, 10, -20, 0, zero, zero, zero, ts(now, 7)), u32s(42)...),
		append(msg(0, 4, 3, 0, 10, -20, 0, zero, zero, zero, ts(now, 7)), u32s(42, 1, 2, 3, 4)...),
		append(msg(0, 4, 3, 0, 10, -20, 0, zero, zero, zero, ts(now, 7)), pay(12)...),
		msg(0, 4, 3, 0, 6, -20, 0, zero, zero, zero, zero)[:40],
	} {
		u := &layers.UDP{SrcPort: 40000, DstPort: 123}
		ip := v4(layers.IPProtocolUDP)
		u.SetNetworkLayerForChecksum(ip)
		r = append(r, rec{data: eth(t, layers.EthernetTypeIPv4, ip, u, gopacket.Payload(m))})
	}
	return r
}

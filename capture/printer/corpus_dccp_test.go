package printer

import (
	"encoding/binary"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// dccpCorpus is a DCCP connection's packet types, with short and extended
// sequence numbers, options, partial checksum coverage, a bad checksum and
// cut-short headers, over IPv4 and IPv6.
func dccpCorpus(t testing.TB) []rec {
	// seg builds a DCCP packet: typ, X bit, the type's fixed part after
	// the generic header, options and payload; doff covers all but the
	// payload.
	seg := func(typ byte, ext bool, fixed, opts []byte, payload int, cscov byte) []byte {
		n := 12
		if ext {
			n = 16
		}
		h := make([]byte, n)
		binary.BigEndian.PutUint16(h, 5001)
		binary.BigEndian.PutUint16(h[2:], 6001)
		h[5] = 0x20 | cscov // CCVal 2
		h[8] = typ << 1
		if ext {
			h[8] |= 1
			binary.BigEndian.PutUint16(h[10:], 0x0001)
			binary.BigEndian.PutUint32(h[12:], 0x23456789)
		} else {
			h[9], h[10], h[11] = 0x01, 0x02, 0x03
		}
		h = append(append(h, fixed...), opts...)
		h[4] = byte(len(h) / 4)
		return append(h, pay(payload)...)
	}
	ack := func(ext bool) []byte {
		if ext {
			return []byte{0, 0, 0, 0x02, 0x11, 0x22, 0x33, 0x44}
		}
		return []byte{0, 0x0a, 0x0b, 0x0c, 0, 0, 0, 0}
	}
	var r []rec
	add4 := func(d []byte, bad bool) {
		ip := v4(33)
		b := ser(t, ip, gopacket.Payload(d))
		sum := inetSum(uint32(ipA[0])<<8+uint32(ipA[1])+uint32(ipA[2])<<8+uint32(ipA[3])+
			uint32(ipB[0])<<8+uint32(ipB[1])+uint32(ipB[2])<<8+uint32(ipB[3])+33+uint32(len(d)), covered(d))
		if bad {
			sum ^= 0x1111
		}
		binary.BigEndian.PutUint16(b[26:], sum)
		e := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}
		r = append(r, rec{data: ser(t, e, gopacket.Payload(b))})
	}
	opts := []byte{0, 2, 32, 4, 1, 2, 41, 6, 0, 0, 1, 0, 42, 8, 0, 0, 0, 9, 0, 5, 43, 4, 1, 2, 36, 4, 0xab, 0xcd,
		37, 3, 7, 44, 6, 1, 2, 3, 4, 129, 4, 0, 9, 0, 0, 0}
	add4(seg(0, true, []byte{0, 0, 0, 42}, opts, 0, 0), false)
	add4(seg(1, true, append(ack(true), 0, 0, 0, 42), nil, 0, 0), false)
	add4(seg(3, true, ack(true), nil, 0, 0), false)
	add4(seg(4, true, ack(true), []byte{38, 5, 1, 2, 3, 0, 0, 0}, 20, 1), false)
	add4(seg(2, false, nil, nil, 30, 0), false)
	add4(seg(4, false, ack(false), nil, 10, 0), true)
	add4(seg(5, true, ack(true), nil, 0, 0), false)
	add4(seg(6, true, ack(true), nil, 0, 0), false)
	add4(seg(7, true, append(ack(true), 3, 0, 0, 0), nil, 0, 0), false)
	add4(seg(7, true, append(ack(true), 77, 0, 0, 0), nil, 0, 0), false)
	add4(seg(8, true, ack(true), nil, 0, 0), false)
	add4(seg(9, true, ack(true), nil, 0, 0), false)
	add4(seg(12, true, ack(true), nil, 0, 0), false)
	add4(seg(3, true, ack(true), []byte{33, 1, 0, 0}, 0, 0), false)
	add4(seg(3, true, ack(true), []byte{41, 9, 0, 0}, 0, 0), false)
	// Cut short: the generic header, the extended one, a Request's
	// service, and a capture that stops inside the header.
	add4(seg(0, false, nil, nil, 0, 0)[:10], false)
	add4(seg(3, true, nil, nil, 0, 0)[:14], false)
	add4(seg(0, true, nil, nil, 0, 0), false)
	full := append([]rec(nil), r[0])
	r = append(r, rec{data: full[0].data[:14+20+14], wire: len(full[0].data)})
	// IPv6.
	d := seg(3, true, ack(true), nil, 0, 0)
	i6 := v6(33)
	e := &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv6}
	var ps uint32
	for _, a := range [][]byte{i6.SrcIP, i6.DstIP} {
		for k := 0; k < 16; k += 2 {
			ps += uint32(binary.BigEndian.Uint16(a[k:]))
		}
	}
	binary.BigEndian.PutUint16(d[6:], inetSum(ps+33+uint32(len(d)), d))
	r = append(r, rec{data: ser(t, e, i6, gopacket.Payload(d))})
	return r
}

// covered is the part of a DCCP packet its checksum covers (CsCov).
func covered(d []byte) []byte {
	if cs := int(d[5] & 0xf); cs != 0 {
		return d[:min((int(d[4])+cs-1)*4, len(d))]
	}
	return d
}

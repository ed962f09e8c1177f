package trace

import (
	"encoding/binary"
	"net/netip"
)

// tcpHeaderLen is the TCP SYN probe's header: 20 bytes and the options a
// Linux SYN carries (MSS, SACK permitted, timestamps, NOP, window scale),
// as traceroute -T sends.
const tcpHeaderLen = 40

// sum16 adds b to s as big-endian 16-bit words (the Internet checksum's
// one's-complement sum before folding); an odd last byte is padded.
func sum16(s uint32, b []byte) uint32 {
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

// fold folds a 32-bit sum into 16 bits with end-around carry.
func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// pseudoSum is the sum of the IPv4 or IPv6 pseudo-header that UDP, TCP and
// ICMPv6 checksums cover.
func pseudoSum(src, dst netip.Addr, proto uint8, length int) uint32 {
	s := sum16(0, src.AsSlice())
	s = sum16(s, dst.AsSlice())
	return s + uint32(proto) + uint32(length)
}

// fillPayload writes traceroute's probe data pattern ('@', 'A', ...).
func fillPayload(b []byte) {
	for i := range b {
		b[i] = 0x40 + byte(i&0x3f)
	}
}

// steerUDPChecksum sets the first two payload bytes of a UDP datagram so
// that the checksum the kernel computes comes out as want (1..0xfffd).
// Paris mode tells probes apart by checksum while the ports stay put.
func steerUDPChecksum(src, dst netip.Addr, sport, dport uint16, payload []byte, want uint16) {
	payload[0], payload[1] = 0, 0
	length := 8 + len(payload)
	s := pseudoSum(src, dst, 17, length)
	var h [8]byte
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint16(h[4:], uint16(length))
	s = sum16(s, h[:])
	s = sum16(s, payload)
	// The checksum is ^fold(s + w); solve fold(s + w) == ^want in one's
	// complement: w = ^want - s.
	w := fold(uint32(^want) + uint32(^fold(s)))
	binary.BigEndian.PutUint16(payload, w)
}

// udpDatagram puts a UDP header with the given checksum before payload.
func udpDatagram(sport, dport, sum uint16, payload []byte) []byte {
	b := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint16(b[4:], uint16(len(b)))
	binary.BigEndian.PutUint16(b[6:], sum)
	copy(b[8:], payload)
	return b
}

// udpChecksum computes a UDP checksum as the kernel does (0 is sent as
// 0xffff); tests use it to check steerUDPChecksum.
func udpChecksum(src, dst netip.Addr, datagram []byte) uint16 {
	s := pseudoSum(src, dst, 17, len(datagram))
	c := ^fold(sum16(s, datagram))
	if c == 0 {
		c = 0xffff
	}
	return c
}

// echoRequest builds an ICMP or ICMPv6 echo request of total length n
// (header included). In Paris mode the first payload word is ^seq, which
// keeps the checksum the same for every sequence number. The ICMPv4
// checksum is filled in; the kernel fills ICMPv6's.
func echoRequest(v6 bool, id, seq uint16, n int, paris bool) []byte {
	if n < 8 {
		n = 8
	}
	b := make([]byte, n)
	b[0] = icmp4Echo
	if v6 {
		b[0] = icmp6Echo
	}
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	fillPayload(b[8:])
	if paris && n >= 10 {
		binary.BigEndian.PutUint16(b[8:], ^seq)
	}
	if !v6 {
		binary.BigEndian.PutUint16(b[2:], ^fold(sum16(0, b)))
	}
	return b
}

// tcpSYN builds a TCP SYN segment with its checksum.
func tcpSYN(src, dst netip.Addr, sport, dport uint16, seq uint32, mss uint16) []byte {
	b := make([]byte, tcpHeaderLen)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint32(b[4:], seq)
	b[12] = tcpHeaderLen / 4 << 4
	b[13] = tcpSYNFlag
	binary.BigEndian.PutUint16(b[14:], 64240)
	o := b[20:]
	o[0], o[1] = 2, 4 // MSS
	binary.BigEndian.PutUint16(o[2:], mss)
	o[4], o[5] = 4, 2 // SACK permitted
	o[6], o[7] = 8, 10
	binary.BigEndian.PutUint32(o[8:], seq^0x5a5a5a5a) // timestamp value
	o[16] = 1                                         // NOP
	o[17], o[18], o[19] = 3, 3, 7                     // window scale 7
	binary.BigEndian.PutUint16(b[16:], ^fold(sum16(pseudoSum(src, dst, 6, len(b)), b)))
	return b
}

const (
	tcpFIN     = 0x01
	tcpSYNFlag = 0x02
	tcpRST     = 0x04
	tcpACK     = 0x10
)

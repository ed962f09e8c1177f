package icmp

import (
	"encoding/binary"
	"net/netip"
	"time"
)

// ICMP types of the echo exchange.
const (
	echoRequest4 = 8
	echoReply4   = 0
	echoRequest6 = 128
	echoReply6   = 129
	// Not errors, and not in the error queue: a raw socket reads them.
	sourceQuench4 = 4
	redirect4     = 5
)

// timevalLen is the size of the struct timeval iputils puts at the start of
// the data; requests with less data than this are not timed.
const timevalLen = 16

// fillPattern writes the data bytes after the 8-byte ICMP header: iputils'
// default (byte i holds i) for a nil pattern, else the pattern repeated
// (ping -p); an empty pattern leaves them as they are.
func fillPattern(pkt, pattern []byte) {
	for i := 8; i < len(pkt); i++ {
		switch {
		case pattern == nil:
			pkt[i] = byte(i - 8)
		case len(pattern) > 0:
			pkt[i] = pattern[(i-8)%len(pattern)]
		}
	}
}

// setEcho turns pkt (header and data) into echo request seq. The send time
// goes into the first data bytes as a struct timeval, as iputils does, so
// that captures and peers read the same packets; for IPv4 the checksum is
// computed here, for IPv6 the kernel computes it with the pseudo-header.
func setEcho(pkt []byte, v6 bool, id, seq uint16, now time.Time) {
	pkt[0] = echoRequest4
	if v6 {
		pkt[0] = echoRequest6
	}
	pkt[1] = 0
	pkt[2], pkt[3] = 0, 0
	binary.BigEndian.PutUint16(pkt[4:], id)
	binary.BigEndian.PutUint16(pkt[6:], seq)
	if len(pkt) >= 8+timevalLen {
		us := now.UnixMicro()
		binary.NativeEndian.PutUint64(pkt[8:], uint64(us/1e6))
		binary.NativeEndian.PutUint64(pkt[16:], uint64(us%1e6))
	}
	if !v6 {
		binary.BigEndian.PutUint16(pkt[2:], checksum(pkt))
	}
}

// checksum is the Internet checksum (RFC 1071) of b; over a packet that
// carries a correct checksum it is zero.
func checksum(b []byte) uint16 {
	var sum uint32
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum>>16 != 0 {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// wrongByte returns the index of the first data byte after the timestamp
// area that differs from the data sent, or 0 when all of the first dataLen
// bytes match (as iputils' check).
func wrongByte(data, sent []byte, dataLen int) int {
	for i := timevalLen; i < dataLen && i < len(data) && i < len(sent); i++ {
		if data[i] != sent[i] {
			return i
		}
	}
	return 0
}

// echo is what parseEcho found in one received datagram.
type echo struct {
	id, seq uint16
	// icmpLen is the ICMP length (header and data).
	icmpLen int
	// ttl is from the IPv4 header when there is one, else -1.
	ttl    int
	badSum bool
	data   []byte
	// opts are the IPv4 header's options, when the header came along.
	opts []byte
}

// parseEcho reads an echo reply as the socket delivered it: raw IPv4
// sockets hand over the IP header too (withIP), everything else starts at
// the ICMP header. It reports false for anything that is not a
// well-formed echo reply of the family.
func parseEcho(b []byte, v6, withIP bool) (echo, bool) {
	e := echo{ttl: -1}
	if withIP {
		if len(b) < 20 || b[0]>>4 != 4 {
			return e, false
		}
		hlen := int(b[0]&0x0f) * 4
		if hlen < 20 || len(b) < hlen+8 {
			return e, false
		}
		e.ttl = int(b[8])
		if hlen > 20 {
			e.opts = b[20:hlen]
		}
		b = b[hlen:]
	}
	if len(b) < 8 {
		return e, false
	}
	want := byte(echoReply4)
	if v6 {
		want = echoReply6
	}
	if b[0] != want || b[1] != 0 {
		return e, false
	}
	e.id = binary.BigEndian.Uint16(b[4:])
	e.seq = binary.BigEndian.Uint16(b[6:])
	e.icmpLen = len(b)
	// ICMPv6 checksums cover a pseudo-header; the kernel verifies them
	// for ICMPv6 sockets and drops bad ones, so only IPv4 is checked.
	e.badSum = !v6 && checksum(b) != 0
	e.data = b[8:]
	return e, true
}

// notice is a redirect or source quench about one of our requests, as a
// raw IPv4 socket reads it (IP header first).
type notice struct {
	typ, code uint8
	gateway   netip.Addr
	// id, seq and dst are the quoted request's; quoted is its IP header.
	id, seq uint16
	dst     netip.Addr
	quoted  []byte
}

// parseNotice reads a redirect or source quench quoting an echo request;
// false for anything else.
func parseNotice(b []byte) (notice, bool) {
	var n notice
	if len(b) < 20 || b[0]>>4 != 4 || len(b) < int(b[0]&0x0f)*4 {
		return n, false
	}
	b = b[int(b[0]&0x0f)*4:]
	if len(b) < 8+20+8 || b[0] != redirect4 && b[0] != sourceQuench4 {
		return n, false
	}
	n.typ, n.code = b[0], b[1]
	n.gateway = netip.AddrFrom4([4]byte(b[4:8]))
	ip := b[8:]
	hlen := int(ip[0]&0x0f) * 4
	if ip[0]>>4 != 4 || hlen < 20 || len(ip) < hlen+8 || ip[hlen] != echoRequest4 {
		return n, false
	}
	n.dst = netip.AddrFrom4([4]byte(ip[16:20]))
	n.quoted = ip[:hlen]
	n.id = binary.BigEndian.Uint16(ip[hlen+4:])
	n.seq = binary.BigEndian.Uint16(ip[hlen+6:])
	return n, true
}

// Socket error queue origins (linux/errqueue.h).
const (
	originLocal = 1
	originICMP  = 2
	originICMP6 = 3
)

// queuedError is one message from the socket error queue: the kernel's
// sock_extended_err, the sender of the ICMP error and the header of the
// request it was about.
type queuedError struct {
	errno     uint32
	origin    uint8
	typ, code uint8
	info      uint32
	offender  netip.Addr
	// offenderScope is the offender's IPv6 scope ID (its interface).
	offenderScope uint32
	origType      uint8
	origID        uint16
	origSeq       uint16
	haveHeader    bool
}

// parseExtendedErr reads a sock_extended_err (16 bytes) followed by the
// offender's sockaddr, as IP_RECVERR / IPV6_RECVERR deliver it.
func parseExtendedErr(d []byte) (queuedError, bool) {
	var q queuedError
	if len(d) < 16 {
		return q, false
	}
	q.errno = binary.NativeEndian.Uint32(d[0:])
	q.origin = d[4]
	q.typ, q.code = d[5], d[6]
	q.info = binary.NativeEndian.Uint32(d[8:])
	sa := d[16:]
	if len(sa) >= 8 && binary.NativeEndian.Uint16(sa) == 2 { // AF_INET
		q.offender = netip.AddrFrom4([4]byte(sa[4:8]))
	} else if len(sa) >= 24 && binary.NativeEndian.Uint16(sa) == 10 { // AF_INET6
		q.offender = netip.AddrFrom16([16]byte(sa[8:24])).Unmap()
		if len(sa) >= 28 {
			q.offenderScope = binary.NativeEndian.Uint32(sa[24:])
		}
	}
	return q, true
}

// setOriginal records the ICMP header of the request the error is about,
// which the error queue returns as the message data.
func (q *queuedError) setOriginal(b []byte) {
	if len(b) < 8 {
		return
	}
	q.origType = b[0]
	q.origID = binary.BigEndian.Uint16(b[4:])
	q.origSeq = binary.BigEndian.Uint16(b[6:])
	q.haveHeader = true
}

// cmsgHeaderLen and cmsgAlign are struct cmsghdr's size and alignment on
// 64-bit Linux.
const (
	cmsgHeaderLen = 16
	cmsgAlign     = 8
)

// eachCmsg calls fn for every control message in oob. It is written out
// (rather than unix.ParseSocketControlMessage) so that the receive path
// does not allocate per packet.
func eachCmsg(oob []byte, fn func(level, typ int32, data []byte)) {
	for len(oob) >= cmsgHeaderLen {
		l := binary.NativeEndian.Uint64(oob)
		if l < cmsgHeaderLen || l > uint64(len(oob)) {
			return
		}
		fn(int32(binary.NativeEndian.Uint32(oob[8:])), int32(binary.NativeEndian.Uint32(oob[12:])), oob[cmsgHeaderLen:l])
		next := (l + cmsgAlign - 1) &^ (cmsgAlign - 1)
		if next >= uint64(len(oob)) {
			return
		}
		oob = oob[next:]
	}
}

package trace

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// ICMP types the engine reads, for IPv4 and IPv6.
const (
	icmp4EchoReply    = 0
	icmp4Unreach      = 3
	icmp4Echo         = 8
	icmp4TimeExceeded = 11
	icmp4ParamProblem = 12

	icmp6Unreach      = 1
	icmp6TooBig       = 2
	icmp6TimeExceeded = 3
	icmp6ParamProblem = 4
	icmp6Echo         = 128
	icmp6EchoReply    = 129
)

var errShort = errors.New("truncated packet")

// message is one ICMP message as the engine needs it: an echo reply (ID,
// Seq) or an error with the headers of the packet it quotes.
type message struct {
	Type, Code uint8
	// MTU is the next-hop MTU of Fragmentation Needed / Packet Too Big.
	MTU int
	// ID and Seq are set for echo replies.
	ID, Seq uint16
	// Quoted is the invoking packet of an error message.
	Quoted quoted
	// Extensions are the RFC 4884 objects that follow the quoted packet.
	Extensions []Extension
}

// quoted is the start of the packet an ICMP error quotes.
type quoted struct {
	Src, Dst netip.Addr
	Proto    uint8
	// L4 is what is left of the transport header and payload (routers may
	// quote as little as 8 bytes of it).
	L4 []byte
}

// Extension is one ICMP extension object (RFC 4884, RFC 4950 for MPLS).
type Extension struct {
	Class, Type uint8
	Data        []byte
}

// isError reports whether m carries a quoted packet.
func (m *message) isError(v6 bool) bool {
	if v6 {
		return m.Type < 128
	}
	return m.Type == icmp4Unreach || m.Type == icmp4TimeExceeded || m.Type == icmp4ParamProblem
}

// parseIPv4ICMP parses what a raw IPv4 ICMP socket reads: the IPv4 header
// then the ICMP message. It returns the sender and the message.
func parseIPv4ICMP(b []byte) (netip.Addr, message, error) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return netip.Addr{}, message{}, errShort
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 || len(b) < hl {
		return netip.Addr{}, message{}, errShort
	}
	from := netip.AddrFrom4([4]byte(b[12:16]))
	m, err := parseICMPv4(b[hl:])
	return from, m, err
}

// parseICMPv4 parses an ICMPv4 message (no IP header).
func parseICMPv4(b []byte) (message, error) {
	if len(b) < 8 {
		return message{}, errShort
	}
	m := message{Type: b[0], Code: b[1]}
	switch m.Type {
	case icmp4EchoReply:
		m.ID = binary.BigEndian.Uint16(b[4:6])
		m.Seq = binary.BigEndian.Uint16(b[6:8])
		return m, nil
	case icmp4Unreach, icmp4TimeExceeded, icmp4ParamProblem:
	default:
		return m, nil
	}
	if m.Type == icmp4Unreach && m.Code == 4 {
		m.MTU = int(binary.BigEndian.Uint16(b[6:8]))
	}
	body := b[8:]
	// RFC 4884: byte 5 is the length of the original datagram in 32-bit
	// words when extensions follow it.
	body, m.Extensions = splitExtensions(body, int(b[5])*4, 4)
	q, err := parseQuoted4(body)
	m.Quoted = q
	return m, err
}

// parseQuoted4 reads the IPv4 header a router quotes and the transport
// bytes after it.
func parseQuoted4(b []byte) (quoted, error) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return quoted{}, errShort
	}
	hl := int(b[0]&0x0f) * 4
	if hl < 20 || len(b) < hl {
		return quoted{}, errShort
	}
	return quoted{
		Src:   netip.AddrFrom4([4]byte(b[12:16])),
		Dst:   netip.AddrFrom4([4]byte(b[16:20])),
		Proto: b[9],
		L4:    b[hl:],
	}, nil
}

// parseICMPv6 parses an ICMPv6 message as a raw ICMPv6 socket reads it
// (the kernel strips the IPv6 header).
func parseICMPv6(b []byte) (message, error) {
	if len(b) < 8 {
		return message{}, errShort
	}
	m := message{Type: b[0], Code: b[1]}
	switch m.Type {
	case icmp6EchoReply:
		m.ID = binary.BigEndian.Uint16(b[4:6])
		m.Seq = binary.BigEndian.Uint16(b[6:8])
		return m, nil
	case icmp6TooBig:
		m.MTU = int(binary.BigEndian.Uint32(b[4:8]))
	case icmp6Unreach, icmp6TimeExceeded, icmp6ParamProblem:
	default:
		return m, nil
	}
	body := b[8:]
	// RFC 4884: byte 4 is the original datagram length in 64-bit words
	// (not for Packet Too Big, whose bytes 4-7 are the MTU).
	if m.Type != icmp6TooBig {
		body, m.Extensions = splitExtensions(body, int(b[4])*8, 8)
	}
	q, err := parseQuoted6(body)
	m.Quoted = q
	return m, err
}

// parseQuoted6 reads a quoted IPv6 header, skips the extension headers
// that may follow it and returns the transport bytes.
func parseQuoted6(b []byte) (quoted, error) {
	if len(b) < 40 || b[0]>>4 != 6 {
		return quoted{}, errShort
	}
	q := quoted{
		Src: netip.AddrFrom16([16]byte(b[8:24])),
		Dst: netip.AddrFrom16([16]byte(b[24:40])),
	}
	next, rest := b[6], b[40:]
	for i := 0; i < 8; i++ {
		switch next {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(rest) < 8 {
				return q, errShort
			}
			n := (int(rest[1]) + 1) * 8
			if len(rest) < n {
				return q, errShort
			}
			next, rest = rest[0], rest[n:]
		case 44: // fragment
			if len(rest) < 8 {
				return q, errShort
			}
			next, rest = rest[0], rest[8:]
		default:
			q.Proto, q.L4 = next, rest
			return q, nil
		}
	}
	return q, errors.New("too many IPv6 extension headers")
}

// splitExtensions finds the RFC 4884 extension structure after the quoted
// datagram in body. length is the datagram length the message gives (0
// when it gives none); without it, routers that predate the length field
// put the structure at 128 bytes or further on in steps of 4 (IPv4) or 8
// (IPv6), where traceroute -e looks for it too. It returns the datagram
// and the objects.
func splitExtensions(body []byte, length, step int) ([]byte, []Extension) {
	if length > 0 {
		if length > len(body) {
			return body, nil
		}
		ext, _ := parseExtensions(body[length:])
		return body[:length], ext
	}
	for off := 128; len(body)-off >= 8; off += step {
		if ext, ok := parseExtensions(body[off:]); ok {
			return body[:off], ext
		}
	}
	return body, nil
}

// parseExtensions reads an RFC 4884 extension structure as traceroute
// accepts it: a 4-byte header of version 2 whose checksum, when not zero,
// verifies, then objects (length, class, type, data in 32-bit words) that
// fill the rest exactly. ok is false for anything else.
func parseExtensions(b []byte) (ext []Extension, ok bool) {
	if len(b) < 8 || b[0]>>4 != 2 {
		return nil, false
	}
	if binary.BigEndian.Uint16(b[2:]) != 0 && fold(sum16(0, b)) != 0xffff {
		return nil, false
	}
	for rest := b[4:]; len(rest) > 0; {
		if len(rest) < 4 {
			return nil, false
		}
		n := int(binary.BigEndian.Uint16(rest[0:2]))
		if n < 4 || n > len(rest) || (n-4)%4 != 0 {
			return nil, false
		}
		ext = append(ext, Extension{Class: rest[2], Type: rest[3], Data: rest[4:n]})
		rest = rest[n:]
	}
	return ext, true
}

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
	if words := int(b[5]); words > 0 && words*4 <= len(body) {
		m.Extensions = parseExtensions(body[words*4:])
		body = body[:words*4]
	}
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
		if words := int(b[4]); words > 0 && words*8 <= len(body) {
			m.Extensions = parseExtensions(body[words*8:])
			body = body[:words*8]
		}
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

// parseExtensions reads an RFC 4884 extension structure: a 4-byte header
// (version 2) and objects of length, class, type and data. Malformed
// structures yield what was read before the fault.
func parseExtensions(b []byte) []Extension {
	if len(b) < 4 || b[0]>>4 != 2 {
		return nil
	}
	var out []Extension
	b = b[4:]
	for len(b) >= 4 {
		n := int(binary.BigEndian.Uint16(b[0:2]))
		if n < 4 || n > len(b) {
			break
		}
		out = append(out, Extension{Class: b[2], Type: b[3], Data: b[4:n]})
		b = b[n:]
	}
	return out
}

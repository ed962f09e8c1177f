package trace

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// ipv4 builds an IPv4 header (no options) for a payload.
func ipv4(src, dst string, proto uint8, payload []byte) []byte {
	b := make([]byte, 20, 20+len(payload))
	b[0] = 0x45
	binary.BigEndian.PutUint16(b[2:], uint16(20+len(payload)))
	b[8], b[9] = 1, proto
	s, d := netip.MustParseAddr(src).As4(), netip.MustParseAddr(dst).As4()
	copy(b[12:], s[:])
	copy(b[16:], d[:])
	return append(b, payload...)
}

// ipv6 builds an IPv6 header for a payload.
func ipv6(src, dst string, next uint8, payload []byte) []byte {
	b := make([]byte, 40, 40+len(payload))
	b[0] = 0x60
	binary.BigEndian.PutUint16(b[4:], uint16(len(payload)))
	b[6], b[7] = next, 1
	s, d := netip.MustParseAddr(src).As16(), netip.MustParseAddr(dst).As16()
	copy(b[8:], s[:])
	copy(b[24:], d[:])
	return append(b, payload...)
}

func udpHeader(sport, dport, sum uint16) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint16(b[4:], 40)
	binary.BigEndian.PutUint16(b[6:], sum)
	return b
}

// icmpError builds an ICMP error header (type, code, rest-of-header) and
// appends the quoted packet.
func icmpError(typ, code uint8, rest uint32, quoted []byte) []byte {
	b := make([]byte, 8)
	b[0], b[1] = typ, code
	binary.BigEndian.PutUint32(b[4:], rest)
	return append(b, quoted...)
}

// mplsExtension is an RFC 4950 extension structure with one label stack
// entry (label 16, TC 0, bottom of stack, TTL 1) and its checksum.
func mplsExtension() []byte {
	b := []byte{0x20, 0, 0, 0, 0, 8, 1, 1, 0x00, 0x01, 0x01, 0x01}
	binary.BigEndian.PutUint16(b[2:], ^fold(sum16(0, b)))
	return b
}

func TestParseIPv4TimeExceeded(t *testing.T) {
	inner := ipv4("10.0.1.1", "10.0.5.2", 17, udpHeader(40000, 33435, 0xabcd))
	pkt := ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, inner))
	from, m, err := parseIPv4ICMP(pkt)
	if err != nil {
		t.Fatal(err)
	}
	if from != netip.MustParseAddr("10.0.2.2") || m.Type != 11 || m.Code != 0 {
		t.Fatalf("from %s type %d code %d", from, m.Type, m.Code)
	}
	q := m.Quoted
	if q.Dst != netip.MustParseAddr("10.0.5.2") || q.Proto != 17 || binary.BigEndian.Uint16(q.L4[2:]) != 33435 {
		t.Fatalf("quoted %+v", q)
	}
}

func TestParseIPv4Extensions(t *testing.T) {
	// The original datagram padded to 128 bytes, its length in words in
	// byte 5, then the extension structure (RFC 4884).
	inner := ipv4("10.0.1.1", "10.0.5.2", 17, udpHeader(40000, 33435, 1))
	padded := append(inner, make([]byte, 128-len(inner))...)
	msg := icmpError(11, 0, 128/4<<16, append(padded, mplsExtension()...))
	_, m, err := parseIPv4ICMP(ipv4("10.0.2.2", "10.0.1.1", 1, msg))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Extensions) != 1 || m.Extensions[0].Class != 1 || len(m.Extensions[0].Data) != 4 {
		t.Fatalf("extensions %+v", m.Extensions)
	}
	if len(m.Quoted.L4) != 128-20 {
		t.Errorf("quoted transport bytes %d, want %d", len(m.Quoted.L4), 128-20)
	}
}

func TestParseExtensionsWithoutLength(t *testing.T) {
	// A router that predates RFC 4884's length field: the structure sits at
	// 128 bytes into the quoted datagram (traceroute -e finds it there).
	inner := ipv4("10.0.1.1", "10.0.5.2", 17, udpHeader(40000, 33435, 1))
	padded := append(inner, make([]byte, 128-len(inner))...)
	_, m, err := parseIPv4ICMP(ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, append(padded, mplsExtension()...))))
	if err != nil || len(m.Extensions) != 1 || m.Extensions[0].Class != 1 {
		t.Fatalf("extensions %+v, err %v", m.Extensions, err)
	}
	// A bad checksum or a structure that does not fill the message is no
	// extension.
	bad := mplsExtension()
	bad[3] ^= 0xff
	if ext, ok := parseExtensions(bad); ok {
		t.Errorf("bad checksum accepted: %+v", ext)
	}
	if ext, ok := parseExtensions(append(mplsExtension(), 0, 0)); ok {
		t.Errorf("trailing bytes accepted: %+v", ext)
	}
}

func TestParseIPv4FragNeeded(t *testing.T) {
	inner := ipv4("10.0.1.1", "10.0.5.2", 17, udpHeader(1, 2, 3))
	_, m, err := parseIPv4ICMP(ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(3, 4, 1400, inner)))
	if err != nil || m.MTU != 1400 {
		t.Fatalf("mtu %d err %v", m.MTU, err)
	}
}

func TestParseICMPv6(t *testing.T) {
	// A hop-by-hop header between the quoted IPv6 header and UDP.
	hbh := append([]byte{17, 0}, make([]byte, 6)...)
	inner := ipv6("fd00:1::1", "fd00:5::2", 0, append(hbh, udpHeader(40000, 33436, 7)...))
	m, err := parseICMPv6(icmpError(3, 0, 0, inner))
	if err != nil {
		t.Fatal(err)
	}
	if m.Quoted.Proto != 17 || m.Quoted.Dst != netip.MustParseAddr("fd00:5::2") || binary.BigEndian.Uint16(m.Quoted.L4[2:]) != 33436 {
		t.Fatalf("quoted %+v", m.Quoted)
	}
	m, err = parseICMPv6(icmpError(2, 0, 1280, inner))
	if err != nil || m.MTU != 1280 {
		t.Fatalf("packet too big: mtu %d err %v", m.MTU, err)
	}
	m, err = parseICMPv6([]byte{129, 0, 0, 0, 0x12, 0x34, 0, 9})
	if err != nil || m.ID != 0x1234 || m.Seq != 9 {
		t.Fatalf("echo reply %+v %v", m, err)
	}
}

func TestParseMalformed(t *testing.T) {
	inner := ipv4("10.0.1.1", "10.0.5.2", 17, udpHeader(1, 2, 3))
	bad := [][]byte{
		nil,
		{0x45},
		ipv4("10.0.2.2", "10.0.1.1", 1, []byte{11, 0, 0}),
		ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, inner[:12])),
		ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, append([]byte{0x4f}, inner[1:]...))),
		ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, ipv6("::1", "::2", 17, nil))),
	}
	for i, b := range bad {
		if _, _, err := parseIPv4ICMP(b); err == nil {
			t.Errorf("case %d: no error for %x", i, b)
		}
	}
}

func FuzzParseICMPv4(f *testing.F) {
	inner := ipv4("10.0.1.1", "10.0.5.2", 17, udpHeader(40000, 33435, 0xabcd))
	f.Add(ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, inner)))
	f.Add(ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(3, 4, 1400, inner[:24])))
	padded := append(append([]byte{}, inner...), make([]byte, 100)...)
	f.Add(ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 32<<16, append(padded, mplsExtension()...))))
	f.Add(ipv4("10.0.2.2", "10.0.1.1", 1, icmpError(11, 0, 0, ipv4("10.0.1.1", "10.0.5.2", 6, nil))))
	f.Add([]byte{0x4f, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, m, err := parseIPv4ICMP(b)
		if err == nil && m.isError(false) && len(m.Quoted.L4) > len(b) {
			t.Fatalf("quoted transport longer than the packet")
		}
		for _, mt := range fuzzMatchers(false) {
			mt.fromICMP(b, netip.Addr{})
			mt.fromTCP(b, netip.Addr{})
		}
	})
}

func FuzzParseICMPv6(f *testing.F) {
	inner := ipv6("fd00:1::1", "fd00:5::2", 17, udpHeader(40000, 33436, 7))
	f.Add(icmpError(3, 0, 0, inner))
	f.Add(icmpError(1, 4, 0, inner[:44]))
	f.Add(icmpError(2, 0, 1280, inner))
	padded := append(append([]byte{}, inner...), make([]byte, 128-len(inner))...)
	f.Add(icmpError(3, 0, 16<<24, append(padded, mplsExtension()...)))
	f.Add(icmpError(3, 0, 0, ipv6("::1", "::2", 44, make([]byte, 8))))
	f.Add([]byte{129, 0, 0, 0, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseICMPv6(b)
		if err == nil && m.isError(true) && len(m.Quoted.L4) > len(b) {
			t.Fatalf("quoted transport longer than the packet")
		}
		for _, mt := range fuzzMatchers(true) {
			mt.fromICMP(b, netip.MustParseAddr("fd00:2::2"))
			mt.fromTCP(b, netip.MustParseAddr("fd00:5::2"))
		}
	})
}

// fuzzMatchers are matchers of every method for the fuzz seeds' addresses
// and ports, so that fuzzing reaches the reading of quoted headers.
func fuzzMatchers(v6 bool) []matcher {
	dst := netip.MustParseAddr("10.0.5.2")
	if v6 {
		dst = netip.MustParseAddr("fd00:5::2")
	}
	var out []matcher
	for _, m := range []Method{UDP, ICMP, TCP} {
		for _, paris := range []bool{false, true} {
			out = append(out, matcher{method: m, paris: paris, v6: v6, dst: dst, port: 33434, sport: 40000, echoID: 0x4242})
		}
	}
	return out
}

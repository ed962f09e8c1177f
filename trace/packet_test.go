package trace

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

func TestSteerUDPChecksum(t *testing.T) {
	pairs := []struct{ src, dst string }{
		{"10.0.1.1", "10.0.5.2"},
		{"192.168.255.254", "1.2.3.4"},
		{"fd00:1::1", "fd00:5::2"},
		{"2001:db8::ffff", "::1"},
	}
	for _, p := range pairs {
		src, dst := netip.MustParseAddr(p.src), netip.MustParseAddr(p.dst)
		for _, want := range []uint16{1, 2, 0x1234, 0x8000, 0xfffd} {
			for _, n := range []int{2, 3, 32, 33} {
				d := make([]byte, 8+n)
				binary.BigEndian.PutUint16(d[0:], 40000)
				binary.BigEndian.PutUint16(d[2:], 33434)
				binary.BigEndian.PutUint16(d[4:], uint16(len(d)))
				fillPayload(d[8:])
				steerUDPChecksum(src, dst, 40000, 33434, d[8:], want)
				if got := udpChecksum(src, dst, d); got != want {
					t.Errorf("%s>%s len %d: checksum %#04x, want %#04x", p.src, p.dst, n, got, want)
				}
			}
		}
	}
}

func TestEchoRequestParisChecksumConstant(t *testing.T) {
	first := echoRequest(false, 0x4242, 1, 40, true)
	for seq := uint16(1); seq < 2000; seq += 7 {
		b := echoRequest(false, 0x4242, seq, 40, true)
		if b[2] != first[2] || b[3] != first[3] {
			t.Fatalf("seq %d: checksum %x%x differs from %x%x", seq, b[2], b[3], first[2], first[3])
		}
		if fold(sum16(0, b)) != 0xffff {
			t.Fatalf("seq %d: checksum does not verify", seq)
		}
		if got := binary.BigEndian.Uint16(b[6:]); got != seq {
			t.Fatalf("seq field %d, want %d", got, seq)
		}
	}
	a, b := echoRequest(false, 1, 1, 40, false), echoRequest(false, 1, 2, 40, false)
	if a[2] == b[2] && a[3] == b[3] {
		t.Error("without Paris the checksum should follow the sequence number")
	}
}

func TestTCPSYNChecksum(t *testing.T) {
	src, dst := netip.MustParseAddr("10.0.1.1"), netip.MustParseAddr("10.0.5.2")
	b := tcpSYN(src, dst, 40000, 80, 0xdeadbeef, 1460)
	if len(b) != tcpHeaderLen || b[13] != tcpSYNFlag {
		t.Fatalf("bad SYN: %x", b)
	}
	if fold(sum16(pseudoSum(src, dst, 6, len(b)), b)) != 0xffff {
		t.Error("TCP checksum does not verify")
	}
}

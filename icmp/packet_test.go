package icmp

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"
)

// ipv4 wraps an ICMP message in a minimal IPv4 header with the given TTL.
func ipv4(ttl byte, icmp []byte) []byte {
	h := make([]byte, 20, 20+len(icmp))
	h[0] = 0x45
	h[8] = ttl
	h[9] = 1
	return append(h, icmp...)
}

func echoMsg(typ byte, id, seq uint16, data int, fixSum bool) []byte {
	b := make([]byte, 8+data)
	fillPattern(b, nil)
	b[0] = typ
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	if fixSum {
		binary.BigEndian.PutUint16(b[2:], checksum(b))
	}
	return b
}

func TestParseEcho(t *testing.T) {
	good := echoMsg(echoReply4, 0x1234, 7, 56, true)
	bad := append([]byte(nil), good...)
	bad[20] ^= 0xff
	withOpts := append([]byte{0x46, 0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, good...)
	cases := []struct {
		name         string
		b            []byte
		v6, withIP   bool
		ok           bool
		id, seq      uint16
		ttl, icmpLen int
		badSum       bool
	}{
		{"raw v4", ipv4(61, good), false, true, true, 0x1234, 7, 61, 64, false},
		{"raw v4 with options", withOpts, false, true, true, 0x1234, 7, 9, 64, false},
		{"datagram v4", good, false, false, true, 0x1234, 7, -1, 64, false},
		{"bad checksum", ipv4(64, bad), false, true, true, 0x1234, 7, 64, 64, true},
		{"echo request is not a reply", ipv4(64, echoMsg(echoRequest4, 1, 1, 8, true)), false, true, false, 0, 0, 0, 0, false},
		{"v6 reply", echoMsg(echoReply6, 9, 65535, 16, false), true, false, true, 9, 65535, -1, 24, false},
		{"v4 reply on v6 socket", echoMsg(echoReply4, 9, 1, 16, false), true, false, false, 0, 0, 0, 0, false},
		{"truncated header", good[:7], false, false, false, 0, 0, 0, 0, false},
		{"short IP header", ipv4(64, good)[:24], false, true, false, 0, 0, 0, 0, false},
		{"IHL below 5", append([]byte{0x44}, ipv4(64, good)[1:]...), false, true, false, 0, 0, 0, 0, false},
		{"not IPv4", append([]byte{0x65}, ipv4(64, good)[1:]...), false, true, false, 0, 0, 0, 0, false},
		{"empty", nil, false, true, false, 0, 0, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, ok := parseEcho(c.b, c.v6, c.withIP)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			if e.id != c.id || e.seq != c.seq || e.ttl != c.ttl || e.icmpLen != c.icmpLen || e.badSum != c.badSum {
				t.Fatalf("got id=%#x seq=%d ttl=%d len=%d badSum=%v, want id=%#x seq=%d ttl=%d len=%d badSum=%v",
					e.id, e.seq, e.ttl, e.icmpLen, e.badSum, c.id, c.seq, c.ttl, c.icmpLen, c.badSum)
			}
		})
	}
}

func TestSetEchoChecksum(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 56, 1471} {
		pkt := make([]byte, 8+n)
		fillPattern(pkt, nil)
		setEcho(pkt, false, 0xbeef, 42, time.Unix(1700000000, 123456000))
		if checksum(pkt) != 0 {
			t.Errorf("%d data bytes: checksum does not verify", n)
		}
		if pkt[0] != echoRequest4 || binary.BigEndian.Uint16(pkt[4:]) != 0xbeef || binary.BigEndian.Uint16(pkt[6:]) != 42 {
			t.Errorf("%d data bytes: header % x", n, pkt[:8])
		}
		if n >= timevalLen {
			if sec := binary.NativeEndian.Uint64(pkt[8:]); sec != 1700000000 {
				t.Errorf("timeval seconds = %d", sec)
			}
			if usec := binary.NativeEndian.Uint64(pkt[16:]); usec != 123456 {
				t.Errorf("timeval microseconds = %d", usec)
			}
		}
	}
}

func TestParseExtendedErr(t *testing.T) {
	d := make([]byte, 16+16)
	binary.NativeEndian.PutUint32(d[0:], 113) // EHOSTUNREACH
	d[4], d[5], d[6] = originICMP, 3, 1
	binary.NativeEndian.PutUint16(d[16:], 2)
	copy(d[20:], []byte{10, 0, 1, 254})
	q, ok := parseExtendedErr(d)
	if !ok || q.origin != originICMP || q.typ != 3 || q.code != 1 || q.offender != netip.MustParseAddr("10.0.1.254") {
		t.Fatalf("parseExtendedErr = %+v, %v", q, ok)
	}
	q.setOriginal(echoMsg(echoRequest4, 77, 5, 8, true))
	if !q.haveHeader || q.origID != 77 || q.origSeq != 5 || q.origType != echoRequest4 {
		t.Fatalf("setOriginal = %+v", q)
	}
	if _, ok := parseExtendedErr(d[:15]); ok {
		t.Fatal("short sock_extended_err accepted")
	}
}

func TestEachCmsg(t *testing.T) {
	// Two messages: a 4-byte TTL (padded to 8) and a 16-byte timespec.
	oob := make([]byte, 0, 64)
	oob = binary.NativeEndian.AppendUint64(oob, cmsgHeaderLen+4)
	oob = binary.NativeEndian.AppendUint32(oob, 0)
	oob = binary.NativeEndian.AppendUint32(oob, 2)
	oob = binary.NativeEndian.AppendUint32(oob, 63)
	oob = append(oob, 0, 0, 0, 0)
	oob = binary.NativeEndian.AppendUint64(oob, cmsgHeaderLen+16)
	oob = binary.NativeEndian.AppendUint32(oob, 1)
	oob = binary.NativeEndian.AppendUint32(oob, 35)
	oob = binary.NativeEndian.AppendUint64(oob, 5)
	oob = binary.NativeEndian.AppendUint64(oob, 6)
	var got []int32
	eachCmsg(oob, func(level, typ int32, d []byte) { got = append(got, level, typ, int32(len(d))) })
	want := []int32{0, 2, 4, 1, 35, 16}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// FuzzParse feeds garbage to every parser of received bytes: none may panic.
func FuzzParse(f *testing.F) {
	f.Add(ipv4(64, echoMsg(echoReply4, 1, 1, 56, true)))
	f.Add(echoMsg(echoReply6, 1, 1, 56, false))
	f.Add([]byte{0x4f, 0, 0, 0})
	f.Add([]byte{})
	f.Add(make([]byte, 40))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v6 := range []bool{false, true} {
			for _, withIP := range []bool{false, true} {
				if e, ok := parseEcho(b, v6, withIP); ok && e.icmpLen < 8 {
					t.Fatalf("accepted %d-byte ICMP message", e.icmpLen)
				}
			}
		}
		if q, ok := parseExtendedErr(b); ok {
			q.setOriginal(b)
		}
		eachCmsg(b, func(int32, int32, []byte) {})
		checksum(b)
	})
}

func TestPingFillPattern(t *testing.T) {
	cases := []struct {
		name    string
		pattern []byte
		n       int
		want    []byte
	}{
		{"default", nil, 5, []byte{0, 1, 2, 3, 4}},
		{"one byte", []byte{0xff}, 3, []byte{0xff, 0xff, 0xff}},
		{"repeated", []byte{0xab, 0x0c}, 5, []byte{0xab, 0x0c, 0xab, 0x0c, 0xab}},
		{"empty leaves zeros", []byte{}, 3, []byte{0, 0, 0}},
		{"longer than the data", []byte{1, 2, 3, 4}, 2, []byte{1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pkt := make([]byte, 8+c.n)
			fillPattern(pkt, c.pattern)
			if string(pkt[8:]) != string(c.want) {
				t.Fatalf("data % x, want % x", pkt[8:], c.want)
			}
		})
	}
}

func TestPingWrongByte(t *testing.T) {
	sent := make([]byte, 8+40)
	fillPattern(sent, []byte{0x0f})
	data := append([]byte(nil), sent[8:]...)
	if i := wrongByte(data, sent[8:], 40); i != 0 {
		t.Fatalf("intact reply: wrong byte %d", i)
	}
	// The timestamp area is not checked; byte 20 is.
	data[3], data[20] = 0xee, 0x55
	if i := wrongByte(data, sent[8:], 40); i != 20 {
		t.Fatalf("wrong byte %d, want 20", i)
	}
	if i := wrongByte(data, sent[8:], 20); i != 0 {
		t.Fatalf("beyond dataLen: wrong byte %d, want 0", i)
	}
}

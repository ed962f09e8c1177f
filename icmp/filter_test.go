package icmp

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"golang.org/x/net/bpf"
)

// redirectMsg is an ICMP redirect (or other type) from a router quoting
// an IPv4 header with ihl words and the first 8 bytes of an ICMP message.
func redirectMsg(typ, code byte, gw [4]byte, ihl int, quoted []byte) []byte {
	b := []byte{typ, code, 0, 0, gw[0], gw[1], gw[2], gw[3]}
	ip := make([]byte, ihl*4)
	ip[0] = 0x40 | byte(ihl)
	ip[9] = 1
	copy(ip[16:], []byte{10, 9, 0, 1})
	return append(append(b, ip...), quoted[:8]...)
}

func TestPingFilterAndNotices(t *testing.T) {
	const id = 0x1234
	gw := [4]byte{10, 0, 0, 3}
	cases := []struct {
		name   string
		pkt    []byte
		pass   bool
		notice bool
	}{
		{"our reply", ipv4(64, echoMsg(echoReply4, id, 1, 56, true)), true, false},
		{"another pinger's reply", ipv4(64, echoMsg(echoReply4, id+1, 1, 56, true)), false, false},
		{"redirect about our request", ipv4(64, redirectMsg(redirect4, 1, gw, 5, echoMsg(echoRequest4, id, 7, 8, true))), true, true},
		{"redirect quoting IP options", ipv4(64, redirectMsg(redirect4, 1, gw, 6, echoMsg(echoRequest4, id, 7, 8, true))), true, true},
		{"source quench about our request", ipv4(64, redirectMsg(sourceQuench4, 0, [4]byte{}, 5, echoMsg(echoRequest4, id, 7, 8, true))), true, true},
		{"redirect about another's request", ipv4(64, redirectMsg(redirect4, 1, gw, 5, echoMsg(echoRequest4, id+1, 7, 8, true))), false, true},
		{"redirect about a reply", ipv4(64, redirectMsg(redirect4, 1, gw, 5, echoMsg(echoReply4, id, 7, 8, true))), false, false},
		{"unreachable (read from the error queue)", ipv4(64, redirectMsg(3, 1, gw, 5, echoMsg(echoRequest4, id, 7, 8, true))), false, false},
	}
	vm, err := bpf.NewVM(filterProgram(false, id))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := vm.Run(c.pkt)
			if err != nil {
				t.Fatal(err)
			}
			if (n > 0) != c.pass {
				t.Errorf("filter passed %d bytes, want pass=%v", n, c.pass)
			}
			nt, ok := parseNotice(c.pkt)
			if ok != c.notice {
				t.Fatalf("parseNotice ok=%v, want %v", ok, c.notice)
			}
			if ok && (nt.seq != 7 || nt.dst != netip.MustParseAddr("10.9.0.1") || nt.typ == redirect4 && nt.gateway != netip.AddrFrom4(gw)) {
				t.Errorf("notice %+v", nt)
			}
		})
	}
	// The IPv6 filter looks at the echo identifier only.
	vm6, err := bpf.NewVM(filterProgram(true, id))
	if err != nil {
		t.Fatal(err)
	}
	reply := echoMsg(echoReply6, id, 1, 16, false)
	if n, _ := vm6.Run(reply); n == 0 {
		t.Error("IPv6 filter dropped our reply")
	}
	binary.BigEndian.PutUint16(reply[4:], id+1)
	if n, _ := vm6.Run(reply); n != 0 {
		t.Error("IPv6 filter passed another pinger's reply")
	}
}

func FuzzPingParseNotice(f *testing.F) {
	f.Add(ipv4(64, redirectMsg(redirect4, 1, [4]byte{10, 0, 0, 3}, 5, echoMsg(echoRequest4, 1, 7, 8, true))))
	f.Add([]byte{0x4f, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) { parseNotice(b) })
}

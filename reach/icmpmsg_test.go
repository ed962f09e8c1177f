package reach

import (
	"net/netip"
	"testing"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

func marshal(t testing.TB, m icmp.Message) []byte {
	b, err := m.Marshal(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// quote4 builds the start of an IPv4 echo request to dst as an ICMP error
// quotes it.
func quote4(t testing.TB, dst string, id, seq int) []byte {
	h := make([]byte, 20)
	h[0], h[9] = 0x45, protoICMP
	a := netip.MustParseAddr(dst).As4()
	copy(h[16:], a[:])
	return append(h, marshal(t, icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: id, Seq: seq}})...)
}

func quote6(t testing.TB, dst string, id, seq int) []byte {
	h := make([]byte, 40)
	h[0], h[6] = 0x60, protoICMPv6
	a := netip.MustParseAddr(dst).As16()
	copy(h[24:], a[:])
	return append(h, marshal(t, icmp.Message{Type: ipv6.ICMPTypeEchoRequest, Body: &icmp.Echo{ID: id, Seq: seq}})...)
}

func TestParseAnswer(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		v6   bool
		want answer
		ok   bool
	}{
		{"v4 reply", marshal(t, icmp.Message{Type: ipv4.ICMPTypeEchoReply, Body: &icmp.Echo{ID: 7, Seq: 2, Data: []byte("n")}}), false,
			answer{reply: true, id: 7, seq: 2, nonce: []byte("n")}, true},
		{"v4 request is not an answer", marshal(t, icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: 7, Seq: 2}}), false, answer{}, false},
		{"v4 host unreachable", marshal(t, icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 1, Body: &icmp.DstUnreach{Data: quote4(t, "10.0.2.2", 9, 3)}}), false,
			answer{id: 9, seq: 3, typ: 3, code: 1, quotedTo: netip.MustParseAddr("10.0.2.2")}, true},
		{"v4 time exceeded", marshal(t, icmp.Message{Type: ipv4.ICMPTypeTimeExceeded, Body: &icmp.TimeExceeded{Data: quote4(t, "10.0.9.1", 1, 1)}}), false,
			answer{id: 1, seq: 1, typ: 11, quotedTo: netip.MustParseAddr("10.0.9.1")}, true},
		{"v4 error quoting UDP", marshal(t, icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 3, Body: &icmp.DstUnreach{Data: func() []byte {
			b := quote4(t, "10.0.2.2", 9, 3)
			b[9] = 17
			return b
		}()}}), false, answer{}, false},
		{"v4 error truncated quote", marshal(t, icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Body: &icmp.DstUnreach{Data: quote4(t, "10.0.2.2", 9, 3)[:24]}}), false, answer{}, false},
		{"v6 reply", marshal(t, icmp.Message{Type: ipv6.ICMPTypeEchoReply, Body: &icmp.Echo{ID: 7, Seq: 1}}), true,
			answer{reply: true, id: 7, seq: 1}, true},
		{"v6 address unreachable", marshal(t, icmp.Message{Type: ipv6.ICMPTypeDestinationUnreachable, Code: 3, Body: &icmp.DstUnreach{Data: quote6(t, "fd00:2::2", 4, 2)}}), true,
			answer{id: 4, seq: 2, typ: 1, code: 3, quotedTo: netip.MustParseAddr("fd00:2::2")}, true},
		{"garbage", []byte{1, 2}, false, answer{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseAnswer(c.b, c.v6)
			if ok != c.ok || got.reply != c.want.reply || got.id != c.want.id || got.seq != c.want.seq ||
				got.typ != c.want.typ || got.code != c.want.code || got.quotedTo != c.want.quotedTo || string(got.nonce) != string(c.want.nonce) {
				t.Errorf("parseAnswer = %+v, %v; want %+v, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestICMPReason(t *testing.T) {
	cases := []struct {
		v6        bool
		typ, code int
		want      string
	}{
		{false, 3, 1, "Destination Host Unreachable"},
		{false, 3, 13, "Packet filtered"},
		{false, 3, 99, "Dest Unreachable, Bad Code: 99"},
		{false, 11, 0, "Time to live exceeded"},
		{true, 1, 3, "Destination unreachable: Address unreachable"},
		{true, 1, 1, "Destination unreachable: Administratively prohibited"},
		{true, 3, 0, "Time exceeded: Hop limit"},
	}
	for _, c := range cases {
		if got := icmpReason(c.v6, c.typ, c.code); got != c.want {
			t.Errorf("icmpReason(%v, %d, %d) = %q, want %q", c.v6, c.typ, c.code, got, c.want)
		}
	}
}

func FuzzParseAnswer(f *testing.F) {
	f.Add(marshal(f, icmp.Message{Type: ipv4.ICMPTypeDestinationUnreachable, Code: 1, Body: &icmp.DstUnreach{Data: quote4(f, "10.0.2.2", 9, 3)}}), false)
	f.Add(marshal(f, icmp.Message{Type: ipv6.ICMPTypeDestinationUnreachable, Code: 3, Body: &icmp.DstUnreach{Data: quote6(f, "fd00::2", 4, 2)}}), true)
	f.Add(marshal(f, icmp.Message{Type: ipv4.ICMPTypeEchoReply, Body: &icmp.Echo{ID: 7, Seq: 2}}), false)
	f.Fuzz(func(t *testing.T, b []byte, v6 bool) {
		a, ok := parseAnswer(b, v6)
		if ok && !a.reply && !a.quotedTo.IsValid() {
			t.Fatalf("error answer without a quoted destination: %+v", a)
		}
	})
}

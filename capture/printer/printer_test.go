package printer

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

var fuzzLinks = []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2,
	layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6}

func linkIndex(l layers.LinkType) byte {
	for i, v := range fuzzLinks {
		if v == l {
			return byte(i)
		}
	}
	return 0
}

// allOptions are the flag sets the fuzzer and the allocation test cycle through.
var allOptions = []Options{
	{}, {LinkHeader: true}, {Verbose: 1}, {Quiet: true}, {LinkHeader: true, Verbose: 1, Hex: HexASCIIFrame},
	{Timestamp: TimestampDelta, Hex: HexPayload}, {Timestamp: TimestampDate, Quiet: true, LinkHeader: true},
	{Hex: ASCIIPayload, Verbose: 2, Number: true}, {Timestamp: TimestampDelta, Nanoseconds: true, AbsoluteSeq: true},
}

// FuzzAppend feeds random frames of every link type through every flag set:
// the printer must never panic and always end the line.
func FuzzAppend(f *testing.F) {
	for _, c := range corpus {
		for _, r := range c.build(f) {
			f.Add(linkIndex(c.link), r.data, uint16(r.wire))
		}
	}
	printers := make([]*Printer, len(allOptions))
	for i, o := range allOptions {
		o.Location = time.UTC
		printers[i] = New(o)
	}
	f.Fuzz(func(t *testing.T, link byte, data []byte, wire uint16) {
		pkt := &Packet{Time: corpusTime, LinkType: fuzzLinks[int(link)%len(fuzzLinks)], Data: data, Length: int(wire)}
		for _, p := range printers {
			out := p.Append(nil, pkt)
			if len(out) == 0 || out[len(out)-1] != '\n' {
				t.Fatalf("line not newline-terminated: %q", out)
			}
			if bytes.Count(out, []byte("\n")) > 1 && p.opts.Hex == HexNone && p.opts.Verbose == 0 && bytes.Contains(out, []byte("\n\n")) {
				t.Fatalf("empty line in %q", out)
			}
			if j := p.AppendJSON(nil, pkt); len(j) == 0 || j[len(j)-1] != '\n' || !json.Valid(j) {
				t.Fatalf("invalid JSON line: %q", j)
			}
		}
	})
}

// TestAppendAllocs checks the steady state allocates nothing: the capture
// loop prints millions of packets.
func TestAppendAllocs(t *testing.T) {
	var pkts []Packet
	for _, c := range corpus {
		for _, r := range c.build(t) {
			pkts = append(pkts, Packet{Time: corpusTime, LinkType: c.link, Data: r.data, Length: r.wire, Interface: "eth0"})
		}
	}
	for _, o := range allOptions {
		p := New(o)
		buf := make([]byte, 0, 1<<16)
		run := func() {
			for i := range pkts {
				buf = p.Append(buf[:0], &pkts[i])
			}
		}
		run() // first sight of each TCP connection fills the state map
		if n := testing.AllocsPerRun(5, run); n != 0 {
			t.Errorf("%+v: %.1f allocations per %d packets, want 0", o, n, len(pkts))
		}
	}
}

func TestNetNSPrefixAndTimestamps(t *testing.T) {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
	pkt := func(d time.Duration) *Packet {
		return &Packet{Time: t0.Add(d), LinkType: layers.LinkTypeRaw, NetNS: "ns1", Data: []byte{0x45}}
	}
	tests := []struct {
		ts   TimestampFormat
		want []string
	}{
		{TimestampDefault, []string{"ns1: 03:04:05.000006 IP  [|ip]\n", "ns1: 03:04:06.500006 IP  [|ip]\n"}},
		{TimestampEpoch, []string{"ns1: 1704164645.000006 IP  [|ip]\n", "ns1: 1704164646.500006 IP  [|ip]\n"}},
		{TimestampDelta, []string{"ns1:  00:00:00.000000 IP  [|ip]\n", "ns1:  00:00:01.500000 IP  [|ip]\n", "ns1: -00:00:01.000000 IP  [|ip]\n"}},
		{TimestampSinceFirst, []string{"ns1:  00:00:00.000000 IP  [|ip]\n", "ns1:  00:00:01.500000 IP  [|ip]\n", "ns1:  00:00:00.500000 IP  [|ip]\n"}},
		{TimestampDate, []string{"ns1: 2024-01-02 03:04:05.000006 IP  [|ip]\n"}},
		{TimestampNone, []string{"ns1: IP  [|ip]\n"}},
	}
	steps := []time.Duration{0, 1500 * time.Millisecond, 500 * time.Millisecond}
	for _, tt := range tests {
		p := New(Options{Timestamp: tt.ts, Location: time.UTC})
		for i, want := range tt.want {
			if got := string(p.Append(nil, pkt(steps[i]))); got != want {
				t.Errorf("format %d packet %d: got %q, want %q", tt.ts, i, got, want)
			}
		}
	}
}

// TestDeltaOfMicroseconds: tcpdump subtracts timestamps already cut to
// microseconds, so nanoseconds below never shift a delta.
func TestDeltaOfMicroseconds(t *testing.T) {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, ts := range []TimestampFormat{TimestampDelta, TimestampSinceFirst} {
		p := New(Options{Timestamp: ts, Location: time.UTC})
		var got string
		for _, at := range []time.Duration{990, 4035000} {
			got = string(p.Append(nil, &Packet{Time: t0.Add(at), LinkType: layers.LinkTypeRaw, Data: []byte{0x45}}))
		}
		if want := " 00:00:00.004035 IP  [|ip]\n"; got != want {
			t.Errorf("format %d: got %q, want %q", ts, got, want)
		}
	}
}

func TestAppendJSON(t *testing.T) {
	ipv4 := ipv4Corpus(t)
	tests := []struct {
		name string
		pkt  Packet
		want map[string]any
	}{
		{"echo", Packet{LinkType: layers.LinkTypeEthernet, Data: ipv4[0].data, NetNS: "ns1"}, map[string]any{
			"netns": "ns1", "caplen": 98.0, "len": 98.0,
			"eth":     map[string]any{"src": "02:00:00:00:00:0a", "dst": "02:00:00:00:00:0b", "type": 2048.0},
			"ip":      map[string]any{"version": 4.0, "src": "10.0.1.254", "dst": "10.0.0.2", "ttl": 64.0, "id": 4660.0, "proto": 1.0, "length": 84.0, "frag_offset": 0.0, "df": false, "mf": false},
			"icmp":    map[string]any{"type": 8.0, "code": 0.0, "id": 7210.0, "seq": 1.0},
			"summary": "IP 10.0.1.254 > 10.0.0.2: ICMP echo request, id 7210, seq 1, length 64",
		}},
		{"syn", Packet{LinkType: layers.LinkTypeRaw, Data: ipv4[36].data[14:], Interface: "eth0"}, map[string]any{
			"interface": "eth0",
			"tcp":       map[string]any{"sport": 45678.0, "dport": 80.0, "seq": 3000000000.0, "ack": 0.0, "flags": "S", "win": 64240.0},
			"summary":   "IP 10.0.0.1.45678 > 10.0.0.2.80: Flags [S], seq 3000000000, win 64240, options [mss 1460,sackOK,TS val 4096 ecr 0,nop,wscale 7], length 0",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.pkt.Time = corpusTime
			line := New(Options{Verbose: 0, Hex: HexASCIIFrame}).AppendJSON(nil, &tt.pkt)
			var got map[string]any
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			if got["time"] != "2024-03-09T23:59:58.987654000Z" {
				t.Errorf("time = %v", got["time"])
			}
			for k, want := range tt.want {
				if g, _ := json.Marshal(got[k]); string(g) != mustJSON(want) {
					t.Errorf("%s = %s, want %s", k, g, mustJSON(want))
				}
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestIPv6Text checks addresses where tcpdump's inet_ntop and netip could
// disagree; the expected strings are tcpdump 4.99's.
func TestIPv6Text(t *testing.T) {
	for in, want := range map[string]string{
		"::2.0.0.0": "::2.0.0.0", "::1": "::1", "::": "::", "::ffff:1.2.3.4": "::ffff:1.2.3.4",
		"2001:db8::1": "2001:db8::1", "::1:0": "::0.1.0.0", "::1:2": "::0.1.0.2", "1::": "1::",
		"1:0:0:1::1": "1:0:0:1::1", "::ffff:0:1": "::ffff:0.0.0.1", "0:0:0:0:0:1:0:0": "::1:0:0",
		"fe80::1:0:0:1": "fe80::1:0:0:1", "::ffff": "::ffff", "::fffe:0:0": "::fffe:0:0",
		"1:0:0:0:1:0:0:1": "1::1:0:0:1", "0:1::": "0:1::",
	} {
		p := New(Options{})
		p.ip6(netip.MustParseAddr(in).AsSlice())
		if got := string(p.b); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

// TestNumberWidth: -# is printf's "%5u  ", which widens past five digits.
func TestNumberWidth(t *testing.T) {
	for _, tc := range []struct {
		before int
		want   string
	}{
		{0, "    1  IP  [|ip]\n"}, {9, "   10  IP  [|ip]\n"}, {9998, " 9999  IP  [|ip]\n"},
		{99998, "99999  IP  [|ip]\n"}, {99999, "100000  IP  [|ip]\n"}, {1234566, "1234567  IP  [|ip]\n"},
	} {
		p := New(Options{Number: true, Timestamp: TimestampNone})
		p.number = tc.before
		if got := string(p.Append(nil, &Packet{LinkType: layers.LinkTypeRaw, Data: []byte{0x45}})); got != tc.want {
			t.Errorf("packet %d: got %q, want %q", tc.before+1, got, tc.want)
		}
	}
}

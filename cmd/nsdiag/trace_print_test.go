package main

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/trace"
)

func TestTraceProbeText(t *testing.T) {
	a := netip.MustParseAddr
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	probes := []trace.Probe{
		{TTL: 1, Index: 0, Responder: a("10.0.1.2"), RTT: ms(0.065)},
		{TTL: 1, Index: 1, Responder: a("10.0.1.2"), RTT: ms(0.021)},
		{TTL: 1, Index: 2, Responder: a("10.0.1.3"), RTT: ms(1.5)},
		{TTL: 2, Index: 0},
		{TTL: 2, Index: 1, Responder: a("10.0.2.2"), RTT: ms(12.3456)},
		{TTL: 2, Index: 2},
		{TTL: 3, Index: 0, Responder: a("10.0.1.2"), RTT: ms(3000.5), Note: "!H"},
		{TTL: 3, Index: 1},
		{TTL: 3, Index: 2, Responder: a("10.0.1.2"), RTT: ms(3000.25), Note: "!H"},
	}
	var b strings.Builder
	var last lastAnswer
	for _, p := range probes {
		b.WriteString(traceProbeText(p, &last, nil, hopStyle{}))
	}
	want := "\n 1  10.0.1.2  0.065 ms  0.021 ms 10.0.1.3  1.500 ms" +
		"\n 2  * 10.0.2.2  12.346 ms *" +
		// The last answer of hop 3 came from the address printed before
		// the "*": traceroute does not repeat it.
		"\n 3  10.0.1.2  3000.500 ms !H *  3000.250 ms !H"
	if got := b.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestExtensionText(t *testing.T) {
	mpls := trace.Extension{Class: 1, Type: 1, Data: []byte{0x00, 0x01, 0x00, 0xfe, 0x03, 0xe8, 0x5b, 0x01}}
	other := trace.Extension{Class: 2, Type: 0x0a, Data: []byte{0, 0, 0, 7, 0, 1, 0, 0}}
	if got, want := extensionText([]trace.Extension{mpls, other}), "MPLS:L=16,E=0,S=0,T=254/L=16005,E=5,S=1,T=1;2/10:00000007,00010000"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// With -e, the address is printed again when the extensions change.
	a := netip.MustParseAddr("10.0.2.2")
	var last lastAnswer
	s := traceProbeText(trace.Probe{TTL: 2, Responder: a, Extensions: []trace.Extension{mpls}}, &last, nil, hopStyle{ext: true}) +
		traceProbeText(trace.Probe{TTL: 2, Index: 1, Responder: a, Extensions: []trace.Extension{mpls}}, &last, nil, hopStyle{ext: true}) +
		traceProbeText(trace.Probe{TTL: 2, Index: 2, Responder: a}, &last, nil, hopStyle{ext: true})
	if want := "\n 2  10.0.2.2 <MPLS:L=16,E=0,S=0,T=254/L=16005,E=5,S=1,T=1>  0.000 ms  0.000 ms 10.0.2.2  0.000 ms"; s != want {
		t.Errorf("got  %q\nwant %q", s, want)
	}
}

func TestReportTable(t *testing.T) {
	a := netip.MustParseAddr
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	hops := []trace.HopStats{
		{TTL: 1, Host: a("10.0.1.2"), Hosts: []netip.Addr{a("10.0.1.2"), a("10.0.1.3")}, Sent: 10, Received: 10,
			Last: ms(0.1), Avg: ms(0.12), Best: ms(0.05), Worst: ms(0.3), StDev: ms(0.04)},
		{TTL: 2, Sent: 10},
		{TTL: 3, Host: a("fd00:1234:5678:9abc:def0:1234:5678:9abc"), Sent: 10, Received: 7, Last: ms(1234.5), Avg: ms(12), Best: ms(1), Worst: ms(1234.5), StDev: ms(3)},
	}
	want := `HOST: myhost                      Loss%   Snt   Last   Avg  Best  Wrst StDev
  1.|-- 10.0.1.2                   0.0%    10    0.1   0.1   0.1   0.3   0.0
    |  ` + "`" + `|-- 10.0.1.3
  2.|-- ???                       100.0    10    0.0   0.0   0.0   0.0   0.0
  3.|-- fd00:1234:5678:9abc:def0: 30.0%    10  1234.  12.0   1.0 1234.   3.0
`
	// As mtr: host names cut at the column, and a value wider than its
	// field loses its last character to the next field ("100.0%" shows as
	// "100.0", 1234.5 as "1234.").
	if got := reportTable("myhost", hops, nil); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTraceProbeTextBack(t *testing.T) {
	a := netip.MustParseAddr("10.0.2.2")
	var last lastAnswer
	back := hopStyle{back: true}
	// TTL 59 from a responder two hops away: started at 64, so six hops
	// back; the address (and the mark) again when the TTL changes.
	s := traceProbeText(trace.Probe{TTL: 2, Responder: a, ReplyTTL: 59}, &last, nil, back) +
		traceProbeText(trace.Probe{TTL: 2, Index: 1, Responder: a, ReplyTTL: 59}, &last, nil, back) +
		traceProbeText(trace.Probe{TTL: 2, Index: 2, Responder: a, ReplyTTL: 63}, &last, nil, back) +
		traceProbeText(trace.Probe{TTL: 3, Responder: a, ReplyTTL: 253}, &last, nil, back)
	want := "\n 2  10.0.2.2 '-6'  0.000 ms  0.000 ms 10.0.2.2  0.000 ms\n 3  10.0.2.2  0.000 ms"
	if s != want {
		t.Errorf("got  %q\nwant %q", s, want)
	}
}

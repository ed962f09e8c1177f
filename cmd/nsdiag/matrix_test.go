package main

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/reach"
)

func mustAddrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

// fixedMatrix is a three-namespace matrix where c is cut off: a and b reach
// each other (b only over IPv4: its IPv6 route is gone), a router answers
// a's probes to c with host unreachable, c has a blackhole route.
func fixedMatrix(t *testing.T) *reach.Matrix {
	eps := []reach.Endpoint{
		{Name: "a", Addrs: mustAddrs("10.0.1.1", "fd00:1::1")},
		{Name: "b", Addrs: mustAddrs("10.0.2.1", "fd00:2::1")},
		{Name: "c", Addrs: mustAddrs("10.0.3.1")},
	}
	m := reach.NewMatrix(eps)
	ok := func(from, to, addr string, rtt time.Duration) reach.Result {
		return reach.Result{From: from, To: to, Addr: netip.MustParseAddr(addr), Outcome: reach.Reached, Sent: 3, Received: 3, RTT: rtt}
	}
	for _, r := range []reach.Result{
		ok("a", "b", "10.0.2.1", 52*time.Microsecond), ok("a", "b", "fd00:2::1", 61*time.Microsecond),
		{From: "a", To: "c", Addr: netip.MustParseAddr("10.0.3.1"), Outcome: reach.ICMPError, Sent: 3, ICMPType: 3, ICMPCode: 1,
			ErrorFrom: netip.MustParseAddr("10.0.1.254"), Reason: "Destination Host Unreachable"},
		ok("b", "a", "10.0.1.1", 1500*time.Microsecond),
		{From: "b", To: "a", Addr: netip.MustParseAddr("fd00:1::1"), Outcome: reach.Timeout, Sent: 3, Reason: "timeout"},
		{From: "b", To: "c", Addr: netip.MustParseAddr("10.0.3.1"), Outcome: reach.Timeout, Sent: 3, Reason: "timeout"},
		{From: "c", To: "a", Addr: netip.MustParseAddr("10.0.1.1"), Outcome: reach.SendError, Sent: 1, Reason: "sendmsg: Invalid argument", Err: syscall.EINVAL},
		{From: "c", To: "a", Addr: netip.MustParseAddr("fd00:1::1"), Outcome: reach.SendError, Sent: 1, Reason: "sendmsg: Invalid argument", Err: syscall.EINVAL},
		{From: "c", To: "b", Addr: netip.MustParseAddr("10.0.2.1"), Outcome: reach.SendError, Sent: 1, Reason: "sendmsg: Invalid argument", Err: syscall.EINVAL},
		{From: "c", To: "b", Addr: netip.MustParseAddr("fd00:2::1"), Outcome: reach.Timeout, Sent: 3, Reason: "timeout"},
	} {
		m.Add(r)
	}
	return m
}

func TestWriteMatrix(t *testing.T) {
	m := fixedMatrix(t)
	e, err := reach.ParseExpect(strings.NewReader("* c block\nc * block\n"), "p")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	writeMatrix(&buf, m, reach.Check(m, e), reach.Stats{Jobs: 10, Elapsed: 1234 * time.Millisecond}, true)
	want := `FROM\TO            a                  b                  c
a                  -                  0.052ms            !H
b                  ipv4-only          -                  timeout
c                  blackhole          blackhole/timeout  -

a -> c 10.0.3.1: From 10.0.1.254: Destination Host Unreachable
b -> a fd00:1::1: timeout (3 sent, 0 received)
b -> c 10.0.3.1: timeout (3 sent, 0 received)
c -> a 10.0.1.1: sendmsg: Invalid argument (blackhole)
c -> a fd00:1::1: sendmsg: Invalid argument (blackhole)
c -> b 10.0.2.1: sendmsg: Invalid argument (blackhole)
c -> b fd00:2::1: timeout (3 sent, 0 received)

6 pairs, 10 addresses probed in 1.234s: 1 not as expected (the expect file):
  b -> a: want reach, got ipv4-only
`
	if got := buf.String(); got != want {
		t.Errorf("writeMatrix:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteMatrixJSON(t *testing.T) {
	m := fixedMatrix(t)
	var buf bytes.Buffer
	if err := writeMatrixJSON(&buf, m, reach.Check(m, nil), reach.Stats{Jobs: 10}); err != nil {
		t.Fatal(err)
	}
	var got matrixJSON
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Cells) != 6 || got.OK || len(got.Mismatches) != 5 {
		t.Fatalf("JSON: %d cells, ok %v, %d mismatches; want 6, false, 5:\n%s", len(got.Cells), got.OK, len(got.Mismatches), buf.String())
	}
	ab := got.Cells[0]
	if ab.From != "a" || ab.To != "b" || ab.Status != "reach" || ab.RTTMS != 0.052 || len(ab.Addresses) != 2 || ab.Addresses[1].Addr != "fd00:2::1" {
		t.Errorf("a -> b = %+v", ab)
	}
	ac := got.Cells[1]
	if ac.Status != "unreachable" || ac.Addresses[0].Result != "!H" || ac.Addresses[0].ErrorFrom != "10.0.1.254" {
		t.Errorf("a -> c = %+v", ac)
	}
}

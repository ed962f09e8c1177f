package capture

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/bpf"
)

// udpTo returns a hand-written filter for UDP to port over IPv4, for the
// Ethernet view (off 14) or the cooked kernel view (off 0), so these tests
// do not depend on the filter compiler.
func udpTo(off uint32, port uint16) []bpf.Instruction {
	var prog []bpf.Instruction
	if off == 14 {
		prog = append(prog, bpf.LoadAbsolute{Off: 12, Size: 2}, bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x800, SkipFalse: 5})
	} else {
		prog = append(prog, bpf.LoadExtension{Num: bpf.ExtProto}, bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x800, SkipFalse: 5})
	}
	return append(prog,
		bpf.LoadAbsolute{Off: off + 9, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 17, SkipFalse: 3},
		bpf.LoadAbsolute{Off: off + 22, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(port), SkipFalse: 1},
		bpf.RetConstant{Val: DefaultSnaplen},
		bpf.RetConstant{Val: 0},
	)
}

// sendUDP sends n datagrams from inside ns to dst:port, with a receiver
// listening in rcvNS so no ICMP error comes back.
func sendUDP(t *testing.T, from, to nsexec.Target, dst string, port, n int) {
	t.Helper()
	var rc net.PacketConn
	if err := nsexec.Do(to, func() (err error) {
		rc, err = net.ListenPacket("udp4", ":"+strconv.Itoa(port))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var c net.Conn
	if err := nsexec.Do(from, func() (err error) {
		c, err = net.Dial("udp4", net.JoinHostPort(dst, strconv.Itoa(port)))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < n; i++ {
		if _, err := c.Write([]byte("nsdiag capture test")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// collect runs src until want packets came or the deadline passed.
func collect(t *testing.T, src *Source, want int) ([]Packet, Stats) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []Packet
	st, err := src.Run(ctx, func(p *Packet) error {
		c := *p
		c.Data = append([]byte(nil), p.Data...)
		got = append(got, c)
		if len(got) == want {
			return ErrStop
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, st
}

func TestIntegrationNamedAndAny(t *testing.T) {
	p := netnstest.NewPair(t)
	const port = 40001
	named, err := Open(Config{Netns: p.B, Interface: p.DevB, Program: udpTo(14, port)})
	if err != nil {
		t.Fatal(err)
	}
	defer named.Close()
	any, err := Open(Config{Netns: p.B, Interface: "any", Program: udpTo(0, port)})
	if err != nil {
		t.Fatal(err)
	}
	defer any.Close()
	if named.LinkType() != layers.LinkTypeEthernet || any.LinkType() != layers.LinkTypeLinuxSLL2 {
		t.Fatalf("link types %v, %v; want Ethernet, LinuxSLL2", named.LinkType(), any.LinkType())
	}
	sendUDP(t, p.A, p.B, p.B4, port, 5)
	var wg sync.WaitGroup
	var gotN, gotA []Packet
	var stN, stA Stats
	wg.Add(2)
	go func() { defer wg.Done(); gotN, stN = collect(t, named, 5) }()
	go func() { defer wg.Done(); gotA, stA = collect(t, any, 5) }()
	wg.Wait()
	if len(gotN) != 5 || stN.Received != 5 || stN.Captured != 5 {
		t.Errorf("named: %d packets, stats %+v; want 5", len(gotN), stN)
	}
	if len(gotA) != 5 || stA.Received != 5 {
		t.Errorf("any: %d packets, stats %+v; want 5", len(gotA), stA)
	}
	for _, pk := range gotA {
		if pk.Interface != p.DevB || pk.PacketType != PacketHost || len(pk.Data) != pk.Length || pk.Data[0] != 0x08 || pk.Data[1] != 0x00 {
			t.Errorf("any packet: interface %q type %d len %d/%d header % x", pk.Interface, pk.PacketType, len(pk.Data), pk.Length, pk.Data[:20])
		}
	}
}

// TestIntegrationLinkTypes opens a capture on a tun device (no link
// header: raw IP) and on loopback (Ethernet framing), the link types
// tcpdump reports for them ("RAW (Raw IP)", "EN10MB (Ethernet)").
func TestIntegrationLinkTypes(t *testing.T) {
	ns := netnstest.NewNS(t, "tun")
	tun := netnstest.IfName("tun")
	if out, err := exec.Command("ip", "-n", ns.Name, "tuntap", "add", "mode", "tun", "name", tun).CombinedOutput(); err != nil {
		t.Skipf("cannot make a tun device (ip tuntap: %v: %s)", err, out)
	}
	if err := netcfg.SetUp(ns, tun, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dev  string
		want layers.LinkType
		name string
	}{
		{tun, layers.LinkTypeRaw, "RAW"},
		{"lo", layers.LinkTypeEthernet, "EN10MB"},
	} {
		src, err := Open(Config{Netns: ns, Interface: tc.dev})
		if err != nil {
			t.Fatal(err)
		}
		src.Close()
		if got := src.LinkType(); got != tc.want {
			t.Errorf("%s: link type %v, want %v", tc.dev, got, tc.want)
		}
		if name, _ := LinkTypeName(src.LinkType()); name != tc.name {
			t.Errorf("%s: link type name %s, want %s", tc.dev, name, tc.name)
		}
	}
}

package filter

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// TestIntegrationKernelFilter attaches compiled programs to AF_PACKET
// sockets in a namespace (SO_ATTACH_FILTER: the kernel verifies and runs
// them) and floods other traffic past them: PACKET_STATISTICS must count
// only the packets the expression selects.
func TestIntegrationKernelFilter(t *testing.T) {
	netnstest.RequireRoot(t)
	p := netnstest.NewPair(t)

	// A raw socket on B's veth with "tcp port 5000", a cooked (SOCK_DGRAM,
	// the view of "-i any") one with the same expression, and an unfiltered
	// control socket.
	var raw, cooked, all int
	err := nsexec.Do(p.B, func() error {
		ifi, err := net.InterfaceByName(p.DevB)
		if err != nil {
			return err
		}
		if raw, err = packetSocket(unix.SOCK_RAW, ifi.Index, "tcp port 5000", Options{}); err != nil {
			return err
		}
		if cooked, err = packetSocket(unix.SOCK_DGRAM, ifi.Index, "tcp port 5000", Options{Cooked: true}); err != nil {
			return err
		}
		all, err = packetSocket(unix.SOCK_RAW, ifi.Index, "", Options{})
		return err
	})
	if errors.Is(err, os.ErrPermission) {
		t.Skip("needs CAP_NET_RAW for AF_PACKET sockets")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range []int{raw, cooked, all} {
		defer unix.Close(fd)
		stats(t, fd) // reading resets the counters
	}

	// From A: 300 UDP datagrams at B, then 5 connections to B's
	// port 5000, each a SYN answered by a RST.
	const flood, conns = 300, 5
	err = nsexec.Do(p.A, func() error {
		// Unconnected, so B's port unreachables do not stop the flood.
		u, err := net.ListenPacket("udp4", ":0")
		if err != nil {
			return err
		}
		defer u.Close()
		dst := &net.UDPAddr{IP: net.ParseIP(p.B4), Port: 9999}
		for i := 0; i < flood; i++ {
			if _, err := u.WriteTo([]byte("flood"), dst); err != nil {
				return err
			}
		}
		for i := 0; i < conns; i++ {
			c, err := net.DialTimeout("tcp", net.JoinHostPort(p.B4, "5000"), 2*time.Second)
			if err == nil {
				c.Close()
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The SYNs and RSTs are counted once the dials return, the flood only
	// once the peer's backlog has been processed.
	n := settle(t, []int{raw, cooked, all}, func(n []uint32) bool {
		return n[0] >= 2*conns && n[1] >= 2*conns && n[2] >= flood+2*conns
	})
	got := map[string]uint32{"raw": n[0], "cooked": n[1], "all": n[2]}
	t.Logf("packets received by filter: %v", got)
	if got["all"] < flood {
		t.Fatalf("control socket saw %d packets, want at least the %d sent", got["all"], flood)
	}
	for _, k := range []string{"raw", "cooked"} {
		// Each connection is a SYN and a RST; retransmits could add a few.
		if got[k] < 2*conns || got[k] > 4*conns {
			t.Errorf("%s socket with \"tcp port 5000\" counted %d packets, want %d (of %d on the link)", k, got[k], 2*conns, got["all"])
		}
	}
}

// packetSocket opens an AF_PACKET socket on ifindex with expr attached.
func packetSocket(typ, ifindex int, expr string, opts Options) (int, error) {
	const proto = unix.ETH_P_ALL>>8 | unix.ETH_P_ALL&0xff<<8 // network byte order
	fd, err := unix.Socket(unix.AF_PACKET, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	if expr != "" {
		if opts.LinkType == 0 && !opts.Cooked {
			opts.LinkType = layers.LinkTypeEthernet
		}
		prog, err := Compile(expr, opts)
		if err != nil {
			unix.Close(fd)
			return -1, err
		}
		if err := attach(fd, prog); err != nil {
			unix.Close(fd)
			return -1, err
		}
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: proto, Ifindex: ifindex}); err != nil {
		unix.Close(fd)
		return -1, os.NewSyscallError("bind", err)
	}
	return fd, nil
}

func attach(fd int, prog []bpf.Instruction) error {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return err
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		filter[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	fp := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	return os.NewSyscallError("setsockopt SO_ATTACH_FILTER", unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fp))
}

func stats(t *testing.T, fd int) uint32 {
	t.Helper()
	st, err := unix.GetsockoptTpacketStats(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if err != nil {
		t.Fatalf("PACKET_STATISTICS: %v", err)
	}
	return st.Packets
}

// settle adds up the PACKET_STATISTICS of fds (each read resets them)
// until done says the counts are complete, or for at most 10 s. A veth
// hands each frame to its peer through a per-CPU backlog that a busy
// machine may process well after the sender returned, so no fixed pause
// is long enough.
func settle(t *testing.T, fds []int, done func([]uint32) bool) []uint32 {
	t.Helper()
	n := make([]uint32, len(fds))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		for i, fd := range fds {
			n[i] += stats(t, fd)
		}
		if done(n) || time.Now().After(deadline) {
			return n
		}
	}
}

// TestIntegrationKernelAcceptsPrograms attaches the program of every listed
// expression, for every link type and for live "any" sockets, to an
// AF_PACKET socket: the kernel's checker must accept each one. The socket
// has protocol 0, so it receives nothing.
func TestIntegrationKernelAcceptsPrograms(t *testing.T) {
	t.Parallel() // compiling thousands of programs overlaps the tests waiting on tcpdump
	netnstest.RequireRoot(t)
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if errors.Is(err, unix.EPERM) {
		t.Skip("needs CAP_NET_RAW for AF_PACKET sockets")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	n := 0
	for _, e := range readList(t, "expressions.txt") {
		for _, l := range corpusLinks {
			for _, opts := range []Options{diffOpts(l.lt), {LinkType: l.lt, Live: true}, {LinkType: l.lt, Cooked: true}} {
				prog, err := Compile(e, opts)
				if err != nil {
					continue
				}
				if err := attach(fd, prog); err != nil {
					t.Errorf("%q (%+v): kernel refuses the program: %v", e, opts, err)
				}
				n++
			}
		}
		// After a live vlan every primitive reads behind a scratch
		// register the kernel must see written on every path.
		prog, err := Compile("vlan and ("+e+")", Options{Live: true})
		if err != nil {
			continue
		}
		if err := attach(fd, prog); err != nil {
			t.Errorf("\"vlan and (%s)\" (live): kernel refuses the program: %v", e, err)
		}
		n++
	}
	t.Logf("kernel accepted %d programs", n)
}

// TestIntegrationLiveVLAN: on a live socket the kernel has already removed
// the VLAN tag of a received frame, so "vlan 10" (Options.Live) must match
// on its ancillary data (TestLiveVLANMatchesLibpcap covers inline tags). Tagged and untagged frames are injected on one end
// of a veth with a packet socket and counted on the other.
func TestIntegrationLiveVLAN(t *testing.T) {
	netnstest.RequireRoot(t)
	p := netnstest.NewPair(t)
	// libpcap moves the offsets after the first vlan whenever the kernel
	// reports no stripped tag, matched or not, so "not vlan and udp port
	// 9999" reads the untagged frames' UDP port 4 bytes too far on and
	// matches nothing; with "not vlan" last, the port is read in place.
	exprs := []string{"vlan 10 and udp port 9999", "vlan 11", "not vlan and udp port 9999", "udp port 9999 and not vlan", "vlan"}
	fds := make([]int, len(exprs))
	err := nsexec.Do(p.B, func() error {
		ifi, err := net.InterfaceByName(p.DevB)
		if err != nil {
			return err
		}
		for i, e := range exprs {
			if fds[i], err = packetSocket(unix.SOCK_RAW, ifi.Index, e, Options{Live: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		defer unix.Close(fd)
		stats(t, fd)
	}
	i := ip4("10.10.0.1", "10.10.0.2", layers.IPProtocolUDP)
	tagged := ser(t, eth(macA, macBC, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}, i, udp(1000, 9999, i))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
	plain := ser(t, eth(macA, macBC, layers.EthernetTypeIPv4), i, udp(1000, 9999, i))
	const nTagged, nPlain = 40, 30
	err = nsexec.Do(p.A, func() error {
		ifi, err := net.InterfaceByName(p.DevA)
		if err != nil {
			return err
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		to := &unix.SockaddrLinklayer{Ifindex: ifi.Index, Halen: 6, Addr: [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
		for n := 0; n < nTagged+nPlain; n++ {
			frame := tagged
			if n >= nTagged {
				frame = plain
			}
			if err := unix.Sendto(fd, frame, 0, to); err != nil {
				return os.NewSyscallError("sendto", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []uint32{nTagged, 0, 0, nPlain, nTagged}
	// "udp port 9999 and not vlan" and "vlan" together select every
	// frame sent: once they have all, nothing is left to arrive.
	got := settle(t, fds, func(n []uint32) bool { return n[3] >= nPlain && n[4] >= nTagged })
	for n := range fds {
		if got[n] != want[n] {
			t.Errorf("%q counted %d packets, want %d", exprs[n], got[n], want[n])
		}
	}
}

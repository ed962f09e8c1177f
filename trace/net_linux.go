package trace

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// sockNet is the network of a real trace: sockets opened inside the target
// namespace, a reader goroutine per receiving socket, and the matching of
// answers to probe ids.
type sockNet struct {
	matcher
	c     Config
	src   netip.Addr
	dstSA unix.Sockaddr
	// icmp reads ICMP errors and echo replies (and sends echo requests);
	// probe sends UDP or TCP probes (TCP answers are read from it too).
	icmp, probe *sock
	// hold keeps the TCP source port bound while TCP probes use it;
	// holdUDP does the same for Paris UDP probes.
	hold    int
	holdUDP *sock
	// zero sends UDP probes whose port has wrapped to 0.
	zero *sock
	// mtu is the interface MTU that refused a Don't Fragment probe.
	mtu     int
	tcpBase uint32
	payload []byte
	out     chan answer
	done    chan struct{}
	readers sync.WaitGroup
	// rd are the sockets answers are read from; pbuf is pending's buffer.
	rd   []reader
	pbuf []byte
}

// sock is a nonblocking socket registered with the runtime poller, so that
// reads park the goroutine and Close wakes it.
type sock struct {
	f  *os.File
	rc syscall.RawConn
}

// setDF chooses how probes meet a smaller MTU. By default they go out in
// fragments, as traceroute's: no Don't Fragment bit, nothing refused.
// With df (traceroute -F) they carry Don't Fragment and, as traceroute's,
// ignore the path MTU the kernel has learnt (PMTUDISC_PROBE), so a router
// on a narrower link answers every run with Fragmentation Needed; only a
// probe longer than the interface's MTU is refused at home (EMSGSIZE).
func setDF(fd int, v6, df bool) error {
	if v6 {
		mode := unix.IPV6_PMTUDISC_DONT
		if df {
			mode = unix.IPV6_PMTUDISC_PROBE
		}
		return unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, mode)
	}
	mode := unix.IP_PMTUDISC_DONT
	if df {
		mode = unix.IP_PMTUDISC_PROBE
	}
	return unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, mode)
}

func newSock(fd int, name string) (*sock, error) {
	f := os.NewFile(uintptr(fd), name)
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &sock{f: f, rc: rc}, nil
}

// openNet opens the sockets of a trace in c.Target.
func openNet(c Config) (_ *sockNet, err error) {
	n := &sockNet{c: c, hold: -1, out: make(chan answer, 256), done: make(chan struct{})}
	n.matcher = matcher{method: c.Method, paris: c.Paris, fixedPort: c.FixedPort, dst: probeDest(c.Dest), port: uint16(c.Port), proto: uint8(c.Protocol), unspecified: c.Dest.Unmap().IsUnspecified()}
	n.v6 = n.dst.Is6()
	n.dstSA = sockaddr(n.dst, 0)
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, fmt.Errorf("read random probe ids: %w", err)
	}
	n.echoID = binary.BigEndian.Uint16(rnd[0:])
	n.tcpBase = binary.BigEndian.Uint32(rnd[2:])
	defer func() {
		if err != nil {
			n.close()
		}
	}()
	where := c.Target.Label()
	err = nsexec.Do(c.Target, func() error {
		if n.src, err = n.source(); err != nil {
			if c.DontRoute {
				return fmt.Errorf("%s is not on a network attached in %s (routing is bypassed): %w", n.dst, where, err)
			}
			return fmt.Errorf("find a route to %s in %s: %w", n.dst, where, err)
		}
		if n.icmp, err = n.openICMP(); err != nil {
			return fmt.Errorf("open raw ICMP socket in %s: %w", where, err)
		}
		switch c.Method {
		case UDP:
			if c.Paris || c.FixedPort {
				n.probe, err = n.openRawUDP()
			} else {
				n.probe, err = n.openUDP()
			}
			if err != nil {
				return fmt.Errorf("open UDP socket in %s: %w", where, err)
			}
		case TCP:
			n.probe, err = n.openTCP()
			if err != nil {
				return fmt.Errorf("open raw TCP socket in %s: %w", where, err)
			}
		case Raw:
			n.probe, err = n.openRaw(c.Protocol, true)
			if err != nil {
				return fmt.Errorf("open raw socket of protocol %d in %s: %w", c.Protocol, where, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch c.Method {
	case UDP:
		n.payload = make([]byte, c.PacketLen-c.headerLen()-8)
	case Raw:
		n.payload = make([]byte, c.PacketLen-c.headerLen())
	}
	fillPayload(n.payload)
	n.listen(n.icmp, withoutPort(n.fromICMP))
	switch {
	case c.Method == TCP:
		n.listen(n.probe, withoutPort(n.fromTCP))
	case c.Method == Raw:
		n.listen(n.probe, withoutPort(n.fromRaw))
	case c.Method == UDP && c.Paris:
	case c.Method == UDP && c.FixedPort:
		n.listen(n.probe, withoutPort(n.fromUDP))
	case c.Method == UDP:
		// Read from the probes' own socket: a service's answer there.
		n.listen(n.probe, func(_ []byte, from netip.Addr, port int) (answer, bool) {
			return n.udpReply(from, uint16(port), n.sport)
		})
	}
	return n, nil
}

// probeDest is where probes to dst really go: Linux sends packets for the
// unspecified address (0.0.0.0, ::) to the loopback one, whose answers
// quote and come from that, as traceroute finds through its connected
// sockets.
func probeDest(dst netip.Addr) netip.Addr {
	dst = dst.Unmap()
	switch {
	case dst.IsUnspecified() && dst.Is4():
		return netip.AddrFrom4([4]byte{127, 0, 0, 1})
	case dst.IsUnspecified():
		return netip.IPv6Loopback()
	}
	return dst
}

func (n *sockNet) family() int {
	if n.v6 {
		return unix.AF_INET6
	}
	return unix.AF_INET
}

// source is the address probes leave from: Config.Source, or the one the
// kernel picks for dst (through Config.Device), learnt by connecting a UDP
// socket, which sends nothing. Checksums cover it, so the raw sockets are
// bound to it.
func (n *sockNet) source() (netip.Addr, error) {
	if n.c.Source.IsValid() {
		src := n.c.Source.Unmap()
		if src.Is6() != n.v6 {
			return netip.Addr{}, fmt.Errorf("source %s and destination %s are of different families", src, n.dst)
		}
		return src, nil
	}
	fd, err := unix.Socket(n.family(), unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return netip.Addr{}, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	if n.c.Device != "" {
		if err := unix.BindToDevice(fd, n.c.Device); err != nil {
			return netip.Addr{}, fmt.Errorf("bind to device %s: %w", n.c.Device, err)
		}
	}
	if err := n.route(fd); err != nil {
		return netip.Addr{}, err
	}
	if err := unix.Connect(fd, sockaddr(n.dst, int(n.port))); err != nil {
		return netip.Addr{}, os.NewSyscallError("connect", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return netip.Addr{}, os.NewSyscallError("getsockname", err)
	}
	a, _ := addrPort(sa)
	return a, nil
}

// setup readies a new socket: bound to the interface asked for and to the
// source address; for sockets that send probes, no Don't Fragment bit and
// the TOS (traffic class) asked for. It closes fd on failure.
func (n *sockNet) setup(fd int, sends bool) error {
	err := func() error {
		if n.c.Device != "" {
			if err := unix.BindToDevice(fd, n.c.Device); err != nil {
				return fmt.Errorf("bind to device %s: %w", n.c.Device, err)
			}
		}
		// The source port counts for the UDP socket only; raw sockets
		// take the address alone.
		if err := unix.Bind(fd, sockaddr(n.src, n.c.SourcePort)); err != nil {
			return os.NewSyscallError("bind", err)
		}
		if !sends {
			return nil
		}
		if err := n.route(fd); err != nil {
			return err
		}
		if err := setDF(fd, n.v6, n.c.DontFragment); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
		if err := n.setFlowLabel(fd); err != nil {
			return err
		}
		if opt := n.c.routeOption(); opt != nil {
			level, name, what := unix.IPPROTO_IP, unix.IP_OPTIONS, "IP_OPTIONS"
			if n.v6 {
				level, name, what = unix.IPPROTO_IPV6, unix.IPV6_RTHDR, "IPV6_RTHDR"
			}
			if err := unix.SetsockoptString(fd, level, name, string(opt)); err != nil {
				return os.NewSyscallError("setsockopt "+what, err)
			}
		}
		if n.c.TOS != 0 {
			level, opt := unix.IPPROTO_IP, unix.IP_TOS
			if n.v6 {
				level, opt = unix.IPPROTO_IPV6, unix.IPV6_TCLASS
			}
			if err := unix.SetsockoptInt(fd, level, opt, n.c.TOS); err != nil {
				return os.NewSyscallError("setsockopt", err)
			}
		}
		return nil
	}()
	if err != nil {
		unix.Close(fd)
	}
	return err
}

// readMeta asks the kernel to pass, with every packet read from fd, its
// receive time (SO_TIMESTAMPNS) and its TTL or hop limit (for --back).
func (n *sockNet) readMeta(fd int) error {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		return err
	}
	if n.v6 {
		return unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1)
	}
	return unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_RECVTTL, 1)
}

// route sets what chooses the route of fd's packets: SO_MARK for the
// firewall mark asked for, SO_DONTROUTE when the trace bypasses the
// routing tables (-r).
func (n *sockNet) route(fd int) error {
	if n.c.Mark != 0 {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_MARK, int(n.c.Mark)); err != nil {
			return os.NewSyscallError("setsockopt SO_MARK", err)
		}
	}
	if !n.c.DontRoute {
		return nil
	}
	return os.NewSyscallError("setsockopt SO_DONTROUTE", unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DONTROUTE, 1))
}

// icmpRcvBuf is the receive buffer of the ICMP socket.
const icmpRcvBuf = 4 << 20

func (n *sockNet) openICMP() (*sock, error) {
	proto := unix.IPPROTO_ICMP
	if n.v6 {
		proto = unix.IPPROTO_ICMPV6
	}
	fd, err := unix.Socket(n.family(), unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	// Pass only the types a trace answers with: less to parse when the
	// namespace is busy.
	if n.v6 {
		var f unix.ICMPv6Filter
		for i := range f.Data {
			f.Data[i] = 0xffffffff
		}
		for _, t := range []int{icmp6Unreach, icmp6TooBig, icmp6TimeExceeded, icmp6ParamProblem, icmp6EchoReply} {
			f.Data[t>>5] &^= 1 << (uint(t) & 31)
		}
		err = unix.SetsockoptICMPv6Filter(fd, unix.SOL_ICMPV6, unix.ICMPV6_FILTER, &f)
	} else {
		pass := 1<<icmp4EchoReply | 1<<icmp4Unreach | 1<<icmp4TimeExceeded | 1<<icmp4ParamProblem
		err = unix.SetsockoptInt(fd, unix.SOL_RAW, unix.ICMP_FILTER, ^pass)
	}
	if err == nil {
		err = n.readMeta(fd)
	}
	if err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("setsockopt", err)
	}
	// IPv6 routers answer every fragment of a long probe, not only the
	// first as IPv4's do: 16 probes of 65000 bytes bring some 700 Time
	// Exceeded at once, which overflow a default buffer and lose the
	// answers that matter (traceroute's per-probe sockets only see the
	// first fragment's). Room for them, beyond rmem_max when allowed.
	if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, icmpRcvBuf) != nil {
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, icmpRcvBuf)
	}
	if err := n.setup(fd, n.c.Method == ICMP); err != nil {
		return nil, err
	}
	return newSock(fd, "icmp")
}

func (n *sockNet) openUDP() (*sock, error) {
	fd, err := unix.Socket(n.family(), unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	// Services' answers to probes are read from it, timed by the kernel.
	if err := n.readMeta(fd); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("setsockopt", err)
	}
	if err := n.setup(fd, true); err != nil {
		return nil, err
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("getsockname", err)
	}
	_, port := addrPort(sa)
	n.sport = uint16(port)
	return newSock(fd, "udp")
}

// openRawUDP opens the socket of Paris and -U UDP probes: a raw socket,
// because a Paris probe's identity is its checksum, which must leave
// exactly as written (through an ordinary UDP socket the kernel may leave
// it to offload: veth and many NICs forward a partial checksum, and
// routers would quote a value that is the same for every probe), and a
// -U probe's is its own source port. A bound UDP socket holds the
// (first) source port. The raw socket also reads the UDP answers of -U
// probes.
func (n *sockNet) openRawUDP() (*sock, error) {
	hold, err := n.openUDP()
	if err != nil {
		return nil, err
	}
	n.holdUDP = hold
	return n.rawUDP(n.c.FixedPort && !n.c.Paris)
}

// portZero is the raw UDP socket that sends probes to port 0, opened in
// the namespace when the ports first wrap.
func (n *sockNet) portZero() (*sock, error) {
	if n.zero != nil {
		return n.zero, nil
	}
	err := nsexec.Do(n.c.Target, func() (err error) {
		n.zero, err = n.rawUDP(false)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open raw UDP socket in %s: %w", n.c.Target.Label(), err)
	}
	return n.zero, nil
}

// rawUDP opens a raw UDP socket for sending probes, and reading answers
// if reads.
func (n *sockNet) rawUDP(reads bool) (*sock, error) {
	return n.openRaw(unix.IPPROTO_UDP, reads)
}

// openRaw opens a raw socket of protocol proto for sending probes, and
// reading answers if reads.
func (n *sockNet) openRaw(proto int, reads bool) (*sock, error) {
	fd, err := unix.Socket(n.family(), unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if reads {
		err = n.readMeta(fd)
	} else {
		// It is never read: keep what it queues small.
		err = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 0)
	}
	if err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("setsockopt", err)
	}
	if err := n.setup(fd, true); err != nil {
		return nil, err
	}
	return newSock(fd, "udp-raw")
}

func (n *sockNet) openTCP() (*sock, error) {
	// A bound, never listening TCP socket holds the source port, so no
	// other socket takes it and the kernel answers SYN-ACKs with RST.
	hold, err := unix.Socket(n.family(), unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	n.hold = hold
	if err := unix.Bind(hold, sockaddr(n.src, n.c.SourcePort)); err != nil {
		return nil, os.NewSyscallError("bind", err)
	}
	sa, err := unix.Getsockname(hold)
	if err != nil {
		return nil, os.NewSyscallError("getsockname", err)
	}
	_, port := addrPort(sa)
	n.sport = uint16(port)
	fd, err := unix.Socket(n.family(), unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	if err := n.readMeta(fd); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("setsockopt", err)
	}
	if err := n.setup(fd, true); err != nil {
		return nil, err
	}
	return newSock(fd, "tcp")
}

// send implements network.
func (n *sockNet) send(ttl int, seq uint32, size int) (uint32, time.Time, error) {
	var (
		s   = n.probe
		b   []byte
		id  uint32
		sa  = n.dstSA
		dst = n.dst
		err error
	)
	switch n.c.Method {
	case UDP:
		// The payload is allocated for PacketLen; MTU discovery sends
		// shorter ones.
		b = n.payload[:size-n.c.headerLen()-8]
		dport := uint16(n.c.Port)
		if n.c.Paris {
			want := uint16(seq%0xfffd) + 1
			steerUDPChecksum(n.src, dst, n.sport, dport, b, want)
			b = udpDatagram(n.sport, dport, want, b)
			id = uint32(want)
		} else if n.c.FixedPort {
			// Source ports from the one held, one more per probe,
			// wrapping within 1024-65535; or all from SourcePort.
			sport := uint16(1024 + (uint32(n.sport)-1024+seq)%(65536-1024))
			if n.c.SourcePort != 0 {
				sport = n.sport
			}
			b = udpDatagram(sport, dport, 0, b)
			binary.BigEndian.PutUint16(b[6:], udpChecksum(n.src, dst, b))
			id = uint32(sport)
		} else {
			dport += uint16(seq)
			id = uint32(dport)
			sa = sockaddr(dst, int(dport))
			if dport == 0 {
				// Ports wrap after 65535, as traceroute's, but a UDP
				// socket cannot send to port 0: a raw one sends it.
				if s, err = n.portZero(); err != nil {
					return 0, time.Time{}, err
				}
				b = udpDatagram(n.sport, 0, 0, b)
				binary.BigEndian.PutUint16(b[6:], udpChecksum(n.src, dst, b))
				sa = n.dstSA
			}
		}
	case ICMP:
		s = n.icmp
		sq := uint16(n.c.Port) + uint16(seq)
		b = echoRequest(n.v6, n.echoID, sq, size-n.c.headerLen(), n.c.Paris)
		id = uint32(sq)
	case Raw:
		b, id = n.payload[:size-n.c.headerLen()], rawID
	case TCP:
		sq := n.tcpBase + seq
		mss := uint16(1460)
		if n.v6 {
			mss = 1440
		}
		b = tcpSYN(n.src, dst, n.sport, n.port, sq, mss)
		id = sq
	}
	level, opt := unix.IPPROTO_IP, unix.IP_TTL
	if n.v6 {
		level, opt = unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS
	}
	var at time.Time
	var serr error
	err = s.rc.Write(func(fd uintptr) bool {
		if serr = unix.SetsockoptInt(int(fd), level, opt, ttl); serr != nil {
			return true
		}
		at = time.Now()
		serr = n.sendto(int(fd), b, sa)
		return serr != unix.EAGAIN
	})
	if err == nil {
		err = serr
	}
	if err == unix.EMSGSIZE && n.c.DontFragment {
		return id, at, n.tooBig()
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("send probe to %s: %w", dst, os.NewSyscallError("sendto", err))
	}
	return id, at, nil
}

// tooBig is the error of a Don't Fragment probe longer than the MTU of
// its interface, with that MTU, as the kernel reports it in traceroute's
// error queue: the device's, not a path MTU learnt since (probes ignore
// that). The route is asked for once, inside the namespace.
func (n *sockNet) tooBig() error {
	if n.mtu == 0 {
		err := nsexec.Do(n.c.Target, func() error {
			opts := &netlink.RouteGetOptions{Oif: n.c.Device, SrcAddr: net.IP(n.src.AsSlice())}
			routes, err := netlink.RouteGetWithOptions(net.IP(n.dst.AsSlice()), opts)
			if err != nil {
				return err
			}
			if len(routes) == 0 {
				return fmt.Errorf("no route")
			}
			link, err := netlink.LinkByIndex(routes[0].LinkIndex)
			if err != nil {
				return err
			}
			n.mtu = link.Attrs().MTU
			return nil
		})
		if err != nil {
			return fmt.Errorf("probe to %s longer than its interface's MTU, which is unknown: %w", n.dst, err)
		}
	}
	return &localTooBig{mtu: n.mtu}
}

func (n *sockNet) answers() <-chan answer { return n.out }

// matchFunc matches a packet read from a socket to a probe.
type matchFunc func(b []byte, from netip.Addr, port int) (answer, bool)

// reader is a socket that answers arrive on, and how to match them.
type reader struct {
	s     *sock
	match matchFunc
}

// listen reads s from now on, in its own goroutine.
func (n *sockNet) listen(s *sock, match matchFunc) {
	n.rd = append(n.rd, reader{s, match})
	n.readers.Add(1)
	go n.read(s, match)
}

// recv reads one packet from fd and matches it.
func recv(fd int, buf, oob []byte, flags int, match matchFunc) (a answer, ok bool, err error) {
	nb, noob, _, from, err := unix.Recvmsg(fd, buf, oob, flags)
	if err != nil {
		return answer{}, false, err
	}
	src, port := addrPort(from)
	if a, ok = match(buf[:nb], src, port); ok {
		a.at, a.ttl = rxMeta(oob[:noob])
	}
	return a, ok, nil
}

// pending implements network: it reads, without waiting, what the
// sockets hold that their goroutines have not read yet.
func (n *sockNet) pending() []answer {
	if n.pbuf == nil {
		n.pbuf = make([]byte, 65536)
	}
	var out []answer
	oob := make([]byte, 256)
	for _, r := range n.rd {
		r.s.rc.Control(func(fd uintptr) {
			for {
				a, ok, err := recv(int(fd), n.pbuf, oob, unix.MSG_DONTWAIT, r.match)
				if err == unix.EAGAIN || err == unix.EBADF {
					return
				}
				if ok {
					out = append(out, a)
				}
			}
		})
	}
	return out
}

// read reads packets from s until it is closed and hands those that match
// to the scheduler.
func (n *sockNet) read(s *sock, match matchFunc) {
	defer n.readers.Done()
	buf := make([]byte, 65536)
	oob := make([]byte, 256)
	for {
		var a answer
		var ok bool
		var rerr error
		err := s.rc.Read(func(fd uintptr) bool {
			a, ok, rerr = recv(int(fd), buf, oob, 0, match)
			return rerr != unix.EAGAIN
		})
		if err != nil {
			return
		}
		if rerr != nil || !ok {
			continue
		}
		select {
		case n.out <- a:
		case <-n.done:
			return
		}
	}
}

// withoutPort adapts a matcher of packets whose ports are their own to
// read.
func withoutPort(m func(b []byte, from netip.Addr) (answer, bool)) matchFunc {
	return func(b []byte, from netip.Addr, _ int) (answer, bool) { return m(b, from) }
}

// rxMeta is the kernel's receive timestamp (now when there is none) and
// the packet's TTL or hop limit (0 when unknown).
func rxMeta(oob []byte) (at time.Time, ttl int) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return time.Now(), 0
	}
	for _, m := range msgs {
		switch {
		case m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) >= 16:
			sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
			nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
			at = time.Unix(sec, nsec)
		case (m.Header.Level == unix.IPPROTO_IP && m.Header.Type == unix.IP_TTL ||
			m.Header.Level == unix.IPPROTO_IPV6 && m.Header.Type == unix.IPV6_HOPLIMIT) && len(m.Data) >= 4:
			ttl = int(int32(binary.NativeEndian.Uint32(m.Data)))
		}
	}
	if at.IsZero() {
		at = time.Now()
	}
	return at, ttl
}

// close stops the readers and closes every socket.
func (n *sockNet) close() {
	select {
	case <-n.done:
		return
	default:
	}
	close(n.done)
	for _, s := range []*sock{n.icmp, n.probe, n.holdUDP, n.zero} {
		if s != nil {
			s.f.Close()
		}
	}
	n.readers.Wait()
	if n.hold >= 0 {
		unix.Close(n.hold)
	}
}

func sockaddr(a netip.Addr, port int) unix.Sockaddr {
	if a.Is4() {
		return &unix.SockaddrInet4{Port: port, Addr: a.As4()}
	}
	return &unix.SockaddrInet6{Port: port, Addr: a.As16()}
}

func addrPort(sa unix.Sockaddr) (netip.Addr, int) {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(sa.Addr), sa.Port
	case *unix.SockaddrInet6:
		return netip.AddrFrom16(sa.Addr), sa.Port
	}
	return netip.Addr{}, 0
}

package icmp

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// ErrPermission means neither kind of ICMP socket could be opened.
var ErrPermission = errors.New("no permission to open an ICMP socket")

// socket is an open ICMP socket and what was learnt opening it.
type socket struct {
	fd       int
	v6       bool
	datagram bool
	id       uint16
	src      netip.Addr
	device   string
	// srcOffDevice: the route chose a source address that is not on
	// device (iputils warns of it).
	srcOffDevice bool
	// broadcast: the destination turned out to be a broadcast address
	// (allowed by Config.Broadcast).
	broadcast bool
	// rcvbufShort: the receive buffer granted cannot hold Preload
	// replies; markErr: SO_MARK was refused. Both are warnings.
	rcvbufShort bool
	markErr     error
	dest        unix.Sockaddr
	// destRaw is dest as sendto takes it, built once.
	destRaw unix.RawSockaddrInet6
	destLen int
	rx      rx
	// zones names the namespace's interfaces by index, for link-local
	// addresses (fe80::1%eth0), which need a scope.
	zones map[uint32]string
}

// zone is the interface name for a scope ID, "" for none.
func (s *socket) zone(scope uint32) string {
	if scope == 0 {
		return ""
	}
	if name, ok := s.zones[scope]; ok {
		return name
	}
	return fmt.Sprint(scope)
}

// withZone gives a link-local IPv6 address the zone of its scope ID.
func (s *socket) withZone(a netip.Addr, scope uint32) netip.Addr {
	if scope == 0 || !a.Is6() || !(a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) {
		return a
	}
	return a.WithZone(s.zone(scope))
}

// openSocket does all namespace-bound work inside cfg.Target: checks the
// route (as iputils does with a UDP probe, which also picks the source
// address), opens the ICMP socket and sets its options.
func openSocket(cfg *Config) (*socket, error) {
	s := &socket{fd: -1, v6: cfg.Dest.Is6()}
	var srcGiven netip.Addr
	if cfg.Source != "" {
		if a, err := netip.ParseAddr(cfg.Source); err == nil {
			// iputils ignores a source address of the other family
			// and lets the kernel choose.
			if a = a.Unmap(); a.Is6() == s.v6 {
				srcGiven = a
			}
		} else {
			s.device = cfg.Source
		}
	}
	if cfg.Device != "" {
		s.device = cfg.Device
	}
	err := nsexec.Do(cfg.Target, func() error {
		s.zones = map[uint32]string{}
		if ifs, err := net.Interfaces(); err == nil {
			for _, i := range ifs {
				s.zones[uint32(i.Index)] = i.Name
			}
		}
		scope, err := s.scopeOf(cfg.Dest, cfg.Target)
		if err != nil {
			return err
		}
		s.setDest(cfg.Dest, scope)
		if s.device != "" {
			if _, err := net.InterfaceByName(s.device); err != nil {
				return fmt.Errorf("SO_BINDTODEVICE %s: %w (no interface %s in %s; list them with ip -n NS link; -I takes an interface or a local address)", s.device, unix.ENODEV, s.device, cfg.Target.Label())
			}
		}
		src, err := s.source(cfg, srcGiven)
		if err != nil {
			if errors.Is(err, unix.EADDRNOTAVAIL) && srcGiven.IsValid() {
				return fmt.Errorf("%w (%s is not an address in %s; list them with ip -n NS addr)", err, srcGiven, cfg.Target.Label())
			}
			return err
		}
		s.src = src
		if !s.v6 && cfg.Dest.IsUnspecified() {
			// As iputils: 0.0.0.0 means this host, pinged at the
			// source address the route gave.
			cfg.Dest = src
			s.setDest(src, 0)
		}
		if s.device != "" && !srcGiven.IsValid() {
			s.srcOffDevice = !hasAddr(s.device, src)
		}
		if err := s.open(cfg, srcGiven); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		if s.fd >= 0 {
			unix.Close(s.fd)
		}
		return nil, err
	}
	return s, nil
}

// setDest sets the address requests go to, in the forms the syscalls take.
func (s *socket) setDest(a netip.Addr, scope uint32) {
	if s.v6 {
		s.dest = &unix.SockaddrInet6{Addr: a.As16(), ZoneId: scope}
		s.destRaw = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: a.As16(), Scope_id: scope}
		s.destLen = unix.SizeofSockaddrInet6
		return
	}
	s.dest = &unix.SockaddrInet4{Addr: a.As4()}
	v4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(&s.destRaw))
	*v4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: a.As4()}
	s.destLen = unix.SizeofSockaddrInet4
}

// hasAddr tells whether interface dev (in the current namespace) holds a.
func hasAddr(dev string, a netip.Addr) bool {
	i, err := net.InterfaceByName(dev)
	if err != nil {
		return false
	}
	addrs, err := i.Addrs()
	if err != nil {
		return false
	}
	for _, ad := range addrs {
		if n, ok := ad.(*net.IPNet); ok {
			if b, ok := netip.AddrFromSlice(n.IP); ok && b.Unmap() == a.WithZone("") {
				return true
			}
		}
	}
	return false
}

func family(v6 bool) (int, int) {
	if v6 {
		return unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	return unix.AF_INET, unix.IPPROTO_ICMP
}

// scopeOf reads the zone of a link-local destination (an interface name or
// index in this namespace).
func (s *socket) scopeOf(a netip.Addr, t nsexec.Target) (uint32, error) {
	z := a.Zone()
	if z == "" {
		return 0, nil
	}
	for idx, name := range s.zones {
		if name == z {
			return idx, nil
		}
	}
	if n, err := strconv.ParseUint(z, 10, 32); err == nil {
		return uint32(n), nil
	}
	// getaddrinfo's words, which ping prints, then the cause.
	return 0, fmt.Errorf("%s: Name or service not known (no interface %s in %s for the zone; list them with ip -n NS link)", a, z, t.Label())
}

func sockaddr(a netip.Addr, port int) unix.Sockaddr {
	if a.Is6() {
		return &unix.SockaddrInet6{Addr: a.As16(), Port: port}
	}
	return &unix.SockaddrInet4{Addr: a.As4(), Port: port}
}

func addrOf(sa unix.Sockaddr) netip.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(sa.Addr)
	case *unix.SockaddrInet6:
		return netip.AddrFrom16(sa.Addr).Unmap()
	}
	return netip.Addr{}
}

// source finds the address requests leave from. As iputils, no route is
// asked for an IPv6 link-local destination: without a zone or -I the
// kernel picks the interface at each send, and the source stays
// unspecified ("from :: DEV" in the header).
func (s *socket) source(cfg *Config, given netip.Addr) (netip.Addr, error) {
	dest := cfg.Dest
	if s.v6 && (dest.IsLinkLocalUnicast() || dest.IsLinkLocalMulticast()) {
		if given.IsValid() {
			return given, nil
		}
		return netip.IPv6Unspecified(), nil
	}
	src, bcast, err := probeSource(s.dest, s.device, given, cfg)
	s.broadcast = bcast
	return src, err
}

// probeSource connects a UDP socket towards dest, which sends nothing but
// makes the kernel pick a route and source address; no route is the
// "connect: Network is unreachable" iputils reports before pinging. A
// broadcast destination refuses the connect (EACCES) unless
// cfg.Broadcast allows it; bcast reports that it was one.
func probeSource(dest unix.Sockaddr, device string, given netip.Addr, cfg *Config) (src netip.Addr, bcast bool, err error) {
	_, v6 := dest.(*unix.SockaddrInet6)
	fam, _ := family(v6)
	fd, err := unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return netip.Addr{}, false, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	if device != "" {
		if err := unix.BindToDevice(fd, device); err != nil {
			return netip.Addr{}, false, fmt.Errorf("SO_BINDTODEVICE %s: %w", device, err)
		}
	}
	if given.IsValid() {
		if err := unix.Bind(fd, sockaddr(given, 0)); err != nil {
			return netip.Addr{}, false, os.NewSyscallError("bind", err)
		}
	}
	if !v6 && cfg.TOS != 0 {
		// The route may depend on the TOS; iputils only warns when the
		// probe refuses it, so the error is ignored here too.
		unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_TOS, cfg.TOS)
	}
	// Connecting a UDP socket needs a port; iputils uses 1025.
	probe := dest
	switch d := dest.(type) {
	case *unix.SockaddrInet4:
		probe = &unix.SockaddrInet4{Addr: d.Addr, Port: 1025}
	case *unix.SockaddrInet6:
		probe = &unix.SockaddrInet6{Addr: d.Addr, ZoneId: d.ZoneId, Port: 1025}
	}
	err = unix.Connect(fd, probe)
	if errors.Is(err, unix.EACCES) && !v6 && cfg.Broadcast {
		bcast = true
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_BROADCAST, 1); err != nil {
			return netip.Addr{}, bcast, fmt.Errorf("cannot set broadcasting: %w", err)
		}
		err = unix.Connect(fd, probe)
	}
	if err != nil {
		return netip.Addr{}, bcast, os.NewSyscallError("connect", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return netip.Addr{}, bcast, os.NewSyscallError("getsockname", err)
	}
	return addrOf(sa), bcast, nil
}

// open creates the ICMP socket of the kind asked for, falling back from
// raw to datagram in AutoSocket mode, and sets it up.
func (s *socket) open(cfg *Config, srcGiven netip.Addr) error {
	fam, proto := family(s.v6)
	var rawErr, dgramErr error
	if cfg.Socket != DatagramSocket {
		s.fd, rawErr = unix.Socket(fam, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
	}
	if s.fd < 0 && cfg.Socket != RawSocket {
		s.fd, dgramErr = unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, proto)
		s.datagram = s.fd >= 0
	}
	if s.fd < 0 {
		return permissionError(cfg, rawErr, dgramErr)
	}
	if err := s.setup(cfg, srcGiven); err != nil {
		unix.Close(s.fd)
		s.fd = -1
		return err
	}
	return nil
}

// permissionError says which capability or sysctl is missing.
func permissionError(cfg *Config, rawErr, dgramErr error) error {
	denied := func(err error) bool { return errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) }
	if (rawErr == nil || denied(rawErr)) && (dgramErr == nil || denied(dgramErr)) {
		rng := "unknown"
		if b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range"); err == nil {
			rng = strings.Join(strings.Fields(string(b)), " ")
		}
		var how string
		switch cfg.Socket {
		case RawSocket:
			how = "a raw ICMP socket needs CAP_NET_RAW: run as root or setcap cap_net_raw+ep on nsdiag"
		case DatagramSocket:
			how = fmt.Sprintf("the ICMP datagram socket needs group %d inside net.ipv4.ping_group_range (%q in %s): widen it with sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"", os.Getegid(), rng, cfg.Target.Label())
		default:
			how = fmt.Sprintf("needs CAP_NET_RAW (run as root or setcap cap_net_raw+ep on nsdiag), or group %d inside net.ipv4.ping_group_range (%q in %s; widen it with sysctl -w net.ipv4.ping_group_range=\"0 2147483647\")", os.Getegid(), rng, cfg.Target.Label())
		}
		return fmt.Errorf("%w in %s: %s", ErrPermission, cfg.Target.Label(), how)
	}
	if rawErr != nil && !denied(rawErr) {
		return fmt.Errorf("open raw ICMP socket in %s: %w", cfg.Target.Label(), rawErr)
	}
	return fmt.Errorf("open ICMP datagram socket in %s: %w", cfg.Target.Label(), dgramErr)
}

func (s *socket) setup(cfg *Config, srcGiven netip.Addr) error {
	fd := s.fd
	set := func(what string, level, opt, v int) error {
		if err := unix.SetsockoptInt(fd, level, opt, v); err != nil {
			return fmt.Errorf("setsockopt %s: %w", what, err)
		}
		return nil
	}
	if !cfg.UserLatency {
		if err := set("SO_TIMESTAMPNS", unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
			return err
		}
	}
	// iputils' buffer sizes: a send buffer of about one request, so that
	// requests queued for a neighbour that does not answer ARP block the
	// next send (a flood to a dead host goes in bursts, as iputils'), and
	// a receive buffer of at least 64 KiB.
	per := 20 + 16 + 64 + 160
	if s.v6 {
		per = 40 + 16 + 64 + 160
	}
	if (cfg.RecordRoute || cfg.Timestamp != TSNone) && !s.v6 {
		per += recordRouteLen
	}
	hold := 8 + cfg.sendData()
	hold += (hold + 511) / 512 * per
	if err := set("SO_SNDBUF", unix.SOL_SOCKET, unix.SO_SNDBUF, hold); err != nil {
		return err
	}
	want := hold * cfg.preload()
	if err := set("SO_RCVBUF", unix.SOL_SOCKET, unix.SO_RCVBUF, max(want, 65536)); err != nil {
		return err
	}
	// The kernel caps the buffer at net.core.rmem_max (and doubles it);
	// iputils warns when what it got cannot hold the preload.
	if got, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF); err == nil && got < want {
		s.rcvbufShort = true
	}
	// The socket stays blocking: reads that must not wait pass
	// MSG_DONTWAIT, and flood mode waits in recvmsg itself, bounded by
	// these timeouts, as iputils does (one syscall fewer per packet than
	// poll and read).
	sndTimeo := min(max(cfg.interval(), floodInterval), time.Second)
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &unix.Timeval{Sec: int64(sndTimeo / time.Second), Usec: int64(sndTimeo % time.Second / time.Microsecond)}); err != nil {
		return fmt.Errorf("setsockopt SO_SNDTIMEO: %w", err)
	}
	rcvTimeo := unix.Timeval{Usec: int64(floodInterval / time.Microsecond)}
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &rcvTimeo); err != nil {
		return fmt.Errorf("setsockopt SO_RCVTIMEO: %w", err)
	}
	if s.device != "" {
		if err := unix.BindToDevice(fd, s.device); err != nil {
			return fmt.Errorf("SO_BINDTODEVICE %s: %w", s.device, err)
		}
	}
	if err := s.setOptions(cfg); err != nil {
		return err
	}
	if s.v6 {
		if err := set("IPV6_RECVERR", unix.IPPROTO_IPV6, unix.IPV6_RECVERR, 1); err != nil {
			return err
		}
		if err := set("IPV6_RECVHOPLIMIT", unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1); err != nil {
			return err
		}
		if ttl, ok := cfg.ttl(); ok {
			if err := set("IPV6_UNICAST_HOPS", unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS, ttl); err != nil {
				return err
			}
			if err := set("IPV6_MULTICAST_HOPS", unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS, ttl); err != nil {
				return err
			}
		}
		if !s.datagram {
			// Only echo replies reach the data path; errors come from the
			// error queue.
			var f unix.ICMPv6Filter
			for i := range f.Data {
				f.Data[i] = 0xffffffff
			}
			f.Data[echoReply6>>5] &^= 1 << (echoReply6 & 31)
			if err := unix.SetsockoptICMPv6Filter(fd, unix.IPPROTO_ICMPV6, unix.ICMPV6_FILTER, &f); err != nil {
				return fmt.Errorf("setsockopt ICMP6_FILTER: %w", err)
			}
		}
	} else {
		if err := set("IP_RECVERR", unix.IPPROTO_IP, unix.IP_RECVERR, 1); err != nil {
			return err
		}
		if s.datagram {
			if err := set("IP_RECVTTL", unix.IPPROTO_IP, unix.IP_RECVTTL, 1); err != nil {
				return err
			}
		} else if err := set("ICMP_FILTER", unix.SOL_RAW, unix.ICMP_FILTER, ^(1<<echoReply4 | 1<<sourceQuench4 | 1<<redirect4)); err != nil {
			return err
		}
		if ttl, ok := cfg.ttl(); ok {
			if err := set("IP_MULTICAST_TTL", unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, ttl); err != nil {
				return err
			}
			// Linux refuses a unicast TTL of 0 (EINVAL), as iputils reports.
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_TTL, ttl); err != nil {
				return fmt.Errorf("cannot set unicast time-to-live: %w", err)
			}
		}
	}
	if s.datagram || srcGiven.IsValid() || cfg.StrictSource {
		// Binding a datagram socket makes the kernel choose its echo
		// identifier now (or take ours, as the port), so we know it
		// before the first reply. -B binds to the address the route gave.
		local := srcGiven
		if !local.IsValid() && cfg.StrictSource {
			local = s.src
		}
		if !local.IsValid() {
			local = netip.IPv4Unspecified()
			if s.v6 {
				local = netip.IPv6Unspecified()
			}
		}
		port := 0
		if s.datagram && cfg.FixedID {
			port = int(cfg.ID)
		}
		if err := unix.Bind(fd, sockaddr(local, port)); err != nil {
			return fmt.Errorf("bind ICMP socket to %s: %w", local, err)
		}
	}
	if s.datagram {
		sa, err := unix.Getsockname(fd)
		if err != nil {
			return os.NewSyscallError("getsockname", err)
		}
		switch sa := sa.(type) {
		case *unix.SockaddrInet4:
			s.id = uint16(sa.Port)
		case *unix.SockaddrInet6:
			s.id = uint16(sa.Port)
		}
		return nil
	}
	s.id = uint16(rand.N(1 << 16))
	if cfg.FixedID {
		s.id = cfg.ID
	}
	return attachFilter(fd, s.v6, s.id)
}

// attachFilter keeps only echo replies that carry our identifier, and on
// IPv4 redirects and source quenches about our requests: every raw ICMP
// socket in a namespace receives every ICMP packet, and without the filter
// a busy neighbour (another ping, a traceroute) would wake us for nothing.
func attachFilter(fd int, v6 bool, id uint16) error {
	prog := filterProgram(v6, id)
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return fmt.Errorf("assemble socket filter: %w", err)
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		filter[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return fmt.Errorf("attach socket filter: %w", err)
	}
	return nil
}

// filterProgram is attachFilter's classic BPF. IPv4 raw sockets see the IP
// header first, its length in the low nibble of byte 0; a redirect quotes
// our request's IP header and its first 8 bytes after its own 8.
func filterProgram(v6 bool, id uint16) []bpf.Instruction {
	accept, drop := bpf.RetConstant{Val: 0xffffffff}, bpf.RetConstant{Val: 0}
	if v6 {
		return []bpf.Instruction{
			bpf.LoadAbsolute{Off: 4, Size: 2},
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(id), SkipFalse: 1},
			accept, drop,
		}
	}
	return []bpf.Instruction{
		bpf.LoadMemShift{Off: 0},          // 0: X = our IP header's length
		bpf.LoadIndirect{Off: 0, Size: 1}, // 1: ICMP type
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: echoReply4, SkipFalse: 2},
		bpf.LoadIndirect{Off: 4, Size: 2}, // 3: echo identifier
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(id), SkipTrue: 11, SkipFalse: 12},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: redirect4, SkipTrue: 1},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: sourceQuench4, SkipFalse: 10},
		bpf.LoadIndirect{Off: 8, Size: 1}, // 7: the quoted IP header's first byte
		bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0x0f},
		bpf.ALUOpConstant{Op: bpf.ALUOpShiftLeft, Val: 2},
		bpf.ALUOpX{Op: bpf.ALUOpAdd},
		bpf.TAX{},                         // 11: X = both headers' lengths
		bpf.LoadIndirect{Off: 8, Size: 1}, // 12: quoted ICMP type
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: echoRequest4, SkipFalse: 3},
		bpf.LoadIndirect{Off: 8 + 4, Size: 2}, // 14: quoted identifier
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(id), SkipFalse: 1},
		accept, drop,
	}
}

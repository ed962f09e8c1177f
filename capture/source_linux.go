package capture

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/capture/filter"
	"github.com/nsdiag/nsdiag/internal/resolve"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Source is a live capture in one namespace. Open it, Run it once, Close it.
type Source struct {
	cfg Config
	fd  int
	// file wraps fd so that waiting for the ring parks the goroutine in
	// the runtime's netpoller, not a thread in a blocking poll(2).
	file     *os.File
	raw      syscall.RawConn
	deadline time.Time // the read deadline last set on file
	ring     *ring
	linkType layers.LinkType
	cooked   int // cooked header length written in front of each packet; 0 for none
	ifname   string
	ifindex  int
	nsfile   *os.File
	nsID     nsexec.ID
	names    map[int]string
	loIndex  int // loopback's ifindex when it is captured, else 0
	stats    Stats
	scratch  []byte
	closed   sync.Once
}

// Open opens a capture as cfg describes: the socket, ring and interface
// lookups happen inside cfg.Netns.
func Open(cfg Config) (*Source, error) {
	if cfg.Snaplen <= 0 || cfg.Snaplen > DefaultSnaplen {
		cfg.Snaplen = DefaultSnaplen
	}
	if cfg.BufferSize <= 0 {
		cfg.BufferSize = DefaultBufferSize
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 50 * time.Millisecond
	}
	s := &Source{cfg: cfg, fd: -1}
	if !cfg.Netns.IsCurrent() {
		f, err := nsexec.Open(cfg.Netns)
		if err != nil {
			return nil, err
		}
		s.nsfile = f
		if s.nsID, err = nsexec.Identify(cfg.Netns); err != nil {
			f.Close()
			return nil, err
		}
	}
	err := s.do(s.open)
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// do runs fn inside the source's namespace.
func (s *Source) do(fn func() error) error {
	if s.nsfile == nil {
		return fn()
	}
	return nsexec.DoFile(s.cfg.Netns, s.nsfile, fn)
}

// open runs inside the namespace: it looks up the interface, makes the
// socket and ring, attaches the filter and only then binds, so no packet is
// queued before the filter is in place. (libpcap binds first and then
// drains what arrived before the filter; a packet socket created with
// protocol 0 receives nothing until bound, which makes draining needless.)
func (s *Source) open() error {
	ifs, err := net.Interfaces()
	if err != nil {
		return fmt.Errorf("list interfaces in %s: %w", s.cfg.Netns.Label(), err)
	}
	s.names = make(map[int]string, len(ifs))
	loIndex := 0
	for _, ifc := range ifs {
		s.names[ifc.Index] = ifc.Name
		if ifc.Flags&net.FlagLoopback != 0 && loIndex == 0 {
			loIndex = ifc.Index
		}
	}
	name := s.cfg.Interface
	if name == "" {
		if name, err = defaultInterface(ifs); err != nil {
			return fmt.Errorf("%w in %s", err, s.cfg.Netns.Label())
		}
	}
	s.ifname = name
	all := name == AnyInterface
	hatype := uint16(0)
	if !all {
		ifc, err := net.InterfaceByName(name)
		if err != nil {
			return fmt.Errorf("%s: no such device in %s; list them with %s (or capture on -i any)", name, s.cfg.Netns.Label(), ipCommand(s.cfg.Netns, "link"))
		}
		s.ifindex = ifc.Index
		if ifc.Flags&net.FlagUp == 0 {
			// Bound to a down interface, the socket would only report
			// ENETDOWN later; tcpdump refuses at once, and so do we.
			return fmt.Errorf("%s: that device is not up in %s; bring it up with %s", name, s.cfg.Netns.Label(), upHint(s.cfg.Netns, name))
		}
		if ifc.Index != loIndex {
			loIndex = 0
		}
		if hatype, err = hardwareType(name); err != nil {
			return err
		}
	}
	sockType := unix.SOCK_RAW
	switch {
	case all && s.cfg.Cooked1:
		s.linkType, s.cooked, sockType = layers.LinkTypeLinuxSLL, sll1HdrLen, unix.SOCK_DGRAM
	case all:
		s.linkType, s.cooked, sockType = layers.LinkTypeLinuxSLL2, sll2HdrLen, unix.SOCK_DGRAM
	default:
		s.linkType = LinkTypeFor(hatype)
		if s.linkType == layers.LinkTypeLinuxSLL {
			s.cooked, sockType = sll1HdrLen, unix.SOCK_DGRAM
		}
	}
	s.fd, err = unix.Socket(unix.AF_PACKET, sockType|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return fmt.Errorf("open packet socket in %s: capturing needs CAP_NET_RAW: run as root or grant it with setcap cap_net_raw,cap_sys_admin+ep: %w", s.cfg.Netns.Label(), err)
		}
		return fmt.Errorf("open packet socket in %s: %w", s.cfg.Netns.Label(), err)
	}
	if s.ring, err = setupRing(s.fd, s.cfg.BufferSize, s.cooked, int(s.cfg.Timeout/time.Millisecond)); err != nil {
		return fmt.Errorf("set up capture ring on %s in %s: %w", name, s.cfg.Netns.Label(), err)
	}
	// Direction and loopback's outgoing copies are checked in user space,
	// as libpcap 1.10 does, so that "packets received by filter" counts
	// what tcpdump's does.
	s.loIndex = loIndex
	prog, err := s.program(all, name)
	if err != nil {
		return err
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if err := unix.SetsockoptSockFprog(s.fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return fmt.Errorf("attach filter in %s: %w", s.cfg.Netns.Label(), os.NewSyscallError("setsockopt SO_ATTACH_FILTER", err))
	}
	if !all && !s.cfg.NoPromisc {
		mreq := unix.PacketMreq{Ifindex: int32(s.ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(s.fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, &mreq); err != nil {
			return fmt.Errorf("promiscuous mode on %s in %s: %w", name, s.cfg.Netns.Label(), os.NewSyscallError("setsockopt PACKET_ADD_MEMBERSHIP", err))
		}
	}
	if err := unix.Bind(s.fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: s.ifindex}); err != nil {
		if errors.Is(err, unix.ENETDOWN) {
			return fmt.Errorf("%s: that device is not up in %s; bring it up with %s", name, s.cfg.Netns.Label(), upHint(s.cfg.Netns, name))
		}
		return fmt.Errorf("bind packet socket to %s in %s: %w", name, s.cfg.Netns.Label(), err)
	}
	// A goroutine blocked in poll(2) holds a thread in a syscall, and the
	// runtime's monitor then wakes every 20µs to take its processor back:
	// under a flood that costs more CPU than the capture itself. The
	// netpoller waits with epoll on an idle thread instead.
	s.file = os.NewFile(uintptr(s.fd), "packet socket")
	if s.raw, err = s.file.SyscallConn(); err != nil {
		return fmt.Errorf("packet socket: %w", err)
	}
	return nil
}

// program compiles the filter for the socket's view of packets and
// converts it to the kernel's layout.
func (s *Source) program(all bool, name string) ([]unix.SockFilter, error) {
	prog := s.cfg.Program
	if prog == nil && s.cfg.Expression != "" {
		opts := filter.Options{LinkType: s.linkType, Cooked: all, Live: true, Snaplen: uint32(s.cfg.Snaplen),
			Resolver: resolve.Names{Target: s.cfg.Netns}}
		if !all {
			opts.Netmask = netmask(name)
		}
		var err error
		if prog, err = filter.Compile(s.cfg.Expression, opts); err != nil {
			return nil, err
		}
	}
	if len(prog) == 0 {
		prog = []bpf.Instruction{bpf.RetConstant{Val: uint32(s.cfg.Snaplen)}}
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("filter program: %w", err)
	}
	out := make([]unix.SockFilter, len(raw))
	for i, ins := range raw {
		out[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	return out, nil
}

// netmask is the mask of the interface's first IPv4 address, which
// "ip broadcast" needs; nil when it has none.
func netmask(name string) net.IPMask {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil
	}
	addrs, _ := ifc.Addrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			return n.Mask[len(n.Mask)-4:]
		}
	}
	return nil
}

// defaultInterface picks the first interface that is up and not loopback,
// as tcpdump does without -i.
func defaultInterface(ifs []net.Interface) (string, error) {
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp != 0 && ifc.Flags&net.FlagLoopback == 0 {
			return ifc.Name, nil
		}
	}
	return "", errors.New("no interface is up to capture on (give one with -i, or -i any)")
}

// hardwareType asks the kernel for the interface's ARPHRD_* type.
func hardwareType(name string) (uint16, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, fmt.Errorf("interface name %q: %w", name, err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFHWADDR, ifr); err != nil {
		return 0, fmt.Errorf("hardware type of %s: %w", name, os.NewSyscallError("ioctl SIOCGIFHWADDR", err))
	}
	// The hardware address comes back as a sockaddr whose family is the
	// ARPHRD_* type; Uint16 reads that first field of the union.
	return ifr.Uint16(), nil
}

// LinkTypeFor maps an interface's ARPHRD_* type to the link type libpcap
// captures it with: Ethernet framing for Ethernet-like devices and
// loopback, raw IP for devices that carry bare IP packets (tun, ipip, sit),
// and Linux cooked v1 for everything else.
func LinkTypeFor(hatype uint16) layers.LinkType {
	switch hatype {
	case unix.ARPHRD_ETHER, unix.ARPHRD_LOOPBACK, unix.ARPHRD_IEEE802:
		return layers.LinkTypeEthernet
	case unix.ARPHRD_NONE, unix.ARPHRD_TUNNEL, unix.ARPHRD_TUNNEL6, unix.ARPHRD_SIT:
		return layers.LinkTypeRaw
	}
	return layers.LinkTypeLinuxSLL
}

// LinkType is the link type of the packets the source delivers.
func (s *Source) LinkType() layers.LinkType { return s.linkType }

// Interface is the interface captured on ("any" for all).
func (s *Source) Interface() string { return s.ifname }

// Snaplen is the snapshot length in effect.
func (s *Source) Snaplen() int { return s.cfg.Snaplen }

// Netns is the namespace the source captures in.
func (s *Source) Netns() nsexec.Target { return s.cfg.Netns }

// Interfaces returns the interfaces the namespace had when the source
// opened, by index.
func (s *Source) Interfaces() map[int]string {
	out := make(map[int]string, len(s.names))
	for k, v := range s.names {
		out[k] = v
	}
	return out
}

// Close releases the socket and ring; it is safe to call more than once.
func (s *Source) Close() error {
	s.closed.Do(func() {
		if s.ring != nil {
			s.ring.close()
		}
		if s.file != nil {
			s.file.Close()
		} else if s.fd >= 0 {
			unix.Close(s.fd)
		}
		if s.nsfile != nil {
			s.nsfile.Close()
		}
	})
	return nil
}

// ipCommand spells an iproute2 command for t, to quote in hints.
func ipCommand(t nsexec.Target, args string) string {
	switch t.Kind {
	case nsexec.Current:
		return "ip " + args
	case nsexec.Named:
		return "ip -n " + t.Name + " " + args
	}
	return "nsenter --net=" + t.Path() + " ip " + args
}

func upHint(t nsexec.Target, dev string) string { return ipCommand(t, "link set "+dev+" up") }

func htons(v uint16) uint16 { return v<<8 | v>>8 }

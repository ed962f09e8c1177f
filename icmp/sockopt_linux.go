package icmp

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// setOptions applies the options a ping command line may ask for (-Q, -M,
// -b, -L, -r, -m), with iputils' words when the kernel refuses one.
func (s *socket) setOptions(cfg *Config) error {
	fd := s.fd
	if cfg.TOS != 0 {
		level, opt := unix.IPPROTO_IP, unix.IP_TOS
		if s.v6 {
			level, opt = unix.IPPROTO_IPV6, unix.IPV6_TCLASS
		}
		if err := unix.SetsockoptInt(fd, level, opt, cfg.TOS); err != nil {
			return fmt.Errorf("setsockopt: %w", err)
		}
	}
	pmtu := cfg.PMTU
	if !s.v6 && pmtu == PMTUDefault && (s.broadcast || cfg.Dest.IsMulticast()) {
		// As iputils: requests to many hosts are never fragmented.
		pmtu = PMTUDo
	}
	if pmtu != PMTUDefault {
		if s.v6 {
			v := map[PMTUMode]int{PMTUDo: unix.IPV6_PMTUDISC_DO, PMTUWant: unix.IPV6_PMTUDISC_WANT, PMTUDont: unix.IPV6_PMTUDISC_DONT}[pmtu]
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MTU_DISCOVER, v); err != nil {
				return fmt.Errorf("IPV6_MTU_DISCOVER: %w", err)
			}
		} else {
			v := map[PMTUMode]int{PMTUDo: unix.IP_PMTUDISC_DO, PMTUWant: unix.IP_PMTUDISC_WANT, PMTUDont: unix.IP_PMTUDISC_DONT}[pmtu]
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MTU_DISCOVER, v); err != nil {
				return fmt.Errorf("IP_MTU_DISCOVER: %w", err)
			}
		}
	}
	if s.broadcast {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_BROADCAST, 1); err != nil {
			return fmt.Errorf("cannot set broadcasting: %w", err)
		}
	}
	if cfg.NoLoop {
		if s.v6 {
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_LOOP, 0); err != nil {
				return fmt.Errorf("can't disable multicast loopback: %w", err)
			}
		} else if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP, 0); err != nil {
			return fmt.Errorf("cannot disable multicast loopback: %w", err)
		}
	}
	if cfg.RecordRoute && !s.v6 {
		if err := unix.SetsockoptString(fd, unix.IPPROTO_IP, unix.IP_OPTIONS, string(recordRouteOption())); err != nil {
			return fmt.Errorf("record route: %w", err)
		}
	}
	if cfg.Timestamp != TSNone && !s.v6 {
		if err := unix.SetsockoptString(fd, unix.IPPROTO_IP, unix.IP_OPTIONS, string(timestampOption(cfg.Timestamp, cfg.TSHops))); err != nil {
			return fmt.Errorf("ts option: %w", err)
		}
	}
	if cfg.DontRoute {
		// iputils ignores a refusal here.
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DONTROUTE, 1)
	}
	if cfg.Mark != 0 {
		// Only a warning, as in iputils: old kernels lack SO_MARK and
		// it needs CAP_NET_ADMIN.
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_MARK, int(cfg.Mark)); err != nil {
			s.markErr = err
		}
	}
	return nil
}

// recordRouteLen is the IPv4 options' room ping -R takes: 40 bytes, the
// most an IPv4 header holds.
const recordRouteLen = 40

// recordRouteOption is iputils' record route request: a NOP to align the
// addresses, then the option (type 7, 39 bytes, pointer at the first
// of its nine empty slots).
func recordRouteOption() []byte {
	b := make([]byte, recordRouteLen)
	b[0] = 1 // NOP
	b[1], b[2], b[3] = 7, recordRouteLen-1, 4
	return b
}

// timestampOption is iputils' timestamp request (type 68, pointer at the
// first slot, the flag saying what to record): 40 bytes for nine
// timestamps, 36 for four address and timestamp pairs, and for
// prespecified hops each address with an empty stamp after it.
func timestampOption(m TSMode, hops []netip.Addr) []byte {
	n, flag := 40, byte(0)
	switch m {
	case TSAndAddr:
		n, flag = 36, 1
	case TSPrespec:
		n, flag = 4+8*len(hops), 3
	}
	b := make([]byte, n)
	b[0], b[1], b[2], b[3] = 68, byte(n), 5, flag
	if m == TSPrespec {
		for i, h := range hops {
			a := h.As4()
			copy(b[4+8*i:], a[:])
		}
	}
	return b
}

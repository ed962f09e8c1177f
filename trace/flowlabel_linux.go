package trace

import (
	"encoding/binary"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The IPv6 flow label manager (linux/in6.h), which x/sys/unix lacks.
const (
	ipv6FlowLabelMgr = 32 // IPV6_FLOWLABEL_MGR
	ipv6FlowInfoSend = 33 // IPV6_FLOWINFO_SEND
	flowLabelMask    = 0x000fffff
)

// flowInfo is the flow information IPv6 probes are sent with when a flow
// label is asked for: the label and, as traceroute writes it, the traffic
// class above it.
func (n *sockNet) flowInfo() uint32 {
	return uint32(n.c.TOS&0xff)<<20 | n.c.FlowLabel&flowLabelMask
}

// setFlowLabel readies fd to send IPv6 probes with the flow label asked
// for: the kernel takes a label from the destination address only once
// it is leased (IPV6_FLOWLABEL_MGR) and the socket sends flow information
// (IPV6_FLOWINFO_SEND).
func (n *sockNet) setFlowLabel(fd int) error {
	if !n.v6 || n.c.FlowLabel&flowLabelMask == 0 {
		return nil
	}
	// struct in6_flowlabel_req: destination, label (big-endian), action
	// GET, share ANY, flags CREATE, expiry, linger, padding.
	var req [32]byte
	dst := n.dst.As16()
	copy(req[0:16], dst[:])
	binary.BigEndian.PutUint32(req[16:20], n.c.FlowLabel&flowLabelMask)
	req[20] = 0                                  // IPV6_FL_A_GET
	req[21] = 255                                // IPV6_FL_S_ANY
	binary.NativeEndian.PutUint16(req[22:24], 1) // IPV6_FL_F_CREATE
	if err := unix.SetsockoptString(fd, unix.IPPROTO_IPV6, ipv6FlowLabelMgr, string(req[:])); err != nil {
		return os.NewSyscallError("setsockopt IPV6_FLOWLABEL_MGR", err)
	}
	return os.NewSyscallError("setsockopt IPV6_FLOWINFO_SEND", unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, ipv6FlowInfoSend, 1))
}

// sendto sends b to sa; with a flow label, through a destination address
// that carries it (sin6_flowinfo, which unix.SockaddrInet6 has no field
// for).
func (n *sockNet) sendto(fd int, b []byte, sa unix.Sockaddr) error {
	sa6, ok := sa.(*unix.SockaddrInet6)
	if !ok || n.c.FlowLabel&flowLabelMask == 0 {
		return unix.Sendto(fd, b, 0, sa)
	}
	raw := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: sa6.Addr, Scope_id: sa6.ZoneId}
	binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&raw.Port))[:], uint16(sa6.Port))
	binary.BigEndian.PutUint32((*[4]byte)(unsafe.Pointer(&raw.Flowinfo))[:], n.flowInfo())
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	_, _, errno := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(p), uintptr(len(b)), 0, uintptr(unsafe.Pointer(&raw)), unsafe.Sizeof(raw))
	if errno != 0 {
		return errno
	}
	return nil
}

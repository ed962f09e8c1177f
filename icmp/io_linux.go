package icmp

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Constants eachCmsg's callers compare against, typed as cmsghdr fields.
const (
	sysSOL_SOCKET      = int32(unix.SOL_SOCKET)
	sysSCM_TIMESTAMPNS = int32(unix.SCM_TIMESTAMPNS)
	sysIPPROTO_IP      = int32(unix.IPPROTO_IP)
	sysIP_TTL          = int32(unix.IP_TTL)
	sysIPPROTO_IPV6    = int32(unix.IPPROTO_IPV6)
	sysIPV6_HOPLIMIT   = int32(unix.IPV6_HOPLIMIT)
	sysIP_RECVERR      = int32(unix.IP_RECVERR)
	sysIPV6_RECVERR    = int32(unix.IPV6_RECVERR)
	sysEMSGSIZE        = uint32(unix.EMSGSIZE)
)

func nativeUint32(d []byte) uint32 { return binary.NativeEndian.Uint32(d) }

// timespecNs reads a struct timespec as nanoseconds since the epoch.
func timespecNs(d []byte) int64 {
	return int64(binary.NativeEndian.Uint64(d))*1e9 + int64(binary.NativeEndian.Uint64(d[8:]))
}

func errnoErr(n uint32) error { return unix.Errno(n) }

func isAgain(err error) bool { return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) }

// isNoBuffers is a send that found the device queue or memory full.
func isNoBuffers(err error) bool {
	return errors.Is(err, unix.ENOBUFS) || errors.Is(err, unix.ENOMEM)
}

func isTransient(err error) bool {
	return errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.ENOBUFS) || errors.Is(err, unix.ENOMEM)
}

func (s *socket) close() error {
	if s.fd < 0 {
		return nil
	}
	err := unix.Close(s.fd)
	s.fd = -1
	return err
}

func (s *socket) send(pkt []byte) error {
	_, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(s.fd), uintptr(unsafe.Pointer(&pkt[0])), uintptr(len(pkt)), 0,
		uintptr(unsafe.Pointer(&s.destRaw)), uintptr(s.destLen))
	if e != 0 {
		return os.NewSyscallError("sendmsg", e)
	}
	return nil
}

// rx holds recvmsg's arguments, allocated once: the receive path runs per
// packet and must not feed the garbage collector.
type rx struct {
	hdr  unix.Msghdr
	iov  unix.Iovec
	from unix.RawSockaddrAny
}

// recv reads one datagram; with block it waits up to SO_RCVTIMEO.
//
// The call is a raw syscall, unknown to the Go scheduler: a blocking
// syscall otherwise makes the runtime hand the thread's P to another
// thread and take it back, a futex round trip or two per packet that
// costs more than the veth round trip being measured. The wait is bounded
// by SO_RCVTIMEO (10ms), so the P is never held long.
func (s *socket) recv(buf, oob []byte, block bool) (int, int, netip.Addr, error) {
	flags := unix.MSG_DONTWAIT
	if block {
		flags = 0
	}
	r := &s.rx
	r.iov.Base, r.iov.Len = &buf[0], uint64(len(buf))
	r.hdr = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&r.from)), Namelen: unix.SizeofSockaddrAny, Iov: &r.iov, Iovlen: 1,
		Control: &oob[0], Controllen: uint64(len(oob))}
	n, _, e := unix.RawSyscall(unix.SYS_RECVMSG, uintptr(s.fd), uintptr(unsafe.Pointer(&r.hdr)), uintptr(flags))
	if e != 0 {
		return 0, 0, netip.Addr{}, e
	}
	return int(n), int(r.hdr.Controllen), s.rawAddr(&r.from), nil
}

// rawAddr reads an IPv4 or IPv6 address out of a raw sockaddr, with the
// zone of a link-local one.
func (s *socket) rawAddr(sa *unix.RawSockaddrAny) netip.Addr {
	switch sa.Addr.Family {
	case unix.AF_INET:
		return netip.AddrFrom4((*unix.RawSockaddrInet4)(unsafe.Pointer(sa)).Addr)
	case unix.AF_INET6:
		sa6 := (*unix.RawSockaddrInet6)(unsafe.Pointer(sa))
		return s.withZone(netip.AddrFrom16(sa6.Addr).Unmap(), sa6.Scope_id)
	}
	return netip.Addr{}
}

// recvErr reads one message from the error queue; ok is false for a
// message that is not about an echo request to our destination.
func (s *socket) recvErr(buf, oob []byte) (queuedError, bool, error) {
	n, oobn, _, to, err := unix.Recvmsg(s.fd, buf, oob, unix.MSG_ERRQUEUE|unix.MSG_DONTWAIT)
	if err != nil {
		return queuedError{}, false, err
	}
	var q queuedError
	found := false
	eachCmsg(oob[:oobn], func(level, typ int32, d []byte) {
		if level == sysIPPROTO_IP && typ == sysIP_RECVERR || level == sysIPPROTO_IPV6 && typ == sysIPV6_RECVERR {
			q, found = parseExtendedErr(d)
		}
	})
	if !found {
		return q, false, nil
	}
	if q.origin != originLocal && addrOf(to) != addrOf(s.dest) {
		return q, false, nil
	}
	q.setOriginal(buf[:n])
	return q, true, nil
}

// waiter blocks until the socket is readable, has a queued error, the
// timeout passes or the context ends (signalled through an eventfd, so no
// goroutine has to poll).
type waiter struct {
	fds  [2]unix.PollFd
	efd  int
	stop func() bool
}

func newWaiter(ctx context.Context, fd int) (*waiter, error) {
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	w := &waiter{efd: efd}
	w.fds[0] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN}
	w.fds[1] = unix.PollFd{Fd: int32(efd), Events: unix.POLLIN}
	w.stop = context.AfterFunc(ctx, func() {
		var one [8]byte
		binary.NativeEndian.PutUint64(one[:], 1)
		unix.Write(efd, one[:])
	})
	return w, nil
}

func (w *waiter) wait(d time.Duration) (readable, errq bool, err error) {
	if d < 0 {
		d = 0
	}
	ts := unix.NsecToTimespec(int64(d))
	w.fds[0].Revents, w.fds[1].Revents = 0, 0
	_, err = unix.Ppoll(w.fds[:], &ts, nil)
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return false, false, nil
		}
		return false, false, os.NewSyscallError("ppoll", err)
	}
	rev := w.fds[0].Revents
	return rev&unix.POLLIN != 0, rev&unix.POLLERR != 0, nil
}

func (w *waiter) close() {
	w.stop()
	unix.Close(w.efd)
}

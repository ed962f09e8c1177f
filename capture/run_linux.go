package capture

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/sys/unix"
)

// pollInterval bounds how long Run sleeps without looking at whether its
// namespace still exists.
const pollInterval = 200 * time.Millisecond

// Run delivers packets to fn until ctx ends, fn returns an error (ErrStop
// ends it cleanly), or what is captured goes away (an error wrapping
// ErrInterfaceGone or ErrNetnsGone). The *Packet and its Data are reused:
// copy what you keep. The returned Stats are complete in every case.
func (s *Source) Run(ctx context.Context, fn func(*Packet) error) (Stats, error) {
	stop := context.AfterFunc(ctx, func() {
		// A deadline in the past wakes a wait at once.
		s.file.SetReadDeadline(time.Unix(1, 0))
	})
	defer stop()
	err := s.loop(ctx, fn)
	s.readStats()
	if errors.Is(err, ErrStop) || (err != nil && ctx.Err() != nil && !errors.Is(err, ErrInterfaceGone) && !errors.Is(err, ErrNetnsGone)) {
		err = nil
	}
	return s.stats, err
}

func (s *Source) loop(ctx context.Context, fn func(*Packet) error) error {
	pkt := Packet{LinkType: s.linkType, Netns: s.cfg.Netns.String(), PacketType: -1}
	vlanOK := s.linkType == layers.LinkTypeEthernet
	var ferr error
	visit := func(block []byte, f *frame) bool {
		if !s.wanted(f.sll) {
			return true
		}
		h := f.hdr
		mac := f.off + int(h.Mac)
		data := block[mac : mac+int(h.Snaplen)]
		pkt.Length = int(h.Len)
		if s.cooked > 0 {
			// PACKET_RESERVE left room in front of the network header.
			data = block[mac-s.cooked : mac+int(h.Snaplen)]
			if s.cooked == sll2HdrLen {
				putSLL2(data, f.sll)
			} else {
				putSLL1(data, f.sll)
			}
			pkt.Length += s.cooked
		} else if vlanOK && h.Status&unix.TP_STATUS_VLAN_VALID != 0 {
			data = s.withVLAN(data, h)
			pkt.Length += 4
		}
		if len(data) > s.cfg.Snaplen {
			// The kernel cut the packet at the snap length; the cooked
			// header or VLAN tag put in front must not make it longer
			// (libpcap cuts again, and tcpdump -s 60 means 60 bytes).
			data = data[:s.cfg.Snaplen]
		}
		pkt.Time = time.Unix(int64(h.Sec), int64(h.Nsec))
		pkt.Data = data
		pkt.Ifindex = int(f.sll.Ifindex)
		pkt.PacketType = int(f.sll.Pkttype)
		if pkt.Ifindex == s.ifindex {
			pkt.Interface = s.ifname
		} else {
			pkt.Interface = s.name(pkt.Ifindex)
		}
		s.stats.Captured++
		if err := fn(&pkt); err != nil {
			ferr = err
			return false
		}
		return true
	}
	lastCheck := time.Now()
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s.ring.ready() {
			err := s.ring.walk(visit)
			s.ring.release()
			if err != nil {
				return err
			}
			if ferr != nil {
				return ferr
			}
		}
		// Not once per block: every syscall wakes the runtime's monitor
		// thread, and under a flood those wakeups cost more than the
		// capture.
		if now := time.Now(); now.Sub(lastCheck) >= pollInterval {
			lastCheck = now
			if err := s.checkNetns(); err != nil {
				return err
			}
		}
		if !s.ring.ready() {
			if err := s.wait(lastCheck.Add(pollInterval)); err != nil {
				return err
			}
		}
	}
}

// wanted applies -Q and drops loopback's outgoing copies (every loopback
// packet also comes back in), as libpcap does after the kernel filter.
func (s *Source) wanted(sll *unix.RawSockaddrLinklayer) bool {
	out := sll.Pkttype == PacketOutgoing
	switch {
	case out && s.loIndex != 0 && int(sll.Ifindex) == s.loIndex:
		return false
	case s.cfg.Direction == In:
		return !out
	case s.cfg.Direction == Out:
		return out
	}
	return true
}

// wait sleeps until the kernel hands over a block, the socket reports an
// error, the context ends (its deadline is moved to the past) or until
// passes. The deadline is set only when it changes: resetting a timer
// before every block wakes the runtime's scheduler too.
func (s *Source) wait(until time.Time) error {
	if !until.Equal(s.deadline) {
		s.deadline = until
		s.file.SetReadDeadline(until)
	}
	soerr, woken := 0, false
	err := s.raw.Read(func(uintptr) bool {
		if s.ring.ready() {
			return true
		}
		// Woken without a block: the kernel may have set an error
		// (ENETDOWN when the interface goes away).
		if woken {
			soerr, _ = unix.GetsockoptInt(s.fd, unix.SOL_SOCKET, unix.SO_ERROR)
		}
		woken = true
		return soerr != 0
	})
	if soerr != 0 {
		return s.socketError(unix.Errno(soerr))
	}
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("wait for packets on %s in %s: %w", s.ifname, s.cfg.Netns.Label(), err)
	}
	return nil
}

// socketError explains an error the kernel set on the socket: ENETDOWN
// when the bound interface goes down or is deleted.
func (s *Source) socketError(soerr unix.Errno) error {
	if soerr == unix.ENETDOWN || soerr == unix.ENXIO || soerr == unix.ENODEV {
		if err := s.checkNetns(); err != nil {
			return err
		}
		_, err := s.ifName(s.ifindex)
		gone := errors.Is(err, unix.ENODEV)
		if gone {
			return &goneError{fmt.Sprintf("interface %s disappeared from %s", s.ifname, s.cfg.Netns.Label()), ErrInterfaceGone}
		}
		return &goneError{fmt.Sprintf("interface %s in %s went down", s.ifname, s.cfg.Netns.Label()), ErrInterfaceGone}
	}
	return fmt.Errorf("capture on %s in %s: %w", s.ifname, s.cfg.Netns.Label(), soerr)
}

// checkNetns ends the capture when its namespace's name is removed (ip
// netns del) or its process exits: our socket keeps the namespace alive,
// so nothing else would ever tell us.
func (s *Source) checkNetns() error {
	t := s.cfg.Netns
	if t.Kind != nsexec.Named && t.Kind != nsexec.PID {
		return nil
	}
	id, err := nsexec.Identify(t)
	if err != nil || id != s.nsID {
		return &goneError{fmt.Sprintf("%s was deleted", t.Label()), ErrNetnsGone}
	}
	return nil
}

// readStats adds the kernel's counters since the last read (reading
// resets them).
func (s *Source) readStats() {
	st, err := unix.GetsockoptTpacketStatsV3(s.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if err != nil {
		return
	}
	s.stats.Received += uint64(st.Packets)
	s.stats.Dropped += uint64(st.Drops)
}

// withVLAN puts back the 802.1Q tag the kernel took out of the frame (it
// reports it beside the packet), as libpcap does.
func (s *Source) withVLAN(data []byte, h *unix.Tpacket3Hdr) []byte {
	if len(data) < 12 {
		return data
	}
	tpid := uint16(unix.ETH_P_8021Q)
	if h.Status&unix.TP_STATUS_VLAN_TPID_VALID != 0 && h.Hv1.Vlan_tpid != 0 {
		tpid = h.Hv1.Vlan_tpid
	}
	tci := uint16(h.Hv1.Vlan_tci)
	s.scratch = append(s.scratch[:0], data[:12]...)
	s.scratch = append(s.scratch, byte(tpid>>8), byte(tpid), byte(tci>>8), byte(tci))
	s.scratch = append(s.scratch, data[12:]...)
	return s.scratch
}

// name returns the name of interface ifindex in the source's namespace,
// asking the namespace again for interfaces that appeared after Open.
func (s *Source) name(ifindex int) string {
	if n, ok := s.names[ifindex]; ok {
		return n
	}
	n, _ := s.ifName(ifindex)
	// Remembered even when empty so an unknown index is asked about once.
	s.names[ifindex] = n
	return n
}

// ifName asks the kernel for interface ifindex's name through the packet
// socket: its ioctls act in the namespace the socket lives in, so no setns
// is needed (and none would be allowed once privileges are dropped).
func (s *Source) ifName(ifindex int) (string, error) {
	ifr, err := unix.NewIfreq("")
	if err != nil {
		return "", err
	}
	ifr.SetUint32(uint32(ifindex))
	if err := unix.IoctlIfreq(s.fd, unix.SIOCGIFNAME, ifr); err != nil {
		return "", err
	}
	return ifr.Name(), nil
}

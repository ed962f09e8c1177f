package reach

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// ICMPProber sends ICMP echo requests on a raw socket opened inside the
// source namespace (CAP_NET_RAW there), one socket per job, and matches
// replies and ICMP errors to them by identifier, sequence and a random
// payload. Raw sockets see the errors that routers send back, which is what
// makes "!H from 10.0.1.254" possible.
type ICMPProber struct{}

// nextID hands every job its own echo identifier, so that concurrent jobs in
// one namespace (whose raw sockets all see every ICMP message) never take
// each other's answers.
var nextID atomic.Uint32

func init() {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<16))
	if err == nil {
		nextID.Store(uint32(n.Int64()))
	}
}

// Probe runs one job.
func (ICMPProber) Probe(ctx context.Context, j Job) Result {
	r := Result{From: j.From, To: j.To, Addr: j.Addr}
	v6 := j.Addr.Is6()
	conn, err := openICMP(j.Src, v6)
	if err != nil {
		r.Outcome, r.Err = Failed, err
		return r
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	id := int(uint16(nextID.Add(1)))
	nonce := make([]byte, 16)
	rand.Read(nonce)
	sent := make(map[int]time.Time, j.Probes)
	dst := &net.IPAddr{IP: j.Addr.AsSlice()}
	var typ icmp.Type = ipv4.ICMPTypeEcho
	if v6 {
		typ = ipv6.ICMPTypeEchoRequest
	}

	// Answers are read while the probes go out, on this goroutine: the
	// read deadline is the next send or, after the last, the timeout.
	buf := make([]byte, 1500)
	errs := 0
	nextSend := time.Now()
	var deadline time.Time
	for seq := 1; ; {
		if seq <= j.Probes && !time.Now().Before(nextSend) {
			msg, _ := (&icmp.Message{Type: typ, Body: &icmp.Echo{ID: id, Seq: seq, Data: nonce}}).Marshal(nil)
			sent[seq] = time.Now()
			if _, err := conn.WriteTo(msg, dst); err != nil {
				r.Sent = seq - 1
				r.Outcome, r.Err, r.Reason = SendError, unwrapSyscall(err), "sendmsg: "+errText(err)
				return r
			}
			r.Sent = seq
			seq++
			nextSend = nextSend.Add(j.Interval)
			if seq > j.Probes {
				deadline = time.Now().Add(j.Timeout)
			}
		}
		wait := deadline
		if seq <= j.Probes {
			wait = nextSend
		}
		if ctx.Err() != nil {
			break
		}
		conn.SetReadDeadline(wait)
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if seq > j.Probes {
					break
				}
				continue
			}
			r.Outcome, r.Err = Failed, fmt.Errorf("read ICMP in %s: %w", j.Src.Label(), err)
			return r
		}
		a, ok := parseAnswer(buf[:n], v6)
		if !ok || a.id != id || sent[a.seq].IsZero() {
			continue
		}
		src, _ := netip.AddrFromSlice(from.(*net.IPAddr).IP)
		src = src.Unmap()
		switch {
		case a.reply && src == j.Addr && bytes.Equal(a.nonce, nonce):
			rtt := time.Since(sent[a.seq])
			if r.Received == 0 || rtt < r.RTT {
				r.RTT = rtt
			}
			r.Received++
			delete(sent, a.seq) // duplicates count once
		case !a.reply && a.quotedTo == j.Addr && r.Received == 0:
			r.ErrorFrom, r.ICMPType, r.ICMPCode = src, a.typ, a.code
			r.Reason = icmpReason(v6, a.typ, a.code)
			errs++
			delete(sent, a.seq)
		}
		// Every probe answered, by a reply or an error: nothing to wait for.
		if r.Received+errs == j.Probes {
			break
		}
	}
	switch {
	case r.Received > 0:
		r.Outcome, r.Reason, r.ErrorFrom, r.ICMPType, r.ICMPCode = Reached, "", netip.Addr{}, 0, 0
	case r.Reason != "":
		r.Outcome = ICMPError
	default:
		r.Outcome, r.Reason = Timeout, "timeout"
	}
	return r
}

// openICMP opens a raw ICMP socket inside ns that only passes the message
// types Probe reads.
func openICMP(ns nsexec.Target, v6 bool) (*icmp.PacketConn, error) {
	var conn *icmp.PacketConn
	err := nsexec.Do(ns, func() error {
		var err error
		if v6 {
			conn, err = icmp.ListenPacket("ip6:ipv6-icmp", "::")
		} else {
			conn, err = icmp.ListenPacket("ip4:icmp", "0.0.0.0")
		}
		return err
	})
	if err != nil {
		var nerr *nsexec.Error
		if errors.As(err, &nerr) {
			return nil, err
		}
		return nil, fmt.Errorf("open raw ICMP socket in %s: %w", ns.Label(), unwrapSyscall(err))
	}
	if v6 {
		var f ipv6.ICMPFilter
		f.SetAll(true)
		for _, t := range []ipv6.ICMPType{ipv6.ICMPTypeEchoReply, ipv6.ICMPTypeDestinationUnreachable, ipv6.ICMPTypeTimeExceeded, ipv6.ICMPTypeParameterProblem, ipv6.ICMPTypePacketTooBig} {
			f.Accept(t)
		}
		err = conn.IPv6PacketConn().SetICMPFilter(&f)
	} else {
		var f ipv4.ICMPFilter
		f.SetAll(true)
		for _, t := range []ipv4.ICMPType{ipv4.ICMPTypeEchoReply, ipv4.ICMPTypeDestinationUnreachable, ipv4.ICMPTypeTimeExceeded, ipv4.ICMPTypeParameterProblem} {
			f.Accept(t)
		}
		err = conn.IPv4PacketConn().SetICMPFilter(&f)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("set ICMP filter in %s: %w", ns.Label(), err)
	}
	return conn, nil
}

// unwrapSyscall digs the errno out of a *net.OpError so callers can match it.
func unwrapSyscall(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}

// errText is the system's message for err ("Invalid argument"), as ping
// prints after "sendmsg:".
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		return string(s[0]-'a'+'A') + s[1:]
	}
	return err.Error()
}

// icmpReason words an ICMP error as iputils ping does.
func icmpReason(v6 bool, typ, code int) string {
	if v6 {
		switch typ {
		case icmp6Unreach:
			switch code {
			case 0:
				return "Destination unreachable: No route"
			case 1:
				return "Destination unreachable: Administratively prohibited"
			case 2:
				return "Destination unreachable: Beyond scope"
			case 3:
				return "Destination unreachable: Address unreachable"
			case 4:
				return "Destination unreachable: Port unreachable"
			case 5:
				return "Destination unreachable: Source address failed ingress/egress policy"
			case 6:
				return "Destination unreachable: Reject route to destination"
			}
			return fmt.Sprintf("Destination unreachable: Unknown code %d", code)
		case icmp6TimeExceeded:
			return "Time exceeded: Hop limit"
		case 2:
			return "Packet too big"
		case 4:
			return "Parameter problem"
		}
		return fmt.Sprintf("ICMPv6 type %d code %d", typ, code)
	}
	switch typ {
	case icmp4Unreach:
		reasons := map[int]string{
			0: "Destination Net Unreachable", 1: "Destination Host Unreachable",
			2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
			4: "Frag needed", 5: "Source Route Failed", 6: "Destination Net Unknown",
			7: "Destination Host Unknown", 8: "Source Host Isolated", 9: "Destination Net Prohibited",
			10: "Destination Host Prohibited", 11: "Destination Net Unreachable for Type of Service",
			12: "Destination Host Unreachable for Type of Service", 13: "Packet filtered",
			14: "Precedence Violation", 15: "Precedence Cutoff",
		}
		if s, ok := reasons[code]; ok {
			return s
		}
		return fmt.Sprintf("Dest Unreachable, Bad Code: %d", code)
	case icmp4TimeExceeded:
		return "Time to live exceeded"
	case 12:
		return "Parameter problem"
	}
	return fmt.Sprintf("ICMP type %d code %d", typ, code)
}

package reach

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"syscall"

	"github.com/nsdiag/nsdiag/icmp"
)

// ICMPProber pings with nsdiag's ICMP echo engine (package icmp): a socket
// opened inside the source namespace (raw with CAP_NET_RAW, else the
// datagram "ping" socket where ping_group_range allows), replies matched by
// identifier, ICMP errors read from the socket's error queue with the
// router that sent them.
type ICMPProber struct{}

// Probe runs one job as `ping -c PROBES -i INTERVAL -W TIMEOUT ADDR`.
func (ICMPProber) Probe(ctx context.Context, j Job) Result {
	r := Result{From: j.From, To: j.To, Addr: j.Addr}
	p, err := icmp.New(icmp.Config{Target: j.Src, Dest: j.Addr, Count: j.Probes, Interval: j.Interval, Linger: j.Timeout})
	var sys *os.SyscallError
	switch {
	case errors.As(err, &sys) && sys.Syscall == "connect":
		// The source's routes refuse the destination before anything is
		// sent (blackhole, unreachable, prohibit): ping's "connect:".
		r.Outcome, r.Err, r.Reason = SendError, sys.Err, "connect: "+errnoText(sys.Err)
		return r
	case err != nil:
		r.Outcome, r.Err = Failed, err
		return r
	}
	defer p.Close()
	st, err := p.Run(ctx, func(ev icmp.Event) {
		switch e := ev.(type) {
		case *icmp.Reply:
			// Another pinger in the namespace may share our identifier;
			// its replies come from its own destination.
			if e.WrongSource || e.Dup || e.BadChecksum {
				return
			}
			if r.Received == 0 || e.RTT < r.RTT {
				r.RTT = e.RTT
			}
			r.Received++
		case *icmp.ICMPError:
			if r.Reason == "" {
				r.ErrorFrom, r.ICMPType, r.ICMPCode, r.Reason = e.From, int(e.Type), int(e.Code), e.Text()
			}
		case *icmp.LocalError:
			if r.Err == nil {
				r.Err, r.Reason = e.Err, localReason(e)
			}
		}
	})
	r.Sent = st.Transmitted
	switch {
	case r.Received > 0:
		r.Outcome, r.Reason, r.Err, r.ErrorFrom, r.ICMPType, r.ICMPCode = Reached, "", nil, netip.Addr{}, 0, 0
	case err != nil && !errors.Is(err, context.Canceled):
		r.Outcome, r.Err = Failed, err
	case r.ICMPType != 0 || r.ErrorFrom.IsValid():
		r.Outcome = ICMPError
	case r.Err != nil:
		r.Outcome = SendError
	default:
		r.Outcome, r.Reason = Timeout, "timeout"
	}
	return r
}

// localReason words a local error as ping prints it: "sendmsg: Invalid
// argument", or "local error: ..." for one from the error queue.
func localReason(e *icmp.LocalError) string {
	prefix := "sendmsg: "
	if e.Queue {
		prefix = "local error: "
	}
	return prefix + errnoText(e.Err)
}

// errnoText is the C library's message for err's errno ("Invalid
// argument"), as ping prints it.
func errnoText(err error) string {
	msg := err.Error()
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg = errno.Error()
	}
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		msg = string(msg[0]-'a'+'A') + msg[1:]
	}
	return msg
}

package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/nsdiag/nsdiag/icmp"
	"github.com/nsdiag/nsdiag/internal/resolve"
)

// pingText prints iputils ping's lines.
type pingText struct {
	out, errOut io.Writer
	o           *pingOptions
	host        string
	p           *icmp.Pinger
	owners      *owners
	names       map[netip.Addr]string
	buf         []byte
	// lastRoute is the last record route printed, for "(same route)".
	lastRoute []byte
}

func newPingText(out, errOut io.Writer, o *pingOptions, host string, p *icmp.Pinger, ow *owners) *pingText {
	return &pingText{out: out, errOut: errOut, o: o, host: host, p: p, owners: ow, names: map[netip.Addr]string{}}
}

// start prints the header, e.g. "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data."
func (t *pingText) start() {
	dest := t.p.Dest()
	if t.p.Broadcast() {
		io.WriteString(t.errOut, "WARNING: pinging broadcast address\n")
	}
	if t.p.RcvbufShort() {
		io.WriteString(t.errOut, "ping: WARNING: probably, rcvbuf is not enough to hold preload (raise net.core.rmem_max, or give a smaller -l)\n")
	}
	if t.p.SourceOffDevice() {
		fmt.Fprintf(t.errOut, "ping: Warning: source address might be selected on device other than: %s\n", t.p.Device())
	}
	var b strings.Builder
	if dest.Is6() {
		fmt.Fprintf(&b, "PING %s(%s) ", t.host, t.addr(dest))
	} else {
		fmt.Fprintf(&b, "PING %s (%s) ", t.host, dest)
	}
	if t.p.Device() != "" || t.o.cfg.Source != "" || t.o.cfg.StrictSource {
		fmt.Fprintf(&b, "from %s %s: ", t.p.Source(), t.p.Device())
	}
	n := t.p.DataLen()
	if dest.Is6() {
		fmt.Fprintf(&b, "%d data bytes\n", n)
	} else {
		opts := 0
		if t.o.cfg.RecordRoute || t.o.cfg.Timestamp != icmp.TSNone {
			opts = 40 // the options' room, as iputils counts it
		}
		fmt.Fprintf(&b, "%d(%d) bytes of data.\n", n, n+8+opts+20)
	}
	io.WriteString(t.out, b.String())
	if err := t.p.MarkErr(); err != nil {
		fmt.Fprintf(t.errOut, "ping: WARNING: failed to set mark: %d: %s (SO_MARK needs CAP_NET_ADMIN)\n", t.o.cfg.Mark, strerror(err))
	}
}

// addr prints an address as iputils' pr_addr: "name (addr)" when a name is
// known and lookups are on, else the address; then the owner annotation.
func (t *pingText) addr(a netip.Addr) string {
	s := a.String()
	if !t.o.numeric {
		name, ok := t.names[a]
		if !ok {
			name = resolve.Name(t.o.cfg.Target, a)
			t.names[a] = name
		}
		if name != "" {
			s = name + " (" + s + ")"
		}
	}
	return s + t.owners.annotate(a)
}

func (t *pingText) stamp(at time.Time) {
	if t.o.timestamps {
		us := at.UnixMicro()
		t.buf = fmt.Appendf(t.buf, "[%d.%06d] ", us/1e6, us%1e6)
	}
}

func (t *pingText) flush() {
	t.out.Write(t.buf)
	t.buf = t.buf[:0]
}

func (t *pingText) event(ev icmp.Event) {
	switch e := ev.(type) {
	case *icmp.Sent:
		if t.o.flood && !t.o.quiet {
			io.WriteString(t.out, ".")
		}
	case *icmp.Reply:
		t.reply(e)
	case *icmp.ICMPError:
		if t.o.quiet {
			return
		}
		if t.o.flood {
			io.WriteString(t.out, "\bE")
			return
		}
		t.stamp(e.At)
		t.buf = fmt.Appendf(t.buf, "From %s icmp_seq=%d %s\n", t.addr(e.From), e.Seq, e.Text())
		t.flush()
	case *icmp.Redirect:
		if t.o.quiet || t.o.flood {
			return
		}
		t.stamp(e.At)
		t.buf = fmt.Appendf(t.buf, "From %s: icmp_seq=%d %s\n", t.addr(e.From), e.Seq, redirectText(e, t.addr(e.Gateway)))
		if t.o.verbose {
			t.buf = t.appendIPHeader(t.buf, e.Quoted)
		}
		t.flush()
	case *icmp.LocalError:
		// iputils 20221126 reports a failed sendto only through the
		// error queue: when nothing was queued (an nftables drop, -r
		// towards a gatewayed host) it prints nothing, not even the
		// flood's E; the JSON output keeps the event.
		if t.o.quiet || !e.Queue {
			return
		}
		if t.o.flood {
			io.WriteString(t.out, "E")
			return
		}
		fmt.Fprintln(t.errOut, localErrorText(e, t.o.cfg.Dest.Is6()))
	case *icmp.Status:
		io.WriteString(t.errOut, pingStatus(e.Stats))
	case *icmp.Outstanding:
		if t.o.quiet {
			return
		}
		t.stamp(e.At)
		t.buf = fmt.Appendf(t.buf, "no answer yet for icmp_seq=%d\n", e.Seq)
		t.flush()
	}
}

func localErrorText(e *icmp.LocalError, v6 bool) string {
	switch {
	case !e.Queue:
		return "ping: sendmsg: " + strerror(e.Err)
	case e.MTU != 0 && v6:
		return fmt.Sprintf("ping: local error: message too long, mtu: %d", e.MTU)
	case e.MTU != 0:
		return fmt.Sprintf("ping: local error: message too long, mtu=%d", e.MTU)
	}
	return "ping: local error: " + strerror(e.Err)
}

// strerror spells a system error as C's strerror does ("Network is
// unreachable"), the way iputils prints it; Go's are lower case.
func strerror(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	s := errno.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (t *pingText) reply(e *icmp.Reply) {
	if t.o.quiet {
		return
	}
	if t.o.flood {
		io.WriteString(t.out, "\b \b")
		if t.o.audible {
			io.WriteString(t.out, "\a")
		}
		return
	}
	t.stamp(time.Now())
	t.buf = fmt.Appendf(t.buf, "%d bytes from %s: icmp_seq=%d", e.Bytes, t.addr(e.From), e.Seq)
	if t.o.verbose && t.p.Socket() == icmp.RawSocket {
		// iputils shows the identifier it chose; the kernel's choice on a
		// datagram socket it does not.
		t.buf = fmt.Appendf(t.buf, " ident=%d", t.p.ID())
	}
	if e.TTL >= 0 {
		t.buf = fmt.Appendf(t.buf, " ttl=%d", e.TTL)
	}
	if e.Truncated {
		t.buf = append(t.buf, " (truncated)\n"...)
		t.flush()
		return
	}
	if e.Timed {
		t.buf = append(t.buf, " time="...)
		t.buf = append(t.buf, rttText(e.RTT)...)
		t.buf = append(t.buf, " ms"...)
	}
	// Several hosts answer a multicast or broadcast ping (or one with
	// -b): iputils counts the extra replies as duplicates but marks them
	// only with -v.
	if e.Dup && (!t.manyAnswer() || t.o.verbose) {
		t.buf = append(t.buf, " (DUP!)"...)
	}
	if e.WrongSource {
		t.buf = append(t.buf, " (DIFFERENT ADDRESS!)"...)
	}
	if e.WrongByte > 0 {
		t.buf = appendWrongData(t.buf, e)
	}
	if t.o.audible {
		t.buf = append(t.buf, '\a')
	}
	if t.o.cfg.RecordRoute || t.o.cfg.Timestamp != icmp.TSNone {
		t.buf = t.appendOptions(t.buf, e.Options)
	}
	t.buf = append(t.buf, '\n')
	t.flush()
}

// appendWrongData is iputils' report of a damaged reply: the first wrong
// byte, then every data byte after the timestamp in hex, 32 to a line.
func appendWrongData(b []byte, e *icmp.Reply) []byte {
	b = fmt.Appendf(b, "\nwrong data byte #%d should be 0x%x but was 0x%x", e.WrongByte, e.Want, e.Data[e.WrongByte])
	const tv = 16 // the struct timeval at the start of the data
	for i := tv; i < len(e.Data); i++ {
		if i%32 == tv {
			b = fmt.Appendf(b, "\n#%d\t", i)
		}
		b = fmt.Appendf(b, "%x ", e.Data[i])
	}
	return b
}

// rttText formats a reply's time as iputils does: whole milliseconds from
// 100 ms, then one, two or three decimals below 100, 10 and 1 ms.
func rttText(d time.Duration) string {
	us := d.Microseconds()
	switch {
	case us >= 100000-50:
		return fmt.Sprintf("%d", (us+500)/1000)
	case us >= 10000-5:
		return fmt.Sprintf("%d.%01d", (us+50)/1000, ((us+50)%1000)/100)
	case us >= 1000:
		return fmt.Sprintf("%d.%02d", (us+5)/1000, ((us+5)%1000)/10)
	}
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

// ms3 prints a duration as iputils' "%ld.%03ld" of microseconds.
func ms3(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

func (t *pingText) summary(s icmp.Stats) {
	io.WriteString(t.out, pingSummary(t.host, s, t.o.cfg.Flood || t.o.cfg.Adaptive))
}

// pingStatus is the line ping prints on stderr for Ctrl-\ (SIGQUIT).
func pingStatus(s icmp.Stats) string {
	loss := 0
	if s.Transmitted > 0 {
		loss = (s.Transmitted - s.Received) * 100 / s.Transmitted
	}
	line := fmt.Sprintf("\r%d/%d packets, %d%% loss", s.Received, s.Transmitted, loss)
	if s.Received > 0 && s.Timed {
		line += fmt.Sprintf(", min/avg/ewma/max = %s/%s/%s/%s ms", ms3(s.Min), ms3(s.Avg), ms3(s.EWMA), ms3(s.Max))
	}
	return line + "\n"
}

// pingSummary is the statistics block, blank line first.
func pingSummary(host string, s icmp.Stats, flood bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n--- %s ping statistics ---\n", host)
	fmt.Fprintf(&b, "%d packets transmitted, %d received", s.Transmitted, s.Received)
	if s.Duplicates > 0 {
		fmt.Fprintf(&b, ", +%d duplicates", s.Duplicates)
	}
	if s.Errors > 0 {
		fmt.Fprintf(&b, ", +%d errors", s.Errors)
	}
	if s.Transmitted > 0 {
		fmt.Fprintf(&b, ", %.6g%% packet loss, time %dms", s.Loss(), (s.Elapsed+500*time.Microsecond)/time.Millisecond)
	}
	b.WriteByte('\n')
	comma := ""
	if s.Received > 0 && s.Timed {
		fmt.Fprintf(&b, "rtt min/avg/max/mdev = %s/%s/%s/%s ms", ms3(s.Min), ms3(s.Avg), ms3(s.Max), ms3(s.Mdev))
		comma = ", "
	}
	if s.Pipe > 1 {
		fmt.Fprintf(&b, "%spipe %d", comma, s.Pipe)
		comma = ", "
	}
	if s.Received > 0 && flood && s.Transmitted > 1 {
		fmt.Fprintf(&b, "%sipg/ewma %s/%s ms", comma, ms3(s.IPG()), ms3(s.EWMA))
	}
	b.WriteByte('\n')
	return b.String()
}

// manyAnswer is iputils' "multicast": a multicast destination, or -b
// given (IPv4).
func (t *pingText) manyAnswer() bool {
	return t.p.Dest().IsMulticast() || t.o.cfg.Broadcast && t.p.Dest().Is4()
}

// redirectText is iputils' pr_icmph for a redirect or source quench, with
// the new gateway as given.
func redirectText(e *icmp.Redirect, gateway string) string {
	if e.Type != 5 {
		return "Source Quench"
	}
	var what string
	switch e.Code {
	case 0:
		what = "Redirect Network"
	case 1:
		what = "Redirect Host"
	case 2:
		what = "Redirect Type of Service and Network"
	case 3:
		what = "Redirect Type of Service and Host"
	default:
		what = fmt.Sprintf("Redirect, Bad Code: %d", e.Code)
	}
	return what + "(New nexthop: " + gateway + ")"
}

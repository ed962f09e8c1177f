package icmp

import (
	"context"
	"fmt"
	"net/netip"
	"time"
)

// Pinger is one ping run's socket and state. New opens the socket (so that
// errors come before any output), Run pings, Close releases it.
type Pinger struct {
	cfg      Config
	sock     *socket
	interval time.Duration
	dataLen  int
	// timing: requests are long enough to carry a timestamp.
	timing bool
}

// New validates cfg and opens the socket inside cfg.Target.
func New(cfg Config) (*Pinger, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Dest = cfg.Dest.Unmap()
	s, err := openSocket(&cfg)
	if err != nil {
		return nil, err
	}
	p := &Pinger{cfg: cfg, sock: s, interval: cfg.interval(), dataLen: cfg.dataLen()}
	p.timing = p.dataLen >= timevalLen
	if p.interval < MinUserInterval && s.datagram {
		p.Close()
		// iputils' words, then the way out.
		return nil, fmt.Errorf("cannot flood; minimal interval allowed for user is %v (shorter needs CAP_NET_RAW: run as root or setcap cap_net_raw+ep on nsdiag)", MinUserInterval)
	}
	return p, nil
}

// Close releases the socket.
func (p *Pinger) Close() error { return p.sock.close() }

// Source is the local address requests leave from.
func (p *Pinger) Source() netip.Addr { return p.sock.src }

// Device is the interface requests are bound to ("" unless -I named one).
func (p *Pinger) Device() string { return p.sock.device }

// SourceOffDevice reports that requests bound to Device leave from a
// source address that is not on it (iputils warns: "source address might
// be selected on device other than: DEV").
func (p *Pinger) SourceOffDevice() bool { return p.sock.srcOffDevice }

// Broadcast reports that the destination is a broadcast address (pinged
// because Config.Broadcast allowed it; iputils warns of it).
func (p *Pinger) Broadcast() bool { return p.sock.broadcast }

// RcvbufShort reports that the receive buffer the kernel granted cannot
// hold Preload replies (net.core.rmem_max is too small; iputils warns).
func (p *Pinger) RcvbufShort() bool { return p.sock.rcvbufShort }

// MarkErr is why SO_MARK was refused (Config.Mark), nil when it was set.
// As in iputils the run goes on unmarked.
func (p *Pinger) MarkErr() error { return p.sock.markErr }

// Socket says which kind of socket is in use: RawSocket, or
// DatagramSocket for the unprivileged one.
func (p *Pinger) Socket() SocketKind {
	if p.sock.datagram {
		return DatagramSocket
	}
	return RawSocket
}

// FD is the socket's file descriptor number, for ping -v's report.
func (p *Pinger) FD() int { return p.sock.fd }

// DataLen is the number of data bytes per request.
func (p *Pinger) DataLen() int { return p.dataLen }

// ID is the echo identifier (chosen by the kernel for datagram sockets).
func (p *Pinger) ID() uint16 { return p.sock.id }

// run is the state of one Run.
type run struct {
	p     *Pinger
	emit  func(Event)
	tr    tracker
	rtt   rtts
	stats Stats
	// sendNs is the wall-clock send time of each sequence number.
	sendNs   [1 << 16]int64
	pkt      []byte
	buf, oob []byte

	start, lastSend time.Time
	exitAt          time.Time
	// interval is the current interval, which -A adapts; tokens is
	// sending credit banked beyond it (-l), as in iputils' pinger.
	interval time.Duration
	tokens   time.Duration
	// addend slows an adaptive interval down after the kernel ran out
	// of buffers (iputils' rtt_addend), in microseconds.
	addend int64
	// events are reused to keep the per-packet path free of allocations.
	evSent     Sent
	evReply    Reply
	evErr      ICMPError
	evLocal    LocalError
	evOut      Outstanding
	evRedirect Redirect
	evStatus   Status
}

// Run pings until Count replies (or errors) came back, Deadline passed or
// ctx ended, handing each event to emit (which may be nil) on the calling
// goroutine. An ended ctx (Ctrl-C) is a normal end: the statistics so far
// are returned with a nil error.
func (p *Pinger) Run(ctx context.Context, emit func(Event)) (Stats, error) {
	if emit == nil {
		emit = func(Event) {}
	}
	r := &run{p: p, emit: emit, interval: p.interval}
	r.pkt = make([]byte, 8+p.cfg.sendData())
	fillPattern(r.pkt, p.cfg.Pattern)
	r.buf = make([]byte, len(r.pkt)+60+76)
	r.oob = make([]byte, 512)
	w, err := newWaiter(ctx, p.sock.fd)
	if err != nil {
		return Stats{}, err
	}
	defer w.close()
	err = r.loop(ctx, w)
	return r.finish(), err
}

func (r *run) loop(ctx context.Context, w *waiter) error {
	cfg := &r.p.cfg
	r.start = time.Now()
	var deadline time.Time
	if cfg.Deadline > 0 {
		deadline = r.start.Add(cfg.Deadline)
	}
	for {
		now := time.Now()
		switch {
		case ctx.Err() != nil:
			return nil
		case cfg.Count > 0 && r.stats.Received+r.stats.Errors >= cfg.Count:
			return nil
		case cfg.Deadline > 0 && (r.stats.Errors > 0 || !now.Before(deadline)):
			return nil
		case !r.exitAt.IsZero() && !now.Before(r.exitAt):
			return nil
		}
		select {
		case <-cfg.Status:
			r.evStatus = Status{Stats: r.finish(), At: now}
			r.emit(&r.evStatus)
		default:
		}
		next := r.pinger(now)
		for next <= 0 {
			now = time.Now()
			next = r.pinger(now)
		}
		r.scheduleExit(now)
		if !r.exitAt.IsZero() {
			next = min(next, r.exitAt.Sub(now))
		}
		if !deadline.IsZero() {
			next = min(next, deadline.Sub(now))
		}
		if r.interval == 0 && r.tr.inFlight() > 0 {
			// Flood: wait for the reply in recvmsg itself.
			if err := r.drainFrom(true); err != nil {
				return err
			}
			continue
		}
		readable, errq, err := w.wait(next)
		if err != nil {
			return err
		}
		if errq {
			r.drainErrors()
		}
		if readable {
			if err := r.drainFrom(false); err != nil {
				return err
			}
		}
	}
}

// idle is what pinger returns when it has nothing more to send.
const idle = time.Second

// pinger sends the next request if it is due and says how long until the
// one after, as iputils' pinger does: a token bucket that holds up to
// Preload intervals and starts full, so that Preload requests go at once.
func (r *run) pinger(now time.Time) time.Duration {
	cfg := &r.p.cfg
	if cfg.Count > 0 && r.stats.Transmitted >= cfg.Count && cfg.Deadline == 0 {
		return idle
	}
	preload := cfg.preload()
	if r.lastSend.IsZero() {
		r.tokens = r.interval * time.Duration(preload-1)
	} else {
		since := now.Sub(r.lastSend)
		// Flood: the next request goes when one is answered, or after
		// floodInterval without an answer.
		if r.interval == 0 && since < floodInterval && r.tr.inFlight() >= preload {
			return floodInterval - since
		}
		avail := min(since+r.tokens, r.interval*time.Duration(preload))
		if avail < r.interval {
			return r.interval - avail
		}
		r.tokens = avail - r.interval
	}
	r.lastSend = now
	if cfg.Outstanding && r.tr.transmitted > 0 && !r.tr.answered(uint16(r.tr.transmitted)) {
		r.evOut = Outstanding{Seq: uint16(r.tr.transmitted), At: now}
		r.emit(&r.evOut)
	}
	seq := uint16(r.tr.transmitted + 1)
	sentAt := time.Now()
	setEcho(r.pkt, r.p.sock.v6, r.p.sock.id, seq, sentAt)
	r.sendNs[seq] = sentAt.UnixNano()
	err := r.p.sock.send(r.pkt)
	switch {
	case err == nil:
	case isNoBuffers(err):
		// Out of buffers: nothing left; an adaptive interval slows
		// down, as in iputils.
		r.tokens = 0
		r.addend += min(r.rtt.ewma/8, 50000)
		if cfg.Adaptive {
			r.adapt()
		}
		return floodInterval
	case isTransient(err):
		// The socket's queue is full: try again shortly.
		r.tokens += r.interval
		return floodInterval
	default:
		// A hard local error: iputils pretends the request was sent and
		// reports why it was not, unless the error queue already said
		// (EMSGSIZE queues "message too long, mtu=N"); only what came
		// through the queue counts among the errors.
		queued := r.drainErrors()
		r.tr.sent(seq)
		r.stats.Transmitted++
		if queued == 0 {
			r.evLocal = LocalError{Seq: seq, Err: err, At: time.Now()}
			r.emit(&r.evLocal)
		}
		r.tokens = 0
		return max(r.interval, floodInterval)
	}
	r.tr.sent(seq)
	r.stats.Transmitted++
	r.evSent = Sent{Seq: seq, At: sentAt}
	r.emit(&r.evSent)
	return r.interval - r.tokens
}

// adapt sets the interval from the smoothed round trip (ping -A), in
// whole milliseconds as iputils keeps it; a datagram socket (no
// CAP_NET_RAW) keeps MinUserInterval.
func (r *run) adapt() {
	est := r.rtt.ewma / 8
	if r.rtt.ewma == 0 {
		est = r.interval.Microseconds()
	}
	r.interval = time.Duration((est+r.addend+500)/1000) * time.Millisecond
	if r.p.sock.datagram && r.interval < MinUserInterval {
		r.interval = MinUserInterval
	}
}

// scheduleExit fixes, once the last request is out, how long to wait for
// stragglers: twice the largest RTT (at least an interval) when replies
// came, else the linger time (ping -W).
func (r *run) scheduleExit(now time.Time) {
	cfg := &r.p.cfg
	if !r.exitAt.IsZero() || cfg.Count == 0 || cfg.Deadline > 0 || r.stats.Transmitted < cfg.Count {
		return
	}
	wait := cfg.linger()
	if r.stats.Received > 0 {
		wait = max(2*time.Duration(r.rtt.tmax)*time.Microsecond, r.interval)
	}
	r.exitAt = now.Add(wait)
}

// drainFrom reads queued replies until none is left or none is in flight;
// with block the first read waits (up to the socket's receive timeout).
func (r *run) drainFrom(block bool) error {
	for ; ; block = false {
		n, oobn, from, err := r.p.sock.recv(r.buf, r.oob, block)
		if err != nil {
			if isAgain(err) {
				return nil
			}
			// A pending socket error (an ICMP error on a datagram
			// socket) is reported here; its details are in the queue.
			r.drainErrors()
			return nil
		}
		r.handle(r.buf[:n], r.oob[:oobn], from)
		if r.tr.inFlight() == 0 {
			return nil
		}
	}
}

func (r *run) handle(b, oob []byte, from netip.Addr) {
	s := r.p.sock
	e, ok := parseEcho(b, s.v6, !s.v6 && !s.datagram)
	if !ok && !s.v6 && !s.datagram {
		r.handleNotice(b, from)
		return
	}
	if !ok || (!s.datagram && e.id != s.id) {
		return
	}
	var stamp int64
	eachCmsg(oob, func(level, typ int32, d []byte) {
		switch {
		case level == sysSOL_SOCKET && typ == sysSCM_TIMESTAMPNS && len(d) >= 16:
			stamp = timespecNs(d)
		case (level == sysIPPROTO_IP && typ == sysIP_TTL || level == sysIPPROTO_IPV6 && typ == sysIPV6_HOPLIMIT) && len(d) >= 4:
			e.ttl = int(int32(nativeUint32(d)))
		}
	})
	if stamp == 0 || r.p.cfg.UserLatency {
		stamp = time.Now().UnixNano()
	}
	rep := &r.evReply
	*rep = Reply{Seq: e.seq, From: from, Bytes: e.icmpLen, TTL: e.ttl, At: time.Unix(0, stamp)}
	// iputils 20221126 flags a reply from another address for IPv4 only,
	// and not when many hosts are expected to answer.
	rep.WrongSource = !s.v6 && from != r.p.cfg.Dest && !r.p.cfg.Broadcast && !r.p.cfg.Dest.IsMulticast()
	rep.Options = e.opts
	rep.Truncated = e.icmpLen < 8+r.p.dataLen
	rep.Timed = r.p.timing && e.icmpLen >= 8+timevalLen
	if rep.Timed {
		us := (stamp - r.sendNs[e.seq]) / 1000
		if us < 0 {
			us = 0
		}
		rep.RTT = time.Duration(us) * time.Microsecond
		r.rtt.add(us)
		if r.p.cfg.Adaptive {
			r.adapt()
		}
	}
	// iputils (20221126) checks the checksum of echo replies but counts a
	// bad one as any other reply, and reports damage through the data
	// check; so do we, keeping the checksum as information.
	rep.BadChecksum = e.badSum
	if !rep.Truncated {
		rep.WrongByte = wrongByte(e.data, r.pkt[8:], r.p.dataLen)
		if rep.WrongByte > 0 {
			rep.Data, rep.Want = e.data, r.pkt[8+rep.WrongByte]
		}
	}
	r.tr.acknowledge(e.seq)
	if r.tr.received(e.seq) {
		rep.Dup = true
		r.stats.Duplicates++
	} else {
		r.stats.Received++
	}
	r.emit(rep)
}

// handleNotice reports a redirect or source quench about one of our
// requests, as iputils prints them.
func (r *run) handleNotice(b []byte, from netip.Addr) {
	n, ok := parseNotice(b)
	if !ok || n.id != r.p.sock.id || n.dst != r.p.cfg.Dest {
		return
	}
	r.evRedirect = Redirect{Seq: n.seq, From: from, Type: n.typ, Code: n.code, Quoted: n.quoted, At: time.Now()}
	if n.typ == redirect4 {
		r.evRedirect.Gateway = n.gateway
	}
	r.emit(&r.evRedirect)
}

// drainErrors reads the socket error queue and says how many errors it
// reported.
func (r *run) drainErrors() int {
	n := 0
	for {
		q, ok, err := r.p.sock.recvErr(r.buf, r.oob)
		if err != nil {
			return n
		}
		if ok && r.handleError(q) {
			n++
		}
	}
}

// handleError reports one queued error; false when it was not ours.
func (r *run) handleError(q queuedError) bool {
	s := r.p.sock
	now := time.Now()
	switch q.origin {
	case originLocal:
		r.stats.Errors++
		r.evLocal = LocalError{Seq: uint16(r.tr.transmitted), Err: errnoErr(q.errno), Queue: true, At: now}
		if q.errno == sysEMSGSIZE {
			r.evLocal.MTU = q.info
		}
		r.emit(&r.evLocal)
	case originICMP, originICMP6:
		want := uint8(echoRequest4)
		if s.v6 {
			want = echoRequest6
		}
		if !q.haveHeader || q.origType != want || (!s.datagram && q.origID != s.id) {
			return false
		}
		if !s.v6 {
			// iputils acknowledges an ICMPv4 error as a reply; its IPv6
			// side does not, so there errors leave the pipe and the
			// requests in flight (flood pacing) as they were.
			r.tr.acknowledge(q.origSeq)
		}
		r.stats.Errors++
		r.evErr = ICMPError{Seq: q.origSeq, From: s.withZone(q.offender, q.offenderScope), Type: q.typ, Code: q.code, Info: q.info, IPv6: s.v6, At: now}
		r.emit(&r.evErr)
	default:
		return false
	}
	return true
}

func (r *run) finish() Stats {
	s := r.stats
	if r.stats.Transmitted > 0 {
		s.Elapsed = r.lastSend.Sub(r.start)
	}
	s.Pipe = r.tr.pipe
	s.Timed = r.p.timing && r.rtt.n > 0
	r.rtt.fill(&s, int64(s.Received+s.Duplicates))
	return s
}

// Dest is the address pinged: Config.Dest, or for 0.0.0.0 the source
// address (as iputils).
func (p *Pinger) Dest() netip.Addr { return p.cfg.Dest }

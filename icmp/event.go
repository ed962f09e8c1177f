package icmp

import (
	"net/netip"
	"time"
)

// Event is one thing that happened during a run: *Sent, *Reply, *ICMPError,
// *Redirect, *LocalError, *Outstanding or *Status. Events are handed to the callback on Run's
// goroutine and must not be kept after it returns (they are reused).
type Event interface{ event() }

// Sent is emitted after each echo request leaves.
type Sent struct {
	Seq uint16
	At  time.Time
}

// Reply is an echo reply to one of our requests.
type Reply struct {
	Seq  uint16
	From netip.Addr
	// Bytes is the ICMP length (header and data), what ping prints.
	Bytes int
	// TTL is the reply's IPv4 TTL or IPv6 hop limit; -1 when unknown.
	TTL int
	// RTT is the round-trip time; meaningful only when Timed.
	RTT time.Duration
	// Timed is false when the request was too small to be timed (fewer
	// than 16 data bytes, as in iputils) or the reply came back truncated.
	Timed bool
	// Dup marks a second reply to the same request.
	Dup bool
	// BadChecksum marks an IPv4 reply whose ICMP checksum does not
	// verify. As in iputils it is counted like any other reply; damage
	// shows in WrongByte.
	BadChecksum bool
	// WrongByte is the index of the first data byte that differs from
	// what was sent (0 when none does); Want is the byte sent there and
	// Data the reply's data, valid only during the callback, for the
	// dump ping prints.
	WrongByte int
	Want      byte
	Data      []byte
	// Options are the reply's IPv4 header options (record route), valid
	// only during the callback; nil without any.
	Options []byte
	// Truncated marks a reply shorter than the request.
	Truncated bool
	// WrongSource marks a reply from another address than Dest.
	WrongSource bool
	// At is the kernel's receive time.
	At time.Time
}

// ICMPError is an ICMP error about one of our requests: destination
// unreachable, time exceeded, parameter problem, packet too big.
type ICMPError struct {
	Seq uint16
	// From is the router or host that sent the error.
	From       netip.Addr
	Type, Code uint8
	// Info is the type-specific word (the MTU for fragmentation needed).
	Info uint32
	// IPv6 tells which table Type and Code belong to.
	IPv6 bool
	At   time.Time
}

// Text describes the error in iputils' words, e.g. "Destination Host
// Unreachable" or "Time exceeded: Hop limit".
func (e *ICMPError) Text() string {
	if e.IPv6 {
		return icmp6Text(e.Type, e.Code, e.Info)
	}
	return icmp4Text(e.Type, e.Code, e.Info)
}

// Redirect is an IPv4 redirect (or source quench) about one of our
// requests: the router From says requests to Dest should go through
// Gateway. It is neither a reply nor an error and counts in no statistic.
type Redirect struct {
	Seq  uint16
	From netip.Addr
	// Type is 5 (redirect) or 4 (source quench, which has no Gateway).
	Type, Code uint8
	Gateway    netip.Addr
	// Quoted is the IP header of our request as the router quoted it,
	// valid only during the callback (ping -v dumps it).
	Quoted []byte
	At     time.Time
}

// LocalError is a send that failed in this host (EMSGSIZE, ENETUNREACH,
// ...); the request still counts as transmitted, as in iputils. Errors
// read from the error queue (Queue) count in Stats.Errors, sendto
// failures do not, as in iputils.
type LocalError struct {
	Seq uint16
	Err error
	// MTU is set when the packet was larger than the path allows.
	MTU uint32
	// Queue is true for errors read from the socket error queue (printed
	// "local error: ..."), false for sendto failures ("sendmsg: ...").
	Queue bool
	At    time.Time
}

// Outstanding reports a request still unanswered when the next one goes
// out (ping -O: "no answer yet for icmp_seq=N").
type Outstanding struct {
	Seq uint16
	At  time.Time
}

// Status carries the statistics so far, on request (Config.Status).
type Status struct {
	Stats Stats
	At    time.Time
}

func (*Sent) event()        {}
func (*Status) event()      {}
func (*Reply) event()       {}
func (*ICMPError) event()   {}
func (*LocalError) event()  {}
func (*Outstanding) event() {}
func (*Redirect) event()    {}

package icmp

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
)

// SocketKind selects the kind of ICMP socket.
type SocketKind int

const (
	// AutoSocket tries a raw socket, then the unprivileged datagram socket.
	AutoSocket SocketKind = iota
	// RawSocket needs CAP_NET_RAW.
	RawSocket
	// DatagramSocket needs net.ipv4.ping_group_range to include the caller.
	DatagramSocket
)

func (k SocketKind) String() string {
	switch k {
	case RawSocket:
		return "raw"
	case DatagramSocket:
		return "datagram"
	}
	return "auto"
}

// Defaults, as iputils ping has them.
const (
	DefaultSize     = 56
	DefaultInterval = time.Second
	DefaultLinger   = 10 * time.Second
	// MinUserInterval is the shortest interval without CAP_NET_RAW.
	MinUserInterval = 2 * time.Millisecond
	// floodInterval is how long flood mode waits for a reply before it
	// sends anyway (iputils' MININTERVAL).
	floodInterval = 10 * time.Millisecond
)

// NoData as Config.Size sends echo requests without any data bytes.
const NoData = -1

// ZeroTTL as Config.TTL asks for a TTL or hop limit of 0 (ping -t 0):
// IPv6 sends it, IPv4 refuses it when the socket is set up.
const ZeroTTL = -1

// PMTUMode is a path MTU discovery setting (IP_MTU_DISCOVER,
// IPV6_MTU_DISCOVER).
type PMTUMode int

const (
	// PMTUDefault keeps the system's setting (net.ipv4.ip_no_pmtu_disc).
	PMTUDefault PMTUMode = iota
	// PMTUDo sets Don't Fragment and never fragments: a request larger
	// than the path MTU fails locally ("message too long").
	PMTUDo
	// PMTUWant fragments locally when the known path MTU needs it.
	PMTUWant
	// PMTUDont never sets Don't Fragment.
	PMTUDont
)

// TSMode is what the IPv4 timestamp option records (ping -T).
type TSMode int

const (
	// TSNone sends no timestamp option.
	TSNone TSMode = iota
	// TSOnly records up to nine timestamps.
	TSOnly
	// TSAndAddr records up to four addresses, each with a timestamp.
	TSAndAddr
	// TSPrespec records timestamps of the prespecified hops in
	// Config.TSHops only; with none, nothing is recorded.
	TSPrespec
)

// Config describes one ping run. Zero values mean the documented defaults.
type Config struct {
	// Target is the namespace to ping from; the zero Target is the
	// caller's own.
	Target nsexec.Target
	// Dest is the address to ping (required).
	Dest netip.Addr
	// Count stops after that many replies (or errors); 0 pings until the
	// context ends or Deadline passes.
	Count int
	// Interval between requests; 0 means DefaultInterval, or no interval
	// at all in Flood mode.
	Interval time.Duration
	// Flood sends a request as soon as the previous one is answered, or
	// every 10ms otherwise (ping -f).
	Flood bool
	// Linger is how long to wait for replies after the last request when
	// none has come yet (ping -W); 0 means DefaultLinger. Once replies
	// come, the wait is twice the largest round trip, as in iputils.
	Linger time.Duration
	// Deadline ends the run after this long, whatever was sent (ping -w).
	Deadline time.Duration
	// Size is the number of data bytes after the ICMP header; 0 means
	// DefaultSize, NoData means none. More than IP can carry is allowed,
	// as in iputils: every send then fails with a LocalError (EMSGSIZE).
	Size int
	// TTL sets the IPv4 TTL or IPv6 hop limit; 0 keeps the system's,
	// ZeroTTL asks for 0.
	TTL int
	// Source is an interface name or a local address to send from (ping -I).
	Source string
	// Device binds requests to an interface as well as Source's address
	// (ping -I DEV -I ADDR); it overrides an interface named in Source.
	Device string
	// Outstanding asks for an Outstanding event for each request still
	// unanswered when the next one goes out (ping -O).
	Outstanding bool
	// Socket selects the socket kind; AutoSocket by default.
	Socket SocketKind
	// Pattern fills the data bytes, repeated (ping -p); nil means
	// iputils' default, byte i holding i, and an empty non-nil Pattern
	// leaves them zero (as ping -p ''). A timed request's first 16
	// bytes carry the send time whatever the pattern.
	Pattern []byte
	// Preload sends that many requests at once at the start, and keeps
	// up to that many in flight (ping -l); 0 means 1.
	Preload int
	// Adaptive adapts the interval to the smoothed round trip (ping -A):
	// the next request goes as soon as the last is likely answered;
	// datagram sockets keep MinUserInterval.
	Adaptive bool
	// TOS sets the IPv4 type of service or IPv6 traffic class (ping -Q);
	// 0 keeps the system's. As with iputils, other values go to the
	// kernel as they are: IPv4 takes any, IPv6 -1 (its default) to 255.
	TOS int
	// PMTU selects path MTU discovery (ping -M): whether requests carry
	// Don't Fragment and may be fragmented locally.
	PMTU PMTUMode
	// ID, with FixedID, is the echo identifier (ping -e); otherwise a
	// raw socket picks one at random and a datagram socket lets the
	// kernel choose.
	ID      uint16
	FixedID bool
	// Mark sets SO_MARK on requests (ping -m; needs CAP_NET_ADMIN); 0
	// leaves them unmarked.
	Mark uint32
	// NoLoop keeps IPv4 multicast requests from looping back to this
	// host (ping -L).
	NoLoop bool
	// DontRoute sends to hosts on an attached network only, bypassing
	// the routing table (ping -r, SO_DONTROUTE).
	DontRoute bool
	// StrictSource binds the socket to the source address the route
	// gave, so that it stays fixed (ping -B).
	StrictSource bool
	// Broadcast allows a broadcast destination (ping -b).
	Broadcast bool
	// RecordRoute asks IPv4 routers and the destination to record their
	// addresses in the request and reply (ping -R, the IP record route
	// option); replies on a raw socket then carry Reply.Options. IPv6
	// ignores it, as iputils does.
	RecordRoute bool
	// Timestamp asks IPv4 hosts on the path to stamp the request and the
	// reply (ping -T, the IP timestamp option), which replies on a raw
	// socket carry in Reply.Options. IPv6 ignores it, as iputils does.
	Timestamp TSMode
	// TSHops are the IPv4 addresses TSPrespec asks to stamp, in order
	// (ping -T tsprespec HOP... HOST); at most four fit the option.
	TSHops []netip.Addr
	// UserLatency times replies when the program reads them rather than
	// by the kernel's receive timestamp (ping -U).
	UserLatency bool
	// Status, when not nil, asks for the statistics so far: each value
	// received makes Run emit a *Status event (ping's Ctrl-\). It is read
	// between waits, so the answer may take up to an interval.
	Status <-chan struct{}
}

// dataLen returns the effective number of data bytes.
func (c *Config) dataLen() int {
	switch {
	case c.Size == NoData:
		return 0
	case c.Size == 0:
		return DefaultSize
	}
	return c.Size
}

func (c *Config) interval() time.Duration {
	switch {
	case c.Interval > 0:
		return c.Interval
	case c.Flood:
		return 0
	}
	return DefaultInterval
}

// ttl is the TTL to set and whether to set one.
func (c *Config) ttl() (int, bool) {
	if c.TTL == ZeroTTL {
		return 0, true
	}
	return c.TTL, c.TTL > 0
}

func (c *Config) preload() int {
	return max(c.Preload, 1)
}

func (c *Config) linger() time.Duration {
	if c.Linger > 0 {
		return c.Linger
	}
	return DefaultLinger
}

// maxData is the most data an echo request can carry over IPv4 or IPv6.
func maxData(v6 bool) int {
	if v6 {
		return 65535 - 8
	}
	return 65535 - 20 - 8
}

// sendData is how many data bytes are actually built: a request too large
// for IP is cut to one byte over the limit, which fails just the same
// without allocating what -s 2147483647 would ask for.
func (c *Config) sendData() int {
	return min(c.dataLen(), maxData(c.Dest.Is6())+1)
}

func (c *Config) validate() error {
	if !c.Dest.IsValid() {
		return fmt.Errorf("no destination address")
	}
	if c.Count < 0 {
		return fmt.Errorf("bad count %d: must be 1 or more", c.Count)
	}
	if c.Size < NoData {
		return fmt.Errorf("bad packet size %d: must be 0 or more", c.Size)
	}
	if c.TTL < ZeroTTL || c.TTL > 255 {
		return fmt.Errorf("bad TTL %d: must be 1 to 255", c.TTL)
	}
	if c.Preload < 0 || c.Preload > 1<<16 {
		return fmt.Errorf("bad preload %d: must be 1 to 65536", c.Preload)
	}
	if c.TOS > 255 {
		return fmt.Errorf("bad TOS %d: must be 255 or less", c.TOS)
	}
	if c.PMTU < PMTUDefault || c.PMTU > PMTUDont {
		return fmt.Errorf("bad path MTU discovery mode %d", c.PMTU)
	}
	if c.Timestamp < TSNone || c.Timestamp > TSPrespec {
		return fmt.Errorf("bad timestamp option mode %d", c.Timestamp)
	}
	if len(c.TSHops) > 0 && c.Timestamp != TSPrespec || len(c.TSHops) > 4 {
		return fmt.Errorf("%d prespecified hops: up to four, with prespecified timestamps only", len(c.TSHops))
	}
	for _, h := range c.TSHops {
		if !h.Is4() {
			return fmt.Errorf("prespecified hop %s is not an IPv4 address", h)
		}
	}
	if c.Timestamp != TSNone && c.RecordRoute {
		return fmt.Errorf("only one of record route and timestamps may be asked for")
	}
	if c.Interval < 0 || c.Linger < 0 || c.Deadline < 0 {
		return fmt.Errorf("negative interval, linger or deadline")
	}
	return nil
}

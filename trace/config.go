package trace

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/nsdiag/nsdiag/nsexec"
)

// Method is the kind of probe.
type Method int

const (
	// UDP datagrams to increasing ports from Port (traceroute's default).
	UDP Method = iota
	// ICMP echo requests (traceroute -I).
	ICMP
	// TCP SYN to a constant port, half-open (traceroute -T).
	TCP
	// Raw IP packets of Config.Protocol (traceroute -P, -M raw), one at a
	// time: the destination answers Protocol Unreachable ("!P"), or a
	// packet of that protocol.
	Raw
)

func (m Method) String() string {
	switch m {
	case ICMP:
		return "icmp"
	case TCP:
		return "tcp"
	case Raw:
		return "raw"
	default:
		return "udp"
	}
}

// Wait is traceroute's adaptive probe timeout (-w MAX,HERE,NEAR): a probe
// is given up after Max, or after Here times the round trip of an answered
// probe of the same hop, or Near times that of an answered probe of a later
// hop, whichever applies first.
type Wait struct {
	// Max is the longest wait; 0 means 5s.
	Max time.Duration
	// Here and Near are the factors; 0 means 3 and 10, a negative value
	// turns the rule off.
	Here, Near float64
}

// Config describes one trace. Zero values mean the documented defaults,
// which are traceroute's.
type Config struct {
	// Target is the namespace the probes leave from; zero is the current.
	Target nsexec.Target
	// Dest is the address traced to (IPv4 or IPv6).
	Dest   netip.Addr
	Method Method
	// Port is the first destination port for UDP (33434, incremented per
	// probe unless Paris), the constant port for TCP (80), or the first
	// sequence number for ICMP (1). Values above 65535 keep their low 16
	// bits and UDP ports wrap past 65535 to 0, as traceroute's do.
	Port int
	// Protocol is the IP protocol of Raw probes (253, the one RFC 3692
	// leaves for experiments).
	Protocol int
	// FirstTTL (1) and MaxTTL (30) bound the hops probed.
	FirstTTL, MaxTTL int
	// Queries is the number of probes per hop (3).
	Queries int
	// SimultaneousProbes is how many probes may be in flight (16).
	SimultaneousProbes int
	Wait               Wait
	// SendWait is the least time between two probes (0).
	SendWait time.Duration
	// PacketLen is the full packet length with the IP header; 0 means
	// traceroute's default (IP header + 40 bytes), smaller values are
	// raised to the least the method needs. TCP SYNs are always their
	// headers (IP header + 40), as with traceroute -T.
	PacketLen int
	// Source is the address probes leave from (traceroute -s); zero lets
	// the kernel choose.
	Source netip.Addr
	// Device binds the sockets to one interface (traceroute -i).
	Device string
	// TOS is the IPv4 type of service or IPv6 traffic class (traceroute
	// -t).
	TOS int
	// DontFragment sets Don't Fragment on the probes (traceroute -F): a
	// router whose next link is too narrow answers "!F-MTU", and a probe
	// longer than the local interface's MTU is reported the same way
	// with no responder.
	DontFragment bool
	// FixedPort sends every UDP probe to Port (53 by default), telling
	// them apart by their source ports, as traceroute -U.
	FixedPort bool
	// SourcePort is the source port of UDP and TCP probes (traceroute
	// --sport); 0 lets the kernel choose. As with traceroute, it sends one
	// probe at a time (SimultaneousProbes 1) and waits Wait.Max for each
	// (no HERE or NEAR), so that a late answer is not taken for the next
	// probe's.
	SourcePort int
	// FlowLabel is the IPv6 flow label of the probes (traceroute -l); its
	// low 20 bits count, 0 leaves the kernel's. IPv4 ignores it.
	FlowLabel uint32
	// Mark is the firewall mark of the probes (traceroute --fwmark,
	// SO_MARK), for policy routing and filters; 0 sets none.
	Mark uint32
	// Gateways route the probes loosely through these addresses first
	// (traceroute -g): an IPv4 loose source route option (MaxGateways at
	// most), an IPv6 routing header of type 2, which the kernel refuses.
	// Routers commonly drop source-routed packets; and as with traceroute,
	// whose sockets are connected to the destination, errors quoting a
	// probe on its way to a gateway (addressed to it) are not taken.
	Gateways []netip.Addr
	// DontRoute bypasses the routing tables (traceroute -r,
	// SO_DONTROUTE): probes go only to a host on an attached network;
	// for any other IPv4 destination Open fails with ENETUNREACH (IPv6
	// ignores it, as the kernel does).
	DontRoute bool
	// MTUDiscovery finds the path MTU as traceroute --mtu: probes carry
	// Don't Fragment, go one at a time and start at PacketLen (by default
	// MaxPacketLen, except TCP SYNs); when the local interface or a router
	// reports a smaller MTU, the probe is sent again at that length and
	// its Probe.MTU tells the new MTU.
	MTUDiscovery bool
	// Paris keeps every probe of the trace in one flow (constant
	// addresses, ports, protocol and ICMP checksum), so that per-flow load
	// balancers send them all down one path; probes are told apart by the
	// UDP checksum or the ICMP sequence number.
	Paris bool
}

// Probe is the outcome of one probe, streamed in TTL and index order.
type Probe struct {
	TTL int
	// Index is the probe's number within its hop, from 0.
	Index int
	// Responder is who answered; invalid when nothing came back in time.
	Responder netip.Addr
	RTT       time.Duration
	// ICMPType and ICMPCode are those of the answer; -1 for a TCP answer
	// or none.
	ICMPType int
	ICMPCode int
	// TCPFlags are the flags of a TCP answer (SYN-ACK or RST).
	TCPFlags uint8
	// Note is traceroute's mark for the answer: "!H", "!N", "!X", "!P",
	// "!S", "!F-MTU", "!<code>"; "" for none. A Don't Fragment probe
	// refused by the local interface has Note "!F-MTU", Final set and no
	// Responder; its RTT is the time to the refusal.
	Note string
	// Reached reports that the destination itself answered.
	Reached bool
	// Final reports that this answer ends the trace at this hop.
	Final bool
	// Extensions are RFC 4884 objects of the ICMP answer (MPLS labels).
	Extensions []Extension
	// ReplyTTL is the TTL (hop limit) the answer arrived with, 0 when
	// unknown; BackHops guesses from it the length of the way back.
	ReplyTTL int
	// MTU is the path MTU learnt when this probe had to be sent again
	// shorter (MTUDiscovery; traceroute's "F=MTU"), else 0.
	MTU int
}

// BackHops guesses how many hops the answer took to come back, as
// traceroute --back does (after tracepath): from its TTL, assuming the
// responder started at 64, 128 or 255. 0 when the TTL is unknown.
func (p Probe) BackHops() int {
	switch {
	case p.ReplyTTL <= 0:
		return 0
	case p.ReplyTTL <= 64:
		return 65 - p.ReplyTTL
	case p.ReplyTTL <= 128:
		return 129 - p.ReplyTTL
	}
	return 256 - p.ReplyTTL
}

// Answered reports whether a reply came back for the probe.
func (p Probe) Answered() bool { return p.Responder.IsValid() }

// Result sums up a trace.
type Result struct {
	// Hops is the last TTL reported.
	Hops int
	// Reached reports whether the destination answered.
	Reached bool
	// Sent and Received count probes and their answers.
	Sent, Received int
}

// Defaults returns c with every zero field set to its default.
func (c Config) Defaults() Config {
	if c.Port == 0 {
		switch c.Method {
		case TCP:
			c.Port = 80
		case ICMP:
			c.Port = 1
		case UDP:
			c.Port = 33434
			if c.FixedPort {
				c.Port = 53
			}
		}
	}
	if c.Method == Raw {
		if c.Protocol == 0 {
			c.Protocol = 253
		}
		// No port: the protocol stands in, as traceroute -p sets it.
		c.Port = c.Protocol
		// traceroute sends raw probes one at a time, each given MAX.
		c.SimultaneousProbes, c.Wait.Here, c.Wait.Near = 1, -1, -1
	}
	if c.FirstTTL == 0 {
		c.FirstTTL = 1
	}
	if c.MaxTTL == 0 {
		c.MaxTTL = 30
	}
	if c.Queries == 0 {
		c.Queries = 3
	}
	if c.SimultaneousProbes == 0 {
		c.SimultaneousProbes = 16
	}
	if c.Wait.Max == 0 {
		c.Wait.Max = 5 * time.Second
	}
	if c.Wait.Here == 0 {
		c.Wait.Here = 3
	}
	if c.Wait.Near == 0 {
		c.Wait.Near = 10
	}
	if c.SourcePort != 0 {
		c.SimultaneousProbes, c.Wait.Here, c.Wait.Near = 1, -1, -1
	}
	if c.MTUDiscovery {
		c.DontFragment, c.SimultaneousProbes = true, 1
		if c.PacketLen == 0 {
			c.PacketLen = MaxPacketLen
		}
	}
	switch {
	case c.Method == TCP:
		// A SYN is its headers, whatever length is asked (traceroute -T).
		c.PacketLen = c.headerLen() + tcpHeaderLen
	case c.PacketLen == 0:
		c.PacketLen = c.headerLen() + 40
	case c.PacketLen < c.minPacketLen():
		c.PacketLen = c.minPacketLen()
	}
	return c
}

// headerLen is the IP header length the packet length includes.
func (c Config) headerLen() int {
	if c.Dest.Is6() && !c.Dest.Is4In6() {
		return 40 + len(c.routeOption())
	}
	return 20 + len(c.routeOption())
}

// MaxGateways is how many gateways an IPv4 loose source route holds
// (-g); IPv6 routing headers take up to 127.
const MaxGateways = 8

// routeOption is the source route of the probes through Gateways: for
// IPv4 the IP option (a NOP to align it, then loose source and record
// route with the gateways and the destination last), for IPv6 a routing
// header of type 2 listing the gateways, as traceroute -g builds them.
func (c Config) routeOption() []byte {
	if len(c.Gateways) == 0 {
		return nil
	}
	if c.Dest.Is4() || c.Dest.Is4In6() {
		b := []byte{1, 131, byte(3 + 4*(len(c.Gateways)+1)), 4}
		for _, g := range append(slices.Clone(c.Gateways), c.Dest) {
			a := g.Unmap().As4()
			b = append(b, a[:]...)
		}
		return b
	}
	b := []byte{0, byte(2 * len(c.Gateways)), 2, byte(len(c.Gateways)), 0, 0, 0, 0}
	for _, g := range c.Gateways {
		a := g.As16()
		b = append(b, a[:]...)
	}
	return b
}

// minPacketLen is the shortest UDP or ICMP probe (a raw one may be
// bare): the headers, and two
// bytes of payload in Paris mode to steer the checksum.
func (c Config) minPacketLen() int {
	if c.Method == Raw {
		return c.headerLen()
	}
	n := c.headerLen() + 8
	if c.Paris {
		n += 2
	}
	return n
}

// MaxPacketLen is the largest packet length accepted (traceroute's).
const MaxPacketLen = 65000

// Validate checks a config after Defaults, with traceroute's limits.
func (c Config) Validate() error {
	switch {
	case !c.Dest.IsValid():
		return fmt.Errorf("no destination address")
	case c.MaxTTL < 1 || c.MaxTTL > 255:
		return fmt.Errorf("max hops cannot be more than 255")
	case c.FirstTTL < 1 || c.FirstTTL > c.MaxTTL:
		return fmt.Errorf("first hop out of range")
	case c.Queries < 1 || c.Queries > 10:
		return fmt.Errorf("no more than 10 probes per hop")
	case c.SimultaneousProbes < 1:
		return fmt.Errorf("simultaneous probes must be at least 1")
	case c.Port < 1:
		return fmt.Errorf("port %d out of range: give 1-65535", c.Port)
	case c.Method == Raw && (c.Protocol < 1 || c.Protocol > 255):
		return fmt.Errorf("protocol %d out of range: give 1-255", c.Protocol)
	case c.SourcePort < 0 || c.SourcePort > 65535:
		return fmt.Errorf("source port %d out of range: give 1-65535", c.SourcePort)
	case c.PacketLen > MaxPacketLen:
		return fmt.Errorf("too big packetlen %d specified", c.PacketLen)
	case len(c.Gateways) > MaxGateways && (c.Dest.Is4() || c.Dest.Is4In6()):
		return fmt.Errorf("Too many gateways specified. No more than %d", MaxGateways)
	case len(c.Gateways) > 127:
		return fmt.Errorf("Too many gateways specified. No more than 127")
	case slices.ContainsFunc(c.Gateways, func(g netip.Addr) bool { return g.Unmap().Is4() != c.Dest.Unmap().Is4() }):
		return fmt.Errorf("IP versions mismatch in gateway addresses")
	case c.TOS < 0 || c.TOS > 255:
		return fmt.Errorf("TOS %d out of range 0-255", c.TOS)
	case c.Wait.Max < 0 || c.SendWait < 0:
		return fmt.Errorf("wait times cannot be negative")
	}
	return nil
}

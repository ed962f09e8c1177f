package capture

import (
	"errors"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/net/bpf"
)

// DefaultSnaplen is tcpdump's default snapshot length.
const DefaultSnaplen = 262144

// DefaultBufferSize is the ring size when Config.BufferSize is zero. It is
// larger than libpcap's 2 MiB so that a burst of small packets fits while
// the reader is busy writing.
const DefaultBufferSize = 4 << 20

// AnyInterface captures on every interface of the namespace.
const AnyInterface = "any"

// Direction selects packets by the way they cross the interface (-Q).
type Direction int

const (
	// InOut captures both directions (the default).
	InOut Direction = iota
	// In captures packets received by the host.
	In
	// Out captures packets sent by the host.
	Out
)

// Packet types, as the kernel's sockaddr_ll and the cooked headers carry them.
const (
	PacketHost      = 0 // to us
	PacketBroadcast = 1 // to all
	PacketMulticast = 2 // to a group
	PacketOtherHost = 3 // to someone else, seen in promiscuous mode
	PacketOutgoing  = 4 // sent by us
)

// Config describes one live capture. The zero value captures on the first
// interface that is up in the current namespace, promiscuously, both
// directions, DefaultSnaplen bytes per packet, no filter.
type Config struct {
	// Netns is the namespace to capture in.
	Netns nsexec.Target
	// Interface is the interface name inside Netns, or "any"; "" picks the
	// first interface that is up and not loopback, as tcpdump does.
	Interface string
	// Snaplen is the number of bytes kept of each packet; 0 means
	// DefaultSnaplen.
	Snaplen int
	// NoPromisc leaves the interface out of promiscuous mode (-p).
	NoPromisc bool
	// Direction keeps only packets going this way (-Q).
	Direction Direction
	// Expression is a tcpdump filter expression, compiled (capture/filter)
	// for the link type the interface turns out to have; "" keeps every
	// packet. Names in it resolve as they would for tcpdump under
	// `ip netns exec` in Netns (internal/resolve).
	Expression string
	// Program, when set, is used instead of Expression: a classic BPF
	// program for the kernel's view of the socket (for "any": no link
	// header, protocol and packet type in ancillary loads).
	Program []bpf.Instruction
	// Cooked1 writes Linux cooked v1 headers (LINUX_SLL) instead of v2 on
	// "any", as tcpdump -y LINUX_SLL does.
	Cooked1 bool
	// BufferSize is the ring size in bytes; 0 means DefaultBufferSize.
	BufferSize int
	// Timeout is how long the kernel holds a partly filled ring block
	// before handing it over; 0 means 50ms. Shorter makes lines appear
	// sooner, longer costs less CPU under light load.
	Timeout time.Duration
}

// Packet is one captured frame.
type Packet struct {
	Time time.Time
	// Data is the captured bytes, link header first. During a live Run it
	// points into the ring and is valid only until the callback returns.
	Data []byte
	// Length is the frame's length on the wire (with the cooked header for
	// cooked link types).
	Length   int
	LinkType layers.LinkType
	// Ifindex and Interface name the interface inside the namespace.
	Ifindex   int
	Interface string
	// PacketType is the kernel's packet type (PacketHost... PacketOutgoing);
	// -1 when unknown (read from a file).
	PacketType int
	// Netns names the namespace the packet was captured in, as -n spells
	// it; "" for the current one.
	Netns string
	// Source is the index of the source in a merged capture.
	Source int
}

// Stats are a capture's counters, as tcpdump prints them at the end.
type Stats struct {
	// Captured is the number of packets handed to the callback.
	Captured uint64
	// Received is the number of packets that passed the kernel filter
	// (PACKET_STATISTICS tp_packets, which includes the dropped ones).
	Received uint64
	// Dropped is the number of packets the kernel dropped because the ring
	// was full (tp_drops).
	Dropped uint64
}

// Add sums counters from several sources.
func (s Stats) Add(o Stats) Stats {
	return Stats{Captured: s.Captured + o.Captured, Received: s.Received + o.Received, Dropped: s.Dropped + o.Dropped}
}

// ErrStop, returned by a callback, ends Run without an error.
var ErrStop = errors.New("capture stopped")

// Sentinels for captures that end because what they watched went away;
// the errors that wrap them name the interface or namespace.
var (
	ErrInterfaceGone = errors.New("interface gone")
	ErrNetnsGone     = errors.New("network namespace gone")
)

// goneError is a capture's end because what it watched went away: Error
// is the one line to print, and errors.Is matches the sentinel.
type goneError struct {
	msg  string
	kind error
}

func (e *goneError) Error() string { return e.msg }
func (e *goneError) Unwrap() error { return e.kind }

// linkTypeNames holds the name and description tcpdump prints for each
// link type it may meet here.
var linkTypeNames = map[layers.LinkType][2]string{
	layers.LinkTypeEthernet:  {"EN10MB", "Ethernet"},
	layers.LinkTypeLinuxSLL:  {"LINUX_SLL", "Linux cooked v1"},
	layers.LinkTypeLinuxSLL2: {"LINUX_SLL2", "Linux cooked v2"},
	layers.LinkTypeRaw:       {"RAW", "Raw IP"},
	12:                       {"RAW", "Raw IP"}, // DLT_RAW, which some files carry for LINKTYPE_RAW
	layers.LinkTypeIPv4:      {"IPV4", "Raw IPv4"},
	layers.LinkTypeIPv6:      {"IPV6", "Raw IPv6"},
	layers.LinkTypeNull:      {"NULL", "BSD loopback"},
	layers.LinkTypeLoop:      {"LOOP", "OpenBSD loopback"},
}

// LinkTypeName returns the name and description tcpdump prints for a link
// type ("EN10MB", "Ethernet").
func LinkTypeName(lt layers.LinkType) (name, desc string) {
	if n, ok := linkTypeNames[lt]; ok {
		return n[0], n[1]
	}
	return lt.String(), lt.String()
}

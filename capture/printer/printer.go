package printer

import (
	"net/netip"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Packet is one captured frame as the printer sees it.
type Packet struct {
	Time     time.Time
	LinkType layers.LinkType // Ethernet, LinuxSLL, LinuxSLL2, Raw, IPv4 or IPv6
	Data     []byte          // captured bytes
	Length   int             // original length on the wire; 0 means len(Data)
	// Interface names the interface a LINUX_SLL2 frame came from; when empty
	// the printer asks Options.InterfaceName for the frame's ifindex.
	Interface string
	// NetNS, when set, is printed as "NetNS: " before the line, so captures
	// merged from several namespaces stay readable.
	NetNS string
}

// TimestampFormat selects tcpdump's -t family.
type TimestampFormat int

const (
	TimestampDefault    TimestampFormat = iota // HH:MM:SS.ffffff in local time
	TimestampNone                              // -t
	TimestampEpoch                             // -tt: seconds since 1970
	TimestampDelta                             // -ttt: since the previous packet
	TimestampDate                              // -tttt: date and time
	TimestampSinceFirst                        // -ttttt: since the first packet
)

// HexFormat selects tcpdump's -x family.
type HexFormat int

const (
	HexNone         HexFormat = iota
	HexPayload                // -x: hex of the packet after the link header
	HexFrame                  // -xx: hex including the link header
	HexASCIIPayload           // -X
	HexASCIIFrame             // -XX
	ASCIIPayload              // -A: the packet after the link header as text
	ASCIIFrame                // -AA: as text, with the link header
)

// Options mirror tcpdump's output flags. The zero value prints as tcpdump -n.
type Options struct {
	Timestamp  TimestampFormat
	LinkHeader bool // -e
	Verbose    int  // -v count; -vvv adds only DNS record TTLs to -vv
	Quiet      bool // -q
	Hex        HexFormat
	// Nanoseconds prints timestamps with nine fractional digits, not
	// six: tcpdump's --time-stamp-precision=nano.
	Nanoseconds bool
	// NoChecksums skips the IPv4 header, TCP and UDP checksum checks
	// (and what -v prints of them): tcpdump's -K.
	NoChecksums bool
	// Number starts each line with the packet's number, counted from 1
	// by this Printer: tcpdump's -# (--number).
	Number bool
	// AbsoluteSeq prints TCP sequence numbers (and SACK blocks) as they
	// are, not relative to the connection's first: tcpdump's -S.
	AbsoluteSeq bool
	// InterfaceName resolves a LINUX_SLL2 ifindex when Packet.Interface is
	// empty; "?" is printed when it fails. Nil means the interfaces of the
	// namespace the printer runs in, which is what tcpdump -r does.
	InterfaceName func(index int) (string, bool)
	// Location for the default and -tttt timestamps; nil means time.Local.
	Location *time.Location
	// Owner, when set, returns text to print after an IP address (after
	// its port where it has one), such as " [ns1]" for the namespace that
	// holds it; "" for none. tcpdump has no such thing: it is for nsdiag's
	// owner annotations on a terminal.
	Owner func(netip.Addr) string
}

// Printer formats packets. It keeps the state tcpdump keeps between lines
// (previous and first timestamps, TCP initial sequence numbers), so one
// Printer serves one stream and is not safe for concurrent use.
type Printer struct {
	opts Options
	b    []byte // the line being built

	first, prev time.Time
	number      int // packets printed, for -#
	conns       tcpState
	ipc         ipCtx
	mdns        bool // the DNS message being printed is multicast DNS
	// bailed marks a decoder that stopped where tcpdump's GET macros
	// jump out of the link printer, which then reports no link header:
	// -x dumps the whole frame.
	bailed  bool
	ifnames map[int]string

	link  linkDecoder
	jline []byte // the text line AppendJSON embeds
}

// New returns a Printer for opts.
func New(opts Options) *Printer {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.InterfaceName == nil {
		opts.InterfaceName = hostInterfaceName
	}
	p := &Printer{opts: opts, ifnames: map[int]string{}}
	p.conns.init()
	p.link.init()
	return p
}

// Append appends pkt's line(s), newline-terminated, to dst.
func (p *Printer) Append(dst []byte, pkt *Packet) []byte {
	p.b = dst
	if p.opts.Number {
		// tcpdump's "%5u  ", before anything else on the line.
		p.number++
		for w := 10000; w > 1 && p.number < w; w /= 10 {
			p.c(' ')
		}
		p.i(p.number)
		p.s("  ")
	}
	if pkt.NetNS != "" {
		p.s(pkt.NetNS)
		p.s(": ")
	}
	length := pkt.Length
	if length == 0 {
		length = len(pkt.Data)
	}
	if len(pkt.Data) == 0 || length < len(pkt.Data) {
		// tcpdump rejects such a record before its timestamp.
		p.s("[Invalid header:")
		if len(pkt.Data) == 0 {
			p.s(" caplen==0")
		} else {
			p.s(" len(")
			p.i(length)
			p.s(") < caplen(")
			p.i(len(pkt.Data))
			p.c(')')
		}
		p.s("]\n")
		out := p.b
		p.b = nil
		return out
	}
	p.timestamp(pkt.Time)
	p.bailed = false
	hdr := p.linkLayer(pkt, length)
	if p.bailed {
		hdr = 0
	}
	switch p.opts.Hex {
	case HexPayload, HexASCIIPayload:
		if hdr < len(pkt.Data) {
			p.hexdumpInline(pkt.Data[hdr:], p.opts.Hex == HexASCIIPayload)
		}
	case HexFrame, HexASCIIFrame:
		p.hexdumpInline(pkt.Data, p.opts.Hex == HexASCIIFrame)
	case ASCIIPayload:
		if hdr < len(pkt.Data) {
			p.asciiDump(pkt.Data[hdr:])
		}
	case ASCIIFrame:
		p.asciiDump(pkt.Data)
	}
	p.c('\n')
	out := p.b
	p.b = nil
	return out
}

func (p *Printer) timestamp(t time.Time) {
	switch p.opts.Timestamp {
	case TimestampNone:
		return
	case TimestampEpoch:
		p.i(int(t.Unix()))
		p.c('.')
		p.fraction(t.Nanosecond())
	case TimestampDelta, TimestampSinceFirst:
		ref := p.prev
		if p.opts.Timestamp == TimestampSinceFirst {
			ref = p.first
		}
		if ref.IsZero() {
			ref = t
		}
		if p.first.IsZero() {
			p.first = t
		}
		p.prev = t
		// tcpdump subtracts timestamps of its precision: truncate
		// before, not after, or a delta can be a microsecond off.
		d := t.Sub(ref)
		if !p.opts.Nanoseconds {
			d = t.Truncate(time.Microsecond).Sub(ref.Truncate(time.Microsecond))
		}
		if d < 0 {
			p.c('-')
			d = -d
		} else {
			p.c(' ')
		}
		p.hms(int(d/time.Second), int(d%time.Second))
	case TimestampDate:
		t = t.In(p.opts.Location)
		y, m, d := t.Date()
		p.pad(y, 4)
		p.c('-')
		p.pad(int(m), 2)
		p.c('-')
		p.pad(d, 2)
		p.c(' ')
		p.clock(t)
	default:
		p.clock(t.In(p.opts.Location))
	}
	p.c(' ')
}

func (p *Printer) clock(t time.Time) {
	h, m, s := t.Clock()
	p.hms(h*3600+m*60+s, t.Nanosecond())
}

func (p *Printer) hms(secs, ns int) {
	p.pad(secs/3600, 2)
	p.c(':')
	p.pad(secs/60%60, 2)
	p.c(':')
	p.pad(secs%60, 2)
	p.c('.')
	p.fraction(ns)
}

// fraction appends the fractional seconds of ns: microseconds (cut, not
// rounded, as libpcap reads a nanosecond file) or, with -nano, all nine.
func (p *Printer) fraction(ns int) {
	if p.opts.Nanoseconds {
		p.pad(ns, 9)
	} else {
		p.pad(ns/1000, 6)
	}
}

// pad appends n in decimal with at least width digits.
func (p *Printer) pad(n, width int) {
	var buf [20]byte
	i := len(buf)
	for n > 0 || len(buf)-i < width {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	p.b = append(p.b, buf[i:]...)
}

// dumpsHex reports whether a hex dump of the packet follows its line, in
// which case tcpdump leaves out its hex dumps of undecoded payloads (-A
// does not count).
func (p *Printer) dumpsHex() bool {
	return p.opts.Hex != HexNone && p.opts.Hex != ASCIIPayload && p.opts.Hex != ASCIIFrame
}

// asciiDump appends data as tcpdump's -A prints it, on a line of its own:
// printable bytes, tabs, spaces and newlines as they are, others as '.'.
// A carriage return prints nothing before a newline and, as tcpdump's
// test reads the remaining count, nothing as one of the last two bytes.
func (p *Printer) asciiDump(data []byte) {
	p.c('\n')
	for i, v := range data {
		switch {
		case v == '\r':
			if len(data)-i-1 > 1 && data[i+1] != '\n' {
				p.c('.')
			}
		case v > 0x20 && v < 0x7f, v == '\t', v == ' ', v == '\n':
			p.c(v)
		default:
			p.c('.')
		}
	}
}

// hexdumpInline appends tcpdump's hex dump lines, each starting with
// "\n\t": 16 bytes a line in groups of two, with the text column if ascii.
func (p *Printer) hexdumpInline(data []byte, ascii bool) { p.hexdumpAfter("\n\t", data, ascii) }

// hexdumpAfter is hexdumpInline with another line prefix. Each line is
// built in a fixed array and appended once: -X dumps every byte.
func (p *Printer) hexdumpAfter(prefix string, data []byte, ascii bool) {
	var line [80]byte
	for off := 0; off < len(data); off += 16 {
		chunk := data[off:min(off+16, len(data))]
		p.s(prefix)
		l := copy(line[:], "0x")
		l += copy(line[l:], []byte{hexDigits[off>>12&0xf], hexDigits[off>>8&0xf], hexDigits[off>>4&0xf], hexDigits[off&0xf], ':', ' '})
		for i, v := range chunk {
			if i%2 == 0 {
				line[l] = ' '
				l++
			}
			line[l], line[l+1] = hexDigits[v>>4], hexDigits[v&0xf]
			l += 2
		}
		if ascii {
			// Pad a short last line so the text column lines up.
			for i := len(chunk); i < 16; i++ {
				if i%2 == 0 {
					line[l] = ' '
					l++
				}
				line[l], line[l+1] = ' ', ' '
				l += 2
			}
			line[l], line[l+1] = ' ', ' '
			l += 2
			for _, v := range chunk {
				if v > 0x20 && v < 0x7f {
					line[l] = v
				} else {
					line[l] = '.'
				}
				l++
			}
		}
		p.b = append(p.b, line[:l]...)
	}
}

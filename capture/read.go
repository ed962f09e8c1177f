package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Reader reads packets from a pcap or pcapng file.
type Reader struct {
	pcap     *pcapgo.Reader
	ng       *pcapgo.NgReader
	linkType layers.LinkType
	snaplen  int
	ifaces   []readIface
	count    int
	// pending is the first pcapng packet, read early (or the error that
	// reading it gave).
	pending    *Packet
	pendingErr error
}

type readIface struct {
	linkType          layers.LinkType
	netns, name       string
	namedByNsdiagFile bool
}

// Magic numbers at the start of the formats we read.
const (
	magicPcapMicro = 0xa1b2c3d4
	magicPcapNano  = 0xa1b23c4d
	magicPcapng    = 0x0a0d0d0a
)

// NewReader reads a file's header from r and tells pcap from pcapng by it.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(4)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("file is empty or shorter than a capture file header")
		}
		return nil, err
	}
	le, be := binary.LittleEndian.Uint32(head), binary.BigEndian.Uint32(head)
	fr := &Reader{}
	switch {
	case le == magicPcapng:
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true, SkipUnknownVersion: true})
		if err != nil {
			return nil, headerError("pcapng", err)
		}
		fr.ng = ng
		// The first interface block may come after the section header:
		// read up to the first packet so LinkType and Snaplen are known
		// before it is asked for, as libpcap does.
		fr.pending = new(Packet)
		if fr.pendingErr = fr.next(fr.pending); fr.pendingErr != nil {
			fr.pending = nil
		}
		if len(fr.ifaces) > 0 {
			fr.linkType = fr.ifaces[0].linkType
			fr.snaplen = fr.ifaceSnaplen(0)
		}
	case le == magicPcapMicro || be == magicPcapMicro || le == magicPcapNano || be == magicPcapNano:
		p, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, headerError("pcap", err)
		}
		fr.pcap, fr.linkType, fr.snaplen = p, p.LinkType(), int(p.Snaplen())
	default:
		return nil, fmt.Errorf("not a pcap or pcapng file (it starts with % x)", head)
	}
	return fr, nil
}

func headerError(format string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated %s file: it ends inside its header", format)
	}
	return fmt.Errorf("bad %s file header: %v", format, lowerFirst(err.Error()))
}

func (r *Reader) ifaceSnaplen(i int) int {
	if in, err := r.ng.Interface(i); err == nil {
		return int(in.SnapLength)
	}
	return 0
}

// addIface records pcapng interface i; names written by nsdiag for
// several namespaces ("ns1/veth0") give each packet its namespace back.
func (r *Reader) addIface(i int) {
	in, err := r.ng.Interface(i)
	if err != nil {
		return
	}
	ri := readIface{linkType: in.LinkType, name: in.Name}
	if ns, name, ok := strings.Cut(in.Name, "/"); ok && ns != "" && name != "" && !strings.Contains(name, "/") {
		ri.netns, ri.name, ri.namedByNsdiagFile = ns, name, true
	}
	r.ifaces = append(r.ifaces, ri)
}

// Namespaces lists the namespaces the file's interfaces were captured in,
// as far as read: a file nsdiag wrote from several namespaces names them
// all before its first packet.
func (r *Reader) Namespaces() []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range r.ifaces {
		if in.netns != "" && !seen[in.netns] {
			seen[in.netns] = true
			out = append(out, in.netns)
		}
	}
	return out
}

// LinkType is the file's (first interface's) link type.
func (r *Reader) LinkType() layers.LinkType { return r.linkType }

// Snaplen is the snapshot length the file declares.
func (r *Reader) Snaplen() int { return r.snaplen }

// Next reads the next packet into p; p.Data is valid until the next call.
// It returns io.EOF at the clean end of the file and a one-line error for
// a damaged one.
func (r *Reader) Next(p *Packet) error {
	if r.pending != nil {
		*p, r.pending = *r.pending, nil
		return nil
	}
	if err := r.pendingErr; err != nil {
		r.pendingErr = nil
		return err
	}
	return r.next(p)
}

func (r *Reader) next(p *Packet) error {
	var data []byte
	var ci gopacket.CaptureInfo
	var err error
	if r.pcap != nil {
		data, ci, err = r.pcap.ZeroCopyReadPacketData()
	} else {
		data, ci, err = r.ng.ZeroCopyReadPacketData()
	}
	if err != nil {
		return r.readError(err)
	}
	r.count++
	*p = Packet{Time: ci.Timestamp, Data: data, Length: ci.Length, LinkType: r.linkType, PacketType: -1}
	if r.ng != nil {
		for len(r.ifaces) < r.ng.NInterfaces() {
			r.addIface(len(r.ifaces))
		}
		if i := ci.InterfaceIndex; i >= 0 && i < len(r.ifaces) {
			in := r.ifaces[i]
			p.LinkType = in.linkType
			if in.namedByNsdiagFile {
				p.Netns = in.netns
				if in.name != "any" {
					p.Interface = in.name
				}
			}
		}
	}
	return nil
}

func (r *Reader) readError(err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("truncated capture file: it ends inside packet %d", r.count+1)
	}
	return fmt.Errorf("damaged capture file at packet %d: %v", r.count+1, lowerFirst(err.Error()))
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// FileInterface declares an interface packets will come from, so that a
// file can name it before its first packet.
type FileInterface struct {
	// Netns is the namespace name ("" for the current one); Name the
	// interface name inside it ("any" for a cooked capture of all).
	Netns, Name string
	LinkType    layers.LinkType
	Snaplen     int
}

// fileName is how an interface is named in a pcapng file: "ns1/veth0",
// or "veth0" in the current namespace.
func (fi FileInterface) fileName() string {
	if fi.Netns == "" {
		return fi.Name
	}
	return fi.Netns + "/" + fi.Name
}

// Writer writes packets to a pcap or pcapng file, buffered: call Flush (or
// Close) before the file is closed. It is not safe for concurrent use.
type Writer struct {
	bw       *bufio.Writer
	pcap     bool // else pcapng, through ng
	ng       *pcapgo.NgWriter
	linkType layers.LinkType
	snaplen  int
	ifaces   map[FileInterface]int
	nano     bool // pcap records in nanoseconds (pcapng always is)
	out      *countingWriter
	// PerPacket flushes after every packet (tcpdump -U).
	PerPacket bool
}

// NewWriter writes a file header to w for packets from ifaces. pcap holds a
// single link type and no interface names, so it takes the first
// interface's link type; pcapng (ng) gets an interface block for each, and
// more as packets from new interfaces arrive.
func NewWriter(w io.Writer, ng bool, ifaces []FileInterface) (*Writer, error) {
	return newWriter(w, ng, false, ifaces)
}

// NewWriterNano is NewWriter with nanosecond timestamps in a pcap file
// (magic 0xa1b23c4d), as tcpdump --time-stamp-precision=nano -w writes.
func NewWriterNano(w io.Writer, ng bool, ifaces []FileInterface) (*Writer, error) {
	return newWriter(w, ng, true, ifaces)
}

func newWriter(w io.Writer, ng, nano bool, ifaces []FileInterface) (*Writer, error) {
	if len(ifaces) == 0 {
		return nil, fmt.Errorf("capture file: no interface to write for")
	}
	fw := &Writer{linkType: ifaces[0].LinkType, snaplen: ifaces[0].Snaplen, ifaces: map[FileInterface]int{}, nano: nano}
	if fw.snaplen <= 0 {
		fw.snaplen = DefaultSnaplen
	}
	// 64 KiB per write(2): few calls under a flood, and little lost if
	// the process is killed outright (tcpdump's stdio buffer is 4 KiB).
	fw.out = &countingWriter{w: w}
	fw.bw = bufio.NewWriterSize(fw.out, 1<<16)
	if !ng {
		fw.pcap = true
		hw := pcapgo.NewWriter(fw.bw)
		if nano {
			hw = pcapgo.NewWriterNanos(fw.bw)
		}
		if err := hw.WriteFileHeader(uint32(fw.snaplen), fw.linkType); err != nil {
			return nil, err
		}
		return fw, nil
	}
	first := ifaces[0]
	var err error
	fw.ng, err = pcapgo.NewNgWriterInterface(fw.bw, ngInterface(first), pcapgo.NgWriterOptions{
		SectionInfo: pcapgo.NgSectionInfo{Hardware: runtime.GOARCH, OS: runtime.GOOS, Application: "nsdiag"},
	})
	if err != nil {
		return nil, err
	}
	fw.ifaces[key(first)] = 0
	for _, fi := range ifaces[1:] {
		if _, err := fw.iface(fi); err != nil {
			return nil, err
		}
	}
	return fw, nil
}

func key(fi FileInterface) FileInterface { fi.Snaplen = 0; return fi }

func ngInterface(fi FileInterface) pcapgo.NgInterface {
	snap := fi.Snaplen
	if snap <= 0 {
		snap = DefaultSnaplen
	}
	return pcapgo.NgInterface{Name: fi.fileName(), OS: runtime.GOOS, LinkType: fi.LinkType, SnapLength: uint32(snap), TimestampResolution: 9}
}

// iface returns the pcapng interface id for fi, adding its block on first
// use.
func (fw *Writer) iface(fi FileInterface) (int, error) {
	k := key(fi)
	if id, ok := fw.ifaces[k]; ok {
		return id, nil
	}
	id, err := fw.ng.AddInterface(ngInterface(fi))
	if err != nil {
		return 0, err
	}
	fw.ifaces[k] = id
	return id, nil
}

// Write appends one packet. In a pcap file every packet must have the
// file's link type.
func (fw *Writer) Write(p *Packet) error {
	ci := gopacket.CaptureInfo{Timestamp: p.Time, CaptureLength: len(p.Data), Length: p.Length}
	if ci.Length < ci.CaptureLength {
		ci.Length = ci.CaptureLength
	}
	var err error
	if fw.pcap {
		if p.LinkType != fw.linkType {
			return fmt.Errorf("capture file: packet of link type %v in a pcap file of link type %v; write pcapng", p.LinkType, fw.linkType)
		}
		err = fw.pcapRecord(p.Time, len(p.Data), ci.Length, p.Data)
	} else {
		name := p.Interface
		if p.LinkType != layers.LinkTypeLinuxSLL2 && p.LinkType != layers.LinkTypeLinuxSLL && name == "" {
			name = "?"
		} else if name == "" {
			name = "any"
		}
		if ci.InterfaceIndex, err = fw.iface(FileInterface{Netns: p.Netns, Name: name, LinkType: p.LinkType}); err != nil {
			return err
		}
		err = fw.ng.WritePacket(ci, p.Data)
	}
	if err == nil && fw.PerPacket {
		err = fw.Flush()
	}
	return err
}

// pcapRecord writes a pcap record header (micro- or nanosecond
// timestamps, native byte order as the file header) and the data straight
// into the buffer: it is the whole per-packet cost of writing a file.
func (fw *Writer) pcapRecord(t time.Time, caplen, length int, data []byte) error {
	b := fw.bw.AvailableBuffer()
	if cap(b) < 16 {
		if err := fw.bw.Flush(); err != nil {
			return err
		}
		b = fw.bw.AvailableBuffer()
	}
	b = b[:16]
	binary.LittleEndian.PutUint32(b[0:4], uint32(t.Unix()))
	frac := t.Nanosecond()
	if !fw.nano {
		frac /= 1000
	}
	binary.LittleEndian.PutUint32(b[4:8], uint32(frac))
	binary.LittleEndian.PutUint32(b[8:12], uint32(caplen))
	binary.LittleEndian.PutUint32(b[12:16], uint32(length))
	if _, err := fw.bw.Write(b); err != nil {
		return err
	}
	_, err := fw.bw.Write(data)
	return err
}

// Size is the length of the file so far, buffered bytes included, as
// ftell tells tcpdump -C.
func (fw *Writer) Size() (int64, error) {
	if fw.ng != nil {
		// pcapgo's writer keeps its own buffer: move it into ours.
		if err := fw.ng.Flush(); err != nil {
			return 0, err
		}
	}
	return fw.out.n + int64(fw.bw.Buffered()), nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// Flush writes out what is buffered.
func (fw *Writer) Flush() error {
	if fw.ng != nil {
		if err := fw.ng.Flush(); err != nil {
			return err
		}
	}
	return fw.bw.Flush()
}

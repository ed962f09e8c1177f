package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/nsdiag/nsdiag/capture"
	"github.com/nsdiag/nsdiag/capture/printer"
	"golang.org/x/term"
)

// sink takes captured packets one at a time and prints them or writes them
// to a file; it counts them as tcpdump's "packets captured".
type sink struct {
	count    int // -c; 0 for no limit
	captured atomic.Uint64

	// Printing.
	pr        *printer.Printer
	json      bool
	out       *bufio.Writer
	flushLine bool
	// prefixNS starts each line with its packet's namespace, for
	// captures in several namespaces (live or from a file).
	prefixNS bool
	line     []byte
	ppkt     printer.Packet

	// Writing (-w).
	file   *capture.Writer
	closer io.Closer
	rot    *rotation // -C; nil for one file
}

// newPrintSink prints to stdout. A live capture into a pipe is buffered
// like tcpdump's stdio (4 KiB), so lines reach a grep soon; reading a file
// uses a larger buffer, for speed.
func newPrintSink(a *sniffArgs, stdout io.Writer) *sink {
	s := &sink{count: a.count, pr: printer.New(a.print), json: a.json}
	size := 4 << 10
	if a.read != "" {
		size = 64 << 10
	}
	s.out = bufio.NewWriterSize(stdout, size)
	// Like stdio under tcpdump: line by line on a terminal or with -l,
	// in blocks into pipes and files.
	s.flushLine = a.lineBuf || isTerminal(stdout)
	return s
}

// newFileSink opens -w's file ("-" is stdout) for packets from ifaces;
// with -C it starts the first of the files it rotates through.
func newFileSink(a *sniffArgs, stdout io.Writer, ng bool, ifaces []capture.FileInterface) (*sink, error) {
	s := &sink{count: a.count}
	if a.fileSize > 0 && a.write != "-" {
		s.rot = &rotation{args: a, ng: ng, ifaces: ifaces, chars: fileNumberWidth(a.fileCount)}
	}
	name := a.write
	if s.rot != nil {
		name = fileName(a.write, 0, s.rot.chars)
	}
	if err := s.openFile(a, name, stdout, ng, ifaces); err != nil {
		return nil, err
	}
	return s, nil
}

// openFile makes name ("-": stdout) the file packets are written to.
func (s *sink) openFile(a *sniffArgs, name string, stdout io.Writer, ng bool, ifaces []capture.FileInterface) error {
	var w io.Writer = stdout
	s.closer = nil
	if name != "-" {
		f, err := os.Create(name)
		if err != nil {
			return fileError(name, err)
		}
		w, s.closer = capture.FileOutput(f), f
	}
	newWriter := capture.NewWriter
	if a.print.Nanoseconds {
		newWriter = capture.NewWriterNano
	}
	fw, err := newWriter(w, ng, ifaces)
	if err != nil {
		if s.closer != nil {
			s.closer.Close()
		}
		return fmt.Errorf("write %s: %w", name, err)
	}
	fw.PerPacket = a.perPacket
	s.file = fw
	return nil
}

// packet handles one packet; it returns capture.ErrStop once -c is reached.
func (s *sink) packet(p *capture.Packet) error {
	if s.file != nil {
		if err := s.rotate(); err != nil {
			return err
		}
		if err := s.file.Write(p); err != nil {
			return fmt.Errorf("write packet: %w", err)
		}
	} else {
		s.ppkt = printer.Packet{Time: p.Time, LinkType: p.LinkType, Data: p.Data, Length: p.Length, Interface: p.Interface}
		if s.prefixNS {
			s.ppkt.NetNS = p.Netns
		}
		if s.json {
			s.line = s.pr.AppendJSON(s.line[:0], &s.ppkt)
		} else {
			s.line = s.pr.Append(s.line[:0], &s.ppkt)
		}
		if _, err := s.out.Write(s.line); err != nil {
			return err
		}
		if s.flushLine {
			if err := s.out.Flush(); err != nil {
				return err
			}
		}
	}
	if n := s.captured.Add(1); s.count > 0 && n >= uint64(s.count) {
		return capture.ErrStop
	}
	return nil
}

// close flushes and closes whatever the sink writes to; the file is
// complete afterwards.
func (s *sink) close() error {
	var err error
	if s.file != nil {
		err = s.file.Flush()
	}
	if s.out != nil {
		if e := s.out.Flush(); err == nil {
			err = e
		}
	}
	if s.closer != nil {
		if e := s.closer.Close(); err == nil {
			err = e
		}
	}
	return err
}

// liveCount shows "Got N" on a terminal stderr while packets go to a file,
// as tcpdump -v -w does, until stop is called, which clears the line.
func liveCount(stderr io.Writer, s *sink) (stop func()) {
	if !isTerminal(stderr) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		last := ^uint64(0)
		for {
			select {
			case <-done:
				if last != ^uint64(0) {
					fmt.Fprint(stderr, "\r\033[K")
				}
				return
			case <-tick.C:
				if n := s.captured.Load(); n != last {
					fmt.Fprintf(stderr, "\rGot %d", n)
					last = n
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// plural is tcpdump's PLURAL_SUFFIX.
func plural(n uint64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// printCounters prints tcpdump's end-of-capture statistics.
func printCounters(w io.Writer, captured uint64, st capture.Stats) {
	fmt.Fprintf(w, "%d packet%s captured\n", captured, plural(captured))
	fmt.Fprintf(w, "%d packet%s received by filter\n", st.Received, plural(st.Received))
	fmt.Fprintf(w, "%d packet%s dropped by kernel\n", st.Dropped, plural(st.Dropped))
}

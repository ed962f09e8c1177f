package main

import (
	"fmt"

	"github.com/nsdiag/nsdiag/capture"
)

// rotation is -C/-W: a new file once the current one is larger than
// -C million bytes, named and numbered as tcpdump names them.
type rotation struct {
	args   *sniffArgs
	ng     bool
	ifaces []capture.FileInterface
	chars  int // digits in each file's number: enough for -W's count
	count  int // the current file's number
}

// fileNumberWidth is tcpdump's getWflagChars: the digits of count-1, so
// that -W 10 names files out00 to out09; 0 without -W.
func fileNumberWidth(count int) int {
	c := 0
	for x := count - 1; x > 0; x /= 10 {
		c++
	}
	return c
}

// fileName is tcpdump's MakeFilename: the -w name with the file's number,
// none for the first file without -W.
func fileName(base string, n, chars int) string {
	if n == 0 && chars == 0 {
		return base
	}
	return fmt.Sprintf("%s%0*d", base, chars, n)
}

// rotate checks, before a packet is written, whether the file has grown
// past -C, and if so closes it and opens the next one: after the last of
// -W files, the first again.
func (s *sink) rotate() error {
	r := s.rot
	if r == nil {
		return nil
	}
	size, err := s.file.Size()
	if err != nil {
		return fmt.Errorf("write packet: %w", err)
	}
	if size <= r.args.fileSize {
		return nil
	}
	// Closed complete, as at the end of a capture.
	err = s.file.Flush()
	if e := s.closer.Close(); err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", fileName(r.args.write, r.count, r.chars), err)
	}
	r.count++
	if r.args.fileCount > 0 && r.count >= r.args.fileCount {
		r.count = 0
	}
	return s.openFile(r.args, fileName(r.args.write, r.count, r.chars), nil, r.ng, r.ifaces)
}

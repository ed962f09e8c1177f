package capture

import (
	"io"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// FileOutput returns the writer a capture file should be written through.
//
// For a regular file it writes with a raw write(2) that the Go scheduler is
// not told about. A write announced to the scheduler wakes its monitor
// thread, which then polls every 20µs for a millisecond or more; under a
// flood, with a write every few milliseconds, that polling costs more CPU
// than the capture itself. Writes to a regular file land in the page cache
// and never block for long, so holding the processor through them is
// harmless. Anything else (a pipe, a terminal, a socket) can block for
// ever and gets f itself.
func FileOutput(f *os.File) io.Writer {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return f
	}
	return &rawFile{f: f, fd: int(f.Fd())}
}

type rawFile struct {
	f  *os.File // kept so the descriptor stays open
	fd int
}

func (r *rawFile) Write(b []byte) (int, error) {
	written := 0
	for written < len(b) {
		chunk := b[written:]
		n, _, errno := unix.RawSyscall(unix.SYS_WRITE, uintptr(r.fd), uintptr(unsafe.Pointer(&chunk[0])), uintptr(len(chunk)))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return written, &os.PathError{Op: "write", Path: r.f.Name(), Err: errno}
		}
		written += int(n)
	}
	return written, nil
}

package nsexec

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Open opens the file that refers to t's namespace, checks that it is a
// network namespace and returns it. The caller closes it.
func Open(t Target) (*os.File, error) {
	if t.Kind == Named {
		if err := ValidName(t.Name); err != nil {
			return nil, &Error{Msg: err.Error(), Kind: ErrNotFound}
		}
	}
	// O_NOFOLLOW on named targets: /run/netns entries are bind mounts,
	// never links, and a link there must not lead out of it.
	flags := unix.O_RDONLY | unix.O_CLOEXEC
	if t.Kind == Named {
		flags |= unix.O_NOFOLLOW
	}
	fd, err := unix.Open(t.Path(), flags, 0)
	if err != nil {
		return nil, openError(t, err)
	}
	f := os.NewFile(uintptr(fd), t.Path())
	if err := checkNetns(t, f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func openError(t Target, err error) error {
	switch {
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		switch t.Kind {
		case Named:
			return &Error{Msg: fmt.Sprintf("network namespace %q not found; see nsdiag ns list", t.Name), Kind: ErrNotFound, Err: err}
		case PID:
			return &Error{Msg: fmt.Sprintf("no process with PID %d (from %q); check the PID with ps", t.Process, t.String()), Kind: ErrNotFound, Err: err}
		case Inode:
			return &Error{Msg: fmt.Sprintf("no network namespace with inode %d on this host (%q); see nsdiag ns list --all", t.Ino, t.String()), Kind: ErrNotFound, Err: err}
		default:
			return &Error{Msg: fmt.Sprintf("network namespace file %q does not exist", t.Path()), Kind: ErrNotFound, Err: err}
		}
	case errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM):
		return &Error{Msg: fmt.Sprintf("cannot open %s (%s): %s", t.Label(), t.Path(), PermissionHint), Kind: ErrPermission, Err: err}
	case errors.Is(err, unix.ELOOP):
		return &Error{Msg: fmt.Sprintf("%s is a symbolic link; names under %s must be namespace bind mounts", t.Path(), RunDir), Kind: ErrNotNetns, Err: err}
	default:
		return &Error{Msg: fmt.Sprintf("open %s (%s): %v", t.Label(), t.Path(), err), Err: err}
	}
}

// checkNetns asks the kernel what kind of namespace f is (NS_GET_NSTYPE), so
// a stray path is refused before setns would fail with a vague EINVAL.
func checkNetns(t Target, f *os.File) error {
	typ, err := unix.IoctlRetInt(int(f.Fd()), unix.NS_GET_NSTYPE)
	if err != nil || typ != unix.CLONE_NEWNET {
		what := "a namespace of another kind"
		if err != nil {
			what = "not a namespace file"
		}
		hint := ""
		if t.Kind == Named {
			hint = fmt.Sprintf("; remove the stale entry with nsdiag ns del %s", t.Name)
		}
		return &Error{Msg: fmt.Sprintf("%s is not a network namespace (%s)%s", t.Path(), what, hint), Kind: ErrNotNetns, Err: err}
	}
	return nil
}

// Do runs fn inside t's network namespace and returns its error.
//
// fn runs on a fresh goroutine locked to its OS thread; the thread joins the
// namespace with setns(2) and is destroyed when fn returns, so it never goes
// back to the scheduler in a foreign namespace. The rules for fn: do the
// namespace-bound work (open sockets, look up interfaces, read
// /proc/sys/net) and return; start no goroutines (they would run on other
// threads, in the caller's namespace) and do not call
// runtime.UnlockOSThread. Whatever fn opened stays bound to t's namespace
// and may be used from any goroutine afterwards.
//
// For the current namespace fn runs directly on the caller's goroutine.
func Do(t Target, fn func() error) error {
	if t.IsCurrent() {
		return fn()
	}
	f, err := Open(t)
	if err != nil {
		return err
	}
	defer f.Close()
	return DoFile(t, f, fn)
}

// DoFile is Do with a namespace file that is already open (from Open); the
// caller keeps ownership of f.
func DoFile(t Target, f *os.File, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		// Never unlocked: when this goroutine ends, the runtime ends the
		// thread with it, and with it the namespace it has joined.
		runtime.LockOSThread()
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("inside %s: panic: %v", t.Label(), r)
			}
		}()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			if errors.Is(err, unix.EPERM) {
				done <- &Error{Msg: PermissionHint, Kind: ErrPermission, Err: err}
				return
			}
			done <- fmt.Errorf("setns into %s: %w", t.Label(), err)
			return
		}
		done <- fn()
	}()
	return <-done
}

// ID identifies a namespace by the device and inode of its nsfs file; two
// targets with the same ID are the same namespace.
type ID struct {
	Dev, Ino uint64
}

// Identify returns the identity of t's namespace.
func Identify(t Target) (ID, error) {
	var st unix.Stat_t
	if err := unix.Stat(t.Path(), &st); err != nil {
		return ID{}, openError(t, err)
	}
	return ID{Dev: st.Dev, Ino: st.Ino}, nil
}

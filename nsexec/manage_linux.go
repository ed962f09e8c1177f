package nsexec

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"

	"golang.org/x/sys/unix"
)

// Create makes a new named network namespace the way `ip netns add` does:
// a file under /run/netns with the namespace bind-mounted on it, on a
// shared mount so other mount namespaces see it too. Its loopback is down,
// as the kernel makes it.
func Create(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if err := prepareRunDir(); err != nil {
		return err
	}
	path := RunDir + "/" + name
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.EEXIST) {
			return &Error{Msg: fmt.Sprintf("network namespace %q already exists; pick another name or remove it with nsdiag ns del %s", name, name), Kind: ErrExists, Err: err}
		}
		return permissionOr(err, fmt.Sprintf("create %s", path))
	}
	unix.Close(fd)

	done := make(chan error, 1)
	go func() {
		// The thread that unshares is discarded afterwards (never unlocked).
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			done <- permissionOr(err, "unshare a new network namespace")
			return
		}
		self := fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid())
		if err := unix.Mount(self, path, "none", unix.MS_BIND, ""); err != nil {
			done <- permissionOr(err, fmt.Sprintf("bind mount the new namespace on %s", path))
			return
		}
		done <- nil
	}()
	if err := <-done; err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// prepareRunDir makes /run/netns a shared mount point, as iproute2 does, so
// that namespaces mounted there propagate to every mount namespace.
func prepareRunDir() error {
	if err := os.MkdirAll(RunDir, 0o755); err != nil {
		return permissionOr(err, "create "+RunDir)
	}
	for bound := false; ; bound = true {
		err := unix.Mount("", RunDir, "none", unix.MS_SHARED|unix.MS_REC, "")
		if err == nil {
			return nil
		}
		if !errors.Is(err, unix.EINVAL) || bound {
			return permissionOr(err, "make "+RunDir+" a shared mount")
		}
		// Not a mount point yet: bind it on itself, then share it.
		if err := unix.Mount(RunDir, RunDir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return permissionOr(err, "bind mount "+RunDir)
		}
	}
}

// Delete removes a named namespace as `ip netns del` does. The namespace
// itself lives on while a process or an open file still holds it.
func Delete(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	path := RunDir + "/" + name
	if _, err := os.Lstat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &Error{Msg: fmt.Sprintf("network namespace %q not found; see nsdiag ns list", name), Kind: ErrNotFound, Err: err}
		}
		return permissionOr(err, "stat "+path)
	}
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) {
		return permissionOr(err, "unmount "+path)
	}
	if err := os.Remove(path); err != nil {
		return permissionOr(err, "remove "+path)
	}
	return nil
}

// List returns the names under /run/netns, sorted.
func List() ([]string, error) {
	entries, err := os.ReadDir(RunDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, permissionOr(err, "read "+RunDir)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func permissionOr(err error, doing string) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return &Error{Msg: fmt.Sprintf("%s: managing network namespaces needs CAP_SYS_ADMIN: run as root", doing), Kind: ErrPermission, Err: err}
	}
	return fmt.Errorf("%s: %w", doing, err)
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"
)

// `nsdiag exec -n NS -- CMD...`: what `ip netns exec` does, so that tools
// which read /sys/class/net or /etc/resolv.conf see the namespace's.
//
// The command replaces nsdiag (execve), so its exit status, signals and
// terminal are its own. Exit statuses of nsdiag's own failures follow
// env(1) and timeout(1): 125 when nsdiag cannot set things up, 126 when
// the command cannot be run, 127 when it is not found.
func init() {
	cmd := &cli.Command{
		Name:  "exec",
		Usage: "run a command inside a network namespace, as ip netns exec does (own /sys, /etc/netns/NAME files over /etc)",
		UsageText: "nsdiag exec -n NETNS [--] COMMAND [ARGS...]\n\nExamples:\n" +
			"   nsdiag exec -n ns1 -- cat /etc/resolv.conf\n   nsdiag exec -n ns1 ip -br addr",
		Flags:  []cli.Flag{netnsFlag},
		Action: runExec,
	}
	verbatim[cmd] = true
	register(cmd)
}

const (
	exitSetupFailed = 125
	exitCannotRun   = 126
	exitNotFound    = 127
)

func runExec(c *cli.Context) error {
	t, err := target(c)
	if err != nil {
		return err
	}
	if t.IsCurrent() {
		return usageError(c, errors.New("exec needs -n NETNS: the namespace to run the command in"))
	}
	argv := c.Args().Slice()
	if len(argv) == 0 {
		return usageError(c, errors.New("missing command to run"))
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return exitWith(exitNotFound, fmt.Errorf("exec %s: command not found", argv[0]))
		}
		return exitWith(exitCannotRun, fmt.Errorf("exec %s: %w", argv[0], unwrapPath(err)))
	}
	f, err := nsexec.Open(t)
	if err != nil {
		return exitWith(exitSetupFailed, err)
	}
	defer f.Close()

	// Namespaces belong to threads: set everything up on a locked thread
	// of its own and execve from it, so the new program starts in what that
	// thread joined. If anything fails, the thread is thrown away with its
	// goroutine (never unlocked) and nsdiag's other threads are untouched.
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := enterForExec(t, f, c.App.ErrWriter); err != nil {
			done <- exitWith(exitSetupFailed, err)
			return
		}
		err := syscall.Exec(path, argv, os.Environ())
		code := exitCannotRun
		if errors.Is(err, unix.ENOENT) {
			code = exitNotFound
		}
		done <- exitWith(code, fmt.Errorf("exec %s: %w", argv[0], err))
	}()
	return <-done
}

// enterForExec moves the calling (locked) thread into t's network
// namespace and a private mount namespace of its own, in which /sys is a
// fresh sysfs (it shows the devices of the namespace that mounts it) and
// the files under /etc/netns/NAME are bind-mounted over /etc.
func enterForExec(t nsexec.Target, f *os.File, warn io.Writer) error {
	if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
		if errors.Is(err, unix.EPERM) {
			return errors.New(nsexec.PermissionHint)
		}
		return fmt.Errorf("setns into %s: %w", t.Label(), err)
	}
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unshare the mount namespace: %w", err)
	}
	// Slave, not private: mounts made on the host later still show here,
	// and nothing done here leaks back.
	if err := unix.Mount("", "/", "", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("make / a slave mount: %w", err)
	}
	flags := uintptr(0)
	if err := unix.Unmount("/sys", unix.MNT_DETACH); err != nil {
		// Nothing to unmount, or it may not be: mount over it, read-only
		// when the one below is (a read-only sysfs cannot be covered by a
		// writable one).
		var st unix.Statfs_t
		if unix.Statfs("/sys", &st) == nil && st.Flags&unix.ST_RDONLY != 0 {
			flags = unix.MS_RDONLY
		}
	}
	source := "sysfs"
	if t.Kind == nsexec.Named {
		source = t.Name
	}
	if err := unix.Mount(source, "/sys", "sysfs", flags, ""); err != nil {
		return fmt.Errorf("mount a fresh /sys for %s: %w", t.Label(), err)
	}
	if t.Kind == nsexec.Named {
		bindEtc(t.Name, warn)
	}
	return nil
}

// bindEtc bind-mounts each file under /etc/netns/NAME over its namesake in
// /etc. Like iproute2, a file that cannot be bound is reported and skipped.
func bindEtc(name string, warn io.Writer) {
	dir := filepath.Join("/etc/netns", name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		src, dst := filepath.Join(dir, e.Name()), filepath.Join("/etc", e.Name())
		if err := unix.Mount(src, dst, "none", unix.MS_BIND, ""); err != nil {
			fmt.Fprintf(warn, "nsdiag: bind %s over %s failed: %v\n", src, dst, err)
		}
	}
}

// unwrapPath drops the "exec: NAME:" wrapping LookPath adds.
func unwrapPath(err error) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}

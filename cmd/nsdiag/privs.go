package main

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"github.com/nsdiag/nsdiag/nsexec"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"
)

// capability is a Linux capability number (linux/capability.h).
type capability int

const (
	capSetgid   capability = 6
	capSetuid   capability = 7
	capSetpcap  capability = 8
	capNetAdmin capability = 12
	capNetRaw   capability = 13
	capSysAdmin capability = 21
)

var capNames = map[capability]string{
	capSetgid: "CAP_SETGID", capSetuid: "CAP_SETUID", capSetpcap: "CAP_SETPCAP",
	capNetAdmin: "CAP_NET_ADMIN", capNetRaw: "CAP_NET_RAW", capSysAdmin: "CAP_SYS_ADMIN",
}

func (c capability) String() string {
	if s, ok := capNames[c]; ok {
		return s
	}
	return "capability " + strconv.Itoa(int(c))
}

// capNeed is a capability and what it is needed for.
type capNeed struct {
	cap capability
	why string
}

// parseCapEff reads the effective set from a /proc/PID/status text.
func parseCapEff(status string) (uint64, error) {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, errors.New("no CapEff line in status")
}

// effectiveCaps is the calling thread's effective capability set.
func effectiveCaps() (uint64, error) {
	b, err := os.ReadFile("/proc/thread-self/status")
	if err != nil {
		return 0, err
	}
	return parseCapEff(string(b))
}

// missing returns the needs whose capability is not in eff.
func missing(eff uint64, needs []capNeed) []capNeed {
	var out []capNeed
	for _, n := range needs {
		if eff&(1<<uint(n.cap)) == 0 {
			out = append(out, n)
		}
	}
	return out
}

// capsError is the one line printed when capabilities are missing: which,
// for what, and the setcap line that grants what the command needs.
func capsError(miss []capNeed) error {
	var parts []string
	grant := []string{"cap_net_raw", "cap_sys_admin"}
	for _, n := range miss {
		parts = append(parts, fmt.Sprintf("%s (to %s)", n.cap, n.why))
		if c := strings.ToLower(n.cap.String()); !slices.Contains(grant, c) {
			grant = append(grant, c)
		}
	}
	return fmt.Errorf("missing capability %s: run as root, or grant it to the binary once with: setcap %s+ep %s",
		strings.Join(parts, " and "), strings.Join(grant, ","), selfPath())
}

func selfPath() string {
	if p, err := os.Executable(); err == nil {
		return p
	}
	return "$(command -v nsdiag)"
}

// needCaps fails with capsError when the process lacks any capability it
// will certainly need. Use it for needs with no unprivileged fallback.
func needCaps(needs ...capNeed) error {
	eff, err := effectiveCaps()
	if err != nil {
		return nil // cannot tell; let the syscall speak
	}
	if miss := missing(eff, needs); len(miss) > 0 {
		return capsError(miss)
	}
	return nil
}

// enterNeed is the capability entering t needs: none for the current
// namespace.
func enterNeed(t nsexec.Target) []capNeed {
	if t.IsCurrent() {
		return nil
	}
	return []capNeed{{capSysAdmin, "enter " + t.Label()}}
}

// explainPermission turns a permission error into capsError when a needed
// capability is missing; other errors, and permission errors with every
// capability present (a namespace owned by another user namespace, a
// security module), pass through unchanged.
func explainPermission(err error, needs ...capNeed) error {
	if err == nil || !(errors.Is(err, os.ErrPermission) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES)) {
		return err
	}
	eff, cerr := effectiveCaps()
	if cerr != nil {
		return err
	}
	if miss := missing(eff, needs); len(miss) > 0 {
		return capsError(miss)
	}
	return err
}

// privilegeFlags are taken by the long-running commands (ping, sniff).
var privilegeFlags = []cli.Flag{
	&cli.BoolFlag{Name: "drop-privileges", Value: true, Usage: "once sockets are open, drop every capability on every thread (--drop-privileges=false keeps them)"},
	&cli.StringFlag{Name: "relinquish-privileges", Aliases: []string{"Z"}, Usage: "once sockets are open, switch to `USER` (its uid, gid and groups), as tcpdump -Z"},
}

// dropPrivileges applies privilegeFlags; call it right after the command
// has opened its sockets and entered whatever namespace it needs. Failing
// to drop is an error: the user asked for it (by default, quietly, only
// when there is something to drop).
func dropPrivileges(c *cli.Context) error {
	name := c.String("relinquish-privileges")
	drop := c.Bool("drop-privileges")
	if !drop && name == "" {
		return nil
	}
	if eff, err := effectiveCaps(); err == nil && eff == 0 && name == "" {
		return nil // nothing to drop
	}
	if name != "" {
		if err := becomeUser(name); err != nil {
			return err
		}
	}
	if drop {
		if err := noNewPrivileges(); err != nil {
			return err
		}
		return dropCaps()
	}
	return nil
}

// allThreads runs a syscall on every thread of the process: capabilities,
// like uids, are per thread, and the Go runtime may run the rest of the
// command on any of them.
func allThreads(trap, a1, a2, a3 uintptr) error {
	if _, _, e := syscall.AllThreadsSyscall(trap, a1, a2, a3); e != 0 {
		return threadsError(e)
	}
	return nil
}

// threadsError explains ENOTSUP from AllThreadsSyscall: the runtime cannot
// reach threads that C code started.
func threadsError(e syscall.Errno) error {
	if e == syscall.ENOTSUP {
		return fmt.Errorf("%w: changing privileges on every thread needs a binary built with CGO_ENABLED=0 (use --drop-privileges=false)", e)
	}
	return e
}

// noNewPrivileges sets no_new_privs on every thread: nothing this process
// executes can gain capabilities, neither from file capabilities and
// set-uid bits nor from uid 0's rule, since the kernel then caps an exec's
// permitted set at the (emptied) one it had. One call where shrinking the
// bounding set would take one per capability, each on every thread.
func noNewPrivileges() error {
	if err := allThreads(unix.SYS_PRCTL, unix.PR_SET_NO_NEW_PRIVS, 1, 0); err != nil {
		return fmt.Errorf("set no_new_privs: %w", err)
	}
	return nil
}

// dropCaps empties the ambient, inheritable, permitted and effective sets
// of every thread. Lowering one's own capabilities is always allowed.
func dropCaps() error {
	err := allThreads(unix.SYS_PRCTL, unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0)
	if err != nil && !errors.Is(err, unix.EINVAL) { // EINVAL: kernel before 4.3
		return fmt.Errorf("clear ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if _, _, e := syscall.AllThreadsSyscall(unix.SYS_CAPSET, uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0); e != 0 {
		return fmt.Errorf("drop capabilities: %w", threadsError(e))
	}
	return nil
}

// becomeUser switches every thread to a user, its primary group and its
// supplementary groups, as tcpdump -Z does (initgroups, setgid, setuid).
// Leaving uid 0 this way also clears the permitted and effective sets.
func becomeUser(name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		if u, err = user.LookupId(name); err != nil {
			return exitWith(2, fmt.Errorf("-Z %s: no such user", name))
		}
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("-Z %s: unusable uid %q or gid %q", name, u.Uid, u.Gid)
	}
	// Already that user (tcpdump -Z does nothing unless run as root):
	// only the capabilities are left to drop.
	if os.Getuid() == uid && os.Geteuid() == uid && os.Getgid() == gid && os.Getegid() == gid {
		return nil
	}
	gids := []int{gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if g, err := strconv.Atoi(s); err == nil && g != gid {
				gids = append(gids, g)
			}
		}
	}
	// syscall's Setgroups, Setgid and Setuid apply to every thread.
	steps := []struct {
		what string
		cap  capability
		fn   func() error
	}{
		{"set groups", capSetgid, func() error { return syscall.Setgroups(gids) }},
		{"set gid " + u.Gid, capSetgid, func() error { return syscall.Setgid(gid) }},
		{"set uid " + u.Uid, capSetuid, func() error { return syscall.Setuid(uid) }},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			if errors.Is(err, unix.EPERM) {
				return fmt.Errorf("couldn't change to user %s (%s): that needs %s: run as root", name, s.what, s.cap)
			}
			return fmt.Errorf("couldn't change to user %s: %s: %w", name, s.what, err)
		}
	}
	return nil
}

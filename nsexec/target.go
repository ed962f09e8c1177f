package nsexec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// RunDir is where iproute2 keeps the bind mounts that name namespaces.
const RunDir = "/run/netns"

// Kind says how a Target names its namespace.
type Kind int

const (
	// Current is the namespace nsdiag itself was started in.
	Current Kind = iota
	// Named is a namespace bind-mounted under RunDir, as `ip netns add` makes.
	Named
	// Path is any file that refers to a network namespace.
	Path
	// PID is the namespace a process is in.
	PID
	// Inode is the namespace with a given nsfs inode number (as lsns and
	// nsdiag ns list --all show it), found through whatever refers to it.
	Inode
)

// Target names a network namespace. The zero Target is the caller's own.
type Target struct {
	Kind Kind
	// Name is the namespace name for Named targets.
	Name string
	// File is the namespace file for Path targets.
	File string
	// Process is the process ID for PID targets.
	Process int
	// Ino is the namespace inode for Inode targets.
	Ino uint64
}

// Parse reads a namespace target as the -n/--netns flag spells it: "" for
// the caller's own namespace, "pid:PID", "inode:N", a path (anything containing a
// slash), or a name under /run/netns.
func Parse(s string) (Target, error) {
	switch {
	case s == "":
		return Target{}, nil
	case strings.HasPrefix(s, "pid:"):
		n, err := strconv.Atoi(strings.TrimPrefix(s, "pid:"))
		if err != nil || n <= 0 {
			return Target{}, fmt.Errorf("bad namespace target %q: pid: wants a process ID such as pid:1234", s)
		}
		return Target{Kind: PID, Process: n}, nil
	case strings.HasPrefix(s, "inode:"):
		n, err := strconv.ParseUint(strings.TrimPrefix(s, "inode:"), 10, 64)
		if err != nil || n == 0 {
			return Target{}, fmt.Errorf("bad namespace target %q: inode: wants a namespace inode number such as inode:4026532281 (see nsdiag ns list --all)", s)
		}
		return Target{Kind: Inode, Ino: n}, nil
	case strings.Contains(s, "/"):
		return Target{Kind: Path, File: s}, nil
	default:
		if err := ValidName(s); err != nil {
			return Target{}, err
		}
		return Target{Kind: Named, Name: s}, nil
	}
}

// ValidName checks a namespace name as iproute2 does: a single path element.
func ValidName(name string) error {
	switch {
	case name == "":
		return errors.New("empty network namespace name")
	case name == "." || name == ".." || strings.ContainsAny(name, "/\x00"):
		return fmt.Errorf("bad network namespace name %q: it must be a plain file name (no '/', not '.' or '..')", name)
	case len(name) > 255:
		return fmt.Errorf("bad network namespace name %q: longer than 255 bytes", name)
	}
	return nil
}

// Path returns the file that refers to the target's namespace.
func (t Target) Path() string {
	switch t.Kind {
	case Named:
		return RunDir + "/" + t.Name
	case Path:
		return t.File
	case PID:
		return fmt.Sprintf("/proc/%d/ns/net", t.Process)
	case Inode:
		// Looked up on every call: a process holding the namespace may
		// exit and another take over. "" (which open(2) refuses with
		// ENOENT) when nothing on the host refers to it.
		path, _ := findInode(t.Ino)
		return path
	default:
		// The calling thread's, not /proc/self (the main thread's, which
		// the runtime keeps wedged in a namespace if a Do ever ran on it).
		return "/proc/thread-self/ns/net"
	}
}

// IsCurrent reports whether t is the caller's own namespace (no -n given).
func (t Target) IsCurrent() bool { return t.Kind == Current }

// String spells the target as the -n flag takes it; "" for the caller's own.
func (t Target) String() string {
	switch t.Kind {
	case Named:
		return t.Name
	case Path:
		return t.File
	case PID:
		return "pid:" + strconv.Itoa(t.Process)
	case Inode:
		return "inode:" + strconv.FormatUint(t.Ino, 10)
	default:
		return ""
	}
}

// Label names the target in messages: `netns "ns1"`, or "the current
// network namespace".
func (t Target) Label() string {
	if t.IsCurrent() {
		return "the current network namespace"
	}
	return fmt.Sprintf("netns %q", t.String())
}

package nsexec

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Namespace is one network namespace found on the host, with everything
// that holds it alive.
type Namespace struct {
	ID ID `json:"-"`
	// Inode is ID.Ino, the number `ip netns identify`, lsns and the
	// inode:N target use.
	Inode uint64 `json:"inode"`
	// Current marks the namespace nsdiag itself runs in.
	Current bool `json:"current,omitempty"`
	// Names are the entries under /run/netns bound to it.
	Names []string `json:"names,omitempty"`
	// Mounts are other nsfs bind mounts of it (Docker's
	// /run/docker/netns/ID, CNI's /var/run/netns/cni-..., ...).
	Mounts []string `json:"mounts,omitempty"`
	// Procs are the processes in it (only those whose namespace this
	// process may read; threads that joined it alone are listed with TID).
	Procs []Proc `json:"processes,omitempty"`
}

// Proc is a process (or one thread of it) in a namespace.
type Proc struct {
	PID int `json:"pid"`
	// TID is set when only this thread of PID is in the namespace.
	TID       int        `json:"tid,omitempty"`
	Comm      string     `json:"command"`
	Container *Container `json:"container,omitempty"`
}

// Target returns a target that enters n: its first name, else its first
// bind mount, else its first process.
func (n Namespace) Target() Target {
	switch {
	case len(n.Names) > 0:
		return Target{Kind: Named, Name: n.Names[0]}
	case len(n.Mounts) > 0:
		return Target{Kind: Path, File: n.Mounts[0]}
	case len(n.Procs) > 0 && n.Procs[0].TID == 0:
		return Target{Kind: PID, Process: n.Procs[0].PID}
	case len(n.Procs) > 0:
		return Target{Kind: Path, File: taskPath(n.Procs[0].PID, n.Procs[0].TID)}
	}
	return Target{Kind: Inode, Ino: n.Inode}
}

// Label is how people know n: its name, else the container a process in it
// belongs to, else pid:PID, else inode:N.
func (n Namespace) Label() string {
	if len(n.Names) > 0 {
		return n.Names[0]
	}
	for _, p := range n.Procs {
		if p.Container != nil {
			return p.Container.Short()
		}
	}
	if len(n.Procs) > 0 && n.Procs[0].TID == 0 {
		return "pid:" + strconv.Itoa(n.Procs[0].PID)
	}
	return "inode:" + strconv.FormatUint(n.Inode, 10)
}

// holder is one thing that refers to a namespace, as the walk finds it.
type holder struct {
	name, mount string
	pid, tid    int
}

// walk visits every reference to a network namespace this process can see:
// names under RunDir, nsfs bind mounts in its mount table, and the
// namespace of every process and of every thread that differs from its
// process. fn returns false to stop. Entries that vanish or may not be read
// during the walk are skipped: processes come and go.
func walk(fn func(ID, holder) bool) error {
	names, err := List()
	if err != nil {
		return err
	}
	for _, name := range names {
		var st unix.Stat_t
		// Not followed: a link under RunDir must not name something else.
		if err := unix.Fstatat(unix.AT_FDCWD, RunDir+"/"+name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil || !isNsfs(st.Dev) {
			continue
		}
		if !fn(ID{Dev: st.Dev, Ino: st.Ino}, holder{name: name}) {
			return nil
		}
	}
	if text, err := os.ReadFile("/proc/self/mountinfo"); err == nil {
		for _, m := range parseMountinfo(string(text)) {
			if filepath.Dir(m.Point) == RunDir {
				continue // already seen by name
			}
			if !fn(ID{Dev: m.Dev, Ino: m.Ino}, holder{mount: m.Point}) {
				return nil
			}
		}
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return err
	}
	self := os.Getpid()
	for _, e := range procs {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		path := "/proc/" + e.Name() + "/ns/net"
		if pid == self {
			path = selfNs
		}
		main, err := statNs(path)
		if err != nil {
			continue
		}
		if !fn(main, holder{pid: pid}) {
			return nil
		}
		// Our own threads visit namespaces only inside Do, briefly.
		if pid == self {
			continue
		}
		tasks, err := os.ReadDir("/proc/" + e.Name() + "/task")
		if err != nil {
			continue
		}
		for _, te := range tasks {
			tid, err := strconv.Atoi(te.Name())
			if err != nil || tid == pid {
				continue
			}
			id, err := statNs(taskPath(pid, tid))
			if err != nil || id == main {
				continue
			}
			if !fn(id, holder{pid: pid, tid: tid}) {
				return nil
			}
		}
	}
	return nil
}

// selfNs is the calling thread's namespace. Not /proc/self/ns/net: that is
// the main thread's, and the Go runtime never ends the main thread, so a
// goroutine of Do that ran on it leaves it in a foreign namespace for good.
const selfNs = "/proc/thread-self/ns/net"

func taskPath(pid, tid int) string {
	return "/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid) + "/ns/net"
}

func statNs(path string) (ID, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return ID{}, err
	}
	return ID{Dev: st.Dev, Ino: st.Ino}, nil
}

// isNsfs reports whether dev is nsfs's device: every namespace file lives
// on that one pseudo filesystem, so a stale /run/netns entry (an empty
// file whose mount is gone) has another.
func isNsfs(dev uint64) bool {
	self, err := statNs(selfNs)
	return err == nil && dev == self.Dev
}

// Discover lists every network namespace on the host that this process can
// see, deduplicated by identity: the current one first, then named ones by
// name, then the rest by inode. Reading other users' processes needs
// CAP_SYS_PTRACE or root; without it their namespaces are missing.
func Discover() ([]Namespace, error) {
	self, err := statNs(selfNs)
	if err != nil {
		return nil, err
	}
	byID := map[ID]*Namespace{}
	var order []*Namespace
	err = walk(func(id ID, h holder) bool {
		n := byID[id]
		if n == nil {
			n = &Namespace{ID: id, Inode: id.Ino, Current: id == self}
			byID[id] = n
			order = append(order, n)
		}
		switch {
		case h.name != "":
			n.Names = append(n.Names, h.name)
		case h.mount != "":
			// Propagation can show one mount point more than once.
			if !slices.Contains(n.Mounts, h.mount) {
				n.Mounts = append(n.Mounts, h.mount)
			}
		default:
			n.Procs = append(n.Procs, describeProc(h.pid, h.tid))
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out := make([]Namespace, len(order))
	for i, n := range order {
		sort.Slice(n.Procs, func(a, b int) bool {
			pa, pb := n.Procs[a], n.Procs[b]
			return pa.PID < pb.PID || pa.PID == pb.PID && pa.TID < pb.TID
		})
		out[i] = *n
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Current != b.Current {
			return a.Current
		}
		if (len(a.Names) > 0) != (len(b.Names) > 0) {
			return len(a.Names) > 0
		}
		if len(a.Names) > 0 {
			return a.Names[0] < b.Names[0]
		}
		return a.Inode < b.Inode
	})
	return out, nil
}

// describeProc reads a process's command and container.
func describeProc(pid, tid int) Proc {
	dir := "/proc/" + strconv.Itoa(pid)
	p := Proc{PID: pid, TID: tid}
	if b, err := os.ReadFile(dir + "/comm"); err == nil {
		p.Comm = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile(dir + "/cgroup"); err == nil {
		if c, ok := parseCgroup(string(b)); ok {
			nameContainer(&c, stateRoots)
			p.Container = &c
		}
	}
	return p
}

// errNoInode is returned by findInode when nothing refers to the inode.
var errNoInode = errors.New("no such network namespace inode")

// findInode returns a file that refers to the network namespace with inode
// ino: a name, a bind mount, or a process's (or thread's) namespace link.
func findInode(ino uint64) (string, error) {
	var path string
	err := walk(func(id ID, h holder) bool {
		if id.Ino != ino {
			return true
		}
		switch {
		case h.name != "":
			path = RunDir + "/" + h.name
		case h.mount != "":
			path = h.mount
		case h.tid != 0:
			path = taskPath(h.pid, h.tid)
		default:
			path = "/proc/" + strconv.Itoa(h.pid) + "/ns/net"
		}
		return false
	})
	if err == nil && path == "" {
		err = errNoInode
	}
	return path, err
}

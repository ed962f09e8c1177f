package nsexec

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// nsfsMount is one network namespace bind mount from a mountinfo line.
type nsfsMount struct {
	Dev   uint64 // from the major:minor field: nsfs's device
	Ino   uint64 // from the root field, net:[INODE]
	Point string // where it is mounted, unescaped
}

// parseMountinfo picks the network namespace bind mounts out of
// /proc/PID/mountinfo (proc(5)): lines whose filesystem type is nsfs and
// whose root is net:[INODE]. Malformed lines are skipped.
func parseMountinfo(text string) []nsfsMount {
	var out []nsfsMount
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		// ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
		if len(f) < 10 {
			continue
		}
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+1 >= len(f) || f[sep+1] != "nsfs" {
			continue
		}
		ino, ok := nsInode(f[3], "net")
		if !ok {
			continue
		}
		maj, min, ok := strings.Cut(f[2], ":")
		if !ok {
			continue
		}
		ma, err1 := strconv.ParseUint(maj, 10, 32)
		mi, err2 := strconv.ParseUint(min, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, nsfsMount{Dev: mkdev(uint32(ma), uint32(mi)), Ino: ino, Point: unescapeMount(f[4])})
	}
	return out
}

// mkdev encodes a device number as stat(2) reports it (glibc's makedev).
func mkdev(major, minor uint32) uint64 {
	return uint64(major&0x00000fff)<<8 | uint64(major&0xfffff000)<<32 |
		uint64(minor&0x000000ff) | uint64(minor&0xffffff00)<<12
}

// nsInode reads "net:[4026531840]", the form of namespace links and nsfs
// mount roots, and returns the inode when the type is typ.
func nsInode(s, typ string) (uint64, bool) {
	rest, ok := strings.CutPrefix(s, typ+":[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(rest, "]"), 10, 64)
	return n, err == nil && n > 0
}

// unescapeMount undoes the octal escapes (\040 for a space, \011, \012,
// \134) the kernel writes into mount points.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Container is what a process's cgroup says about the container or pod it
// runs in.
type Container struct {
	// Runtime is "docker", "containerd", "cri-o" or "podman"; "kubernetes"
	// when only the pod shows.
	Runtime string `json:"runtime"`
	// ID is the container ID (64 hex digits) as the runtime shows it.
	ID string `json:"id,omitempty"`
	// PodUID is the Kubernetes pod UID, with dashes, when under kubepods.
	PodUID string `json:"pod_uid,omitempty"`
	// Name is the container's name where the runtime's state on this host
	// says it (Docker, nerdctl, Podman, Kubernetes); otherwise empty.
	Name string `json:"name,omitempty"`
	// Pod is the Kubernetes pod, NAMESPACE/NAME, from the runtime's
	// annotations (containerd, CRI-O).
	Pod string `json:"pod,omitempty"`
}

// Short is the label used in listings: the pod (every container of a pod
// shares its network namespace), the name, or runtime:ID12.
func (c Container) Short() string {
	switch {
	case c.Pod != "":
		return c.Pod
	case c.Name != "":
		return c.Name
	case c.ID != "":
		id := c.ID
		if len(id) > 12 {
			id = id[:12]
		}
		return c.Runtime + ":" + id
	case c.PodUID != "":
		return "pod:" + c.PodUID
	}
	return ""
}

// cgroupREs compiles, on first use, the patterns for the scope units the
// runtimes' systemd cgroup drivers create and the plain paths of the
// cgroupfs drivers (/docker/ID, /kubepods/.../ID). Lazily, because their
// counted repetitions make compiling them a noticeable part of every
// nsdiag start-up, and only discovery needs them.
var cgroupREs = sync.OnceValue(func() (re struct{ scope, docker, pod, bareID *regexp.Regexp }) {
	re.scope = regexp.MustCompile(`(?:^|/)(docker|cri-containerd|crio|libpod)-([0-9a-f]{64})\.scope(?:/|$)`)
	re.docker = regexp.MustCompile(`(?:^|/)docker/([0-9a-f]{64})(?:/|$)`)
	re.pod = regexp.MustCompile(`(?:^|[/-])pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?(?:/|$)`)
	re.bareID = regexp.MustCompile(`/([0-9a-f]{64})(?:/|$)`)
	return re
})

var scopeRuntime = map[string]string{
	"docker":         "docker",
	"cri-containerd": "containerd",
	"crio":           "cri-o",
	"libpod":         "podman",
}

// parseCgroup reads /proc/PID/cgroup (cgroup v1 or v2) and returns the
// container or pod it shows, if any.
func parseCgroup(text string) (Container, bool) {
	var c Container
	re := cgroupREs()
	for _, line := range strings.Split(text, "\n") {
		// HIERARCHY:CONTROLLERS:PATH; the path may itself hold colons.
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		path := parts[2]
		if m := re.pod.FindStringSubmatch(path); m != nil && c.PodUID == "" {
			c.PodUID = strings.ReplaceAll(m[1], "_", "-")
		}
		if c.ID != "" {
			continue
		}
		switch m := re.scope.FindStringSubmatch(path); {
		case m != nil:
			c.Runtime, c.ID = scopeRuntime[m[1]], m[2]
		case re.docker.MatchString(path):
			c.Runtime, c.ID = "docker", re.docker.FindStringSubmatch(path)[1]
		case c.PodUID != "" || strings.Contains(path, "/kubepods"):
			// cgroupfs driver under kubepods: the container ID is the
			// last element, and the runtime is not named.
			if m := re.bareID.FindAllStringSubmatch(path, -1); m != nil {
				c.ID = m[len(m)-1][1]
			}
		}
	}
	// The cgroupfs driver under kubepods names no runtime.
	if c.Runtime == "" && (c.PodUID != "" || c.ID != "") {
		c.Runtime = "kubernetes"
	}
	return c, c.ID != "" || c.PodUID != ""
}

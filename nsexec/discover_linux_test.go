package nsexec_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
	"golang.org/x/sys/unix"
)

func find(t *testing.T, all []nsexec.Namespace, id nsexec.ID) nsexec.Namespace {
	t.Helper()
	for _, n := range all {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("namespace %+v not discovered among %d", id, len(all))
	return nsexec.Namespace{}
}

// TestIntegrationDiscoverProcessHeld finds a namespace that only a process
// holds, then the same one through a bind mount outside /run/netns, and
// enters it as inode:N.
func TestIntegrationDiscoverProcessHeld(t *testing.T) {
	pid := netnstest.ProcessNS(t)
	byPID := nsexec.Target{Kind: nsexec.PID, Process: pid}
	id, err := nsexec.Identify(byPID)
	if err != nil {
		t.Fatal(err)
	}
	named := netnstest.NewNS(t, "disc")
	namedID, err := nsexec.Identify(named)
	if err != nil {
		t.Fatal(err)
	}

	all, err := nsexec.Discover()
	if err != nil {
		t.Fatal(err)
	}
	if !all[0].Current {
		t.Errorf("first namespace listed is not the current one: %+v", all[0])
	}
	seen := map[nsexec.ID]bool{}
	for _, n := range all {
		if seen[n.ID] {
			t.Errorf("namespace %d listed twice", n.Inode)
		}
		seen[n.ID] = true
	}
	n := find(t, all, id)
	if len(n.Names) != 0 || len(n.Procs) != 1 || n.Procs[0].PID != pid || n.Procs[0].Comm != "sleep" || n.Inode != id.Ino {
		t.Errorf("process-held namespace = %+v, want only pid %d (sleep), inode %d", n, pid, id.Ino)
	}
	if got := n.Target(); got != byPID {
		t.Errorf("Target() = %+v, want %+v", got, byPID)
	}
	if nn := find(t, all, namedID); !slices.Equal(nn.Names, []string{named.Name}) || nn.Target() != named {
		t.Errorf("named namespace = %+v, want name %s", nn, named.Name)
	}

	// inode:N reaches the same namespace, for Open and for Do.
	byIno, err := nsexec.Parse("inode:" + strconv.FormatUint(id.Ino, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := nsexec.Identify(byIno); err != nil || got != id {
		t.Errorf("Identify(%s) = %+v, %v; want %+v", byIno, got, err, id)
	}
	var inside nsexec.ID
	err = nsexec.Do(byIno, func() error {
		var st unix.Stat_t
		err := unix.Stat("/proc/thread-self/ns/net", &st)
		inside = nsexec.ID{Dev: st.Dev, Ino: st.Ino}
		return err
	})
	if err != nil || inside != id {
		t.Errorf("Do(%s) ran in %+v (%v), want %+v", byIno, inside, err, id)
	}

	// An address set through the pid: target shows through a path target.
	if err := netcfg.SetUp(byPID, "lo", true); err != nil {
		t.Fatal(err)
	}
	if err := netcfg.AddAddr(byPID, "10.77.0.1/32", "lo"); err != nil {
		t.Fatal(err)
	}
	links, err := netcfg.Links(nsexec.Target{Kind: nsexec.Path, File: byPID.Path()})
	if err != nil || len(links) != 1 || !slices.ContainsFunc(links[0].Addrs, func(a *net.IPNet) bool { return a.String() == "10.77.0.1/32" }) {
		t.Errorf("links of pid:%d = %+v, %v; want lo with 10.77.0.1/32", pid, links, err)
	}

	// A bind mount elsewhere is listed with the process, and keeps the
	// namespace alive as inode:N once the process is gone.
	file := filepath.Join(t.TempDir(), "held")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount(byPID.Path(), file, "none", unix.MS_BIND, ""); err != nil {
		t.Fatalf("bind mount: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(file, unix.MNT_DETACH) })
	all, err = nsexec.Discover()
	if err != nil {
		t.Fatal(err)
	}
	if n := find(t, all, id); !slices.Equal(n.Mounts, []string{file}) || len(n.Procs) != 1 {
		t.Errorf("after bind mount: %+v, want mount %s and pid %d", n, file, pid)
	}
}

// TestIntegrationInodeNotFound checks the one line printed for an inode no
// namespace has.
func TestIntegrationInodeNotFound(t *testing.T) {
	netnstest.RequireRoot(t)
	_, err := nsexec.Open(nsexec.Target{Kind: nsexec.Inode, Ino: 1})
	want := `no network namespace with inode 1 on this host ("inode:1"); see nsdiag ns list --all`
	if err == nil || err.Error() != want {
		t.Errorf("Open(inode:1) = %v, want %q", err, want)
	}
}

// threadHolderEnv makes the test binary, started again, a process with one
// thread in the namespace file it names and the others at home.
const threadHolderEnv = "NSEXEC_TEST_THREAD_IN"

func init() {
	// In the helper, keep the main goroutine on the main thread so that
	// the thread that joins the namespace is another one.
	if os.Getenv(threadHolderEnv) != "" {
		runtime.LockOSThread()
	}
}

func TestThreadHolderHelper(t *testing.T) {
	path := os.Getenv(threadHolderEnv)
	if path == "" {
		t.Skip("helper process for TestIntegrationDiscoverThread")
	}
	ready := make(chan int)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open(path)
		if err == nil {
			err = unix.Setns(int(f.Fd()), unix.CLONE_NEWNET)
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		ready <- unix.Gettid()
		select {}
	}()
	fmt.Println(<-ready)
	os.Stdin.Read(make([]byte, 1)) // until the parent closes stdin
	os.Exit(0)
}

// TestIntegrationDiscoverThread: a thread that joined another namespace is
// listed there with its TID, beside the process that made it, and its
// namespace file enters it.
func TestIntegrationDiscoverThread(t *testing.T) {
	pid := netnstest.ProcessNS(t)
	id, err := nsexec.Identify(nsexec.Target{Kind: nsexec.PID, Process: pid})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestThreadHolderHelper$")
	cmd.Env = append(os.Environ(), threadHolderEnv+"=/proc/"+strconv.Itoa(pid)+"/ns/net")
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	var tid int
	if _, err := fmt.Fscan(out, &tid); err != nil {
		t.Fatalf("helper: %v", err)
	}
	all, err := nsexec.Discover()
	if err != nil {
		t.Fatal(err)
	}
	n := find(t, all, id)
	comm := filepath.Base(os.Args[0])
	want := []nsexec.Proc{{PID: pid, Comm: "sleep"}, {PID: cmd.Process.Pid, TID: tid, Comm: comm[:min(15, len(comm))]}}
	if tid == cmd.Process.Pid || len(n.Procs) != 2 || n.Procs[0] != want[0] || n.Procs[1] != want[1] {
		t.Fatalf("namespace = %+v, want processes %+v", n, want)
	}
	target := nsexec.Namespace{ID: id, Inode: id.Ino, Procs: want[1:]}.Target()
	if target.Kind != nsexec.Path || target.File != fmt.Sprintf("/proc/%d/task/%d/ns/net", cmd.Process.Pid, tid) {
		t.Errorf("Target() = %+v, want the thread's namespace file", target)
	}
	if got, err := nsexec.Identify(target); err != nil || got != id {
		t.Errorf("Identify(%s) = %+v, %v; want %+v", target, got, err, id)
	}
}

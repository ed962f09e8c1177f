package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestParseCapEff(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		bad  bool
	}{
		{"Name:\tping\nCapInh:\t0000000000000000\nCapEff:\t0000000000202000\n", 1<<13 | 1<<21, false},
		{"CapEff:\t000001ffffffffff\n", 0x1ffffffffff, false},
		{"CapEff:\tzz\n", 0, true},
		{"Name: x\n", 0, true},
	}
	for _, c := range cases {
		got, err := parseCapEff(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("parseCapEff(%q) = %#x, %v; want %#x (error %v)", c.in, got, err, c.want, c.bad)
		}
	}
}

func TestMissingCaps(t *testing.T) {
	needs := []capNeed{{capNetRaw, "open a raw ICMP socket"}, {capSysAdmin, `enter netns "ns1"`}}
	eff := uint64(1 << capNetRaw)
	miss := missing(eff, needs)
	if len(miss) != 1 || miss[0].cap != capSysAdmin {
		t.Fatalf("missing = %+v, want CAP_SYS_ADMIN only", miss)
	}
	got := capsError(miss).Error()
	want := `missing capability CAP_SYS_ADMIN (to enter netns "ns1"): run as root, or grant it to the binary once with: setcap cap_net_raw,cap_sys_admin+ep `
	if !strings.HasPrefix(got, want) {
		t.Errorf("capsError = %q, want prefix %q", got, want)
	}
	got = capsError([]capNeed{{capNetAdmin, "add a veth"}}).Error()
	if !strings.Contains(got, "CAP_NET_ADMIN (to add a veth)") || !strings.Contains(got, "setcap cap_net_raw,cap_sys_admin,cap_net_admin+ep") {
		t.Errorf("capsError(NET_ADMIN) = %q", got)
	}
	if len(missing(^uint64(0), needs)) != 0 {
		t.Error("full set misses something")
	}
}

// threadStatus returns the named lines of every thread's status.
func threadStatus(keys ...string) (map[string][]string, error) {
	tasks, err := filepath.Glob("/proc/self/task/*/status")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, p := range tasks {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // thread gone
		}
		for _, line := range strings.Split(string(b), "\n") {
			for _, k := range keys {
				if v, ok := strings.CutPrefix(line, k+":"); ok {
					out[k] = append(out[k], strings.Join(strings.Fields(v), " "))
				}
			}
		}
	}
	return out, nil
}

// dropHelper runs in a child process (the test binary run again): it makes
// sure there are several threads, drops privileges with the given flags and
// prints every thread's capability sets and uids.
func dropHelper(args []string) {
	release := make(chan struct{})
	// Wait until all six hold their own thread: a goroutine not yet
	// scheduled has no thread, and the count below would come up short.
	var locked sync.WaitGroup
	for i := 0; i < 6; i++ {
		locked.Add(1)
		go func() {
			runtime.LockOSThread()
			locked.Done()
			<-release
		}()
	}
	locked.Wait()
	app := &cli.App{Flags: privilegeFlags, Action: dropPrivileges}
	if err := app.Run(append([]string{"helper"}, args...)); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	keys := []string{"CapEff", "CapPrm", "CapInh", "CapAmb", "NoNewPrivs", "Uid", "Gid"}
	st, err := threadStatus(keys...)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	for _, k := range keys {
		fmt.Printf("%s %d %s\n", k, len(st[k]), strings.Join(unique(st[k]), "|"))
	}
	close(release)
	os.Exit(0)
}

func unique(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

func TestMain(m *testing.M) {
	if args := os.Getenv("NSDIAG_DROP_HELPER"); args != "" {
		dropHelper(strings.Fields(args))
	}
	os.Exit(m.Run())
}

// TestDropPrivilegesAllThreads checks, in a child process started as root,
// that every thread ends with no capability and no way to regain one on
// exec (no_new_privs) and, with
// -Z, as the user.
func TestDropPrivilegesAllThreads(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the child process must start with capabilities to drop")
	}
	zero := "0000000000000000"
	cases := []struct {
		args string
		want []string
	}{
		{"--drop-privileges", []string{"CapEff 7 " + zero, "CapPrm 7 " + zero, "CapInh 7 " + zero, "NoNewPrivs 7 1", "CapAmb 7 " + zero, "Uid 7 0 0 0 0"}},
		{"-Z nobody", []string{"CapEff 7 " + zero, "CapPrm 7 " + zero, "Uid 7 65534 65534 65534 65534", "Gid 7 65534 65534 65534 65534"}},
	}
	for _, c := range cases {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "NSDIAG_DROP_HELPER="+c.args)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("helper %s: %v\n%s", c.args, err, out)
		}
		for _, w := range c.want {
			// At least 7 threads: the 6 locked ones and main.
			k, rest, _ := strings.Cut(w, " ")
			_, val, _ := strings.Cut(rest, " ")
			found := false
			for _, line := range strings.Split(string(out), "\n") {
				f := strings.SplitN(line, " ", 3)
				if len(f) == 3 && f[0] == k && f[2] == val && atoi(f[1]) >= 7 {
					found = true
				}
			}
			if !found {
				t.Errorf("helper %s: want %s on every one of at least 7 threads; got\n%s", c.args, w, out)
			}
		}
	}
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

const nobody = 65534

// capsBinary copies the test binary (which runs nsdiag's main through
// TestNsdiagHelper) into a directory nobody can read and gives the copy the
// file capabilities caps ("" for none).
func capsBinary(t *testing.T, dir, caps string) string {
	t.Helper()
	bin := filepath.Join(dir, "nsdiag-"+strings.NewReplacer(",", "-", "+", "-").Replace(caps))
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	if caps != "" {
		if out, err := exec.Command("setcap", caps, bin).CombinedOutput(); err != nil {
			t.Skipf("setcap %s: %v %s (file capabilities unsupported here)", caps, err, out)
		}
	}
	return bin
}

// runAsNobody runs nsdiag args from bin as user nobody, with no
// capabilities but the binary's own.
func runAsNobody(t *testing.T, bin string, args ...string) result {
	t.Helper()
	raw, _ := json.Marshal(args)
	cmd := exec.Command(bin, "-test.run=^TestNsdiagHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(raw))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, Groups: []uint32{}}}
	cmd.Dir = "/"
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", bin, err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// TestIntegrationLeastPrivilege runs ping and sniff as nobody from copies
// of the binary holding file capabilities: with CAP_NET_RAW and
// CAP_SYS_ADMIN they work; without one of them they fail naming it.
func TestIntegrationLeastPrivilege(t *testing.T) {
	netnstest.RequireRoot(t)
	p := netnstest.NewPair(t)
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	both := capsBinary(t, dir, "cap_net_raw,cap_sys_admin+ep")
	rawOnly := capsBinary(t, dir, "cap_net_raw+ep")
	adminOnly := capsBinary(t, dir, "cap_sys_admin+ep")
	plain := capsBinary(t, dir, "")

	// Traffic for sniff to see: iputils ping from A to B meanwhile.
	peer := exec.Command("ip", "netns", "exec", p.A.Name, "ping", "-q", "-i", "0.05", "-w", "20", p.B4)
	if err := peer.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		peer.Process.Kill()
		peer.Wait()
	})

	cases := []struct {
		name, bin string
		args      []string
		code      int
		out, err  string
	}{
		{"ping with both", both, []string{"ping", "-n", p.A.Name, "-c", "1", "-W", "2", p.B4}, 0, "1 packets transmitted, 1 received", ""},
		{"ping without CAP_NET_RAW", adminOnly, []string{"ping", "-n", p.A.Name, "-c", "1", p.B4}, 2, "", "CAP_NET_RAW"},
		{"ping without CAP_SYS_ADMIN", rawOnly, []string{"ping", "-n", p.A.Name, "-c", "1", p.B4}, 2, "", "CAP_SYS_ADMIN"},
		{"ping with none", plain, []string{"ping", "-n", p.A.Name, "-c", "1", p.B4}, 2, "", "CAP_SYS_ADMIN"},
		{"sniff with both", both, []string{"sniff", "-n", p.B.Name, "-i", "any", "-c", "1", "-l", "icmp"}, 0, "ICMP echo request", ""},
		{"sniff without CAP_NET_RAW", adminOnly, []string{"sniff", "-n", p.B.Name, "-i", "any", "-c", "1", "icmp"}, 1, "", "missing capability CAP_NET_RAW (to open a packet socket)"},
		{"sniff without CAP_SYS_ADMIN", rawOnly, []string{"sniff", "-n", p.B.Name, "-i", "any", "-c", "1", "icmp"}, 1, "", "CAP_SYS_ADMIN"},
		{"sniff -Z nobody needs no CAP_SETUID when already nobody", both, []string{"sniff", "-n", p.B.Name, "-i", "any", "-c", "1", "-Z", "nobody", "icmp"}, 0, "ICMP echo request", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			r := runAsNobody(t, c.bin, c.args...)
			if r.code != c.code || !strings.Contains(r.stdout, c.out) || !strings.Contains(r.stderr, c.err) {
				t.Errorf("%s as nobody: exit %d (want %d) after %v\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q",
					strings.Join(c.args, " "), r.code, c.code, time.Since(start), r.stdout, r.stderr, c.out, c.err)
			}
			if c.err != "" && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("error is not one line:\n%s", r.stderr)
			}
		})
	}
}

// TestIntegrationDropsCapabilities: once ping and sniff (as nobody, from a
// binary with file capabilities) have opened their sockets, none of their
// threads holds a capability, unless --drop-privileges=false.
func TestIntegrationDropsCapabilities(t *testing.T) {
	netnstest.RequireRoot(t)
	p := netnstest.NewPair(t)
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		os.Chmod(d, 0o755)
	}
	bin := capsBinary(t, dir, "cap_net_raw,cap_sys_admin+ep")
	cases := []struct {
		args   []string
		marker string // printed once the sockets are open and in use
		want   string // CapEff on every thread
		root   bool   // start as root instead of nobody
	}{
		{[]string{"sniff", "-n", p.B.Name, "-i", "lo"}, "listening on", "0", false},
		{[]string{"sniff", "-n", p.B.Name, "-i", "lo", "--drop-privileges=false"}, "listening on", "202000", false},
		{[]string{"ping", "-n", p.A.Name, "-i", "0.1", p.B4}, "bytes from", "0", false},
		{[]string{"ping", "-n", p.A.Name, "-i", "0.1", "-Z", "nobody", p.B4}, "bytes from", "0", false},
		{[]string{"ping", "-n", p.A.Name, "-i", "0.1", "-Z", "nobody", p.B4}, "bytes from", "0", true},
		{[]string{"sniff", "-n", p.B.Name, "-i", "lo", "-Z", "nobody"}, "listening on", "0", true},
	}
	for _, c := range cases {
		raw, _ := json.Marshal(c.args)
		cmd := exec.Command(bin, "-test.run=^TestNsdiagHelper$")
		cmd.Env = append(os.Environ(), helperEnv+"="+string(raw))
		if !c.root {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, Groups: []uint32{}}}
		}
		var out syncBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Threads read before the marker may still hold what they are
		// about to drop: without it, fail rather than judge them.
		for deadline := time.Now().Add(20 * time.Second); !strings.Contains(out.String(), c.marker); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("%v: no %q after 20 s:\n%s", c.args, c.marker, out.String())
			}
		}
		tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/task/*/status")
		var effs []string
		for _, path := range tasks {
			b, _ := os.ReadFile(path)
			if eff, err := parseCapEff(string(b)); err == nil {
				effs = append(effs, strconv.FormatUint(eff, 16))
			}
			// Every thread has left root for nobody (-Z) or never was.
			if !strings.Contains(string(b), "\nUid:\t65534\t65534\t65534\t65534\n") && (!c.root || slices.Contains(c.args, "-Z")) {
				t.Errorf("%v: a thread is not nobody:\n%s", c.args, b)
			}
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		same := len(effs) >= 2
		for _, e := range effs {
			same = same && e == c.want
		}
		if !same {
			t.Errorf("%v: threads' CapEff %v, want %s on every thread; output:\n%s", c.args, effs, c.want, out.String())
		}
	}
}

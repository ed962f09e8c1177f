package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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

// TestIntegrationSniffDropsCapabilities: once sniff (as nobody with file
// capabilities) is capturing, none of its threads holds a capability.
func TestIntegrationSniffDropsCapabilities(t *testing.T) {
	netnstest.RequireRoot(t)
	ns := netnstest.NewNS(t, "drop")
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		os.Chmod(d, 0o755)
	}
	bin := capsBinary(t, dir, "cap_net_raw,cap_sys_admin+ep")
	for _, flags := range [][]string{nil, {"--drop-privileges=false"}} {
		raw, _ := json.Marshal(append([]string{"sniff", "-n", ns.Name, "-i", "lo"}, flags...))
		cmd := exec.Command(bin, "-test.run=^TestNsdiagHelper$")
		cmd.Env = append(os.Environ(), helperEnv+"="+string(raw))
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, Groups: []uint32{}}}
		var errb syncBuffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(errb.String(), "listening on") && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/task/*/status")
		var effs []string
		for _, p := range tasks {
			b, _ := os.ReadFile(p)
			if eff, err := parseCapEff(string(b)); err == nil {
				effs = append(effs, strconv.FormatUint(eff, 16))
			}
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		want := "0"
		if flags != nil {
			want = "202000" // CAP_SYS_ADMIN and CAP_NET_RAW kept
		}
		same := len(effs) >= 2
		for _, e := range effs {
			same = same && e == want
		}
		if !same {
			t.Errorf("sniff %v: threads' CapEff %v, want %s on every thread (stderr %q)", flags, effs, want, errb.String())
		}
	}
}

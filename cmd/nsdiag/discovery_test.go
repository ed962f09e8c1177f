package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/netcfg"
	"github.com/nsdiag/nsdiag/nsexec"
)

// run runs nsdiag in this process and returns its output and exit status.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	full := permuteArgs(append([]string{"nsdiag"}, args...), commands)
	err := newApp(&out, &errb).Run(full)
	code := report(&errb, err)
	return out.String(), errb.String(), code
}

// heldByProcess gives the test a namespace only a process holds, with its
// loopback up and 10.77.0.1/32 on it, and returns the PID and the
// namespace's inode.
func heldByProcess(t *testing.T) (int, uint64) {
	t.Helper()
	pid := netnstest.ProcessNS(t)
	byPID := nsexec.Target{Kind: nsexec.PID, Process: pid}
	id, err := nsexec.Identify(byPID)
	if err != nil {
		t.Fatal(err)
	}
	// Configured through a path target, as a user of a container's
	// namespace file would.
	path := nsexec.Target{Kind: nsexec.Path, File: byPID.Path()}
	if err := netcfg.SetUp(path, "lo", true); err != nil {
		t.Fatal(err)
	}
	if err := netcfg.AddAddr(path, "10.77.0.1/32", "lo"); err != nil {
		t.Fatal(err)
	}
	return pid, id.Ino
}

// TestIntegrationListAllProcessHeld: a namespace only a process holds is
// listed by ns list --all (text and JSON) with its PID and address, and
// both pid:PID and inode:N enter it.
func TestIntegrationListAllProcessHeld(t *testing.T) {
	pid, ino := heldByProcess(t)
	named := netnstest.NewNS(t, "lsall")

	out, errs, code := run(t, "ns", "list", "--all", "--json")
	if code != 0 {
		t.Fatalf("ns list --all --json: exit %d: %s", code, errs)
	}
	var list []nsEntry
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	var found, foundNamed bool
	for _, e := range list {
		if slices.Contains(e.Names, named.Name) {
			foundNamed = true
		}
		if e.Inode != ino {
			continue
		}
		found = true
		if e.Netns != "pid:"+strconv.Itoa(pid) || len(e.Procs) != 1 || e.Procs[0].PID != pid || e.Procs[0].Comm != "sleep" || len(e.Names) != 0 {
			t.Errorf("process-held entry = %+v, want netns pid:%d with sleep only", e, pid)
		}
		if len(e.Interfaces) != 1 || e.Interfaces[0].Name != "lo" || !slices.Contains(e.Interfaces[0].Addresses, "10.77.0.1/32") {
			t.Errorf("interfaces = %+v, want lo with 10.77.0.1/32", e.Interfaces)
		}
	}
	if !found || !foundNamed {
		t.Errorf("ns list --all: process-held found %v, named %s found %v:\n%s", found, named.Name, foundNamed, out)
	}

	out, _, _ = run(t, "ns", "list", "--all")
	block := regexp.MustCompile(`(?m)^pid:` + strconv.Itoa(pid) + `  inode:` + strconv.FormatUint(ino, 10) + `\n    processes  ` + strconv.Itoa(pid) + ` sleep\n    lo +UNKNOWN +127\.0\.0\.1/8 10\.77\.0\.1/32`)
	if !block.MatchString(out) {
		t.Errorf("ns list --all text has no block for pid %d:\n%s", pid, out)
	}
	// Without --all, only named namespaces.
	out, _, _ = run(t, "ns", "list")
	if strings.Contains(out, "pid:"+strconv.Itoa(pid)) || !strings.Contains(out, named.Name) {
		t.Errorf("ns list shows the process-held namespace or misses %s:\n%s", named.Name, out)
	}

	// Both spellings of the namespace work as -n: ping and trace reach the
	// address only that namespace has.
	for _, n := range []string{"pid:" + strconv.Itoa(pid), "inode:" + strconv.FormatUint(ino, 10)} {
		out, errs, code := run(t, "trace", "-n", n, "-q", "1", "-w", "1", "-m", "2", "10.77.0.1")
		if code != 0 || !regexp.MustCompile(`(?m)^ 1  10\.77\.0\.1 `).MatchString(out) {
			t.Errorf("trace -n %s 10.77.0.1: exit %d, stderr %q, output:\n%s", n, code, errs, out)
		}
		r := nsdiag(t, "ping", "-n", n, "-c", "1", "-W", "2", "10.77.0.1")
		if r.code != 0 || !strings.Contains(r.stdout, "1 packets transmitted, 1 received") {
			t.Errorf("ping -n %s 10.77.0.1: exit %d, stderr %q, output:\n%s", n, r.code, r.stderr, r.stdout)
		}
	}
	_, errs, code = run(t, "trace", "-n", "inode:999999999999", "10.77.0.1")
	if code == 0 || !strings.Contains(errs, "no network namespace with inode 999999999999 on this host") {
		t.Errorf("trace -n inode:999999999999: exit %d, stderr %q", code, errs)
	}
}

// TestIntegrationTraceOwners: a trace through a chain of routers names
// each hop's namespace.
func TestIntegrationTraceOwners(t *testing.T) {
	c := netnstest.NewChain(t, 2)
	out, errs, code := run(t, "trace", "--owners", "-n", c.H1().Name, "-q", "1", "-w", "1", c.Dest4())
	if code != 0 {
		t.Fatalf("trace: exit %d: %s", code, errs)
	}
	for hop := 1; hop <= 3; hop++ {
		// Tests running at the same time build labs on the same private
		// ranges, and an address held by several namespaces names them
		// all: this hop's must be among them.
		want := regexp.MustCompile(`(?m)^ ` + strconv.Itoa(hop) + `  ` + regexp.QuoteMeta(c.Addr4[hop]) + ` \[([^\]]*,)?` + regexp.QuoteMeta(c.Nodes[hop].Name) + `(,[^\]]*)?\] `)
		if !want.MatchString(out) {
			t.Errorf("hop %d: want %s [%s]:\n%s", hop, c.Addr4[hop], c.Nodes[hop].Name, out)
		}
	}
	out, _, _ = run(t, "trace", "--no-owners", "-n", c.H1().Name, "-q", "1", "-w", "1", c.Dest4())
	if strings.Contains(out, "[") {
		t.Errorf("--no-owners still annotates:\n%s", out)
	}
}

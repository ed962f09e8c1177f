package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// The command-line tests run nsdiag as a separate process: the test binary
// itself, started again with its arguments in NSDIAG_TEST_ARGS, runs
// TestNsdiagHelper, which calls main(). exec must replace a whole process,
// and a real process gives real exit statuses and signals.
const helperEnv = "NSDIAG_TEST_ARGS"

// blockEnv makes the helper add a demo step that waits until the demo is
// interrupted, to test teardown on Ctrl-C.
const blockEnv = "NSDIAG_TEST_DEMO_BLOCK"

func TestNsdiagHelper(t *testing.T) {
	raw := os.Getenv(helperEnv)
	if raw == "" {
		t.Skip("helper process for the command-line tests")
	}
	// "argv": the arguments follow -- on the command line (see
	// nsdiagInPath); else they are JSON.
	args := flag.Args()
	if raw != "argv" {
		if err := json.Unmarshal([]byte(raw), &args); err != nil {
			panic(err)
		}
	}
	if os.Getenv(blockEnv) != "" {
		registerDemoStep(demoStep{order: 1 << 30, title: "test: wait for Ctrl-C", run: func(ctx context.Context, _ *demoLab) error {
			<-ctx.Done()
			return ctx.Err()
		}})
	}
	os.Args = append([]string{"nsdiag"}, args...)
	main()
}

type result struct {
	stdout, stderr string
	code           int
}

// helperCmd prepares nsdiag with args as a child process.
func helperCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNsdiagHelper$")
	cmd.Env = append(os.Environ(), helperEnv+"="+string(raw))
	return cmd
}

// nsdiag runs nsdiag with args and returns what it printed and its status.
func nsdiag(t *testing.T, args ...string) result {
	t.Helper()
	cmd := helperCmd(t, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run nsdiag %v: %v", args, err)
	}
	return r
}

// ok runs nsdiag and fails the test unless it exits 0.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	r := nsdiag(t, args...)
	if r.code != 0 {
		t.Fatalf("nsdiag %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// uniqueName returns a namespace name the leak check recognises.
func uniqueName(label string) string {
	return netnstest.Prefix + label + "-" + netnstest.Suffix(8)
}

// delNSAtEnd removes named namespaces when the test ends (ignoring those
// already gone).
func delNSAtEnd(t *testing.T, names ...string) {
	t.Cleanup(func() {
		for _, n := range names {
			exec.Command("ip", "netns", "del", n).Run()
		}
	})
}

// peerPing runs iputils ping in ns through ip netns exec.
func peerPing(t *testing.T, ns, addr string) {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "ping", "-c1", "-W2", addr).CombinedOutput()
	if err != nil {
		t.Errorf("ping %s from %s: %v\n%s", addr, ns, err, out)
	}
}

// nsdiagInPath puts an executable named nsdiag in a new directory that
// runs this helper, and returns the directory, so that scripts can call
// nsdiag by name.
func nsdiagInPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\n" + helperEnv + "=argv exec " + os.Args[0] + " -test.run='^TestNsdiagHelper$' -- \"$@\"\n"
	if err := os.WriteFile(dir+"/nsdiag", []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// interrupt sends SIGINT to a running nsdiag once its output contains
// marker, and returns its result.
func interrupt(t *testing.T, cmd *exec.Cmd, marker string) result {
	t.Helper()
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), marker) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no %q in output:\n%s%s", marker, out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	}
	return r
}

// syncBuffer is a bytes.Buffer the child's output copier and the test may
// use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

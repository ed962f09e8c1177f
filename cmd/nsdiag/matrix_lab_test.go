package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationMatrixCutOff: h1 - r1 - h2 where h2 blackholes h1's
// network. h2 cannot send to h1 (blackhole) nor to r1's address on that
// network (partial); h1's requests reach h2 but the replies die there
// (timeout); every other pair reaches. The default expectation (all reach)
// fails with exit 1; a policy that says so passes.
func TestIntegrationMatrixCutOff(t *testing.T) {
	c := netnstest.NewChain(t, 1)
	h1, r1, h2 := c.Nodes[0].Name, c.Nodes[1].Name, c.Nodes[2].Name
	for _, dst := range []string{"10.0.1.0/24", "fd00:1::/64"} {
		if out, err := exec.Command("ip", "-n", h2, "route", "replace", "blackhole", dst).CombinedOutput(); err != nil {
			t.Fatalf("ip route replace blackhole %s: %v %s", dst, err, out)
		}
	}

	args := []string{"-W", "0.3", h1, r1, h2}
	matrix := func(flags ...string) (string, string, int) {
		return run(t, append(append([]string{"matrix"}, flags...), args...)...)
	}
	out, errs, code := matrix()
	if code != 1 {
		t.Fatalf("matrix exit %d, want 1; stderr %q\n%s", code, errs, out)
	}
	// Exactly these cells, in this order of rows and columns.
	cells := map[[2]string]string{
		{h1, r1}: "reach", {h1, h2}: "timeout",
		{r1, h1}: "reach", {r1, h2}: "reach",
		{h2, h1}: "blackhole", {h2, r1}: "partial",
	}
	grid := strings.Split(out, "\n")
	names := []string{h1, r1, h2}
	for i, from := range names {
		f := strings.Fields(grid[i+1])
		if len(f) != 4 || f[0] != from {
			t.Fatalf("row %d = %q", i+1, grid[i+1])
		}
		for k, to := range names {
			want := cells[[2]string{from, to}]
			got := f[k+1]
			switch {
			case from == to:
				want = "-"
			case want == "reach":
				if regexp.MustCompile(`^\d+\.\d{3}ms$`).MatchString(got) {
					got = "reach"
				}
			}
			if got != want {
				t.Errorf("cell %s -> %s = %q, want %s", from, to, f[k+1], want)
			}
		}
	}
	for _, line := range []string{
		h1 + " -> " + h2 + " 10.0.2.2: timeout (3 sent, 0 received)",
		h1 + " -> " + h2 + " fd00:2::2: timeout (3 sent, 0 received)",
		h2 + " -> " + h1 + " 10.0.1.1: connect: Invalid argument (blackhole)",
		h2 + " -> " + r1 + " 10.0.1.2: connect: Invalid argument (blackhole)",
		h2 + " -> " + r1 + " fd00:1::2: connect: Invalid argument (blackhole)",
		"6 pairs, 16 addresses probed in ",
		"3 not as expected (every pair to reach):",
		"  " + h1 + " -> " + h2 + ": want reach, got timeout",
		"  " + h2 + " -> " + h1 + ": want reach, got blackhole",
		"  " + h2 + " -> " + r1 + ": want reach, got partial",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}

	// The policy the lab implements passes; one that wants h2 reachable
	// from h1 fails and names the rule.
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy")
	os.WriteFile(policy, []byte("# h2 is cut off from h1\n* * reach\n"+h1+" "+h2+" block\n"+h2+" "+h1+" block\n"+h2+" "+r1+" any\n"), 0o644)
	if out, errs, code := matrix("--expect", policy); code != 0 || !strings.Contains(out, "all as expected (the expect file)") {
		t.Errorf("matrix --expect policy: exit %d, stderr %q\n%s", code, errs, out)
	}
	wrong := filepath.Join(dir, "wrong")
	os.WriteFile(wrong, []byte("* "+h2+" reach\n"+h2+" * any\n"), 0o644)
	out, _, code = matrix("--expect", wrong, "--json")
	var m matrixJSON
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if code != 1 || m.OK || len(m.Mismatches) != 1 || m.Mismatches[0].From != h1 || m.Mismatches[0].To != h2 || m.Mismatches[0].Line != 1 || m.Mismatches[0].Got != "unreachable" {
		t.Errorf("matrix --expect wrong --json: exit %d, %+v", code, m.Mismatches)
	}
	// A rule naming no namespace of the matrix is a usage error.
	os.WriteFile(wrong, []byte("nosuch * block\n"), 0o644)
	if _, errs, code := matrix("--expect", wrong); code != 2 || !strings.Contains(errs, `line 1 names "nosuch"`) {
		t.Errorf("matrix with a misspelt rule: exit %d, stderr %q", code, errs)
	}
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// peerTracerouteRun runs traceroute -n in ns and returns its stdout and
// exit status (traceroute's errors are part of what is compared).
func peerTracerouteRun(t *testing.T, ns nsexec.Target, args ...string) result {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name, "traceroute", "-n"}, args...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("traceroute %v: %v", args, err)
	}
	return r
}

// optionsLab is traceLab with a path that is not uniform: the link from
// r3 to r4 carries 1400 bytes (for --mtu), r2 sends its ICMP with an
// initial TTL of 60 and hop limit of 100, and h2 answers with 100 and
// 100, so the backward hop counts --back guesses differ from the forward
// ones at hops 2 and 5; r2 drops what it would forward with one flow
// label, r1 what it would forward from one source port or in class CS1,
// which h1 gives what it sends with firewall mark 7.
func optionsLab(t *testing.T) *netnstest.Chain {
	t.Helper()
	c := traceLab(t)
	narrowR3R4(t, c)
	netnstest.Sysctl(t, c.Nodes[2], "net.ipv4.ip_default_ttl", "60")
	netnstest.Sysctl(t, c.Nodes[2], "net.ipv6.conf."+c.Left[2]+".hop_limit", "100")
	netnstest.Sysctl(t, c.H2(), "net.ipv4.ip_default_ttl", "100")
	netnstest.Sysctl(t, c.H2(), "net.ipv6.conf."+c.Left[5]+".hop_limit", "100")
	// r2 forwards nothing with flow label 12345 (-l), r1 nothing from
	// port 40001 (--sport).
	nft(t, c.Nodes[2], "table inet fl {\n chain f { type filter hook forward priority 0; ip6 flowlabel 12345 drop; }\n}\n")
	nft(t, c.Nodes[1], "table inet sp {\n chain f { type filter hook forward priority 0; udp sport 40001 drop; tcp sport 40001 drop; }\n}\n")
	// h1 gives what it sends with mark 7 the class CS1, which r1 does not
	// forward (--fwmark).
	nft(t, c.H1(), "table inet mk {\n chain o { type filter hook output priority 0; meta mark 7 ip dscp set cs1; meta mark 7 ip6 dscp set cs1; }\n}\n")
	nft(t, c.Nodes[1], "table inet ds {\n chain f { type filter hook forward priority 0; ip dscp cs1 drop; ip6 dscp cs1 drop; }\n}\n")
	return c
}

// nft loads a ruleset into ns.
func nft(t *testing.T, ns nsexec.Target, rules string) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns.Name, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(rules)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nft in %s: %v\n%s", ns.Name, err, out)
	}
}

// TestTraceOptionsMatchTraceroute compares traceroute 2.1's less common
// options with the real traceroute -n on the same lab: output (times
// masked), exit status and, on failure, that both wrote an error.
func TestTraceOptionsMatchTraceroute(t *testing.T) {
	c := optionsLab(t)
	h1 := c.H1()
	d4, d6 := c.Dest4(), c.Dest6()
	// Names of both families: traceroute takes the IPv4 address, which
	// getaddrinfo sorts after the ULA one, whichever the file lists first.
	dir := filepath.Join("/etc/netns", h1.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	hosts := fmt.Sprintf("%s dual\n%s dual\n%s dual6first\n%s dual6first\n", d4, d6, d6, d4)
	if err := os.WriteFile(filepath.Join(dir, "hosts"), []byte(hosts), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		// want is a piece the output must hold, so that a case cannot
		// pass by both tools ignoring the option.
		want string
	}{
		{[]string{"--mtu", d4}, "\n 4  10.0.4.2  T ms F=1400"},
		{[]string{"--mtu", d6}, " F=1400"},
		{[]string{"--mtu", "-I", d4}, " F=1400"},
		{[]string{"--mtu", "-I", d6}, " F=1500"},
		{[]string{"--mtu", "-U", d4}, " F=1400"},
		{[]string{"--mtu", "-T", d4}, "60 byte packets"},
		{[]string{"--mtu", d4, "1450"}, " F=1400"},
		{[]string{"--mtu", "-N", "8", "-q", "1", "-f", "3", d6}, "\n 3  fd00:3::2  T ms F=1500"},
		{[]string{"--mtu", d4, "1000"}, "1000 byte packets"},
		{[]string{"--back", d4}, "\n 2  10.0.2.2 '-6'  T ms  T ms  T ms\n"},
		{[]string{"--back", "-I", d6}, "\n 2  fd00:2::2 '-30'  T ms"},
		{[]string{"--back", "-T", d4}, "\n 5  10.0.5.2 '-33'  T ms"},
		{[]string{"--back", "-T", d6}, "\n 5  fd00:5::2 '-33'  T ms"},
		{[]string{"--back", "-U", "-e", d4}, "'-6'"},
		{[]string{"--back", "--mtu", d6}, "'-30'"},
		{[]string{"-r", d4}, "60 byte packets"},
		{[]string{"-r", "-I", d4}, ""},
		{[]string{"-r", "-T", d4}, ""},
		{[]string{"-r", "-U", c.Addr4[1]}, "\n 1  10.0.1.2  T ms  T ms  T ms\n"},
		{[]string{"-r", "-I", c.Addr4[1]}, "\n 1  10.0.1.2  T ms  T ms  T ms\n"},
		{[]string{"-r", "-T", d6}, "\n 5  fd00:5::2  T ms"},
		{[]string{"-l", "12345", "-m", "4", "-w", "0.5", d6}, "\n 2  fd00:2::2  T ms  T ms  T ms\n 3  * * *\n"},
		{[]string{"-l", "0x3039", "-m", "3", "-w", "0.5", "-I", d6}, "\n 3  * * *\n"},
		{[]string{"-l", "12345", "-m", "3", "-w", "0.5", "-T", "-t", "16", d6}, "\n 3  * * *\n"},
		{[]string{"-l", "12345", "-m", "3", "-w", "0.5", "-U", d6}, "\n 3  * * *\n"},
		{[]string{"-l", "12346", "-m", "3", d6}, "\n 3  fd00:3::2  T ms"},
		{[]string{"-l", "12345", "-m", "3", d4}, "\n 3  10.0.3.2  T ms"},
		{[]string{"--sport=40001", "-q", "1", "-m", "2", "-w", "0.5", d4}, "\n 1  10.0.1.2  T ms\n 2  *\n"},
		{[]string{"--sport=40001", "-q", "2", "-m", "2", "-w", "0.5", "-U", d6}, "\n 2  * *\n"},
		{[]string{"--sport=40001", "-q", "1", "-m", "2", "-w", "0.5", "-T", d4}, "\n 2  *\n"},
		{[]string{"--sport=40001", "-q", "1", "-m", "3", "-I", d4}, "\n 3  10.0.3.2  T ms\n"},
		{[]string{"--sport=40000", "-U", d4}, "\n 5  10.0.5.2  T ms  T ms  T ms\n"},
		{[]string{"--sport=40000", "-T", d6}, "\n 5  fd00:5::2  T ms  T ms  T ms\n"},
		{[]string{"--fwmark=7", "-m", "2", "-w", "0.5", d4}, "\n 1  10.0.1.2  T ms  T ms  T ms\n 2  * * *\n"},
		{[]string{"--fwmark=0x7", "-m", "2", "-w", "0.5", "-T", d6}, "\n 2  * * *\n"},
		{[]string{"--fwmark=7", "-m", "2", "-w", "0.5", "-I", d4}, "\n 2  * * *\n"},
		{[]string{"--fwmark=7", "-m", "2", "-w", "0.5", "-U", d6}, "\n 2  * * *\n"},
		{[]string{"--fwmark=8", "-m", "2", d4}, "\n 2  10.0.2.2  T ms"},
		// Refused at home, -I files the refusal under its first probe
		// only; -T takes no answer from loopback for 0.0.0.0 or ::.
		{[]string{"-I", "-F", d6, "3000"}, "\n 1  *  T ms !F-1500 * *\n"},
		{[]string{"-I", "-F", d4, "3000"}, "\n 1  *  T ms !F-1500 * *\n"},
		{[]string{"-T", "-m", "2", "-w", "0.3", "::"}, "\n 2  * * *\n"},
		{[]string{"-T", "-m", "2", "-w", "0.3", "0.0.0.0"}, "\n 1  * * *\n"},
		{[]string{"-M", "raw", d4}, "\n 5  10.0.5.2  T ms !P  T ms !P  T ms !P\n"},
		{[]string{"-P", "253", d6}, "\n 5  fd00:5::2  T ms !<4-1>"},
		{[]string{"-P", "gre", "-m", "2", d4}, "\n 2  10.0.2.2  T ms"},
		{[]string{"-M", "raw", "-p", "47", "-m", "2", d6}, "\n 2  fd00:2::2  T ms"},
		{[]string{"-P", "47", "-F", d4, "3000"}, "\n 1  *  T ms !F-1500 *  T ms !F-1500 *  T ms !F-1500\n"},
		{[]string{"-M", "raw", "-m", "2", "-w", "0.2", d4, "0"}, "\n 2  * * *\n"},
		{[]string{"-M", "icmp", d6}, "\n 5  fd00:5::2  T ms"},
		{[]string{"-M", "foo", d4}, ""},
		{[]string{"-P", "0", d4}, ""},
		{[]string{"-P", "0x0", d6}, ""},
		// Routers here drop source-routed packets, as most do.
		{[]string{"-g", c.Addr4[2], "-m", "2", "-w", "0.3", d4}, "72 byte packets\n 1  * * *\n"},
		{[]string{"-g", c.Addr4[2] + "," + c.Addr4[3], "-I", "-m", "1", "-w", "0.3", d4}, "76 byte packets\n 1  * * *\n"},
		{[]string{"-g", c.Addr6[2], "-m", "2", d6}, "104 byte packets"},
		{[]string{"-g", "1,2,3,4,5,6,7,8,9", d4}, ""},
		{[]string{"-q", "1", "-m", "1", "dual"}, "traceroute to dual (" + d4 + ")"},
		{[]string{"-q", "1", "-m", "1", "dual6first"}, "traceroute to dual6first (" + d4 + ")"},
		{[]string{"-q", "1", "-m", "1", "-6", "dual"}, "traceroute to dual (" + d6 + ")"},
	}
	for _, tc := range cases {
		args := tc.args
		if !slices.Contains(args, "-w") {
			// MAX alone, up to 1 s for each probe's own answer: HERE and
			// NEAR of 100 (0.1 s) gave up on answers a busy machine
			// delayed, one tool showing a '*' the other did not.
			args = append([]string{"-w", "1"}, args...)
		}
		// A busy machine may delay one answer past a wait in either
		// tool: a mismatch is run again once, both tools, before it counts.
		var got, want result
		var gotOut, wantOut string
		same := false
		for try := 0; try < 2 && !same; try++ {
			want = peerTracerouteRun(t, h1, args...)
			got = nsdiag(t, append([]string{"trace", "-n", h1.Name}, args...)...)
			gotOut, wantOut = maskTimes(got.stdout), maskTimes(want.stdout)
			same = gotOut == wantOut && got.code == want.code && (want.code != 0) == (got.stderr != "")
		}
		if !same || !strings.Contains(gotOut, tc.want) {
			t.Errorf("nsdiag trace %v: exit %d\n%s%s\ntraceroute -n %v: exit %d\n%s%s", args, got.code, gotOut, got.stderr, args, want.code, wantOut, want.stderr)
		}
	}
}

func TestParseWait(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"5.0,3,10", "{5s 3 10}", true},
		// A factor left out is off (-1), as traceroute reads it.
		{"2", "{2s -1 -1}", true},
		{"2,5", "{2s 5 -1}", true},
		{"1/2/3", "{1s 2 3}", true},
		{"0", "{1ns -1 -1}", true},
		{"5,,10", "", false},
		{"", "", false},
		{"1,2,3,4", "", false},
		{"-1", "", false},
	} {
		w, err := parseWait(tc.in)
		if (err == nil) != tc.ok || (tc.ok && fmt.Sprint(w) != tc.want) {
			t.Errorf("parseWait(%q) = %v, %v; want %s (ok %v)", tc.in, w, err, tc.want, tc.ok)
		}
	}
}

func TestTraceVersion(t *testing.T) {
	for _, flag := range []string{"-V", "--version"} {
		r := nsdiag(t, "trace", flag)
		if r.code != 0 || r.stdout != "Modern traceroute for Linux from nsdiag, version "+version+"\n" || r.stderr != "" {
			t.Errorf("nsdiag trace %s: exit %d, stdout %q, stderr %q", flag, r.code, r.stdout, r.stderr)
		}
	}
}

// TestTraceNameServerUnreachable: with a name server behind a router that
// answers "network unreachable", traceroute (glibc) gives up at once;
// nsdiag must not wait out the resolver's timeout either.
func TestTraceNameServerUnreachable(t *testing.T) {
	c := traceLab(t)
	h1 := c.H1()
	// r1 rejects what it would forward there with a filter rule: its own
	// "no route" errors are rate limited host-wide (route.error_cost),
	// which back-to-back runs would exhaust.
	netnstest.Route(t, h1, "10.0.9.0/24 via "+c.Addr4[1])
	netnstest.Route(t, c.Nodes[1], "10.0.9.0/24 via "+c.Addr4[2])
	nft(t, c.Nodes[1], "table inet ns {\n chain f { type filter hook forward priority 0; ip daddr 10.0.9.0/24 reject with icmp type net-unreachable; }\n}\n")
	dir := filepath.Join("/etc/netns", h1.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "resolv.conf"), []byte("nameserver 10.0.9.9\noptions timeout:5 attempts:2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := peerTracerouteRun(t, h1, "nosuch.invalid")
	began := time.Now()
	got := nsdiag(t, "trace", "-n", h1.Name, "nosuch.invalid")
	took := time.Since(began)
	if got.code != 2 || want.code != 2 || got.stdout != "" || !strings.Contains(got.stderr, "nosuch.invalid: Temporary failure in name resolution") {
		t.Errorf("nsdiag: exit %d, stdout %q, stderr %q; traceroute: exit %d, stderr %q", got.code, got.stdout, got.stderr, want.code, want.stderr)
	}
	if took > 4*time.Second {
		t.Errorf("took %v: an unreachable name server should fail at once, not after the 5 s timeout (%s)", took, got.stderr)
	}
}

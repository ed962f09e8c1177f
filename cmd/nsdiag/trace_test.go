package main

import (
	"encoding/json"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/internal/netnstest"
	"github.com/nsdiag/nsdiag/nsexec"
)

// traceLab is a chain h1 - r1..r4 - h2 with ICMP rate limits off and
// IPv6 addresses past duplicate address detection, so back-to-back runs
// of nsdiag and traceroute see the same answers.
func traceLab(t *testing.T) *netnstest.Chain {
	t.Helper()
	c := netnstest.NewChain(t, 4)
	for _, ns := range c.Nodes {
		netnstest.Sysctl(t, ns, "net.ipv4.icmp_ratelimit", "0")
		netnstest.Sysctl(t, ns, "net.ipv6.icmp.ratelimit", "0")
		netnstest.Sysctl(t, ns, "net.ipv4.icmp_msgs_per_sec", "100000")
		netnstest.Sysctl(t, ns, "net.ipv4.icmp_msgs_burst", "10000")
	}
	for _, ns := range c.Nodes {
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			out, err := exec.Command("ip", "-n", ns.Name, "-6", "addr", "show", "tentative").Output()
			if err != nil || len(strings.TrimSpace(string(out))) == 0 || time.Now().After(deadline) {
				break
			}
		}
	}
	return c
}

var rttRE = regexp.MustCompile(`\d+\.\d{3} ms`)

// maskTimes hides round-trip times, the one part of traceroute's output
// that differs run to run.
func maskTimes(s string) string { return rttRE.ReplaceAllString(s, "T ms") }

func peerTraceroute(t *testing.T, ns nsexec.Target, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns.Name, "traceroute", "-n"}, args...)...).Output()
	if err != nil {
		t.Fatalf("traceroute %v: %v", args, err)
	}
	return string(out)
}

func TestTraceOutputMatchesTraceroute(t *testing.T) {
	// Its own lab, and mostly spent waiting on the two tools: beside the
	// other parallel tests rather than before them.
	t.Parallel()
	c := traceLab(t)
	h1 := c.H1().Name
	cases := [][]string{
		{c.Dest4()}, {"-I", c.Dest4()}, {"-T", c.Dest4()},
		{c.Dest6()}, {"-I", c.Dest6()}, {"-T", c.Dest6()},
		{"-q", "1", "-f", "2", c.Dest4()}, {"-m", "3", c.Dest4()}, {c.Dest4(), "100"},
		{"-I", c.Dest6(), "10"}, {"-T", c.Dest4(), "100"}, {"-N", "1", "-z", "20", c.Dest6()},
		{c.Dest4(), "3000"}, {"-I", c.Dest6(), "3000"},
		{"-U", c.Dest4()}, {"-U", "-p", "33000", c.Dest6()}, {"-t", "16", c.Dest4()},
		{"-s", c.Addr4[0], c.Dest4()}, {"-i", c.Right[0], "-T", c.Dest6()}, {"-e", c.Dest4()},
		{c.Dest4(), "0"}, {"-I", c.Dest6(), "0"}, {"0.0.0.0"}, {"-I", "::"},
		{"-p", "65535", c.Dest4()}, {"-I", "-p", "65535", c.Dest6()}, {"-T", "-p", "65616", c.Dest4()},
		{"-U", c.Dest4(), "28"}, {"-U", c.Dest6(), "0"}, {"-IF", c.Dest4(), "1500"},
	}
	for _, args := range cases {
		// -w MAX alone: no HERE or NEAR factor, each probe waits up to
		// 1 s for its own answer. Factors times round trips of tens of
		// microseconds (even 100 times, 5 ms) give up on answers a
		// loaded machine's softirqs delay, and each tool would show its
		// own spurious "*" (seen with -w 5,100,100). Only the probes no
		// one answers (three cases) cost the second.
		args = append([]string{"-w", "1"}, args...)
		want := maskTimes(peerTraceroute(t, c.H1(), args...))
		got := maskTimes(ok(t, append([]string{"trace", "-n", h1}, args...)...))
		if got != want {
			t.Errorf("nsdiag trace %v:\n%s\ntraceroute -n %v:\n%s", args, got, args, want)
		}
	}
	// A service answering at the destination ends the trace there, with
	// -U and with the default ports alike.
	udpService(t, c.H2(), "udp4", c.Dest4()+":53")
	udpService(t, c.H2(), "udp6", "["+c.Dest6()+"]:33435")
	for _, args := range [][]string{{"-U", c.Dest4()}, {"-q", "1", "-p", "53", c.Dest4()}, {c.Dest6()}} {
		args = append([]string{"-w", "1", "-m", "7"}, args...)
		want := maskTimes(peerTraceroute(t, c.H1(), args...))
		got := maskTimes(ok(t, append([]string{"trace", "-n", h1}, args...)...))
		if got != want || strings.Contains(got, "\n 6 ") {
			t.Errorf("UDP service, nsdiag trace %v:\n%s\ntraceroute -n %v:\n%s", args, got, args, want)
		}
	}
	// A router that drops its own Time Exceeded shows as "* * *" and the
	// trace goes on past it, as with traceroute.
	cmd := exec.Command("ip", "netns", "exec", c.Nodes[2].Name, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader("table inet silent {\n chain out {\n type filter hook output priority 0;\n icmp type time-exceeded drop\n icmpv6 type time-exceeded drop\n }\n}\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nft: %v\n%s", err, out)
	}
	for _, dest := range []string{c.Dest4(), c.Dest6()} {
		want := maskTimes(peerTraceroute(t, c.H1(), "-w", "1", dest))
		got := maskTimes(ok(t, "trace", "-n", h1, "-w", "1", dest))
		if got != want || !strings.Contains(got, "\n 2  * * *\n") {
			t.Errorf("silent router, nsdiag:\n%s\ntraceroute:\n%s", got, want)
		}
	}
	// r4 rewrites 10.0.8.1 to h2 without keeping state, so h2's echo
	// replies come from another address than the one traced: traceroute
	// -I takes none of them (nor r4's Time Exceeded, which quotes h2).
	for i := 0; i < 4; i++ {
		netnstest.Route(t, c.Nodes[i], "10.0.8.0/24 via "+c.Addr4[i+1])
	}
	cmd = exec.Command("ip", "netns", "exec", c.Nodes[4].Name, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader("table ip rewrite {\n chain pre {\n type filter hook prerouting priority -300;\n ip daddr 10.0.8.1 ip daddr set " + c.Dest4() + "\n }\n}\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nft: %v\n%s", err, out)
	}
	args := []string{"-I", "-m", "6", "-w", "2", "10.0.8.1"}
	want := maskTimes(peerTraceroute(t, c.H1(), args...))
	got := maskTimes(ok(t, append([]string{"trace", "-n", h1}, args...)...))
	if got != want || !strings.HasSuffix(got, "\n 6  * * *\n") {
		t.Errorf("echo replies from another address, nsdiag:\n%s\ntraceroute:\n%s", got, want)
	}
	// -F on a path narrowed to 1400 bytes after r3: r3 answers the
	// longer probes "!F-1400"; one longer than h1's own 1500-byte link is
	// refused at home, which traceroute shows as " *  T ms !F-1500".
	narrowR3R4(t, c)
	for _, args := range [][]string{
		{"-F", c.Dest4(), "1500"}, {"-F", "-I", c.Dest6(), "1500"}, {"-F", "-U", c.Dest4(), "1501"}, {"-F", c.Dest6(), "3000"},
	} {
		args = append([]string{"-w", "1"}, args...)
		want := maskTimes(peerTraceroute(t, c.H1(), args...))
		got := maskTimes(ok(t, append([]string{"trace", "-n", h1}, args...)...))
		if got != want || !strings.Contains(got, "!F-1") {
			t.Errorf("nsdiag trace %v:\n%s\ntraceroute -n %v:\n%s", args, got, args, want)
		}
	}
}

// udpService answers every datagram to addr in ns with one byte, until
// the test ends.
func udpService(t *testing.T, ns nsexec.Target, network, addr string) {
	t.Helper()
	var pc net.PacketConn
	err := nsexec.Do(ns, func() (err error) {
		pc, err = net.ListenPacket(network, addr)
		return err
	})
	if err != nil {
		t.Fatalf("UDP service on %s: %v", addr, err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 65536)
		for {
			_, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo([]byte{'x'}, from)
		}
	}()
}

func TestTraceReportAndJSON(t *testing.T) {
	c := traceLab(t)
	h1 := c.H1().Name
	// -w 1: the default factors (3 and 10 times a round trip of
	// microseconds) would turn an answer a busy machine delays into loss.
	out := ok(t, "trace", "-n", h1, "-w", "1", "--report", "-c", "3", "--interval", "0.05", c.Dest4())
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 7 || !regexp.MustCompile(`^Start: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$`).MatchString(lines[0]) {
		t.Fatalf("report:\n%s", out)
	}
	if !regexp.MustCompile(`^HOST: .{27} Loss%   Snt   Last   Avg  Best  Wrst StDev$`).MatchString(lines[1]) {
		t.Errorf("header %q", lines[1])
	}
	for i, l := range lines[2:] {
		re := regexp.MustCompile(`^ +` + regexp.QuoteMeta(string(rune('1'+i))) + `\.\|-- ` + regexp.QuoteMeta(c.Addr4[i+1]) + ` +  0\.0%     3( +\d+\.\d){5}$`)
		if !re.MatchString(l) {
			t.Errorf("row %d %q", i+1, l)
		}
	}

	out = ok(t, "trace", "-n", h1, "-w", "1", "--json", "-q", "2", c.Dest6())
	var hops []struct {
		TTL    int `json:"ttl"`
		Probes []struct {
			Responder *string  `json:"responder"`
			RTT       *float64 `json:"rtt_ms"`
			Reached   bool     `json:"reached"`
		} `json:"probes"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var h struct {
			TTL    int `json:"ttl"`
			Probes []struct {
				Responder *string  `json:"responder"`
				RTT       *float64 `json:"rtt_ms"`
				Reached   bool     `json:"reached"`
			} `json:"probes"`
		}
		if err := dec.Decode(&h); err != nil {
			t.Fatalf("json: %v\n%s", err, out)
		}
		hops = append(hops, h)
	}
	if len(hops) != 5 || len(hops[4].Probes) != 2 || !hops[4].Probes[1].Reached || *hops[4].Probes[0].Responder != c.Dest6() {
		t.Errorf("json hops:\n%s", out)
	}

	out = ok(t, "trace", "-n", h1, "-w", "1", "--report", "--json", "-c", "2", "--interval", "0.05", c.Dest4())
	var rep struct {
		Report struct {
			MTR struct {
				Dst   string `json:"dst"`
				Tests int    `json:"tests"`
			} `json:"mtr"`
			Hubs []struct {
				Count int     `json:"count"`
				Host  string  `json:"host"`
				Loss  float64 `json:"Loss%"`
				Snt   int     `json:"Snt"`
				Best  float64 `json:"Best"`
				Wrst  float64 `json:"Wrst"`
			} `json:"hubs"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report json: %v\n%s", err, out)
	}
	if rep.Report.MTR.Tests != 2 || len(rep.Report.Hubs) != 5 || rep.Report.Hubs[4].Host != c.Dest4() || rep.Report.Hubs[4].Snt != 2 || rep.Report.Hubs[0].Count != 1 {
		t.Errorf("report json:\n%s", out)
	}
}

func TestTraceInterrupted(t *testing.T) {
	c := traceLab(t)
	// r1 forwards 10.0.7.0/24 to r2, which drops it silently: hop 1
	// answers, then nothing does and every probe waits the full 5 s.
	netnstest.Route(t, c.H1(), "10.0.7.0/24 via "+c.Addr4[1])
	netnstest.Route(t, c.Nodes[1], "10.0.7.0/24 via "+c.Addr4[2])
	if out, err := exec.Command("ip", "-n", c.Nodes[2].Name, "route", "add", "blackhole", "10.0.7.0/24").CombinedOutput(); err != nil {
		t.Fatalf("blackhole route: %v\n%s", err, out)
	}
	r := interrupt(t, helperCmd(t, "trace", "-n", c.H1().Name, "10.0.7.1"), "\n 1  "+c.Addr4[1]+"  ")
	if r.code != 130 || !strings.HasPrefix(r.stdout, "traceroute to 10.0.7.1 (10.0.7.1), 30 hops max, 60 byte packets\n 1  "+c.Addr4[1]+"  ") || !strings.HasSuffix(r.stdout, "\n") {
		t.Errorf("exit %d, output:\n%q\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestTraceUsageErrors(t *testing.T) {
	netnstest.RequireRoot(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trace"}, "missing HOST"},
		{[]string{"trace", "-m", "300", "127.0.0.1"}, "max hops cannot be more than 255"},
		{[]string{"trace", "-f", "40", "127.0.0.1"}, "first hop out of range"},
		{[]string{"trace", "-q", "11", "127.0.0.1"}, "no more than 10 probes per hop"},
		{[]string{"trace", "-w", "1,2,3,4", "127.0.0.1"}, "bad -w"},
		{[]string{"trace", "127.0.0.1", "70000"}, "too big packetlen 70000 specified"},
		{[]string{"trace", "127.0.0.1", "sixty"}, "bad packet length"},
		{[]string{"trace", "-I", "-T", "127.0.0.1"}, "-I, -T, -U, -M and -P exclude each other"},
		{[]string{"trace", "-M", "dccp", "127.0.0.1"}, "not supported"},
		{[]string{"trace", "-P", "nosuchproto", "127.0.0.1"}, "bad -P"},
		{[]string{"trace", "-s", "10.0.0.300", "127.0.0.1"}, "bad -s"},
		{[]string{"trace", "-s", "::1", "127.0.0.1"}, "IP version mismatch"},
		{[]string{"trace", "-m", "-1", "127.0.0.1"}, "max hops cannot be more than 255"},
		{[]string{"trace", "-6", "127.0.0.1"}, "127.0.0.1"},
		{[]string{"trace", "-n", "nsdt-no-such-ns", "127.0.0.1"}, "not found"},
	} {
		r := nsdiag(t, tc.args...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("nsdiag %v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// narrowR3R4 gives the chain's r3–r4 link an MTU of 1400, so probes longer
// than that are answered "Frag needed" by r3.
func narrowR3R4(t *testing.T, c *netnstest.Chain) {
	t.Helper()
	for _, l := range []struct {
		ns  nsexec.Target
		dev string
	}{{c.Nodes[3], c.Right[3]}, {c.Nodes[4], c.Left[4]}} {
		if out, err := exec.Command("ip", "-n", l.ns.Name, "link", "set", l.dev, "mtu", "1400").CombinedOutput(); err != nil {
			t.Fatalf("set mtu: %v\n%s", err, out)
		}
	}
}

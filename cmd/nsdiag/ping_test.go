package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nsdiag/nsdiag/icmp"
	"github.com/nsdiag/nsdiag/internal/netnstest"
)

func TestRTTText(t *testing.T) {
	cases := []struct {
		us   int64
		want string
	}{
		{0, "0.000"}, {45, "0.045"}, {999, "0.999"}, {1000, "1.00"}, {1234, "1.23"}, {1235, "1.24"},
		{9994, "9.99"}, {9995, "10.0"}, {15050, "15.1"}, {99949, "99.9"}, {99950, "100"}, {123456, "123"},
	}
	for _, c := range cases {
		if got := rttText(time.Duration(c.us) * time.Microsecond); got != c.want {
			t.Errorf("rttText(%dus) = %s, want %s", c.us, got, c.want)
		}
	}
}

func TestPingSummary(t *testing.T) {
	us := time.Microsecond
	cases := []struct {
		name  string
		s     icmp.Stats
		flood bool
		want  string
	}{
		{"issue example", icmp.Stats{Transmitted: 3, Received: 1, Errors: 1, Timed: true, Min: 45 * us, Avg: 45 * us, Max: 45 * us, Elapsed: 2003 * time.Millisecond},
			false, "3 packets transmitted, 1 received, +1 errors, 66.6667% packet loss, time 2003ms\nrtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms\n"},
		{"all lost", icmp.Stats{Transmitted: 2, Elapsed: 1001400 * us}, false, "2 packets transmitted, 0 received, 100% packet loss, time 1001ms\n\n"},
		{"duplicates", icmp.Stats{Transmitted: 4, Received: 4, Duplicates: 2, Timed: true, Min: 1500 * us, Avg: 2 * time.Millisecond, Max: 12345 * us, Mdev: 10 * us, Elapsed: 3 * time.Second},
			false, "4 packets transmitted, 4 received, +2 duplicates, 0% packet loss, time 3000ms\nrtt min/avg/max/mdev = 1.500/2.000/12.345/0.010 ms\n"},
		{"untimed", icmp.Stats{Transmitted: 1, Received: 1}, false, "1 packets transmitted, 1 received, 0% packet loss, time 0ms\n\n"},
		{"errors with pipe", icmp.Stats{Transmitted: 2, Errors: 2, Pipe: 2, Elapsed: 205 * time.Millisecond}, false, "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 205ms\npipe 2\n"},
		{"flood", icmp.Stats{Transmitted: 3, Received: 3, Timed: true, Min: 2 * us, Avg: 3 * us, Max: 4 * us, Mdev: 1 * us, EWMA: 3 * us, Pipe: 2, Elapsed: 60 * us},
			true, "3 packets transmitted, 3 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.002/0.003/0.004/0.001 ms, pipe 2, ipg/ewma 0.030/0.003 ms\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := "\n--- h ping statistics ---\n" + c.want
			if got := pingSummary("h", c.s, c.flood); got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestPingBadArguments(t *testing.T) {
	cases := []struct {
		args []string
		msg  string
		code int // iputils': 1 for a bad number or no destination, 2 for the rest
	}{
		// iputils' words first (its strtol_or_err, ping_strtod), then
		// the option and what to give.
		{[]string{"ping", "-c", "0", "127.0.0.1"}, "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807 (-c: ", 1},
		{[]string{"ping", "-c", "-1", "127.0.0.1"}, "ping: invalid argument: '-1': out of range: 1 <= value <= 9223372036854775807 (-c: ", 1},
		{[]string{"ping", "-c", "x", "127.0.0.1"}, "ping: invalid argument: 'x' (-c: ", 1},
		{[]string{"ping", "-c", "99999999999999999999", "127.0.0.1"}, "ping: invalid argument: '99999999999999999999': Numerical result out of range (-c: ", 1},
		{[]string{"ping", "-s", "-1", "127.0.0.1"}, "ping: invalid argument: '-1': out of range: 0 <= value <= 2147483647 (-s: ", 1},
		{[]string{"ping", "-t", "256", "127.0.0.1"}, "ping: invalid argument: '256': out of range: 0 <= value <= 255 (-t: ", 1},
		// Linux refuses an IPv4 TTL of 0 (IPv6 sends a hop limit of 0).
		{[]string{"ping", "-t", "0", "127.0.0.1"}, "ping: cannot set unicast time-to-live: Invalid argument", 2},
		{[]string{"ping", "-i", "soon", "127.0.0.1"}, "ping: bad timing interval: soon (-i: ", 1},
		{[]string{"ping", "-W", "0", "127.0.0.1"}, "ping: bad linger time: 0 (-W: ", 1},
		{[]string{"ping", "-W", "-1", "127.0.0.1"}, "ping: bad linger time: -1 (-W: ", 1},
		{[]string{"ping", "-w", "-1", "127.0.0.1"}, "ping: invalid argument: '-1': out of range: 0 <= value <= 2147483647 (-w: ", 1},
		{[]string{"ping", "-4", "-6", "127.0.0.1"}, "only one -4 or -6", 2},
		{[]string{"ping", "127.0.0.1", "-6"}, "Address family for hostname not supported", 2},
		{[]string{"ping"}, "Destination address required", 1},
		// Options are read before HOST is looked for, as iputils does.
		{[]string{"ping", "-c", "1", "-T", "127.0.0.1"}, "ping: invalid timestamp type: 127.0.0.1 (", 2},
		{[]string{"ping", "-c", "x"}, "ping: invalid argument: 'x' (-c: ", 1},
		{[]string{"ping", "-c", "1", "-T", "tsprespec", "127.0.0.1", "::1"}, "ping: ::1 is IPv6: -T tsprespec hops go with an IPv4 HOST", 2},
		{[]string{"ping", "-T", "tsprespec", "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "127.0.0.1"}, "up to four hops", 2},
		{[]string{"ping", "-c", "1", "127.0.0.2", "127.0.0.1"}, "one destination only", 2},
		{[]string{"ping", "-n", "nsdt-missing-" + netnstest.Suffix(6), "127.0.0.1"}, "not found; see nsdiag ns list", 2},
		{[]string{"ping", "-c", "1", "-I", "nosuchif0", "127.0.0.1"}, "ping: SO_BINDTODEVICE nosuchif0: No such device (", 2},
		{[]string{"ping", "-c", "1", "-I", "192.0.2.9", "127.0.0.1"}, "ping: bind: Cannot assign requested address (", 2},
		{[]string{"ping", "-c", "1", "127.255.255.255"}, "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules (", 2},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := nsdiag(t, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.msg) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", r.code, r.stdout, r.stderr, c.code, c.msg)
			}
		})
	}
}

func TestIntegrationPingNoRoute(t *testing.T) {
	ns := netnstest.NewNS(t, "noroute")
	r := nsdiag(t, "ping", "-n", ns.Name, "-c", "1", "10.9.9.9")
	want := "nsdiag: ping: connect: Network is unreachable (no route to 10.9.9.9 in netns"
	if r.code != 2 || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want exit 2 and one line starting %q", r.code, r.stderr, want)
	}
}

// Line kinds of ping's output; every line either side must be one.
var pingLineKinds = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"header", regexp.MustCompile(`^PING \S+ \([0-9.]+\) (from \S+ \S*: )?\d+\(\d+\) bytes of data\.$`)},
	{"header6", regexp.MustCompile(`^PING \S+\(\S+( \(\S+\))?\) (from \S+ \S*: )?\d+ data bytes$`)},
	{"reply", regexp.MustCompile(`^(\[\d+\.\d{6}\] )?\d+ bytes from \S+( \(\S+\))?: icmp_seq=\d+( ident=\d+)?( ttl=\d+)?( time=\d+(\.\d+)? ms)?( \(DUP!\))?\a?(\t\(same route\))?$`)},
	{"timestamps", regexp.MustCompile(`^(TS: )?\t([0-9.]+\t)?\d+( absolute)?( not-standard)?$`)},
	{"unrecorded", regexp.MustCompile(`^Unrecorded hops: \d+$`)},
	{"route", regexp.MustCompile(`^(RR: )?\t[0-9.]+( \(\S+\))?$`)},
	{"iphead", regexp.MustCompile(`^Vr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst Data$`)},
	{"ipdump", regexp.MustCompile(`^ [0-9a-f]  [0-9a-f]  [0-9a-f]{2} [0-9a-f]{4} [0-9a-f]{4}   [0-7] [0-9a-f]{4}  [0-9a-f]{2}  [0-9a-f]{2} [0-9a-f]{4} [0-9.]+  [0-9.]+ $`)},
	{"error", regexp.MustCompile(`^(\[\d+\.\d{6}\] )?From \S+ icmp_seq=\d+ [A-Z].*$`)},
	{"pattern", regexp.MustCompile(`^PATTERN: 0x[0-9a-f]*$`)},
	{"lookup", regexp.MustCompile(`^ai->ai_family: AF_INET6?, ai->ai_canonname: '.*'$`)},
	{"wrongdata", regexp.MustCompile(`^wrong data byte #\d+ should be 0x[0-9a-f]+ but was 0x[0-9a-f]+$`)},
	{"dump", regexp.MustCompile(`^#\d+\t([0-9a-f]+ )+\a?$`)},
	{"noanswer", regexp.MustCompile(`^(\[\d+\.\d{6}\] )?no answer yet for icmp_seq=\d+$`)},
	{"blank", regexp.MustCompile(`^$`)},
	{"flood", floodLineRE},
	{"title", regexp.MustCompile(`^--- \S+ ping statistics ---$`)},
	{"counts", regexp.MustCompile(`^\d+ packets transmitted, \d+ received(, \+\d+ duplicates)?(, \+\d+ errors)?, [0-9.]+% packet loss, time \d+ms$`)},
	{"rtt", regexp.MustCompile(`^(rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms)?(, )?(pipe \d+)?(, )?(ipg/ewma [0-9.]+/[0-9.]+ ms)?$`)},
}

// Timings differ between runs; everything else must not.
var pingVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`time=[0-9.]+ ms`), "time=T ms"},
	{regexp.MustCompile(`ident=\d+`), "ident=I"},
	// An IP header dump's identification and checksum differ per packet.
	{regexp.MustCompile(`^( [0-9a-f]  [0-9a-f]  [0-9a-f]{2} [0-9a-f]{4}) [0-9a-f]{4}(   [0-7] [0-9a-f]{4}  [0-9a-f]{2}  [0-9a-f]{2}) [0-9a-f]{4} `), "$1 ID$2 CK "},
	{regexp.MustCompile(`\t\d+( absolute)?( not-standard)?$`), "\tT$1$2"},
	{regexp.MustCompile(`time \d+ms`), "time Tms"},
	{regexp.MustCompile(`= [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms`), "= R ms"},
	{regexp.MustCompile(`ipg/ewma [0-9.]+/[0-9.]+ ms`), "ipg/ewma R ms"},
	{regexp.MustCompile(`^\[\d+\.\d{6}\] `), "[T] "},
}

// normalizePing checks every line's kind and blanks out timings.
func normalizePing(t *testing.T, who, out string) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		kind := ""
		for _, k := range pingLineKinds {
			if k.re.MatchString(l) {
				kind = k.kind
				break
			}
		}
		if kind == "" {
			t.Errorf("%s printed a line of no known kind: %q\n%s", who, l, out)
		}
		for _, v := range pingVolatile {
			l = v.re.ReplaceAllString(l, v.with)
		}
		lines = append(lines, l)
	}
	return lines
}

type pingRun struct {
	out, errOut string
	code        int
}

// iputilsPing runs the peer in ns with the same arguments.
func iputilsPing(ns string, args []string) pingRun {
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns, "ping"}, args...)...)
	// Warnings come on stderr of successful runs too.
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	r := pingRun{out: string(out)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	}
	r.errOut = errOut.String()
	return r
}

var fdRE = regexp.MustCompile(`fd: \d+ `)

// sameStderr wants one line from nsdiag for each of iputils' lines,
// starting with iputils' words; nsdiag may prefix "nsdiag: " and add a
// hint after them.
func sameStderr(ours, peer string) bool {
	// ping -v shows its sockets' descriptor numbers.
	ours, peer = fdRE.ReplaceAllString(ours, "fd: N"), fdRE.ReplaceAllString(peer, "fd: N")
	o := strings.Split(strings.TrimSuffix(ours, "\n"), "\n")
	p := strings.Split(strings.TrimSuffix(peer, "\n"), "\n")
	if len(o) != len(p) {
		return false
	}
	for i := range o {
		if !strings.HasPrefix(strings.TrimPrefix(o[i], "nsdiag: "), p[i]) {
			return false
		}
	}
	return true
}

// TestIntegrationPingGolden runs nsdiag ping and iputils ping side by side
// on the same labs and wants the same lines, timings aside, and the same
// exit status.
func TestIntegrationPingGolden(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	pair := netnstest.NewPair(t)
	deaf := netnstest.NewPair(t)
	netnstest.Sysctl(t, deaf.B, "net.ipv4.icmp_echo_ignore_all", "1")
	netnstest.Sysctl(t, deaf.B, "net.ipv6.icmp.echo_ignore_all", "1")
	chain := netnstest.NewChain(t, 1)
	// Both tools run every case at once, so the router sends h1 six ICMP
	// errors per family within moments: exactly the kernel's default
	// per-peer burst (6 tokens, then one a second for IPv4). One more
	// case and a tool would miss an error the other got.
	netnstest.Sysctl(t, chain.Nodes[1], "net.ipv4.icmp_ratelimit", "0")
	netnstest.Sysctl(t, chain.Nodes[1], "net.ipv6.icmp.ratelimit", "0")
	// dups.B sends every echo reply more than once (nftables dup on egress).
	dups := netnstest.NewPair(t)
	rule := fmt.Sprintf("table netdev tdup { chain c { type filter hook egress device %s priority 0; icmp type echo-reply dup to %s; }; }", dups.DevB, dups.DevB)
	if out, err := exec.Command("ip", "netns", "exec", dups.B.Name, "nft", rule).CombinedOutput(); err != nil {
		t.Fatalf("nft: %v %s", err, out)
	}
	// damage.B overwrites data byte 20 of every echo reply and leaves the
	// checksum wrong.
	damage := netnstest.NewPair(t)
	rule = fmt.Sprintf("table netdev tbad { chain c { type filter hook egress device %s priority 0; icmp type echo-reply @th,224,8 set 0x55; }; }", damage.DevB)
	if out, err := exec.Command("ip", "netns", "exec", damage.B.Name, "nft", rule).CombinedOutput(); err != nil {
		t.Fatalf("nft: %v %s", err, out)
	}
	// ll: a bare veth pair with only the kernel's link-local addresses
	// (no duplicate address detection, so they are usable at once).
	llA, llB := netnstest.NewNS(t, "lla"), netnstest.NewNS(t, "llb")
	netnstest.Sysctl(t, llA, "net.ipv6.conf.default.accept_dad", "0")
	netnstest.Sysctl(t, llB, "net.ipv6.conf.default.accept_dad", "0")
	llDevA, llDevB := netnstest.Veth(t, llA, llB)
	peerLL := linkLocal(t, llB.Name, llDevB)
	hostsDir := filepath.Join("/etc/netns", pair.A.Name)
	if err := os.MkdirAll(hostsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(hostsDir) })
	if err := os.WriteFile(filepath.Join(hostsDir, "hosts"), []byte("10.0.0.2 peer.lab peer\n10.0.0.1 me.lab\nfd00::2 peer6.lab peer6\n10.0.0.2 dual.lab dual\nfd00::2 dual.lab dual\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []pingCase{
		{"replies", pair.A.Name, []string{"-c", "3", "-i", "0.1", pair.B4}},
		{"options after host", pair.A.Name, []string{pair.B4, "-c", "2", "-i", "0.1"}},
		{"ipv6", pair.A.Name, []string{"-c", "2", "-i", "0.1", pair.B6}},
		{"host name from /etc/netns", pair.A.Name, []string{"-c", "2", "-i", "0.1", "peer"}},
		{"ipv6 host name", pair.A.Name, []string{"-c", "1", "peer6"}},
		// glibc's order: an IPv6 address (even a ULA) before IPv4.
		{"dual-stack host name", pair.A.Name, []string{"-c", "1", "DUAL"}},
		{"small packets are not timed", pair.A.Name, []string{"-c", "2", "-i", "0.1", "-s", "8", pair.B4}},
		{"no data", pair.A.Name, []string{"-c", "1", "-s", "0", pair.B4}},
		{"just timed", pair.A.Name, []string{"-c", "1", "-s", "16", pair.B6}},
		{"large packets", pair.A.Name, []string{"-c", "1", "-s", "1400", pair.B4}},
		{"quiet", pair.A.Name, []string{"-q", "-c", "3", "-i", "0.05", pair.B4}},
		{"timestamps", pair.A.Name, []string{"-D", "-c", "2", "-i", "0.1", pair.B4}},
		{"source interface", pair.A.Name, []string{"-c", "1", "-I", pair.DevA, pair.B4}},
		{"source address", pair.A.Name, []string{"-c", "1", "-I", pair.A4, pair.B4}},
		{"source interface and address", pair.A.Name, []string{"-c", "1", "-I", pair.DevA, "-I", pair.A4, pair.B4}},
		{"ttl", pair.A.Name, []string{"-c", "1", "-t", "7", pair.B4}},
		{"peer ignores echo", deaf.A.Name, []string{"-c", "2", "-i", "0.1", "-W", "0.3", deaf.B4}},
		{"peer ignores echo ipv6", deaf.A.Name, []string{"-c", "2", "-i", "0.1", "-W", "0.3", deaf.B6}},
		{"deadline", deaf.A.Name, []string{"-w", "1", "-i", "0.3", deaf.B4}},
		{"outstanding", deaf.A.Name, []string{"-O", "-c", "3", "-i", "0.1", "-W", "0.2", deaf.B4}},
		{"host unreachable on the link", pair.A.Name, []string{"-c", "2", "-i", "0.1", "10.0.0.99"}},
		// iputils has no pipe here: IPv6 errors are not acknowledged.
		{"address unreachable on the link", pair.A.Name, []string{"-c", "2", "-i", "0.1", "fd00::99"}},
		{"time to live exceeded", chain.H1().Name, []string{"-c", "2", "-i", "0.1", "-t", "1", chain.Dest4()}},
		{"hop limit exceeded", chain.H1().Name, []string{"-c", "2", "-i", "0.1", "-t", "1", chain.Dest6()}},
		{"host unreachable from the router", chain.H1().Name, []string{"-c", "1", "10.0.2.99"}},
		{"flood", pair.A.Name, []string{"-f", "-c", "5", pair.B4}},
		{"flood errors", pair.A.Name, []string{"-f", "-c", "3", "10.0.0.98"}},
		{"damaged replies", damage.A.Name, []string{"-c", "2", "-i", "0.1", damage.B4}},
		{"damaged replies, longer", damage.A.Name, []string{"-c", "1", "-s", "100", damage.B4}},
		{"duplicates", dups.A.Name, []string{"-c", "2", "-i", "0.1", dups.B4}},
		{"routed replies", chain.H1().Name, []string{"-c", "2", "-i", "0.1", chain.Dest4()}},
		// Sizes beyond what IP carries: accepted, and each send fails
		// with a local error counted among the errors.
		{"too large for ipv4", pair.A.Name, []string{"-c", "1", "-s", "65508", pair.B4}},
		{"largest ipv6", pair.A.Name, []string{"-c", "1", "-s", "65527", pair.B6}},
		{"too large for ipv6", pair.A.Name, []string{"-c", "1", "-s", "65528", pair.B6}},
		// -t 0: IPv6 sends a hop limit of 0, Linux refuses an IPv4 TTL of 0.
		{"hop limit 0", pair.A.Name, []string{"-c", "1", "-t", "0", pair.B6}},
		{"hop limit 0 routed", chain.H1().Name, []string{"-c", "1", "-t", "0", chain.Dest6()}},
		{"ttl 0", pair.A.Name, []string{"-c", "1", "-t", "0", pair.B4}},
		{"unknown interface", pair.A.Name, []string{"-c", "1", "-I", "nosuch0", pair.B4}},
		{"unknown zone", pair.A.Name, []string{"-c", "1", "fe80::1%nosuch0"}},
		{"source not local", pair.A.Name, []string{"-c", "1", "-I", "10.9.9.9", pair.B4}},
		{"source of the other family", pair.A.Name, []string{"-c", "1", "-I", pair.A6, pair.B4}},
		{"source off the device", pair.A.Name, []string{"-c", "1", "-W", "0.2", "-I", "lo", pair.B4}},
		{"this host", pair.A.Name, []string{"-c", "1", "0.0.0.0"}},
		{"this host ipv6", pair.A.Name, []string{"-c", "1", "::"}},
		{"broadcast", pair.A.Name, []string{"-c", "1", "10.0.0.255"}},
		{"name of the other family", pair.A.Name, []string{"-c", "1", "-6", "peer"}},
		{"network unreachable", pair.A.Name, []string{"-c", "1", "10.9.9.9"}},
		// A small send buffer, as iputils', makes a flood to a neighbour
		// that does not answer ARP go in bursts.
		{"flood to a dead neighbour", pair.A.Name, []string{"-f", "-c", "14", "10.0.0.97"}},
		// No route is asked for a link-local address: the kernel picks
		// the interface when there is no zone, and the header's source
		// stays :: with -I (iputils warns of it).
		{"link-local with a zone", llA.Name, []string{"-c", "1", peerLL + "%" + llDevA}},
		{"link-local with -I", llA.Name, []string{"-c", "1", "-I", llDevA, peerLL}},
		{"link-local without a zone", llA.Name, []string{"-c", "1", peerLL}},
		// Both hosts answer; the second is a duplicate, not marked.
		{"multicast", llA.Name, []string{"-c", "1", "ff02::1%" + llDevA}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			comparePing(t, c)
		})
	}
}

// pingCase is one golden comparison: the same arguments given to nsdiag
// ping and iputils ping in namespace ns.
type pingCase struct {
	name string
	ns   string
	args []string
}

// comparePing runs both tools at once and wants the same lines, timings
// aside, the same exit status and the same stderr lines. A case that
// differs runs once more: on a busy machine either tool can lose a flood's
// last reply (both wait only twice the longest round trip for it) and so
// print one reply fewer, which a second run does not repeat. A real
// difference does.
func comparePing(t *testing.T, c pingCase) {
	t.Helper()
	if msg := diffPing(t, c); msg != "" {
		t.Logf("first run differed, running again:\n%s", msg)
		if msg := diffPing(t, c); msg != "" {
			t.Error(msg)
		}
	}
}

// diffPing runs the case once and describes how the two tools differed,
// or returns "".
func diffPing(t *testing.T, c pingCase) string {
	t.Helper()
	var peer pingRun
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); peer = iputilsPing(c.ns, c.args) }()
	r := nsdiag(t, append([]string{"ping", "-n", c.ns}, c.args...)...)
	wg.Wait()
	got := normalizePing(t, "nsdiag", r.out())
	want := normalizePing(t, "iputils", peer.out)
	// A flood's interleaving of dots and backspaces, and so its pipe,
	// depend on timing; what each printed must not. So does how many
	// requests a preload or an adaptive run keeps in flight.
	if strings.HasPrefix(c.name, "flood") || strings.HasPrefix(c.name, "preload") || strings.HasPrefix(c.name, "adaptive") {
		got, want = floodShape(got), floodShape(want)
	}
	// How many go out before a deadline depends on the machine's load:
	// that count is compared apart, within one.
	if c.name == "deadline" {
		n1, n2 := transmitted(r.out()), transmitted(peer.out)
		if n1 < 0 || n2 < 0 || n1-n2 > 1 || n2-n1 > 1 {
			return fmt.Sprintf("transmitted %d by nsdiag, %d by iputils", n1, n2)
		}
		for i := range got {
			got[i] = txRE.ReplaceAllString(got[i], "N packets transmitted")
		}
		for i := range want {
			want[i] = txRE.ReplaceAllString(want[i], "N packets transmitted")
		}
	}
	// How many requests to a dead neighbour come back as errors depends
	// on how many the send buffer let into its queue before resolution
	// failed and how many went after (seen: +7 beside iputils' +6, +8
	// beside +11): each tool must report some, no more than it sent.
	if c.name == "flood to a dead neighbour" {
		e1, e2, n := errorCount(r.out()), errorCount(peer.out), transmitted(r.out())
		if e1 < 1 || e2 < 1 || e1 > n || e2 > n {
			return fmt.Sprintf("%d errors from nsdiag, %d from iputils, for %d requests", e1, e2, n)
		}
		for _, lines := range [][]string{got, want} {
			for i := range lines {
				lines[i] = errorsRE.ReplaceAllString(lines[i], "+N errors")
				lines[i] = floodErrorsRE.ReplaceAllString(lines[i], "backspaces=N E=N")
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || r.code != peer.code || !sameStderr(r.stderr, peer.errOut) {
		return fmt.Sprintf("ping %s in %s:\nnsdiag (exit %d):\n%s\niputils (exit %d):\n%s\nnsdiag stderr: %s\niputils stderr: %s",
			strings.Join(c.args, " "), c.ns, r.code, r.stdout, peer.code, peer.out, r.stderr, peer.errOut)
	}
	return ""
}

func (r result) out() string { return r.stdout }

// linkLocal waits for dev's link-local address in ns and returns it.
func linkLocal(t *testing.T, ns, dev string) string {
	t.Helper()
	re := regexp.MustCompile(`inet6 (fe80::[0-9a-f:]+)/64`)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out, err := exec.Command("ip", "-n", ns, "-6", "-o", "addr", "show", "dev", dev, "scope", "link").Output()
		if m := re.FindSubmatch(out); err == nil && m != nil {
			return string(m[1])
		}
		if time.Now().After(deadline) {
			t.Fatalf("no link-local address on %s in %s: %v %s", dev, ns, err, out)
		}
	}
}

// floodLineRE is a line of flood output: dots, backspaces, E and C.
var floodLineRE = regexp.MustCompile(`^[.\x08 EC\a]+$`)

var pipeRE = regexp.MustCompile(`pipe \d+(, )?`)

// floodShape counts each flood line's characters and drops the pipe size.
func floodShape(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case floodLineRE.MatchString(l):
			out[i] = fmt.Sprintf("dots=%d backspaces=%d E=%d C=%d bells=%d", strings.Count(l, "."), strings.Count(l, "\b"), strings.Count(l, "E"), strings.Count(l, "C"), strings.Count(l, "\a"))
		default:
			out[i] = pipeRE.ReplaceAllString(l, "")
		}
	}
	return out
}

var txRE = regexp.MustCompile(`^(\d+) packets transmitted`)

var (
	errorsRE      = regexp.MustCompile(`\+(\d+) errors`)
	floodErrorsRE = regexp.MustCompile(`backspaces=\d+ E=\d+`)
)

// errorCount reads the "+N errors" of ping's statistics, -1 if absent.
func errorCount(out string) int {
	m := errorsRE.FindStringSubmatch(out)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// transmitted reads the count from ping's statistics, -1 if absent.
func transmitted(out string) int {
	for _, l := range strings.Split(out, "\n") {
		if m := txRE.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return -1
}

func TestIntegrationPingTargets(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	p := netnstest.NewPair(t)
	sleep := exec.Command("ip", "netns", "exec", p.A.Name, "sleep", "30")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleep.Process.Kill(); sleep.Wait() })
	// ip netns exec enters the namespace before it execs sleep: wait
	// until the PID is in A.
	deadline := time.Now().Add(5 * time.Second)
	for {
		a, errA := os.Stat("/run/netns/" + p.A.Name)
		b, errB := os.Stat(fmt.Sprintf("/proc/%d/ns/net", sleep.Process.Pid))
		if errA == nil && errB == nil && os.SameFile(a, b) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sleep never entered the namespace")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, target := range []string{p.A.Name, fmt.Sprintf("pid:%d", sleep.Process.Pid), "/run/netns/" + p.A.Name} {
		t.Run(target, func(t *testing.T) {
			out := ok(t, "ping", "-n", target, "-c", "2", "-i", "0.05", p.B4)
			if !strings.Contains(out, "2 packets transmitted, 2 received, 0% packet loss") {
				t.Fatalf("ping -n %s:\n%s", target, out)
			}
		})
	}
}

// The unprivileged path: without CAP_NET_RAW, the datagram socket where
// ping_group_range allows it, else one line naming both ways out.
func TestIntegrationPingDatagram(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	if _, err := exec.LookPath("capsh"); err != nil {
		t.Skip("needs capsh (libcap2-bin) to drop CAP_NET_RAW")
	}
	p := netnstest.NewPair(t)
	noRaw := func(args ...string) result {
		raw, _ := json.Marshal(args)
		cmd := exec.Command("capsh", "--drop=cap_net_raw", "--", "-c", `exec "$0" -test.run='^TestNsdiagHelper$'`, os.Args[0])
		cmd.Env = append(os.Environ(), helperEnv+"="+string(raw))
		var r result
		out, err := cmd.Output()
		r.stdout = string(out)
		if ee, ok := err.(*exec.ExitError); ok {
			r.code, r.stderr = ee.ExitCode(), string(ee.Stderr)
		}
		return r
	}
	r := noRaw("ping", "-n", p.A.Name, "-c", "1", p.B4)
	if r.code != 2 || !strings.Contains(r.stderr, "CAP_NET_RAW") || !strings.Contains(r.stderr, "ping_group_range") {
		t.Fatalf("without CAP_NET_RAW or ping_group_range: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	netnstest.Sysctl(t, p.A, "net.ipv4.ping_group_range", "0 2147483647")
	r = noRaw("ping", "-n", p.A.Name, "-c", "2", "-i", "0.05", "--json", p.B4)
	if r.code != 0 {
		t.Fatalf("datagram ping: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var start, summary map[string]any
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		switch m["type"] {
		case "start":
			start = m
		case "summary":
			summary = m
		}
	}
	if start["socket"] != "datagram" || summary["received"] != 2.0 {
		t.Fatalf("want a datagram socket and 2 replies:\n%s", r.stdout)
	}
	r = noRaw("ping", "-n", p.A.Name, "-c", "1", "-i", "0.001", p.B4)
	if r.code != 2 || !strings.Contains(r.stderr, "minimal interval") {
		t.Fatalf("-i 0.001 without CAP_NET_RAW: exit %d\n%s", r.code, r.stderr)
	}
}

func TestIntegrationPingInterrupt(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	p := netnstest.NewPair(t)
	r := interrupt(t, helperCmd(t, "ping", "-n", p.A.Name, "-i", "0.05", p.B4), "icmp_seq=3 ")
	if r.code != 0 || !strings.Contains(r.stdout, "--- 10.0.0.2 ping statistics ---") || !regexp.MustCompile(`\n\d+ packets transmitted, \d+ received`).MatchString(r.stdout) {
		t.Fatalf("after SIGINT: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	deaf := netnstest.NewPair(t)
	netnstest.Sysctl(t, deaf.B, "net.ipv4.icmp_echo_ignore_all", "1")
	r = interrupt(t, helperCmd(t, "ping", "-n", deaf.A.Name, "-O", "-i", "0.05", deaf.B4), "icmp_seq=2")
	if r.code != 1 || !strings.Contains(r.stdout, " 0 received, 100% packet loss") {
		t.Fatalf("after SIGINT with no replies: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestIntegrationPingJSON(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	c := netnstest.NewChain(t, 1)
	r := nsdiag(t, "ping", "-n", c.H1().Name, "--json", "-c", "2", "-i", "0.05", "-t", "1", c.Dest4())
	if r.code != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var types []string
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		types = append(types, m["type"].(string))
		if m["type"] == "icmp_error" && (m["from"] != c.Addr4[1] || m["text"] != "Time to live exceeded") {
			t.Fatalf("error event %v", m)
		}
	}
	if strings.Join(types, ",") != "start,icmp_error,icmp_error,summary" {
		t.Fatalf("event types %v", types)
	}
}

// Ctrl-\ (SIGQUIT) prints the statistics so far on stderr and goes on.
func TestIntegrationPingStatusSignal(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	p := netnstest.NewPair(t)
	cmd := helperCmd(t, "ping", "-n", p.A.Name, "-i", "0.05", p.B4)
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor := func(b *syncBuffer, re *regexp.Regexp) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !re.MatchString(b.String()); {
			if time.Now().After(deadline) {
				t.Fatalf("no %s in:\n%s\nstderr:\n%s", re, out.String(), errb.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(&out, regexp.MustCompile(`icmp_seq=2 `))
	cmd.Process.Signal(syscall.SIGQUIT)
	waitFor(&errb, regexp.MustCompile(`^\r\d+/\d+ packets, \d+% loss, min/avg/ewma/max = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms\n$`))
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if err != nil || !strings.Contains(out.String(), "ping statistics") {
		t.Fatalf("after SIGQUIT then SIGINT: %v\n%s", err, out.String())
	}
}

// Exit status 1 when fewer replies than -c came before the -w deadline,
// and the summary on SIGTERM as on SIGINT.
func TestIntegrationPingDeadlineAndTerm(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	p := netnstest.NewPair(t)
	r := nsdiag(t, "ping", "-n", p.A.Name, "-c", "10", "-w", "1", "-i", "0.3", p.B4)
	// Four go out at 0, 0.3, 0.6 and 0.9 s (fewer if the machine is
	// busy); the last reply may still be unread when the deadline comes.
	tx, rx := -1, -1
	if m := regexp.MustCompile(`\n(\d+) packets transmitted, (\d+) received, `).FindStringSubmatch(r.stdout); m != nil {
		tx, _ = strconv.Atoi(m[1])
		rx, _ = strconv.Atoi(m[2])
	}
	if r.code != 1 || tx < 2 || tx > 5 || rx != tx && rx != tx-1 {
		t.Fatalf("-c 10 -w 1: exit %d (want 1)\n%s%s", r.code, r.stdout, r.stderr)
	}
	cmd := helperCmd(t, "ping", "-n", p.A.Name, "-i", "0.05", p.B4)
	var out syncBuffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "icmp_seq=2 "); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no replies:\n%s", out.String())
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil || !strings.Contains(out.String(), "--- 10.0.0.2 ping statistics ---") {
		t.Fatalf("after SIGTERM: %v\n%s", err, out.String())
	}
}

package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationPingOptionsGolden compares iputils' less common options
// (-p -l -A -Q -M -e -m -a -U -L -r -B -b -R -T -v) with iputils ping on the same
// labs. Where an option leaves no trace in the output, the lab makes it
// decide whether replies come: picky.B answers only requests with the TOS
// 0x28 (DSCP AF11) or the identifier 4660, picky.A drops requests marked 9.
func TestIntegrationPingOptionsGolden(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	pair := netnstest.NewPair(t)
	deaf := netnstest.NewPair(t)
	netnstest.Sysctl(t, deaf.B, "net.ipv4.icmp_echo_ignore_all", "1")
	damage := netnstest.NewPair(t)
	pingNft(t, damage.B.Name, fmt.Sprintf("table netdev tbad { chain c { type filter hook egress device %s priority 0; icmp type echo-reply @th,224,8 set 0x55; }; }", damage.DevB))
	picky := netnstest.NewPair(t)
	pingNft(t, picky.B.Name, "table inet tpick { chain i { type filter hook input priority 0; "+
		"icmp type echo-request ip dscp != af11 icmp id != 4660 drop; "+
		"icmpv6 type echo-request ip6 dscp != af11 drop; }; }")
	pingNft(t, picky.A.Name, "table inet tmark { chain o { type filter hook output priority 0; meta mark 9 drop; }; }")
	// picky.A answers broadcasts and multicasts (to itself), picky.B
	// ignores them, as by default; 10.5.0.0/24 lies behind picky.B.
	netnstest.Sysctl(t, picky.A, "net.ipv4.icmp_echo_ignore_broadcasts", "0")
	netnstest.Route(t, picky.A, "10.5.0.0/24 via "+picky.B4)
	chain := netnstest.NewChain(t, 1)

	cases := []pingCase{
		// -p: the PATTERN line, the pattern repeated in the data bytes,
		// and checked in the replies.
		{"pattern", pair.A.Name, []string{"-c", "2", "-i", "0.1", "-p", "ff", pair.B4}},
		{"pattern of three digits", pair.A.Name, []string{"-c", "1", "-s", "20", "-p", "abc", pair.B4}},
		{"pattern longer than 16 bytes", pair.A.Name, []string{"-c", "1", "-p", "0102030405060708090a0b0c0d0e0f1011", pair.B4}},
		{"empty pattern", pair.A.Name, []string{"-c", "1", "-p", "", pair.B4}},
		{"pattern quiet", pair.A.Name, []string{"-q", "-c", "1", "-p", "ab", pair.B4}},
		{"pattern ipv6", pair.A.Name, []string{"-c", "1", "-p", "5a", pair.B6}},
		{"pattern untimed", pair.A.Name, []string{"-c", "1", "-s", "8", "-p", "12", pair.B4}},
		{"pattern damaged replies", damage.A.Name, []string{"-c", "1", "-s", "100", "-p", "0f", damage.B4}},
		{"pattern not hex", pair.A.Name, []string{"-c", "1", "-p", "abxyz", pair.B4}},
		{"pattern with 0x", pair.A.Name, []string{"-c", "1", "-p", "0x12", pair.B4}},
		// -l: requests at once, then kept in flight; how many were in
		// flight is timing (floodShape drops the pipe).
		{"preload", pair.A.Name, []string{"-c", "3", "-l", "3", pair.B4}},
		{"preload flood", pair.A.Name, []string{"-f", "-c", "6", "-l", "3", pair.B4}},
		{"preload unanswered", deaf.A.Name, []string{"-c", "3", "-l", "3", "-W", "0.3", deaf.B4}},
		{"preload beyond the receive buffer", pair.A.Name, []string{"-q", "-c", "2", "-l", "2000", pair.B4}},
		{"preload 0", pair.A.Name, []string{"-c", "1", "-l", "0", pair.B4}},
		{"preload too large", pair.A.Name, []string{"-c", "1", "-l", "65537", pair.B4}},
		// -A: the interval follows the RTT (below 1 ms: none), and the
		// summary has ipg/ewma.
		{"adaptive", pair.A.Name, []string{"-c", "5", "-A", pair.B4}},
		{"adaptive ipv6", pair.A.Name, []string{"-c", "3", "-A", pair.B6}},
		// -Q: picky.B answers TOS 0x28 only (or identifier 4660).
		{"tos hex", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-Q", "0x28", picky.B4}},
		{"tos decimal", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-Q", "40", picky.B4}},
		{"tos other", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-Q", "0x10", picky.B4}},
		{"traffic class", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-Q", "0x28", picky.B6}},
		{"no tos", picky.A.Name, []string{"-c", "1", "-W", "0.3", picky.B4}},
		{"tos too large", pair.A.Name, []string{"-c", "1", "-Q", "256", pair.B4}},
		{"tos overflowing", pair.A.Name, []string{"-c", "1", "-Q", "99999999999", pair.B4}},
		{"tos not a number", pair.A.Name, []string{"-c", "1", "-Q", "0xzz", pair.B4}},
		{"tos negative", pair.A.Name, []string{"-c", "1", "-Q", "-2", pair.B4}},
		{"tos negative ipv4 only", pair.A.Name, []string{"-4", "-c", "1", "-Q", "-2", pair.B4}},
		// -M: what does not fit the link's MTU fails locally with do.
		{"pmtu do", pair.A.Name, []string{"-c", "2", "-i", "0.1", "-M", "do", "-s", "2000", pair.B4}},
		{"pmtu do ipv6", pair.A.Name, []string{"-c", "1", "-M", "do", "-s", "2000", pair.B6}},
		{"pmtu dont", pair.A.Name, []string{"-c", "1", "-M", "dont", "-s", "2000", pair.B4}},
		{"pmtu want ipv6", pair.A.Name, []string{"-c", "1", "-M", "want", "-s", "2000", pair.B6}},
		{"pmtu probe", pair.A.Name, []string{"-c", "1", "-M", "probe", pair.B4}},
		// -e: picky.B answers identifier 4660.
		{"identifier", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-e", "4660", picky.B4}},
		{"identifier out of range", pair.A.Name, []string{"-c", "1", "-e", "70000", pair.B4}},
		{"identifier in hex", pair.A.Name, []string{"-c", "1", "-e", "0x10", pair.B4}},
		// -m: picky.A drops what is marked 9; a refused send prints
		// nothing in iputils 20221126.
		{"mark dropped", picky.A.Name, []string{"-c", "2", "-i", "0.1", "-W", "0.3", "-Q", "0x28", "-m", "9", picky.B4}},
		{"mark passed", picky.A.Name, []string{"-c", "1", "-Q", "0x28", "-m", "7", picky.B4}},
		{"mark negative", pair.A.Name, []string{"-c", "1", "-m", "-1", pair.B4}},
		// -a, -U, -B.
		{"audible", pair.A.Name, []string{"-c", "2", "-i", "0.1", "-a", pair.B4}},
		{"flood audible", pair.A.Name, []string{"-f", "-c", "3", "-a", pair.B4}},
		{"user latency", pair.A.Name, []string{"-c", "1", "-U", pair.B6}},
		{"strict source", pair.A.Name, []string{"-c", "1", "-B", pair.B4}},
		// -L: picky.A answers its own multicast requests unless they
		// stay off the loopback.
		{"multicast ipv4", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-I", picky.DevA, "224.0.0.1"}},
		{"multicast no loop", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-L", "-I", picky.DevA, "224.0.0.1"}},
		// -r: a host behind a gateway is out of reach.
		{"dont route", picky.A.Name, []string{"-c", "1", "-W", "0.3", "-r", "10.5.0.1"}},
		{"dont route on link", pair.A.Name, []string{"-c", "1", "-r", pair.B4}},
		// -b: picky.A answers its own broadcast.
		{"broadcast allowed", picky.A.Name, []string{"-c", "2", "-i", "0.1", "-b", "10.0.0.255"}},
		{"broadcast flag on unicast", pair.A.Name, []string{"-c", "1", "-b", pair.B4}},
		// -R: the router and the destination record their addresses;
		// a route seen before is "(same route)".
		{"record route", pair.A.Name, []string{"-c", "3", "-i", "0.1", "-R", pair.B4}},
		{"record route routed", chain.H1().Name, []string{"-c", "2", "-i", "0.1", "-R", chain.Dest4()}},
		{"record route untimed", pair.A.Name, []string{"-c", "1", "-s", "8", "-R", pair.B4}},
		{"record route quiet", pair.A.Name, []string{"-q", "-c", "1", "-R", pair.B4}},
		{"record route ipv6", pair.A.Name, []string{"-c", "1", "-R", pair.B6}},
		{"flood record route", pair.A.Name, []string{"-f", "-c", "2", "-R", pair.B4}},
		// -T: hosts and the router stamp requests and replies (the
		// stamps themselves are masked).
		{"timestamps only", pair.A.Name, []string{"-c", "2", "-i", "0.1", "-T", "tsonly", pair.B4}},
		{"timestamps and addresses routed", chain.H1().Name, []string{"-c", "1", "-T", "tsandaddr", chain.Dest4()}},
		{"timestamps only routed", chain.H1().Name, []string{"-c", "1", "-T", "tsonly", chain.Dest4()}},
		{"timestamps prespecified", pair.A.Name, []string{"-c", "1", "-T", "tsprespec", pair.B4}},
		{"timestamps of prespecified hops", chain.H1().Name, []string{"-c", "1", "-T", "tsprespec", chain.Addr4[1], chain.Dest4(), chain.Dest4()}},
		{"timestamps of a prespecified hop off the path", pair.A.Name, []string{"-c", "2", "-i", "0.1", "-T", "tsprespec", "10.0.0.99", pair.B4}},
		{"timestamps ipv6", pair.A.Name, []string{"-c", "1", "-T", "tsonly", pair.B6}},
		{"timestamps bad type", pair.A.Name, []string{"-c", "1", "-T", "tsall", pair.B4}},
		{"timestamps and record route", pair.A.Name, []string{"-c", "1", "-R", "-T", "tsonly", pair.B4}},
		// -v: the socket (descriptor numbers masked) and the lookup, and
		// a raw socket's identifier in each reply.
		{"verbose", pair.A.Name, []string{"-v", "-4", "-c", "2", "-i", "0.1", pair.B4}},
		{"verbose ipv6", pair.A.Name, []string{"-v", "-6", "-c", "1", pair.B6}},
		{"verbose errors", pair.A.Name, []string{"-v", "-4", "-c", "1", "10.0.0.99"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			comparePing(t, c)
		})
	}
}

func pingNft(t *testing.T, ns, rule string) {
	t.Helper()
	if out, err := exec.Command("ip", "netns", "exec", ns, "nft", rule).CombinedOutput(); err != nil {
		t.Fatalf("nft in %s: %v %s", ns, err, out)
	}
}

var elapsedRE = regexp.MustCompile(`, time (\d+)ms\n`)

// A preload goes at once: three requests take no interval, where three
// without it take two seconds.
func TestIntegrationPingPreloadAtOnce(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	p := netnstest.NewPair(t)
	r := nsdiag(t, "ping", "-n", p.A.Name, "-q", "-c", "3", "-l", "3", p.B4)
	m := elapsedRE.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if ms, _ := strconv.Atoi(m[1]); ms >= 1000 {
		t.Fatalf("three preloaded requests took %dms:\n%s", ms, r.stdout)
	}
}

func TestPingVersion(t *testing.T) {
	r := nsdiag(t, "ping", "-V")
	if r.code != 0 || r.stdout != "ping from nsdiag "+version+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestPingPatternParse(t *testing.T) {
	cases := []struct {
		in   string
		want string // hex, or "error"
	}{
		{"", ""}, {"a", "0a"}, {"ab", "ab"}, {"abc", "ab0c"}, {"ABCDEF", "abcdef"},
		{strings.Repeat("12", 16), strings.Repeat("12", 16)}, {strings.Repeat("12", 17), strings.Repeat("12", 16)},
		{"0x12", "error"}, {" 12", "error"}, {"1g", "error"},
	}
	for _, c := range cases {
		p, err := parsePattern(c.in)
		got := fmt.Sprintf("%x", p)
		if err != nil {
			got = "error"
		} else if p == nil {
			got = "nil"
		}
		if got != c.want {
			t.Errorf("parsePattern(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestPingTOSParse(t *testing.T) {
	cases := []struct {
		in   string
		want int
		err  string
	}{
		{"0", 0, ""}, {"40", 40, ""}, {"0x28", 40, ""}, {"0X28", 40, ""}, {"0x", 0, ""}, {"", 0, ""},
		{"-1", -1, ""}, {" 7", 7, ""}, {"+7", 7, ""}, {"0x0x10", 16, ""}, {"255", 255, ""},
		{"256", 0, "must be in range 0-255: 256"}, {"99999999999", 0, "must be in range 0-255: 1215752191"},
		{"0xzz", 0, "bad TOS value: 0xzz"}, {"4a", 0, "bad TOS value: 4a"}, {"x", 0, "bad TOS value: x"},
	}
	for _, c := range cases {
		got, err := parseTOS(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("parseTOS(%q) = %d, %v; want error %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("parseTOS(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

// Preloads above 3 need the real user to be root, as in iputils.
func TestPingPreloadNeedsRoot(t *testing.T) {
	for _, c := range []struct {
		n    int
		root bool
		err  string
	}{
		{3, false, ""},
		{4, false, "ping: cannot set preload to value greater than 3: 4 ("},
		{4, true, ""},
		{65536, true, ""},
	} {
		err := checkPreload(c.n, c.root)
		if (err == nil) != (c.err == "") || err != nil && !strings.HasPrefix(err.Error(), c.err) {
			t.Errorf("preload %d, root %v: %v, want %q", c.n, c.root, err, c.err)
		}
	}
}

// A router whose next link has an MTU of 1400 answers a request that
// does not fit and must not be fragmented: "Frag needed and DF set" for
// IPv4 with -M do, "Packet too big" for IPv6, after which the kernel knows
// the path MTU and the next request fails locally (IPv4) or is fragmented
// (IPv6). The path MTU a namespace learns is shared by every socket in it,
// so each tool gets a chain of its own and runs alone on it.
func TestIntegrationPingPathMTU(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	narrow := func() *netnstest.Chain {
		c := netnstest.NewChain(t, 1)
		for _, end := range []struct {
			ns  int
			dev string
		}{{1, c.Right[1]}, {2, c.Left[2]}} {
			if out, err := exec.Command("ip", "-n", c.Nodes[end.ns].Name, "link", "set", "dev", end.dev, "mtu", "1400").CombinedOutput(); err != nil {
				t.Fatalf("set mtu: %v %s", err, out)
			}
		}
		return c
	}
	peer, ours := narrow(), narrow()
	cases := []struct {
		name string
		args func(c *netnstest.Chain) []string
	}{
		{"frag needed", func(c *netnstest.Chain) []string {
			return []string{"-c", "2", "-i", "0.2", "-M", "do", "-s", "1400", c.Dest4()}
		}},
		{"packet too big", func(c *netnstest.Chain) []string {
			return []string{"-c", "2", "-i", "0.2", "-s", "1400", c.Dest6()}
		}},
		{"fits", func(c *netnstest.Chain) []string { return []string{"-c", "1", "-M", "do", "-s", "1372", c.Dest4()} }},
	}
	// In order: each case learns from the one before, on both chains alike.
	for _, c := range cases {
		p := iputilsPing(peer.H1().Name, c.args(peer))
		r := nsdiag(t, append([]string{"ping", "-n", ours.H1().Name}, c.args(ours)...)...)
		got, want := normalizePing(t, "nsdiag", r.out()), normalizePing(t, "iputils", p.out)
		if strings.Join(got, "\n") != strings.Join(want, "\n") || r.code != p.code || !sameStderr(r.stderr, p.errOut) {
			t.Errorf("%s: ping %s:\nnsdiag (exit %d):\n%s\niputils (exit %d):\n%s\nnsdiag stderr: %s\niputils stderr: %s",
				c.name, strings.Join(c.args(ours), " "), r.code, r.stdout, p.code, p.out, r.stderr, p.errOut)
		}
	}
}

// redirectLab is three hosts on one bridge: a, whose route to 10.9.0.0/24
// goes through the router r (10.0.0.254), which sends it on to g
// (10.0.0.3, holding 10.9.0.1) on the same link, so r answers a's first
// requests with an ICMP redirect to g. It returns a's namespace.
func redirectLab(t *testing.T) string {
	t.Helper()
	br := netnstest.NewNS(t, "br")
	bridge := netnstest.IfName("br")
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v %s", args, err, out)
		}
	}
	run("-n", br.Name, "link", "add", bridge, "type", "bridge")
	run("-n", br.Name, "link", "set", bridge, "up")
	hosts := map[string]string{"a": "10.0.0.1/24", "r": "10.0.0.254/24", "g": "10.0.0.3/24"}
	ns := map[string]string{}
	for _, h := range []string{"a", "r", "g"} {
		n := netnstest.NewNS(t, h)
		dev, port := netnstest.Veth(t, n, br)
		run("-n", br.Name, "link", "set", port, "master", bridge)
		netnstest.Addr(t, n, dev, hosts[h])
		ns[h] = n.Name
		switch h {
		case "r":
			netnstest.Forward(t, n)
			netnstest.Route(t, n, "10.9.0.0/24 via 10.0.0.3")
		case "g":
			netnstest.Addr(t, n, "lo", "10.9.0.1/32")
		case "a":
			netnstest.Route(t, n, "10.9.0.0/24 via 10.0.0.254")
		}
	}
	return ns["a"]
}

// ICMP redirects about our requests are printed as iputils prints them.
// A host learns the new gateway from them, so each tool gets a lab of its
// own.
func TestIntegrationPingRedirect(t *testing.T) {
	netnstest.RequireRoot(t)
	t.Parallel()
	for _, args := range [][]string{
		{"-c", "3", "-i", "0.2", "10.9.0.1"},
		// -v dumps the quoted IP header.
		{"-v", "-4", "-c", "2", "-i", "0.2", "10.9.0.1"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			compareRedirect(t, args)
		})
	}
}

func compareRedirect(t *testing.T, args []string) {
	peerNS, ourNS := redirectLab(t), redirectLab(t)
	var peer pingRun
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); peer = iputilsPing(peerNS, args) }()
	r := nsdiag(t, append([]string{"ping", "-n", ourNS}, args...)...)
	wg.Wait()
	got, want := normalizePing(t, "nsdiag", r.out()), normalizePing(t, "iputils", peer.out)
	if !strings.Contains(peer.out, "Redirect Host(New nexthop: 10.0.0.3)") {
		t.Fatalf("the lab sent iputils no redirect:\n%s", peer.out)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || r.code != peer.code || !sameStderr(r.stderr, peer.errOut) {
		t.Errorf("ping %s:\nnsdiag (exit %d):\n%s\niputils (exit %d):\n%s\nnsdiag stderr: %s\niputils stderr: %s",
			strings.Join(args, " "), r.code, r.stdout, peer.code, peer.out, r.stderr, peer.errOut)
	}
}

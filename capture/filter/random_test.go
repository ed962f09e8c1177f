package filter

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	randomSeed  = flag.Int64("filter.seed", 1, "random differential test: seed")
	randomCount = flag.Int("filter.random", 80, "random differential test: number of expressions")
)

// exprGen writes random filter expressions from the primitives users
// combine, including bare values that repeat the last qualifiers.
type exprGen struct{ r *rand.Rand }

func (g exprGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

var (
	genHosts = []string{"10.0.0.1", "10.0.0.2", "8.8.8.8", "192.168.1.20", "10.0.0.254", "127.0.0.1",
		"2001:db8::1", "2001:db8::2", "fe80::1", "::1"}
	genNets   = []string{"10.0.0.0/8", "10.0.0.0/24", "192.168.0.0/16", "2001:db8::/32", "fe80::/10", "172.16.0.0/12", "8.0.0.0/8", "10"}
	genPorts  = []string{"80", "53", "22", "443", "5000", "123", "5353", "ftp", "domain", "http"}
	genProtos = []string{"tcp", "udp", "icmp", "icmp6", "ip", "ip6", "arp", "sctp", "igmp", "esp", "ah", "pim", "vrrp", "rarp"}
	genArith  = []string{"tcp[13] & 2 != 0", "tcp[tcpflags] & tcp-ack != 0", "ip[8] > 63", "ip[0] & 0xf > 5",
		"udp[0:2] = 53", "icmp[icmptype] = icmp-echo", "ip6[6] = 17", "len > 100", "ip[2:2] < 60",
		"ether[0] & 1 = 1", "tcp[0:2] + tcp[2:2] > 1000", "icmp6[0] = 128", "ip[ip[0]&0xf] = 0",
		"tcp[12] >> 4 > 5", "udp[4:2] - 8 > 10", "ip6[40] = 128", "-ip[0] < 0", "ip[0] % 16 = 5"}
	genOther = []string{"vlan", "vlan 10", "vlan 100", "mpls", "mpls 16", "broadcast", "multicast",
		"ip multicast", "ip6 multicast", "ip broadcast", "greater 100", "less 80",
		"ether src 02:00:00:00:00:01", "ether dst ff:ff:ff:ff:ff:ff", "ether host 02:00:00:00:00:02",
		"ip6 protochain 6", "ip protochain 6"}
)

func (g exprGen) prim(depth int) string {
	switch r := g.r.Float64(); {
	case r < 0.15:
		return g.pick("", "src ", "dst ", "src or dst ", "src and dst ") + "host " + g.pick(genHosts...)
	case r < 0.25:
		return g.pick("", "src ", "dst ") + "net " + g.pick(genNets...)
	case r < 0.38:
		return g.pick("", "tcp ", "udp ", "src ", "dst ", "tcp dst ", "udp src ") + "port " + g.pick(genPorts...)
	case r < 0.42:
		return g.pick("", "tcp ", "udp ") + "portrange " + g.pick("1-1024", "50-60", "5000-6000")
	case r < 0.55:
		return g.pick(genProtos...)
	case r < 0.62:
		return g.pick("ip proto ", "ip6 proto ", "proto ", "ether proto ") + g.pick("6", "17", "1", "58", "0x800", "0x86dd", `\tcp`, `\udp`)
	case r < 0.67:
		return g.pick(genArith...)
	case r < 0.72:
		return g.arith(0) + g.pick(" = ", " != ", " > ", " < ", " >= ", " <= ") + g.arith(1)
	case r < 0.80:
		return g.pick(genOther...)
	case r < 0.87 && depth < 3:
		return "(" + g.expr(depth+1) + ")"
	case r < 0.93 && depth < 3:
		return "not " + g.prim(depth+1)
	}
	return g.pick(genProtos...)
}

// arith writes random arithmetic over packet bytes, lengths and numbers.
func (g exprGen) arith(depth int) string {
	switch r := g.r.Float64(); {
	case r < 0.3:
		return g.pick("0", "1", "2", "6", "17", "20", "64", "0x45", "0xf", "80", "53")
	case r < 0.4:
		return "len"
	case r < 0.75 || depth > 2:
		proto := g.pick("ip", "ip6", "tcp", "udp", "icmp", "icmp6", "ether", "arp", "igmp", "sctp")
		idx := g.pick("0", "1", "2", "6", "8", "9", "12", "13", "16", "20", "40")
		if g.r.Float64() < 0.15 && depth < 2 {
			idx = g.arith(depth + 1)
		}
		return proto + "[" + idx + g.pick("", "", ":1", ":2", ":4") + "]"
	case r < 0.85:
		return "(" + g.arith(depth+1) + ")"
	case r < 0.9:
		return "-" + g.arith(depth+1)
	}
	op := g.pick(" + ", " - ", " * ", " & ", " | ", " ^ ", " << ", " >> ", " % ", " / ")
	if strings.ContainsAny(op, "<>%/") {
		// libpcap's optimizer sometimes refuses a division or shift by a
		// packet value ("division by zero", "shift by more than 31 bits")
		// on paths it wrongly takes as constant; nsdiag compiles those, so
		// the generator divides and shifts by constants only.
		return g.arith(depth+1) + op + g.pick("1", "2", "3", "4", "7", "16")
	}
	return g.arith(depth+1) + op + g.arith(depth+1)
}

func (g exprGen) expr(depth int) string {
	e := g.prim(depth)
	for n := g.r.Intn(4); n > 0; n-- {
		op := g.pick(" and ", " or ", " && ", " || ")
		if g.r.Float64() < 0.2 {
			e += op + g.pick(append([]string{"80", "53", "22"}, genHosts...)...)
		} else {
			e += op + g.prim(depth)
		}
	}
	return e
}

// TestDifferentialRandom compares random expressions with tcpdump, on
// Ethernet and on another link type each (more with -filter.random, other
// draws with -filter.seed).
func TestDifferentialRandom(t *testing.T) {
	t.Parallel() // overlap the tests that spend their time waiting on tcpdump
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump not installed: the random differential test needs it (apt-get install tcpdump)")
	}
	g := exprGen{rand.New(rand.NewSource(*randomSeed))}
	seen := map[string]bool{}
	var exprs []string
	for len(exprs) < *randomCount {
		if e := g.expr(0); !seen[e] {
			seen[e] = true
			exprs = append(exprs, e)
		}
	}
	pkts := make([][]corpusPacket, len(corpusLinks))
	for i, l := range corpusLinks {
		f, err := os.Open(corpusPath(l.file))
		if err != nil {
			t.Fatal(err)
		}
		pkts[i] = readPcap(t, f)
		f.Close()
	}
	var mu sync.Mutex
	var bad []string
	agree := 0
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, e := range exprs {
		for _, li := range []int{0, 1 + i%(len(corpusLinks)-1)} {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				l := corpusLinks[li]
				_, msg := compareOne(t, l.file, e, diffOpts(l.lt), pkts[li])
				mu.Lock()
				defer mu.Unlock()
				if msg != "" {
					bad = append(bad, fmt.Sprintf("%s %q: %s", l.name, e, msg))
				} else {
					agree++
				}
			}()
		}
	}
	wg.Wait()
	t.Logf("seed %d: %d random expression/link pairs agree with tcpdump, %d differ", *randomSeed, agree, len(bad))
	slices.Sort(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

// compareOne runs expr through tcpdump -r and through our program in the
// VM on a corpus file. msg is "" when they agree; refused says they agree
// by both refusing the expression.
func compareOne(t testing.TB, file, expr string, opts Options, pkts []corpusPacket) (refused bool, msg string) {
	theirs, terr := tcpdumpAccepts(t, corpusPath(file), expr, pkts)
	prog, oerr := Compile(expr, opts)
	switch {
	case terr != "" && oerr != nil:
		return true, ""
	case terr != "":
		return false, "tcpdump refuses (" + lastLine(terr) + ") but we compile it"
	case oerr != nil:
		return false, fmt.Sprintf("we refuse (%s) but tcpdump accepts %v", strings.SplitN(oerr.Error(), "\n", 2)[0], theirs)
	}
	ours, err := accepted(t, prog, pkts)
	if err != nil {
		return false, fmt.Sprintf("our program does not run in the VM: %v", err)
	}
	if !slices.Equal(ours, theirs) {
		return false, fmt.Sprintf("accepted sets differ: ours %v, tcpdump %v", ours, theirs)
	}
	return false, ""
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

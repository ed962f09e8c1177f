package filter

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// Table tests: programs run in x/net/bpf's VM on packets built here; no
// tcpdump needed.

func mustCompile(t *testing.T, expr string, opts Options) []bpf.Instruction {
	t.Helper()
	prog, err := Compile(expr, opts)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	return prog
}

func runVM(t *testing.T, prog []bpf.Instruction, pkt []byte) bool {
	t.Helper()
	vm, err := bpf.NewVM(prog)
	if err != nil {
		t.Fatalf("NewVM: %v", err)
	}
	n, err := vm.Run(pkt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return n > 0
}

func TestAcceptTable(t *testing.T) {
	i := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	syn80 := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(40000, 80, "S", i))
	i = ip4("10.0.0.2", "8.8.8.8", layers.IPProtocolUDP)
	dns := ser(t, eth(macB, macA, layers.EthernetTypeIPv4), i, udp(5353, 53, i), payload(12))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	i.Options = []layers.IPv4Option{{OptionType: 1}, {OptionType: 1}, {OptionType: 1}, {OptionType: 1}}
	opts80 := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, tcp(40000, 80, "SA", i))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	i.FragOffset = 100
	laterFrag := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, gopacket.Payload{0, 80, 0, 80, 0, 0, 0, 0})
	v := ip6("2001:db8::1", "2001:db8::2", layers.IPProtocolTCP)
	v6syn := ser(t, eth(macA, macB, layers.EthernetTypeIPv6), v, tcp(1000, 443, "S", v))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	vlan10 := ser(t, eth(macA, macB, layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 10, Type: layers.EthernetTypeIPv4}, i, tcp(1, 80, "S", i))
	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolICMPv4)
	echo := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)})

	i = ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
	big := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, udp(1, 2, i), payload(100))

	cases := []struct {
		expr string
		pkt  []byte
		want bool
	}{
		{"", dns, true},
		{"tcp port 80", syn80, true},
		{"tcp port 80", dns, false},
		{"udp port domain", dns, true},
		{"port 53 and host 8.8.8.8", dns, true},
		{"host 10.0.0.1 and port 80 or 53", syn80, true},
		{"host 10.0.0.1 and port 80 or 53", dns, true}, // (host and port 80) or port 53
		{"tcp dst port ftp or ftp-data or http", syn80, true},
		{"tcp port 80 and not src net 10.0.0.0/8", syn80, false},
		{"tcp port 80 and not src net 192.168.0.0/16", syn80, true},
		{"tcp port 80", opts80, true}, // the port sits behind a 24-byte IP header
		{"tcp[tcpflags] & (tcp-syn|tcp-ack) = (tcp-syn|tcp-ack)", opts80, true},
		{"tcp[tcpflags] & (tcp-syn|tcp-ack) = (tcp-syn|tcp-ack)", syn80, false},
		{"tcp port 80", laterFrag, false}, // later fragments have no TCP header
		{"ip[6:2] & 0x1fff != 0", laterFrag, true},
		{"ip6 and tcp port 443", v6syn, true},
		{"ip6 host 2001:db8::2", v6syn, true},
		{"net 2001:db8::/32", v6syn, true},
		{"net 2001:db9::/32", v6syn, false},
		{"tcp port 80", vlan10, false}, // without "vlan" the tag hides IPv4
		{"vlan 10 and tcp port 80", vlan10, true},
		{"vlan 11 and tcp port 80", vlan10, false},
		{"icmp[icmptype] = icmp-echo", echo, true},
		{"icmp[icmptype] = icmp-echoreply", echo, false},
		{"ether src 02:00:00:00:00:01", echo, true},
		{"ether dst 02:00:00:00:00:01", echo, false},
		{"len > 100", echo, false},
		{"greater 40", echo, true},
		{"ip[2:2] + 14 = len", big, true},
		{"ip[2:2] + 14 = len", echo, false}, // padded to 60 bytes
		{"not (tcp or udp)", echo, true},
		{"ip[0] = 2 ^ 3 + 64", echo, false}, // 2 ^ (3 + 64) = 0x41
		{"ip[0] & 0xf = 3 * 2 - 1", echo, true},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got := runVM(t, mustCompile(t, c.expr, Options{}), c.pkt)
			if got != c.want {
				t.Errorf("%q accepts = %v, want %v", c.expr, got, c.want)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	i := ip4("10.0.0.7", "10.0.0.255", layers.IPProtocolUDP)
	bcast := ser(t, eth(macA, macBC, layers.EthernetTypeIPv4), i, udp(138, 138, i))
	mask24 := Options{Netmask: net.IPv4Mask(255, 255, 255, 0)}
	if !runVM(t, mustCompile(t, "ip broadcast", mask24), bcast) {
		t.Error("ip broadcast with a /24 netmask missed 10.0.0.255")
	}
	if runVM(t, mustCompile(t, "ip broadcast", Options{Netmask: net.IPv4Mask(255, 255, 0, 0)}), bcast) {
		t.Error("ip broadcast with a /16 netmask matched 10.0.0.255")
	}
	// Snaplen is the accept return value.
	vm, err := bpf.NewVM(mustCompile(t, "udp", Options{Snaplen: 96}))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := vm.Run(bcast); n != 96 {
		t.Errorf("accepted packet returned %d, want the snaplen 96", n)
	}
	// Raw IP links: the version nibble stands in for the EtherType.
	raw, _ := convert(bcast, layers.LinkTypeRaw, 0)
	lt, err := ParseLinkType("raw")
	if err != nil || lt != layers.LinkTypeRaw {
		t.Fatalf("ParseLinkType(raw) = %v, %v", lt, err)
	}
	if !runVM(t, mustCompile(t, "udp port 138 and host 10.0.0.7", Options{LinkType: lt}), raw) {
		t.Error("raw IPv4 packet not matched")
	}
	if _, err := ParseLinkType("IEEE802_11"); err == nil {
		t.Error("ParseLinkType accepted 802.11")
	}
	// inbound needs a cooked header, or a live socket's ancillary data.
	if _, err := Compile("inbound", Options{}); err == nil {
		t.Error("inbound compiled for Ethernet files")
	}
	mustCompile(t, "inbound", Options{Live: true})
}

func TestRejectedList(t *testing.T) {
	t.Parallel() // overlap the tests that spend their time waiting on tcpdump
	haveTcpdump := exec.Command("tcpdump", "--version").Run() == nil
	for _, expr := range readList(t, "rejected.txt") {
		t.Run(expr, func(t *testing.T) {
			_, err := Compile(expr, Options{Netmask: net.IPv4Mask(0, 0, 0, 0)})
			if err == nil {
				t.Errorf("Compile(%q) succeeded; libpcap refuses it", expr)
			}
			var se *SyntaxError
			if err != nil && !errors.As(err, &se) {
				t.Errorf("Compile(%q) error %v is not a *SyntaxError", expr, err)
			}
			if haveTcpdump {
				// Keep the list honest: tcpdump must refuse it too.
				if out, err := exec.Command("tcpdump", "-y", "EN10MB", "-d", "--", expr).CombinedOutput(); err == nil {
					t.Errorf("tcpdump accepts %q:\n%s", expr, out)
				}
			}
		})
	}
}

func TestUnsupportedList(t *testing.T) {
	for _, expr := range readList(t, "unsupported.txt") {
		_, err := Compile(expr, Options{})
		if err == nil || !strings.Contains(err.Error(), "not supported") {
			t.Errorf("Compile(%q) = %v, want a \"not supported\" error", expr, err)
		}
	}
}

func TestErrorCaret(t *testing.T) {
	cases := []struct {
		expr, msg, at string // at: the text the caret points to ("" = the end)
	}{
		{"tcp port 99999", "illegal port number 99999 > 65535", "99999"},
		{"host 10.0.0.1 and", "expected an expression after \"and\"", ""},
		{"src foo.invalid", "unknown host 'foo.invalid'", "foo"},
		{"tcp and 80", "has no qualifier to repeat", "80"},
		{"ip[0:3] = 1", "data size must be 1, 2, or 4", "ip"},
		{"decnet host 1", "'decnet' is not supported", "decnet"},
		{"ip broadcast", "netmask not known", "broadcast"},
		{"tcp port 80 and (udp", "expected \")\"", ""},
		{"port 80 and 53 and src", "expected an address", ""},
	}
	for _, c := range cases {
		_, err := Compile(c.expr, Options{})
		if err == nil {
			t.Errorf("Compile(%q) succeeded", c.expr)
			continue
		}
		pos := len(c.expr)
		if c.at != "" {
			pos = strings.Index(c.expr, c.at)
		}
		lines := strings.Split(err.Error(), "\n")
		want := "  " + strings.Repeat(" ", pos) + "^"
		if len(lines) != 3 || !strings.Contains(lines[0], c.msg) || lines[1] != "  "+c.expr || lines[2] != want {
			t.Errorf("Compile(%q) error:\n%s\nwant message containing %q and caret line %q", c.expr, err, c.msg, want)
		}
	}
}

// TestDump checks the three dump styles against tcpdump 4.99's output for
// the same program, copied from tcpdump -d, -dd and -ddd.
func TestDump(t *testing.T) {
	prog := mustCompile(t, "tcp[13] & 2 != 0", Options{})
	want := map[int]string{
		DumpAssembly: `(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 10
(002) ldb      [23]
(003) jeq      #0x6             jt 4	jf 10
(004) ldh      [20]
(005) jset     #0x1fff          jt 10	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldb      [x + 27]
(008) jset     #0x2             jt 9	jf 10
(009) ret      #262144
(010) ret      #0
`,
		DumpC: `{ 0x28, 0, 0, 0x0000000c },
{ 0x15, 0, 8, 0x00000800 },
{ 0x30, 0, 0, 0x00000017 },
{ 0x15, 0, 6, 0x00000006 },
{ 0x28, 0, 0, 0x00000014 },
{ 0x45, 4, 0, 0x00001fff },
{ 0xb1, 0, 0, 0x0000000e },
{ 0x50, 0, 0, 0x0000001b },
{ 0x45, 0, 1, 0x00000002 },
{ 0x6, 0, 0, 0x00040000 },
{ 0x6, 0, 0, 0x00000000 },
`,
		DumpDecimal: `11
40 0 0 12
21 0 8 2048
48 0 0 23
21 0 6 6
40 0 0 20
69 4 0 8191
177 0 0 14
80 0 0 27
69 0 1 2
6 0 0 262144
6 0 0 0
`,
	}
	for style, w := range want {
		var buf bytes.Buffer
		Dump(prog, style, &buf)
		if buf.String() != w {
			t.Errorf("Dump style %d:\n%s\nwant:\n%s", style, buf.String(), w)
		}
	}
}

func TestCooked(t *testing.T) {
	// Live "any": the network header is at 0 and the protocol, packet
	// type and interface index come from ancillary loads.
	var buf bytes.Buffer
	Dump(mustCompile(t, "outbound and tcp port 80 and ifindex 3", Options{Cooked: true}), DumpAssembly, &buf)
	got := buf.String()
	for _, want := range []string{"[type]", "[proto]", "ld       [ifidx]", "ldxb     4*([0]&0xf)", "ldh      [x + 2]"} {
		if !strings.Contains(got, want) {
			t.Errorf("cooked program lacks %q:\n%s", want, got)
		}
	}
	// The same program as SLL2 base.
	buf.Reset()
	Dump(mustCompile(t, "inbound and ip", Options{Cooked: true, LinkType: layers.LinkTypeLinuxSLL2}), DumpAssembly, &buf)
	if got := buf.String(); !strings.Contains(got, "[type]") || !strings.Contains(got, "[proto]") {
		t.Errorf("cooked SLL2 program:\n%s", got)
	}
	// A load from the cooked header that the kernel cannot provide.
	if _, err := Compile("link[6:4] = 0", Options{Cooked: true}); err == nil {
		t.Error("reading the cooked header's address compiled for a live any socket")
	}
}

func TestLongProgramsJumpFar(t *testing.T) {
	// Enough hosts that conditional jumps exceed 255 instructions.
	var parts []string
	for n := 1; n <= 150; n++ {
		parts = append(parts, "host 10.0.1."+itoa(n))
	}
	expr := strings.Join(parts, " or ")
	prog := mustCompile(t, expr, Options{})
	if len(prog) < 256 {
		t.Fatalf("program has %d instructions; the test needs more than 255", len(prog))
	}
	i := ip4("10.0.0.9", "10.0.1.150", layers.IPProtocolUDP)
	pkt := ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, udp(1, 2, i))
	if !runVM(t, prog, pkt) {
		t.Error("last host of a long or-chain not matched")
	}
	i = ip4("10.0.0.9", "10.0.1.151", layers.IPProtocolUDP)
	if runVM(t, prog, ser(t, eth(macA, macB, layers.EthernetTypeIPv4), i, udp(1, 2, i))) {
		t.Error("host outside the chain matched")
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func ExampleCompile() {
	prog, err := Compile("icmp[icmptype] = icmp-echo", Options{})
	if err != nil {
		panic(err)
	}
	Dump(prog, DumpAssembly, os.Stdout)
	// Output:
	// (000) ldh      [12]
	// (001) jeq      #0x800           jt 2	jf 10
	// (002) ldb      [23]
	// (003) jeq      #0x1             jt 4	jf 10
	// (004) ldh      [20]
	// (005) jset     #0x1fff          jt 10	jf 6
	// (006) ldxb     4*([14]&0xf)
	// (007) ldb      [x + 14]
	// (008) jeq      #0x8             jt 9	jf 10
	// (009) ret      #262144
	// (010) ret      #0
}

func TestNestingIsLinear(t *testing.T) {
	n := 200
	expr := strings.Repeat("(", n) + "tcp" + strings.Repeat(")", n) + " and " + strings.Repeat("not ", n+1) + "udp"
	start := time.Now()
	mustCompile(t, expr, Options{})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("compiling %d nested parentheses took %v", n, d)
	}
}

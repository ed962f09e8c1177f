package filter

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// fakeNames answers from its maps; host names it lacks are unknown and
// files it lacks are read from /etc.
type fakeNames struct {
	hosts map[string][]netip.Addr
	files map[string]string
}

func (f fakeNames) LookupHost(name string) ([]netip.Addr, error) {
	if a, ok := f.hosts[name]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

func (f fakeNames) ReadEtc(file string) ([]byte, error) {
	if s, ok := f.files[file]; ok {
		return []byte(s), nil
	}
	return os.ReadFile("/etc/" + file)
}

var labNames = fakeNames{
	hosts: map[string][]netip.Addr{
		"two.lab": {netip.MustParseAddr("fd00::9"), netip.MustParseAddr("10.9.0.1"), netip.MustParseAddr("10.9.0.2")},
		"v4.lab":  {netip.MustParseAddr("10.9.0.5")},
	},
	files: map[string]string{
		"ethers":    "02:00:00:00:00:09 box.lab\n 2:0:0:0:a:b\tShort.Lab  # comment\n02:00:00:00:00:0e pair.lab notanalias\n",
		"networks":  "default 0.0.0.0\nlowfirst 0.5\nlabnet 10.9 alias9\nlab24 10.9.1\nlab32 10.9.1.7\nhexnet 0x0b\nzero 0\n",
		"services":  "labsvc 4711/tcp\nlabdns 5353/udp labdns-alias\nlabboth 6000/tcp\nlabboth 6000/udp\n",
		"protocols": "labproto 253 LABPROTO\n",
	},
}

// TestFilterNamesLikeLiterals: a name compiles to what libpcap makes of its
// values: "host NAME" is the or of a host test per address in the
// resolver's order (each family's only with ip/ip6), the others the one
// value the file gives.
func TestFilterNamesLikeLiterals(t *testing.T) {
	cases := []struct{ named, literal string }{
		{"host two.lab", "host fd00::9 or host 10.9.0.1 or host 10.9.0.2"},
		{"src host two.lab", "src host fd00::9 or src host 10.9.0.1 or src host 10.9.0.2"},
		{"dst two.lab and tcp", "(dst host fd00::9 or dst host 10.9.0.1 or dst host 10.9.0.2) and tcp"},
		{"ip host two.lab", "ip host 10.9.0.1 or ip host 10.9.0.2"},
		{"ip6 host two.lab", "ip6 host fd00::9"},
		{"host v4.lab or host two.lab", "host 10.9.0.5 or host fd00::9 or host 10.9.0.1 or host 10.9.0.2"},
		// glibc reads "10.9" as 10.9.0.0, and libpcap then takes all 32 bits.
		{"net labnet", "net 10.9.0.0/32"},
		{"src net ALIAS9", "src net 10.9.0.0/32"},
		{"net lab24", "net 10.9.1.0/32"},
		{"net lab32", "net 10.9.1.7/32"},
		{"net hexnet", "net 11.0.0.0/32"},
		{"net lowfirst", "net 5.0.0.0/24"},
		{"ether host box.lab", "ether host 02:00:00:00:00:09"},
		{"ether src short.lab", "ether src 02:00:00:00:0a:0b"},
		{"ether dst PAIR.lab", "ether dst 02:00:00:00:00:0e"},
		{"port labsvc", "tcp port 4711"},
		{"port labdns-alias", "udp port 5353"},
		{"port labboth", "port 6000"},
		{"portrange labsvc-4800", "tcp portrange 4711-4800"},
		{"proto LABPROTO", "proto 253"},
	}
	for _, lt := range []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw} {
		for _, c := range cases {
			if lt != layers.LinkTypeEthernet && strings.HasPrefix(c.named, "ether") {
				continue
			}
			literal := c.literal
			if lt == layers.LinkTypeRaw && strings.HasPrefix(c.named, "host two.lab") {
				// Without a link-layer type field libpcap checks each
				// address as its own family.
				literal = "ip6 host fd00::9 or ip host 10.9.0.1 or ip host 10.9.0.2"
			}
			got, err := Compile(c.named, Options{LinkType: lt, Resolver: labNames})
			if err != nil {
				t.Errorf("%v %q: %v", lt, c.named, err)
				continue
			}
			want := mustCompile(t, literal, Options{LinkType: lt})
			if g, w := dumpText(got), dumpText(want); g != w {
				t.Errorf("%v %q:\n%s\nwant (%q):\n%s", lt, c.named, g, literal, w)
			}
		}
	}
}

func TestFilterNameErrors(t *testing.T) {
	cases := []struct {
		expr string
		lt   layers.LinkType
		msg  string
	}{
		{"host nosuch.lab", layers.LinkTypeEthernet, "unknown host 'nosuch.lab'"},
		{"src nosuch.lab", layers.LinkTypeEthernet, "unknown host 'nosuch.lab'"},
		{"ip6 host v4.lab", layers.LinkTypeEthernet, "unknown host 'v4.lab' for specified address family"},
		{"net nosuch", layers.LinkTypeEthernet, "unknown network 'nosuch'"},
		{"net zero", layers.LinkTypeEthernet, "unknown network 'zero'"},
		{"net default", layers.LinkTypeEthernet, "unknown network 'default'"},
		{"ip6 net labnet", layers.LinkTypeEthernet, "'ip6' modifier applied to ip host"},
		{"ether host nosuch.lab", layers.LinkTypeEthernet, "unknown ether host 'nosuch.lab'"},
		{"ether host notanalias", layers.LinkTypeEthernet, "unknown ether host 'notanalias'"},
		{"ether host box.lab", layers.LinkTypeLinuxSLL, "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name"},
		{"port nosuchsvc", layers.LinkTypeEthernet, "unknown port 'nosuchsvc'"},
		{"udp port labsvc", layers.LinkTypeEthernet, "port 'labsvc' is tcp"},
	}
	for _, c := range cases {
		_, err := Compile(c.expr, Options{LinkType: c.lt, Resolver: labNames})
		var se *SyntaxError
		if !errors.As(err, &se) || se.Msg != c.msg {
			t.Errorf("%q: error %v, want %q", c.expr, err, c.msg)
		}
	}
}

func TestInetNetwork(t *testing.T) {
	for in, want := range map[string]uint32{
		"10": 10, "10.9": 0x0a09, "10.9.1": 0x0a0901, "10.9.1.7": 0x0a090107,
		"0x0b": 11, "012": 10, "0": 0, "1.2.3.4.5": 0xffffffff, "256": 0xffffffff,
		"08": 0xffffffff, "0x": 0xffffffff, "10..1": 0xffffffff, "a": 0xffffffff,
	} {
		if got := inetNetwork(in); got != want {
			t.Errorf("inetNetwork(%q) = %#x, want %#x", in, got, want)
		}
	}
}

func dumpText(prog []bpf.Instruction) string {
	var b strings.Builder
	Dump(prog, 1, &b)
	return b.String()
}

package filter

import (
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// liveVLANFrames are what a live Ethernet socket's filter may see: tags
// the kernel stripped to ancillary data (vlanp, TCI), tags still in the
// frame (0x9100 ones, which it never strips, and inner QinQ tags), both,
// and neither.
func liveVLANFrames(t *testing.T) map[string]cookedView {
	v4 := func() []gopacket.SerializableLayer {
		i := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP)
		return []gopacket.SerializableLayer{i, udp(1000, 9999, i)}
	}
	v6 := func() []gopacket.SerializableLayer {
		i := ip6("fd00::1", "fd00::2", layers.IPProtocolTCP)
		return []gopacket.SerializableLayer{i, tcp(40000, 80, "S", i)}
	}
	tag := func(vid uint16, next layers.EthernetType) *layers.Dot1Q {
		return &layers.Dot1Q{VLANIdentifier: vid, Type: next}
	}
	frame := func(outer layers.EthernetType, ls ...gopacket.SerializableLayer) []byte {
		return ser(t, append([]gopacket.SerializableLayer{eth(macA, macB, outer)}, ls...)...)
	}
	plain4 := frame(layers.EthernetTypeIPv4, v4()...)
	plain6 := frame(layers.EthernetTypeIPv6, v6()...)
	arp := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPRequest, SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1},
		DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}}
	in8100 := frame(layers.EthernetTypeDot1Q, append([]gopacket.SerializableLayer{tag(10, layers.EthernetTypeIPv4)}, v4()...)...)
	in88a8 := frame(layers.EthernetTypeQinQ, append([]gopacket.SerializableLayer{tag(10, layers.EthernetTypeIPv4)}, v4()...)...)
	in9100 := frame(0x9100, append([]gopacket.SerializableLayer{tag(20, layers.EthernetTypeIPv4)}, v4()...)...)
	qinq := frame(layers.EthernetTypeQinQ, append([]gopacket.SerializableLayer{tag(10, layers.EthernetTypeDot1Q), tag(20, layers.EthernetTypeIPv4)}, v4()...)...)
	inner20 := frame(layers.EthernetTypeDot1Q, append([]gopacket.SerializableLayer{tag(20, layers.EthernetTypeIPv4)}, v4()...)...)
	mpls := frame(layers.EthernetTypeDot1Q, append([]gopacket.SerializableLayer{tag(10, layers.EthernetTypeMPLSUnicast),
		&layers.MPLS{Label: 100, StackBottom: true, TTL: 64}}, v4()...)...)
	stripped := func(data []byte, tci uint32) cookedView { return cookedView{data: data, vlanp: 1, vlanTCI: tci} }
	return map[string]cookedView{
		"plain ipv4":                     {data: plain4},
		"plain ipv6":                     {data: plain6},
		"plain arp":                      {data: frame(layers.EthernetTypeARP, arp)},
		"stripped 10, ipv4":              stripped(plain4, 10),
		"stripped 10 prio 1, ipv4":       stripped(plain4, 0x200a),
		"stripped 20, ipv4":              stripped(plain4, 20),
		"stripped 10, ipv6":              stripped(plain6, 10),
		"stripped 10, arp":               stripped(frame(layers.EthernetTypeARP, arp), 10),
		"stripped 10, inline 20, ipv4":   stripped(inner20, 10),
		"inline 8100 10, ipv4":           {data: in8100},
		"inline 88a8 10, ipv4":           {data: in88a8},
		"inline 9100 20, ipv4":           {data: in9100},
		"inline 88a8 10 8100 20, ipv4":   {data: qinq},
		"inline 8100 10, ipv6":           {data: frame(layers.EthernetTypeDot1Q, append([]gopacket.SerializableLayer{tag(10, layers.EthernetTypeIPv6)}, v6()...)...)},
		"inline 8100 10, arp":            {data: frame(layers.EthernetTypeDot1Q, tag(10, layers.EthernetTypeARP), arp)},
		"inline 8100 10, mpls 100, ipv4": {data: mpls},
		"inline 8100 10, truncated":      {data: in8100[:16]},
		"stripped 10, truncated":         stripped(plain4[:13], 10),
	}
}

// liveVLANExprs mix the first vlan (which on a live socket matches a
// stripped or an inline tag) with what follows it, before it, and under
// not/or, where libpcap's moved offsets are least intuitive.
var liveVLANExprs = []string{
	"vlan", "vlan 10", "vlan 20", "(vlan 10)", "not vlan", "vlan and ip", "vlan and (ip)",
	"not vlan and ip", "vlan or ip", "ip or vlan 10", "tcp or vlan and ip", "vlan and vlan",
	"vlan 10 and vlan 20 and ip", "vlan 10 and host 10.0.0.1", "vlan and tcp port 80",
	"vlan and udp port 9999", "vlan and ip6", "vlan and arp", "vlan and not ip6",
	"vlan and mpls and ip", "vlan and mpls 100", "ether src 02:00:00:00:00:01 and vlan 10 and udp",
	"vlan and ip[9] = 17", "vlan 10 and (udp port 9999 or vlan 20)", "vlan and ether[12:2] = 0x8100",
	"vlan and src 10.0.0.1 and dst port 9999", "vlan 10 and not vlan 20", "vlan and len >= 60",
	"not vlan and udp port 9999", "udp port 9999 and not vlan", "vlan 10 or vlan 20 and udp",
	"vlan 10 and udp", "tcp or vlan 20 and ip",
}

// TestLiveVLANMatchesLibpcap runs each expression's live program, ours and
// the one libpcap compiles for tcpdump -i lo, over frames with stripped,
// inline and no tags, in an interpreter that supplies the kernel's VLAN
// ancillary data: both must accept the same frames. The vlan expressions
// of the differential list run too.
func TestLiveVLANMatchesLibpcap(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Skip("tcpdump not installed: nothing to compare with")
	}
	if os.Geteuid() != 0 {
		t.Skip("tcpdump -i lo -d needs CAP_NET_RAW to open lo")
	}
	frames := liveVLANFrames(t)
	exprs := slices.Clone(liveVLANExprs)
	for _, e := range readList(t, "expressions.txt") {
		if strings.Contains(e, "vlan") {
			exprs = append(exprs, e)
		}
	}
	theirs := make([][]bpf.Instruction, len(exprs))
	errs := make([]error, len(exprs))
	var wg sync.WaitGroup
	for i, e := range exprs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			theirs[i], errs[i] = libpcapProgram(tcpdump, e)
		}()
	}
	wg.Wait()
	for i, e := range exprs {
		if errs[i] != nil {
			t.Fatalf("%q: %v", e, errs[i])
		}
		ours, err := Compile(e, Options{LinkType: layers.LinkTypeEthernet, Live: true})
		if err != nil {
			t.Errorf("%q: %v", e, err)
			continue
		}
		for name, f := range frames {
			got, want := runKernel(ours, f) > 0, runKernel(theirs[i], f) > 0
			if got != want {
				t.Errorf("%q on %s: ours accepts %v, libpcap's %v", e, name, got, want)
			}
		}
	}
}

// libpcapProgram is tcpdump -i lo -ddd EXPR: a count, then one
// "op jt jf k" line per instruction.
func libpcapProgram(tcpdump, expr string) ([]bpf.Instruction, error) {
	out, err := exec.Command(tcpdump, "-i", "lo", "-ddd", expr).Output()
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var prog []bpf.Instruction
	for _, l := range lines[1:] {
		var f [4]uint64
		for j, s := range strings.Fields(l) {
			if f[j], err = strconv.ParseUint(s, 10, 32); err != nil {
				return nil, err
			}
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(f[0]), Jt: uint8(f[1]), Jf: uint8(f[2]), K: uint32(f[3])}.Disassemble())
	}
	return prog, nil
}

// TestLiveVLANTable pins what libpcap's live programs select (the result
// of TestLiveVLANMatchesLibpcap), for machines without tcpdump.
func TestLiveVLANTable(t *testing.T) {
	frames := liveVLANFrames(t)
	for _, tc := range []struct {
		expr string
		want []string
	}{
		// QinQ's inner tag hides the IPv4 type.
		{"vlan 10 and udp", []string{"stripped 10, ipv4", "stripped 10 prio 1, ipv4", "inline 8100 10, ipv4", "inline 88a8 10, ipv4"}},
		{"vlan 10 and vlan 20 and ip", []string{"stripped 10, inline 20, ipv4", "inline 88a8 10 8100 20, ipv4"}},
		// Without a stripped tag the type is read at 16, where ARP has its
		// protocol type.
		{"not vlan and ip", []string{"plain arp"}},
		// (tcp or vlan 20) and ip: and and or are equal, left to right.
		{"tcp or vlan 20 and ip", []string{"stripped 20, ipv4", "inline 9100 20, ipv4"}},
	} {
		prog, err := Compile(tc.expr, Options{Live: true})
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		var got []string
		for name, f := range frames {
			if runKernel(prog, f) > 0 {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q accepts %q, want %q", tc.expr, got, tc.want)
		}
	}
}

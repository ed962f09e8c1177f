package filter

import (
	"encoding/binary"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// cookedView is what a live "any" socket's filter sees of a packet: the
// network header at offset 0, and the cooked header's fields as ancillary
// data. Other live sockets see the link header in data and, for a VLAN tag
// the kernel stripped, vlanp 1 and the tag's TCI.
type cookedView struct {
	data                       []byte
	protocol, pkttype, ifindex uint32
	vlanp, vlanTCI             uint32
}

func cookedFrom(pkt []byte, lt layers.LinkType) (cookedView, bool) {
	switch lt {
	case layers.LinkTypeLinuxSLL:
		if len(pkt) < 16 {
			return cookedView{}, false
		}
		return cookedView{data: pkt[16:], protocol: uint32(binary.BigEndian.Uint16(pkt[14:])), pkttype: uint32(binary.BigEndian.Uint16(pkt[0:]))}, true
	case layers.LinkTypeLinuxSLL2:
		if len(pkt) < 20 {
			return cookedView{}, false
		}
		return cookedView{data: pkt[20:], protocol: uint32(binary.BigEndian.Uint16(pkt[0:])), pkttype: uint32(pkt[10]), ifindex: binary.BigEndian.Uint32(pkt[4:])}, true
	}
	return cookedView{}, false
}

// runKernel interprets a classic BPF program as the kernel does, with the
// ancillary loads x/net/bpf's VM lacks (protocol, packet type, ifindex,
// VLAN tag).
func runKernel(prog []bpf.Instruction, v cookedView) uint32 {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return 0
	}
	var a, x uint32
	var m [memWords]uint32
	pkt := v.data
	load := func(off uint32, size uint16) (uint32, bool) {
		if off >= skfAdOff {
			switch off - skfAdOff {
			case skfAdProtocol:
				return v.protocol, true
			case skfAdPkttype:
				return v.pkttype, true
			case skfAdIfindex:
				return v.ifindex, true
			case skfAdVlanTagP:
				return v.vlanp, true
			case skfAdVlanTag:
				// The kernel ignores the load size for ancillary data
				// (libpcap loads the TCI with ldb).
				return v.vlanTCI, true
			}
			return 0, false
		}
		n := map[uint16]uint32{szW: 4, szH: 2, szB: 1}[size]
		if uint64(off)+uint64(n) > uint64(len(pkt)) {
			return 0, false
		}
		var r uint32
		for i := uint32(0); i < n; i++ {
			r = r<<8 | uint32(pkt[off+i])
		}
		return r, true
	}
	for pc := 0; pc < len(raw); pc++ {
		r := raw[pc]
		var ok = true
		switch r.Op & 0x07 {
		case clsLD:
			switch r.Op & 0xe0 {
			case modeABS:
				a, ok = load(r.K, r.Op&0x18)
			case modeIND:
				a, ok = load(x+r.K, r.Op&0x18)
			case modeIMM:
				a = r.K
			case modeMEM:
				a = m[r.K]
			case modeLEN:
				a = uint32(len(pkt))
			}
		case clsLDX:
			switch r.Op & 0xe0 {
			case modeMSH:
				var b uint32
				b, ok = load(r.K, szB)
				x = 4 * (b & 0xf)
			case modeIMM:
				x = r.K
			case modeMEM:
				x = m[r.K]
			case modeLEN:
				x = uint32(len(pkt))
			}
		case clsST:
			m[r.K] = a
		case clsSTX:
			m[r.K] = x
		case clsALU:
			b := r.K
			if r.Op&srcX != 0 {
				b = x
			}
			op := uint16(r.Op & 0xf0)
			if (op == aluDIV || op == aluMOD) && b == 0 {
				return 0
			}
			if op == aluNEG {
				a = -a
			} else {
				a = fold(op, a, b)
			}
		case clsJMP:
			b := r.K
			if r.Op&srcX != 0 {
				b = x
			}
			var cond bool
			switch r.Op & 0xf0 {
			case jmpJA:
				pc += int(r.K)
				continue
			case jmpJEQ:
				cond = a == b
			case jmpJGT:
				cond = a > b
			case jmpJGE:
				cond = a >= b
			case jmpJSET:
				cond = a&b != 0
			}
			if cond {
				pc += int(r.Jt)
			} else {
				pc += int(r.Jf)
			}
		case clsRET:
			if r.Op&retA != 0 {
				return a
			}
			return r.K
		case clsMISC:
			if r.Op&0xf8 == miscTXA {
				a = x
			} else {
				x = a
			}
		}
		if !ok {
			return 0
		}
	}
	return 0
}

// TestCookedMatchesFile checks Options.Cooked, the program a live "any"
// socket gets: on the cooked view of each packet of the SLL and SLL2
// corpora it must accept what the file program accepts on the file (which
// the differential test holds equal to tcpdump). Two kinds differ by
// design, as in libpcap: the length (the kernel's has no cooked header),
// and raw reads of the cooked header (fix_offset maps any load at the
// packet type's or protocol's offset to that ancillary value).
func TestCookedMatchesFile(t *testing.T) {
	for _, l := range corpusLinks {
		if l.lt != layers.LinkTypeLinuxSLL && l.lt != layers.LinkTypeLinuxSLL2 {
			continue
		}
		f, err := os.Open(corpusPath(l.file))
		if err != nil {
			t.Fatal(err)
		}
		pkts := readPcap(t, f)
		f.Close()
		compared := 0
		for _, e := range readList(t, "expressions.txt") {
			if strings.Contains(e, "len") || strings.Contains(e, "less") || strings.Contains(e, "greater") ||
				strings.Contains(e, "ether[") || strings.Contains(e, "link[") || strings.HasPrefix(e, "byte") {
				continue
			}
			fileProg, err := Compile(e, diffOpts(l.lt))
			if err != nil {
				continue
			}
			opts := diffOpts(l.lt)
			opts.Cooked = true
			cookedProg, err := Compile(e, opts)
			if err != nil {
				continue // reads cooked header bytes the kernel does not have
			}
			want, err := accepted(t, fileProg, pkts)
			if err != nil {
				t.Fatalf("%q: %v", e, err)
			}
			var got []int
			for i, p := range pkts {
				if v, ok := cookedFrom(p.data, l.lt); ok && runKernel(cookedProg, v) > 0 {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %q: cooked program accepts %v, file program %v", l.name, e, got, want)
			}
			compared++
		}
		t.Logf("%s: %d expressions agree between the file and the live any program", l.name, compared)
	}
}

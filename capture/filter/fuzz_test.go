package filter

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// FuzzCompile: any input gives a valid program or a *SyntaxError, never a
// panic, and every program is one the kernel's checker accepts. The seed
// corpus (every listed expression) runs with the normal tests; fuzz with
//
//	go test ./capture/filter -run '^$' -fuzz FuzzCompile -fuzztime 1m
func FuzzCompile(f *testing.F) {
	for _, name := range []string{"expressions.txt", "rejected.txt", "unsupported.txt"} {
		for _, e := range readList(f, name) {
			f.Add(e, uint8(0))
		}
	}
	f.Add("ip[ip[ip[ip[0]]]] = len % 3 ^ -ip[1]", uint8(1))
	f.Add("vlan and vlan and vlan and mpls and mpls and ip6", uint8(2))
	f.Add("((((((((((tcp))))))))))", uint8(3))
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2,
		layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6}
	f.Fuzz(func(t *testing.T, expr string, link uint8) {
		if len(expr) > 512 {
			return // host name lookups and huge programs only slow the fuzzer
		}
		opts := Options{LinkType: links[int(link)%len(links)], Netmask: []byte{255, 255, 255, 0}}
		// Names would be resolved over the network; keep the fuzzer local.
		opts.Resolver = fakeNames{}
		prog, err := Compile(expr, opts)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Compile(%q): error %T %v is not a *SyntaxError", expr, err, err)
			}
			return
		}
		if err := checkProgram(prog); err != nil {
			t.Fatalf("Compile(%q): invalid program: %v", expr, err)
		}
		if _, err := bpf.NewVM(prog); err != nil {
			t.Fatalf("Compile(%q): VM refuses the program: %v", expr, err)
		}
	})
}

// checkProgram applies the kernel's sk_chk_filter rules: 1 to 4096
// instructions, forward jumps inside the program, a return at the end,
// scratch indices below 16, no division by a constant zero.
func checkProgram(prog []bpf.Instruction) error {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return err
	}
	if len(raw) == 0 || len(raw) > maxInsns {
		return fmt.Errorf("%d instructions", len(raw))
	}
	for i, r := range raw {
		switch r.Op & 0x07 {
		case clsJMP:
			if r.Op&0xf0 == jmpJA {
				if int(r.K) >= len(raw)-i-1 {
					return fmt.Errorf("ja at %d jumps out", i)
				}
			} else if i+1+int(r.Jt) >= len(raw) || i+1+int(r.Jf) >= len(raw) {
				return fmt.Errorf("jump at %d out of range", i)
			}
		case clsST, clsSTX:
			if r.K >= memWords {
				return fmt.Errorf("store to M[%d]", r.K)
			}
		case clsLD, clsLDX:
			if r.Op&0xe0 == modeMEM && r.K >= memWords {
				return fmt.Errorf("load of M[%d]", r.K)
			}
		case clsALU:
			if (r.Op&0xf0 == aluDIV || r.Op&0xf0 == aluMOD) && r.Op&srcX == 0 && r.K == 0 {
				return fmt.Errorf("division by constant zero at %d", i)
			}
		}
	}
	if last := raw[len(raw)-1]; last.Op&0x07 != clsRET {
		return fmt.Errorf("ends with %#x, not a return", last.Op)
	}
	return nil
}

package filter

import (
	"fmt"
	"io"

	"golang.org/x/net/bpf"
)

// Dump styles, as tcpdump's -d, -dd and -ddd.
const (
	DumpAssembly = 1 // -d: human-readable listing
	DumpC        = 2 // -dd: C array initializer
	DumpDecimal  = 3 // -ddd: count, then decimal code jt jf k lines
)

// Dump prints prog the way tcpdump -d, -dd or -ddd does (libpcap's
// bpf_dump and bpf_image), byte for byte.
func Dump(prog []bpf.Instruction, style int, w io.Writer) {
	raw := make([]bpf.RawInstruction, len(prog))
	for i, in := range prog {
		r, err := in.Assemble()
		if err != nil {
			// Not encodable: print what it is rather than nothing.
			fmt.Fprintf(w, "(%03d) invalid instruction %v: %v\n", i, in, err)
			continue
		}
		raw[i] = r
	}
	switch style {
	case DumpC:
		for _, r := range raw {
			fmt.Fprintf(w, "{ 0x%x, %d, %d, 0x%08x },\n", r.Op, r.Jt, r.Jf, r.K)
		}
	case DumpDecimal:
		fmt.Fprintf(w, "%d\n", len(raw))
		for _, r := range raw {
			fmt.Fprintf(w, "%d %d %d %d\n", r.Op, r.Jt, r.Jf, r.K)
		}
	default:
		for i, r := range raw {
			fmt.Fprintln(w, image(r, i))
		}
	}
}

var adNames = map[uint32]string{
	skfAdProtocol: "proto", skfAdPkttype: "type", skfAdIfindex: "ifidx",
	12: "nla", 16: "nlan", 20: "mark", 24: "queue", 28: "hatype",
	32: "rxhash", 36: "cpu", skfAdVlanTag: "vlan_tci", skfAdVlanTagP: "vlanp",
	52: "pay_offset", 56: "random", 60: "vlan_tpid",
}

// image formats one instruction as libpcap's bpf_image.
func image(r bpf.RawInstruction, n int) string {
	var op, operand string
	k := r.K
	abs := func(name string) {
		op = name
		operand = fmt.Sprintf("[%d]", int32(k))
		if k >= skfAdOff {
			if s, ok := adNames[k-skfAdOff]; ok {
				operand = "[" + s + "]"
			}
		}
	}
	switch r.Op {
	case clsRET | srcK:
		op, operand = "ret", fmt.Sprintf("#%d", int32(k))
	case clsRET | retA:
		op = "ret"
	case clsLD | szW | modeABS:
		abs("ld")
	case clsLD | szH | modeABS:
		abs("ldh")
	case clsLD | szB | modeABS:
		abs("ldb")
	case clsLD | szW | modeLEN:
		op, operand = "ld", "#pktlen"
	case clsLD | szW | modeIND:
		op, operand = "ld", fmt.Sprintf("[x + %d]", int32(k))
	case clsLD | szH | modeIND:
		op, operand = "ldh", fmt.Sprintf("[x + %d]", int32(k))
	case clsLD | szB | modeIND:
		op, operand = "ldb", fmt.Sprintf("[x + %d]", int32(k))
	case clsLD | modeIMM:
		op, operand = "ld", fmt.Sprintf("#0x%x", k)
	case clsLDX | modeIMM:
		op, operand = "ldx", fmt.Sprintf("#0x%x", k)
	case clsLDX | szB | modeMSH:
		op, operand = "ldxb", fmt.Sprintf("4*([%d]&0xf)", int32(k))
	case clsLD | modeMEM:
		op, operand = "ld", fmt.Sprintf("M[%d]", int32(k))
	case clsLDX | modeMEM:
		op, operand = "ldx", fmt.Sprintf("M[%d]", int32(k))
	case clsST:
		op, operand = "st", fmt.Sprintf("M[%d]", int32(k))
	case clsSTX:
		op, operand = "stx", fmt.Sprintf("M[%d]", int32(k))
	case clsJMP | jmpJA:
		op, operand = "ja", fmt.Sprintf("%d", n+1+int(k))
	case clsJMP | jmpJGT | srcK:
		op, operand = "jgt", fmt.Sprintf("#0x%x", k)
	case clsJMP | jmpJGE | srcK:
		op, operand = "jge", fmt.Sprintf("#0x%x", k)
	case clsJMP | jmpJEQ | srcK:
		op, operand = "jeq", fmt.Sprintf("#0x%x", k)
	case clsJMP | jmpJSET | srcK:
		op, operand = "jset", fmt.Sprintf("#0x%x", k)
	case clsJMP | jmpJGT | srcX:
		op, operand = "jgt", "x"
	case clsJMP | jmpJGE | srcX:
		op, operand = "jge", "x"
	case clsJMP | jmpJEQ | srcX:
		op, operand = "jeq", "x"
	case clsJMP | jmpJSET | srcX:
		op, operand = "jset", "x"
	case clsALU | aluNEG:
		op = "neg"
	case clsMISC | miscTAX:
		op = "tax"
	case clsMISC | miscTXA:
		op = "txa"
	default:
		if r.Op&0x07 == clsALU {
			names := map[uint16]string{aluADD: "add", aluSUB: "sub", aluMUL: "mul", aluDIV: "div",
				aluMOD: "mod", aluAND: "and", aluOR: "or", aluXOR: "xor", aluLSH: "lsh", aluRSH: "rsh"}
			if name, ok := names[r.Op&0xf0]; ok {
				op = name
				switch {
				case r.Op&srcX != 0:
					operand = "x"
				case r.Op&0xf0 == aluAND || r.Op&0xf0 == aluOR || r.Op&0xf0 == aluXOR:
					operand = fmt.Sprintf("#0x%x", k)
				default:
					operand = fmt.Sprintf("#%d", int32(k)) // bpf_image prints k signed
				}
				break
			}
		}
		op, operand = "unimp", fmt.Sprintf("0x%x", r.Op)
	}
	if r.Op&0x07 == clsJMP && r.Op&0xf0 != jmpJA {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", n, op, operand, n+1+int(r.Jt), n+1+int(r.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", n, op, operand)
}

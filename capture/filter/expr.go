package filter

// Classic BPF opcode fields (linux/filter.h, net/bpf.h). x/net/bpf keeps its
// own unexported, so the compiler works on raw instructions and converts at
// the end.
const (
	clsLD   = 0x00
	clsLDX  = 0x01
	clsST   = 0x02
	clsSTX  = 0x03
	clsALU  = 0x04
	clsJMP  = 0x05
	clsRET  = 0x06
	clsMISC = 0x07

	szW = 0x00
	szH = 0x08
	szB = 0x10

	modeIMM = 0x00
	modeABS = 0x20
	modeIND = 0x40
	modeMEM = 0x60
	modeLEN = 0x80
	modeMSH = 0xa0

	aluADD = 0x00
	aluSUB = 0x10
	aluMUL = 0x20
	aluDIV = 0x30
	aluOR  = 0x40
	aluAND = 0x50
	aluLSH = 0x60
	aluRSH = 0x70
	aluNEG = 0x80
	aluMOD = 0x90
	aluXOR = 0xa0

	jmpJA   = 0x00
	jmpJEQ  = 0x10
	jmpJGT  = 0x20
	jmpJGE  = 0x30
	jmpJSET = 0x40

	srcK = 0x00
	srcX = 0x08

	retA    = 0x10
	miscTAX = 0x00
	miscTXA = 0x80

	memWords = 16 // BPF_MEMWORDS: scratch registers M[0..15]

	// Linux ancillary data offsets (SKF_AD_*), loaded as packet offsets.
	skfAdOff      = 0xfffff000 // SKF_AD_OFF (-0x1000)
	skfAdProtocol = 0
	skfAdPkttype  = 4
	skfAdIfindex  = 8
	skfAdVlanTag  = 44
	skfAdVlanTagP = 48
)

// insn is one raw classic BPF instruction.
type insn struct {
	op     uint16
	jt, jf uint8
	k      uint32
}

func stmt(op uint16, k uint32) insn { return insn{op: op, k: k} }

func ldAbs(size uint16, off uint32) insn { return stmt(clsLD|modeABS|size, off) }

// pktOff keeps a user-given packet offset ("ip[-20]") out of the range the
// kernel reserves for ancillary data: any offset that far is past the end
// of every packet, so the load rejects it, as libpcap's would.
func pktOff(off uint32) uint32 {
	if off >= skfAdOff {
		return skfAdOff - 1
	}
	return off
}

// bexpr is a boolean expression over tests, built by the parser and turned
// into a flow graph by gen: and/or/not and constants are structure, bTest is
// one conditional jump with the statements that compute what it tests.
type bexpr interface{ isBexpr() }

type bAnd struct{ l, r bexpr }
type bOr struct{ l, r bexpr }
type bNot struct{ x bexpr }
type bConst bool

// bTest compares A (computed by stmts from the packet alone: tests never rely
// on registers left by another test) with k or X using jop. Impure tests
// are the exception (protochain's header walk, "byte N & V"): they use or
// set registers across tests, so the optimizer never skips them.
type bTest struct {
	stmts  []insn
	jop    uint16
	k      uint32
	impure bool
	// tag distinguishes the value of an "expr = N" relation, which libpcap
	// computes as expr - N (compared with 0), from the bare value: its
	// optimizer infers nothing between "udp[0:2] = 53" and "udp src port 123".
	tag string
}

// bIf is if-then-else: unlike or(and(c, a), and(not(c), b)) it never goes
// back to test c again once a has run (a may change registers).
type bIf struct{ cond, then, els bexpr }

// bSeq runs stmts, then next: protochain's step to the next header.
type bSeq struct {
	stmts []insn
	next  bexpr
}

func (*bAnd) isBexpr()  {}
func (*bOr) isBexpr()   {}
func (*bNot) isBexpr()  {}
func (bConst) isBexpr() {}
func (*bTest) isBexpr() {}
func (*bSeq) isBexpr()  {}
func (*bIf) isBexpr()   {}

// and/or fold constants so that expressions like "ip and ip6" on a raw IPv4
// link collapse as libpcap's optimizer makes them.
func and(l, r bexpr) bexpr {
	if l == nil {
		return r
	}
	if r == nil {
		return l
	}
	if c, ok := l.(bConst); ok {
		if !c {
			return l
		}
		return r
	}
	if c, ok := r.(bConst); ok && bool(c) {
		return l
	}
	return &bAnd{l, r}
}

func or(l, r bexpr) bexpr {
	if c, ok := l.(bConst); ok {
		if c {
			return l
		}
		return r
	}
	if c, ok := r.(bConst); ok && !bool(c) {
		return l
	}
	return &bOr{l, r}
}

func not(x bexpr) bexpr {
	if c, ok := x.(bConst); ok {
		return !c
	}
	if n, ok := x.(*bNot); ok {
		return n.x
	}
	return &bNot{x}
}

// cmp is the common test: load size bytes at off, optionally mask, compare.
func cmp(size uint16, off uint32, jop uint16, v uint32) bexpr {
	return &bTest{stmts: []insn{ldAbs(size, off)}, jop: jop, k: v}
}

func mcmp(size uint16, off uint32, mask, v uint32) bexpr {
	if mask == 0 {
		// libpcap's optimizer folds "and #0; jeq #v" and drops the load.
		return bConst(v == 0)
	}
	s := []insn{ldAbs(size, off)}
	if mask != 0xffffffff {
		s = append(s, stmt(clsALU|aluAND|srcK, mask))
	}
	return &bTest{stmts: s, jop: jmpJEQ, k: v}
}

package filter

import "strconv"

// arth is an arithmetic value: statements leaving it in A (they may use X
// and scratch words 0..depth-1), the protocol checks that must pass before
// it means anything (libpcap's "inst->b"), or a constant.
type arth struct {
	stmts   []insn
	b       bexpr
	isConst bool
	v       uint32
	depth   int
}

func constArth(v uint32) arth { return arth{isConst: true, v: v} }

var aluOps = map[string]uint16{
	"+": aluADD, "-": aluSUB, "*": aluMUL, "/": aluDIV, "%": aluMOD,
	"&": aluAND, "|": aluOR, "^": aluXOR, "<<": aluLSH, ">>": aluRSH,
}

func fold(op uint16, a, b uint32) uint32 {
	switch op {
	case aluADD:
		return a + b
	case aluSUB:
		return a - b
	case aluMUL:
		return a * b
	case aluDIV:
		return a / b
	case aluMOD:
		return a % b
	case aluAND:
		return a & b
	case aluOR:
		return a | b
	case aluXOR:
		return a ^ b
	case aluLSH:
		return a << b
	case aluRSH:
		return a >> b
	}
	return 0
}

func cat(parts ...[]insn) []insn {
	var out []insn
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func (c *compiler) binary(opName string, a, b arth) arth {
	op := aluOps[opName]
	if b.isConst {
		switch {
		case op == aluDIV && b.v == 0:
			c.fail("division by zero")
		case op == aluMOD && b.v == 0:
			c.fail("modulus by zero")
		case (op == aluLSH || op == aluRSH) && b.v > 31:
			c.fail("shift by more than 31 bits")
		}
		if a.isConst {
			return arth{isConst: true, v: fold(op, a.v, b.v), b: a.b}
		}
		// libpcap's optimizer: "op #0" is a no-op or a zero, and a zero
		// needs none of the loads that computed the other operand.
		switch {
		case b.v == 0 && (op == aluMUL || op == aluAND):
			return arth{isConst: true, b: a.b}
		case b.v == 0 && op != aluDIV && op != aluMOD:
			return a
		}
		return arth{stmts: cat(a.stmts, []insn{stmt(clsALU|op|srcK, b.v)}), b: a.b, depth: a.depth}
	}
	// libpcap 1.10's gen_arth keeps only the left operand's protocol
	// checks: in "ip[2:2] - tcp[12]" the packet need not be TCP. Kept, so
	// the same packets pass.
	checks := a.b
	if a.isConst && a.v == 0 {
		// libpcap's optimizer again: 0 op X.
		switch op {
		case aluADD, aluOR, aluXOR:
			return arth{stmts: b.stmts, b: a.b, depth: b.depth}
		case aluMUL, aluDIV, aluMOD, aluAND, aluLSH, aluRSH:
			return arth{isConst: true, b: a.b}
		}
	}
	if a.isConst {
		return arth{stmts: cat(b.stmts, []insn{stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeIMM, a.v), stmt(clsALU|op|srcX, 0)}), b: checks, depth: b.depth}
	}
	r := b.depth
	c.needScratch(r)
	return arth{
		stmts: cat(a.stmts, []insn{stmt(clsST, uint32(r))}, b.stmts,
			[]insn{stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeMEM, uint32(r)), stmt(clsALU|op|srcX, 0)}),
		b: checks, depth: max(a.depth, r+1),
	}
}

func (c *compiler) needScratch(r int) {
	if r >= memWords || c.opts.Live && r >= vlanReg {
		c.fail("too many registers needed to evaluate expression")
	}
}

func (c *compiler) negate(a arth) arth {
	if a.isConst {
		return arth{isConst: true, v: -a.v, b: a.b}
	}
	// Multiplying by -1 rather than "neg": the same in the kernel, and
	// golang.org/x/net/bpf's VM (which runs filters over files) has no neg.
	return arth{stmts: cat(a.stmts, []insn{stmt(clsALU|aluMUL|srcK, 0xffffffff)}), b: a.b, depth: a.depth}
}

func lenArth() arth { return arth{stmts: []insn{stmt(clsLD|modeLEN|szW, 0)}} }

var loadSizes = map[uint32]uint16{1: szB, 2: szH, 4: szW}

var transportProtos = map[string]bool{
	"sctp": true, "tcp": true, "udp": true, "icmp": true, "igmp": true,
	"igrp": true, "pim": true, "vrrp": true, "carp": true,
}

// load is "proto[idx:size]" (gen_load): offsets relative to the protocol's
// header, guarded by the protocol check; IPv4 transport headers sit behind
// the IP header length and only exist in first fragments.
func (c *compiler) load(proto string, idx arth, size uint32) arth {
	sz, ok := loadSizes[size]
	if !ok {
		c.fail("data size must be 1, 2, or 4")
	}
	indexed := func(base uint32) []insn {
		if idx.isConst {
			return []insn{ldAbs(sz, pktOff(base+idx.v))}
		}
		return cat(idx.stmts, []insn{stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeIND|sz, base)})
	}
	switch {
	case proto == "link":
		return arth{stmts: indexed(0), b: idx.b, depth: idx.depth}
	case proto == "ip" || proto == "ip6" || proto == "arp" || proto == "rarp":
		return arth{stmts: indexed(c.offNL), b: and(idx.b, c.abbrev(proto)), depth: idx.depth}
	case proto == "icmp6":
		b := and(and(idx.b, c.abbrev("ip6")), cmp(szB, c.offNL+6, jmpJEQ, 58))
		return arth{stmts: indexed(c.offNL + 40), b: b, depth: idx.depth}
	case transportProtos[proto]:
		var s []insn
		if idx.isConst {
			s = []insn{stmt(clsLDX|modeMSH|szB, c.offNL), stmt(clsLD|modeIND|sz, c.offNL+idx.v)}
		} else {
			s = cat(idx.stmts, []insn{stmt(clsLDX|modeMSH|szB, c.offNL), stmt(clsALU|aluADD|srcX, 0),
				stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeIND|sz, c.offNL)})
		}
		b := and(c.abbrev("ip"), and(idx.b, and(c.abbrev(proto), c.ipfrag())))
		return arth{stmts: s, b: b, depth: idx.depth}
	}
	c.fail("unsupported index operation on '%s'", proto)
	return arth{}
}

var relops = map[string]struct {
	jop uint16
	rev bool
}{
	">": {jmpJGT, false}, ">=": {jmpJGE, false}, "=": {jmpJEQ, false},
	"<=": {jmpJGT, true}, "<": {jmpJGE, true}, "!=": {jmpJEQ, true},
}

// relation is gen_relation: the operands' protocol checks, then the compare.
func (c *compiler) relation(op string, a0, a1 arth) bexpr {
	r := relops[op]
	jop, rev := r.jop, r.rev
	checks := and(a0.b, a1.b)
	var t bexpr
	switch {
	case a0.isConst && a1.isConst:
		var res bool
		switch jop {
		case jmpJGT:
			res = a0.v > a1.v
		case jmpJGE:
			res = a0.v >= a1.v
		default:
			res = a0.v == a1.v
		}
		t = bConst(res)
	case a1.isConst:
		s, k := a0.stmts, a1.v
		tag := ""
		if jop == jmpJEQ {
			tag = "=" + strconv.FormatUint(uint64(k), 10)
		}
		// libpcap's peepholes: "and #m; jeq #0" is "jset #m" with the
		// branches swapped, "sub #k; jeq #0" is "jeq #k".
		if n := len(s); jop == jmpJEQ && k == 0 && n > 1 && s[n-1].op == clsALU|aluAND|srcK {
			s, jop, k, rev, tag = s[:n-1], jmpJSET, s[n-1].k, !rev, ""
		} else if jop == jmpJEQ && k == 0 && n > 1 && s[n-1].op == clsALU|aluSUB|srcK {
			s, k = s[:n-1], s[n-1].k
		}
		t = &bTest{stmts: s, jop: jop, k: k, tag: tag}
	case a0.isConst:
		t = &bTest{stmts: cat(a1.stmts, []insn{stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeIMM, a0.v)}), jop: jop | srcX}
	default:
		m := a0.depth
		c.needScratch(m)
		t = &bTest{stmts: cat(a1.stmts, []insn{stmt(clsST, uint32(m))}, a0.stmts, []insn{stmt(clsLDX|modeMEM, uint32(m))}), jop: jop | srcX}
	}
	if rev {
		t = not(t)
	}
	return and(checks, t)
}

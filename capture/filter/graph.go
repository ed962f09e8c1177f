package filter

import (
	"fmt"
	"slices"
	"strconv"
)

// block is a node of the flow graph: statements, then a conditional jump to
// jt or jf; or a return (ret) or an unconditional jump (ja, only added by
// layout when a conditional jump is too far for its 8-bit offset).
type block struct {
	id     int // creation order: successors are always created first
	stmts  []insn
	jop    uint16
	k      uint32
	jt, jf *block
	ret    bool
	rv     uint32
	ja     bool
	seq    bool // statements only, then on to jt (== jf)
	impure bool // uses or leaves registers for other blocks: never skipped

	key string // symbolic value the jump compares: see valueKey
	tag string // see bTest.tag
}

// graph generates blocks from a bexpr with continuations: gen(e, t, f) returns
// the entry of code that goes to t when e holds and to f otherwise. This is
// libpcap's backpatching, done top-down, and yields the same shape.
type graph struct {
	blocks []*block
	memo   map[genKey]*block
}

// genKey memoizes gen: a subexpression shared by two paths (protochain's
// next step) with the same continuations is generated once.
type genKey struct {
	e    bexpr
	t, f *block
}

func (g *graph) newBlock(b *block) *block {
	b.id = len(g.blocks)
	g.blocks = append(g.blocks, b)
	return b
}

func (g *graph) gen(e bexpr, t, f *block) *block {
	if _, ok := e.(bConst); !ok {
		key := genKey{e, t, f}
		if b, ok := g.memo[key]; ok {
			return b
		}
		if g.memo == nil {
			g.memo = map[genKey]*block{}
		}
		b := g.genNew(e, t, f)
		g.memo[key] = b
		return b
	}
	return g.genNew(e, t, f)
}

func (g *graph) genNew(e bexpr, t, f *block) *block {
	switch e := e.(type) {
	case bConst:
		if e {
			return t
		}
		return f
	case *bNot:
		return g.gen(e.x, f, t)
	case *bAnd:
		return g.gen(e.l, g.gen(e.r, t, f), f)
	case *bOr:
		return g.gen(e.l, t, g.gen(e.r, t, f))
	case *bTest:
		return g.newBlock(&block{stmts: e.stmts, jop: clsJMP | e.jop, k: e.k, jt: t, jf: f, impure: e.impure, tag: e.tag})
	case *bIf:
		return g.gen(e.cond, g.gen(e.then, t, f), g.gen(e.els, t, f))
	case *bSeq:
		next := g.gen(e.next, t, f)
		return g.newBlock(&block{stmts: e.stmts, seq: true, impure: true, jt: next, jf: next})
	}
	panic(fmt.Sprintf("filter: unknown expression %T", e))
}

// symbolic execution: every register value is a string naming how it was
// computed from the packet ("h[12]", "b[x(14)+23]"...). Equal strings are
// equal values for every packet, which is what load elimination and jump
// threading need. Unknown values get a unique name so they never match.
type symState struct {
	a, x string
	m    [memWords]string
}

type symExec struct{ fresh int }

func (s *symExec) unknown() string {
	s.fresh++
	return "?" + strconv.Itoa(s.fresh)
}

func (s *symExec) newState() symState {
	st := symState{a: s.unknown(), x: s.unknown()}
	for i := range st.m {
		st.m[i] = s.unknown()
	}
	return st
}

var sizeName = map[uint16]string{szW: "w", szH: "h", szB: "b"}

func (s *symExec) step(st *symState, in insn) {
	switch in.op & 0x07 {
	case clsLD:
		switch in.op & 0xe0 {
		case modeIMM:
			st.a = "#" + strconv.FormatUint(uint64(in.k), 10)
		case modeABS:
			st.a = sizeName[in.op&0x18] + "[" + strconv.FormatUint(uint64(in.k), 10) + "]"
		case modeIND:
			st.a = sizeName[in.op&0x18] + "[" + st.x + "+" + strconv.FormatUint(uint64(in.k), 10) + "]"
		case modeMEM:
			st.a = st.m[in.k%memWords]
		case modeLEN:
			st.a = "len"
		default:
			st.a = s.unknown()
		}
	case clsLDX:
		switch in.op & 0xe0 {
		case modeIMM:
			st.x = "#" + strconv.FormatUint(uint64(in.k), 10)
		case modeMEM:
			st.x = st.m[in.k%memWords]
		case modeLEN:
			st.x = "len"
		case modeMSH:
			st.x = "msh[" + strconv.FormatUint(uint64(in.k), 10) + "]"
		default:
			st.x = s.unknown()
		}
	case clsST:
		st.m[in.k%memWords] = st.a
	case clsSTX:
		st.m[in.k%memWords] = st.x
	case clsALU:
		op := in.op & 0xf0
		switch {
		case op == aluNEG:
			st.a = "neg(" + st.a + ")"
		case in.op&srcX != 0:
			st.a = "(" + st.a + " " + strconv.Itoa(int(op)) + " " + st.x + ")"
		default:
			st.a = "(" + st.a + " " + strconv.Itoa(int(op)) + " #" + strconv.FormatUint(uint64(in.k), 10) + ")"
		}
	case clsMISC:
		if in.op&0xf8 == miscTXA {
			st.a = st.x
		} else {
			st.x = st.a
		}
	}
}

// valueKey names what the block's jump compares, computed from its own
// statements alone (tests are self-contained).
func (s *symExec) valueKey(b *block) string {
	st := s.newState()
	for _, in := range b.stmts {
		s.step(&st, in)
	}
	if b.jop&srcX != 0 {
		return st.a + "?" + st.x + b.tag
	}
	return st.a + b.tag
}

// reachable returns the blocks reachable from root in the order libpcap's
// convert_code_r lays them out: reverse postorder, the false branch
// visited before the true one, so a block's true successor tends to follow
// it and the listing reads as tcpdump -d's.
func reachable(root *block) []*block {
	seen := map[*block]bool{}
	var post []*block
	var visit func(b *block)
	visit = func(b *block) {
		if b == nil || seen[b] {
			return
		}
		seen[b] = true
		if !b.ret {
			visit(b.jf)
			visit(b.jt)
		}
		post = append(post, b)
	}
	visit(root)
	slices.Reverse(post)
	return post
}

package filter

import (
	"errors"
	"fmt"
)

// The optimizer does what libpcap's does to the programs that matter:
// jump threading (a test whose outcome is implied by the tests already
// passed on every path to it is skipped), removal of tests whose branches
// meet, and removal of loads whose value is already in the register.

type fact struct {
	jop uint16
	k   uint32
	res bool
}

// facts maps a value key to what is known about it on a path.
type facts map[string][]fact

func (fs facts) with(key string, f fact) facts {
	out := make(facts, len(fs)+1)
	for k, v := range fs {
		out[k] = v
	}
	out[key] = append(append([]fact(nil), fs[key]...), f)
	return out
}

func intersect(sets []facts) facts {
	if len(sets) == 0 {
		return facts{}
	}
	out := facts{}
	for key, list := range sets[0] {
		var keep []fact
		for _, f := range list {
			all := true
			for _, other := range sets[1:] {
				found := false
				for _, g := range other[key] {
					if g == f {
						found = true
						break
					}
				}
				if !found {
					all = false
					break
				}
			}
			if all {
				keep = append(keep, f)
			}
		}
		if keep != nil {
			out[key] = keep
		}
	}
	return out
}

// decide reports whether the facts about a value settle the test jop k.
// It knows what libpcap's fold_edge knows, no more: the same comparison
// has the same outcome, and a value equal to one constant is not equal to
// another. Deriving more (ranges, bit sets) would skip loads libpcap
// performs, and a load past the end of a truncated packet rejects it, so
// the programs would differ on such packets.
func (fs facts) decide(key string, jop uint16, k uint32) (res, known bool) {
	for _, f := range fs[key] {
		if f.jop == jop && f.k == k {
			return f.res, true
		}
		if f.res && f.jop == clsJMP|jmpJEQ|srcK && jop == clsJMP|jmpJEQ|srcK {
			return false, true
		}
	}
	return false, false
}

// optimize threads jumps and drops pointless tests until nothing changes,
// then removes redundant loads. It returns the new root. With raw set
// (libpcap does not optimize programs with protochain) it keeps every test
// and the order of loads, and only does what cannot change which packets
// pass: threading on known outcomes, merging equal blocks, dropping loads
// of values already loaded.
func optimize(root *block, sx *symExec, raw bool) *block {
	for _, b := range reachable(root) {
		switch {
		case b.seq:
			b.key = sx.unknown()
		case !b.ret:
			b.key = sx.valueKey(b)
		}
	}
	for iter := 0; iter < 32; iter++ {
		changed := false
		in := map[*block][]facts{root: {facts{}}}
		for _, b := range reachable(root) {
			if b.ret {
				continue
			}
			fs := intersect(in[b])
			if b.seq {
				in[b.jt] = append(in[b.jt], fs)
				continue
			}
			for _, side := range []bool{true, false} {
				succ := &b.jf
				if side {
					succ = &b.jt
				}
				ef := fs.with(b.key, fact{b.jop, b.k, side})
				tgt := *succ
				for !tgt.ret && !tgt.impure {
					r, ok := ef.decide(tgt.key, tgt.jop, tgt.k)
					if !ok {
						break
					}
					if r {
						tgt = tgt.jt
					} else {
						tgt = tgt.jf
					}
				}
				if tgt != *succ {
					*succ = tgt
					changed = true
				}
				in[tgt] = append(in[tgt], ef)
			}
		}
		// A test whose branches meet decides nothing: edges go past it (the
		// root keeps its place until optRoot, as in libpcap).
		skip := func(b *block) *block {
			for !raw && !b.ret && !b.impure && b.jt == b.jf {
				b = b.jt
				changed = true
			}
			return b
		}
		for _, b := range reachable(root) {
			if !b.ret {
				b.jt, b.jf = skip(b.jt), skip(b.jf)
			}
		}
		var merged, moved bool
		if root, merged = intern(root); merged {
			changed = true
		}
		if !raw {
			if root, moved = pullups(root); moved {
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	elimLoads(root, sx)
	// Code is a function of the registers on entry, so equal blocks can
	// merge even after load elimination made them depend on their paths.
	root, _ = intern(root)
	if !raw {
		root = optRoot(root)
	}
	return root
}

// optRoot is libpcap's opt_root: a root whose branches meet gives way to
// its successor, but its own statements stay, run first (the loads can
// still reject a short packet); they go only if what remains is a return.
func optRoot(root *block) *block {
	first := root.stmts
	b := root
	for !b.ret && !b.impure && b.jt == b.jf {
		b = b.jt
	}
	if b == root {
		return root
	}
	if b.ret {
		return b
	}
	nb := *b
	nb.stmts = cat(first, b.stmts)
	return &nb
}

// intern merges blocks with the same statements, test and successors
// (libpcap's intern_blocks). Successors are visited first, so whole equal
// subgraphs collapse in one pass. It returns the new root and whether
// anything merged.
func intern(root *block) (*block, bool) {
	blocks := reachable(root)
	canonOf := map[*block]*block{}
	bySig := map[string]*block{}
	merged := false
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		if b.ret {
			canonOf[b] = b
			continue
		}
		b.jt, b.jf = canonOf[b.jt], canonOf[b.jf]
		sig := fmt.Sprintf("%v|%d|%d|%p|%p|%v|%v", b.stmts, b.jop, b.k, b.jt, b.jf, b.seq, b.impure)
		if c, ok := bySig[sig]; ok {
			canonOf[b] = c
			merged = true
			continue
		}
		bySig[sig] = b
		canonOf[b] = b
	}
	return canonOf[root], merged
}

// elimLoads removes statements that leave the registers as they were on
// every path reaching them.
func elimLoads(root *block, sx *symExec) {
	in := map[*block][]symState{}
	for _, b := range reachable(root) {
		if b.ret {
			continue
		}
		st := meet(in[b], sx)
		trial := st
		for _, s := range b.stmts {
			sx.step(&trial, s)
		}
		if trial == st {
			b.stmts = nil
		} else {
			kept := b.stmts[:0:0]
			for _, s := range b.stmts {
				before := st
				sx.step(&st, s)
				if st != before || !removable(s) {
					kept = append(kept, s)
				}
			}
			b.stmts = kept
		}
		in[b.jt] = append(in[b.jt], st)
		in[b.jf] = append(in[b.jf], st)
	}
}

// removable: loads, stores and register moves can be dropped when they
// change nothing; ALU operations could too but never repeat exactly.
func removable(s insn) bool {
	switch s.op & 0x07 {
	case clsLD, clsLDX, clsST, clsSTX, clsMISC:
		return true
	}
	return false
}

func meet(states []symState, sx *symExec) symState {
	if len(states) == 0 {
		return sx.newState()
	}
	st := states[0]
	for _, o := range states[1:] {
		if o.a != st.a {
			st.a = sx.unknown()
		}
		if o.x != st.x {
			st.x = sx.unknown()
		}
		for i := range st.m {
			if o.m[i] != st.m[i] {
				st.m[i] = sx.unknown()
			}
		}
	}
	return st
}

const maxInsns = 4096 // BPF_MAXINSNS: the kernel refuses longer programs

var errTooLong = errors.New("expression too complex: program longer than 4096 instructions")

// layout orders blocks topologically and emits instructions. A conditional
// jump reaches at most 255 instructions ahead; a farther one goes through
// an unconditional jump placed as late as its range allows, so that later
// blocks jumping to the same place can share it.
func layout(root *block) ([]insn, error) {
	order := reachable(root)
	tramps := map[*block][]*block{} // trampolines by target
	for {
		if len(order) > 2*maxInsns {
			return nil, errTooLong
		}
		pos, size := positions(order)
		var changed bool
		order, changed = fixFarJump(order, pos, tramps)
		if changed {
			continue
		}
		var out []insn
		for i, b := range order {
			out = append(out, b.stmts...)
			end := pos[b] + len(b.stmts) + 1
			switch {
			case b.seq && size[i] == len(b.stmts):
			case b.seq, b.ja:
				out = append(out, stmt(clsJMP|jmpJA, uint32(pos[b.jt]-end)))
			case b.ret:
				out = append(out, stmt(clsRET|srcK, b.rv))
			default:
				out = append(out, insn{op: b.jop, k: b.k, jt: uint8(pos[b.jt] - end), jf: uint8(pos[b.jf] - end)})
			}
		}
		if len(out) > maxInsns {
			return nil, errTooLong
		}
		return out, nil
	}
}

// positions returns where each block starts and how long it is: a
// statements-only block falls through when its successor comes next.
func positions(order []*block) (map[*block]int, []int) {
	pos := make(map[*block]int, len(order))
	size := make([]int, len(order))
	n := 0
	for i, b := range order {
		pos[b] = n
		size[i] = len(b.stmts) + 1
		if b.seq && i+1 < len(order) && order[i+1] == b.jt {
			size[i] = len(b.stmts)
		}
		n += size[i]
	}
	return pos, size
}

// fixFarJump routes the first too-far conditional jump through a
// trampoline, reusing one in range or inserting a new one.
func fixFarJump(order []*block, pos map[*block]int, tramps map[*block][]*block) ([]*block, bool) {
	for i, b := range order {
		if b.ret || b.ja || b.seq {
			continue
		}
		end := pos[b] + len(b.stmts) + 1
		for _, succ := range []**block{&b.jt, &b.jf} {
			target := *succ
			if pos[target]-end <= 255 {
				continue
			}
			for _, j := range tramps[target] {
				if p, ok := pos[j]; ok && p >= end && p-end <= 255 {
					*succ = j
					return order, true
				}
			}
			// Leave room for trampolines inserted later in between.
			k := i + 1
			for k < len(order) && pos[order[k]]-end <= 200 {
				k++
			}
			ja := &block{ja: true, jt: target, jf: target}
			tramps[target] = append(tramps[target], ja)
			*succ = ja
			order = append(order[:k], append([]*block{ja}, order[k:]...)...)
			return order, true
		}
	}
	return order, false
}

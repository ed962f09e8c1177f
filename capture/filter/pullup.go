package filter

import "strings"

// libpcap's or_pullup and and_pullup. In a chain of tests joined by their
// false branches that all jump to the same place when true ("a or b or c"),
// a test of the value the chain's predecessors loaded is moved ahead of a
// test of another value: "src == h1 or dst == h1 or src == h2" becomes
// "src == h1 or src == h2 or dst == h1", so one load serves both. The
// order of loads decides what a truncated packet does (a load past its end
// rejects it), so doing the same as libpcap matters beyond length.

// aValue is the part of a block's key naming A (X tests add "?X").
func aValue(b *block) string {
	k, _, _ := strings.Cut(b.key, "?")
	return k
}

type domInfo struct {
	index map[*block]int
	dom   [][]uint64 // dom[i] has bit j when block j dominates block i
	preds map[*block][]*block
}

func dominators(root *block) *domInfo {
	blocks := reachable(root)
	d := &domInfo{index: map[*block]int{}, preds: map[*block][]*block{}}
	for i, b := range blocks {
		d.index[b] = i
	}
	words := (len(blocks) + 63) / 64
	d.dom = make([][]uint64, len(blocks))
	for _, b := range blocks {
		if !b.ret {
			d.preds[b.jt] = append(d.preds[b.jt], b)
			if b.jf != b.jt {
				d.preds[b.jf] = append(d.preds[b.jf], b)
			}
		}
	}
	for i, b := range blocks { // topological: predecessors first
		set := make([]uint64, words)
		ps := d.preds[b]
		if len(ps) > 0 {
			copy(set, d.dom[d.index[ps[0]]])
			for _, p := range ps[1:] {
				for w, v := range d.dom[d.index[p]] {
					set[w] &= v
				}
			}
		}
		set[i/64] |= 1 << (i % 64)
		d.dom[i] = set
	}
	return d
}

func (d *domInfo) dominates(a, b *block) bool {
	i, j := d.index[a], d.index[b]
	return d.dom[j][i/64]&(1<<(i%64)) != 0
}

// pullup applies or_pullup (orChain) or and_pullup to b once; it reports
// whether the graph changed (dominators are then stale).
func pullup(b *block, d *domInfo, orChain bool, root **block) bool {
	preds := d.preds[b]
	if len(preds) == 0 || b.ret || b.impure {
		return false
	}
	val := aValue(preds[0])
	for _, p := range preds[1:] {
		if aValue(p) != val {
			return false
		}
	}
	// next is the chain link: false branches for or, true ones for and;
	// same is the common exit the whole chain shares.
	next := func(n *block) **block {
		if orChain {
			return &n.jf
		}
		return &n.jt
	}
	exit := func(n *block) *block {
		if orChain {
			return n.jt
		}
		return n.jf
	}
	okLink := func(n *block) bool {
		return !n.ret && !n.impure && exit(n) == exit(b) && d.dominates(b, n)
	}
	atTop := true
	var diffp **block
	cur := b
	for {
		if !okLink(cur) {
			return false
		}
		if aValue(cur) != val {
			break
		}
		diffp = next(cur)
		cur = *diffp
		atTop = false
	}
	diff := cur
	samep := next(diff)
	for {
		s := *samep
		if !okLink(s) {
			return false
		}
		if aValue(s) == val {
			break
		}
		samep = next(s)
	}
	pull := *samep
	*samep = *next(pull)
	*next(pull) = diff
	if atTop {
		for _, p := range preds {
			if p.jt == b {
				p.jt = pull
			}
			if p.jf == b {
				p.jf = pull
			}
		}
		if *root == b {
			*root = pull
		}
	} else {
		*diffp = pull
	}
	return true
}

// pullups runs or_pullup and and_pullup over the graph until neither
// applies; it reports whether anything moved.
func pullups(root *block) (*block, bool) {
	moved := false
	for guard := 0; guard < 1000; guard++ {
		d := dominators(root)
		changed := false
		for _, b := range reachable(root) {
			if pullup(b, d, true, &root) || pullup(b, d, false, &root) {
				changed = true
				break
			}
		}
		if !changed {
			break
		}
		moved = true
	}
	return root, moved
}

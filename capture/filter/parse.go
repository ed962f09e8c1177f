package filter

import (
	"fmt"
	"reflect"
	"strings"
)

// parser is a recursive-descent version of libpcap's grammar.y. Where yacc
// decides between alternatives with its LALR tables (a number after "and"
// may start a relation or repeat the last qualifiers; "(" may open an
// expression, a list of values or arithmetic), the parser tries them in
// order and backtracks.
type parser struct {
	c    *compiler
	toks []token
	p    int
	// relFail remembers where a speculative relation failed, so nested
	// parentheses do not make backtracking exponential.
	relFail map[int]*SyntaxError
	inLeaf  bool // parsing a primitive under leaf: no second split inside
}

// leaf parses one primitive with f. After the first "vlan" of a live
// program, where later headers are depends on where the kernel left that
// tag: in the packet (4 bytes further on) or stripped to ancillary data.
// libpcap keeps the difference in a scratch register and loads through X;
// we parse the primitive twice, with the offsets moved and not, and let
// the register choose between the two tests at run time.
func (ps *parser) leaf(f func() (bexpr, qual)) (bexpr, qual) {
	c := ps.c
	if !c.vlanVar || ps.inLeaf {
		return f()
	}
	start, saved := ps.p, *c
	ps.inLeaf = true
	defer func() { ps.inLeaf = false }()
	c.offLT += 4
	c.offNL += 4
	moved, q, err := ps.attempt(f)
	if err != nil {
		*c = saved // a caller may backtrack and try another parse
		panic(compileError{err})
	}
	ps.p, *c = start, saved
	in, _ := f() // the same tokens again
	if reflect.DeepEqual(moved, in) {
		return in, q // reads nothing behind the tag
	}
	return &bIf{cond: inlineTag(), then: moved, els: in}, q
}

func (ps *parser) peek() token { return ps.toks[ps.p] }
func (ps *parser) peekN(n int) token {
	if ps.p+n < len(ps.toks) {
		return ps.toks[ps.p+n]
	}
	return ps.toks[len(ps.toks)-1]
}
func (ps *parser) next() token {
	t := ps.toks[ps.p]
	if t.kind != tEOF {
		ps.p++
	}
	ps.c.pos = t.pos
	return t
}

func (ps *parser) is(kind tokKind, text string) bool {
	t := ps.peek()
	return t.kind == kind && t.text == text
}

func (ps *parser) failAt(t token, format string, args ...any) {
	panic(compileError{&SyntaxError{Expr: ps.c.expr, Pos: t.pos, Msg: fmt.Sprintf(format, args...)}})
}

func (ps *parser) expect(kind tokKind, text, context string) token {
	t := ps.peek()
	if t.kind != kind || t.text != text {
		ps.failAt(t, "syntax error: expected %q %s, found %s", text, context, t)
	}
	return ps.next()
}

// try runs alternatives speculatively, restoring the position and the
// compiler's offsets between them; if all fail it re-raises the error that
// got furthest into the expression.
func (ps *parser) try(alts ...func() (bexpr, qual)) (bexpr, qual) {
	start := ps.p
	saved := *ps.c
	var best *SyntaxError
	for i, alt := range alts {
		e, q, err := ps.attempt(alt)
		if err == nil {
			return e, q
		}
		if best == nil || err.Pos > best.Pos {
			best = err
		}
		if i < len(alts)-1 {
			ps.p = start
			*ps.c = saved
		}
	}
	panic(compileError{best})
}

func (ps *parser) attempt(alt func() (bexpr, qual)) (e bexpr, q qual, err *SyntaxError) {
	defer func() {
		if r := recover(); r != nil {
			ce, ok := r.(compileError)
			if !ok {
				panic(r)
			}
			err = ce.err
		}
	}()
	e, q = alt()
	return e, q, nil
}

func (ps *parser) parseProgram() bexpr {
	if ps.peek().kind == tEOF {
		return bConst(true)
	}
	e, _ := ps.expr(qerr)
	if t := ps.peek(); t.kind != tEOF {
		ps.failAt(t, "syntax error: unexpected %s: expected \"and\", \"or\" or the end of the expression", t)
	}
	return e
}

// expr: term { (and|or) (term | id) }, left to right, and/or equal.
func (ps *parser) expr(q qual) (bexpr, qual) {
	e, q := ps.term(q)
	for ps.peek().kind == tKw && (ps.peek().text == "and" || ps.peek().text == "or") {
		op := ps.next()
		if ps.peek().kind == tEOF {
			ps.failAt(ps.peek(), "syntax error: expected an expression after %q", op.text)
		}
		prev := q
		r, rq := ps.afterConj(prev)
		if op.text == "and" {
			e = and(e, r)
		} else {
			e = or(e, r)
		}
		q = rq
	}
	return e, q
}

// afterConj parses what follows and/or: a bare value repeating the
// qualifiers in effect, or a new term.
func (ps *parser) afterConj(q qual) (bexpr, qual) {
	t := ps.peek()
	idAlt := func() (bexpr, qual) { return ps.leaf(func() (bexpr, qual) { return ps.id(q), q }) }
	termAlt := func() (bexpr, qual) { return ps.term(q) }
	relAlt := func() (bexpr, qual) { return ps.leaf(func() (bexpr, qual) { return ps.relation(), qerr }) }
	switch {
	case t.kind == tNum:
		// A number starts a relation only if an operator follows it.
		if n := ps.peekN(1); n.kind == tOp && n.text != "(" && n.text != ")" {
			return ps.try(relAlt, idAlt)
		}
		return idAlt()
	case t.kind == tOp && t.text == "(":
		return ps.try(relAlt, idAlt, termAlt)
	case t.kind == tKw && t.text == "not":
		return ps.try(idAlt, termAlt)
	case t.kind == tID || t.kind == tHID || t.kind == tHID6 || t.kind == tEID:
		return idAlt()
	}
	return termAlt()
}

func (ps *parser) term(q qual) (bexpr, qual) {
	if ps.is(tKw, "not") {
		ps.next()
		e, q2 := ps.term(q)
		return not(e), q2
	}
	return ps.rterm(q)
}

var pnames = map[string]bool{
	"link": true, "ether": true, "ip": true, "ip6": true, "arp": true, "rarp": true,
	"tcp": true, "udp": true, "sctp": true, "icmp": true, "icmp6": true,
	"igmp": true, "igrp": true, "pim": true, "vrrp": true, "carp": true,
	"ah": true, "esp": true,
}

var dquals = map[string]bool{"src": true, "dst": true}
var aquals = map[string]bool{"host": true, "net": true, "port": true, "portrange": true, "gateway": true}

func (ps *parser) rterm(q qual) (bexpr, qual) {
	if ps.is(tOp, "(") {
		return ps.try(
			func() (bexpr, qual) { return ps.leaf(func() (bexpr, qual) { return ps.relation(), qerr }) },
			func() (bexpr, qual) {
				ps.next()
				e, _ := ps.expr(q)
				ps.expect(tOp, ")", "to close the parenthesis")
				return e, q
			})
	}
	return ps.leaf(func() (bexpr, qual) { return ps.primitive(q) })
}

// primitive parses a term that is not a parenthesised expression.
func (ps *parser) primitive(q qual) (bexpr, qual) {
	t := ps.peek()
	switch t.kind {
	case tOp:
		switch t.text {
		case "-":
			return ps.relation(), qerr
		}
	case tNum:
		return ps.relation(), qerr
	case tKw:
		if unsupported[t.text] {
			ps.failAt(t, "'%s' is not supported (nsdiag filters Ethernet, Linux cooked and IP traffic)", t.text)
		}
		if t.text == "len" {
			return ps.relation(), qerr
		}
		if pnames[t.text] {
			n := ps.peekN(1)
			switch {
			case n.kind == tOp && n.text == "[":
				return ps.relation(), qerr
			case n.kind == tKw && (dquals[n.text] || aquals[n.text] || n.text == "proto" || n.text == "protochain"):
				return ps.head()
			case n.kind == tKw && (n.text == "broadcast" || n.text == "multicast"):
				ps.next()
				return ps.other(pname(t.text)), qerr
			}
			ps.next()
			if t.text == "ether" || t.text == "link" {
				ps.failAt(n, "syntax error: expected host, src, dst, proto, broadcast, multicast or [ after %q", t.text)
			}
			return ps.c.abbrev(t.text), qerr
		}
		if dquals[t.text] || aquals[t.text] || t.text == "proto" || t.text == "protochain" {
			return ps.head()
		}
		return ps.other(""), qerr
	case tEOF:
		ps.failAt(t, "syntax error: expression ends too soon")
	}
	ps.failAt(t, "syntax error: expected a primitive (host, net, port, a protocol...) before %s", t)
	return nil, qerr
}

func pname(s string) string {
	if s == "ether" {
		return "link"
	}
	return s
}

// head parses [proto] [dir] [type] and then the value it qualifies.
func (ps *parser) head() (bexpr, qual) {
	var q qual
	if t := ps.peek(); t.kind == tKw && pnames[t.text] {
		q.proto = pname(t.text)
		ps.next()
	}
	if t := ps.peek(); t.kind == tKw && dquals[t.text] {
		ps.next()
		q.dir = t.text
		if c := ps.peek(); c.kind == tKw && (c.text == "or" || c.text == "and") {
			if n := ps.peekN(1); n.kind == tKw && dquals[n.text] && n.text != t.text {
				ps.next()
				ps.next()
				q.dir = c.text
			}
		}
	}
	if t := ps.peek(); t.kind == tKw && (aquals[t.text] || t.text == "proto" || t.text == "protochain") {
		if q.dir != "" && (t.text == "proto" || t.text == "protochain") {
			ps.failAt(t, "syntax error: %q cannot follow a direction", t.text)
		}
		ps.next()
		q.addr = t.text
		if t.text == "gateway" {
			ps.failAt(t, "'gateway' is not supported (it needs /etc/ethers); use 'ether host MAC and not host IP'")
		}
	}
	if t := ps.peek(); t.kind == tEOF {
		ps.failAt(t, "syntax error: expected an address, name or number after the qualifiers")
	}
	return ps.id(q), q
}

// id parses a value: a name, number, address, network, MAC, a negated value
// or a parenthesised list of values joined by and/or.
func (ps *parser) id(q qual) bexpr {
	t := ps.peek()
	switch t.kind {
	case tKw:
		if t.text == "not" {
			ps.next()
			return not(ps.id(q))
		}
	case tNum:
		// A number an operator follows starts arithmetic, as yacc's
		// lookahead decides ("and not 1 <= len").
		if n := ps.peekN(1); n.kind == tOp && n.text != "(" && n.text != ")" {
			ps.failAt(n, "syntax error: unexpected %s after a value", n)
		}
		ps.next()
		return ps.ncode("", t.num, q, t)
	case tID:
		ps.next()
		return ps.scode(t.text, q, t)
	case tHID:
		ps.next()
		if ps.is(tOp, "/") {
			ps.next()
			n := ps.expect2(tNum, "a prefix length after '/'")
			return ps.mcode(t.text, "", n.num, q, t)
		}
		if ps.is(tKw, "mask") {
			ps.next()
			m := ps.expect2(tHID, "a dotted netmask after 'mask'")
			return ps.mcode(t.text, m.text, 0, q, t)
		}
		return ps.ncode(t.text, 0, q, t)
	case tHID6:
		ps.next()
		plen := uint32(128)
		if ps.is(tOp, "/") {
			ps.next()
			plen = ps.expect2(tNum, "a prefix length after '/'").num
		}
		return ps.mcode6(t.text, plen, q, t)
	case tEID:
		ps.next()
		return ps.ecode(t.text, q, t)
	case tOp:
		if t.text == "(" {
			ps.next()
			e := ps.id(q)
			for ps.peek().kind == tKw && (ps.peek().text == "and" || ps.peek().text == "or") {
				op := ps.next()
				r := ps.id(q)
				if op.text == "and" {
					e = and(e, r)
				} else {
					e = or(e, r)
				}
			}
			ps.expect(tOp, ")", "to close the list of values")
			return e
		}
	}
	ps.failAt(t, "syntax error: expected an address, name or number, found %s", t)
	return nil
}

func (ps *parser) expect2(kind tokKind, what string) token {
	t := ps.peek()
	if t.kind != kind {
		ps.failAt(t, "syntax error: expected %s, found %s", what, t)
	}
	return ps.next()
}

// other parses the primitives that take no qualifiers.
func (ps *parser) other(proto string) bexpr {
	t := ps.next()
	c := ps.c
	num := func(what string) uint32 {
		n := ps.peek()
		if n.kind != tNum {
			ps.failAt(n, "syntax error: expected %s after %q, found %s", what, t.text, n)
		}
		ps.next()
		return n.num
	}
	optNum := func() (uint32, bool) {
		if ps.peek().kind == tNum {
			return ps.next().num, true
		}
		if ps.is(tOp, "(") && ps.peekN(1).kind == tNum && ps.peekN(2).kind == tOp && ps.peekN(2).text == ")" {
			ps.next()
			v := ps.next().num
			ps.next()
			return v, true
		}
		return 0, false
	}
	switch t.text {
	case "broadcast":
		return c.broadcast(proto)
	case "multicast":
		return c.multicast(proto)
	case "less":
		return not(lenTest(jmpJGT, num("a length")))
	case "greater":
		return lenTest(jmpJGE, num("a length"))
	case "byte":
		idx := num("a byte offset")
		op := ps.peek()
		if op.kind != tOp || !strings.Contains("&|<>=", op.text) || len(op.text) != 1 {
			ps.failAt(op, "syntax error: expected one of & | < > = after 'byte %d'", idx)
		}
		ps.next()
		return c.byteop(op.text, idx, num("a value"))
	case "inbound", "outbound":
		if c.link != linkSLL && c.link != linkSLL2 && !c.opts.Live && !c.opts.Cooked {
			ps.failAt(t, "inbound/outbound not supported on %s when reading files (set Options.Live for a live socket)", linkNames[c.link])
		}
		b := c.outbound()
		if t.text == "inbound" {
			return not(b)
		}
		return b
	case "ifindex":
		v := num("an interface index")
		if c.link != linkSLL2 && !c.opts.Live && !c.opts.Cooked {
			ps.failAt(t, "ifindex not supported on %s when reading files (set Options.Live for a live socket)", linkNames[c.link])
		}
		return c.ifindex(v)
	case "vlan":
		v, ok := optNum()
		return c.vlan(v, ok)
	case "mpls":
		v, ok := optNum()
		return c.mplsLabel(v, ok)
	case "len":
		ps.failAt(t, "syntax error: 'len' must be compared (len > 100)")
	case "mask", "proto", "protochain":
		ps.failAt(t, "syntax error: unexpected %q", t.text)
	}
	ps.failAt(t, "syntax error: unexpected %s", t)
	return nil
}

// relation: arith relop arith.
func (ps *parser) relation() bexpr {
	start := ps.p
	if err := ps.relFail[start]; err != nil {
		panic(compileError{err})
	}
	defer func() {
		if r := recover(); r != nil {
			if ce, ok := r.(compileError); ok {
				if ps.relFail == nil {
					ps.relFail = map[int]*SyntaxError{}
				}
				ps.relFail[start] = ce.err
			}
			panic(r)
		}
	}()
	a0 := ps.arith(0)
	op := ps.peek()
	if _, ok := relops[op.text]; op.kind != tOp || !ok {
		ps.failAt(op, "syntax error: expected a comparison (=, !=, <, <=, >, >=) after the arithmetic expression, found %s", op)
	}
	ps.next()
	a1 := ps.arith(0)
	ps.c.pos = op.pos
	return ps.c.relation(op.text, a0, a1)
}

var arithPrec = map[string]int{"|": 1, "&": 2, "<<": 3, ">>": 3, "+": 4, "-": 4, "*": 5, "/": 5}

// arith parses arithmetic with libpcap's precedences. "%" and "^" have none
// in grammar.y, so yacc always shifts them: they take the operand on their
// left and everything that follows on their right.
func (ps *parser) arith(minPrec int) arth {
	lhs := ps.unary()
	for {
		t := ps.peek()
		if t.kind != tOp {
			return lhs
		}
		if t.text == "%" || t.text == "^" {
			ps.next()
			rhs := ps.arith(0)
			ps.c.pos = t.pos
			lhs = ps.c.binary(t.text, lhs, rhs)
			continue
		}
		p, ok := arithPrec[t.text]
		if !ok || p < minPrec {
			return lhs
		}
		ps.next()
		rhs := ps.arith(p + 1)
		ps.c.pos = t.pos
		lhs = ps.c.binary(t.text, lhs, rhs)
	}
}

func (ps *parser) unary() arth {
	t := ps.peek()
	switch {
	case t.kind == tOp && t.text == "-":
		ps.next()
		return ps.c.negate(ps.unaryOperand())
	case t.kind == tOp && t.text == "(":
		ps.next()
		a := ps.arith(0)
		ps.expect(tOp, ")", "to close the parenthesis")
		return a
	case t.kind == tNum:
		ps.next()
		return constArth(t.num)
	case t.kind == tKw && t.text == "len":
		ps.next()
		return lenArth()
	case t.kind == tKw && pnames[t.text] && ps.peekN(1).kind == tOp && ps.peekN(1).text == "[":
		ps.next()
		ps.next()
		idx := ps.arith(0)
		size := uint32(1)
		if ps.is(tOp, ":") {
			ps.next()
			size = ps.expect2(tNum, "a size (1, 2 or 4) after ':'").num
		}
		ps.expect(tOp, "]", "to close the packet access")
		ps.c.pos = t.pos
		return ps.c.load(pname(t.text), idx, size)
	}
	ps.failAt(t, "syntax error: expected a number, len or proto[offset], found %s", t)
	return arth{}
}

// unaryOperand is the operand of unary minus: a primary, with "%" and "^"
// still grabbing everything to their right (yacc shifts them).
func (ps *parser) unaryOperand() arth {
	a := ps.unary()
	if t := ps.peek(); t.kind == tOp && (t.text == "%" || t.text == "^") {
		ps.next()
		rhs := ps.arith(0)
		ps.c.pos = t.pos
		a = ps.c.binary(t.text, a, rhs)
	}
	return a
}

package filter

import (
	"fmt"
	"net"
)

// qual holds a primitive's qualifiers: protocol (ether, ip, tcp...),
// direction (src, dst, or, and) and address type (host, net, port...).
// Empty strings are libpcap's Q_DEFAULT; undef marks "no qualifiers to
// repeat" (after a relation or a bare protocol word).
type qual struct {
	proto, dir, addr string
	undef            bool
}

var qerr = qual{undef: true}

// compiler holds the state libpcap keeps while generating code: the link
// type and the current header offsets, which vlan and mpls move for the
// rest of the expression.
type compiler struct {
	opts    Options
	link    linkKind
	offLT   int    // EtherType field offset, -1 when the link has none
	offNL   uint32 // network-layer header offset
	mpls    int    // MPLS labels matched so far
	scratch int    // scratch memory words in use while evaluating arithmetic
	pos     int    // position of the token being compiled, for errors
	expr    string

	protochainUsed bool
	vlanSeen       bool // a live program matched the stripped outer tag
}

// compileError carries a semantic error to Compile; the parser unwinds with
// it (a panic recovered in Compile, never leaving the package).
type compileError struct{ err *SyntaxError }

func (c *compiler) fail(format string, args ...any) {
	panic(compileError{&SyntaxError{Expr: c.expr, Pos: c.pos, Msg: fmt.Sprintf(format, args...)}})
}

// host generates gen_host: an IPv4 address or network on ip, arp and rarp.
func (c *compiler) host(addr, mask uint32, q qual) bexpr {
	typ := "host"
	if q.addr == "net" {
		typ = "net"
	}
	switch q.proto {
	case "":
		b := c.host(addr, mask, qual{proto: "ip", dir: q.dir, addr: q.addr})
		if c.mpls > 0 {
			return b // ARP is never MPLS-encapsulated
		}
		b = or(b, c.host(addr, mask, qual{proto: "arp", dir: q.dir, addr: q.addr}))
		return or(b, c.host(addr, mask, qual{proto: "rarp", dir: q.dir, addr: q.addr}))
	case "ip":
		return c.hostop(addr, mask, q.dir, etherIP, 12, 16)
	case "arp":
		return c.hostop(addr, mask, q.dir, etherARP, 14, 24)
	case "rarp":
		return c.hostop(addr, mask, q.dir, etherRARP, 14, 24)
	case "link":
		c.fail("link-layer modifier applied to %s", typ)
	case "ip6":
		c.fail("'ip6' modifier applied to ip %s", typ)
	}
	c.fail("'%s' modifier applied to %s", q.proto, typ)
	return nil
}

func (c *compiler) hostop(addr, mask uint32, dir string, proto uint32, src, dst uint32) bexpr {
	switch dir {
	case "src":
		return and(c.linktype(proto), mcmp(szW, c.offNL+src, mask, addr))
	case "dst":
		return and(c.linktype(proto), mcmp(szW, c.offNL+dst, mask, addr))
	case "and":
		return and(c.hostop(addr, mask, "src", proto, src, dst), c.hostop(addr, mask, "dst", proto, src, dst))
	case "", "or":
		return or(c.hostop(addr, mask, "src", proto, src, dst), c.hostop(addr, mask, "dst", proto, src, dst))
	}
	c.fail("'%s' is only supported on 802.11 with 802.11 headers", dir)
	return nil
}

// host6 generates gen_host6: an IPv6 address or prefix.
func (c *compiler) host6(addr, mask net.IP, q qual) bexpr {
	typ := "host"
	if q.addr == "net" {
		typ = "net"
	}
	switch q.proto {
	case "", "ip6":
		return c.hostop6(addr, mask, q.dir)
	case "ip":
		c.fail("'ip' modifier applied to ip6 %s", typ)
	case "link":
		c.fail("link-layer modifier applied to ip6 %s", typ)
	}
	c.fail("'%s' modifier applied to ip6 %s", q.proto, typ)
	return nil
}

func (c *compiler) hostop6(addr, mask net.IP, dir string) bexpr {
	at := func(off uint32) bexpr {
		var b bexpr
		for w := 0; w < 4; w++ {
			m := be32(mask[4*w:])
			if m == 0 {
				continue // libpcap's optimizer drops "and #0; jeq #0"
			}
			b = and(b, mcmp(szW, c.offNL+off+uint32(4*w), m, be32(addr[4*w:])&m))
		}
		if b == nil {
			b = bConst(true)
		}
		return and(c.linktype(etherIPv6), b)
	}
	switch dir {
	case "src":
		return at(8)
	case "dst":
		return at(24)
	case "and":
		return and(at(8), at(24))
	case "", "or":
		return or(at(8), at(24))
	}
	c.fail("'%s' is only supported on 802.11 with 802.11 headers", dir)
	return nil
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// ehost generates gen_ehostop: a MAC address in the Ethernet header.
func (c *compiler) ehost(mac net.HardwareAddr, dir string) bexpr {
	if c.link != linkEther {
		c.fail("ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel")
	}
	at := func(off uint32) bexpr {
		// gen_bcmp: the last four bytes first, then the first two.
		return and(cmp(szW, off+2, jmpJEQ, be32(mac[2:])), cmp(szH, off, jmpJEQ, uint32(mac[0])<<8|uint32(mac[1])))
	}
	switch dir {
	case "src":
		return at(6)
	case "dst":
		return at(0)
	case "and":
		return and(at(6), at(0))
	case "", "or":
		return or(at(6), at(0))
	}
	c.fail("'%s' is only supported on 802.11 with 802.11 headers", dir)
	return nil
}

// ipfrag is true for unfragmented packets and first fragments.
func (c *compiler) ipfrag() bexpr {
	return not(cmp(szH, c.offNL+6, jmpJSET, 0x1fff))
}

// transport loads a field of the IPv4 payload, behind the header length.
func (c *compiler) transportLoad(size uint16, off uint32) []insn {
	return []insn{stmt(clsLDX|modeMSH|szB, c.offNL), stmt(clsLD|modeIND|size, c.offNL+off)}
}

const (
	ipprotoTCP  = 6
	ipprotoUDP  = 17
	ipprotoSCTP = 132
	protoUndef  = -1
)

// port generates libpcap's "port": IPv6 first, then IPv4.
func (c *compiler) port(lo, hi uint32, proto int, dir string) bexpr {
	return or(c.port6(lo, hi, proto, dir), c.port4(lo, hi, proto, dir))
}

func (c *compiler) eachProto(proto int, f func(p uint32) bexpr) bexpr {
	if proto != protoUndef {
		return f(uint32(proto))
	}
	return or(f(ipprotoSCTP), or(f(ipprotoTCP), f(ipprotoUDP)))
}

func (c *compiler) portAtoms(dir string, atom func(off uint32) bexpr) bexpr {
	switch dir {
	case "src":
		return atom(0)
	case "dst":
		return atom(2)
	case "and":
		return and(atom(0), atom(2))
	case "", "or":
		return or(atom(0), atom(2))
	}
	c.fail("'%s' is not a valid qualifier for ports", dir)
	return nil
}

func rangeTest(stmts []insn, lo, hi uint32) bexpr {
	if lo == hi {
		return &bTest{stmts: stmts, jop: jmpJEQ, k: lo}
	}
	return and(&bTest{stmts: stmts, jop: jmpJGE, k: lo}, not(&bTest{stmts: stmts, jop: jmpJGT, k: hi}))
}

func (c *compiler) port4(lo, hi uint32, proto int, dir string) bexpr {
	return and(c.linktype(etherIP), c.eachProto(proto, func(p uint32) bexpr {
		b := and(cmp(szB, c.offNL+9, jmpJEQ, p), c.ipfrag())
		return and(b, c.portAtoms(dir, func(off uint32) bexpr {
			return rangeTest(c.transportLoad(szH, off), lo, hi)
		}))
	}))
}

func (c *compiler) port6(lo, hi uint32, proto int, dir string) bexpr {
	return and(c.linktype(etherIPv6), c.eachProto(proto, func(p uint32) bexpr {
		return and(cmp(szB, c.offNL+6, jmpJEQ, p), c.portAtoms(dir, func(off uint32) bexpr {
			return rangeTest([]insn{ldAbs(szH, c.offNL+40+off)}, lo, hi)
		}))
	}))
}

// proto generates gen_proto: "ip proto N", "ip6 proto N", "ether proto N".
func (c *compiler) proto(v uint32, q qual) bexpr {
	if q.dir != "" {
		c.fail("direction applied to 'proto'")
	}
	switch q.proto {
	case "":
		return or(c.proto(v, qual{proto: "ip"}), c.proto(v, qual{proto: "ip6"}))
	case "link":
		return c.linktype(v)
	case "ip":
		return and(c.linktype(etherIP), cmp(szB, c.offNL+9, jmpJEQ, v))
	case "ip6":
		// The protocol, or a fragment header followed by it.
		frag := and(cmp(szB, c.offNL+6, jmpJEQ, 44), cmp(szB, c.offNL+40, jmpJEQ, v))
		return and(c.linktype(etherIPv6), or(cmp(szB, c.offNL+6, jmpJEQ, v), frag))
	case "arp", "rarp":
		c.fail("%s does not encapsulate another protocol", q.proto)
	}
	c.fail("'%s proto' is bogus", q.proto)
	return nil
}

// abbrev generates a bare protocol word (gen_proto_abbrev).
func (c *compiler) abbrev(name string) bexpr {
	switch name {
	case "tcp":
		return c.proto(ipprotoTCP, qual{})
	case "udp":
		return c.proto(ipprotoUDP, qual{})
	case "sctp":
		return c.proto(ipprotoSCTP, qual{})
	case "icmp":
		return c.proto(1, qual{proto: "ip"})
	case "igmp":
		return c.proto(2, qual{proto: "ip"})
	case "igrp":
		return c.proto(9, qual{proto: "ip"})
	case "pim":
		return c.proto(103, qual{})
	case "vrrp", "carp":
		return c.proto(112, qual{proto: "ip"})
	case "ah":
		return c.proto(51, qual{})
	case "esp":
		return c.proto(50, qual{})
	case "icmp6":
		return c.proto(58, qual{proto: "ip6"})
	case "ip":
		return c.linktype(etherIP)
	case "ip6":
		return c.linktype(etherIPv6)
	case "arp":
		return c.linktype(etherARP)
	case "rarp":
		return c.linktype(etherRARP)
	case "link":
		c.fail("link layer applied in wrong context")
	}
	c.fail("'%s' is not supported", name)
	return nil
}

func (c *compiler) broadcast(proto string) bexpr {
	switch proto {
	case "", "link":
		if c.link != linkEther {
			c.fail("not a broadcast link")
		}
		return c.ehost(net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "dst")
	case "ip":
		if c.opts.Netmask == nil {
			c.fail("netmask not known, so 'ip broadcast' not supported")
		}
		m := c.opts.Netmask
		if len(m) == 16 {
			m = m[12:]
		}
		if len(m) != 4 {
			c.fail("netmask %v is not an IPv4 mask", c.opts.Netmask)
		}
		host := ^be32(m)
		b := or(mcmp(szW, c.offNL+16, host, 0), mcmp(szW, c.offNL+16, host, host))
		return and(c.linktype(etherIP), b)
	}
	c.fail("only link-layer/IP broadcast filters supported")
	return nil
}

func (c *compiler) multicast(proto string) bexpr {
	switch proto {
	case "", "link":
		if c.link != linkEther {
			c.fail("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
		}
		return cmp(szB, 0, jmpJSET, 1)
	case "ip":
		return and(c.linktype(etherIP), cmp(szB, c.offNL+16, jmpJGE, 224))
	case "ip6":
		return and(c.linktype(etherIPv6), cmp(szB, c.offNL+24, jmpJEQ, 255))
	}
	c.fail("only link-layer/IP/IPv6 multicast filters supported")
	return nil
}

func lenTest(jop uint16, v uint32) bexpr {
	return &bTest{stmts: []insn{stmt(clsLD|modeLEN|szW, 0)}, jop: jop, k: v}
}

// outbound tests the packet type: from the cooked header in files, from
// the kernel's ancillary data on live sockets.
func (c *compiler) outbound() bexpr {
	switch {
	case c.link == linkSLL:
		return cmp(szH, 0, jmpJEQ, packetOutgoing)
	case c.link == linkSLL2:
		return cmp(szB, 10, jmpJEQ, packetOutgoing)
	}
	return cmp(szH, skfAdOff+skfAdPkttype, jmpJEQ, packetOutgoing)
}

func (c *compiler) ifindex(v uint32) bexpr {
	if c.link == linkSLL2 {
		return cmp(szW, 4, jmpJEQ, v)
	}
	return cmp(szW, skfAdOff+skfAdIfindex, jmpJEQ, v)
}

// vlan matches an 802.1Q/802.1ad tag and moves later offsets past it.
func (c *compiler) vlan(id uint32, hasID bool) bexpr {
	if c.mpls > 0 {
		c.fail("no VLAN match after MPLS")
	}
	if hasID && id > 0x0fff {
		c.fail("VLAN tag %d greater than maximum %d", id, 0x0fff)
	}
	// Like libpcap, no VLAN matching on cooked captures (live "any" included).
	if c.link != linkEther {
		c.fail("no VLAN support for %s", linkNames[c.link])
	}
	if c.opts.Live && !c.vlanSeen {
		// A live socket sees the outermost tag out of band: the kernel has
		// stripped it and reports it as ancillary data, and the headers
		// after it are where they would be untagged. Further tags (QinQ)
		// are still in the packet.
		c.vlanSeen = true
		b := cmp(szB, skfAdOff+skfAdVlanTagP, jmpJEQ, 1)
		if hasID {
			b = and(b, &bTest{stmts: []insn{ldAbs(szH, skfAdOff+skfAdVlanTag), stmt(clsALU|aluAND|srcK, 0x0fff)}, jop: jmpJEQ, k: id})
		}
		return b
	}
	lt := uint32(c.offLT)
	b := or(or(cmp(szH, lt, jmpJEQ, ether8021Q), cmp(szH, lt, jmpJEQ, ether8021A)), cmp(szH, lt, jmpJEQ, ether9100))
	if hasID {
		b = and(b, mcmp(szH, c.offNL, 0x0fff, id))
	}
	c.offLT += 4
	c.offNL += 4
	return b
}

// mplsLabel matches an MPLS label stack entry and moves later offsets past it.
func (c *compiler) mplsLabel(label uint32, hasLabel bool) bexpr {
	var b bexpr
	if c.mpls > 0 {
		b = mcmp(szB, c.offNL-2, 0x01, 0) // the previous entry is not bottom of stack
	} else {
		if c.link != linkEther || c.opts.Cooked {
			c.fail("no MPLS support for %s", linkNames[c.link])
		}
		b = c.linktype(etherMPLS)
	}
	if hasLabel {
		if label > 0xfffff {
			c.fail("MPLS label %d greater than maximum %d", label, 0xfffff)
		}
		b = and(b, mcmp(szW, c.offNL, 0xfffff000, label<<12))
	}
	c.offNL += 4
	c.mpls++
	return b
}

// byteop is libpcap's "byte N op V", which compares a byte of the link
// header; "&" and "|" famously test the accumulator without loading it.
func (c *compiler) byteop(op string, idx, v uint32) bexpr {
	switch op {
	case "=":
		return cmp(szB, idx, jmpJEQ, v)
	case "<":
		return not(cmp(szB, idx, jmpJGE, v))
	case ">":
		return cmp(szB, idx, jmpJGT, v)
	case "&":
		return not(&bTest{stmts: []insn{stmt(clsALU|aluAND|srcK, v)}, jop: jmpJEQ, k: 0, impure: true})
	case "|":
		return not(&bTest{stmts: []insn{stmt(clsALU|aluOR|srcK, v)}, jop: jmpJEQ, k: 0, impure: true})
	}
	c.fail("illegal operator %q after 'byte'", op)
	return nil
}

// protochainSteps bounds the header walk: classic BPF cannot jump back, so
// libpcap's loop is unrolled this many headers deep.
const protochainSteps = 8

// protochain is libpcap's gen_protochain: follow IPv6 extension headers
// (hop-by-hop, destination options, routing, fragment) and AH until the
// protocol or a header that ends the walk. Its registers live across
// tests, so its tests are impure.
func (c *compiler) protochain(v uint32, proto string) bexpr {
	switch proto {
	case "":
		return or(c.protochain(v, "ip"), c.protochain(v, "ip6"))
	case "ip", "ip6":
	default:
		c.fail("bad protocol applied for 'protochain'")
	}
	// libpcap does not optimize programs with protochain, so it never
	// finds that they reject everything.
	c.protochainUsed = true
	nl := c.offNL
	aeq := func(k uint32, s ...insn) bexpr { return &bTest{stmts: s, jop: jmpJEQ, k: k, impure: true} }
	// AH: next header at X, length at X+1; libpcap then sets X to the
	// AH length alone, not adding it to X (kept, to select the same packets).
	ah := []insn{stmt(clsMISC|miscTXA, 0), stmt(clsLD|modeIND|szB, nl), stmt(clsST, 0),
		stmt(clsMISC|miscTXA, 0), stmt(clsALU|aluADD|srcK, 1), stmt(clsMISC|miscTAX, 0),
		stmt(clsLD|modeIND|szB, nl), stmt(clsALU|aluADD|srcK, 2), stmt(clsALU|aluMUL|srcK, 4),
		stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeMEM, 0)}
	ext := []insn{stmt(clsLD|modeIND|szB, nl), stmt(clsST, 0), stmt(clsLD|modeIND|szB, nl+1),
		stmt(clsALU|aluADD|srcK, 1), stmt(clsALU|aluMUL|srcK, 8), stmt(clsALU|aluADD|srcX, 0),
		stmt(clsMISC|miscTAX, 0), stmt(clsLD|modeMEM, 0)}
	final := aeq(v)
	var step bexpr = final
	for i := 0; i < protochainSteps; i++ {
		var walk bexpr = &bIf{aeq(51), &bSeq{stmts: ah, next: step}, final}
		if proto == "ip6" {
			isExt := or(aeq(0), or(aeq(60), or(aeq(43), aeq(44))))
			walk = &bIf{isExt, &bSeq{stmts: ext, next: step}, walk}
		}
		step = &bIf{aeq(v), bConst(true), &bIf{aeq(59), final, walk}}
	}
	// The first step loads the protocol and the offset of what follows.
	var start []insn
	if proto == "ip" {
		start = []insn{ldAbs(szB, nl+9), stmt(clsLDX|modeMSH|szB, nl)}
		return and(c.linktype(etherIP), &bSeq{stmts: start, next: step})
	}
	start = []insn{ldAbs(szB, nl+6), stmt(clsLDX|modeIMM, 40)}
	return and(c.linktype(etherIPv6), &bSeq{stmts: start, next: step})
}

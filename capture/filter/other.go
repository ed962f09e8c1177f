package filter

import "net"

// The primitives beyond addresses, ports and protocols: broadcast and
// multicast, lengths, packet direction and interface, VLAN and MPLS
// encapsulation, "byte", and protochain's header walk.

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
	lt := uint32(c.offLT)
	tag := or(or(cmp(szH, lt, jmpJEQ, ether8021Q), cmp(szH, lt, jmpJEQ, ether8021A)), cmp(szH, lt, jmpJEQ, ether9100))
	if hasID {
		tag = and(tag, mcmp(szH, c.offNL, 0x0fff, id))
	}
	if c.opts.Live && !c.vlanVar {
		// A live socket may see the outermost tag either way: the kernel
		// strips 802.1Q and 802.1ad tags of received frames to ancillary
		// data, but not 0x9100 ones or those of some sent frames. As in
		// libpcap, the stripped tag is tried first, and whenever it is
		// absent the rest of the expression reads 4 bytes further on (even
		// if no inline tag matches either: libpcap moves its offsets before
		// that test, so "not vlan and ip" reads the type at 16).
		c.vlanVar = true
		var tci bexpr = bConst(true)
		if hasID {
			tci = &bTest{stmts: []insn{ldAbs(szH, skfAdOff+skfAdVlanTag), stmt(clsALU|aluAND|srcK, 0x0fff)}, jop: jmpJEQ, k: id}
		}
		moved := &bSeq{stmts: []insn{stmt(clsLD|modeIMM, 1), stmt(clsST, vlanReg)}, next: tag}
		return &bIf{cond: cmp(szB, skfAdOff+skfAdVlanTagP, jmpJEQ, 1), then: tci, els: moved}
	}
	c.offLT += 4
	c.offNL += 4
	return tag
}

// vlanReg is the scratch word that says, after the first "vlan" of a live
// program, that its tag was inline (1) rather than stripped (0).
const vlanReg = memWords - 1

// inlineTag tests vlanReg (see parser.leaf). It reads a register, so it is
// impure: the optimizer never skips it.
func inlineTag() bexpr {
	return &bTest{stmts: []insn{stmt(clsLD|modeMEM, vlanReg)}, jop: jmpJEQ, k: 1, impure: true}
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
	idx = pktOff(idx)
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

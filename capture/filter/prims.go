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
	opts  Options
	link  linkKind
	offLT int    // EtherType field offset, -1 when the link has none
	offNL uint32 // network-layer header offset
	mpls  int    // MPLS labels matched so far
	pos   int    // position of the token being compiled, for errors
	expr  string
	names *nameTables // services and protocols, read on first use

	protochainUsed bool
	vlanVar        bool // a live program passed its first vlan: see parser.leaf
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
		// libpcap says "host" here even for a net.
		c.fail("'ip6' modifier applied to ip host")
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

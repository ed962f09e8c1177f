package filter

import (
	"net"
	"strconv"
	"strings"
)

// Values with qualifiers: libpcap's gen_ncode, gen_scode, gen_mcode,
// gen_mcode6 and gen_ecode.

func (ps *parser) undef(q qual, t token) {
	if q.undef {
		ps.failAt(t, "syntax error: %s has no qualifier to repeat (write e.g. 'host %s' or 'port %s')", t, t.text, t.text)
	}
}

// atoin parses a dotted prefix as __pcap_atoin: "10.1" is 0x0a01, 16 bits.
func atoin(s string) (uint32, int, bool) {
	var v uint32
	parts := strings.Split(s, ".")
	for _, p := range parts {
		n, err := parseNum(p)
		if err != nil || n > 255 {
			return 0, 0, false
		}
		v = v<<8 | n
	}
	return v, 8 * len(parts), true
}

func (ps *parser) ncode(s string, v uint32, q qual, t token) bexpr {
	ps.undef(q, t)
	c := ps.c
	c.pos = t.pos
	if s != "" && q.addr != "" && q.addr != "host" && q.addr != "net" && q.addr != "gateway" {
		c.fail("'%s' modifier applied to ip host", q.addr)
	}
	switch q.addr {
	case "", "host", "net":
		if q.proto == "link" {
			c.fail("illegal link layer address")
		}
		mask := uint32(0xffffffff)
		if s == "" && q.addr == "net" {
			for v != 0 && v&0xff000000 == 0 {
				v <<= 8
				mask <<= 8
			}
		} else if s != "" {
			n, bits, ok := atoin(s)
			if !ok {
				c.fail("invalid IPv4 address %q", s)
			}
			v, mask = n<<(32-bits), mask<<(32-bits)
		}
		return c.host(v, mask, q)
	case "port", "portrange":
		proto := c.portProto(q.proto, q.addr)
		if v > 65535 {
			c.fail("illegal port number %d > 65535", v)
		}
		return c.port(v, v, proto, q.dir)
	case "proto":
		return c.proto(v, q)
	case "protochain":
		return c.protochain(v, q.proto)
	}
	c.fail("syntax error: illegal qualifier for a number")
	return nil
}

func (c *compiler) portProto(proto, what string) int {
	switch proto {
	case "tcp":
		return ipprotoTCP
	case "udp":
		return ipprotoUDP
	case "sctp":
		return ipprotoSCTP
	case "":
		return protoUndef
	}
	c.fail("illegal qualifier of '%s'", what)
	return 0
}

func (ps *parser) scode(name string, q qual, t token) bexpr {
	ps.undef(q, t)
	c := ps.c
	c.pos = t.pos
	switch q.addr {
	case "net":
		addr := c.lookupNet(name)
		if addr == 0 {
			c.fail("unknown network '%s'", name)
		}
		// Left-justified, the mask covering the bytes given, as libpcap.
		mask := uint32(0xffffffff)
		for addr&0xff000000 == 0 {
			addr, mask = addr<<8, mask<<8
		}
		return c.host(addr, mask, q)
	case "", "host":
		if q.proto == "link" {
			return c.etherName(name, q.dir)
		}
		return c.hostName(name, q)
	case "port":
		proto := c.portProto(q.proto, "port")
		port, real, ok := c.lookupPort(name)
		if !ok {
			if n, err := strconv.Atoi(name); err == nil && n >= 0 {
				port, real, ok = n, protoUndef, true
			}
		}
		if !ok {
			c.fail("unknown port '%s'", name)
		}
		proto = mergePortProto(c, name, proto, real)
		if port > 65535 {
			c.fail("illegal port number %d > 65535", port)
		}
		return c.port(uint32(port), uint32(port), proto, q.dir)
	case "portrange":
		proto := c.portProto(q.proto, "portrange")
		lo, hi, real := c.portRange(name)
		proto = mergePortProto(c, name, proto, real)
		if lo > hi {
			lo, hi = hi, lo
		}
		return c.port(lo, hi, proto, q.dir)
	case "proto", "protochain":
		if q.proto == "link" {
			v, ok := etherProtos[name]
			if !ok {
				c.fail("unknown ether proto '%s'", name)
			}
			return c.proto(v, q)
		}
		v, ok := c.lookupProto(name)
		if !ok {
			c.fail("unknown ip proto '%s'", name)
		}
		if q.addr == "protochain" {
			return c.protochain(v, q.proto)
		}
		return c.proto(v, q)
	}
	c.fail("syntax error: illegal qualifier for a name")
	return nil
}

// hostName matches every address the name resolves to, in the resolver's
// order, as libpcap's gen_scode: "ip host" keeps the IPv4 ones, "ip6 host"
// the IPv6 ones, and a link without a type field checks each as its own
// family.
func (c *compiler) hostName(name string, q qual) bexpr {
	addrs, err := c.resolver().LookupHost(name)
	if err != nil || len(addrs) == 0 {
		c.fail("unknown host '%s'", name)
	}
	q4, q6 := q, q
	if c.offLT < 0 && q.proto == "" {
		q4.proto, q6.proto = "ip", "ip6"
	}
	var all bexpr
	for _, a := range addrs {
		var b bexpr
		switch {
		case a.Is4() || a.Is4In6():
			if q4.proto == "ip6" {
				continue
			}
			b = c.host(be32(a.Unmap().AsSlice()), 0xffffffff, q4)
		default:
			if q6.proto == "ip" {
				continue
			}
			b = c.host6(a.AsSlice(), net.IP(net.CIDRMask(128, 128)), q6)
		}
		if all == nil {
			all = b
		} else {
			all = or(all, b)
		}
	}
	if all == nil {
		c.fail("unknown host '%s' for specified address family", name)
	}
	return all
}

// etherName matches the address /etc/ethers gives name; libpcap checks the
// link type before it looks the name up.
func (c *compiler) etherName(name, dir string) bexpr {
	if c.link != linkEther {
		c.fail("only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name")
	}
	mac, ok := c.lookupEther(name)
	if !ok {
		c.fail("unknown ether host '%s'", name)
	}
	return c.ehost(mac, dir)
}

func mergePortProto(c *compiler, name string, want, real int) int {
	names := map[int]string{ipprotoTCP: "tcp", ipprotoUDP: "udp", ipprotoSCTP: "sctp"}
	if want == protoUndef {
		return real
	}
	if real != protoUndef && real != want {
		c.fail("port '%s' is %s", name, names[real])
	}
	return want
}

// portRange parses "lo-hi", each side a number or a service name.
func (c *compiler) portRange(s string) (uint32, uint32, int) {
	one := func(p string) (uint32, int) {
		if n, err := strconv.Atoi(p); err == nil {
			if n < 0 || n > 65535 {
				c.fail("illegal port number %d > 65535", n)
			}
			return uint32(n), protoUndef
		}
		port, proto, ok := c.lookupPort(p)
		if !ok {
			c.fail("unknown port in range '%s'", s)
		}
		return uint32(port), proto
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		v, p := one(s)
		return v, v, p
	}
	lo, p1 := one(a)
	hi, p2 := one(b)
	if p1 != p2 {
		if p1 == protoUndef {
			p1 = p2
		} else if p2 != protoUndef {
			c.fail("port range '%s' mixes protocols", s)
		}
	}
	return lo, hi, p1
}

func (ps *parser) mcode(s1, s2 string, plen uint32, q qual, t token) bexpr {
	ps.undef(q, t)
	c := ps.c
	c.pos = t.pos
	n, bits, ok := atoin(s1)
	if !ok {
		c.fail("invalid IPv4 address %q", s1)
	}
	n <<= 32 - bits
	var m uint32
	if s2 != "" {
		mv, mbits, ok := atoin(s2)
		if !ok {
			c.fail("invalid netmask %q", s2)
		}
		m = mv << (32 - mbits)
		if n&^m != 0 {
			c.fail("non-network bits set in \"%s mask %s\"", s1, s2)
		}
	} else {
		if plen > 32 {
			c.fail("mask length must be <= 32")
		}
		if plen > 0 {
			m = 0xffffffff << (32 - plen)
		}
		if n&^m != 0 {
			c.fail("non-network bits set in \"%s/%d\"", s1, plen)
		}
	}
	if q.addr != "net" {
		c.fail("Mask syntax for networks only")
	}
	return c.host(n, m, q)
}

func (ps *parser) mcode6(s string, plen uint32, q qual, t token) bexpr {
	ps.undef(q, t)
	c := ps.c
	c.pos = t.pos
	ip := net.ParseIP(s)
	if ip == nil || ip.To16() == nil {
		c.fail("bogus IPv6 address %s", s)
	}
	ip = ip.To16()
	if plen > 128 {
		c.fail("mask length must be <= 128")
	}
	mask := net.IP(net.CIDRMask(int(plen), 128))
	for i := range ip {
		if ip[i]&^mask[i] != 0 {
			c.fail("non-network bits set in \"%s/%d\"", s, plen)
		}
	}
	switch q.addr {
	case "", "host":
		if plen != 128 {
			c.fail("Mask syntax for networks only")
		}
	case "net":
	default:
		c.fail("invalid qualifier against IPv6 address")
	}
	return c.host6(ip, mask, q)
}

func (ps *parser) ecode(s string, q qual, t token) bexpr {
	ps.undef(q, t)
	c := ps.c
	c.pos = t.pos
	if (q.addr == "host" || q.addr == "") && q.proto == "link" {
		mac, ok := parseMAC(s)
		if !ok {
			c.fail("bogus ethernet address %s", s)
		}
		return c.ehost(mac, q.dir)
	}
	c.fail("ethernet address used in non-ether expression")
	return nil
}

func parseMAC(s string) (net.HardwareAddr, bool) {
	var hex string
	switch {
	case strings.ContainsAny(s, ":-") || strings.Count(s, ".") == 5:
		for _, g := range strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' || r == '.' }) {
			if len(g) == 1 {
				g = "0" + g
			}
			hex += g
		}
	default:
		hex = strings.ReplaceAll(s, ".", "")
	}
	if len(hex) != 12 {
		return nil, false
	}
	mac := make(net.HardwareAddr, 6)
	for i := range mac {
		v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, false
		}
		mac[i] = byte(v)
	}
	return mac, true
}

package printer

// LLDP's IEEE 802.1 and 802.3 organization-specific TLVs, as tcpdump's
// lldp_private_8021_print and lldp_private_8023_print decode them. (The
// data center bridging ones, TIA's LLDP-MED, DCBX and IANA's MUD URL are
// printed in hex, which tcpdump decodes.)

var lldp8021Subtypes = map[uint32]string{1: "Port VLAN Id", 2: "Port and Protocol VLAN ID", 3: "VLAN name",
	4: "Protocol Identity", 8: "Congestion Notification", 9: "ETS Configuration", 10: "ETS Recommendation",
	11: "Priority Flow Control Configuration", 12: "Application Priority", 13: "EVB", 14: "CDCP"}

var lldp8023Subtypes = map[uint32]string{1: "MAC/PHY configuration/status", 2: "Power via MDI",
	3: "Link aggregation", 4: "Max frame size"}

var lldpSupportedEnabled = []bitName{{0x01, "supported"}, {0x02, "enabled"}}

// lldpPPVIDFlags are the port and protocol VLAN flags (bits 1 and 2).
var lldpPPVIDFlags = []bitName{{0x02, "supported"}, {0x04, "enabled"}}

var lldpPMDCaps = []bitName{{1 << 14, "10BASE-T hdx"}, {1 << 13, "10BASE-T fdx"}, {1 << 12, "100BASE-T4"},
	{1 << 11, "100BASE-TX hdx"}, {1 << 10, "100BASE-TX fdx"}, {1 << 9, "100BASE-T2 hdx"}, {1 << 8, "100BASE-T2 fdx"},
	{1 << 7, "Pause for fdx links"}, {1 << 6, "Asym PAUSE for fdx"}, {1 << 5, "Sym PAUSE for fdx"},
	{1 << 4, "Asym and Sym PAUSE for fdx"}, {1 << 3, "1000BASE-{X LX SX CX} hdx"}, {1 << 2, "1000BASE-{X LX SX CX} fdx"},
	{1 << 1, "1000BASE-T hdx"}, {1 << 0, "1000BASE-T fdx"}}

// lldpMAUTypes is RFC 3636's dot3MauType, indexed by value.
var lldpMAUTypes = [...]string{"Unknown", "AUI", "10BASE_5", "FOIRL", "10BASE2", "10BASET duplex mode unknown",
	"10BASEFP", "10BASEFB", "10BASEFL duplex mode unknown", "10BROAD36", "10BASET hdx", "10BASET fdx",
	"10BASEFL hdx", "10BASEFL fdx", "100BASET4", "100BASETX hdx", "100BASETX fdx", "100BASEFX hdx",
	"100BASEFX fdx", "100BASET2 hdx", "100BASET2 fdx", "1000BASEX hdx", "1000BASEX fdx", "1000BASELX hdx",
	"1000BASELX fdx", "1000BASESX hdx", "1000BASESX fdx", "1000BASECX hdx", "1000BASECX fdx", "1000BASET hdx",
	"1000BASET fdx", "10GBASEX", "10GBASELX4", "10GBASER", "10GBASEER", "10GBASELR", "10GBASESR", "10GBASEW",
	"10GBASEEW", "10GBASELW", "10GBASESW"}

// lldpOrg decodes the TLVs of the IEEE 802.1 and 802.3 OUIs (v is the
// whole value, OUI first); hexdump is true for those it leaves in hex.
func (p *Printer) lldpOrg(oui uint32, v []byte) (hexdump bool) {
	names := lldp8021Subtypes
	if oui == 0x00120f {
		names = lldp8023Subtypes
	} else if oui != 0x0080c2 {
		return true
	}
	if len(v) < 4 {
		return false
	}
	sub := uint32(v[3])
	name, ok := tok(names, sub)
	if !ok {
		name = "unknown"
	}
	p.s("\n\t  ")
	p.s(name)
	p.s(" Subtype (")
	p.u(uint64(sub))
	p.c(')')
	if oui == 0x0080c2 {
		return p.lldp8021(sub, v)
	}
	return p.lldp8023(sub, v)
}

func (p *Printer) lldp8021(sub uint32, v []byte) (hexdump bool) {
	switch sub {
	case 1:
		if len(v) >= 6 {
			p.s("\n\t    port vlan id (PVID): ")
			p.u(uint64(be16(v[4:])))
		}
	case 2:
		if len(v) >= 7 {
			p.s("\n\t    port and protocol vlan id (PPVID): ")
			p.u(uint64(be16(v[5:])))
			p.s(", flags [")
			p.bits(uint32(v[4]), lldpPPVIDFlags)
			p.s("] (0x")
			p.x(uint64(v[4]), 2)
			p.c(')')
		}
	case 3:
		if len(v) < 6 {
			return false
		}
		p.s("\n\t    vlan id (VID): ")
		p.u(uint64(be16(v[4:])))
		if len(v) < 7 || len(v) < 7+int(v[6]) {
			return false
		}
		p.s("\n\t    vlan name: ")
		p.printjnp(v[7 : 7+int(v[6])])
	case 4:
		if len(v) < 5 || len(v) < 5+int(v[4]) {
			return false
		}
		p.s("\n\t    protocol identity: ")
		p.printjnp(v[5 : 5+int(v[4])])
	default:
		return true
	}
	return false
}

func (p *Printer) lldp8023(sub uint32, v []byte) (hexdump bool) {
	switch sub {
	case 1:
		if len(v) < 9 {
			return false
		}
		p.s("\n\t    autonegotiation [")
		p.bits(uint32(v[4]), lldpSupportedEnabled)
		p.s("] (0x")
		p.x(uint64(v[4]), 2)
		p.s(")\n\t    PMD autoneg capability [")
		pmd := uint32(be16(v[5:]))
		if pmd&0x7fff == 0 {
			p.s("unknown")
		} else {
			p.bits(pmd, lldpPMDCaps)
		}
		p.s("] (0x")
		p.x(uint64(pmd), 4)
		p.s(")\n\t    MAU type ")
		mau := int(be16(v[7:]))
		if mau < len(lldpMAUTypes) {
			p.s(lldpMAUTypes[mau])
		} else {
			p.s("unknown")
		}
		p.s(" (0x")
		p.x(uint64(mau), 4)
		p.c(')')
	case 3:
		if len(v) < 9 {
			return false
		}
		p.s("\n\t    aggregation status [")
		p.bits(uint32(v[4]), lldpSupportedEnabled)
		p.s("], aggregation port ID ")
		p.u(uint64(be32(v[5:])))
	case 4:
		if len(v) < 6 {
			return false
		}
		p.s("\n\t    MTU size ")
		p.u(uint64(be16(v[4:])))
	default:
		return true
	}
	return false
}

package filter

import (
	"fmt"
	"strings"

	"github.com/gopacket/gopacket/layers"
)

type linkKind int

const (
	linkEther linkKind = iota
	linkSLL
	linkSLL2
	linkRaw
	linkIPv4
	linkIPv6
)

var linkNames = map[linkKind]string{
	linkEther: "Ethernet", linkSLL: "Linux cooked v1", linkSLL2: "Linux cooked v2",
	linkRaw: "Raw IP", linkIPv4: "Raw IPv4", linkIPv6: "Raw IPv6",
}

// EtherTypes used by the generators.
const (
	etherIP    = 0x0800
	etherARP   = 0x0806
	etherRARP  = 0x8035
	etherIPv6  = 0x86dd
	etherMPLS  = 0x8847
	ether8021Q = 0x8100
	ether8021A = 0x88a8
	ether9100  = 0x9100
	etherMTU   = 1500

	sllP8022       = 0x0004 // LINUX_SLL_P_802_2: protocol field of 802.2 LLC frames
	sllP8023       = 0x0001 // LINUX_SLL_P_802_3: Novell 802.3 frames without LLC
	etherIPX       = 0x8137
	etherATalk     = 0x809b
	etherAARP      = 0x80f3
	llcIP          = 0x06
	llcNetBEUI     = 0xf0
	llcISONS       = 0xfe
	llcIPX         = 0xe0
	packetOutgoing = 4 // PACKET_OUTGOING
)

func linkFor(lt layers.LinkType) (linkKind, error) {
	switch lt {
	case 0, layers.LinkTypeEthernet:
		return linkEther, nil
	case layers.LinkTypeLinuxSLL:
		return linkSLL, nil
	case layers.LinkTypeLinuxSLL2:
		return linkSLL2, nil
	case layers.LinkTypeRaw, 12, 14: // DLT_RAW has three numbers across platforms
		return linkRaw, nil
	case layers.LinkTypeIPv4:
		return linkIPv4, nil
	case layers.LinkTypeIPv6:
		return linkIPv6, nil
	}
	return 0, fmt.Errorf("link type %d (%s): %w (nsdiag filters Ethernet, Linux cooked v1/v2 and raw IP)", int(lt), lt, ErrNotSupported)
}

// setLink sets the header offsets libpcap uses for the link type.
func (c *compiler) setLink(k linkKind) {
	c.link = k
	switch k {
	case linkEther:
		c.offLT, c.offNL = 12, 14
	case linkSLL:
		c.offLT, c.offNL = 14, 16
	case linkSLL2:
		c.offLT, c.offNL = 0, 20
	default:
		c.offLT, c.offNL = -1, 0
	}
}

// linktype tests the packet's network protocol (an EtherType), as libpcap's
// gen_linktype does for each link type; after an MPLS label it checks the
// bottom-of-stack bit and the IP version nibble instead.
func (c *compiler) linktype(proto uint32) bexpr {
	if c.mpls > 0 {
		bos := mcmp(szB, c.offNL-2, 0x01, 0x01)
		switch proto {
		case etherIP:
			return and(bos, mcmp(szB, c.offNL, 0xf0, 0x40))
		case etherIPv6:
			return and(bos, mcmp(szB, c.offNL, 0xf0, 0x60))
		}
		c.fail("unsupported protocol over mpls")
	}
	lt := func(v uint32) bexpr { return cmp(szH, uint32(c.offLT), jmpJEQ, v) }
	nl := c.offNL
	switch c.link {
	case linkEther, linkSLL:
		// 802.2 LLC frames: an 802.3 length field on Ethernet, protocol
		// 0x0004 in a cooked header.
		isLLC := not(cmp(szH, uint32(c.offLT), jmpJGT, etherMTU))
		if c.link == linkSLL {
			isLLC = lt(sllP8022)
		}
		switch proto {
		case llcISONS, llcIP, llcNetBEUI:
			// DSAP and SSAP both equal to the SAP.
			return and(isLLC, cmp(szH, nl, jmpJEQ, proto<<8|proto))
		case llcIPX:
			snap := and(cmp(szW, nl+4, jmpJEQ, etherIPX), cmp(szW, nl, jmpJEQ, 0xaaaa0300))
			if c.link == linkSLL {
				return or(lt(etherIPX), or(lt(sllP8023), and(isLLC, or(cmp(szB, nl, jmpJEQ, llcIPX), snap))))
			}
			return or(lt(etherIPX), and(isLLC, or(snap, or(cmp(szB, nl, jmpJEQ, llcIPX), cmp(szH, nl, jmpJEQ, 0xffff)))))
		case etherATalk:
			// AppleTalk in SNAP with Apple's OUI.
			return or(lt(proto), and(isLLC, and(cmp(szW, nl+4, jmpJEQ, 0x0007809b), cmp(szW, nl, jmpJEQ, 0xaaaa0308))))
		case etherAARP:
			return or(lt(proto), and(isLLC, and(cmp(szW, nl+4, jmpJEQ, etherAARP), cmp(szW, nl, jmpJEQ, 0xaaaa0300))))
		}
		if proto <= etherMTU {
			// An LLC header whose DSAP is proto.
			return and(isLLC, cmp(szB, nl, jmpJEQ, proto))
		}
		return lt(proto)
	case linkSLL2:
		return cmp(szH, uint32(c.offLT), jmpJEQ, proto)
	case linkRaw:
		switch proto {
		case etherIP:
			return mcmp(szB, 0, 0xf0, 0x40)
		case etherIPv6:
			return mcmp(szB, 0, 0xf0, 0x60)
		}
		return bConst(false)
	case linkIPv4:
		return bConst(proto == etherIP)
	case linkIPv6:
		return bConst(proto == etherIPv6)
	}
	return bConst(false)
}

// fixCooked rewrites a Linux cooked (SLL or SLL2) program for a live "any"
// socket, which sees no link header: payload offsets move down by the header
// length and the header fields become the kernel's ancillary loads, exactly
// as libpcap's fix_program does.
func fixCooked(prog []insn, k linkKind) error {
	hdr := uint32(16)
	if k == linkSLL2 {
		hdr = 20
	}
	for i := range prog {
		p := &prog[i]
		cls := p.op & 0x07
		mode := p.op & 0xe0
		if cls != clsLD && cls != clsLDX {
			continue
		}
		if mode != modeABS && mode != modeIND && mode != modeMSH {
			continue
		}
		if p.k >= skfAdOff {
			continue
		}
		switch {
		case p.k >= hdr:
			p.k -= hdr
		case k == linkSLL2 && p.k == 0, k == linkSLL && p.k == 14:
			p.k = skfAdOff + skfAdProtocol
		case k == linkSLL2 && p.k == 10, k == linkSLL && p.k == 0:
			p.k = skfAdOff + skfAdPkttype
		case k == linkSLL2 && p.k == 4:
			p.k = skfAdOff + skfAdIfindex
		default:
			return fmt.Errorf("filter reads byte %d of the cooked header, which a live \"any\" capture does not have", p.k)
		}
	}
	return nil
}

// ParseLinkType maps a tcpdump -y name (EN10MB, LINUX_SLL, LINUX_SLL2, RAW,
// IPV4, IPV6; any case) to its link type.
func ParseLinkType(name string) (layers.LinkType, error) {
	switch strings.ToUpper(name) {
	case "EN10MB", "ETHERNET":
		return layers.LinkTypeEthernet, nil
	case "LINUX_SLL":
		return layers.LinkTypeLinuxSLL, nil
	case "LINUX_SLL2":
		return layers.LinkTypeLinuxSLL2, nil
	case "RAW":
		return layers.LinkTypeRaw, nil
	case "IPV4":
		return layers.LinkTypeIPv4, nil
	case "IPV6":
		return layers.LinkTypeIPv6, nil
	}
	return 0, fmt.Errorf("unknown link type %q: use EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4 or IPV6", name)
}

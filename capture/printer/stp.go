package printer

// Spanning tree BPDUs (IEEE 802.1D/802.1w) inside 802.2 LLC, as tcpdump
// 4.99's llc_print and stp_print show them: a Linux bridge with STP on
// sends them every hello time.

var stpFlags = []bitName{{0x01, "Topology change"}, {0x02, "Proposal"}, {0x10, "Learn"},
	{0x20, "Forward"}, {0x40, "Agreement"}, {0x80, "Topology change ACK"}}

var stpPortRoles = [4]string{"Unknown", "Alternate", "Root", "Designated"}

// llcKnown reports whether b starts an LLC UI frame to a SAP we decode:
// spanning tree, or IP as RFC 948 carried it.
func llcKnown(b []byte) bool {
	return len(b) >= 3 && b[2] == 0x03 && b[0] == b[1] && (b[0] == 0x42 || b[0] == 0x06)
}

// llc prints such a frame as tcpdump's llc_print.
func (p *Printer) llc(b []byte, length int) {
	name := "STP (0x42)"
	if b[0] == 0x06 {
		name = "IP (0x06)"
	}
	if p.opts.LinkHeader {
		p.s("LLC, dsap ")
		p.s(name)
		p.s(" Individual, ssap ")
		p.s(name)
		p.s(" Command, ctrl 0x03: ")
	}
	if b[0] == 0x06 {
		p.ipv4(b[3:], length-3)
		return
	}
	p.stp(b[3:], length-3)
}

func (p *Printer) stp(b []byte, length int) {
	if length < 4 {
		p.s(" (invalid)")
		return
	}
	if len(b) < 4 {
		p.trunc("stp")
		return
	}
	if be16(b) != 0 {
		p.s("unknown STP version, length ")
		p.i(length)
		return
	}
	version, typ := b[2], b[3]
	p.s("STP ")
	switch version {
	case 0:
		p.s("802.1d")
	case 2:
		p.s("802.1w")
	case 3:
		p.s("802.1s")
	default:
		p.s("Unknown STP protocol (0x")
		p.x(uint64(version), 2)
		p.c(')')
		return
	}
	p.s(", ")
	switch typ {
	case 0x00:
		p.s("Config")
	case 0x02:
		p.s("Rapid STP")
	case 0x80:
		p.s("Topology Change")
	default:
		p.s("Unknown BPDU Type (0x")
		p.x(uint64(typ), 2)
		p.c(')')
	}
	switch {
	case typ == 0x00 && length < 35, typ == 0x02 && version == 2 && length < 36:
		p.s(" (invalid)")
	case typ == 0x00, typ == 0x02 && version == 2:
		p.stpConfig(b, length)
	}
}

func (p *Printer) stpConfig(b []byte, length int) {
	if len(b) < 35 {
		p.trunc("stp")
		return
	}
	p.s(", Flags [")
	p.bits(uint32(b[4]), stpFlags)
	p.s("], bridge-id ")
	p.stpBridgeID(b[17:])
	p.c('.')
	p.x(uint64(be16(b[25:])), 4)
	p.s(", length ")
	p.i(length)
	if p.opts.Verbose == 0 {
		return
	}
	for i, name := range []string{"\n\tmessage-age ", ", max-age ", ", hello-time ", ", forwarding-delay "} {
		p.s(name)
		p.stpTime(be16(b[27+2*i:]))
	}
	p.s("\n\troot-id ")
	p.stpBridgeID(b[5:])
	p.s(", root-pathcost ")
	p.u(uint64(be32(b[13:])))
	if b[2] == 2 {
		p.s(", port-role ")
		p.s(stpPortRoles[b[4]>>2&3])
	}
}

// stpBridgeID prints priority.MAC as tcpdump's "%.4x.%s".
func (p *Printer) stpBridgeID(b []byte) {
	p.x(uint64(be16(b)), 4)
	p.c('.')
	p.mac(b[2:8])
}

// stpTime prints a BPDU time (1/256 s) as "%.2fs", rounded as printf does.
func (p *Printer) stpTime(v uint16) {
	hundredths := (uint64(v)*100 + 128) / 256
	if (uint64(v)*100)%256 == 128 && hundredths%2 == 1 {
		hundredths-- // printf rounds an exact half to even
	}
	p.u(hundredths / 100)
	p.c('.')
	p.pad(int(hundredths%100), 2)
	p.c('s')
}

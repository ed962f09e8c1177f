package printer

// IGMPv3 and MLDv2 reports share one layout (RFC 3376 4.2, RFC 3810 5.2):
// a count of group records, each a type, a source count, the group and its
// sources; only the address size differs. tcpdump prints both alike.

// groupReportKind names what differs between an IGMPv3 and an MLDv2 report.
type groupReportKind struct {
	proto   string // the truncation mark's protocol
	addrLen int    // 4 for IGMPv3, 16 for MLDv2
	unknown string // the prefix of a record type with no name
}

var (
	igmpV3Report = groupReportKind{proto: "igmp", addrLen: 4, unknown: " [v3-report-#"}
	mld2Report   = groupReportKind{proto: "icmp6", addrLen: 16, unknown: " [v2-report-#"}
)

var groupRecordTypes = [...]string{1: "is_in", 2: "is_ex", 3: "to_in", 4: "to_ex", 5: "allow", 6: "block"}

func (p *Printer) groupAddr(k groupReportKind, b []byte) {
	if k.addrLen == 4 {
		p.ip4(b)
	} else {
		p.ip6(b)
	}
}

// groupReport prints the report after its 8-byte header; it reports false
// when it ended in a truncation mark.
func (p *Printer) groupReport(b []byte, length int, k groupReportKind) bool {
	if length < 8 {
		p.s(" [invalid len ")
		p.i(length)
		p.c(']')
		return true
	}
	if len(b) < 8 {
		p.trunc(k.proto)
		return false
	}
	n := int(be16(b[6:]))
	p.s(", ")
	p.i(n)
	p.s(" group record(s)")
	if p.opts.Verbose == 0 {
		return true
	}
	rec := 4 + k.addrLen // type, aux length, source count, group
	g := 8
	for i := 0; i < n; i++ {
		if length < g+rec {
			p.s(" [invalid number of groups]")
			return true
		}
		if len(b) < g+rec {
			p.trunc(k.proto)
			return false
		}
		p.s(" [gaddr ")
		p.groupAddr(k, b[g+4:])
		p.c(' ')
		if t := b[g]; int(t) < len(groupRecordTypes) && groupRecordTypes[t] != "" {
			p.s(groupRecordTypes[t])
		} else {
			p.s(k.unknown)
			p.u(uint64(t))
			p.c(']')
		}
		srcs := int(be16(b[g+2:]))
		if length < g+rec+k.addrLen*srcs {
			p.s(" [invalid number of sources ")
			p.i(srcs)
			p.c(']')
			return true
		}
		if p.opts.Verbose == 1 {
			p.s(", ")
			p.i(srcs)
			p.s(" source(s)]")
		} else {
			p.s(" {")
			for j := 0; j < srcs; j++ {
				if len(b) < g+rec+k.addrLen*(j+1) {
					p.trunc(k.proto)
					return false
				}
				p.c(' ')
				p.groupAddr(k, b[g+rec+k.addrLen*j:])
			}
			p.s(" }]")
		}
		g += rec + k.addrLen*srcs
	}
	return true
}

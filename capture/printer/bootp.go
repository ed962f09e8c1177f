package printer

// bootpTags is tcpdump's tag2str: each name starts with a letter saying
// how the value prints (i: addresses, l: 32-bit numbers, s: 16-bit numbers,
// b: bytes, B: booleans, a: text, p: address pairs, $: special).
var bootpTags = map[byte]string{
	0: " PAD", 1: "iSubnet-Mask", 2: "LTime-Zone", 3: "iDefault-Gateway", 4: "iTime-Server",
	5: "iIEN-Name-Server", 6: "iDomain-Name-Server", 7: "iLOG", 8: "iCS", 9: "iLPR-Server",
	10: "iIM", 11: "iRL", 12: "aHostname", 13: "sBS", 14: "aDP", 15: "aDomain-Name", 16: "iSS",
	17: "aRP", 18: "aEP", 19: "BIPF", 20: "BSRT", 21: "pPF", 22: "sRSZ", 23: "bTTL",
	24: "lMTU-Timeout", 25: "sMTU-Table", 26: "sMTU", 27: "BLSN", 28: "iBR", 29: "BMD", 30: "BMS",
	31: "BRouter-Discovery", 32: "iRSA", 33: "pStatic-Route", 34: "BUT", 35: "lAT", 36: "BIE",
	37: "bTT", 38: "lKI", 39: "BKG", 40: "aYD", 41: "iYS", 42: "iNTP", 43: "bVendor-Option",
	44: "iNetbios-Name-Server", 45: "iWDD", 47: "aNetbios-Scope", 48: "iXFS", 49: "iXDM",
	50: "iRequested-IP", 51: "lLease-Time", 53: " DHCP-Message", 54: "iServer-ID",
	55: "bParameter-Request", 56: "aMSG", 57: "sMSZ", 58: "lRN", 59: "lRB", 60: "aVendor-Class",
	61: "$Client-ID", 64: "aN+D", 65: "iN+S", 66: "aTFTP", 67: "aBF", 68: "iMH", 69: "iSMTP",
	70: "iPOP3", 71: "iNNTP", 72: "iWWW", 73: "iFG", 74: "iIRC", 75: "iSTS", 76: "iSTDA",
	46: "$Netbios-Node", 52: "$OO", 77: "$User-Class", 78: "bSLP-DA", 79: "bSLP-SCOPE", 80: "aSLP-NA",
	81: "$FQDN", 82: "$Agent-Information", 83: "bARMT", 88: "aTZSTR", 89: "bFQDNS", 90: "bAUTH",
	91: "LLast-Transaction-Time", 92: "iAssociated-IP", 93: "sARCH", 94: "bNDI", 95: "aLDAP",
	97: "bGUID", 98: "aUAP", 100: "aPOSIX-TZ", 101: "aTZ-Name", 112: "iNI", 113: "aNITAG",
	114: "aURL", 116: "BNOAUTO", 117: "sNSSEARCH", 118: "iSUBNET", 121: "$Classless-Static-Route",
	150: "iTFTP-Server-Address", 161: "aMUD-URL", 249: "$Classless-Static-Route-Microsoft",
	255: " END",
}

var dhcpHardware = map[byte]string{1: "ether", 6: "token-ring", 7: "arcnet", 15: "frelay", 19: "atm",
	24: "ieee1394", 32: "infiniband"}

var dhcpMessages = [...]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK",
	6: "NACK", 7: "Release", 8: "Inform"}

// bootpVerbose prints -v's fields and DHCP options after the summary line,
// each as far as the capture goes, as tcpdump reads them one by one.
func (p *Printer) bootpVerbose(b []byte) {
	short := func(n int) bool {
		if len(b) < n {
			p.trunc("bootp")
			return true
		}
		return false
	}
	if short(10) {
		return
	}
	htype, hlen := b[1], b[2]
	if htype != 1 {
		p.s(", htype ")
		p.u(uint64(htype))
	}
	if htype != 1 || hlen != 6 {
		p.s(", hlen ")
		p.u(uint64(hlen))
	}
	if b[3] != 0 {
		p.s(", hops ")
		p.u(uint64(b[3]))
	}
	if xid := be32(b[4:]); xid != 0 {
		p.s(", xid 0x")
		p.x(uint64(xid), 1)
	}
	if secs := be16(b[8:]); secs != 0 {
		p.s(", secs ")
		p.u(uint64(secs))
	}
	if short(12) {
		return
	}
	flags := be16(b[10:])
	if flags&0x8000 != 0 {
		p.s(", Flags [Broadcast]")
	} else {
		p.s(", Flags [none]")
	}
	if p.opts.Verbose > 1 {
		p.s(" (0x")
		p.x(uint64(flags), 4)
		p.c(')')
	}
	for _, a := range []struct {
		off  int
		name string
	}{{12, "Client-IP"}, {16, "Your-IP"}, {20, "Server-IP"}, {24, "Gateway-IP"}} {
		if short(a.off + 4) {
			return
		}
		if be32(b[a.off:]) != 0 {
			p.s("\n\t  ")
			p.s(a.name)
			p.c(' ')
			p.ip4(b[a.off:])
		}
	}
	if htype == 1 && hlen == 6 {
		if short(34) {
			return
		}
		p.s("\n\t  Client-Ethernet-Address ")
		p.mac(b[28:34])
	}
	for _, f := range []struct {
		off, n int
		name   string
	}{{44, 64, "sname"}, {108, 128, "file"}} {
		if short(f.off + 1) {
			return
		}
		if b[f.off] == 0 {
			continue
		}
		p.s("\n\t  ")
		p.s(f.name)
		p.s(" \"")
		field := b[f.off:min(f.off+f.n, len(b))]
		end := indexZero(field)
		if end < 0 {
			p.printn(field, 0, len(field))
			p.c('"')
			p.trunc("bootp")
			return
		}
		p.printn(field, 0, end)
		p.c('"')
	}
	if short(240) {
		return
	}
	if be32(b[236:]) == 0x63825363 {
		p.dhcpOptions(b[236:])
	} else if v := be32(b[236:]); v != 0 {
		p.s("\n\t  Vend-#0x")
		p.x(uint64(v), 1)
	}
}

func indexZero(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// dhcpOptions prints the RFC 1048 vendor area as tcpdump's rfc1048_print.
func (p *Printer) dhcpOptions(b []byte) {
	p.s("\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x")
	p.x(uint64(be32(b)), 8)
	b = b[4:]
	for len(b) > 0 {
		tag := b[0]
		b = b[1:]
		if tag == 0 && p.opts.Verbose < 3 {
			continue
		}
		if tag == 255 && p.opts.Verbose < 3 {
			return
		}
		name, ok := bootpTags[tag]
		kind := byte('?')
		if ok {
			kind, name = name[0], name[1:]
		}
		n := 0
		if tag != 0 && tag != 255 {
			if len(b) < 1 {
				p.trunc("bootp")
				return
			}
			n = int(b[0])
			b = b[1:]
		}
		p.s("\n\t    ")
		if ok {
			p.s(name)
		} else {
			p.s("Unknown")
		}
		p.s(" (")
		p.u(uint64(tag))
		p.s("), length ")
		p.i(n)
		if n > 0 {
			p.s(": ")
		}
		if tag == 0 {
			// -vvv: a run of pads is one line.
			run := 1
			for len(b) > 0 && b[0] == 0 {
				b = b[1:]
				run++
			}
			if run > 1 {
				p.s(", occurs ")
				p.i(run)
			}
		}
		if len(b) < n {
			p.trunc("bootp")
			return
		}
		v := b[:n]
		b = b[n:]
		switch {
		case tag == 53 && n == 1:
			if int(v[0]) < len(dhcpMessages) && dhcpMessages[v[0]] != "" {
				p.s(dhcpMessages[v[0]])
			} else {
				p.s("Unknown (")
				p.u(uint64(v[0]))
				p.c(')')
			}
			continue
		case tag == 55:
			for i, t := range v {
				if i%4 == 0 {
					p.s("\n\t      ")
				} else {
					p.s(", ")
				}
				if name, ok := bootpTags[t]; ok {
					p.s(name[1:])
				} else {
					p.s("Unknown")
				}
				p.s(" (")
				p.u(uint64(t))
				p.c(')')
			}
			continue
		}
		if kind == '?' {
			switch {
			case n&1 != 0:
				kind = 'b'
			case n&2 != 0:
				kind = 's'
			default:
				kind = 'l'
			}
		}
		rest := p.dhcpValue(kind, tag, v)
		if rest > 0 {
			p.s("\n\t  trailing data length ")
			p.i(rest)
		}
	}
}

// dhcpValue prints one option value and returns how many bytes it left.
func (p *Printer) dhcpValue(kind, tag byte, v []byte) int {
	switch kind {
	case 'a':
		p.c('"')
		p.printn(v, 0, len(v))
		p.c('"')
		return 0
	case 'i', 'l', 'L':
		for i := 0; len(v) >= 4; i++ {
			if i > 0 {
				p.c(',')
			}
			switch kind {
			case 'i':
				p.ip4(v)
			case 'L':
				p.i(int(int32(be32(v))))
			default:
				p.u(uint64(be32(v)))
			}
			v = v[4:]
		}
	case 'p':
		for i := 0; len(v) >= 8; i++ {
			if i > 0 {
				p.c(',')
			}
			p.c('(')
			p.ip4(v)
			p.c(':')
			p.ip4(v[4:])
			p.c(')')
			v = v[8:]
		}
	case 's':
		for i := 0; len(v) >= 2; i++ {
			if i > 0 {
				p.c(',')
			}
			p.u(uint64(be16(v)))
			v = v[2:]
		}
	case 'B':
		for i, c := range v {
			if i > 0 {
				p.c(',')
			}
			switch c {
			case 0:
				p.c('N')
			case 1:
				p.c('Y')
			default:
				p.u(uint64(c))
				p.c('?')
			}
		}
		v = nil
	case '$':
		switch tag {
		case 121, 249:
			p.classlessRoutes(v)
			return 0
		case 46, 52:
			if len(v) < 1 {
				p.s("[ERROR: length < 1 bytes]")
				return 0
			}
			names := map[byte]string{1: "b-node", 2: "p-node", 4: "m-node", 8: "h-node"}
			if tag == 52 {
				names = map[byte]string{1: "file", 2: "sname", 3: "both"}
			}
			p.s(names[v[0]])
			return len(v) - 1
		case 81:
			if len(v) < 3 {
				p.s("[ERROR: length < 3 bytes]")
				return 0
			}
			if v[0]&0xf0 != 0 {
				p.s("[ERROR: MBZ nibble 0x")
				p.x(uint64(v[0]>>4), 1)
				p.s(" != 0] ")
			}
			if v[0]&0x0f != 0 {
				p.c('[')
				for i, f := range "SOEN" {
					if v[0]&(1<<i) != 0 {
						p.c(byte(f))
					}
				}
				p.s("] ")
			}
			if v[0]&0x04 != 0 {
				if _, ok := p.dnsName(v, 3); !ok {
					p.trunc("bootp")
				}
				return 0
			}
			p.c('"')
			p.printn(v, 3, len(v)-3)
			p.c('"')
			return 0
		}
		if tag != 61 {
			p.s("[unknown special tag ")
			p.u(uint64(tag))
			p.s(", size ")
			p.i(len(v))
			p.c(']')
			return 0
		}
		if len(v) < 1 {
			p.s("[ERROR: length < 1 bytes]")
			return 0
		}
		typ := v[0]
		v = v[1:]
		if typ == 0 {
			p.c('"')
			p.printn(v, 0, len(v))
			p.c('"')
			return 0
		}
		if name, ok := dhcpHardware[typ]; ok {
			p.s(name)
		} else {
			p.s("hardware-type ")
			p.u(uint64(typ))
			p.c(',')
		}
		p.c(' ')
		for i, c := range v {
			if i > 0 {
				p.c(':')
			}
			p.x(uint64(c), 2)
		}
		v = nil
	default:
		sep := byte('.')
		if kind == 'x' {
			sep = ':'
		}
		for i, c := range v {
			if i > 0 {
				p.c(sep)
			}
			if kind == 'x' {
				p.x(uint64(c), 2)
			} else {
				p.u(uint64(c))
			}
		}
		v = nil
	}
	return len(v)
}

// classlessRoutes prints RFC 3442 routes: (destination/width:router),...
func (p *Printer) classlessRoutes(v []byte) {
	if len(v) < 5 {
		p.s("[ERROR: length < 5 bytes]")
		return
	}
	for first := true; len(v) > 0; first = false {
		if !first {
			p.c(',')
		}
		width := int(v[0])
		v = v[1:]
		if width > 32 {
			p.s("[ERROR: Mask width (")
			p.i(width)
			p.s(") > 32]")
			return
		}
		sig := (width + 7) / 8
		if len(v) < sig+4 {
			p.s("[ERROR: Remaining length (")
			p.i(len(v))
			p.s(") < ")
			p.i(sig + 4)
			p.s(" bytes]")
			return
		}
		p.c('(')
		if width == 0 {
			p.s("default")
		} else {
			for i := 0; i < 4; i++ {
				if i > 0 {
					p.c('.')
				}
				if i < sig {
					p.u(uint64(v[i]))
				} else {
					p.c('0')
				}
			}
			p.c('/')
			p.i(width)
		}
		p.c(':')
		p.ip4(v[sig:])
		p.c(')')
		v = v[sig+4:]
	}
}

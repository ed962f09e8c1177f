package printer

// One-line summaries of the UDP services tcpdump recognises by port and a
// namespace lab runs: DHCP, NTP, syslog, TFTP. Only the non-verbose forms:
// -v prints tcpdump's field-by-field dumps, which we do not reproduce.

// udpApp prints a known service's summary and reports whether the port was
// one; b holds the captured payload, length its length on the wire.
func (p *Printer) udpApp(sport, dport int, b []byte, length int) bool {
	port := func(n int) bool { return sport == n || dport == n }
	switch {
	case port(53):
		p.dns(b, length, false)
	case port(5353):
		p.dns(b, length, true)
	case port(69):
		p.tftp(b, length)
	case port(67) || port(68):
		p.bootp(b, length)
	case port(123):
		p.ntp(b, length)
	case port(514):
		p.syslog(b, length)
	case port(4789):
		p.vxlan(b, length, false)
	case port(8472):
		p.vxlan(b, length, true)
	default:
		return false
	}
	return true
}

func (p *Printer) bootp(b []byte, length int) {
	if len(b) < 1 {
		p.trunc("bootp")
		return
	}
	p.s("BOOTP/DHCP, ")
	switch op := b[0]; op {
	case 1:
		p.s("Request")
	case 2:
		p.s("Reply")
	default:
		p.s("unknown (0x")
		p.x(uint64(op), 2)
		p.c(')')
	}
	if len(b) < 3 {
		p.trunc("bootp")
		return
	}
	if b[1] == 1 && b[2] == 6 && b[0] == 1 {
		if len(b) < 34 {
			p.trunc("bootp")
			return
		}
		p.s(" from ")
		p.mac(b[28:34])
	}
	p.s(", length ")
	p.i(length)
	if p.opts.Verbose > 0 {
		p.bootpVerbose(b)
	}
}

var ntpModes = [8]string{"unspecified", "symmetric active", "symmetric passive", "Client", "Server",
	"Broadcast", "Control Message", "Reserved"}

func (p *Printer) ntp(b []byte, length int) {
	if len(b) < 1 {
		p.trunc("ntp")
		return
	}
	p.s("NTPv")
	p.u(uint64(b[0] >> 3 & 7))
	p.s(", ")
	p.s(ntpModes[b[0]&7])
	p.s(", length ")
	p.i(length)
	if mode := b[0] & 7; p.opts.Verbose > 0 && mode >= 1 && mode <= 6 {
		p.ntpVerbose(b, length)
	}
}

var syslogFacilities = [24]string{"kernel", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "cron",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"}

var syslogSeverities = [8]string{"emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"}

func (p *Printer) syslog(b []byte, length int) {
	// "<PRI>": at most three digits between angle brackets.
	at := func(i int) (byte, bool) {
		if i >= len(b) {
			p.trunc("syslog")
			return 0, false
		}
		return b[i], true
	}
	c, ok := at(0)
	if !ok {
		return
	}
	if c != '<' {
		p.s(" (invalid)")
		return
	}
	pri, i := 0, 1
	for ; i <= 3; i++ {
		if c, ok = at(i); !ok {
			return
		}
		if c < '0' || c > '9' {
			break
		}
		pri = pri*10 + int(c-'0')
	}
	if c, ok = at(i); !ok {
		return
	}
	if c != '>' {
		p.s(" (invalid)")
		return
	}
	if p.opts.Verbose == 0 {
		p.s("SYSLOG ")
		p.syslogFacility(pri >> 3)
		p.c('.')
		p.s(syslogSeverities[pri&7])
		p.s(", length: ")
		p.i(length)
		return
	}
	p.s("SYSLOG, length: ")
	p.i(length)
	p.s("\n\tFacility ")
	p.syslogFacility(pri >> 3)
	p.s(" (")
	p.i(pri >> 3)
	p.s("), Severity ")
	p.s(syslogSeverities[pri&7])
	p.s(" (")
	p.i(pri & 7)
	p.s(")\n\tMsg: ")
	for k := i + 1; k < length; k++ {
		if k >= len(b) {
			p.trunc("syslog")
			return
		}
		// tcpdump's safeputchar: printable ASCII, else \0xNN.
		if c := b[k]; c >= 0x20 && c < 0x7f {
			p.c(c)
		} else {
			p.s("\\0x")
			p.x(uint64(c), 2)
		}
	}
	if p.opts.Verbose > 1 {
		p.hexdumpInline(b[:length], false) // print_unknown_data
	}
}

func (p *Printer) syslogFacility(f int) {
	if f < len(syslogFacilities) {
		p.s(syslogFacilities[f])
		return
	}
	p.s("unknown (")
	p.i(f)
	p.c(')')
}

var tftpOps = [...]string{1: "RRQ", 2: "WRQ", 3: "DATA", 4: "ACK", 5: "ERROR", 6: "OACK"}

var tftpErrors = [...]string{"EUNDEF", "ENOTFOUND", "EACCESS", "ENOSPACE", "EBADOP", "EBADID", "EEXISTS", "ENOUSER"}

func (p *Printer) tftp(b []byte, length int) {
	p.s("TFTP, length ")
	p.i(length)
	if length < 2 || len(b) < 2 {
		p.trunc("tftp")
		return
	}
	op := be16(b)
	if int(op) >= len(tftpOps) || tftpOps[op] == "" {
		p.s(", tftp-#")
		p.u(uint64(op))
		return
	}
	p.s(", ")
	p.s(tftpOps[op])
	b, length = b[2:], length-2
	// str prints a NUL-terminated string and returns the bytes it used.
	str := func() int {
		for i := 0; i < length; i++ {
			if i >= len(b) {
				return 0
			}
			if b[i] == 0 {
				return i + 1
			}
			p.printable(b[i])
		}
		return 0
	}
	switch op {
	case 1, 2, 6:
		if op != 6 {
			if length == 0 {
				p.trunc("tftp")
				return
			}
			p.s(" \"")
			n := str()
			p.c('"')
			if n == 0 {
				p.trunc("tftp")
				return
			}
			b, length = b[n:], length-n
			if length == 0 {
				p.trunc("tftp")
				return
			}
			p.c(' ')
			if n = str(); n == 0 {
				p.trunc("tftp")
				return
			}
			b, length = b[n:], length-n
		}
		for length != 0 {
			if len(b) < 1 {
				p.trunc("tftp")
				return
			}
			if b[0] != 0 {
				p.c(' ')
			}
			n := str()
			if n == 0 {
				p.trunc("tftp")
				return
			}
			b, length = b[n:], length-n
		}
	case 3, 4:
		if len(b) < 2 {
			p.trunc("tftp")
			return
		}
		p.s(" block ")
		p.u(uint64(be16(b)))
	case 5:
		if len(b) < 2 {
			p.trunc("tftp")
			return
		}
		p.c(' ')
		if code := be16(b); int(code) < len(tftpErrors) {
			p.s(tftpErrors[code])
		} else {
			p.s("tftp-err-#")
			p.u(uint64(code))
			p.s(" \"")
		}
		b, length = b[2:], length-2
		if length == 0 {
			p.trunc("tftp")
			return
		}
		p.s(" \"")
		n := str()
		p.c('"')
		if n == 0 {
			p.trunc("tftp")
		}
	}
}

package printer

// tcpApp prints what tcpdump decodes in a TCP payload by port; most ports
// print nothing more.
func (p *Printer) tcpApp(sport, dport uint16, b []byte, length int) {
	port := func(n uint16) bool { return sport == n || dport == n }
	switch {
	case port(25):
		p.s(": ")
		p.txtproto("SMTP", "smtp", b, nil)
	case port(22):
		p.ssh(b)
	case port(21):
		p.s(": ")
		p.txtproto("FTP", "ftp", b, nil)
	case port(80) || port(8080):
		p.s(": ")
		p.txtproto("HTTP", "http", b, httpMethods)
	case port(554) || port(8554):
		p.s(": ")
		p.txtproto("RTSP", "rtsp", b, rtspMethods)
	case port(53):
		p.dnsOverTCP(b, length)
	}
}

var httpMethods = []string{"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "POLL", "BCOPY", "BMOVE",
	"SEARCH", "BDELETE", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE"}

var rtspMethods = []string{"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY",
	"RECORD", "REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN"}

// txtproto prints a text protocol as tcpdump's txtproto_print: the name and,
// for a request or response (or always, without a method list), its first
// line; -v prints every text line.
func (p *Printer) txtproto(name, proto string, b []byte, methods []string) {
	show := methods == nil
	if !show {
		if tok, rest, ok := token(b); ok {
			for _, m := range methods {
				if equalFold(tok, m) {
					show = true
				}
			}
			if tok2, _, ok2 := token(rest); ok2 && len(tok2) == 3 && isDigit(tok2[0]) && isDigit(tok2[1]) && isDigit(tok2[2]) {
				show = true
			}
		}
	}
	p.s(name)
	if !show {
		return
	}
	if p.opts.Verbose > 0 {
		p.s(", length: ")
		p.i(len(b))
		for len(b) > 0 {
			n, ok := p.txtLine("\n\t", b, proto)
			if !ok {
				break
			}
			b = b[n:]
		}
		return
	}
	p.txtLine(": ", b, proto)
}

// ssh prints the version banner that opens an SSH connection.
func (p *Printer) ssh(b []byte) {
	if len(b) < 4 || string(b[:4]) != "SSH-" {
		return
	}
	for i := 4; i < len(b); i++ {
		end := 0
		switch {
		case b[i] == '\n':
			end = i + 1
		case b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n':
			end = i + 2
		}
		if end > 0 {
			p.s(": SSH: ")
			for _, c := range b[:i] {
				p.printable(c)
			}
			return
		}
	}
}

func (p *Printer) dnsOverTCP(b []byte, length int) {
	if length < 2 {
		p.s(" [DNS over TCP: length ")
		p.i(length)
		p.s(" < 2] (invalid)")
		return
	}
	if len(b) < 2 {
		p.trunc("domain")
		return
	}
	if n := int(be16(b)); n != length-2 {
		p.s(" [prefix length(")
		p.i(n)
		p.s(") != length(")
		p.i(length - 2)
		p.s(")] (invalid)")
		return
	}
	p.c(' ')
	p.dns(b[2:], length-2, false)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// token returns the printable word before the first space, if any.
func token(b []byte) (tok, rest []byte, ok bool) {
	for i, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			if i == 0 {
				return nil, nil, false
			}
			j := i
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			return b[:i], b[j:], true
		}
		if c < 0x21 || c > 0x7e || i >= 128 {
			return nil, nil, false
		}
	}
	return nil, nil, false
}

// txtLine prints one text line after prefix, as tcpdump's print_txt_line,
// and returns how many bytes it used; a line cut short ends in "[|proto]".
func (p *Printer) txtLine(prefix string, b []byte, proto string) (int, bool) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			p.s(prefix)
			p.b = append(p.b, b[:i]...)
			return i + 2, true
		}
		if c == '\n' {
			p.s(prefix)
			p.b = append(p.b, b[:i]...)
			return i + 1, true
		}
		if (c < 0x20 || c > 0x7e) && c != '\t' {
			return 0, false
		}
	}
	p.s(prefix)
	p.b = append(p.b, b...)
	p.trunc(proto)
	return 0, false
}

package printer

// tcpApp prints what tcpdump decodes in a TCP payload by port; most ports
// print nothing more. b holds the captured part of the length bytes.
func (p *Printer) tcpApp(sport, dport uint16, b []byte, length int) {
	port := func(n uint16) bool { return sport == n || dport == n }
	switch {
	case port(25):
		p.s(": ")
		p.txtproto("SMTP", "smtp", b, length, nil)
	case port(22):
		p.ssh(b, length)
	case port(21):
		p.s(": ")
		p.txtproto("FTP", "ftp", b, length, nil)
	case port(80) || port(8080):
		p.s(": ")
		p.txtproto("HTTP", "http", b, length, httpMethods)
	case port(554) || port(8554):
		p.s(": ")
		p.txtproto("RTSP", "rtsp", b, length, rtspMethods)
	case port(53):
		p.dnsOverTCP(b, length)
	case port(23):
		// tcpdump's telnet printer looks for option commands (IAC) first.
		if len(b) == 0 {
			p.trunc("telnet")
		}
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
func (p *Printer) txtproto(name, proto string, b []byte, length int, methods []string) {
	show := methods == nil
	if !show {
		tok, next := token(b, 0, length)
		if next > 0 {
			for _, m := range methods {
				if equalFold(tok, m) {
					show = true
				}
			}
			// Or a response: the second token is a three-digit code.
			if tok, next = token(b, next, length); next > 0 && len(tok) == 3 && isDigit(tok[0]) && isDigit(tok[1]) && isDigit(tok[2]) {
				show = true
			}
		}
	}
	p.s(name)
	if !show {
		return
	}
	if p.opts.Verbose == 0 {
		p.txtLine(": ", b, 0, length, proto)
		return
	}
	p.s(", length: ")
	p.i(length)
	for idx := 0; idx < length; {
		if idx = p.txtLine("\n\t", b, idx, length, proto); idx == 0 {
			break
		}
	}
}

// token is tcpdump's fetch_token: the word at idx in a payload of length
// bytes (b is what was captured) and the index of the next word, 0 if none.
func token(b []byte, idx, length int) ([]byte, int) {
	start := idx
	for ; idx < length; idx++ {
		if idx >= len(b) {
			return nil, 0
		}
		c := b[idx]
		if c < 0x20 || c > 0x7e {
			return nil, 0
		}
		if c == ' ' {
			break
		}
		if idx-start+2 > 129 {
			return nil, 0
		}
	}
	if idx == start {
		return nil, 0
	}
	tok := b[start:idx]
	for ; idx < length && idx < len(b); idx++ {
		if c := b[idx]; c != ' ' && c != '\t' {
			break
		}
	}
	return tok, idx
}

// txtLine prints the text line at idx after prefix, as tcpdump's
// print_txt_line, and returns where the next line starts (0: stop). A line
// without its end prints with "[|proto]"; reaching the end of the captured
// bytes first prints only the mark.
func (p *Printer) txtLine(prefix string, b []byte, idx, length int, proto string) int {
	start := idx
	for ; idx < length; idx++ {
		if idx >= len(b) {
			p.trunc(proto)
			return 0
		}
		switch c := b[idx]; {
		case c == '\n':
			p.s(prefix)
			p.b = append(p.b, b[start:idx]...)
			return idx + 1
		case c == '\r':
			if idx+1 >= length {
				return 0
			}
			if idx+1 >= len(b) {
				p.trunc(proto)
				return 0
			}
			if b[idx+1] != '\n' {
				return 0
			}
			p.s(prefix)
			p.b = append(p.b, b[start:idx]...)
			return idx + 2
		case (c < 0x20 || c > 0x7e) && c != '\t':
			return 0
		}
	}
	p.s(prefix)
	p.b = append(p.b, b[start:idx]...)
	p.trunc(proto)
	return 0
}

// ssh prints the version banner that opens an SSH connection.
func (p *Printer) ssh(b []byte, length int) {
	for i := 0; i < 4; i++ {
		if i >= len(b) {
			p.trunc("ssh")
			return
		}
		if b[i] != "SSH-"[i] {
			return
		}
	}
	for i := 4; i < length; i++ {
		if i >= len(b) {
			p.trunc("ssh")
			return
		}
		end := false
		switch c := b[i]; {
		case c == '\n':
			end = true
		case c == '\r':
			if i+1 >= length {
				return
			}
			if i+1 >= len(b) {
				p.trunc("ssh")
				return
			}
			end = b[i+1] == '\n'
		case c < 0x20 || c > 0x7e:
			return
		}
		if end {
			p.s(": SSH: ")
			p.b = append(p.b, b[:i]...)
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

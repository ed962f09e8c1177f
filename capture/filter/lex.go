package filter

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// tokKind classifies a token the way libpcap's scanner does: numbers, dotted
// IPv4 prefixes (HID), IPv6 addresses (HID6), MAC addresses (EID), names
// (ID), keywords and operators.
type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tHID
	tHID6
	tEID
	tID
	tKw // keyword: text holds it
	tOp // operator: text holds it ("&&" and "||" become tKw "and"/"or")
)

type token struct {
	kind tokKind
	text string // as written, except escapes (\ip) and normalised keywords
	pos  int    // byte offset in the expression
	num  uint32 // tNum value
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tOp:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// keywords are libpcap's reserved words. Aliases map to one spelling.
var keywords = map[string]string{
	"dst": "dst", "src": "src", "host": "host", "net": "net", "mask": "mask",
	"port": "port", "portrange": "portrange", "proto": "proto", "protochain": "protochain",
	"link": "link", "ether": "ether", "arp": "arp", "rarp": "rarp", "ip": "ip",
	"sctp": "sctp", "tcp": "tcp", "udp": "udp", "icmp": "icmp", "igmp": "igmp",
	"igrp": "igrp", "pim": "pim", "vrrp": "vrrp", "carp": "carp", "ip6": "ip6",
	"icmp6": "icmp6", "ah": "ah", "esp": "esp",
	"less": "less", "greater": "greater", "byte": "byte",
	"broadcast": "broadcast", "multicast": "multicast",
	"and": "and", "or": "or", "not": "not", "len": "len", "length": "len",
	"inbound": "inbound", "outbound": "outbound", "ifindex": "ifindex",
	"vlan": "vlan", "mpls": "mpls", "gateway": "gateway",
}

// unsupported are libpcap keywords for link types and protocols nsdiag does
// not capture (802.11, DECnet, ISO, ATM, SS7, pflog...). They lex as
// keywords so that using one is a clear error, never a host name lookup.
var unsupported = map[string]bool{
	"decnet": true, "lat": true, "sca": true, "moprc": true, "mopdl": true,
	"iso": true, "esis": true, "es-is": true, "isis": true, "is-is": true,
	"l1": true, "l2": true, "iih": true, "lsp": true, "snp": true, "csnp": true,
	"psnp": true, "clnp": true, "stp": true, "ipx": true, "netbeui": true,
	"atalk": true, "aarp": true, "fddi": true, "tr": true, "wlan": true,
	"ppp": true, "slip": true, "radio": true, "pppoed": true, "pppoes": true,
	"geneve": true, "lane": true, "llc": true, "metac": true, "bcc": true,
	"oam": true, "oamf4": true, "oamf4ec": true, "oamf4sc": true, "sc": true,
	"ilmic": true, "vpi": true, "vci": true, "connectmsg": true,
	"metaconnect": true, "on": true, "ifname": true, "rnr": true,
	"rulenum": true, "reason": true, "rset": true, "ruleset": true,
	"srnr": true, "subrulenum": true, "action": true, "fisu": true,
	"lssu": true, "lsu": true, "msu": true, "hfisu": true, "hlssu": true,
	"hmsu": true, "sio": true, "opc": true, "dpc": true, "sls": true,
	"hsio": true, "hopc": true, "hdpc": true, "hsls": true, "type": true,
	"subtype": true, "direction": true, "dir": true, "address1": true,
	"addr1": true, "address2": true, "addr2": true, "address3": true,
	"addr3": true, "address4": true, "addr4": true, "ra": true, "ta": true,
}

// namedNums are the scanner's named constants: field offsets and values
// usable anywhere a number is (so "port icmp-echo" is port 8, as in libpcap).
var namedNums = map[string]uint32{
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4,
	"icmp-redirect": 5, "icmp-echo": 8, "icmp-routeradvert": 9,
	"icmp-routersolicit": 10, "icmp-timxceed": 11, "icmp-paramprob": 12,
	"icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2,
	"icmp6-timeexceeded": 3, "icmp6-parameterproblem": 4,
	"icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133,
	"icmp6-routeradvert": 134, "icmp6-neighborsolicit": 135,
	"icmp6-neighboradvert": 136, "icmp6-redirect": 137,
	"icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139,
	"icmp6-nodeinformationresponse":   140,
	"icmp6-ineighbordiscoverysolicit": 141,
	"icmp6-ineighbordiscoveryadvert":  142,
	"icmp6-multicastlistenerreportv2": 143,
	"icmp6-homeagentdiscoveryrequest": 144,
	"icmp6-homeagentdiscoveryreply":   145, "icmp6-mobileprefixsolicit": 146,
	"icmp6-mobileprefixadvert": 147, "icmp6-certpathsolicit": 148,
	"icmp6-certpathadvert": 149, "icmp6-multicastrouteradvert": 151,
	"icmp6-multicastroutersolicit": 152, "icmp6-multicastrouterterm": 153,
	"tcpflags": 13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04,
	"tcp-push": 0x08, "tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40,
	"tcp-cwr": 0x80,
}

// lex splits expr into tokens. Like flex, each token is the longest match
// among the scanner's patterns, ties going to keywords, then MAC addresses
// (so 0200.0000.0001 is a MAC, not a dotted number), numbers, dotted IPv4
// prefixes, IPv6 addresses and finally names.
func lex(expr string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(expr) {
		c := expr[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if c == '\\' {
			j := i + 1
			for j < len(expr) && !strings.ContainsRune(" \t\n!()", rune(expr[j])) {
				j++
			}
			if j == i+1 {
				return nil, &SyntaxError{Expr: expr, Pos: i, Msg: "illegal character '\\'"}
			}
			toks = append(toks, token{kind: tID, text: expr[i+1 : j], pos: i})
			i = j
			continue
		}
		if n := matchV6(expr[i:]); c == ':' && n > 0 {
			toks = append(toks, token{kind: tHID6, text: expr[i : i+n], pos: i})
			i += n
			continue
		}
		if op := matchOp(expr[i:]); op != "" {
			t := token{kind: tOp, text: op, pos: i}
			switch op {
			case "&&":
				t = token{kind: tKw, text: "and", pos: i}
			case "||":
				t = token{kind: tKw, text: "or", pos: i}
			case "!":
				t = token{kind: tKw, text: "not", pos: i}
			case "==":
				t.text = "="
			}
			toks = append(toks, t)
			i += len(op)
			continue
		}
		t, n, err := lexWord(expr, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i += n
	}
	return append(toks, token{kind: tEOF, pos: len(expr)}), nil
}

func matchOp(s string) string {
	for _, op := range []string{">=", "<=", "!=", "==", "<<", ">>", "&&", "||"} {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	if strings.ContainsRune("+-*/%:[]!<>()&|^=", rune(s[0])) {
		return s[:1]
	}
	return ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// lexWord scans a name, number or address at expr[i].
func lexWord(expr string, i int) (token, int, error) {
	s := expr[i:]
	// ID: [A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?
	idLen := 0
	if isAlnum(s[0]) {
		j := 1
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-' || s[j] == '_' || s[j] == '.') {
			j++
		}
		for j > 1 && (s[j-1] == '-' || s[j-1] == '_') {
			j--
		}
		idLen = j
	}
	numLen := matchNum(s)
	hidLen := matchHID(s)
	eidLen := matchEID(s)
	v6Len := matchV6(s)
	best := max(idLen, numLen, hidLen, eidLen, v6Len)
	if best == 0 {
		return token{}, 0, &SyntaxError{Expr: expr, Pos: i, Msg: fmt.Sprintf("illegal character %q", s[0])}
	}
	text := s[:best]
	switch {
	case best == idLen && (keywords[text] != "" || unsupported[text]):
		kw := keywords[text]
		if kw == "" {
			kw = text
		}
		if kw == "and" || kw == "or" || kw == "not" {
			return token{kind: tKw, text: kw, pos: i}, best, nil
		}
		return token{kind: tKw, text: kw, pos: i}, best, nil
	case best == idLen && hasNamedNum(text):
		return token{kind: tNum, text: text, pos: i, num: namedNums[text]}, best, nil
	case best == eidLen:
		return token{kind: tEID, text: text, pos: i}, best, nil
	case best == numLen:
		v, err := parseNum(text)
		if err != nil {
			return token{}, 0, &SyntaxError{Expr: expr, Pos: i, Msg: fmt.Sprintf("number %s out of range", text)}
		}
		return token{kind: tNum, text: text, pos: i, num: v}, best, nil
	case best == hidLen:
		return token{kind: tHID, text: text, pos: i}, best, nil
	case best == v6Len:
		return token{kind: tHID6, text: text, pos: i}, best, nil
	}
	return token{kind: tID, text: text, pos: i}, best, nil
}

func hasNamedNum(s string) bool { _, ok := namedNums[s]; return ok }

// parseNum reads libpcap's number syntax: decimal, 0x hex, or 0-prefixed octal.
func parseNum(s string) (uint32, error) {
	base := 10
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	v, err := strconv.ParseUint(s, base, 32)
	return uint32(v), err
}

// matchNum: [0-9]+ | 0[xX][0-9A-Fa-f]+
func matchNum(s string) int {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2]) {
		j := 3
		for j < len(s) && isHex(s[j]) {
			j++
		}
		return j
	}
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j
}

// matchHID: N.N, N.N.N or N.N.N.N
func matchHID(s string) int {
	n := matchNum(s)
	if n == 0 {
		return 0
	}
	end, parts := n, 1
	for parts < 4 && end < len(s) && s[end] == '.' {
		m := matchNum(s[end+1:])
		if m == 0 {
			break
		}
		end += 1 + m
		parts++
	}
	if parts == 1 {
		return 0
	}
	return end
}

// matchEID: six 1-2 digit hex groups separated by ':', '-' or '.', three
// 4-digit groups separated by '.', or 12 hex digits.
func matchEID(s string) int {
	for _, sep := range []byte{':', '-', '.'} {
		j, ok := 0, true
		for g := 0; g < 6 && ok; g++ {
			if g > 0 {
				if j >= len(s) || s[j] != sep {
					ok = false
					break
				}
				j++
			}
			k := j
			for k < len(s) && k-j < 2 && isHex(s[k]) {
				k++
			}
			if k == j {
				ok = false
			}
			j = k
		}
		if ok {
			return j
		}
	}
	j, ok := 0, true
	for g := 0; g < 3 && ok; g++ {
		if g > 0 {
			if j >= len(s) || s[j] != '.' {
				ok = false
				break
			}
			j++
		}
		for k := 0; k < 4; k++ {
			if j >= len(s) || !isHex(s[j]) {
				ok = false
				break
			}
			j++
		}
	}
	if ok {
		return j
	}
	if len(s) >= 12 {
		for k := 0; k < 12; k++ {
			if !isHex(s[k]) {
				return 0
			}
		}
		return 12
	}
	return 0
}

// matchV6 returns the length of the longest IPv6 address at the start of s.
func matchV6(s string) int {
	j := 0
	for j < len(s) && (isHex(s[j]) || s[j] == ':' || s[j] == '.') {
		j++
	}
	for ; j > 0; j-- {
		cand := s[:j]
		if strings.Count(cand, ":") >= 2 {
			if ip := net.ParseIP(cand); ip != nil {
				return j
			}
		}
	}
	return 0
}

package resolve

import (
	"bufio"
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// conf is what matters to us in resolv.conf(5).
type conf struct {
	servers  []netip.AddrPort
	search   []string
	ndots    int
	timeout  time.Duration
	attempts int
}

// defaultConf is glibc's behaviour without a resolv.conf: the local server.
func defaultConf() conf {
	return conf{
		servers:  []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:53"), netip.MustParseAddrPort("[::1]:53")},
		ndots:    1,
		timeout:  5 * time.Second,
		attempts: 2,
	}
}

// parseConf reads nameserver, search, domain and options lines; the last
// search or domain line wins, as in glibc. At most three servers are used.
func parseConf(data []byte) conf {
	c := defaultConf()
	c.servers = nil
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			a, err := netip.ParseAddr(f[1])
			if err == nil && len(c.servers) < 3 {
				c.servers = append(c.servers, netip.AddrPortFrom(a.Unmap(), 53))
			}
		case "domain":
			c.search = []string{f[1]}
		case "search":
			c.search = append([]string(nil), f[1:]...)
		case "options":
			for _, o := range f[1:] {
				key, val, _ := strings.Cut(o, ":")
				n, err := strconv.Atoi(val)
				if err != nil {
					continue
				}
				switch key {
				case "ndots":
					c.ndots = min(max(n, 0), 15)
				case "timeout":
					c.timeout = time.Duration(min(max(n, 1), 30)) * time.Second
				case "attempts":
					c.attempts = min(max(n, 1), 5)
				}
			}
		}
	}
	if len(c.servers) == 0 {
		c.servers = defaultConf().servers
	}
	return c
}

// names lists the fully qualified names to try for name, in glibc's order:
// as given first when it has at least ndots dots, else after the search
// domains; a trailing dot means "exactly this".
func (c conf) names(name string) []string {
	if strings.HasSuffix(name, ".") {
		return []string{name}
	}
	var searched []string
	for _, d := range c.search {
		searched = append(searched, name+"."+strings.TrimSuffix(d, ".")+".")
	}
	if strings.Count(name, ".") >= c.ndots {
		return append([]string{name + "."}, searched...)
	}
	return append(searched, name+".")
}

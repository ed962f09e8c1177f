package resolve

import (
	"bufio"
	"bytes"
	"net/netip"
	"strings"
)

// lookupHosts finds name (case-insensitively) in a hosts file and returns
// the official name of the first matching line and every matching address
// of the family, in file order (glibc's "multi on", Debian's default).
func lookupHosts(data []byte, name string, fam int) (string, []netip.Addr) {
	name = strings.TrimSuffix(name, ".")
	var canon string
	var out []netip.Addr
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		a = a.Unmap()
		if fam == IPv4 && !a.Is4() || fam == IPv6 && !a.Is6() {
			continue
		}
		for _, h := range f[1:] {
			if strings.EqualFold(strings.TrimSuffix(h, "."), name) {
				if canon == "" {
					canon = f[1]
				}
				out = append(out, a)
				break
			}
		}
	}
	return canon, out
}

// nameInHosts returns the first name given to a in a hosts file.
func nameInHosts(data []byte, a netip.Addr) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if b, err := netip.ParseAddr(f[0]); err == nil && b.Unmap() == a.Unmap() {
			return f[1]
		}
	}
	return ""
}

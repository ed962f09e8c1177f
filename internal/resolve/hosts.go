package resolve

import (
	"bufio"
	"bytes"
	"iter"
	"net/netip"
	"strings"
)

// hostsEntries yields each usable line of a hosts file: its address
// (IPv4-mapped addresses unmapped) and the names given to it, official name
// first. Comments, blank lines and lines without a valid address are skipped.
func hostsEntries(data []byte) iter.Seq2[netip.Addr, []string] {
	return func(yield func(netip.Addr, []string) bool) {
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
			if !yield(a.Unmap(), f[1:]) {
				return
			}
		}
	}
}

// lookupHosts finds name (case-insensitively) in a hosts file and returns
// the official name of the first matching line and every matching address
// of the family, in file order (glibc's "multi on", Debian's default).
func lookupHosts(data []byte, name string, fam int) (string, []netip.Addr) {
	name = strings.TrimSuffix(name, ".")
	var canon string
	var out []netip.Addr
	for a, names := range hostsEntries(data) {
		if fam == IPv4 && !a.Is4() || fam == IPv6 && !a.Is6() {
			continue
		}
		for _, h := range names {
			if strings.EqualFold(strings.TrimSuffix(h, "."), name) {
				if canon == "" {
					canon = names[0]
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
	for b, names := range hostsEntries(data) {
		if b == a.Unmap() {
			return names[0]
		}
	}
	return ""
}

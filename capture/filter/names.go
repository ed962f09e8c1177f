package filter

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Name tables, read from the files libpcap's resolver functions read
// (getservbyname, getprotobyname, ether_hostton, getnetbyname), with
// built-in fallbacks for systems without /etc/services or /etc/protocols.

// Resolver answers the names a filter expression may hold, as the process
// that runs the capture would: a tcpdump under `ip netns exec NAME` sees
// /etc/netns/NAME's files over /etc and queries DNS from inside NAME.
type Resolver interface {
	// LookupHost returns every address name resolves to (IPv4 and IPv6),
	// in the order getaddrinfo(3) returns them with AF_UNSPEC: "host NAME"
	// matches each of them, in that order.
	LookupHost(name string) ([]netip.Addr, error)
	// ReadEtc returns the contents of /etc/FILE ("services", "protocols",
	// "ethers", "networks") as the capture's process sees it.
	ReadEtc(file string) ([]byte, error)
}

// localResolver is the nil Resolver: this process's /etc and Go's resolver.
type localResolver struct{}

func (localResolver) LookupHost(name string) ([]netip.Addr, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return net.DefaultResolver.LookupNetIP(ctx, "ip", name)
}

func (localResolver) ReadEtc(file string) ([]byte, error) { return os.ReadFile("/etc/" + file) }

type service struct{ tcp, udp, sctp int }

// nameTables are the parsed /etc/services and /etc/protocols.
type nameTables struct {
	services  map[string]*service
	protocols map[string]uint32
}

// The local tables are read once per process; a Resolver's once per
// compilation, since each namespace may have its own files.
var (
	localOnce   sync.Once
	localTables *nameTables
)

func (c *compiler) resolver() Resolver {
	if c.opts.Resolver == nil {
		return localResolver{}
	}
	return c.opts.Resolver
}

func (c *compiler) tables() *nameTables {
	if c.names != nil {
		return c.names
	}
	if c.opts.Resolver == nil {
		localOnce.Do(func() { localTables = loadTables(localResolver{}) })
		c.names = localTables
	} else {
		c.names = loadTables(c.opts.Resolver)
	}
	return c.names
}

var fallbackProtocols = map[string]uint32{
	"ip": 0, "icmp": 1, "igmp": 2, "ggp": 3, "ipencap": 4, "st": 5, "tcp": 6,
	"egp": 8, "igp": 9, "pup": 12, "udp": 17, "hmp": 20, "xns-idp": 22,
	"rdp": 27, "iso-tp4": 29, "dccp": 33, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
	"ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46,
	"gre": 47, "esp": 50, "ah": 51, "skip": 57, "ipv6-icmp": 58,
	"ipv6-nonxt": 59, "ipv6-opts": 60, "rspf": 73, "vmtp": 81, "eigrp": 88,
	"ospf": 89, "ax.25": 93, "ipip": 94, "etherip": 97, "encap": 98,
	"pim": 103, "ipcomp": 108, "vrrp": 112, "l2tp": 115, "isis": 124,
	"sctp": 132, "fc": 133, "mobility-header": 135, "udplite": 136,
	"mpls-in-ip": 137, "manet": 138, "hip": 139, "shim6": 140, "wesp": 141,
	"rohc": 142, "ethernet": 143,
}

var fallbackServices = map[string]service{
	"ftp-data": {20, -1, -1}, "ftp": {21, -1, 21}, "ssh": {22, -1, 22},
	"telnet": {23, -1, -1}, "smtp": {25, -1, -1}, "domain": {53, 53, -1},
	"http": {80, -1, 80}, "www": {80, -1, 80}, "bootps": {-1, 67, -1},
	"bootpc": {-1, 68, -1}, "tftp": {-1, 69, -1}, "pop3": {110, -1, -1},
	"ntp": {-1, 123, -1}, "snmp": {161, 161, -1}, "https": {443, 443, 443},
	"bgp": {179, -1, 179}, "syslog": {-1, 514, -1},
}

// etcLines yields the fields of each line of an /etc database, comments
// removed, skipping lines with fewer than two fields.
func etcLines(data []byte, yield func(fields []string)) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if f := strings.Fields(line); len(f) >= 2 {
			yield(f)
		}
	}
}

func loadTables(r Resolver) *nameTables {
	t := &nameTables{services: map[string]*service{}, protocols: map[string]uint32{}}
	if data, err := r.ReadEtc("services"); err == nil {
		etcLines(data, func(fields []string) {
			num, proto, ok := strings.Cut(fields[1], "/")
			n, err := strconv.Atoi(num)
			if !ok || err != nil {
				return
			}
			for _, name := range append([]string{fields[0]}, fields[2:]...) {
				s := t.services[name]
				if s == nil {
					s = &service{-1, -1, -1}
					t.services[name] = s
				}
				switch {
				case proto == "tcp" && s.tcp < 0:
					s.tcp = n
				case proto == "udp" && s.udp < 0:
					s.udp = n
				case proto == "sctp" && s.sctp < 0:
					s.sctp = n
				}
			}
		})
	} else {
		for k, v := range fallbackServices {
			t.services[k] = &v
		}
	}
	if data, err := r.ReadEtc("protocols"); err == nil {
		etcLines(data, func(fields []string) {
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				return
			}
			for _, name := range append([]string{fields[0]}, fields[2:]...) {
				if _, dup := t.protocols[name]; !dup {
					t.protocols[name] = uint32(n)
				}
			}
		})
	} else {
		t.protocols = fallbackProtocols
	}
	return t
}

// lookupPort resolves a service name as pcap_nametoport does: the protocol
// is undefined when tcp and udp agree, else the one that has it.
func (c *compiler) lookupPort(name string) (port int, proto int, ok bool) {
	s := c.tables().services[name]
	if s == nil {
		return 0, 0, false
	}
	switch {
	case s.tcp >= 0 && s.udp >= 0:
		if s.tcp == s.udp {
			return s.tcp, protoUndef, true
		}
		return s.tcp, ipprotoTCP, true
	case s.tcp >= 0:
		return s.tcp, ipprotoTCP, true
	case s.udp >= 0:
		return s.udp, ipprotoUDP, true
	case s.sctp >= 0:
		return s.sctp, ipprotoSCTP, true
	}
	return 0, 0, false
}

func (c *compiler) lookupProto(name string) (uint32, bool) {
	v, ok := c.tables().protocols[name]
	return v, ok
}

// lookupEther finds name in /etc/ethers as glibc's ether_hostton does:
// "MAC name" lines, the name compared without regard to case, anything
// after it ignored.
func (c *compiler) lookupEther(name string) (net.HardwareAddr, bool) {
	data, err := c.resolver().ReadEtc("ethers")
	if err != nil {
		return nil, false
	}
	var mac net.HardwareAddr
	etcLines(data, func(f []string) {
		if mac == nil && strings.EqualFold(f[1], name) {
			mac, _ = parseEthersMAC(f[0])
		}
	})
	return mac, mac != nil
}

// parseEthersMAC reads the address of an ethers line as glibc does: six
// colon-separated hex numbers, none over ff.
func parseEthersMAC(s string) (net.HardwareAddr, bool) {
	groups := strings.Split(s, ":")
	if len(groups) != 6 {
		return nil, false
	}
	mac := make(net.HardwareAddr, 6)
	for i, g := range groups {
		v, err := strconv.ParseUint(g, 16, 8)
		if err != nil {
			return nil, false
		}
		mac[i] = byte(v)
	}
	return mac, true
}

// lookupNet finds name (or an alias) in /etc/networks as getnetbyname
// does and returns its network number; 0, which libpcap takes for
// "unknown", when absent. glibc pads the number to four parts before
// inet_network(3), so "10.9" is 10.9.0.0 and "net NAME" a /32 test.
func (c *compiler) lookupNet(name string) uint32 {
	data, err := c.resolver().ReadEtc("networks")
	if err != nil {
		return 0
	}
	found, n := false, uint32(0)
	etcLines(data, func(f []string) {
		if found {
			return
		}
		for _, alias := range append([]string{f[0]}, f[2:]...) {
			if strings.EqualFold(alias, name) {
				num := f[1]
				for i := strings.Count(num, "."); i < 3; i++ {
					num += ".0"
				}
				found, n = true, inetNetwork(num)
				return
			}
		}
	})
	return n
}

// inetNetwork is glibc's inet_network: up to four dot-separated parts,
// each decimal, octal (leading 0) or hex (0x) and at most 255, packed into
// the low bytes; INADDR_NONE (all ones) for anything else.
func inetNetwork(s string) uint32 {
	const none = 0xffffffff
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return none
	}
	var v uint32
	for _, p := range parts {
		base := 10
		switch {
		case len(p) > 1 && (p[:2] == "0x" || p[:2] == "0X"):
			base, p = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		n, err := strconv.ParseUint(p, base, 32)
		if err != nil || n > 255 {
			return none
		}
		v = v<<8 | uint32(n)
	}
	return v
}

// etherProtos are pcap_nametoeproto's names, plus the LLC SAPs that
// pcap_nametollc knows.
var etherProtos = map[string]uint32{
	"ip": etherIP, "ip6": etherIPv6, "arp": etherARP, "rarp": etherRARP,
	"atalk": 0x809b, "aarp": 0x80f3, "decnet": 0x6003, "sca": 0x6007,
	"lat": 0x6004, "mopdl": 0x6001, "moprc": 0x6002, "loopback": 0x9000,
	"iso": 0xfe, "stp": 0x42, "ipx": 0xe0, "netbeui": 0xf0,
}

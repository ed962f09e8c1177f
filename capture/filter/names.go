package filter

import (
	"bufio"
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Name tables, read once from the files libpcap's resolver functions read
// (getservbyname, getprotobyname), with built-in fallbacks for systems
// without them.

type service struct{ tcp, udp, sctp int }

var (
	namesOnce sync.Once
	services  map[string]*service
	protocols map[string]uint32
)

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

func loadNames() {
	services = map[string]*service{}
	protocols = map[string]uint32{}
	if f, err := os.Open("/etc/services"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			num, proto, ok := strings.Cut(fields[1], "/")
			n, err := strconv.Atoi(num)
			if !ok || err != nil {
				continue
			}
			for _, name := range append([]string{fields[0]}, fields[2:]...) {
				s := services[name]
				if s == nil {
					s = &service{-1, -1, -1}
					services[name] = s
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
		}
		f.Close()
	} else {
		for k, v := range fallbackServices {
			v := v
			services[k] = &v
		}
	}
	if f, err := os.Open("/etc/protocols"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				continue
			}
			for _, name := range append([]string{fields[0]}, fields[2:]...) {
				if _, dup := protocols[name]; !dup {
					protocols[name] = uint32(n)
				}
			}
		}
		f.Close()
	} else {
		protocols = fallbackProtocols
	}
}

// lookupPort resolves a service name as pcap_nametoport does: the protocol
// is undefined when tcp and udp agree, else the one that has it.
func lookupPort(name string) (port int, proto int, ok bool) {
	namesOnce.Do(loadNames)
	s := services[name]
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

func lookupProto(name string) (uint32, bool) {
	namesOnce.Do(loadNames)
	v, ok := protocols[name]
	return v, ok
}

// etherProtos are pcap_nametoeproto's names, plus the LLC SAPs that
// pcap_nametollc knows.
var etherProtos = map[string]uint32{
	"ip": etherIP, "ip6": etherIPv6, "arp": etherARP, "rarp": etherRARP,
	"atalk": 0x809b, "aarp": 0x80f3, "decnet": 0x6003, "sca": 0x6007,
	"lat": 0x6004, "mopdl": 0x6001, "moprc": 0x6002, "loopback": 0x9000,
	"iso": 0xfe, "stp": 0x42, "ipx": 0xe0, "netbeui": 0xf0,
}

// resolveHost resolves a host name once, at compile time.
func resolveHost(name string) ([]net.IP, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make([]net.IP, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.IP)
	}
	return out, nil
}

package resolve

import (
	"net/netip"
	"reflect"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

func TestParseLiteral(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" means not a literal
	}{
		{"10.0.0.2", "10.0.0.2"},
		{"127.1", "127.0.0.1"},
		{"10.258", "10.0.1.2"},
		{"0x7f.1", "127.0.0.1"},
		{"017.0.0.1", "15.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"fd00::2", "fd00::2"},
		{"::ffff:10.0.0.1", "10.0.0.1"},
		{"256.0.0.1", ""},
		{"1.2.3.4.5", ""},
		{"08.1.1.1", ""},
		{"host.example", ""},
		{"1..2", ""},
		{"4294967296", ""},
		{"fd00::g", ""},
	}
	for _, c := range cases {
		a, ok := parseLiteral(c.in)
		got := ""
		if ok {
			got = a.String()
		}
		if got != c.want {
			t.Errorf("parseLiteral(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLookupHosts(t *testing.T) {
	data := []byte(`# comment
127.0.0.1 localhost
::1 localhost ip6-localhost
10.0.0.2  web.lab web   # the server
10.0.0.3  other
fd00::2   web.lab web
bogus     web
10.0.0.9  WEB.lab.
`)
	cases := []struct {
		name      string
		fam       int
		wantCanon string
		want      []string
	}{
		{"web", Any, "web.lab", []string{"10.0.0.2", "fd00::2"}},
		{"web.lab", IPv4, "web.lab", []string{"10.0.0.2", "10.0.0.9"}},
		{"Web", IPv6, "web.lab", []string{"fd00::2"}},
		{"localhost", Any, "localhost", []string{"127.0.0.1", "::1"}},
		{"missing", Any, "", nil},
	}
	for _, c := range cases {
		canon, addrs := lookupHosts(data, c.name, c.fam)
		var got []string
		for _, a := range addrs {
			got = append(got, a.String())
		}
		if canon != c.wantCanon || !reflect.DeepEqual(got, c.want) {
			t.Errorf("lookupHosts(%q, %d) = %q %v, want %q %v", c.name, c.fam, canon, got, c.wantCanon, c.want)
		}
	}
}

func TestParseConf(t *testing.T) {
	c := parseConf([]byte(`nameserver 10.0.0.53
nameserver fd00::53 # six
nameserver bad
domain old.example
search lab.example corp.example
options ndots:2 timeout:1 attempts:3 rotate
`))
	want := conf{
		servers:  []netip.AddrPort{netip.MustParseAddrPort("10.0.0.53:53"), netip.MustParseAddrPort("[fd00::53]:53")},
		search:   []string{"lab.example", "corp.example"},
		ndots:    2,
		timeout:  time.Second,
		attempts: 3,
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("parseConf = %+v, want %+v", c, want)
	}
	if got := parseConf(nil).servers; !reflect.DeepEqual(got, defaultConf().servers) {
		t.Fatalf("empty resolv.conf servers = %v, want the local server", got)
	}
}

func TestSearchOrder(t *testing.T) {
	c := conf{search: []string{"a.example", "b.example."}, ndots: 1}
	cases := []struct {
		name string
		want []string
	}{
		{"web", []string{"web.a.example.", "web.b.example.", "web."}},
		{"web.lab", []string{"web.lab.", "web.lab.a.example.", "web.lab.b.example."}},
		{"web.lab.", []string{"web.lab."}},
	}
	for _, tc := range cases {
		if got := c.names(tc.name); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("names(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// glibc's default table: a ULA ranks with any IPv6 address, above IPv4.
func TestPrecedence(t *testing.T) {
	order := []string{"::1", "2001:db8::1", "2002::1", "::10.0.0.1", "10.0.0.1"}
	for i := 1; i < len(order); i++ {
		hi, lo := netip.MustParseAddr(order[i-1]), netip.MustParseAddr(order[i])
		if precedence(hi) <= precedence(lo) {
			t.Errorf("precedence(%s) = %d, not above precedence(%s) = %d", hi, precedence(hi), lo, precedence(lo))
		}
	}
	if ula, global := netip.MustParseAddr("fd00::1"), netip.MustParseAddr("2001:db8::1"); precedence(ula) != precedence(global) {
		t.Errorf("precedence(%s) = %d, want that of %s, %d", ula, precedence(ula), global, precedence(global))
	}
}

// FuzzParsers feeds garbage to the hosts, resolv.conf, literal and DNS
// answer readers: none may panic.
func FuzzParsers(f *testing.F) {
	f.Add("127.0.0.1 localhost\n::1 ip6-localhost # c\n", "localhost")
	f.Add("nameserver 10.0.0.53\nsearch a b\noptions ndots:x timeout:99\n", "0x7f.1")
	f.Add("", "1.2.3.4.5")
	f.Fuzz(func(t *testing.T, file, name string) {
		lookupHosts([]byte(file), name, Any)
		nameInHosts([]byte(file), netip.MustParseAddr("127.0.0.1"))
		parseConf([]byte(file)).names(name)
		parseLiteral(name)
		if m, err := parseAnswer([]byte(file), 0); err == nil {
			if q, err := dnsmessage.NewName("x."); err == nil {
				answers(m, q)
			}
		}
	})
}

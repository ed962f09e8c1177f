package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

func TestParseLinkSet(t *testing.T) {
	cases := []struct {
		words string
		want  string // fmt of the change, or the error
	}{
		{"up", "up"},
		{"down mtu 1400", "down mtu=1400"},
		{"netns ns1 up", "up netns=ns1"},
		{"netns pid:42", "netns=pid:42"},
		{"master br0", "master=br0"},
		{"nomaster", "master="},
		{"", "error: nothing to change"},
		{"up down", "error: both up and down"},
		{"mtu", `error: "mtu" needs a value`},
		{"mtu 67", `error: bad MTU "67"`},
		{"mtu 1e3", `error: bad MTU "1e3"`},
		{"netns a/", ""}, // a path: accepted here, checked when opened
		{"netns ..", `error: bad network namespace name ".."`},
		{"master this-name-is-too-long", "error: interface name"},
		{"promisc on", `error: unknown word "promisc"`},
	}
	for _, c := range cases {
		t.Run(c.words, func(t *testing.T) {
			ch, err := parseLinkSet(strings.Fields(c.words))
			var got string
			if err != nil {
				got = "error: " + err.Error()
			} else {
				var parts []string
				if ch.up {
					parts = append(parts, "up")
				}
				if ch.down {
					parts = append(parts, "down")
				}
				if ch.mtu != 0 {
					parts = append(parts, "mtu="+strconv.Itoa(ch.mtu))
				}
				if ch.netns != nil {
					parts = append(parts, "netns="+ch.netns.String())
				}
				if ch.master != nil {
					parts = append(parts, "master="+*ch.master)
				}
				got = strings.Join(parts, " ")
			}
			if c.want == "" {
				if err != nil {
					t.Errorf("%q: %v", c.words, err)
				}
				return
			}
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("parseLinkSet(%q) = %q, want %q", c.words, got, c.want)
			}
		})
	}
}

// TestWriteRoute pins the ip route shapes route list prints.
func TestWriteRoute(t *testing.T) {
	cases := []struct {
		r    routeEntry
		want string
	}{
		{routeEntry{Family: "inet", Dst: "default", Gateway: "10.0.1.254", Dev: "h1-eth0", Protocol: "boot", Scope: "universe"}, "default via 10.0.1.254 dev h1-eth0"},
		{routeEntry{Family: "inet", Dst: "10.0.1.0/24", Dev: "h1-eth0", Protocol: "kernel", Scope: "link", Src: "10.0.1.1"}, "10.0.1.0/24 dev h1-eth0 proto kernel scope link src 10.0.1.1"},
		{routeEntry{Family: "inet", Dst: "10.9.0.0/16", Gateway: "10.0.1.2", Dev: "e0", Protocol: "static", Scope: "universe", Metric: 20}, "10.9.0.0/16 via 10.0.1.2 dev e0 proto static metric 20"},
		{routeEntry{Family: "inet6", Dst: "fd00:1::/64", Dev: "h1-eth0", Protocol: "kernel", Scope: "universe", Metric: 256}, "fd00:1::/64 dev h1-eth0 proto kernel metric 256"},
		{routeEntry{Family: "inet6", Dst: "default", Gateway: "fd00:1::fe", Dev: "h1-eth0", Protocol: "boot", Scope: "universe", Metric: 1024}, "default via fd00:1::fe dev h1-eth0 metric 1024"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		writeRoute(&b, c.r)
		if got := strings.TrimSuffix(b.String(), "\n"); got != c.want {
			t.Errorf("writeRoute(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestFirstAddrs(t *testing.T) {
	v4, v6 := firstAddrs([]string{"fd00:1::1/64", "bogus", "10.0.1.1/24", "10.0.1.2/24", "fd00:1::2/64"})
	if v4 != "10.0.1.1" || v6 != "fd00:1::1" {
		t.Errorf("firstAddrs = %q, %q", v4, v6)
	}
}

package capture

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

func testPackets() []Packet {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	return []Packet{
		{Time: t0, Data: []byte{1, 2, 3, 4}, Length: 60, LinkType: layers.LinkTypeEthernet, Netns: "ns1", Interface: "ns1-veth0"},
		{Time: t0.Add(time.Millisecond), Data: bytes.Repeat([]byte{7}, 21), Length: 21, LinkType: layers.LinkTypeEthernet, Netns: "ns2", Interface: "ns2-veth0"},
		{Time: t0.Add(2 * time.Millisecond), Data: bytes.Repeat([]byte{9}, 40), Length: 40, LinkType: layers.LinkTypeLinuxSLL2, Netns: "ns2", Interface: "lo"},
	}
}

func writeFile(t testing.TB, ng bool, pkts []Packet) []byte {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, ng, []FileInterface{{Netns: pkts[0].Netns, Name: pkts[0].Interface, LinkType: pkts[0].LinkType}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pkts {
		if err := w.Write(&pkts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(data []byte) ([]Packet, error) {
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []Packet
	for {
		var p Packet
		err := r.Next(&p)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		p.Data = append([]byte(nil), p.Data...)
		out = append(out, p)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		ng   bool
		pkts []Packet
	}{
		{"pcap", false, testPackets()[:2]},
		{"pcapng", true, testPackets()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(writeFile(t, tc.ng, tc.pkts))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.pkts) {
				t.Fatalf("read %d packets, wrote %d", len(got), len(tc.pkts))
			}
			for i, w := range tc.pkts {
				g := got[i]
				if !g.Time.Equal(w.Time) || !bytes.Equal(g.Data, w.Data) || g.Length != w.Length || g.LinkType != w.LinkType {
					t.Errorf("packet %d: got %v %x len %d %v, want %v %x len %d %v", i, g.Time, g.Data, g.Length, g.LinkType, w.Time, w.Data, w.Length, w.LinkType)
				}
				if tc.ng && (g.Netns != w.Netns || g.Interface != w.Interface) {
					t.Errorf("packet %d: from %s/%s, want %s/%s", i, g.Netns, g.Interface, w.Netns, w.Interface)
				}
			}
		})
	}
}

func TestPcapRefusesOtherLinkType(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, false, []FileInterface{{Name: "eth0", LinkType: layers.LinkTypeEthernet}})
	if err != nil {
		t.Fatal(err)
	}
	p := testPackets()[2]
	if err := w.Write(&p); err == nil {
		t.Fatal("wrote an SLL2 packet into an Ethernet pcap file")
	}
}

func TestDamagedFiles(t *testing.T) {
	pcap := writeFile(t, false, testPackets()[:2])
	ng := writeFile(t, true, testPackets())
	for _, tc := range []struct {
		name  string
		data  []byte
		want  string
		reads int
	}{
		{"empty", nil, "empty", 0},
		{"not a capture", []byte("hello, world, this is text\n"), "not a pcap or pcapng file", 0},
		{"pcap header cut", pcap[:10], "truncated pcap file", 0},
		{"pcap packet header cut", pcap[:24+16+4+5], "truncated capture file: it ends inside packet 2", 1},
		{"pcap data cut", pcap[:len(pcap)-3], "truncated capture file: it ends inside packet 2", 1},
		{"pcapng cut", ng[:len(ng)-5], "packet 3", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one containing %q", err, tc.want)
			}
			if len(got) != tc.reads {
				t.Errorf("read %d packets before the error, want %d", len(got), tc.reads)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// FuzzReader feeds the pcap and pcapng readers arbitrary files: they must
// return packets or an error, never panic or hang.
func FuzzReader(f *testing.F) {
	f.Add(writeFile(f, false, testPackets()[:2]))
	f.Add(writeFile(f, true, testPackets()))
	f.Add([]byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0})
	f.Add([]byte{0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a})
	f.Fuzz(func(t *testing.T, data []byte) {
		pkts, err := readAll(data)
		if err != nil && errors.Is(err, io.EOF) {
			t.Fatalf("io.EOF leaked as an error after %d packets", len(pkts))
		}
	})
}

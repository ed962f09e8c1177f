package main

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/nsdiag/nsdiag/internal/netnstest"
)

// TestIntegrationSniffOwners: with --owners, sniff names the namespace that
// holds each address (after the port where there is one); piped without
// it, lines stay tcpdump's.
func TestIntegrationSniffOwners(t *testing.T) {
	p := netnstest.NewPair(t)
	file := filepath.Join(t.TempDir(), "owners.pcap")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, SrcIP: net.ParseIP(p.A4), DstIP: net.ParseIP(p.B4)}
	for _, l4 := range []gopacket.SerializableLayer{
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0), Id: 7, Seq: 1},
		&layers.UDP{SrcPort: 5000, DstPort: 9},
	} {
		ip.Protocol = layers.IPProtocolICMPv4
		if u, ok := l4.(*layers.UDP); ok {
			ip.Protocol = layers.IPProtocolUDP
			u.SetNetworkLayerForChecksum(ip)
		}
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, l4, gopacket.Payload("hi")); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(data), Length: len(data)}, data); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()

	// Other tests' labs may hold the same private addresses: the pair's
	// own namespace must be among the names.
	owner := func(name string) string { return `\[([^\]]*,)?` + regexp.QuoteMeta(name) + `(,[^\]]*)?\]` }
	a, b := regexp.QuoteMeta(p.A4), regexp.QuoteMeta(p.B4)
	r := nsdiag(t, "sniff", "--owners", "-r", file)
	for _, want := range []string{
		`IP ` + a + ` ` + owner(p.A.Name) + ` > ` + b + ` ` + owner(p.B.Name) + `: ICMP echo request`,
		`IP ` + a + `\.5000 ` + owner(p.A.Name) + ` > ` + b + `\.9 ` + owner(p.B.Name) + `: UDP`,
	} {
		if !regexp.MustCompile(want).MatchString(r.stdout) {
			t.Errorf("sniff --owners: no line like %s in\n%s", want, r.stdout)
		}
	}
	if r := nsdiag(t, "sniff", "-r", file); r.code != 0 || strings.Contains(r.stdout, "[") {
		t.Errorf("piped sniff without --owners annotated or failed (exit %d):\n%s", r.code, r.stdout)
	}
}

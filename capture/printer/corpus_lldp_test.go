package printer

import (
	"bytes"
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// lldpTLV encodes one LLDP TLV: 7 bits of type, 9 of length.
func lldpTLV(typ int, v ...byte) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(typ<<9|len(v))), v...)
}

// lldpCorpus holds LLDPDUs as lldpd and switches send them, and ones that
// stop short, for tcpdump's plain, -v and -vv forms.
func lldpCorpus(t testing.TB) []rec {
	lldpMAC := net.HardwareAddr{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}
	frame := func(tlvs ...[]byte) []byte {
		e := &layers.Ethernet{SrcMAC: macA, DstMAC: lldpMAC, EthernetType: layers.EthernetType(0x88cc)}
		return ser(t, e, gopacket.Payload(bytes.Join(tlvs, nil)))
	}
	str := func(s string) []byte { return []byte(s) }
	chassisMAC := lldpTLV(1, append([]byte{4}, macA...)...)
	portName := lldpTLV(2, append([]byte{5}, str("eth0")...)...)
	ttl := lldpTLV(3, 0, 120)
	end := lldpTLV(0)
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	add(frame(chassisMAC, portName, ttl, lldpTLV(4, str("uplink to core")...), lldpTLV(5, str("host1.example")...),
		lldpTLV(6, str("Debian GNU/Linux 12 (bookworm) Linux 6.1.0 x86_64")...), lldpTLV(7, 0, 0x14, 0, 0x10),
		lldpTLV(8, 5, 1, 10, 0, 0, 1, 2, 0, 0, 0, 3, 0), lldpTLV(8, append(append([]byte{17, 2}, ip6A...), 3, 0, 0, 0, 9, 0)...),
		lldpTLV(127, 0x12, 0x34, 0x56, 1, 2, 3),
		// lldpd's IEEE 802.3 and 802.1 TLVs: MAC/PHY, link aggregation,
		// MTU, PVID, PPVID, VLAN name, protocol identity; subtypes
		// tcpdump does not know.
		lldpTLV(127, 0x00, 0x12, 0x0f, 1, 3, 0x6c, 0x01, 0x00, 0x1e), lldpTLV(127, 0x00, 0x12, 0x0f, 3, 3, 0, 0, 0, 7),
		lldpTLV(127, 0x00, 0x12, 0x0f, 4, 0x05, 0xee), lldpTLV(127, 0x00, 0x80, 0xc2, 1, 0, 10),
		lldpTLV(127, 0x00, 0x80, 0xc2, 2, 6, 0, 20), lldpTLV(127, append([]byte{0x00, 0x80, 0xc2, 3, 0, 30, 4}, str("mgmt")...)...),
		lldpTLV(127, append([]byte{0x00, 0x80, 0xc2, 4, 3}, str("STP")...)...), lldpTLV(127, 0x00, 0x80, 0xc2, 99, 1),
		lldpTLV(127, 0x00, 0x12, 0x0f, 9), lldpTLV(127, 0x00, 0x12, 0x0f, 1, 0, 0x80, 0x00, 0x00, 0x63), end))
	// Other subtypes: locally assigned, network address, port MAC, unknown.
	add(frame(lldpTLV(1, append([]byte{7}, str("chassis-7")...)...), lldpTLV(2, append([]byte{3}, macB...)...), ttl,
		lldpTLV(5, str("sw\x01it\xe9ch")...), lldpTLV(7, 0, 0xff, 0, 0), end))
	add(frame(lldpTLV(1, 5, 1, 192, 0, 2, 1), lldpTLV(2, 9, 1, 2), ttl, lldpTLV(9, 1, 2, 3), lldpTLV(5, str("x\x00y")...), end))
	add(frame(lldpTLV(1, 5, 99, 1), lldpTLV(2, 4, 2, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), ttl, end))
	// No End TLV; a TTL too short; a TLV longer than the frame.
	add(frame(chassisMAC, portName, ttl))
	add(frame(chassisMAC, lldpTLV(3, 1)))
	b := frame(chassisMAC, lldpTLV(5, str("truncated-name")...))
	r = append(r, rec{data: b[:14+9+2+5], wire: len(b)})
	add(frame(chassisMAC, lldpTLV(8, 1, 1, 0)))
	return r
}

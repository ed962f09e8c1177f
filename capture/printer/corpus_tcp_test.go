package printer

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func sackOpt(blocks ...uint32) []layers.TCPOption {
	d := make([]byte, 4*len(blocks))
	for i, v := range blocks {
		binary.BigEndian.PutUint32(d[4*i:], v)
	}
	return []layers.TCPOption{{OptionType: layers.TCPOptionKindNop, OptionLength: 1}, {OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindSACK, OptionLength: uint8(2 + len(d)), OptionData: d}}
}

func tcp6(t testing.TB, src, dst net.IP, sp, dp uint16, seq, ack uint32, flags string, n int) []byte {
	b := tcp4(t, ipA, ipB, sp, dp, seq, ack, flags, 1024, nil, n)
	ip := v6(layers.IPProtocolTCP)
	ip.SrcIP, ip.DstIP = src, dst
	// Reuse the IPv4 segment's header; its checksum is recomputed below.
	tc := &layers.TCP{}
	if err := tc.DecodeFromBytes(b[34:], gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	tc.SetNetworkLayerForChecksum(ip)
	return eth(t, layers.EthernetTypeIPv6, ip, tc, gopacket.Payload(tc.Payload))
}

// tcpSeqCorpus exercises tcpdump's per-connection memory for relative
// sequence numbers (and -S, which turns it off): both directions of a
// connection, a connection first seen mid-stream from either end, equal
// ports ordered by address, a SYN that starts the numbering over, SACK
// blocks in each direction, wrap-around, segments without ACK, and an IPv6
// connection with the same ports as an IPv4 one.
func tcpSeqCorpus(t testing.TB) []rec {
	var r []rec
	add := func(b []byte) { r = append(r, rec{data: b}) }
	var c, s uint32 = 4000000000, 100000 // client and server ISNs
	add(tcp4(t, ipA, ipB, 40000, 80, c, 0, "S", 64240, synOpts, 0))
	add(tcp4(t, ipB, ipA, 80, 40000, s, c+1, "SA", 65160, synOpts, 0))
	add(tcp4(t, ipA, ipB, 40000, 80, c+1, s+1, "A", 502, nil, 0))
	add(tcp4(t, ipA, ipB, 40000, 80, c+1, s+1, "PA", 502, nil, 100))
	add(tcp4(t, ipB, ipA, 80, 40000, s+1, c+101, "A", 509, sackOpt(c+201, c+301), 0))
	add(tcp4(t, ipA, ipB, 40000, 80, c+101, s+1, "A", 502, sackOpt(s+1001, s+2001, s+3001, s+4001), 0))
	// Wrap-around: the client's numbers pass 2^32.
	add(tcp4(t, ipA, ipB, 40000, 80, c+300000000, s+1, "PA", 502, nil, 50))
	add(tcp4(t, ipB, ipA, 80, 40000, s+1, c+300000050, "FA", 509, nil, 0))
	add(tcp4(t, ipA, ipB, 40000, 80, c+300000050, 0, "R", 0, nil, 0))
	// First seen mid-stream, from the higher port and from the lower one.
	add(tcp4(t, ipB, ipA, 50000, 443, 777777, 888888, "PA", 501, nil, 10))
	add(tcp4(t, ipA, ipB, 443, 50000, 888888, 777787, "A", 501, nil, 0))
	add(tcp4(t, ipA, ipB, 22, 50001, 5555, 6666, "PA", 501, nil, 20))
	add(tcp4(t, ipB, ipA, 50001, 22, 6666, 5575, "A", 501, sackOpt(5600, 5700), 0))
	// Equal ports: the addresses decide which end is which.
	add(tcp4(t, ipB, ipA, 7000, 7000, 1000, 2000, "A", 501, nil, 5))
	add(tcp4(t, ipA, ipB, 7000, 7000, 2000, 1005, "A", 501, sackOpt(1100, 1200), 0))
	// A SYN on a known connection starts the numbering over.
	add(tcp4(t, ipA, ipB, 40000, 80, 123456789, 0, "S", 64240, synOpts, 0))
	add(tcp4(t, ipB, ipA, 80, 40000, 987654321, 123456790, "SA", 65160, synOpts, 0))
	add(tcp4(t, ipA, ipB, 40000, 80, 123456790, 987654322, "PA", 502, nil, 30))
	// Without ACK a segment is printed with its own numbers.
	add(tcp4(t, ipA, ipB, 40000, 80, 123456820, 0, "P", 502, nil, 10))
	// An IPv6 connection with the same ports is remembered apart.
	add(tcp6(t, ip6A, ip6B, 40000, 80, 3000, 9000, "PA", 10))
	add(tcp6(t, ip6B, ip6A, 80, 40000, 9000, 3010, "A", 0))
	add(tcp4(t, ipA, ipB, 40000, 80, 123456830, 987654322, "A", 502, nil, 0))
	return r
}

// Package printer renders captured packets as tcpdump -n prints them: one
// line per packet (two with -v, plus hex dump lines with -x/-X), or one JSON
// object per packet.
//
// It is pure code: no sockets, no privileges, no namespaces. The capture
// engine hands it frames with their link type; a frame from another network
// namespace carries that namespace's name (Packet.NetNS) and, for LINUX_SLL2
// frames, the interface name resolved inside that namespace.
//
// Link layers are decoded with gopacket's DecodingLayerParser into reused
// layer structs, so the hot loop allocates nothing. From the network layer
// up the printer reads the bytes itself: tcpdump prints whatever part of a
// header was captured before it says "[|tcp]", and quoted packets inside
// ICMP errors are truncated by design, which a decoder that rejects short
// headers cannot reproduce.
package printer

// Package printer renders captured packets as tcpdump -n (4.99) prints
// them: one line per packet (two with -v, plus hex dump lines with -x/-X),
// or one JSON object per packet.
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
//
// Covered, checked line for line against tcpdump by the golden tests:
// Ethernet (with -e), 802.1Q/QinQ, Linux cooked v1 and v2, raw IP; ARP and
// RARP; IPv4 with options and fragments; IPv6 with hop-by-hop, destination,
// routing and fragment headers; ICMP and ICMPv6 including neighbor
// discovery, MLD and quoted packets; TCP with tcpdump's relative sequence
// numbers; UDP; DCCP; IGMP; IPIP, 6in4, GRE, VXLAN, ESP; DNS and mDNS; DHCP; HTTP,
// FTP, SMTP, RTSP and SSH banners; LLDP (with IEEE 802.1/802.3 TLVs;
// LLDP-MED, DCBX and DCB ones in hex); NTP, syslog and TFTP (their one-line
// form only: not with -v); -v to -vvv, -q, -e, -t to -ttttt, -x/-xx/-X/-XX, -A/-AA.
// Other protocols print as tcpdump prints a protocol it does not know.
package printer

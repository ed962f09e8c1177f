// Package filter compiles tcpdump filter expressions (the pcap-filter(7)
// language) to classic BPF programs, in pure Go, with libpcap's semantics.
//
// The compiled program is what capture attaches to its AF_PACKET socket with
// SO_ATTACH_FILTER, so the kernel drops unwanted packets before they are
// copied to user space; the same program runs in user space over packets
// read from a file (golang.org/x/net/bpf's VM). Compiling needs no
// privileges and no namespace: it is pure code. Names (hosts, networks,
// ether hosts, services, protocols) are resolved once, at compile time,
// through Options.Resolver: a capture in another network namespace passes
// one that sees that namespace's /etc/netns files and DNS, as tcpdump under
// ip netns exec would; "host NAME" matches every address the name has.
//
// The compiler follows libpcap 1.10: its grammar (and/or of equal
// precedence, left to right; a bare value repeats the last qualifiers, as
// in "host 10.0.0.1 and port 80 or 53"), its protocol expansions (port
// means tcp, udp or sctp over IPv4 or IPv6; IPv4 transport fields are read
// only from first fragments, behind the IP header length), the offsets
// vlan and mpls move for the rest of the expression, and its link types:
// Ethernet, Linux cooked v1 and v2, raw IP. Options.Cooked rewrites the
// program for the kernel's view of a live "any" capture as libpcap does (no
// link header; protocol, packet type and interface index from ancillary
// data); Options.Live uses ancillary data for inbound, outbound, ifindex and
// the outer VLAN tag on other live sockets (where that tag may also still
// be in the packet, which moves later offsets: libpcap keeps which in a
// scratch register, and so do we). Anything else in pcap-filter(7)
// (802.11, DECnet, ISO, ATM...) is refused with a "not supported" error
// rather than compiled wrong.
//
// The optimizer does what libpcap's does, and no more where that would
// change which truncated packets pass (a load past the end of a packet
// rejects it, so the order and set of loads matter): jump threading with
// libpcap's inferences, merging of equal blocks, its or/and pullups, its
// peepholes, and removal of repeated loads. Programs are about as long as
// tcpdump -d's, except protochain: classic BPF cannot jump back, so its
// header walk is unrolled 8 headers deep where libpcap loops.
package filter

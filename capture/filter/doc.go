// Package filter compiles tcpdump filter expressions (the pcap-filter(7)
// language) to classic BPF programs, in pure Go, with libpcap's semantics.
//
// The compiled program is what capture attaches to its AF_PACKET socket with
// SO_ATTACH_FILTER, so the kernel drops unwanted packets before they are
// copied to user space; the same program runs in user space over packets read
// from a file (golang.org/x/net/bpf's VM). Compiling needs no privileges and
// no namespace: it is pure code. Host names are resolved once, at compile
// time, by the caller's resolver, so callers that capture in another network
// namespace should pass addresses rather than names.
//
// The compiler follows libpcap's grammar (and/or of equal precedence, left to
// right; a bare value repeats the last qualifiers), its protocol expansions
// (port means tcp, udp or sctp over IPv4 or IPv6; IPv4 transport fields are
// read only from first fragments, behind the IP header length), and its link
// types: Ethernet, Linux cooked v1 and v2, raw IP. Options.Cooked rewrites
// the program for the kernel's view of a live "any" capture (no link header;
// protocol, packet type and interface index come from ancillary loads).
// Anything else in pcap-filter(7) (802.11, DECnet, ISO, ATM...) is refused
// with a "not supported" error rather than compiled wrong.
package filter

// Package icmp is nsdiag's ICMP echo engine: ping, as iputils does it, from
// inside any network namespace.
//
// The socket is opened inside the target namespace with nsexec.Do and then
// used from an ordinary goroutine; it keeps its namespace for life. Two
// kinds of socket serve, as in iputils: a raw ICMP socket (SOCK_RAW), which
// needs CAP_NET_RAW in the namespace's owning user namespace, and the
// unprivileged ICMP datagram socket (SOCK_DGRAM, "ping socket"), which
// needs the caller's group inside the namespace's net.ipv4.ping_group_range.
// Config.Socket chooses; by default a raw socket is tried first. A raw
// socket sees every ICMP packet in its namespace, so it carries a classic
// BPF filter that keeps only echo replies with our identifier; the kernel
// rewrites the identifier of datagram sockets and demultiplexes for us.
//
// Round-trip times come from kernel receive timestamps (SO_TIMESTAMPNS)
// less a send time read right before sendto, so they measure the network
// and not the Go scheduler. ICMP errors (destination unreachable, time
// exceeded) are read from the socket error queue (IP_RECVERR), as iputils
// reads them, with the address of the router that sent them.
//
// A Pinger never prints: Run hands typed events (Sent, Reply, ICMPError,
// LocalError, Outstanding) to a callback and returns Stats computed with
// iputils' integer arithmetic, so that the command line can print exactly
// what ping prints.
package icmp

// Package trace is a TTL-stepping traceroute engine, in the manner of
// Butskoy's traceroute (the Linux default): probes with increasing TTL (hop
// limit) go out in parallel, routers answer with ICMP Time Exceeded and the
// destination with Port Unreachable, an Echo Reply, a TCP SYN-ACK/RST or,
// when a UDP service listens there, its own answer.
//
// Kernel facilities: a raw ICMP (ICMPv6) socket receives the ICMP errors and
// echo replies, with kernel receive timestamps (SO_TIMESTAMPNS) and an
// ICMP type filter; UDP probes leave from an ordinary unconnected UDP socket
// that also reads services' answers (Paris and -U probes from a raw UDP
// socket, so that a Paris checksum leaves as written and each -U probe has
// its own source port; the raw socket reads -U answers), ICMP probes from
// the raw ICMP socket, TCP SYN probes from a raw
// TCP socket (the source port is held by a bound TCP socket that never
// listens, so the kernel resets every SYN-ACK: no connection is ever
// completed). The TTL is set per probe with IP_TTL / IPV6_UNICAST_HOPS, and
// probes carry no Don't Fragment bit, as traceroute's, unless DontFragment
// (-F) asks for it (IP_PMTUDISC_PROBE).
//
// Privileges: raw sockets need CAP_NET_RAW in the namespace's user
// namespace; entering another network namespace needs CAP_SYS_ADMIN.
//
// Namespaces: every socket is opened inside Config.Target through
// nsexec.Do and then used from ordinary goroutines; a socket stays in the
// namespace it was created in, so probes leave from, and replies are read
// in, the target namespace.
//
// The engine never prints. Config.Run (or Config.Open then Tracer.Run)
// streams one Probe per probe, in TTL order as traceroute prints them, and
// returns a Result; ReportConfig.Run (Tracer.Report) runs mtr-style cycles
// and returns per-hop statistics. Matching answers to probes, the
// scheduling of probes and timeouts, and the statistics are pure code,
// tested without sockets.
package trace

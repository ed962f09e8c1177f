// Package reach tests which network namespaces reach which: from every
// namespace of a set it sends ICMP echo requests to the global addresses
// (IPv4 and IPv6) of every other one, many pairs at once under a bound on
// concurrency, and gathers the answers into a Matrix that can be checked
// against an expected one (a network policy written as rules, see
// ParseExpect).
//
// Each probe's socket is opened inside its source namespace (through
// nsexec), so the kernel routes it as that namespace would; entering a
// namespace needs CAP_SYS_ADMIN and ICMP sockets CAP_NET_RAW (or the
// namespace's net.ipv4.ping_group_range). Run streams one Result per
// (source, destination address) to its caller and never prints.
package reach
